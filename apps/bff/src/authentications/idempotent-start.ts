import { setTimeout as delay } from 'node:timers/promises';
import { Inject, Injectable } from '@nestjs/common';
import { CibaError, ErrorCode, invalidRequest, type Authentication } from '@ciba/ciba';
import { IdempotencyRepository, type Keyring } from '@ciba/store';
import { KEYRING } from '../tokens.js';
import { PROBLEM_TYPES } from '../http/problem-types.js';
import { AuthenticationsService } from './authentications.service.js';
import type { Caller } from './caller.js';
import type { StartAuthenticationDto } from './dto/start-authentication.dto.js';
import { fingerprint, sameFingerprint } from './start-request.js';

/** How long a repeat waits for the first request with its key to finish. */
const WAIT_FOR_FIRST_MS = 15_000;
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/**
 * `Idempotency-Key` (API.md §4): the same key and body return the first answer and call the
 * provider once; the same key with another body is a 409. Answers that say "try again" (5xx)
 * are not remembered, so a retry after an outage really retries.
 */
@Injectable()
export class IdempotentStart {
  constructor(
    @Inject(IdempotencyRepository) private readonly idempotency: IdempotencyRepository,
    @Inject(AuthenticationsService) private readonly authentications: AuthenticationsService,
    @Inject(KEYRING) private readonly keyring: Keyring,
  ) {}

  async start(caller: Caller, dto: StartAuthenticationDto, given: string | undefined): Promise<Authentication> {
    if (given === undefined) return this.authentications.start(caller, dto);
    if (!KEY_PATTERN.test(given)) throw invalidRequest('Idempotency-Key must be 1-255 printable ASCII characters.');
    const { consumer } = caller;
    const key = scopedKey(caller, given);
    const print = fingerprint(dto, this.keyring);
    const existing = await this.idempotency.claim(consumer.id, key, print);
    if (existing) return this.replay(caller, dto, given, print);
    try {
      const record = await this.authentications.start(caller, dto);
      await this.idempotency.finish(consumer.id, key, { state: 'created', fingerprint: print, id: record.id });
      return record;
    } catch (error) {
      if (error instanceof CibaError && PROBLEM_TYPES[error.code].status < 500) {
        await this.idempotency.finish(consumer.id, key, {
          state: 'refused',
          fingerprint: print,
          status: PROBLEM_TYPES[error.code].status,
          problem: { code: error.code, detail: error.message, ...error.extensions },
        });
      } else {
        await this.idempotency.release(consumer.id, key);
      }
      throw error;
    }
  }

  private async replay(caller: Caller, dto: StartAuthenticationDto, given: string, print: string): Promise<Authentication> {
    const deadline = Date.now() + WAIT_FOR_FIRST_MS;
    for (;;) {
      const entry = await this.idempotency.read(caller.consumer.id, scopedKey(caller, given));
      if (!entry) return this.start(caller, dto, given); // the first attempt was released: try afresh
      if (entry.fingerprint !== print && !sameFingerprint(entry.fingerprint, dto, this.keyring)) {
        throw new CibaError(ErrorCode.IdempotencyConflict, 'This Idempotency-Key was used with a different request body.');
      }
      if (entry.state === 'created') return this.authentications.get(caller, entry.id);
      if (entry.state === 'refused') {
        const { code, detail, ...extensions } = entry.problem as { code: ErrorCode; detail: string };
        throw new CibaError(code, detail, extensions);
      }
      if (Date.now() > deadline) {
        throw new CibaError(
          ErrorCode.IdempotencyConflict,
          'The first request with this Idempotency-Key is still being processed; retry shortly.',
        );
      }
      // Waiting on another replica's request: a short poll of its entry is the simplest correct wait.
      await delay(100);
    }
  }
}

/**
 * The key as stored, within the consumer's scope: an agent's keys are their own, so two agents of
 * the console (one consumer) who happen to send the same Idempotency-Key never get each other's
 * answer. A given key is printable ASCII (KEY_PATTERN), so it cannot contain the NUL that
 * separates the agent's subject, and a Bearer caller's key never equals an agent's.
 */
function scopedKey(caller: Caller, given: string): string {
  return caller.agent ? `agent\u0000${caller.agent.subject}\u0000${given}` : given;
}
