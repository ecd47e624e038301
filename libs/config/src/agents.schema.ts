import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsDefined,
  IsInt,
  IsNumber,
  IsOptional,
  IsPositive,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { ClientAuthSchema, URL_OPTIONS } from './config.schema.js';

/** The bank's workforce OpenID Provider, where branch agents sign in to the console (API.md §7). */
export class AgentsIdpSchema {
  @IsUrl(URL_OPTIONS) issuer!: string;
  @IsString() clientId!: string;
  @IsDefined() @ValidateNested() @Type(() => ClientAuthSchema) clientAuth!: ClientAuthSchema;
  @IsString()
  @Matches(/(^|\s)openid(\s|$)/, { message: 'scope must contain "openid" (the sign-in needs an ID Token)' })
  scope: string = 'openid profile';
  /** Development only: a plain-http issuer. */
  @IsBoolean() allowInsecureHttp: boolean = false;
  /**
   * The registered redirect URI, when the BFF is reached under a name it cannot see (behind a
   * proxy); default: the request's own origin + `/console/callback`.
   */
  @IsOptional() @IsUrl(URL_OPTIONS) redirectUri?: string;
}

export class AgentsRateLimitSchema {
  /** Requests one agent may make per minute, on top of the consumer's own limit. */
  @IsInt() @Min(1) perMinute: number = 60;
}

/** Branch agents: sign-in at the workforce provider and server-side sessions (API.md §7). */
export class AgentsSchema {
  @IsDefined() @ValidateNested() @Type(() => AgentsIdpSchema) idp!: AgentsIdpSchema;
  /** The consumer whose providers, limits and webhook the console uses. */
  @IsString() consumer!: string;
  /** The ID Token claim that lists the agent's roles (an array, or a space-separated string). */
  @IsString() roleClaim: string = 'roles';
  @IsString() agentRole: string = 'ciba-agent';
  @IsString() supervisorRole: string = 'ciba-supervisor';
  /** Minutes without a request after which a session ends; fractions allowed (tests use seconds). */
  @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(1 / 60) @Max(24 * 60) sessionIdleMinutes: number = 15;
  /** Hours after sign-in at which a session ends, however busy. */
  @IsNumber({ allowNaN: false, allowInfinity: false }) @IsPositive() @Max(7 * 24) sessionMaxHours: number = 10;
  @ValidateNested() @Type(() => AgentsRateLimitSchema) rateLimit: AgentsRateLimitSchema = new AgentsRateLimitSchema();
}
