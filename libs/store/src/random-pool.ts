import { randomBytes } from 'node:crypto';

/** Bytes drawn from the CSPRNG at once; small draws are cut from them. */
const POOL_BYTES = 4096;
/** Larger draws are not worth pooling. */
const MAX_POOLED_DRAW = 256;

let pool = randomBytes(POOL_BYTES);
let offset = 0;

/**
 * `size` fresh bytes of the CSPRNG, cut from a block drawn 4 KiB at a time (as Node's own
 * `randomUUID` does): each `randomBytes` call costs a trip into OpenSSL, and a start draws a
 * dozen small values (an IV per encrypted field, its id). Each byte is handed out once; a new
 * block is a new buffer, so bytes already handed out never change.
 */
export function pooledRandomBytes(size: number): Buffer {
  if (size > MAX_POOLED_DRAW) return randomBytes(size);
  if (offset + size > POOL_BYTES) {
    pool = randomBytes(POOL_BYTES);
    offset = 0;
  }
  const bytes = pool.subarray(offset, offset + size);
  offset += size;
  return bytes;
}
