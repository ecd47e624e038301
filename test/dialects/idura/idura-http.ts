import type { IncomingMessage, ServerResponse } from 'node:http';

/** RFC 6749 §5.2 error body. */
export const oauthError = (error: string, description?: string): Record<string, unknown> =>
  description ? { error, error_description: description } : { error };

export function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }).end(JSON.stringify(body));
}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** What {issuer}/.well-known/openid-configuration says (poll mode only, Idura's guide). */
export function discoveryDocument(
  issuer: string,
  endpoints: { backchannel: string; token: string; jwks: string },
): Record<string, unknown> {
  return {
    issuer,
    backchannel_authentication_endpoint: endpoints.backchannel,
    token_endpoint: endpoints.token,
    jwks_uri: endpoints.jwks,
    backchannel_token_delivery_modes_supported: ['poll'],
    token_endpoint_auth_methods_supported: ['private_key_jwt', 'client_secret_basic'],
    token_endpoint_auth_signing_alg_values_supported: ['RS256', 'ES256'],
    id_token_signing_alg_values_supported: ['RS256'],
  };
}
