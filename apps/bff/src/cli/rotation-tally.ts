/** How many ids a summary lists at most; the counts are always complete. */
export const MAX_LISTED_IDS = 100;

/** The one JSON line `rotate-keys` prints. Ids and key ids only: never a value, never a key. */
export interface RotationSummary {
  event: 'ciba.keys_rotated';
  writeKid: string;
  formerKids: string[];
  /** Authentication records read (SCAN may return a record twice; the second time it is current). */
  scanned: number;
  rotatedFields: number;
  rotatedRecords: number;
  /** Records with a field under a key id the keyring does not hold: left as they are. */
  skipped: number;
  skippedIds: string[];
  unknownKids: string[];
  /** Records that could not be rotated (a field that does not decrypt, a Redis error, or a field that kept changing). */
  failed: number;
  failedIds: string[];
  /** Ping/push notification index entries copied to their name under the writing key. */
  notificationsReindexed: number;
}

/** Counts as a run goes; `summary()` is what is printed. */
export class RotationTally {
  scanned = 0;
  rotatedFields = 0;
  notificationsReindexed = 0;
  private readonly rotated = new Set<string>();
  private readonly skipped = new Set<string>();
  private readonly unknownKids = new Set<string>();
  private readonly failed = new Map<string, string>();

  constructor(
    private readonly writeKid: string,
    private readonly formerKids: string[],
  ) {}

  rotatedField(id: string): void {
    this.rotatedFields += 1;
    this.rotated.add(id);
  }

  skip(id: string, kids: readonly string[]): void {
    this.skipped.add(id);
    for (const kid of kids) this.unknownKids.add(kid);
  }

  /** `reason` names the field and the cause, never the value. */
  fail(id: string, reason: string): void {
    this.failed.set(id, reason);
  }

  /** Why records failed, for the operator's log (stderr). */
  failures(): ReadonlyMap<string, string> {
    return this.failed;
  }

  summary(): RotationSummary {
    return {
      event: 'ciba.keys_rotated',
      writeKid: this.writeKid,
      formerKids: this.formerKids,
      scanned: this.scanned,
      rotatedFields: this.rotatedFields,
      rotatedRecords: this.rotated.size,
      skipped: this.skipped.size,
      skippedIds: [...this.skipped].slice(0, MAX_LISTED_IDS),
      unknownKids: [...this.unknownKids],
      failed: this.failed.size,
      failedIds: [...this.failed.keys()].slice(0, MAX_LISTED_IDS),
      notificationsReindexed: this.notificationsReindexed,
    };
  }
}
