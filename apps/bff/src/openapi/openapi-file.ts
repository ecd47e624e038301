import { join } from 'node:path';
import type { OpenAPIObject } from '@nestjs/swagger';
import { packageRoot } from '@ciba/config';

/** Where the document is committed, for client generators that work from the repository. */
export const openApiFilePath = (): string => join(packageRoot(), 'docs', 'openapi.json');

/**
 * The document as committed: JSON laid out by the project's Prettier settings, so that
 * `prettier --check .` (npm run lint) accepts the generated file as it is.
 */
export async function renderOpenApiJson(document: OpenAPIObject): Promise<string> {
  // A development tool, loaded only when the file is written (never by the server).
  const prettier = await import('prettier');
  const path = openApiFilePath();
  const options = (await prettier.resolveConfig(path)) ?? {};
  return prettier.format(JSON.stringify(document), { ...options, filepath: path });
}
