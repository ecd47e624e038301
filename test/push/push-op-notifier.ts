import type { PushDelivery } from './push-op-model.js';

export interface NotifyInit {
  /** Replaces `Bearer` in `Authorization`. */
  scheme?: string;
  contentType?: string;
}

/**
 * One POST to a client notification endpoint (CIBA Core §10.2, §10.3): an object travels as JSON,
 * a string as it is; `token` null sends no `Authorization`. Redirects are never followed (§10.2).
 */
export async function notify(url: string, body: unknown, token: string | null, init: NotifyInit = {}): Promise<PushDelivery> {
  const headers: Record<string, string> = { 'content-type': init.contentType ?? 'application/json' };
  if (token !== null) headers.authorization = `${init.scheme ?? 'Bearer'} ${token}`;
  const at = Date.now();
  const response = await fetch(url, {
    method: 'POST',
    headers,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    redirect: 'manual',
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  const contentType = response.headers.get('content-type');
  return {
    at,
    url,
    token,
    sent: body,
    status: response.status,
    contentType,
    location: response.headers.get('location'),
    body: text === '' ? null : /json/.test(contentType ?? '') ? (JSON.parse(text) as Record<string, any>) : text,
  };
}
