import type { Authentication } from '@ciba/ciba';

/**
 * The hash fields of an authentication that the store encrypts at rest. They mirror `ENCRYPTED`
 * in libs/store/src/authentication.codec.ts, which is not exported; `encrypted-fields.spec.ts`
 * writes a record through the real repository and fails if the two lists ever differ. Nothing
 * else under the key prefix is encrypted today: idempotency entries hold HMAC fingerprints and
 * ids, the indexes and locks hold ids, poll jobs hold only the authentication id.
 */
export const ENCRYPTED_FIELDS = [
  'authReqId',
  'customer',
  'result',
  'profileState',
  'tokenResponse',
  'initiatedBy',
] as const satisfies readonly (keyof Authentication)[];

export type EncryptedField = (typeof ENCRYPTED_FIELDS)[number];

/** The key id of a FieldCipher envelope `v1.<kid>.<iv>.<ciphertext>.<tag>`, or null if it is not one. */
export function envelopeKid(value: string): string | null {
  const parts = value.split('.');
  return parts.length === 5 && parts[0] === 'v1' && parts[1] !== '' ? parts[1] : null;
}
