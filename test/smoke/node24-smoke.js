// Start-and-approve smoke test of the compiled embedded app (what `npm start` runs) under the Node
// that runs this script: .ci/run runs it under Node 24 LTS taken from the npm registry, so a
// project that still builds and tests on Node 20 is proven to start and work on the LTS line
// the Docker image uses. Plain JavaScript on purpose: it needs no build of its own, only
// `npm run build` (dist/apps/embedded/src/main.js).
//
//   node test/smoke/node24-smoke.js
//
// It starts the app on free ports with its own redis-server child, starts an authentication for a
// demo customer with the demo API key the app prints, approves it through the sandbox's device
// API, sees `approved` through a long-poll, and stops the app with SIGTERM, which must end it.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const entry = join(root, 'dist/apps/embedded/src/main.js');
const READY_TIMEOUT_MS = 60_000;
const EXIT_TIMEOUT_MS = 30_000;
const CUSTOMER = 'alice';
const started = Date.now();

const say = (line) => process.stdout.write(`node24-smoke: ${line}\n`);
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer()
      .once('error', reject)
      .listen(0, '127.0.0.1', () => {
        const { port } = server.address();
        server.close(() => resolve(port));
      });
  });
}

/** Resolves with the app's output once `pattern` matches it; rejects when the app exits or time runs out. */
function waitForOutput(app, output, pattern, timeoutMs) {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (pattern.test(output.text)) finish(resolve, output.text);
    };
    const exited = (code, signal) => finish(reject, new Error(`the app exited (${signal ?? code}) before it was ready`));
    const timer = setTimeout(() => finish(reject, new Error(`not ready within ${timeoutMs / 1000} s`)), timeoutMs);
    const finish = (settle, value) => {
      clearTimeout(timer);
      app.stdout.off('data', check);
      app.off('exit', exited);
      settle(value);
    };
    app.stdout.on('data', check);
    app.once('exit', exited);
    check();
  });
}

function match(text, pattern, what) {
  const found = pattern.exec(text);
  if (!found) throw new Error(`the ready output has no ${what}`);
  return found[1];
}

async function call(url, init = {}) {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(45_000) });
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : JSON.parse(text) };
}

function expectStatus(answer, status, what) {
  if (answer.status !== status) throw new Error(`${what}: expected ${status}, got ${answer.status} ${JSON.stringify(answer.body)}`);
}

/** SIGTERM, then wait; a process that does not exit is killed with its whole group and reported. */
async function stop(app) {
  if (app.exitCode !== null || app.signalCode !== null) return { exited: true, code: app.exitCode, signal: app.signalCode };
  const exit = new Promise((resolve) => app.once('exit', (code, signal) => resolve({ exited: true, code, signal })));
  const sentAt = Date.now();
  app.kill('SIGTERM');
  let timer;
  const timeout = new Promise((resolve) => {
    timer = setTimeout(() => resolve({ exited: false }), EXIT_TIMEOUT_MS);
  });
  const outcome = await Promise.race([exit, timeout]);
  clearTimeout(timer);
  if (!outcome.exited) {
    // The app runs in its own process group (detached), its redis-server child included.
    try {
      process.kill(-app.pid, 'SIGKILL');
    } catch {
      // already gone
    }
    await exit;
    return { ...outcome, ms: Date.now() - sentAt };
  }
  // An orderly exit stops the redis-server child first: anything left in the group is a leak.
  let leftovers = false;
  try {
    process.kill(-app.pid, 'SIGKILL');
    leftovers = true;
  } catch {
    // nothing left: the expected case
  }
  return { ...outcome, leftovers, ms: Date.now() - sentAt };
}

async function main() {
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run npm run build first`);
  const [port, sandboxPort] = await Promise.all([freePort(), freePort()]);
  say(`node ${process.version}; starting ${entry.slice(root.length + 1)} on 127.0.0.1:${port} (sandbox ${sandboxPort})`);

  // Everything of this run on this machine: its own Redis child, the shipped sandbox config.
  const env = { ...process.env, PORT: String(port), SANDBOX_PORT: String(sandboxPort), HOST: '127.0.0.1', LOG_LEVEL: 'warn' };
  for (const name of ['REDIS_URL', 'CIBA_CONFIG', 'CIBA_ENCRYPTION_KEY', 'PUBLIC_BASE_URL', 'SANDBOX_CLIENT_SECRET', 'SANDBOX_ISSUER']) {
    delete env[name];
  }
  const app = spawn(process.execPath, [entry], { cwd: root, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = { text: '' };
  app.stdout.setEncoding('utf8').on('data', (chunk) => (output.text += chunk));
  app.stderr.setEncoding('utf8').on('data', (chunk) => (output.text += chunk));

  let failure;
  try {
    const ready = await waitForOutput(app, output, /Demo customers/, READY_TIMEOUT_MS);
    const apiKey = match(ready, /Demo API key\s+(\S+)/, 'demo API key');
    const deviceUrl = new URL(match(ready, /Device simulator\s+(\S+)/, 'device simulator URL'));
    const bff = new URL(match(ready, /API\s+(\S+)\/v1\/authentications/, 'API URL')).origin;
    say(`ready after ${elapsed()}`);

    const auth = { authorization: `Bearer ${apiKey}` };
    const bindingMessage = `N24-${process.pid}`;
    const start = await call(`${bff}/v1/authentications`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ provider: 'sandbox', loginHint: CUSTOMER, bindingMessage }),
    });
    expectStatus(start, 201, 'POST /v1/authentications');
    const id = start.body.id;
    say(`started authentication ${id} for ${CUSTOMER} (${start.body.status})`);

    // The backchannel request reached the sandbox before the 201: it is on the customer's "phone".
    const device = deviceUrl.origin;
    const pending = await call(`${device}/device/api/requests?customer=${CUSTOMER}`);
    expectStatus(pending, 200, 'GET /device/api/requests');
    const request = pending.body.find((item) => item.bindingMessage === bindingMessage);
    if (!request) throw new Error(`the sandbox shows no request with binding message ${bindingMessage}`);
    const approve = await call(`${device}/device/api/requests/${encodeURIComponent(request.id)}/approve`, { method: 'POST' });
    expectStatus(approve, 204, 'POST /device/api/requests/{id}/approve');

    // Long-poll: answers as soon as the status differs from `pending` (one poll interval at most).
    const result = await call(`${bff}/v1/authentications/${id}?wait=30&status=pending`, { headers: auth });
    expectStatus(result, 200, 'GET /v1/authentications/{id}?wait=30');
    if (result.body.status !== 'approved') throw new Error(`expected approved, got ${JSON.stringify(result.body)}`);
    say(`approved after ${elapsed()} (subject ${result.body.result?.subject})`);
  } catch (error) {
    failure = error;
  }

  const stopped = await stop(app);
  if (!stopped.exited) {
    failure ??= new Error(`the app did not exit within ${EXIT_TIMEOUT_MS / 1000} s of SIGTERM; its process group was killed`);
  } else if (!failure) {
    say(`exited (${stopped.signal ?? `code ${stopped.code}`}) ${stopped.ms} ms after SIGTERM`);
    if (stopped.code !== 0) failure = new Error(`the app exited with ${stopped.signal ?? `code ${stopped.code}`} after SIGTERM`);
    else if (stopped.leftovers) failure = new Error('the app exited but left processes of its group running (killed now)');
  }
  if (failure) {
    process.stderr.write(`node24-smoke: FAILED: ${failure.message}\n--- the app's output ---\n${output.text}\n`);
    process.exitCode = 1;
    return;
  }
  say(`passed in ${elapsed()}`);
}

await main();
