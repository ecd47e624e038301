import type { ProviderConfig } from '@ciba/config';
import type { AuthenticationRepository, Claim } from '@ciba/store';
import pino from 'pino';
import { PollLoop } from './poll-loop.js';
import type { PollService } from './poll.service.js';

/**
 * The loop's claims, over a fake repository: a claim that got no answer (its reply may have been
 * lost after Redis ran it) is tried again under the same token, so CLAIM_DUE hands back what it
 * took; any other outcome starts a new claim. (CLAIM_DUE itself: claim-due.spec.ts and
 * lost-replies.spec.ts, against Redis.)
 */
describe('PollLoop claims', () => {
  const provider = { id: 'sandbox', pollConcurrency: 5, httpTimeoutSeconds: 10 } as ProviderConfig;

  /** Runs the loop over `answers` (one per claim: a claim or an error to throw), and returns the tokens it claimed with. */
  async function tokensFor(answers: (Claim | Error)[]): Promise<string[]> {
    const tokens: string[] = [];
    const repository = {
      async claimDue(_provider: string, _now: number, _leaseUntil: number, _limit: number, token: string): Promise<Claim> {
        tokens.push(token);
        const answer = answers[tokens.length - 1];
        if (answer instanceof Error) throw answer;
        return answer;
      },
    } as unknown as AuthenticationRepository;
    const loop = new PollLoop(repository, {} as PollService, pino({ level: 'silent' }));
    await loop.run(provider, () => tokens.length < answers.length);
    return tokens;
  }

  const nothing: Claim = { ids: [], nextDueAt: null };

  it('tries a claim that got no answer again under the same token', async () => {
    const [first, retried, next] = await tokensFor([new Error('Connection is closed.'), nothing, nothing]);
    expect(retried).toBe(first);
    expect(next).not.toBe(first);
  });

  it('names every answered claim anew, and a claim that failed for another reason too', async () => {
    const tokens = await tokensFor([nothing, new Error('a bug'), nothing]);
    expect(new Set(tokens).size).toBe(3);
  });
});
