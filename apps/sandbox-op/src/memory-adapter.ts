/*
 * oidc-provider persistence for the sandbox: a plain in-process store.
 *
 * We pass our own adapter (instead of relying on oidc-provider's built-in one) for two reasons:
 * each running sandbox gets its own isolated store, and the built-in one prints a
 * "development-only adapter" warning to the console. Nothing here survives a restart, which is
 * what a sandbox wants.
 */

type Payload = Record<string, unknown>;

interface Entry {
  payload: Payload;
  /** epoch ms; Infinity when oidc-provider gave no expiry */
  expiresAt: number;
}

const PRUNE_EVERY_MS = 60_000;

/**
 * The models whose records oidc-provider revokes by grant id (what its own memory adapter
 * indexes). Interactions and sessions also carry a grantId, but only as a reference: revoking a
 * grant at sign-out must not delete the interaction being resumed (an agent switch).
 */
const GRANTABLE_MODELS = new Set([
  'AccessToken',
  'AuthorizationCode',
  'RefreshToken',
  'DeviceCode',
  'BackchannelAuthenticationRequest',
  'PreAuthorizedCode',
]);

export class SandboxStore {
  readonly #entries = new Map<string, Entry>();
  readonly #grantMembers = new Map<string, Set<string>>();
  #lastPrune = Date.now();

  get(key: string): Payload | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry.payload;
  }

  /** `grantId`: index the entry under that grant, for deleteGrant. */
  set(key: string, payload: Payload, expiresInSeconds?: number, grantId?: string): void {
    const expiresAt = typeof expiresInSeconds === 'number' ? Date.now() + expiresInSeconds * 1000 : Infinity;
    this.#entries.set(key, { payload, expiresAt });
    if (grantId !== undefined) {
      const members = this.#grantMembers.get(grantId) ?? new Set<string>();
      members.add(key);
      this.#grantMembers.set(grantId, members);
    }
    this.#pruneOccasionally();
  }

  delete(key: string): void {
    this.#entries.delete(key);
  }

  /** Removes what was issued under a grant whose key starts with `prefix` (one model's records). */
  deleteGrant(grantId: string, prefix: string): void {
    const members = this.#grantMembers.get(grantId);
    if (!members) return;
    for (const key of members) {
      if (!key.startsWith(prefix)) continue;
      this.#entries.delete(key);
      members.delete(key);
    }
    if (members.size === 0) this.#grantMembers.delete(grantId);
  }

  findKey(predicate: (key: string, payload: Payload) => boolean): string | undefined {
    for (const [key, entry] of this.#entries) {
      if (entry.expiresAt > Date.now() && predicate(key, entry.payload)) return key;
    }
    return undefined;
  }

  #pruneOccasionally(): void {
    const now = Date.now();
    if (now - this.#lastPrune < PRUNE_EVERY_MS) return;
    this.#lastPrune = now;
    for (const [key, entry] of this.#entries) if (entry.expiresAt <= now) this.#entries.delete(key);
    for (const [grantId, members] of this.#grantMembers) {
      for (const key of members) if (!this.#entries.has(key)) members.delete(key);
      if (members.size === 0) this.#grantMembers.delete(grantId);
    }
  }
}

/** The adapter interface oidc-provider calls, one instance per model name. */
export class SandboxAdapter {
  constructor(
    private readonly model: string,
    private readonly store: SandboxStore,
  ) {}

  #key(id: string): string {
    return `${this.model}:${id}`;
  }

  async upsert(id: string, payload: Payload, expiresIn?: number): Promise<void> {
    const grantId = GRANTABLE_MODELS.has(this.model) && typeof payload.grantId === 'string' ? payload.grantId : undefined;
    this.store.set(this.#key(id), payload, expiresIn, grantId);
  }

  async find(id: string): Promise<Payload | undefined> {
    return this.store.get(this.#key(id));
  }

  async findByUid(uid: string): Promise<Payload | undefined> {
    return this.#findBy('uid', uid);
  }

  async findByUserCode(userCode: string): Promise<Payload | undefined> {
    return this.#findBy('userCode', userCode);
  }

  async consume(id: string): Promise<void> {
    const payload = this.store.get(this.#key(id));
    if (payload) payload.consumed = Math.floor(Date.now() / 1000);
  }

  async destroy(id: string): Promise<void> {
    this.store.delete(this.#key(id));
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    this.store.deleteGrant(grantId, `${this.model}:`);
  }

  // Sessions and device codes are rare in a CIBA sandbox, so a scan is good enough.
  #findBy(field: string, value: string): Payload | undefined {
    const prefix = `${this.model}:`;
    const key = this.store.findKey((candidate, payload) => candidate.startsWith(prefix) && payload[field] === value);
    return key === undefined ? undefined : this.store.get(key);
  }
}

/**
 * oidc-provider accepts a factory `(modelName) => adapter`; all models share one store.
 *
 * The sandbox's clients are seeded here as stored ("dynamic") clients rather than passed as the
 * static `clients` option: oidc-provider structuredClone()s static client metadata, and under
 * Jest's vm sandbox the clone comes from another realm, so its `constructor === Object` check
 * rejects inline `jwks` keys ("client JSON Web Key Set is invalid"). Read through the adapter,
 * the metadata is validated the same way, in plain Node and under Jest alike.
 */
export function createAdapterFactory(clients: Record<string, unknown>[]): (model: string) => SandboxAdapter {
  const store = new SandboxStore();
  for (const client of clients) store.set(`Client:${String(client.client_id)}`, client);
  return (model) => new SandboxAdapter(model, store);
}
