import { readFileSync } from 'node:fs';
import openapiTS, { astToString } from 'openapi-typescript';

const DOCUMENT = new URL('../../docs/openapi.json', import.meta.url);
const GENERATED = new URL('../../libs/client/src/generated/openapi.ts', import.meta.url);

/** The client's types are generated from the committed API document, and kept in step with it. */
describe('libs/client generated types', () => {
  it('match docs/openapi.json (else run "npm run openapi")', async () => {
    const expected = astToString(await openapiTS(DOCUMENT));
    const committed = readFileSync(GENERATED, 'utf8');
    expect(committed.endsWith(expected)).toBe(true);
  });
});
