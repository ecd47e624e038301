import { EventEmitter, once } from 'node:events';
import { readSse } from '../../support/sse-reader.js';

export type StatusDocument = Record<string, any>;

/** Follows an authentication's events stream and lets a test wait for a document it expects. */
export async function followStatus(url: string) {
  const documents: StatusDocument[] = [];
  const arrivals = new EventEmitter();
  const stream = await readSse(url, {}, (event) => {
    documents.push(JSON.parse(event.data!) as StatusDocument);
    arrivals.emit('document');
  });
  return {
    documents,
    ended: stream.ended,
    /** The first document (seen already or still to come) that matches. */
    async waitFor(match: (document: StatusDocument) => boolean, timeoutMs = 15_000): Promise<StatusDocument> {
      const signal = AbortSignal.timeout(timeoutMs);
      while (!documents.some(match)) await once(arrivals, 'document', { signal });
      return documents.find(match)!;
    },
  };
}
