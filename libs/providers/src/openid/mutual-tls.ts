import { readFileSync } from 'node:fs';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { createSecureContext, rootCertificates } from 'node:tls';
import { ConfigError, type ProviderConfig } from '@ciba/config';
import type { ConnectionSettings } from '../http/pooled-transport.js';

/** The PEM material of one provider's client certificate, read once at start-up. */
export interface MutualTlsMaterial {
  cert: string;
  key: string;
  /** Extra trusted CA certificates for the provider's server certificate (`clientAuth.ca`). */
  ca?: string;
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

/**
 * The TLS options of every connection to a `tls_client_auth` provider (RFC 8705 §2): the client
 * certificate is presented in each handshake. A given CA is added to Node's default roots, not
 * put in their place.
 */
export function mutualTlsConnection(material: MutualTlsMaterial): ConnectionSettings['tls'] {
  return { cert: material.cert, key: material.key, ...(material.ca === undefined ? {} : { ca: [...rootCertificates, material.ca] }) };
}

function parseOrReport(problems: string[], where: string, what: string, parse: () => unknown): void {
  try {
    parse();
  } catch {
    problems.push(`${where}: ${what}`);
  }
}
