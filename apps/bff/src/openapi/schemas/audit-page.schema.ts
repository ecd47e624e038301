import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import type { AuditEvent, AuditPage } from '@ciba/store';
import type { SameKeys } from './same-keys.js';

const text = (description?: string, example?: string) => ApiProperty({ type: 'string', nullable: true, description, example });

@ApiSchema({ name: 'AuditEvent', description: 'One entry of the append-only audit trail.' })
export class AuditEventSchema implements AuditEvent {
  @ApiProperty({ type: 'string', format: 'date-time' }) time!: string;
  @ApiProperty({ type: 'string', example: 'ciba.start' }) event!: string;
  @text('The consumer id.', 'branch-portal') consumer!: string | null;
  @text('The provider id.', 'sandbox') provider!: string | null;
  @text() authenticationId!: string | null;
  @text('Masked: only the last four characters of a long identifier are shown.', '*******1111') customer!: string | null;
  @text(undefined, 'pending') outcome!: string | null;
  @text('The client address the request came from.') source!: string | null;
  @ApiPropertyOptional({ type: 'string', nullable: true }) requestId?: string | null;
}

@ApiSchema({ name: 'AuditPage', description: 'Oldest first; `nextCursor` reads on, null on the last page.' })
export class AuditPageSchema implements AuditPage {
  @ApiProperty({ type: () => AuditEventSchema, isArray: true }) items!: AuditEvent[];
  @ApiProperty({ type: 'string', nullable: true, example: '1763805641000-0' }) nextCursor!: string | null;
}

const _eventKeys: SameKeys<AuditEventSchema, AuditEvent> = true;
const _pageKeys: SameKeys<AuditPageSchema, AuditPage> = true;
