import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Agent, UNDICI_CLASS_MODULES } from './undici-classes.js';

/** What loading undici does to the process, in a fresh Node process (no Jest realm in between). */
function loadIn(fresh: 'classes' | 'classes then index'): { dispatcher: boolean; globalModule: boolean; fetchModule: boolean } {
  const script = `
    const load = require('node:module').createRequire(${JSON.stringify(fileURLToPath(import.meta.url))});
    for (const path of ${JSON.stringify(Object.values(UNDICI_CLASS_MODULES))}) load(path);
    if (${JSON.stringify(fresh)} === 'classes then index') load('undici');
    const loaded = Object.keys(require.cache);
    process.stdout.write(JSON.stringify({
      dispatcher: globalThis[Symbol.for('undici.globalDispatcher.1')] !== undefined,
      globalModule: loaded.some((file) => file.endsWith('/undici/lib/global.js')),
      fetchModule: loaded.some((file) => file.includes('/undici/lib/web/fetch/')),
    }));`;
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })) as ReturnType<typeof loadIn>;
}

describe('undici classes', () => {
  it('load without installing a process-wide dispatcher (the package index does install one)', () => {
    expect(loadIn('classes')).toEqual({ dispatcher: false, globalModule: false, fetchModule: false });
    // Why they are loaded by path: should undici stop doing this, the workaround may go.
    expect(loadIn('classes then index')).toEqual({ dispatcher: true, globalModule: true, fetchModule: true });
  });

  it('are the classes', async () => {
    const agent = new Agent();
    expect(typeof agent.dispatch).toBe('function');
    await agent.close();
  });
});
