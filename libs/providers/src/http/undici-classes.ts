import { createRequire } from 'node:module';
import type { Agent as UndiciAgent, Dispatcher } from 'undici';

/**
 * The modules of the undici classes we use, loaded by path and never through the package's
 * index: `import { Agent } from 'undici'` (7.30.2) runs `lib/global.js`, which installs an
 * undici 7 `Agent` as the process-wide dispatcher (`Symbol.for('undici.globalDispatcher.1')` and
 * `.2`); from then on Node's built-in `fetch` (its own bundled undici, 6.x on Node 20) sends every
 * request of the process through the npm copy. The class modules load neither that file nor
 * undici's fetch (`undici-classes.spec.ts` proves both), so nothing here changes how the rest of
 * the process fetches. The package has no `exports` map: these paths are as reachable as its
 * index. The types come from the index, which is never loaded for them.
 */
export const UNDICI_CLASS_MODULES = { agent: 'undici/lib/dispatcher/agent.js', request: 'undici/lib/api/api-request.js' } as const;

const load = createRequire(import.meta.url);

/** undici's dispatcher to any origin: a keep-alive `Pool` per origin. */
export const Agent = load(UNDICI_CLASS_MODULES.agent) as typeof UndiciAgent;
export type Agent = UndiciAgent;

const apiRequest = load(UNDICI_CLASS_MODULES.request) as (
  this: Dispatcher,
  options: Dispatcher.RequestOptions,
) => Promise<Dispatcher.ResponseData>;

/**
 * undici's `request` on one of our dispatchers. The index adds it to every dispatcher's
 * prototype; without the index, it is called on the dispatcher directly.
 */
export function requestOn(dispatcher: Dispatcher, options: Dispatcher.RequestOptions): Promise<Dispatcher.ResponseData> {
  return apiRequest.call(dispatcher, options);
}
