import { ApiProperty, ApiPropertyOptional, ApiSchema, getSchemaPath } from '@nestjs/swagger';
import type { LoadState, ProviderReadiness } from '@ciba/providers';
import type { SameKeys } from './same-keys.js';

/** `DependencyState` of the health controller: usable, or why not. */
const DEPENDENCY_STATES = ['ok', 'unreachable', 'refusing_writes', 'failing'];
const LOAD_STATES = ['not_loaded', 'loaded', 'failing'] satisfies LoadState[];
const dependency = { type: 'string', enum: DEPENDENCY_STATES } as const;

@ApiSchema({ name: 'Liveness' })
export class LivenessSchema {
  @ApiProperty({ enum: ['ok'] }) status!: 'ok';
}

@ApiSchema({ name: 'ProviderReadiness', description: "Whether a provider's metadata and ID Token keys are loaded." })
export class ProviderReadinessSchema implements ProviderReadiness {
  @ApiProperty({ enum: LOAD_STATES }) metadata!: LoadState;
  @ApiProperty({ enum: LOAD_STATES, description: '`not_loaded` until the first ID Token: normal.' }) keys!: LoadState;
  @ApiPropertyOptional({ type: 'string', description: 'Why the metadata could not be loaded, for an operator.' }) error?: string;
}

const _readinessKeys: SameKeys<ProviderReadinessSchema, ProviderReadiness> = true;

@ApiSchema({
  name: 'Readiness',
  description:
    'Ready when Redis takes writes and the queues answer. Providers are reported, not required: one down leaves the others working.',
})
export class ReadinessSchema {
  @ApiProperty({ enum: ['ok', 'unavailable'] }) status!: 'ok' | 'unavailable';
  @ApiProperty({ type: 'array', items: { type: 'string', enum: ['redis', 'queue'] }, description: 'The failing dependencies.' })
  failing!: string[];

  @ApiProperty({ type: 'object', properties: { redis: dependency, queue: dependency }, required: ['redis', 'queue'], selfRequired: true })
  checks!: { redis: string; queue: string };

  @ApiProperty({ type: 'object', additionalProperties: { $ref: getSchemaPath(ProviderReadinessSchema) }, description: 'By provider id.' })
  providers!: Record<string, ProviderReadiness>;
}
