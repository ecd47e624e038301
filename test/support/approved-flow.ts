import type { Stack } from './bff-stack.js';
import { readSse, type SseEvent } from './sse-reader.js';

/**
 * The smallest whole life of an authentication, for tests about where it runs (a Redis
 * topology, an ACL user): the BFF is ready, alice is asked, her phone approves, and both the
 * long-poll and the event stream end with `approved`. Returns the final status document.
 */
export async function runApprovedFlow(stack: Stack): Promise<Record<string, any>> {
  expect((await fetch(`${stack.bff!.url}/health/ready`)).status).toBe(200);
  const start = await stack.portal.start({ provider: 'sandbox', loginHint: '01001011111' });
  expect(start.status).toBe(201);
  const events: SseEvent[] = [];
  const stream = await readSse(`${stack.bff!.url}${start.body!.eventsUrl}`, {}, (event) => events.push(event));
  await stack.sandbox.approve((await stack.sandbox.waitForRequest('01001011111')).id);
  const done = await stack.portal.waitForStatusChange(start.body!.id, 'pending', 30);
  expect(done.body).toMatchObject({ status: 'approved', result: { claims: { personal_number: '01001011111' } } });
  await stream.ended;
  expect(JSON.parse(events.at(-1)!.data!).status).toBe('approved');
  return done.body!;
}
