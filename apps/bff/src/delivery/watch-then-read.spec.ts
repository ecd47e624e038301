import type { StatusListener } from '@ciba/store';
import { RecordWatch, type StatusHints } from './watch-then-read.js';

/** A stand-in for StatusEvents: listeners heard from once subscribed; the subscription can be held back. */
class FakeStatusEvents implements StatusHints {
  readonly listeners = new Set<StatusListener>();
  private subscribed: Promise<void> = Promise.resolve();
  private settle: (error?: Error) => void = () => undefined;

  /** The process's first subscription: on its way until `subscribe()`. */
  holdSubscription(): void {
    this.subscribed = new Promise<void>((resolve, reject) => (this.settle = (error) => (error ? reject(error) : resolve())));
  }

  subscribe(error?: Error): void {
    this.settle(error);
  }

  async watch(_id: string, listener: StatusListener): Promise<() => Promise<void>> {
    await this.subscribed;
    this.listeners.add(listener);
    return async () => void this.listeners.delete(listener);
  }

  /** Pub/sub: a message nobody listens to yet is lost. */
  publish(seq: number): void {
    for (const listener of this.listeners) listener(seq);
  }
}

/** The stored record (its seq); a read sees it as it was when the read began and answers when let go. */
class FakeRecord {
  seq = 1;
  reads = 0;
  private held: (() => void)[] | undefined;

  readonly read = (): Promise<number> => {
    this.reads += 1;
    const seen = this.seq;
    if (!this.held) return Promise.resolve(seen);
    return new Promise((resolve) => this.held!.push(() => resolve(seen)));
  };

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
function follow(watch: RecordWatch<number>) {
  const told = { changed: [] as number[], readFailed: [] as string[], watchFailed: [] as string[] };
  watch.follow({
    changed: (seq) => void told.changed.push(seq),
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
    const failing = () => Promise.reject(new Error('store unavailable'));
    await expect(RecordWatch.open(events, 'a', failing)).rejects.toThrow('store unavailable');
    await aWhile();
    expect(events.listeners.size).toBe(0);
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
