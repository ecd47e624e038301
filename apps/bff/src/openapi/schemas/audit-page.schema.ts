import { ApiExtraModels, ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import type { Initiator } from '@ciba/ciba';
import type { AuditEvent, AuditPage } from '@ciba/store';
import { INITIATOR_MODELS, nullableInitiatorProperty } from './initiator.schema.js';
import type { SameKeys } from './same-keys.js';

const text = (description?: string, example?: string) => ApiProperty({ type: 'string', nullable: true, description, example });

@ApiSchema({ name: 'AuditEvent', description: 'One entry of the append-only audit trail.' })
@ApiExtraModels(...INITIATOR_MODELS)
export class AuditEventSchema implements AuditEvent {
  @ApiProperty({ type: 'string', format: 'date-time' }) time!: string;
  @ApiProperty({ type: 'string', example: 'ciba.start' }) event!: string;
  @text('The consumer id.', 'branch-portal') consumer!: string | null;
  @text('The provider id.', 'sandbox') provider!: string | null;
  @text() authenticationId!: string | null;
  @text('Masked: only the last four characters of a long identifier are shown.', '*******1111') customer!: string | null;
  @text(undefined, 'pending') outcome!: string | null;
  @text('The client address the request came from.') source!: string | null;

  @nullableInitiatorProperty(
    'Who started the authentication (API.md §7); for an event without one, who made the call. Null when not known (events written before it was recorded).',
  )
  initiatedBy!: Initiator | null;

  @ApiPropertyOptional({ type: 'string', nullable: true }) requestId?: string | null;
}

@ApiSchema({
  name: 'AuditPage',
  description:
    "Oldest first; `nextCursor` reads on, null on the last page. A supervisor's page (only its consumer's events) may hold fewer than `limit` events, even none, and still have a `nextCursor`: follow it.",
})
export class AuditPageSchema implements AuditPage {
  @ApiProperty({ type: () => AuditEventSchema, isArray: true }) items!: AuditEvent[];
  @ApiProperty({ type: 'string', nullable: true, example: '1763805641000-0' }) nextCursor!: string | null;
}

const _eventKeys: SameKeys<AuditEventSchema, AuditEvent> = true;
const _pageKeys: SameKeys<AuditPageSchema, AuditPage> = true;
