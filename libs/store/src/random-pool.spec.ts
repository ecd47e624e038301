import { pooledRandomBytes } from './random-pool.js';

describe('pooledRandomBytes', () => {
  it('hands out each byte once: draws across several blocks never overlap or repeat', () => {
    const draws = Array.from({ length: 2000 }, () => pooledRandomBytes(12));
    const seen = new Set(draws.map((draw) => draw.toString('hex')));
    expect(seen.size).toBe(draws.length);
    expect(draws.every((draw) => draw.length === 12)).toBe(true);
  });

  it('keeps bytes already handed out when a new block is drawn', () => {
    const first = pooledRandomBytes(16);
    const copy = Buffer.from(first);
    for (let i = 0; i < 1000; i += 1) pooledRandomBytes(16);
    expect(first.equals(copy)).toBe(true);
  });

  it('draws large sizes directly, without using up the block', () => {
    const before = pooledRandomBytes(1);
    const large = pooledRandomBytes(1024);
    const after = pooledRandomBytes(1);
    expect(large.length).toBe(1024);
    expect(large.buffer).not.toBe(before.buffer);
    // The next small draw follows the previous one in the same block (unless that block ran out).
    if (after.buffer === before.buffer) expect(after.byteOffset).toBe(before.byteOffset + 1);
  });
});
