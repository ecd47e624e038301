import type { INestApplication } from '@nestjs/common';
import { SwaggerModule } from '@nestjs/swagger';
import { buildOpenApiDocument } from '../openapi/openapi-document.js';

/** The OpenAPI document at `/docs-json` and its UI at `/docs` (API.md §6); `docs/openapi.json` is the same document. */
export function setupOpenApi(app: INestApplication): void {
  SwaggerModule.setup('docs', app, buildOpenApiDocument(app), { jsonDocumentUrl: 'docs-json' });
}
