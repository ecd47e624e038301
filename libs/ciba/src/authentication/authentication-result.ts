/** What the consumer receives when an authentication is approved (API.md §4). */
export interface TokenSet {
  accessToken?: string;
  idToken?: string;
  refreshToken?: string;
  tokenType?: string;
  expiresIn?: number;
  scope?: string;
}

export interface AuthenticationResult {
  subject: string;
  claims: Record<string, unknown>;
  acr: string | null;
  amr: string[] | null;
  authTime: string | null;
  tokens: TokenSet;
}
