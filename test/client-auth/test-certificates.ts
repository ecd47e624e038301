import { execFile } from 'node:child_process';
import { X509Certificate, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** One certificate with its key, as PEM text and as the files the BFF config points at. */
export interface IssuedCertificate {
  certPath: string;
  keyPath: string;
  cert: string;
  key: string;
  /** SHA-256 fingerprint as Node prints it (`AA:BB:...`), for `getPeerCertificate().fingerprint256`. */
  fingerprint256: string;
}

/** A throw-away PKI in a temp folder: a CA, a server certificate for 127.0.0.1 and client certificates. */
export interface TestPki {
  dir: string;
  ca: IssuedCertificate;
  server: IssuedCertificate;
  issueClient(name: string): Promise<IssuedCertificate>;
  remove(): Promise<void>;
}

/**
 * Node can parse certificates but not make them, so the test PKI is made with the `openssl`
 * command (OpenSSL 3). EC P-256 keys keep it fast; everything lives two days at most.
 */
export async function createTestPki(): Promise<TestPki> {
  const dir = await mkdtemp(join(tmpdir(), 'ciba-mtls-'));
  const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  const ca = join(dir, 'ca');
  await openssl([
    'req',
    '-x509',
    ...ecKey,
    '-keyout',
    `${ca}.key`,
    '-out',
    `${ca}.crt`,
    '-days',
    '2',
    '-subj',
    '/CN=CIBA BFF test CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);

  const issue = async (name: string, subject: string, extensions: string): Promise<IssuedCertificate> => {
    const base = join(dir, name);
    await openssl(['req', ...ecKey, '-keyout', `${base}.key`, '-out', `${base}.csr`, '-subj', subject]);
    await writeFile(`${base}.ext`, extensions);
    await openssl([
      'x509',
      '-req',
      '-in',
      `${base}.csr`,
      '-CA',
      `${ca}.crt`,
      '-CAkey',
      `${ca}.key`,
      '-set_serial',
      `0x${randomBytes(8).toString('hex')}`,
      '-days',
      '2',
      '-extfile',
      `${base}.ext`,
      '-out',
      `${base}.crt`,
    ]);
    return load(base);
  };

  return {
    dir,
    ca: await load(ca),
    server: await issue('server', '/CN=localhost', 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n'),
    issueClient: (name) => issue(`client-${name}`, `/CN=${name}/O=CIBA BFF test`, 'extendedKeyUsage=clientAuth\n'),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

async function load(base: string): Promise<IssuedCertificate> {
  const cert = await readFile(`${base}.crt`, 'utf8');
  return {
    certPath: `${base}.crt`,
    keyPath: `${base}.key`,
    cert,
    key: await readFile(`${base}.key`, 'utf8'),
    fingerprint256: new X509Certificate(cert).fingerprint256,
  };
}

async function openssl(args: string[]): Promise<void> {
  try {
    await run('openssl', args);
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(`openssl ${args[0]} failed: ${stderr.trim() || String(error)}`, { cause: error });
  }
}
