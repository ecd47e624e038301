import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  ArrayNotEmpty,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';

export const PROFILES = ['generic', 'tbc', 'idura', 'simpleidserver', 'plumery'] as const;
export type Profile = (typeof PROFILES)[number];
export const CLIENT_AUTH_METHODS = [
  'client_secret_basic',
  'client_secret_post',
  'private_key_jwt',
  'client_secret_jwt',
  'tls_client_auth',
  'none',
] as const;
export type ClientAuthMethod = (typeof CLIENT_AUTH_METHODS)[number];
export const DELIVERY_MODES = ['poll', 'ping', 'push'] as const;
export type DeliveryMode = (typeof DELIVERY_MODES)[number];

/** Ids become parts of Redis keys and queue names: keep them to a safe alphabet. */
export const ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,62}$/;
/** http(s) URLs, loopback and single-label hosts included (development providers). */
export const URL_OPTIONS = { require_tld: false, require_protocol: true, protocols: ['http', 'https'] };

export class ClientAuthSchema {
  @IsIn(CLIENT_AUTH_METHODS) method!: ClientAuthMethod;
  @IsOptional() @IsString() secret?: string;
  /** private_key_jwt: a JWK (JSON text or object) or a PEM. */
  @IsOptional() privateKey?: string | Record<string, unknown>;
  @IsOptional() @IsString() kid?: string;
  @IsOptional() @IsString() alg?: string;
  /** tls_client_auth: PEM file paths. */
  @IsOptional() @IsString() cert?: string;
  @IsOptional() @IsString() key?: string;
  /** tls_client_auth: extra CA certificates (PEM path) trusted for the provider's server certificate. */
  @IsOptional() @IsString() ca?: string;
}

export class ProviderSchema {
  @IsIn(PROFILES) profile: Profile = 'generic';
  @IsOptional() @IsUrl(URL_OPTIONS) issuer?: string;
  @IsOptional() @IsUrl(URL_OPTIONS) backchannelAuthenticationEndpoint?: string;
  @IsOptional() @IsUrl(URL_OPTIONS) tokenEndpoint?: string;
  @IsOptional() @IsUrl(URL_OPTIONS) jwksUri?: string;
  @IsString() clientId!: string;
  @ValidateNested() @Type(() => ClientAuthSchema) clientAuth!: ClientAuthSchema;
  @IsIn(DELIVERY_MODES) deliveryMode: DeliveryMode = 'poll';
  @IsString()
  @Matches(/(^|\s)openid(\s|$)/, { message: 'scope must contain "openid" (CIBA Core §7.1)' })
  scope: string = 'openid';
  @IsBoolean() signedRequests: boolean = false;
  @IsBoolean() allowInsecureHttp: boolean = false;
  /** Seconds one HTTP call to this provider may take. */
  @IsInt() @Min(1) @Max(60) httpTimeoutSeconds: number = 10;
  /**
   * Least seconds between two fetches of the provider's JWKS. An ID Token signed with a key the
   * cached set lacks waits for the next fetch after this pause (key rotation) before it is refused.
   */
  @IsInt() @Min(1) @Max(300) jwksCooldownSeconds: number = 30;
  /**
   * OIDC Core §3.1.3.7 (3): audiences besides our client id an ID Token may name. Any other
   * audience is refused.
   */
  @IsArray() @IsString({ each: true }) trustedAudiences: string[] = [];
  /** Most bytes read from one answer of this provider (token, acknowledgement, discovery, JWKS). */
  @IsInt() @Min(4096) @Max(1_048_576) maxResponseBytes: number = 65_536;
  /** Polls of this provider in flight at once, per worker process. */
  @IsInt() @Min(1) @Max(1000) pollConcurrency: number = 50;
  /**
   * Ping mode: how often to poll when no notification has come (CIBA lets a ping client poll).
   * Never sooner than the provider's interval.
   */
  @IsInt() @Min(1) @Max(3600) pingFallbackSeconds: number = 30;
  /** Profile-specific settings, validated by the profile's adapter (see the README per provider). */
  @IsOptional() @IsObject() options?: Record<string, unknown>;
  /** Two-step profiles: wrong user codes allowed before the authentication fails. */
  @IsInt() @Min(1) @Max(10) maxUserCodeAttempts: number = 3;
}

export class WebhookSchema {
  @IsString() secret!: string;
  @IsArray() @IsString({ each: true }) allowedHosts: string[] = [];
  @IsBoolean() allowLoopback: boolean = false;
}

export class RateLimitSchema {
  @IsInt() @Min(1) perMinute: number = 600;
}

const KEY_HASH = /^[0-9a-f]{64}$/i;

/**
 * A consumer that presents JWT access tokens (RFC 9068) from the bank's own identity provider
 * instead of an API key (API.md §7).
 */
export class ConsumerJwtSchema {
  @IsUrl(URL_OPTIONS) issuer!: string;
  /** `aud` must contain it. */
  @IsString() audience!: string;
  /** Accepted `client_id` values (or `sub` when the token has no `client_id`). */
  @IsArray() @ArrayNotEmpty() @IsString({ each: true }) subjects!: string[];
  /** The issuer's JWKS; default: `jwks_uri` from its discovery document. */
  @IsOptional() @IsUrl(URL_OPTIONS) jwksUri?: string;
  /** Development only: a plain-http issuer. */
  @IsBoolean() allowInsecureHttp: boolean = false;
}

export class ConsumerSchema {
  /** One API key's hex SHA-256 (the key itself is never stored). */
  @IsOptional()
  @Matches(KEY_HASH, { message: 'apiKeySha256 must be the hex SHA-256 of the API key (64 hex digits)' })
  apiKeySha256?: string;
  /** Several keys at once, so a key is rotated without downtime (API.md §7). */
  @IsOptional()
  @IsArray()
  @Matches(KEY_HASH, { each: true, message: 'apiKeysSha256 must list hex SHA-256 hashes of API keys (64 hex digits each)' })
  apiKeysSha256?: string[];
  @IsOptional() @ValidateNested() @Type(() => ConsumerJwtSchema) jwt?: ConsumerJwtSchema;
  @IsArray() @IsString({ each: true }) providers: string[] = [];
  @IsBoolean() receiveTokens: boolean = false;
  @IsOptional() @ValidateNested() @Type(() => WebhookSchema) webhook?: WebhookSchema;
  @ValidateNested() @Type(() => RateLimitSchema) rateLimit: RateLimitSchema = new RateLimitSchema();
  @IsBoolean() admin: boolean = false;
}

export class PerLoginHintLimitSchema {
  @IsInt() @Min(1) max: number = 3;
  @IsInt() @Min(1) windowSeconds: number = 300;
}

/** Enumeration guard: "customer unknown" answers a consumer may collect per window. */
export class UnknownCustomersLimitSchema {
  @IsInt() @Min(1) max: number = 20;
  @IsInt() @Min(1) windowSeconds: number = 600;
}

export class LimitsSchema {
  @ValidateNested() @Type(() => PerLoginHintLimitSchema) perLoginHint = new PerLoginHintLimitSchema();
  @ValidateNested() @Type(() => UnknownCustomersLimitSchema) unknownCustomers = new UnknownCustomersLimitSchema();
}

export class NotificationsSchema {
  @IsOptional() @IsUrl(URL_OPTIONS) publicBaseUrl?: string;
}

export class RedisNodeSchema {
  @IsString() host!: string;
  @IsInt() @Min(1) @Max(65535) port: number = 6379;
}

/**
 * Where Redis is (API.md §2-§3): `REDIS_URL` for a single server; Sentinel or Cluster here. Every
 * key of ours and BullMQ's shares one hash tag (`storage.keyPrefix`), so a cluster keeps them in
 * one slot and multi-key scripts stay legal.
 */
export class RedisSchema {
  @IsIn(['standalone', 'sentinel', 'cluster']) mode: 'standalone' | 'sentinel' | 'cluster' = 'standalone';
  /** sentinel: the sentinels to ask, and the name of the monitored master. */
  @IsOptional() @IsArray() @ValidateNested({ each: true }) @Type(() => RedisNodeSchema) sentinels?: RedisNodeSchema[];
  @IsOptional() @IsString() name?: string;
  @IsOptional() @IsString() sentinelPassword?: string;
  /** cluster: the seed nodes. */
  @IsOptional() @IsArray() @ValidateNested({ each: true }) @Type(() => RedisNodeSchema) nodes?: RedisNodeSchema[];
  @IsOptional() @IsString() username?: string;
  @IsOptional() @IsString() password?: string;
  @IsBoolean() tls: boolean = false;
}

export class StorageSchema {
  /** How long a finished authentication stays readable, seconds (default one day). */
  @IsInt() @Min(60) retentionSeconds: number = 86_400;
  /** How long audit events are kept, seconds (default 30 days). */
  @IsInt() @Min(3600) auditRetentionSeconds: number = 30 * 86_400;
  /** Prefix of every Redis key; a hash tag so that Redis Cluster keeps them in one slot. */
  @IsString()
  @Matches(/^\{[A-Za-z0-9_-]{1,32}\}$/, { message: 'keyPrefix must look like {name}' })
  keyPrefix: string = '{ciba}';
}
