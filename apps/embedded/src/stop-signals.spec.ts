import { EventEmitter } from 'node:events';
import { onStopSignals, SAME_REQUEST_MS } from './stop-signals.js';
import { watchParent } from './parent-watch.js';

function harness() {
  const source = new EventEmitter();
  const calls: string[] = [];
  let clock = 0;
  onStopSignals(
    { stop: (signal) => calls.push(`stop ${signal}`), stopNow: (signal) => calls.push(`now ${signal}`) },
    { source: source as unknown as Pick<NodeJS.Process, 'on'>, now: () => clock },
  );
  return { calls, send: (signal: string, at: number) => ((clock = at), source.emit(signal)) };
}

describe('stop signals', () => {
  it.each(['SIGTERM', 'SIGINT'])('stops gracefully on the first %s', (signal) => {
    const { calls, send } = harness();
    send(signal, 0);
    expect(calls).toEqual([`stop ${signal}`]);
  });

  it("takes npm's forwarded copy of a Ctrl-C as the same request", () => {
    const { calls, send } = harness();
    send('SIGINT', 0);
    send('SIGINT', SAME_REQUEST_MS - 1);
    expect(calls).toEqual(['stop SIGINT']);
  });

  it('stops at once on a second signal sent later', () => {
    const { calls, send } = harness();
    send('SIGINT', 0);
    send('SIGTERM', SAME_REQUEST_MS + 200);
    expect(calls).toEqual(['stop SIGINT', 'now SIGTERM']);
  });
});

describe('parent watch', () => {
  it('reports once when the parent process changes', async () => {
    let ppid = 100;
    const gone: number[] = [];
    const stop = watchParent(
      () => gone.push(ppid),
      () => ppid,
      5,
    );
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(gone).toEqual([]);
    ppid = 1;
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(gone).toEqual([1]);
    stop();
  });
});
