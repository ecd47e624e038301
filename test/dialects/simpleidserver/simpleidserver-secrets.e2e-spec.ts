import { dumpRedis } from './redis-text-dump.js';
import { startSidStack, type SidStack } from './simpleidserver-stack.js';

/**
 * SimpleIdServer's `user_code` is the customer's PASSWORD (seed 001). After full flows that carried
 * distinctive passwords (accepted and refused, with idempotency keys and their replays), neither
 * appears anywhere in Redis (our keys, BullMQ's keys, encrypted fields decrypted) nor in any line
 * the BFF logged at trace level, nor in any answer the consumer got.
 */
describe('SimpleIdServer: the password (userCode) is never stored, logged or echoed', () => {
  const PASSWORD = 'S3cret-Canary-9f2';
  const WRONG_PASSWORD = 'Wr0ng-Canary-7c1';
  let sid: SidStack;
  const answers: string[] = [];

  beforeAll(async () => {
    sid = await startSidStack([{ sub: 'canary-user', password: PASSWORD, claims: { name: 'Canary User' } }]);
  });
  afterAll(async () => {
    await sid?.close();
  });

  it('runs an approved flow and a refused one, each with an Idempotency-Key and a replay', async () => {
    const body = { provider: 'sid', loginHint: 'canary-user', userCode: PASSWORD, reference: 'canary-flow' };
    const start = await sid.portal.start(body, { 'idempotency-key': 'canary-approved' });
    expect(start.status).toBe(201);
    const replay = await sid.portal.start(body, { 'idempotency-key': 'canary-approved' });
    expect(replay).toMatchObject({ status: 201, body: { id: start.body!.id } });
    sid.server.approve((await sid.server.waitForRequest('canary-user')).authReqId);
    const done = await sid.portal.waitForStatusChange(start.body!.id, 'pending', 20);
    expect(done.body).toMatchObject({ status: 'approved', result: { subject: 'canary-user' } });

    const wrong = { provider: 'sid', loginHint: 'canary-user', userCode: WRONG_PASSWORD };
    const refused = await sid.portal.start(wrong, { 'idempotency-key': 'canary-refused' });
    expect(refused).toMatchObject({ status: 422, body: { code: 'invalid_user_code' } });
    const refusedAgain = await sid.portal.start(wrong, { 'idempotency-key': 'canary-refused' });
    expect(refusedAgain).toMatchObject({ status: 422, body: { code: 'invalid_user_code' } });
    answers.push(...[start, replay, done, refused, refusedAgain].map((answer) => JSON.stringify(answer.body)));

    // The passwords really went to the provider (else the scans below would prove nothing).
    const sent = sid.server.ledger.filter((entry) => entry.endpoint === 'bc-authorize').map((entry) => entry.params.user_code);
    expect(sent).toEqual([PASSWORD, WRONG_PASSWORD]);
  });

  it("Redis holds neither password: our keys, BullMQ's keys, decrypted fields, idempotency entries", async () => {
    const { prefix, url } = sid.stack.redis;
    const dump = await dumpRedis(url, prefix, sid.keyring);
    // The scan sees what it must: the record (decrypted: it holds the provider's auth_req_id),
    // both idempotency entries, and BullMQ's queue keys.
    const authReqId = sid.server.find('canary-user').authReqId;
    expect(dump.some((entry) => entry.key.startsWith(`${prefix}:auth:`) && entry.text.includes(`decrypted=${authReqId}`))).toBe(true);
    expect(dump.filter((entry) => entry.key.startsWith(`${prefix}:idem:`))).toHaveLength(2);
    expect(dump.some((entry) => entry.key.startsWith(`${prefix}:q:`))).toBe(true);
    const leaks = dump.filter((entry) => entry.text.includes(PASSWORD) || entry.text.includes(WRONG_PASSWORD)).map((entry) => entry.key);
    expect(leaks).toEqual([]);
  });

  it('no log line and no answer holds either password', () => {
    const logs = sid.logs.join('');
    expect(logs).toContain('authentication started');
    expect(logs).toContain('ciba.op_rejected');
    expect(logs).not.toContain(PASSWORD);
    expect(logs).not.toContain(WRONG_PASSWORD);
    expect(answers).toHaveLength(5);
    for (const answer of answers) {
      expect(answer).not.toContain(PASSWORD);
      expect(answer).not.toContain(WRONG_PASSWORD);
    }
  });
});
