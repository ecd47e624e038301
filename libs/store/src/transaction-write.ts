/**
 * Writes one store class adds to another's atomic write: both then happen together or not at
 * all, in one script run and one round trip, and neither class learns the other's keys (e.g. the
 * audit event of a start, written with its record by `CREATE`).
 */
export type TransactionWrite = (writes: WriteList) => void;

/** Redis write commands, recorded to be run inside a script (`CREATE`). */
export class WriteList {
  /** Every key written, in order of first use: the script's KEYS (one slot, under the hash tag). */
  readonly keys: string[] = [];
  /** Per command, its word count, then the command and its arguments: the script's ARGV. */
  readonly words: (string | number)[] = [];

  add(command: string, key: string, ...args: (string | number)[]): this {
    if (!this.keys.includes(key)) this.keys.push(key);
    this.words.push(args.length + 2, command, key, ...args);
    return this;
  }
}
