import type { NotificationsSchema, RedisSchema } from './config.schema.js';
import type { ClientAuthConfig, ConsumerConfig, ProviderConfig } from './config.types.js';

/** Rules that span several keys of one provider. */
export function checkProvider(provider: ProviderConfig, notifications: NotificationsSchema, problems: string[]): void {
  const path = `providers.${provider.id}`;
  if (!provider.issuer) {
    problems.push(
      `${path}.issuer: required (the expected "iss" of ID Tokens; discovery runs at {issuer}/.well-known/openid-configuration unless backchannelAuthenticationEndpoint, tokenEndpoint and jwksUri are all given)`,
    );
  }
  for (const key of ['issuer', 'backchannelAuthenticationEndpoint', 'tokenEndpoint', 'jwksUri'] as const) {
    const url = provider[key];
    if (url?.startsWith('http:') && !provider.allowInsecureHttp) {
      problems.push(`${path}.${key}: plain http is refused; use https, or set allowInsecureHttp: true for a local development provider`);
    }
  }
  const auth = provider.clientAuth;
  if (!auth) return;
  checkClientAuth(auth, `${path}.clientAuth`, problems);
  if (provider.signedRequests && !auth.privateKey) {
    problems.push(`${path}.signedRequests: signed authentication requests need clientAuth.privateKey (the key that signs them)`);
  }
  if (provider.deliveryMode !== 'poll' && !notifications.publicBaseUrl) {
    problems.push(`${path}.deliveryMode: ${provider.deliveryMode} needs notifications.publicBaseUrl (where the provider reaches us)`);
  }
}

/** The secret or key that a client authentication method uses (a provider's, the workforce provider's). */
export function checkClientAuth(auth: ClientAuthConfig, path: string, problems: string[]): void {
  const needsSecret = ['client_secret_basic', 'client_secret_post', 'client_secret_jwt'].includes(auth.method);
  if (needsSecret && !auth.secret) problems.push(`${path}.secret: required for ${auth.method}`);
  if (auth.method === 'private_key_jwt' && !auth.privateKey)
    problems.push(`${path}.privateKey: required for private_key_jwt (a JWK or a PEM)`);
  if (auth.method === 'tls_client_auth' && !(auth.cert && auth.key))
    problems.push(`${path}: tls_client_auth needs "cert" and "key" (PEM file paths)`);
}

/**
 * Rules that span a consumer and the rest of the file. `signedInByAgents`: the consumer named by
 * `agents.consumer`, reached through agents' sessions, so it may have no key or token of its own.
 */
export function checkConsumer(
  consumer: ConsumerConfig,
  providers: ReadonlyMap<string, ProviderConfig>,
  consumers: ReadonlyMap<string, ConsumerConfig>,
  problems: string[],
  signedInByAgents = false,
): void {
  const path = `consumers.${consumer.id}`;
  for (const id of consumer.providers ?? []) {
    if (!providers.has(id)) problems.push(`${path}.providers: "${id}" is not a configured provider`);
  }
  if (consumer.keyHashes.length === 0 && !consumer.jwt && !signedInByAgents) {
    problems.push(`${path}: needs a way to authenticate: apiKeySha256, apiKeysSha256 or jwt`);
  }
  for (const other of consumers.values()) {
    const shared = other.id < consumer.id ? consumer.keyHashes.find((hash) => other.keyHashes.includes(hash)) : undefined;
    if (shared) problems.push(`${path}.apiKeysSha256: the same key hash as consumer "${other.id}"; every consumer needs its own key`);
  }
  const jwt = consumer.jwt;
  if (jwt && !jwt.allowInsecureHttp) {
    for (const [name, url] of [
      ['issuer', jwt.issuer],
      ['jwksUri', jwt.jwksUri],
    ] as const) {
      if (url?.startsWith('http:')) problems.push(`${path}.jwt.${name}: must be https (allowInsecureHttp: true only for development)`);
    }
  }
}

/** Each Redis mode names what it needs. */
export function checkRedis(redis: RedisSchema, problems: string[]): void {
  if (redis.mode === 'sentinel' && !(redis.sentinels?.length && redis.name)) {
    problems.push('redis: sentinel mode needs "sentinels" (host, port) and "name" (the master group)');
  }
  if (redis.mode === 'cluster' && !redis.nodes?.length)
    problems.push('redis.nodes: cluster mode needs at least one seed node (host, port)');
}
