import { Keyring } from '@ciba/store';

/** The keyring of `CIBA_ENCRYPTION_KEY` and, one by one, the keys after the first. */
export interface RotationKeyrings {
  keyring: Keyring;
  /**
   * Single-key keyrings of the former keys. Keyring does not list its keys, and HMAC index
   * entries (notifications) were named with the key that was writing when they were made.
   */
  formerKeys: Keyring[];
}

/** Parses as the BFF does (same errors: KeyringError names the bad key id, never the key). */
export function rotationKeyrings(value: string): RotationKeyrings {
  const keyring = Keyring.parse(value);
  const parts = value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  return { keyring, formerKeys: parts.slice(1).map((part) => Keyring.parse(part)) };
}
