import { randomBytes } from 'node:crypto';
import * as client from 'openid-client';
import { observationOf, type ClientObservation } from '../driver/client-observation.js';
import { forEachBounded } from '../support/bounded.js';
import { now, sleep } from '../support/clock.js';
import { warmUpHint } from '../support/login-hints.js';
import { BASELINE_SETTINGS_VARIABLE, type BaselineMessage, type BaselineSettings } from './baseline-settings.js';

/**
 * The baseline: what a team without the BFF would write. One plain Node process that starts each
 * authentication with openid-client's `initiateBackchannelAuthentication` and waits for it with
 * `pollBackchannelAuthenticationGrant` (which polls in-process at the acknowledged interval),
 * with openid-client's defaults (it validates the ID Token's claims but, unlike the BFF, not its
 * signature, and stores nothing). Discovery happens before the measured phase; the parent sends
 * "go", and gets every observation back over IPC.
 */
const send = (message: BaselineMessage) => process.send!(message);

async function main(): Promise<void> {
  // A clean exit on SIGTERM, so that --cpu-prof can write its profile.
  process.once('SIGTERM', () => process.exit(0));
  const settings = JSON.parse(process.env[BASELINE_SETTINGS_VARIABLE] ?? '') as BaselineSettings;
  const config = await client.discovery(
    new URL(settings.issuer),
    settings.clientId,
    undefined,
    client.ClientSecretBasic(settings.clientSecret),
    {
      execute: [client.allowInsecureRequests],
    },
  );
  await warmUp(config, settings);
  await new Promise<void>((resolve) => {
    process.once('message', () => resolve());
    send({ type: 'ready' });
  });
  const observations: ClientObservation[] = [];
  const waits: Promise<void>[] = [];
  const progress = { created: 0, finished: 0 };
  const ticker = setInterval(() => send({ type: 'progress', ...progress }), 250);
  await forEachBounded(
    settings.count,
    settings.concurrency,
    async (index) => {
      const observation = observationOf(index);
      observations.push(observation);
      let ack: client.BackchannelAuthenticationResponse;
      try {
        ack = await client.initiateBackchannelAuthentication(config, {
          scope: 'openid',
          login_hint: observation.loginHint,
          // The BFF sends a generated binding message too; keep the requests alike.
          binding_message: bindingMessage(),
        });
        observation.startAnsweredAt = now();
        progress.created += 1;
      } catch (error) {
        observation.startAnsweredAt = now();
        observation.status = `error:start_${errorCode(error)}`;
        progress.finished += 1;
        return;
      }
      waits.push(
        client.pollBackchannelAuthenticationGrant(config, ack).then(
          () => {
            observation.seenAt = now();
            observation.status = 'approved';
            progress.finished += 1;
          },
          (error: unknown) => {
            observation.seenAt = now();
            observation.status = `error:poll_${errorCode(error)}`;
            progress.finished += 1;
          },
        ),
      );
    },
    settings.startsPerSecond,
  );
  await Promise.all(waits);
  clearInterval(ticker);
  send({ type: 'done', observations });
}

/**
 * Warmed up like the BFF (RunSettings.warmUp): each warm-up authentication is started and polled
 * and its loop is aborted `warmUpPollingMs` after the last start, long before the provider approves it.
 */
async function warmUp(config: client.Configuration, settings: BaselineSettings): Promise<void> {
  const stop = new AbortController();
  const { signal } = stop;
  // Failures are collected, not rejected: a loop that fails during the wait is no unhandled rejection.
  const failures: string[] = [];
  const loops: Promise<void>[] = [];
  await forEachBounded(settings.warmUp, settings.concurrency, async (index) => {
    const ack = await client.initiateBackchannelAuthentication(config, {
      scope: 'openid',
      login_hint: warmUpHint(index),
      binding_message: bindingMessage(),
    });
    loops.push(
      client.pollBackchannelAuthenticationGrant(config, ack, undefined, { signal }).then(
        () => void failures.push('a warm-up authentication was approved: the approval delay is shorter than the warm-up'),
        (error: unknown) => void (signal.aborted || failures.push(errorCode(error))),
      ),
    );
  });
  await sleep(settings.warmUpPollingMs);
  stop.abort();
  await Promise.all(loops);
  if (failures.length > 0) throw new Error(`warm-up: ${failures.length} of ${settings.warmUp} failed, first: ${failures[0]}`);
}

const bindingMessage = (): string => randomBytes(4).toString('hex').toUpperCase().slice(0, 6);

/** openid-client's errors carry the OAuth `error` or a `code`; anything else is named by its class. */
function errorCode(error: unknown): string {
  const value = error as { error?: unknown; code?: unknown; name?: unknown };
  const first = [value.error, value.code, value.name].find((item) => typeof item === 'string');
  return typeof first === 'string' ? first : 'unknown';
}

main().catch((error: unknown) => {
  send({ type: 'failed', error: (error as Error).stack ?? String(error) });
  process.exitCode = 1;
});
