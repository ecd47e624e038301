/**
 * Every Redis key and channel the product uses, in one place. All start with the configured
 * prefix, a hash tag such as `{ciba}`, so that Redis Cluster keeps them (and BullMQ's) in one
 * slot and our multi-key scripts stay legal. Customer data never appears in a key: only ids and
 * keyed hashes do.
 */
export class RedisKeys {
  constructor(readonly prefix: string) {}

  authentication = (id: string) => `${this.prefix}:auth:${id}`;
  /**
   * One sorted set per provider of its active authentications, scored by when each should next
   * run (epoch ms): the poll engine claims the due ones from it, leasing them by re-scoring.
   */
  due = (provider: string) => `${this.prefix}:due:${provider}`;
  /** What one claim took, for a few seconds: its repeat after a lost reply takes the same (CLAIM_DUE). */
  claim = (token: string) => `${this.prefix}:claim:${token}`;
  /** Before the due sets, one set of every active authentication (read once, to migrate it). */
  legacyActive = () => `${this.prefix}:active`;
  /** One pending authentication per consumer, provider and customer (API.md `pending_exists`). */
  pendingLock = (consumer: string, provider: string, customerKey: string) =>
    `${this.prefix}:pending:${consumer}:${provider}:${customerKey}`;
  idempotency = (consumer: string, keyHash: string) => `${this.prefix}:idem:${consumer}:${keyHash}`;
  events = (id: string) => `${this.prefix}:events:${id}`;
  /** Finds an authentication from a ping or push notification, by a keyed hash of its auth_req_id. */
  notification = (provider: string, authReqIdKey: string) => `${this.prefix}:notify:${provider}:${authReqIdKey}`;
  /** Rate-limit windows: per consumer, per provider and customer (a keyed hash), per consumer's unknown customers. */
  consumerLimit = (consumer: string) => `${this.prefix}:limit:consumer:${consumer}`;
  customerLimit = (provider: string, customerKey: string) => `${this.prefix}:limit:customer:${provider}:${customerKey}`;
  unknownCustomerLimit = (consumer: string) => `${this.prefix}:limit:unknown:${consumer}`;
  /** Finished authentications whose webhook is still to be queued (written atomically with the end). */
  webhookOutbox = () => `${this.prefix}:webhook-outbox`;
  /** The append-only audit trail (a stream). */
  audit = () => `${this.prefix}:audit`;
  /** Cluster-wide counters (a hash of "name|label|label" to count). */
  metrics = () => `${this.prefix}:metrics`;
  /** Cluster-wide histograms (a hash of "name|label|...|bucket" to count, plus sums and counts). */
  histograms = () => `${this.prefix}:histograms`;
  /** Written by readiness checks to prove Redis takes writes (one per process, short-lived). */
  readinessProbe = (instance: string) => `${this.prefix}:ready-probe:${instance}`;
  /**
   * A branch agent's console session, by a SHA-256 of the session id: the cookie's value never
   * appears in Redis, so a dump yields nothing a browser could present.
   */
  agentSession = (sessionIdHash: string) => `${this.prefix}:agent-session:${sessionIdHash}`;
  /** A console sign-in under way (state, nonce, PKCE verifier), by a SHA-256 of its `state`. */
  consoleLogin = (stateHash: string) => `${this.prefix}:console-login:${stateHash}`;
  /** Rate-limit window of one branch agent (a keyed hash of the workforce subject). */
  agentLimit = (agentKey: string) => `${this.prefix}:limit:agent:${agentKey}`;
  /** BullMQ's own prefix (it appends `:queue:...`). */
  queuePrefix = () => `${this.prefix}:q`;
}
