import type { Authentication } from '@ciba/ciba';
import type { FieldCipher } from './field-cipher.js';

const NUMBERS = [
  'seq',
  'createdAt',
  'expiresAt',
  'interval',
  'nextPollAt',
  'consecutiveFailures',
  'requestedExpiry',
  'userCodeAttempts',
] as const;
const JSONS = ['error', 'result', 'profileState', 'tokenResponse'] as const;
/** Encrypted at rest: the provider's handle, the customer, the verified claims and tokens. */
const ENCRYPTED: ReadonlySet<string> = new Set(['authReqId', 'customer', 'result', 'profileState', 'tokenResponse']);

type Field = keyof Authentication;

/** Converts a record (or part of it) to Redis hash fields; `null` means "delete the field". */
export function encodeFields(
  id: string,
  fields: Partial<Authentication>,
  cipher: FieldCipher,
): { set: Record<string, string>; del: string[] } {
  const set: Record<string, string> = {};
  const del: string[] = [];
  for (const [name, value] of Object.entries(fields) as [Field, unknown][]) {
    if (value === null || value === undefined) {
      del.push(name);
      continue;
    }
    let text = (JSONS as readonly string[]).includes(name) ? JSON.stringify(value) : `${value as string | number}`;
    if (ENCRYPTED.has(name)) text = cipher.encrypt(text, id, name);
    set[name] = text;
  }
  return { set, del };
}

/** The record from its hash fields. */
export function decodeRecord(hash: Record<string, string>, cipher: FieldCipher): Authentication {
  const id = hash.id;
  const read = (name: string): string | null => {
    const raw = hash[name];
    if (raw === undefined) return null;
    return ENCRYPTED.has(name) ? cipher.decrypt(raw, id, name) : raw;
  };
  const record: Record<string, unknown> = {};
  for (const name of Object.keys(hash)) {
    const text = read(name);
    if ((NUMBERS as readonly string[]).includes(name)) record[name] = Number(text);
    else if ((JSONS as readonly string[]).includes(name)) record[name] = text === null ? null : JSON.parse(text);
    else record[name] = text;
  }
  for (const name of [
    'bindingMessage',
    'reference',
    'progress',
    'error',
    'result',
    'requestedAcr',
    'requestedExpiry',
    'inflight',
    'profileState',
    'identityClaim',
    'tokenResponse',
  ]) {
    record[name] ??= null;
  }
  return record as unknown as Authentication;
}
