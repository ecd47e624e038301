import { TRANSITION } from './authentication.scripts.js';
import { transitionCall, type TransitionArguments } from './transition-call.js';

const keys = { record: 'k:auth:A', dueSet: 'k:due:p', pendingLock: 'k:pending', webhookOutbox: 'k:outbox' };
const args: TransitionArguments = {
  id: 'A',
  allowedStatuses: ['pending', 'awaiting_user_code'],
  fence: null,
  set: { status: 'approved' },
  del: ['inflight'],
  visible: true,
  dueAt: null,
  expireAt: 9000,
  terminal: true,
  eventsChannel: 'k:events:A',
  recordInOutbox: false,
  now: 1000,
  changeId: 'c1',
};

/** The script's first two lines: the names it gives KEYS and ARGV, in order. */
function namesInScript(): { keys: string[]; argv: string[] } {
  const keysLine = /^local ([\w, ]+) = KEYS\[1\]/m.exec(TRANSITION.source)![1];
  const argvLine = /^local ([\w, ]+) = unpack\(ARGV\)/m.exec(TRANSITION.source)![1];
  return { keys: keysLine.split(/,\s*/), argv: argvLine.split(/,\s*/) };
}

describe(transitionCall.name, () => {
  it('puts named arguments where the script reads them', () => {
    const call = transitionCall(keys, args);
    const names = namesInScript();
    expect(call.numKeys).toBe(names.keys.length);
    expect(call.values).toHaveLength(names.keys.length + names.argv.length);
    const byName = Object.fromEntries(names.argv.map((name, i) => [name, call.values[call.numKeys + i]]));
    expect(byName).toEqual({
      id: 'A',
      allowed: 'pending,awaiting_user_code',
      fence: '',
      setJson: '{"status":"approved"}',
      delJson: '["inflight"]',
      visible: '1',
      dueAt: '',
      expireAt: '9000',
      terminal: '1',
      channel: 'k:events:A',
      toOutbox: '0',
      now: '1000',
      change: 'c1',
    });
    expect(call.values.slice(0, call.numKeys)).toEqual([keys.record, keys.dueSet, keys.pendingLock, keys.webhookOutbox]);
  });

  it('a fence and a next run travel as text', () => {
    const call = transitionCall(keys, { ...args, fence: 'm1', dueAt: 1234, visible: false, terminal: false, recordInOutbox: true });
    expect(call.values.slice(call.numKeys)).toEqual(expect.arrayContaining(['m1', '1234']));
    expect(call.values[call.numKeys + 5]).toBe('0');
  });
});
