import { randomBytes } from 'node:crypto';
import * as client from 'openid-client';
import type { ClientObservation } from '../driver/client-observation.js';
import { forEachBounded } from '../support/bounded.js';
import { now } from '../support/clock.js';
import { loginHint } from '../support/login-hints.js';
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
  await new Promise<void>((resolve) => {
    process.once('message', () => resolve());
    send({ type: 'ready' });
  });
  const observations: ClientObservation[] = [];
  const waits: Promise<void>[] = [];
  const progress = { created: 0, finished: 0 };
  const ticker = setInterval(() => send({ type: 'progress', ...progress }), 250);
  await forEachBounded(settings.count, settings.concurrency, async (index) => {
    const observation: ClientObservation = {
      loginHint: loginHint(index),
      startSentAt: now(),
      startAnsweredAt: 0,
      status: '',
      seenAt: null,
    };
    observations.push(observation);
    let ack: client.BackchannelAuthenticationResponse;
    try {
      ack = await client.initiateBackchannelAuthentication(config, {
        scope: 'openid',
        login_hint: observation.loginHint,
        // The BFF sends a generated binding message too; keep the requests alike.
        binding_message: randomBytes(4).toString('hex').toUpperCase().slice(0, 6),
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
  });
  await Promise.all(waits);
  clearInterval(ticker);
  send({ type: 'done', observations });
}

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
