import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import ts from 'typescript';
import { packageRoot } from '@ciba/config';
import { openApiFilePath } from '../../apps/bff/src/openapi/openapi-file.js';

/** Real use of a client generated from docs/openapi.json: openapi-fetch over openapi-typescript's types. */
const USE = `
import createClient from 'openapi-fetch';
import type { components, paths } from './openapi.js';

type StatusDocument = components['schemas']['StatusDocument'];
const client = createClient<paths>({ baseUrl: 'https://bff.example.com', headers: { authorization: 'Bearer key' } });

export async function use(): Promise<void> {
  const started = await client.POST('/v1/authentications', {
    body: { provider: 'tbc', loginHint: { personal_number: '01001011111' }, requestedExpiry: 120 },
    params: { header: { 'Idempotency-Key': 'till-7/receipt-99' } },
  });
  if (started.error) {
    const code: components['schemas']['ErrorCode'] = started.error.code;
    const pending: string | undefined = started.error.pendingId;
    void [code, pending];
    return;
  }
  const document: StatusDocument = started.data;
  await client.POST('/v1/authentications', { body: { provider: 'sandbox', loginHint: 'alice', bindingMessage: 'W4SP-1234' } });
  await client.POST('/v1/authentications', { body: { provider: 'sandbox', idTokenHint: 'a.b.c' } });
  const read = await client.GET('/v1/authentications/{id}', { params: { path: { id: document.id }, query: { wait: 30, status: 'pending' } } });
  const claims: Record<string, unknown> | undefined = read.data?.result?.claims;
  const failure: string | undefined = read.data?.error?.code;
  await client.POST('/v1/authentications/{id}/user-code', { params: { path: { id: document.id } }, body: { userCode: '483920' } });
  const cancelled = await client.DELETE('/v1/authentications/{id}', { params: { path: { id: document.id } } });
  const terminal: 'cancelled' | string | undefined = cancelled.data?.status;
  const page = await client.GET('/v1/audit', { params: { query: { limit: 100 } } });
  const next: string | null | undefined = page.data?.nextCursor;
  void [claims, failure, terminal, next];
}
`;

/** Uses the types wrongly: each line must be an error, or the check above proves nothing. */
const MISUSE = `
import createClient from 'openapi-fetch';
import type { paths } from './openapi.js';

const client = createClient<paths>({ baseUrl: 'https://bff.example.com' });
export const wrongHint = client.POST('/v1/authentications', { body: { provider: 'sandbox', loginHint: 42 } });
export const noProvider = client.POST('/v1/authentications', { body: { loginHint: 'alice' } });
export const wrongExpiry = client.POST('/v1/authentications', { body: { provider: 'sandbox', loginHint: 'alice', requestedExpiry: '120' } });
export const wrongStatus = client.GET('/v1/authentications/{id}', { params: { path: { id: 'x' }, query: { status: 'done' } } });
`;

/** Type errors of one file compiled strictly against the generated types (module resolution as a bundler's). */
function typeErrors(directory: string, file: string): string[] {
  const program = ts.createProgram([join(directory, file)], {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.Preserve,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
    types: [],
    skipLibCheck: true,
  });
  return ts
    .getPreEmitDiagnostics(program)
    .map(
      (diagnostic) =>
        `${diagnostic.file ? `${diagnostic.file.fileName.slice(directory.length + 1)}:${diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start ?? 0).line + 1} ` : ''}${ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ')}`,
    );
}

describe('a client generated from docs/openapi.json (openapi-typescript + openapi-fetch)', () => {
  let directory: string;

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'ciba-openapi-types-'));
    // The generated client resolves openapi-fetch from this repository's dependencies.
    symlinkSync(join(packageRoot(), 'node_modules'), join(directory, 'node_modules'));
    writeFileSync(join(directory, 'openapi.ts'), astToString(await openapiTS(pathToFileURL(openApiFilePath()))));
    writeFileSync(join(directory, 'use.ts'), USE);
    writeFileSync(join(directory, 'misuse.ts'), MISUSE);
  }, 60_000);
  afterAll(() => {
    if (directory) rmSync(directory, { recursive: true, force: true });
  });

  it('type-checks real use, an object login hint included', () => {
    expect(typeErrors(directory, 'use.ts')).toEqual([]);
  }, 60_000);

  it('refuses a number as hint, a missing provider, a string expiry and an unknown status', () => {
    const errors = typeErrors(directory, 'misuse.ts');
    expect(errors.map((error) => Number(/^misuse\.ts:(\d+)/.exec(error)?.[1]))).toEqual(expect.arrayContaining([6, 7, 8, 9]));
  }, 60_000);
});
