import { VIEW_FIELDS, initiatorOf, type Authentication, type AuthenticationView, type Initiator } from '@ciba/ciba';
import type { FieldCipher } from './field-cipher.js';

type Field = keyof Authentication;
/** Fields whose type allows null: absent from the hash means null. */
type NullableField = { [K in Field]-?: null extends Authentication[K] ? K : never }[Field];
/** Fields that are numbers (or null): stored as decimal text. */
type NumberField = { [K in Field]-?: Exclude<Authentication[K], null> extends number ? K : never }[Field];
/** Fields that are objects (or null): stored as JSON. */
type JsonField = { [K in Field]-?: Exclude<Authentication[K], null> extends object ? K : never }[Field];

// Written as typed maps, not lists, so a field added to `Authentication` and forgotten here is a
// compile error rather than a silent `undefined` after a round trip through Redis.
const NULLABLE: Record<NullableField, true> = {
  bindingMessage: true,
  reference: true,
  progress: true,
  error: true,
  result: true,
  requestedAcr: true,
  requestedExpiry: true,
  inflight: true,
  inflightSuspect: true,
  identityClaim: true,
  tokenResponse: true,
  profileState: true,
  notificationTokenHash: true,
  pingedAt: true,
  callbackUrl: true,
  webhook: true,
  requestId: true,
};
const NUMBERS: Record<NumberField, true> = {
  seq: true,
  createdAt: true,
  expiresAt: true,
  interval: true,
  nextPollAt: true,
  consecutiveFailures: true,
  requestedExpiry: true,
  userCodeAttempts: true,
  pingedAt: true,
};
const JSONS: Record<JsonField, true> = {
  error: true,
  result: true,
  profileState: true,
  tokenResponse: true,
  webhook: true,
  initiatedBy: true,
};
/**
 * Encrypted at rest: the provider's handle, the customer, the verified claims and tokens, and the
 * initiator (an agent's name is workforce personal data; the whole field, as the cipher works per field).
 */
const ENCRYPTED: ReadonlySet<string> = new Set<Field>(['authReqId', 'customer', 'result', 'profileState', 'tokenResponse', 'initiatedBy']);

const has = (map: object, name: string): boolean => Object.hasOwn(map, name);

/** Hash fields the store keeps for itself (the id of the last change, for idempotent repeats). */
const STORE_ONLY: ReadonlySet<string> = new Set(['change']);

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
    // Started by its own consumer: nothing to keep (absent reads back as exactly that, see
    // `withInitiator`), and nothing to encrypt now or decrypt at every status read.
    if (name === 'initiatedBy' && isConsumerOwn(value as Initiator, fields.consumer)) continue;
    let text = has(JSONS, name) ? JSON.stringify(value) : `${value as string | number}`;
    if (ENCRYPTED.has(name)) text = cipher.encrypt(text, id, name);
    set[name] = text;
  }
  return { set, del };
}

/** The record from its hash fields. */
export function decodeRecord(hash: Record<string, string>, cipher: FieldCipher): Authentication {
  const id = hash.id;
  const record: Record<string, unknown> = {};
  for (const name of Object.keys(NULLABLE)) record[name] = null;
  for (const [name, raw] of Object.entries(hash)) {
    if (STORE_ONLY.has(name)) continue;
    const text = ENCRYPTED.has(name) ? cipher.decrypt(raw, id, name) : raw;
    record[name] = has(NUMBERS, name) ? Number(text) : has(JSONS, name) ? JSON.parse(text) : text;
  }
  return withInitiator(record) as unknown as Authentication;
}

/** The initiator of a request its consumer's own service made (an API key or an access token). */
const isConsumerOwn = (initiator: Initiator, consumer: string | undefined): boolean =>
  initiator.type === 'consumer' && initiator.id === consumer;

/**
 * A record without `initiatedBy` was started by its consumer's own service: such records do not
 * store it (only an agent, whose name is personal data, is stored, encrypted), and records
 * written before `initiatedBy` existed were all started with an API key. Either way it reads as
 * started by its consumer, so a running deployment upgrades without a migration.
 */
function withInitiator(record: Record<string, unknown>): Record<string, unknown> {
  if (record.initiatedBy === undefined && typeof record.consumer === 'string') record.initiatedBy = initiatorOf(record.consumer);
  return record;
}

/** A status view from the values of `HMGET <record> ...VIEW_FIELDS` (in that order); null when there is no record. */
export function decodeView(values: readonly (string | null)[], cipher: FieldCipher): AuthenticationView | null {
  if (values[0] === null || values[0] === undefined) return null;
  const hash: Record<string, string> = {};
  VIEW_FIELDS.forEach((name, i) => {
    if (values[i] !== null) hash[name] = values[i]!;
  });
  const record = decodeRecord(hash, cipher);
  return Object.fromEntries(VIEW_FIELDS.map((name) => [name, record[name]])) as AuthenticationView;
}
