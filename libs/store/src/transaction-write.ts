import type { ChainableCommander } from 'ioredis';

/**
 * Commands one store class adds to a transaction that another one runs: both writes then happen
 * together or not at all, in one MULTI/EXEC and one round trip, and neither class learns the
 * other's keys (e.g. the audit event of a start, written with its record).
 */
export type TransactionWrite = (transaction: ChainableCommander) => void;
