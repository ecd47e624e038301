import type { FieldCipher, Keyring } from '@ciba/store';
import { ENCRYPTED_FIELDS, envelopeKid, type EncryptedField } from './encrypted-fields.js';

/** One field to re-encrypt: written only if Redis still holds `from`. */
export interface FieldChange {
  field: EncryptedField;
  from: string;
  to: string;
}

/** What to do with one record, decided from the values read. */
export type RecordPlan =
  /** A field is under a key the keyring does not hold: the record is left exactly as it is. */
  | { kind: 'skip'; unknownKids: string[] }
  /** A field does not decrypt with its own key (tampered, or not an envelope): left as it is. */
  | { kind: 'fail'; reason: string }
  /** `changes` may be empty: every encrypted field is already under the writing key. */
  | { kind: 'rotate'; changes: FieldChange[] };

/**
 * Decides how to bring a record's encrypted fields under the writing key. Pure: no Redis. The
 * plaintext is never kept: it goes from `decrypt` straight into `encrypt` (same record id and
 * field name, so the AAD binding of FieldCipher is preserved).
 */
export function planRecord(
  id: string,
  values: Partial<Record<EncryptedField, string | null>>,
  keyring: Keyring,
  cipher: FieldCipher,
): RecordPlan {
  const present = ENCRYPTED_FIELDS.flatMap((field) => {
    const value = values[field];
    return value === null || value === undefined ? [] : [{ field, value, kid: envelopeKid(value) }];
  });
  const notEnvelope = present.find((entry) => entry.kid === null);
  if (notEnvelope) return { kind: 'fail', reason: `${notEnvelope.field}: not an encrypted value` };
  const unknownKids = [...new Set(present.map((entry) => entry.kid!).filter((kid) => !keyring.key(kid)))];
  if (unknownKids.length > 0) return { kind: 'skip', unknownKids };

  const changes: FieldChange[] = [];
  for (const { field, value, kid } of present) {
    if (kid === keyring.writeKid) continue;
    let plaintext: string;
    try {
      plaintext = cipher.decrypt(value, id, field);
    } catch (error) {
      return { kind: 'fail', reason: `${field}: ${(error as Error).message}` };
    }
    changes.push({ field, from: value, to: cipher.encrypt(plaintext, id, field) });
  }
  return { kind: 'rotate', changes };
}
