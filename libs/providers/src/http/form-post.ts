import type { OpenIdConfigurationSource } from '../openid/openid-configuration.js';
import { clientForm } from '../openid/client-form.js';
import { serverMetadataOf } from '../openid/token-request.js';
import { answerHeaders } from './raw-answer.js';
import { USER_AGENT } from './user-agent.js';

/** An answer, read with the provider's size cap (`maxResponseBytes`). */
export interface ProviderResponse {
  status: number;
  headers: Headers;
  contentType: string;
  /** Parsed JSON when the body is JSON (any `+json` type too), else undefined. */
  json: unknown;
  text: string;
}

const decoder = new TextDecoder();

/**
 * An authenticated `application/x-www-form-urlencoded` POST to a provider endpoint, for dialects
 * whose answers openid-client rightly refuses (non-standard token types, problem+json errors).
 * Client authentication is openid-client's own (the configured method). It travels on the
 * provider's form transport, as token requests do: kept-alive connections, redirects never
 * followed, the provider's timeout and size cap (an answer past the cap throws
 * `ResponseTooLargeError`), failures as fetch's (see `dispatch-once.ts`).
 */
export async function postForm(
  source: OpenIdConfigurationSource,
  endpoint: string,
  parameters: Record<string, string>,
): Promise<ProviderResponse> {
  const settings = source.settings;
  const config = await source.get();
  const { headers, body } = await clientForm(
    await source.clientAuth(),
    serverMetadataOf(config),
    { client_id: settings.clientId },
    parameters,
    { accept: 'application/json, application/problem+json', 'user-agent': USER_AGENT },
  );
  headers.set('content-type', 'application/x-www-form-urlencoded');
  if (!body.has('client_id') && !headers.has('authorization') && !body.has('client_assertion')) body.set('client_id', settings.clientId);
  const url = new URL(endpoint);
  if (url.protocol !== 'https:' && !settings.allowInsecureHttp) throw new TypeError(`refusing plain http to ${url.origin}`);
  const answer = await source.http.forms.post(url, Object.fromEntries(headers), body.toString());
  const text = decoder.decode(answer.body);
  const responseHeaders = answerHeaders(answer);
  const contentType = responseHeaders.get('content-type') ?? '';
  let json: unknown;
  if (/[/+]json\b/i.test(contentType)) {
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
  }
  return { status: answer.status, headers: responseHeaders, contentType, json, text };
}
