/** Where the sandbox writes its (few) log lines; silent unless the caller passes one. */
export type SandboxLog = (line: string) => void;

export const silentLog: SandboxLog = () => {};

/** One JSON object per line, so `main.ts` output stays machine-readable. */
export function logEvent(log: SandboxLog, event: string, fields: Record<string, unknown> = {}): void {
  log(JSON.stringify({ event, ...fields }));
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
