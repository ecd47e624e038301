import type { OpenIdConfigurationSource } from '../openid/openid-configuration.js';

/** An answer read with a size cap: a provider cannot make us buffer megabytes. */
export interface ProviderResponse {
  status: number;
  headers: Headers;
  contentType: string;
  /** Parsed JSON when the body is JSON (any `+json` type too), else undefined. */
  json: unknown;
  text: string;
}

const MAX_RESPONSE_BYTES = 64 * 1024;

/**
 * An authenticated `application/x-www-form-urlencoded` POST to a provider endpoint, for dialects
 * whose answers openid-client rightly refuses (non-standard token types, problem+json errors).
 * Client authentication is openid-client's own (the configured method); redirects are never
 * followed; the timeout is the provider's.
 */
export async function postForm(
  source: OpenIdConfigurationSource,
  endpoint: string,
  parameters: Record<string, string>,
): Promise<ProviderResponse> {
  const settings = source.settings;
  const config = await source.get();
  const body = new URLSearchParams(parameters);
  const headers = new Headers({
    accept: 'application/json, application/problem+json',
    'content-type': 'application/x-www-form-urlencoded',
  });
  const auth = await source.clientAuth();
  // A ClientAuth may or may not return a promise (client assertions are signed asynchronously).
  await Promise.resolve(auth(config.serverMetadata(), { client_id: settings.clientId }, body, headers));
  if (!body.has('client_id') && !headers.has('authorization') && !body.has('client_assertion')) body.set('client_id', settings.clientId);
  const url = new URL(endpoint);
  if (url.protocol !== 'https:' && !settings.allowInsecureHttp) throw new TypeError(`refusing plain http to ${url.origin}`);
  const doFetch = (source.fetch ?? fetch) as unknown as typeof fetch;
  const response = await doFetch(url.href, {
    method: 'POST',
    headers,
    body: body.toString(),
    redirect: 'manual',
    signal: AbortSignal.timeout(settings.httpTimeoutSeconds * 1000),
  });
  const text = await readCapped(response);
  const contentType = response.headers.get('content-type') ?? '';
  let json: unknown;
  if (/[/+]json\b/i.test(contentType)) {
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
  }
  return { status: response.status, headers: response.headers, contentType, json, text };
}

async function readCapped(response: Response): Promise<string> {
  if (!response.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > MAX_RESPONSE_BYTES)
      throw Object.assign(new Error('the provider answered more than 64 KiB'), { code: 'OAUTH_RESPONSE_TOO_LARGE' });
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
