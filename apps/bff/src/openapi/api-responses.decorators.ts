import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath, type ExamplesObject, type ResponseObject } from '@nestjs/swagger';
import type { ErrorCode } from '@ciba/ciba';
import { PROBLEM_TYPES } from '../http/problem-types.js';
import { answerHeaders, type ResponseHeader } from './response-headers.js';
import { ProblemSchema } from './schemas/problem.schema.js';
import { StatusDocumentSchema } from './schemas/status-document.schema.js';

export const PROBLEM_MEDIA_TYPE = 'application/problem+json';

/** The codes a route can answer, grouped by the status the error table gives each (in the table's order). */
function byStatus(codes: readonly ErrorCode[]): Map<number, ErrorCode[]> {
  const groups = new Map<number, ErrorCode[]>();
  for (const code of (Object.keys(PROBLEM_TYPES) as ErrorCode[]).filter((known) => codes.includes(known))) {
    const { status } = PROBLEM_TYPES[code];
    groups.set(status, [...(groups.get(status) ?? []), code]);
  }
  return groups;
}

/**
 * One problem response per status the listed codes map to (API.md §4). The status comes from the
 * error table, so a code moved to another status moves in the document too.
 */
export function problemResponses(codes: readonly ErrorCode[], options: { rateLimited: boolean }): Record<number, ResponseObject> {
  const responses: Record<number, ResponseObject> = {};
  for (const [status, group] of byStatus(codes)) {
    responses[status] = {
      description: `${group.map((code) => `\`${code}\``).join(', ')} (problem document).`,
      content: { [PROBLEM_MEDIA_TYPE]: { schema: { $ref: getSchemaPath(ProblemSchema) } } },
      headers: answerHeaders(status, options),
    };
  }
  return responses;
}

/** `problemResponses` on a route. */
export function ApiProblems(codes: readonly ErrorCode[], options: { rateLimited: boolean }): MethodDecorator {
  const responses = Object.entries(problemResponses(codes, options)).map(([status, response]) =>
    ApiResponse({ status: Number(status), ...response }),
  );
  return applyDecorators(ApiExtraModels(ProblemSchema), ...responses);
}

/** A success whose body is the status document. */
export function ApiStatusDocument(
  status: 200 | 201,
  description: string,
  options: { headers?: readonly ResponseHeader[]; examples?: ExamplesObject } = {},
): MethodDecorator {
  return applyDecorators(
    ApiExtraModels(StatusDocumentSchema),
    ApiResponse({
      status,
      description,
      content: { 'application/json': { schema: { $ref: getSchemaPath(StatusDocumentSchema) }, examples: options.examples } },
      headers: answerHeaders(status, { rateLimited: true, extra: options.headers }),
    }),
  );
}
