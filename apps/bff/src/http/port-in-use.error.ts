import { createServer } from 'node:net';

/** A port another process holds: what to change is the variable that chose it. */
export class PortInUseError extends Error {
  override readonly name = 'PortInUseError';

  constructor(
    readonly port: number,
    readonly variable: string,
    readonly what: string,
  ) {
    super(`Port ${port} (${what}) is already in use: stop the process that holds it, or set ${variable} to another port.`);
  }
}

/**
 * Fails before anything starts when the port is taken, so a second `npm start` says so in one
 * line instead of starting Redis, the provider and the workers first. The port can still be
 * taken between this check and `listen()`: callers map EADDRINUSE to the same error.
 */
export async function assertPortFree(port: number, host: string, variable: string, what: string): Promise<void> {
  if (port === 0) return;
  const free = await new Promise<boolean>((resolve) => {
    const probe = createServer().once('error', () => resolve(false));
    probe.listen(port, host, () => probe.close(() => resolve(true)));
  });
  if (!free) throw new PortInUseError(port, variable, what);
}

/** Whether an error is the kernel's "address in use" (from listen()). */
export function isAddressInUse(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'EADDRINUSE';
}
