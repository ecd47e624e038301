import type { SandboxLog } from './sandbox-log.js';

/*
 * oidc-provider prints its notices straight to console.warn (e.g. "Unsupported runtime" when the
 * package is evaluated on Node 20, or "failed to setup SSRF protection" on the first outgoing
 * request under Jest, a protection the sandbox turns off anyway). There is no option to silence
 * them, so while the sandbox calls into such code paths those lines, and only those, go to the
 * sandbox log. Windows may overlap (parallel approvals, several sandboxes), hence the counting.
 */

// ESC is exactly the character to strip: terminal colour codes in oidc-provider notices.
// eslint-disable-next-line no-control-regex
const ANSI_ESCAPES = /\x1b\[[0-9;]*m/g;
const activeLogs: SandboxLog[] = [];
let originalWarn: typeof console.warn | undefined;

export async function redirectOidcNotices<T>(log: SandboxLog, work: () => Promise<T>): Promise<T> {
  if (activeLogs.length === 0) {
    originalWarn = console.warn;
    console.warn = redirectingWarn;
  }
  activeLogs.push(log);
  try {
    return await work();
  } finally {
    activeLogs.splice(activeLogs.lastIndexOf(log), 1);
    if (activeLogs.length === 0 && originalWarn) {
      console.warn = originalWarn;
      originalWarn = undefined;
    }
  }
}

function redirectingWarn(...args: unknown[]): void {
  const [first] = args;
  const text = typeof first === 'string' ? first.replace(ANSI_ESCAPES, '') : undefined;
  const log = activeLogs.at(-1);
  if (text?.startsWith('oidc-provider ') && log) {
    log(JSON.stringify({ event: 'oidc_provider.notice', message: text }));
  } else {
    originalWarn?.apply(console, args);
  }
}
