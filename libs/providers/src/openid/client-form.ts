import type * as client from 'openid-client';

/**
 * `parameters` as a form body with the configured client authentication applied, openid-client's
 * own (`ClientAuth`: a Basic header, the secret in the body, or a freshly signed assertion for
 * private_key_jwt and client_secret_jwt). `as` and `metadata` are what a method reads: the
 * assertion's audience and the client id.
 */
export async function clientForm(
  auth: client.ClientAuth,
  as: client.ServerMetadata,
  metadata: client.ClientMetadata,
  parameters: Record<string, string>,
  headers: Record<string, string>,
): Promise<{ headers: Headers; body: URLSearchParams }> {
  const body = new URLSearchParams(parameters);
  const all = new Headers(headers);
  // A ClientAuth may or may not return a promise (client assertions are signed asynchronously).
  await Promise.resolve(auth(as, metadata, body, all));
  return { headers: all, body };
}
