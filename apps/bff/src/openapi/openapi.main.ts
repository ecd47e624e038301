import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, relative } from 'node:path';
import { buildSandboxDocument } from './document-app.js';
import { openApiFilePath, renderOpenApiJson } from './openapi-file.js';

/**
 * `npm run openapi`: writes `docs/openapi.json`, the document `/docs-json` serves, without Redis or
 * a network. `test/openapi/` fails when the committed file is not what the code builds.
 */
async function main(): Promise<void> {
  const document = await buildSandboxDocument();
  const path = openApiFilePath();
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, await renderOpenApiJson(document));
  process.stdout.write(`wrote ${relative(process.cwd(), path)}: ${Object.keys(document.paths).length} paths\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`openapi: ${(error as Error)?.stack ?? String(error)}\n`);
  process.exit(1);
});
