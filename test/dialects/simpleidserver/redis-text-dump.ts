import { FieldCipher, type Keyring } from '@ciba/store';
import { Redis } from 'ioredis';

export interface DumpedKey {
  key: string;
  type: string;
  /** Every member, field and value as text; encrypted record fields decrypted. */
  text: string;
}

/**
 * Everything Redis holds under a prefix (ours and BullMQ's), as text, for tests that prove a
 * secret is stored nowhere. Encrypted fields of authentication records are decrypted with the
 * keyring, so a secret stored encrypted is found too; a field that does not decrypt is an error,
 * so the scan is never silently blind.
 */
export async function dumpRedis(url: string, prefix: string, keyring: Keyring): Promise<DumpedKey[]> {
  const redis = new Redis(url);
  const cipher = new FieldCipher(keyring);
  const dumped: DumpedKey[] = [];
  try {
    let cursor = '0';
    const keys: string[] = [];
    do {
      const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      keys.push(...batch);
      cursor = next;
    } while (cursor !== '0');
    for (const key of keys) {
      const type = await redis.type(key);
      dumped.push({ key, type, text: `${key}\n${await valueText(redis, key, type, cipher, prefix)}` });
    }
  } finally {
    redis.disconnect();
  }
  return dumped;
}

async function valueText(redis: Redis, key: string, type: string, cipher: FieldCipher, prefix: string): Promise<string> {
  switch (type) {
    case 'string':
      return (await redis.get(key)) ?? '';
    case 'hash': {
      const hash = await redis.hgetall(key);
      const recordId = key.startsWith(`${prefix}:auth:`) ? key.slice(`${prefix}:auth:`.length) : undefined;
      return Object.entries(hash)
        .map(
          ([field, value]) =>
            `${field}=${value}${recordId && value.startsWith('v1.') ? ` decrypted=${cipher.decrypt(value, recordId, field)}` : ''}`,
        )
        .join('\n');
    }
    case 'list':
      return (await redis.lrange(key, 0, -1)).join('\n');
    case 'set':
      return (await redis.smembers(key)).join('\n');
    case 'zset':
      return (await redis.zrange(key, 0, -1, 'WITHSCORES')).join('\n');
    case 'stream':
      return JSON.stringify(await redis.xrange(key, '-', '+'));
    case 'none':
      return ''; // expired between SCAN and TYPE
    default:
      throw new Error(`cannot dump Redis type ${type} at ${key}`);
  }
}
