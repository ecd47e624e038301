import { jest } from '@jest/globals';

/**
 * Fakes `Date` only (for `jest.setSystemTime`): timers, ticks and clocks stay real, so Redis
 * clients, servers and awaited promises run as they do outside a test.
 */
export function fakeDateOnly(): void {
  jest.useFakeTimers({
    doNotFake: [
      'nextTick',
      'setImmediate',
      'clearImmediate',
      'setInterval',
      'clearInterval',
      'setTimeout',
      'clearTimeout',
      'queueMicrotask',
      'hrtime',
      'performance',
    ],
  });
}
