import { EventEmitter } from 'node:events';
import { GracefulShutdown } from './graceful-shutdown.js';

interface Line {
  level: 'info' | 'warn' | 'error';
  fields: Record<string, unknown>;
  message: string;
}

/** A shutdown whose log and exit are observed instead of ending the test process. */
function observed(deadlineMs = 5000) {
  const lines: Line[] = [];
  const at =
    (level: Line['level']) =>
    (fields: Record<string, unknown>, message: string): void =>
      void lines.push({ level, fields, message });
  let exited!: (code: number) => void;
  const exit = new Promise<number>((resolve) => (exited = resolve));
  const logger = { info: at('info'), warn: at('warn'), error: at('error') } as never;
  const shutdown = new GracefulShutdown({ logger, deadlineMs, exit: (code) => exited(code) });
  return { shutdown, lines, exit };
}

describe('GracefulShutdown', () => {
  it('closes what was registered, last first, then exits 0', async () => {
    const { shutdown, exit } = observed();
    const order: string[] = [];
    shutdown.register('redis', async () => void order.push('redis'));
    shutdown.register('bff', async () => void order.push('bff'));
    await shutdown.stop('SIGTERM');
    expect(order).toEqual(['bff', 'redis']);
    await expect(exit).resolves.toBe(0);
  });

  it('runs once however many signals arrive, and says so', async () => {
    const { shutdown, lines } = observed();
    const signals = new EventEmitter();
    let closes = 0;
    shutdown.register('bff', async () => void (closes += 1));
    shutdown.listen(['SIGTERM', 'SIGINT'], signals as unknown as NodeJS.Process);
    signals.emit('SIGINT');
    signals.emit('SIGTERM');
    await shutdown.stop('SIGINT');
    expect(closes).toBe(1);
    expect(lines).toContainEqual({ level: 'warn', fields: { signal: 'SIGTERM' }, message: 'already shutting down' });
  });

  it('a failed step does not stop the others; the exit code says it failed', async () => {
    const { shutdown, exit, lines } = observed();
    let redisStopped = false;
    shutdown.register('redis', async () => void (redisStopped = true));
    shutdown.register('bff', async () => {
      throw new Error('boom');
    });
    await shutdown.stop('SIGTERM');
    expect(redisStopped).toBe(true);
    await expect(exit).resolves.toBe(1);
    expect(lines.find((line) => line.level === 'error')?.fields).toMatchObject({ event: 'bff.stop_step_failed', step: 'bff' });
  });

  it('exits 1 at the deadline when a step hangs, naming the step', async () => {
    const { shutdown, exit, lines } = observed(30);
    shutdown.register('stuck', () => new Promise<void>(() => undefined));
    void shutdown.stop('SIGTERM');
    await expect(exit).resolves.toBe(1);
    expect(lines.find((line) => line.level === 'error')?.fields).toMatchObject({ event: 'bff.stop_deadline', step: 'stuck' });
  });
});
