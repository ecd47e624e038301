/** The keys one change of an authentication touches. */
export interface TransitionKeys {
  record: string;
  /** The provider's due set (the authentication's next run). */
  dueSet: string;
  /** The reservation "one pending per consumer, provider and customer". */
  pendingLock: string;
  webhookOutbox: string;
}

/** What the change does, by name. */
export interface TransitionArguments {
  id: string;
  /** The statuses the record must be in. */
  allowedStatuses: readonly string[];
  /** Apply only while this in-flight marker is held (see TRANSITION); null: no fence. */
  fence: string | null;
  /** Hash fields to write (already encoded). */
  set: Record<string, string>;
  /** Hash fields to delete. */
  del: readonly string[];
  /** A consumer can see the change: bump the sequence and publish it. */
  visible: boolean;
  /** The next run in the due set (epoch ms); null takes it out (the authentication ended). */
  dueAt: number | null;
  /** When the record expires (epoch ms). */
  expireAt: number;
  /** The change ends the authentication: its reservation is released. */
  terminal: boolean;
  /** The pub/sub channel of its events. */
  eventsChannel: string;
  /** It ends an authentication with a webhook: record it in the outbox in the same step. */
  recordInOutbox: boolean;
  now: number;
  /** Names the change, so a repeat after a lost reply is recognised. */
  changeId: string;
}

/**
 * TRANSITION's KEYS and ARGV, in the order the script names them in its first two lines: the
 * only place that knows that order.
 */
export function transitionCall(keys: TransitionKeys, args: TransitionArguments): { numKeys: number; values: string[] } {
  const flag = (value: boolean) => (value ? '1' : '0');
  return {
    numKeys: 4,
    values: [
      keys.record,
      keys.dueSet,
      keys.pendingLock,
      keys.webhookOutbox,
      args.id,
      args.allowedStatuses.join(','),
      args.fence ?? '',
      JSON.stringify(args.set),
      JSON.stringify(args.del),
      flag(args.visible),
      args.dueAt === null ? '' : String(args.dueAt),
      String(args.expireAt),
      flag(args.terminal),
      args.eventsChannel,
      flag(args.recordInOutbox),
      String(args.now),
      args.changeId,
    ],
  };
}
