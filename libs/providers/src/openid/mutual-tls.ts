import { readFileSync } from 'node:fs';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { createSecureContext, rootCertificates } from 'node:tls';
import { ConfigError, type ProviderConfig } from '@ciba/config';
import type { CustomFetch } from 'openid-client';
import { Agent, fetch as undiciFetch, type RequestInit as UndiciRequestInit } from 'undici';
import { NULL_BODY_STATUSES } from '../http/null-body-statuses.js';

/** The PEM material of one provider's client certificate, read once at start-up. */
export interface MutualTlsMaterial {
  cert: string;
  key: string;
  /** Extra trusted CA certificates for the provider's server certificate (`clientAuth.ca`). */
  ca?: string;
}

/**
 * The fetch of a `tls_client_auth` provider (RFC 8705 §2): every request to it presents the
 * configured client certificate in the TLS handshake. Returns undefined for other methods.
 *
 * The npm `undici` package's own `fetch` is used with its own `Agent`: handing an npm undici
 * dispatcher to Node's built-in fetch breaks whenever the two undici versions drift apart.
 */
export function mutualTlsFetchFor(provider: ProviderConfig): CustomFetch | undefined {
  if (provider.clientAuth.method !== 'tls_client_auth') return undefined;
  return mutualTlsFetch(readMutualTlsMaterial(provider));
}

/**
 * Reads `clientAuth.cert`, `clientAuth.key` and `clientAuth.ca` (PEM file paths, relative to the
 * working directory) and checks that they parse and that the key belongs to the certificate, so
 * a wrong path fails the start-up instead of the first authentication.
 */
export function readMutualTlsMaterial(provider: ProviderConfig): MutualTlsMaterial {
  const path = `providers.${provider.id}`;
  const problems: string[] = [];
  const read = (key: string, file: unknown): string | undefined => {
    if (typeof file !== 'string' || file.trim() === '') {
      problems.push(`${path}.${key}: ${key === 'clientAuth.ca' ? 'must be' : 'required for tls_client_auth:'} a PEM file path`);
      return undefined;
    }
    try {
      return readFileSync(file, 'utf8');
    } catch (error) {
      problems.push(`${path}.${key}: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
      return undefined;
    }
  };
  const cert = read('clientAuth.cert', provider.clientAuth.cert);
  const key = read('clientAuth.key', provider.clientAuth.key);
  const caPath = provider.clientAuth.ca;
  const ca = caPath === undefined ? undefined : read('clientAuth.ca', caPath);

  if (cert !== undefined) parseOrReport(problems, `${path}.clientAuth.cert`, 'not a PEM certificate', () => new X509Certificate(cert));
  if (key !== undefined)
    parseOrReport(problems, `${path}.clientAuth.key`, 'not an unencrypted PEM private key', () => createPrivateKey(key));
  if (ca !== undefined) parseOrReport(problems, `${path}.clientAuth.ca`, 'not a PEM certificate', () => new X509Certificate(ca));
  if (problems.length === 0 && cert !== undefined && key !== undefined) {
    // OpenSSL refuses a key that does not match the certificate ("key values mismatch").
    parseOrReport(problems, `${path}.clientAuth.key`, `does not belong to the certificate in ${provider.clientAuth.cert}`, () =>
      createSecureContext({ cert, key }),
    );
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return { cert: cert!, key: key!, ca };
}

/** A CustomFetch over its own undici Agent that presents `material` on every TLS connection. */
export function mutualTlsFetch(material: MutualTlsMaterial): CustomFetch {
  const agent = new Agent({
    connect: {
      cert: material.cert,
      key: material.key,
      // A given CA is added to Node's default roots, not put in their place.
      ...(material.ca === undefined ? {} : { ca: [...rootCertificates, material.ca] }),
    },
  });
  return async (url, options) => {
    const response = await undiciFetch(url, {
      method: options.method,
      headers: options.headers,
      body: options.body as UndiciRequestInit['body'],
      signal: options.signal,
      // Never follow: a redirect would hand the request (and our certificate) to another host,
      // and openid-client treats a 3xx as the error it is.
      redirect: 'manual',
      dispatcher: agent,
    });
    // openid-client and our failure classifier check `instanceof Response` against the global
    // class; undici's own Response is a different one, so hand back a global Response.
    return new Response(NULL_BODY_STATUSES.has(response.status) ? null : (response.body as ReadableStream<Uint8Array> | null), {
      status: response.status,
      statusText: response.statusText,
      headers: [...response.headers.entries()],
    });
  };
}

function parseOrReport(problems: string[], where: string, what: string, parse: () => unknown): void {
  try {
    parse();
  } catch {
    problems.push(`${where}: ${what}`);
  }
}
