import type { CustomFetchOptions } from 'openid-client';
import type { Dispatcher } from 'undici';
import type { ProviderFetch, ProviderFetchOptions } from './capped-fetch.js';
import { dispatchOnce } from './dispatch-once.js';
import { answerResponse } from './raw-answer.js';

/**
 * A fetch over a provider's own undici `Agent` (its keep-alive pools; mutual TLS's certificate),
 * for openid-client (discovery, the backchannel request) and jose (JWKS):
 * never redirected, the answer read whole up to `maxBytes` and handed back as a global `Response`
 * (openid-client and our classifier check `instanceof Response` against the global class). It
 * fails as fetch does (see `dispatch-once.ts`) and honours the caller's signal.
 */
export function dispatcherFetch(dispatcher: Dispatcher, maxBytes: number): ProviderFetch {
  return async (url, options) => {
    const target = new URL(url);
    const answer = await dispatchOnce(
      dispatcher,
      {
        origin: target.origin,
        path: `${target.pathname}${target.search}`,
        method: options.method,
        headers: requestHeaders(options),
        body: requestBody(options.body),
      },
      { maxBytes, signal: options.signal },
    );
    return answerResponse(answer);
  };
}

/** The headers as given, plus the content type fetch would add for a form body. */
function requestHeaders(options: ProviderFetchOptions): Record<string, string> {
  // jose hands a `Headers`, openid-client a record.
  const headers = isA<Headers>(options.headers, 'Headers') ? Object.fromEntries(options.headers.entries()) : { ...options.headers };
  const hasType = Object.keys(headers).some((name) => name.toLowerCase() === 'content-type');
  if (isA<URLSearchParams>(options.body, 'URLSearchParams') && !hasType)
    headers['content-type'] = 'application/x-www-form-urlencoded;charset=UTF-8';
  return headers;
}

function requestBody(body: CustomFetchOptions['body']): string | Uint8Array | undefined {
  if (body === null || body === undefined) return undefined;
  if (typeof body === 'string') return body;
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  if (isA<URLSearchParams>(body, 'URLSearchParams')) return body.toString();
  if (isA<ArrayBuffer>(body, 'ArrayBuffer')) return new Uint8Array(body);
  // Nothing of ours streams a request body.
  throw new TypeError('a streamed request body is not supported');
}

/** A class test that holds across realms (Jest's vm contexts have their own typed arrays). */
function isA<T>(value: unknown, tag: string): value is T {
  return Object.prototype.toString.call(value) === `[object ${tag}]`;
}
