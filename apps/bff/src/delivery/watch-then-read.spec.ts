import { jest } from '@jest/globals';
import { connectionClosed, FakeStatusEvents } from '../../../../test/support/fake-status-events.js';
import { RecordWatch, RETRY_MAX_MS } from './watch-then-read.js';

/** The stored record (its seq); a read sees it as it was when the read began and answers when let go. */
class FakeRecord {
  seq = 1;
  reads = 0;
  private held: (() => void)[] | undefined;
  private failing = 0;

  readonly read = (): Promise<number> => {
    this.reads += 1;
    if (this.failing > 0) {
      this.failing -= 1;
      return Promise.reject(connectionClosed());
    }
    const seen = this.seq;
    if (!this.held) return Promise.resolve(seen);
    return new Promise((resolve) => this.held!.push(() => resolve(seen)));
  };

  /** The next `count` reads fail, as while the command connection is down. */
  failReads(count: number): void {
    this.failing = count;
  }

  holdReads(): void {
    this.held = [];
  }

  get readsOnTheirWay(): number {
    return this.held?.length ?? 0;
  }

  answerReads(): void {
    const held = this.held ?? [];
    this.held = undefined;
    for (const answer of held) answer();
  }

  change(events: FakeStatusEvents): void {
    this.seq += 1;
    events.publish(this.seq);
  }
}

/** Lets every pending callback run. */
const aWhile = async () => {
  for (let turn = 0; turn < 5; turn += 1) await new Promise((resolve) => setImmediate(resolve));
};

/** Follows `watch`, remembering what it is told. */
function follow(watch: RecordWatch<number>, onChanged: () => void = () => undefined) {
  const told = { changed: [] as number[], readFailed: [] as string[], watchFailed: [] as string[] };
  watch.follow({
    changed: (seq) => {
      told.changed.push(seq);
      onChanged();
    },
    readFailed: (error) => void told.readFailed.push(error.message),
    watchFailed: (error) => void told.watchFailed.push(error.message),
  });
  return told;
}

describe('RecordWatch (watch, then read)', () => {
  let events: FakeStatusEvents;
  let record: FakeRecord;
  beforeEach(() => {
    events = new FakeStatusEvents();
    record = new FakeRecord();
  });

  it('does not miss a change published between the watch and the read', async () => {
    record.holdReads();
    const opening = RecordWatch.open(events, 'a', record.read);
    await aWhile();
    // The watch listens; the read has seen seq 1 and its answer is on its way when the change comes.
    expect(events.listeners.size).toBe(1);
    expect(record.readsOnTheirWay).toBe(1);
    record.change(events);
    record.answerReads();
    const { first, watch } = await opening;
    expect(first).toBe(1);

    const told = follow(watch);
    await aWhile();
    expect(told.changed).toEqual([2]);
    watch.stop();
  });

  it('reads once when the watch was listening before the read, and again on every later change', async () => {
    const { first, watch } = await RecordWatch.open(events, 'a', record.read);
    expect(first).toBe(1);
    const told = follow(watch);
    await aWhile();
    expect(record.reads).toBe(1);

    record.change(events);
    await aWhile();
    record.change(events);
    await aWhile();
    expect(told.changed).toEqual([2, 3]);
    expect(record.reads).toBe(3);
    watch.stop();
    await aWhile();
    expect(events.listeners.size).toBe(0);
    record.change(events);
    await aWhile();
    expect(told.changed).toEqual([2, 3]);
  });

  it("the first read does not wait for the process's first subscription; it reads again once it listens", async () => {
    events.holdSubscription();
    const { first, watch } = await RecordWatch.open(events, 'a', record.read);
    expect(first).toBe(1);
    const told = follow(watch);
    record.change(events); // nobody listens yet: the message is lost
    await aWhile();
    expect(told.changed).toEqual([]);

    events.subscribe();
    await aWhile();
    expect(told.changed).toEqual([2]);
    watch.stop();
  });

  it('reads again when the first subscription came up only while the read was on its way', async () => {
    events.holdSubscription();
    record.holdReads();
    const opening = RecordWatch.open(events, 'a', record.read);
    await aWhile();
    expect(record.readsOnTheirWay).toBe(1);
    record.change(events); // after the read's look, before anyone listens: lost
    events.subscribe();
    await aWhile();
    record.answerReads();
    const { first, watch } = await opening;
    expect(first).toBe(1);

    const told = follow(watch);
    await aWhile();
    expect(told.changed).toEqual([2]);
    watch.stop();
  });

  it('a read that fails is thrown and stops the watch', async () => {
    const failing = () => Promise.reject(connectionClosed());
    await expect(RecordWatch.open(events, 'a', failing)).rejects.toThrow('Connection is closed.');
    await aWhile();
    expect(events.listeners.size).toBe(0);
  });

  it('a re-read that fails is told once and tried again by itself until one succeeds (no hint needed)', async () => {
    const { watch } = await RecordWatch.open(events, 'a', record.read);
    let heard!: () => void;
    const changed = new Promise<void>((resolve) => (heard = resolve));
    const told = follow(watch, () => heard());
    record.failReads(2);
    record.change(events); // the one hint: its read fails, and so does the first retry
    await changed;
    expect(told.readFailed).toEqual(['Connection is closed.']);
    expect(told.changed).toEqual([2]);
    expect(record.reads).toBe(4); // the first read, the hinted one, two retries
    watch.stop();
  });

  it('a stopped watch tries no failed read again', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'clearImmediate', 'queueMicrotask'] });
    try {
      const { watch } = await RecordWatch.open(events, 'a', record.read);
      const told = follow(watch);
      record.failReads(1);
      record.change(events);
      await aWhile();
      expect(told.readFailed).toEqual(['Connection is closed.']);
      expect(jest.getTimerCount()).toBe(1); // the retry, planned
      watch.stop();
      expect(jest.getTimerCount()).toBe(0);
      jest.advanceTimersByTime(RETRY_MAX_MS);
      await aWhile();
      expect(record.reads).toBe(2);
    } finally {
      jest.useRealTimers();
    }
  });

  it('a watch that cannot be set up is reported to the follower', async () => {
    events.holdSubscription();
    const { watch } = await RecordWatch.open(events, 'a', record.read);
    const told = follow(watch);
    events.subscribe(new Error('subscriber connection closed'));
    await aWhile();
    expect(told.watchFailed).toEqual(['subscriber connection closed']);
    watch.stop();
  });
});
