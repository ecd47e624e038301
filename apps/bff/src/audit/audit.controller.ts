import { Controller, Get, Inject, Query, Req, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { invalidRequest, notFound } from '@ciba/ciba';
import { AuditTrail, type AuditPage } from '@ciba/store';
import { ApiKeyGuard, type AuthenticatedRequest } from '../consumers/api-key.guard.js';
import { callerOf } from '../authentications/caller.js';
import { auditScope } from './audit-scope.js';
import { ListAuditDocs } from '../openapi/routes/audit.docs.js';

const STREAM_ID = /^\d{1,15}-\d{1,10}$/;

/**
 * `GET /v1/audit` (API.md §6, §7): admin consumers (all events) and console supervisors (their
 * consumer's events) only; others get 404, as for any unknown route.
 */
@ApiTags('audit')
@Controller('v1/audit')
@UseGuards(ApiKeyGuard)
export class AuditController {
  constructor(@Inject(AuditTrail) private readonly trail: AuditTrail) {}

  @Get()
  @ListAuditDocs(STREAM_ID)
  async read(
    @Req() request: AuthenticatedRequest,
    @Query('from') from?: string,
    @Query('to') to?: string,
    @Query('limit') limit?: string,
    @Query('cursor') cursor?: string,
  ): Promise<AuditPage> {
    const scope = auditScope(callerOf(request));
    if (scope.kind === 'none') throw notFound();
    const count = limit === undefined ? 100 : Number(limit);
    if (!Number.isInteger(count) || count < 1 || count > 500) throw invalidRequest('limit must be a whole number from 1 to 500.');
    if (cursor !== undefined && !STREAM_ID.test(cursor)) throw invalidRequest('cursor must be the nextCursor of a previous page.');
    return this.trail.read({
      from: instant('from', from),
      to: instant('to', to),
      limit: count,
      cursor,
      consumer: scope.kind === 'consumer' ? scope.consumer : undefined,
    });
  }
}

function instant(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const time = /^\d{4}-\d\d-\d\dT/.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(time)) throw invalidRequest(`${name} must be an ISO 8601 date-time, e.g. 2026-11-22T10:00:00Z.`);
  return time;
}
