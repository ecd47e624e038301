/*
 * Browser module `/console/follow.js`: follows one authentication live over its `eventsUrl`
 * (API.md §4, "Stream"). The EventSource reconnects by itself with Last-Event-ID, so a dropped
 * connection misses nothing; when the browser gives up (a 401, 404 or 204 ends it for good) the
 * document is read again with the key and a new stream opened, whose first event is the
 * current state. On a terminal status the stream is closed: nothing can change any more.
 */
export const FOLLOW_SCRIPT = String.raw`
import { readAuthentication } from './api.js';

const TERMINAL = ['approved', 'denied', 'expired', 'failed', 'cancelled'];
export const isTerminal = (status) => TERMINAL.includes(status);

const RETRY_MS = 3000;

/**
 * handlers.document(doc): every newer status document;
 * handlers.connection('live' | 'reconnecting'): the stream's state, for the agent;
 * handlers.gone(error): the authentication can no longer be read (unknown id, key refused).
 * Returns { push(doc), stop() }: push delivers a document the console got otherwise (the answer to a
 * cancel or a user code), so every document takes the same road; stop closes everything.
 */
export function follow(first, handlers) {
  let source = null;
  let retry = null;
  let stopped = false;
  let finished = false;

  function deliver(doc) {
    if (!doc || stopped || finished) return;
    finished = isTerminal(doc.status);
    handlers.document(doc);
    if (finished) stop();
  }

  function connect(eventsUrl) {
    if (stopped || finished) return;
    source = new EventSource(eventsUrl);
    source.addEventListener('open', () => handlers.connection('live'));
    source.addEventListener('status', (event) => {
      let doc;
      try {
        doc = JSON.parse(event.data);
      } catch {
        return;
      }
      deliver(doc);
    });
    source.addEventListener('error', () => {
      if (stopped || finished) return;
      handlers.connection('reconnecting');
      // CONNECTING: the browser retries by itself, with Last-Event-ID. CLOSED: it gave up.
      if (source.readyState === EventSource.CLOSED) {
        source = null;
        retry = setTimeout(reread, RETRY_MS);
      }
    });
  }

  async function reread() {
    retry = null;
    if (stopped || finished) return;
    try {
      const doc = await readAuthentication(first.id);
      deliver(doc);
      connect(doc.eventsUrl);
    } catch (error) {
      if (stopped) return;
      if (error.status === 401 || error.status === 404) {
        stop();
        handlers.gone(error);
      } else {
        retry = setTimeout(reread, RETRY_MS);
      }
    }
  }

  function stop() {
    stopped = true;
    if (retry) clearTimeout(retry);
    if (source) source.close();
    source = null;
  }

  deliver(first);
  connect(first.eventsUrl);
  return { push: deliver, stop };
}
`;
