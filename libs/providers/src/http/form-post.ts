import type { OpenIdConfigurationSource } from '../openid/openid-configuration.js';

/** An answer, read with the provider's size cap (`maxResponseBytes`, see `capped-fetch.ts`). */
export interface ProviderResponse {
  status: number;
  headers: Headers;
  contentType: string;
  /** Parsed JSON when the body is JSON (any `+json` type too), else undefined. */
  json: unknown;
  text: string;
}

/**
 * An authenticated `application/x-www-form-urlencoded` POST to a provider endpoint, for dialects
 * whose answers openid-client rightly refuses (non-standard token types, problem+json errors).
 * Client authentication is openid-client's own (the configured method); redirects are never
 * followed; the timeout and the size cap are the provider's (an answer past the cap throws
 * `ResponseTooLargeError`).
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
  const response = await source.fetch(url.href, {
    method: 'POST',
    headers,
    body: body.toString(),
    redirect: 'manual',
    signal: AbortSignal.timeout(settings.httpTimeoutSeconds * 1000),
  });
  const text = await response.text();
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
