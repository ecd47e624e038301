import type { IncomingMessage, ServerResponse } from 'node:http';

/** Seed: the error codes both endpoints answer with (400, 401, 500, default). */
export type PlumeryErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'access_denied'
  | 'invalid_scope'
  | 'authorization_pending'
  | 'slow_down'
  | 'expired_token'
  | 'server_error'
  | 'temporarily_unavailable';

/** An answer the handler ends with: OAuth error body or JSON document. */
export class PlumeryAnswer {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
    readonly headers: Record<string, string> = {},
  ) {}

  static error(status: number, error: PlumeryErrorCode, description?: string, headers: Record<string, string> = {}): PlumeryAnswer {
    return new PlumeryAnswer(status, description === undefined ? { error } : { error, error_description: description }, headers);
  }

  send(response: ServerResponse): void {
    response
      .writeHead(this.status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...this.headers })
      .end(JSON.stringify(this.body));
  }
}

/** RFC 6749 §2.3.1 / §5.2: HTTP Basic is the one method this client is registered with. */
export function authenticateClient(
  request: IncomingMessage,
  form: Map<string, string>,
  client: { id: string; secret: string },
): PlumeryAnswer | undefined {
  const challenge = { 'www-authenticate': 'Basic realm="plumery"' };
  if (form.has('client_secret') || form.has('client_assertion') || form.has('client_assertion_type')) {
    return PlumeryAnswer.error(401, 'invalid_client', 'client authentication method not allowed for this client');
  }
  const header = request.headers.authorization ?? '';
  const match = /^Basic ([A-Za-z0-9+/=]+)$/.exec(header);
  if (!match) return PlumeryAnswer.error(401, 'invalid_client', 'client authentication required');
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return PlumeryAnswer.error(401, 'invalid_client', 'malformed credentials', challenge);
  let id: string;
  let secret: string;
  try {
    // RFC 6749 §2.3.1: id and secret are form-urlencoded before base64.
    id = decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' '));
    secret = decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' '));
  } catch {
    return PlumeryAnswer.error(401, 'invalid_client', 'malformed credentials', challenge);
  }
  if (id !== client.id || secret !== client.secret)
    return PlumeryAnswer.error(401, 'invalid_client', 'invalid client credentials', challenge);
  if (form.has('client_id') && form.get('client_id') !== client.id)
    return PlumeryAnswer.error(401, 'invalid_client', 'client_id does not match the credentials', challenge);
  return undefined;
}

/** A form body, strictly: the right content type, each parameter at most once. */
export async function readForm(request: IncomingMessage): Promise<Map<string, string> | PlumeryAnswer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const contentType = String(request.headers['content-type'] ?? '');
  if (!/^application\/x-www-form-urlencoded(\s*;.*)?$/i.test(contentType)) {
    return PlumeryAnswer.error(400, 'invalid_request', 'content type must be application/x-www-form-urlencoded');
  }
  const form = new Map<string, string>();
  for (const [name, value] of new URLSearchParams(Buffer.concat(chunks).toString('utf8'))) {
    if (form.has(name)) return PlumeryAnswer.error(400, 'invalid_request', `parameter ${name} repeated`);
    form.set(name, value);
  }
  return form;
}

/** Parameters outside `allowed` are refused, as a strict OpenAPI validator would. */
export function unknownParameter(form: Map<string, string>, allowed: ReadonlySet<string>): PlumeryAnswer | undefined {
  const unknown = [...form.keys()].filter((name) => !allowed.has(name));
  return unknown.length > 0 ? PlumeryAnswer.error(400, 'invalid_request', `unsupported parameter ${unknown.join(', ')}`) : undefined;
}
