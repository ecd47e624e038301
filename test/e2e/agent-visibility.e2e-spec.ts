import { ErrorCode, type CibaError } from '@ciba/ciba';
import type { ConsumerConfig } from '@ciba/config';
import type { SignedInAgent } from '../../apps/bff/src/agents/signed-in-agent.js';
import { AuditController } from '../../apps/bff/src/audit/audit.controller.js';
import { AuthenticationsService } from '../../apps/bff/src/authentications/authentications.service.js';
import type { Caller } from '../../apps/bff/src/authentications/caller.js';
import type { StartAuthenticationDto } from '../../apps/bff/src/authentications/dto/start-authentication.dto.js';
import { IdempotentStart } from '../../apps/bff/src/authentications/idempotent-start.js';
import { StatusWaiter } from '../../apps/bff/src/delivery/status-waiter.js';
import { UserCodeService } from '../../apps/bff/src/authentications/user-code.service.js';
import type { AuthenticatedRequest } from '../../apps/bff/src/consumers/api-key.guard.js';
import { startStack, type Stack } from '../support/bff-stack.js';

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (error: unknown) => error as CibaError,
  );

/**
 * What a console agent may see and do (API.md §7), against a real Redis and the real sandbox.
 * The cookie sign-in that attaches `request.agent` is another piece of work: until it exists,
 * the services and the audit route are called here with the caller the guard will build.
 */
describe('agents see and act on only what they started; supervisors on all of the consumer', () => {
  let stack: Stack;
  let portal: ConsumerConfig;
  let starter: IdempotentStart;
  let authentications: AuthenticationsService;
  const agent = (subject: string, supervisor = false): SignedInAgent => ({
    subject,
    name: `Agent ${subject}`,
    roles: supervisor ? ['ciba-agent', 'ciba-supervisor'] : ['ciba-agent'],
    supervisor,
  });
  let [ana, ben, sara]: Caller[] = [];
  const body = (loginHint: string) => ({ provider: 'sandbox', loginHint }) as StartAuthenticationDto;

  beforeAll(async () => {
    stack = await startStack({ configure: (tree) => (tree.consumers.portal.admin = true) });
    portal = stack.config.consumers.get('portal')!;
    [ana, ben, sara] = [agent('ana'), agent('ben'), agent('sara', true)].map((signedIn) => ({ consumer: portal, agent: signedIn }));
    starter = stack.bff!.app.get(IdempotentStart);
    authentications = stack.bff!.app.get(AuthenticationsService);
  });
  afterAll(async () => {
    await stack?.close();
  });

  it("records the agent as initiator, and answers another agent's reads and actions with 404 not_found", async () => {
    const started = await starter.start(ana, body('alice'), undefined);
    expect(started.initiatedBy).toStrictEqual({ type: 'agent', subject: 'ana', name: 'Agent ana' });
    expect((await authentications.view(ana, started.id)).initiatedBy).toEqual(started.initiatedBy);
    expect((await authentications.view(sara, started.id)).id).toBe(started.id);
    // The consumer's own service (its API key) sees it too, with who started it.
    expect((await stack.portal.get(started.id)).body!.initiatedBy).toEqual({ type: 'agent', subject: 'ana', name: 'Agent ana' });

    const waiter = stack.bff!.app.get(StatusWaiter);
    const denied = await Promise.all([
      refusal(authentications.view(ben, started.id)),
      refusal(authentications.get(ben, started.id)),
      refusal(waiter.waitForChange(ben, started.id, undefined, 1, new AbortController().signal)),
      refusal(stack.bff!.app.get(UserCodeService).submit(ben, started.id, '483920')),
      refusal(authentications.cancel(ben, started.id)),
    ]);
    expect(denied.map((error) => error?.code)).toEqual(Array(5).fill(ErrorCode.NotFound));
    // Exactly as for an unknown id.
    const unknown = await refusal(authentications.view(ben, '01JD6V6R3C9T1X3J8N4W2Q5K7M'));
    expect(denied.map((error) => error!.message)).toEqual(Array(5).fill(unknown!.message));

    expect((await authentications.cancel(sara, started.id)).status).toBe('cancelled');
  });

  it('a plain agent sees none of the authentications the consumer started with its key', async () => {
    const start = await stack.portal.start({ provider: 'sandbox', loginHint: 'bob' });
    expect((await refusal(authentications.view(ana, start.body!.id)))?.code).toBe(ErrorCode.NotFound);
    expect((await authentications.view(sara, start.body!.id)).initiatedBy).toEqual({ type: 'consumer', id: 'portal' });
    await stack.portal.cancel(start.body!.id);
  });

  it("pending_exists: another agent learns that the customer is busy, not the other's id; idempotency keys are per agent", async () => {
    const key = 'till-7/receipt-99';
    const first = await starter.start(ana, body('carol'), key);
    // Ana's repeat is the same authentication; Ben's same key is his own request, refused without Ana's id.
    expect((await starter.start(ana, body('carol'), key)).id).toBe(first.id);
    const bens = await refusal(starter.start(ben, body('carol'), key));
    expect([bens?.code, bens?.extensions]).toEqual([ErrorCode.PendingExists, {}]);
    const ownAgain = await refusal(starter.start(ana, body('carol'), undefined));
    expect([ownAgain?.code, ownAgain?.extensions]).toEqual([ErrorCode.PendingExists, { pendingId: first.id }]);
    const supervisors = await refusal(starter.start(sara, body('carol'), undefined));
    expect(supervisors?.extensions).toEqual({ pendingId: first.id });
    const overHttp = await stack.portal.start({ provider: 'sandbox', loginHint: 'carol' }, { 'Idempotency-Key': key });
    expect([overHttp.status, overHttp.body!.code, overHttp.body!.pendingId]).toEqual([409, 'pending_exists', first.id]);

    await authentications.cancel(ana, first.id);
    // Ben's refusal was remembered under his key, not Ana's answer.
    expect((await refusal(starter.start(ben, body('carol'), key)))?.code).toBe(ErrorCode.PendingExists);
  });

  it("the audit trail: a supervisor reads the consumer's events only, a plain agent nothing even for an admin consumer", async () => {
    const since = new Date().toISOString();
    const mine = await starter.start(ana, body('dave'), undefined);
    await authentications.cancel(ana, mine.id);
    const theirs = await stack.other.start({ provider: 'sandbox', loginHint: 'dave' });
    await stack.other.cancel(theirs.body!.id);

    const audit = stack.bff!.app.get(AuditController);
    const request = (caller: Caller) => ({ ...caller }) as AuthenticatedRequest;
    const page = await audit.read(request(sara), since, undefined, '500');
    expect(page.items.length).toBeGreaterThan(0);
    expect(page.items.every((item) => item.consumer === 'portal')).toBe(true);
    const byAna = { type: 'agent', subject: 'ana', name: 'Agent ana' };
    expect(page.items.filter((item) => item.authenticationId === mine.id).map((item) => [item.event, item.initiatedBy])).toEqual([
      ['ciba.start', byAna],
      ['ciba.finished', byAna],
      ['ciba.cancel', byAna],
    ]);
    expect((await refusal(audit.read(request(ana), since)))?.code).toBe(ErrorCode.NotFound);

    // The admin consumer's key still reads every consumer's events.
    const all = await stack.portal.request('GET', `/v1/audit?from=${encodeURIComponent(since)}&limit=500`);
    expect(all.body!.items).toContainEqual(
      expect.objectContaining({ authenticationId: theirs.body!.id, initiatedBy: { type: 'consumer', id: 'other' } }),
    );
  });
});
