import { pooledRandomBytes } from '@ciba/store';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * A new authentication id: 130 random bits in 26 Crockford base32 characters. Unguessable and
 * unrelated to the customer, the provider's auth_req_id or the job id.
 */
export function newAuthenticationId(): string {
  const bytes = pooledRandomBytes(17);
  let bits = 0n;
  for (const byte of bytes) bits = (bits << 8n) | BigInt(byte);
  let id = '';
  for (let i = 0; i < 26; i += 1) {
    id += CROCKFORD[Number(bits & 31n)];
    bits >>= 5n;
  }
  return id;
}

export const AUTHENTICATION_ID_PATTERN = /^[0-9A-HJKMNP-TV-Z]{26}$/;
