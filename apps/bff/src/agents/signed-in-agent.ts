/**
 * A branch agent signed in to the console (API.md §7), as the `/v1` guard attaches it to a request
 * that came with the console's session cookie instead of a Bearer value.
 */
export interface SignedInAgent {
  /** The workforce provider's `sub`. */
  readonly subject: string;
  /** The ID Token's `name` (else the subject). */
  readonly name: string;
  /** The values of `agents.roleClaim` the agent holds. */
  readonly roles: readonly string[];
  /** Holds `agents.supervisorRole`: sees every authentication of the consumer and its audit trail. */
  readonly supervisor: boolean;
}
