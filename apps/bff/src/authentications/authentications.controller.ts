import { Body, Controller, Delete, Get, Headers, HttpCode, Inject, Param, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { invalidRequest, isAuthenticationStatus, notFound, type AuthenticationView } from '@ciba/ciba';
import type { Response } from 'express';
import { ApiKeyGuard, type AuthenticatedRequest } from '../consumers/api-key.guard.js';
import { AUTHENTICATION_ID_PATTERN } from './authentication-id.js';
import { AuthenticationsService } from './authentications.service.js';
import { callerOf } from './caller.js';
import { StartAuthenticationDto } from './dto/start-authentication.dto.js';
import { IdempotentStart } from './idempotent-start.js';
import { StatusDocumentFactory } from './status-document.factory.js';
import { StatusWaiter } from '../delivery/status-waiter.js';
import { UserCodeDto } from './dto/user-code.dto.js';
import { UserCodeService } from './user-code.service.js';
import {
  CancelAuthenticationDocs,
  GetAuthenticationDocs,
  StartAuthenticationDocs,
  SubmitUserCodeDocs,
} from '../openapi/routes/authentications.docs.js';

@ApiTags('authentications')
@Controller('v1/authentications')
@UseGuards(ApiKeyGuard)
export class AuthenticationsController {
  constructor(
    @Inject(IdempotentStart) private readonly starter: IdempotentStart,
    @Inject(AuthenticationsService) private readonly authentications: AuthenticationsService,
    @Inject(StatusWaiter) private readonly waiter: StatusWaiter,
    @Inject(StatusDocumentFactory) private readonly documents: StatusDocumentFactory,
    @Inject(UserCodeService) private readonly userCodes: UserCodeService,
  ) {}

  @Post()
  @HttpCode(201)
  @StartAuthenticationDocs()
  async start(
    @Req() request: AuthenticatedRequest,
    @Body() body: StartAuthenticationDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    const record = await this.starter.start(callerOf(request), body, idempotencyKey);
    response.location(`/v1/authentications/${record.id}`);
    return this.documents.create(record, request.consumer);
  }

  @Get(':id')
  @GetAuthenticationDocs()
  async read(
    @Req() request: AuthenticatedRequest,
    @Param('id') id: string,
    @Query('wait') wait: string | undefined,
    @Query('status') status: string | undefined,
  ) {
    const record = await this.readOrWait(request, checkedId(id), wait, status);
    return this.documents.create(record, request.consumer);
  }

  @Post(':id/user-code')
  @HttpCode(200)
  @SubmitUserCodeDocs()
  async userCode(@Req() request: AuthenticatedRequest, @Param('id') id: string, @Body() body: UserCodeDto) {
    const record = await this.userCodes.submit(callerOf(request), checkedId(id), body.userCode);
    return this.documents.create(record, request.consumer);
  }

  @Delete(':id')
  @CancelAuthenticationDocs()
  async cancel(@Req() request: AuthenticatedRequest, @Param('id') id: string) {
    const record = await this.authentications.cancel(callerOf(request), checkedId(id));
    return this.documents.create(record, request.consumer);
  }

  private async readOrWait(request: AuthenticatedRequest, id: string, wait?: string, status?: string): Promise<AuthenticationView> {
    if (wait === undefined) {
      if (status !== undefined) throw invalidRequest('status is only meaningful together with wait.');
      return this.authentications.view(callerOf(request), id);
    }
    if (!/^\d{1,2}$/.test(wait) || Number(wait) < 1 || Number(wait) > 60)
      throw invalidRequest('wait must be a whole number of seconds from 1 to 60.');
    if (status !== undefined && !isAuthenticationStatus(status)) throw invalidRequest(`status "${status}" is not a status.`);
    const aborted = new AbortController();
    request.on('close', () => aborted.abort());
    return this.waiter.waitForChange(callerOf(request), id, status, Number(wait), aborted.signal);
  }
}

/** An id that cannot exist answers exactly like an unknown one. */
export function checkedId(id: string): string {
  if (!AUTHENTICATION_ID_PATTERN.test(id)) throw notFound();
  return id;
}
