import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startRedisServer, type RunningRedisServer } from '@ciba/embedded-redis';
import { Redis } from 'ioredis';
import { sha256 } from '../support/bff-stack.js';
import { writeConfigFile } from '../support/worker-process.js';

const ENTRY = join(process.cwd(), 'dist/apps/bff/src/main.js');

/** Runs the compiled BFF until it exits; start-up failures must exit by themselves. */
function runBff(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run "npm run build" first (npm test does)`);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [ENTRY], {
      env: { PATH: process.env.PATH ?? '', PORT: '0', LOG_LEVEL: 'silent', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}

const validTree = () => ({
  providers: {
    sandbox: { issuer: 'https://op.example.com', clientId: 'bff', clientAuth: { method: 'client_secret_basic', secret: '${OP_SECRET}' } },
  },
  consumers: { portal: { apiKeySha256: sha256('k'), providers: ['sandbox'] } },
});
const KEY = Buffer.alloc(32, 7).toString('base64');

describe('start-up refuses what would lose data, and says why', () => {
  let redis: RunningRedisServer;

  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('a wrong key in the configuration: exit 1 with the key path, no stack trace', async () => {
    const tree = validTree();
    (tree.providers.sandbox.clientAuth as { method: string }).method = 'magic';
    const { code, stderr } = await runBff({
      CIBA_CONFIG: writeConfigFile(tree),
      OP_SECRET: 's',
      CIBA_ENCRYPTION_KEY: KEY,
      REDIS_URL: redis.url,
    });
    expect(code).toBe(1);
    expect(stderr).toContain('providers.sandbox.clientAuth.method');
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('a missing ${NAME} variable is named', async () => {
    const { code, stderr } = await runBff({ CIBA_CONFIG: writeConfigFile(validTree()), CIBA_ENCRYPTION_KEY: KEY, REDIS_URL: redis.url });
    expect(code).toBe(1);
    expect(stderr).toContain('environment variable OP_SECRET is not set');
  });

  it('outside the sandbox the encryption key is required', async () => {
    const { code, stderr } = await runBff({ CIBA_CONFIG: writeConfigFile(validTree()), OP_SECRET: 's', REDIS_URL: redis.url });
    expect(code).toBe(1);
    expect(stderr).toContain('CIBA_ENCRYPTION_KEY: required');
  });

  it('a Redis that may evict keys is refused', async () => {
    const admin = new Redis(redis.url);
    await admin.config('SET', 'maxmemory-policy', 'allkeys-lru');
    admin.disconnect();
    const { code, stderr } = await runBff({
      CIBA_CONFIG: writeConfigFile(validTree()),
      OP_SECRET: 's',
      CIBA_ENCRYPTION_KEY: KEY,
      REDIS_URL: redis.url,
    });
    expect(code).toBe(1);
    expect(stderr).toContain('maxmemory-policy is "allkeys-lru"; it must be "noeviction"');
  });
});
