import { maskText } from '../logging/log-text-masker.js';
import { freshRequestId } from './request-id.js';

describe('freshRequestId', () => {
  it('never draws an id the log masker would change (the logs carry the id the caller was given)', () => {
    // The reason: a UUID whose hex groups are all digits reads as a personal number.
    const unlucky = '37b86a2b-1234-4958-8a25-f3004c010282';
    expect(maskText(unlucky)).not.toBe(unlucky);
    for (let i = 0; i < 2000; i += 1) {
      const id = freshRequestId();
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(maskText(id)).toBe(id);
    }
  });
});
