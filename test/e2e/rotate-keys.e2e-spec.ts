import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { findFreePort } from '@ciba/embedded-redis';
import { Keyring } from '@ciba/store';
import { Redis } from 'ioredis';
import { startBff, type RunningBff } from '../../apps/bff/src/bff.app.js';
import { createLogger } from '../../apps/bff/src/logging/logger.js';
import { startStack, type Stack } from '../support/bff-stack.js';
import { ConsumerClient } from '../support/consumer-client.js';
import { writeConfigFile } from '../support/worker-process.js';

const ENTRY = join(process.cwd(), 'dist/apps/bff/src/cli/rotate-keys.main.js');
const ENCRYPTED = ['authReqId', 'customer', 'result'];

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The compiled command, as an operator runs it (`npm run rotate-keys`). */
async function rotateKeys(env: Record<string, string>): Promise<Run> {
  if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run "npm run build" first (npm test does)`);
  // REDIS_URL and CIBA_CONFIG of the test run itself must not leak into the command.
  const child = spawn(process.execPath, [ENTRY], {
    env: { ...process.env, REDIS_URL: '', CIBA_CONFIG: '', CIBA_ENCRYPTION_KEY: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  return { code, stdout, stderr };
}

describe('npm run rotate-keys against a running stack', () => {
  let stack: Stack;
  let rotated: RunningBff | undefined;
  let configFile: string;
  const newKey = randomBytes(32).toString('base64');

  beforeAll(async () => {
    if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run "npm run build" first (npm test does)`);
    stack = await startStack();
    configFile = writeConfigFile(stack.configTree);
  });
  afterAll(async () => {
    await rotated?.close();
    await stack?.close();
  });

  it('re-encrypts an approved authentication so that a BFF with only the new key serves it intact', async () => {
    const start = await stack.portal.start({ provider: 'sandbox', loginHint: 'alice', bindingMessage: 'ROT8-0001' });
    expect(start.status).toBe(201);
    await stack.sandbox.approve((await stack.sandbox.waitForRequest('alice')).id);
    const before = await stack.portal.waitForStatusChange(start.body!.id, 'pending');
    expect(before.body).toMatchObject({ status: 'approved', error: null });
    const alice = stack.sandbox.customers.find((customer) => customer.username === 'alice')!;
    expect(before.body!.result.claims).toMatchObject({ sub: alice.sub, personal_number: alice.personalNumber });

    const redis = new Redis(stack.redis.url);
    const recordKey = `${stack.redis.prefix}:auth:${start.body!.id}`;
    const expiry = Number(await redis.call('PEXPIRETIME', recordKey));
    const kids = async () => (await redis.hmget(recordKey, ...ENCRYPTED)).map((value) => value?.split('.')[1]);
    expect(await kids()).toEqual(ENCRYPTED.map(() => 'k0'));
    // The stack's BFF wrote with its only key, which Keyring names "k0"; the new key is "k1".
    const run = await rotateKeys({
      CIBA_CONFIG: configFile,
      REDIS_URL: stack.redis.url,
      CIBA_ENCRYPTION_KEY: `k1:${newKey},${stack.encryptionKey}`,
    });

    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const summary = JSON.parse(lines[0]);
    expect(summary).toMatchObject({ event: 'ciba.keys_rotated', writeKid: 'k1', formerKids: ['k0'], scanned: 1, rotatedRecords: 1 });
    expect(summary).toMatchObject({ skipped: 0, failed: 0 });
    expect(summary.rotatedFields).toBeGreaterThanOrEqual(ENCRYPTED.length);
    expect(run.stdout).not.toContain(alice.personalNumber);
    expect(await kids()).toEqual(ENCRYPTED.map(() => 'k1'));
    expect(Number(await redis.call('PEXPIRETIME', recordKey))).toBe(expiry);
    redis.disconnect();

    rotated = await startBff({
      config: stack.config,
      keyring: Keyring.parse(`k1:${newKey}`),
      logger: createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'),
      redisUrl: stack.redis.url,
      role: 'api',
      port: 0,
      host: '127.0.0.1',
      sandbox: false,
    });
    const after = await new ConsumerClient(rotated.url, stack.keys.portal).get(start.body!.id);
    expect(after.status).toBe(200);
    expect(after.body).toMatchObject({ id: start.body!.id, status: 'approved', bindingMessage: 'ROT8-0001' });
    expect(after.body!.result).toEqual(before.body!.result);

    const again = await rotateKeys({ CIBA_CONFIG: configFile, REDIS_URL: stack.redis.url, CIBA_ENCRYPTION_KEY: `k1:${newKey}` });
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ scanned: 1, rotatedFields: 0, skipped: 0, failed: 0 });
  });

  it('stops with a clear message and no stack trace when REDIS_URL is missing', async () => {
    const run = await rotateKeys({ CIBA_CONFIG: configFile, CIBA_ENCRYPTION_KEY: `k1:${newKey}` });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('rotate-keys failed: Invalid configuration in the environment');
    expect(run.stderr).toContain('REDIS_URL: required');
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('stops with a clear message that names the bad key but never shows it', async () => {
    const short = randomBytes(16).toString('base64');
    const run = await rotateKeys({ CIBA_CONFIG: configFile, REDIS_URL: stack.redis.url, CIBA_ENCRYPTION_KEY: `k1:${newKey},old:${short}` });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('rotate-keys failed: CIBA_ENCRYPTION_KEY: key "old" must be 32 bytes');
    expect(run.stderr).not.toContain(short);
    expect(run.stderr).not.toContain(newKey);
  });

  it('stops with the cause when Redis cannot be reached, without printing its password', async () => {
    const port = await findFreePort();
    const run = await rotateKeys({
      CIBA_CONFIG: configFile,
      REDIS_URL: `redis://ops:hunter2@127.0.0.1:${port}`,
      CIBA_ENCRYPTION_KEY: `k1:${newKey}`,
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `rotate-keys failed: cannot connect to Redis at redis://ops:***@127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}\n`,
    );
  });
});
