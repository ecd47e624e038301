import { READ_FOR_POLL, TRANSITION } from '../../libs/store/src/authentication.scripts.js';
import {
  FAULT_INTERVAL_SECONDS,
  approveAllAndExpectApproved,
  startFaultStack,
  startForEveryCustomer,
  type FaultStack,
} from './fault-stack.js';
import { expectProviderDoorKept } from './provider-door.js';

/**
 * Connections between the BFF and Redis reset under load, and replies lost on the wire after
 * Redis ran the command (ioredis then sends it again): every authentication still ends as the
 * customer decided, with no early poll and no second redemption.
 */
describe('connection resets and lost replies', () => {
  let faults: FaultStack;

  beforeAll(async () => {
    faults = await startFaultStack({ consumers: 5 });
  }, 60_000);
  afterAll(async () => {
    await faults?.close();
  });

  it('loses nothing when the replies to the marker and to the answer are lost, and when every connection resets', async () => {
    const { ledger, proxy } = faults;
    ledger.settings.tokenAnswerDelayMs = 200;
    const started = await startForEveryCustomer(faults);
    // A poll's marker, and a poll's stored answer, each run with their replies lost.
    await Promise.all([proxy.loseReplyTo(READ_FOR_POLL.sha, 2), proxy.loseReplyTo(TRANSITION.sha, 2)]);
    await ledger.waitFor(() => ledger.tokenRequests.some((entry) => entry.outcome === 'open'), 10_000, 'a poll in flight');
    proxy.resetAll();
    await ledger.waitFor(() => ledger.tokenRequests.some((entry) => entry.outcome === 'open'), 10_000, 'a poll in flight again');
    proxy.resetAll();

    await approveAllAndExpectApproved(faults, started);
    expectProviderDoorKept(ledger, FAULT_INTERVAL_SECONDS, { approvals: started.length });
  }, 120_000);
});
