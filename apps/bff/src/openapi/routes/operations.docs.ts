import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiOperation, ApiResponse } from '@nestjs/swagger';
import { ErrorCode } from '@ciba/ciba';
import { ApiProblems } from '../api-responses.decorators.js';
import { answerHeaders } from '../response-headers.js';
import { LivenessSchema, ProviderReadinessSchema, ReadinessSchema } from '../schemas/health.schema.js';

/** No key: health, metrics and docs are open (API.md §4). */
const open = (operationId: string, summary: string, description?: string) =>
  ApiOperation({ operationId, summary, description, security: [] });
const headers = answerHeaders(200, { rateLimited: false });

/** `GET /health/live`. */
export const LivenessDocs = () =>
  applyDecorators(
    open('getLiveness', 'Liveness: the process answers'),
    ApiResponse({ status: 200, description: 'Alive.', type: LivenessSchema, headers }),
  );

/** `GET /health/ready`. */
export const ReadinessDocs = () =>
  applyDecorators(
    open(
      'getReadiness',
      'Readiness: Redis reachable and taking writes, the queues answering',
      'A `ROLE=worker` process serves this route and `/health/live` on `PORT` too, and nothing else.',
    ),
    ApiExtraModels(ProviderReadinessSchema),
    ApiResponse({ status: 200, description: 'Ready.', type: ReadinessSchema, headers }),
    ApiResponse({
      status: 503,
      description: 'Not ready: `failing` names each failing dependency.',
      type: ReadinessSchema,
      headers: answerHeaders(503, { rateLimited: false }),
    }),
  );

/** `GET /metrics`. */
export const MetricsDocs = () =>
  applyDecorators(
    open(
      'getMetrics',
      'Prometheus metrics (text exposition format)',
      'Counters and histograms are shared by every replica (kept in Redis).',
    ),
    ApiResponse({
      status: 200,
      description: 'The metrics.',
      content: { 'text/plain; version=0.0.4; charset=utf-8': { schema: { type: 'string' } } },
      headers,
    }),
    ApiProblems([ErrorCode.StoreUnavailable, ErrorCode.InternalError], { rateLimited: false }),
  );
