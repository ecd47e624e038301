import type { CustomFetch, CustomFetchOptions } from 'openid-client';
import { NULL_BODY_STATUSES } from './null-body-statuses.js';
import { ResponseTooLargeError } from './response-too-large.error.js';

/** What openid-client and jose hand a custom fetch (jose passes a `Headers`, openid-client a record). */
export type ProviderFetchOptions = Omit<CustomFetchOptions, 'headers' | 'body'> & {
  headers: Record<string, string> | Headers;
  body?: CustomFetchOptions['body'];
};

/** The fetch of one provider's calls but the form POSTs (`ProviderHttp`): openid-client's and jose's (JWKS). */
export type ProviderFetch = (url: string, options: ProviderFetchOptions) => Promise<Response>;

/**
 * `transport` (mutual TLS, a test's, or the global fetch) with the answer read into memory up to
 * `maxBytes`. The body is counted as it streams, so an answer without Content-Length (chunked) is
 * stopped too; past the cap the stream is cancelled and `ResponseTooLargeError` thrown. The
 * answer handed back is a fresh global `Response` over the bytes read.
 */
export function cappedFetch(transport: CustomFetch | undefined, maxBytes: number): ProviderFetch {
  return async (url, options) => {
    const headers = options.headers instanceof Headers ? Object.fromEntries(options.headers.entries()) : options.headers;
    const response = transport
      ? await transport(url, { ...options, headers, body: options.body })
      : // FetchBody and the DOM's BodyInit differ only in how they spell byte arrays.
        await fetch(url, { ...options, headers, body: options.body as BodyInit | null | undefined });
    const body = await readCapped(response, maxBytes);
    return new Response(NULL_BODY_STATUSES.has(response.status) ? null : body, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}

/** The whole body, or `ResponseTooLargeError` as soon as it passes `maxBytes` (the rest is never read). */
export async function readCapped(response: Response, maxBytes: number): Promise<Uint8Array<ArrayBuffer>> {
  if (!response.body) return new Uint8Array();
  const declared = Number(response.headers.get('content-length'));
  const reader = response.body.getReader();
  if (declared > maxBytes) return refuse(reader, maxBytes);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) return refuse(reader, maxBytes);
    chunks.push(value);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

/** Cancelling the stream closes the connection: the provider stops sending. */
async function refuse(reader: ReadableStreamDefaultReader<Uint8Array>, maxBytes: number): Promise<never> {
  await reader.cancel().catch(() => undefined);
  throw new ResponseTooLargeError(maxBytes);
}
