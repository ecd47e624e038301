import { readFileSync } from 'node:fs';
import type { ErrorCode } from '@ciba/ciba';
import { buildSandboxDocument } from '../../apps/bff/src/openapi/document-app.js';
import { openApiFilePath, renderOpenApiJson } from '../../apps/bff/src/openapi/openapi-file.js';
import { PROBLEM_TYPES } from '../../apps/bff/src/http/problem-types.js';
import { OpenApiContract, committedDocument } from './openapi-contract.js';

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];

/** Every operation of the document with where it is. */
function operations(document: Record<string, any>): { method: string; path: string; operation: Record<string, any> }[] {
  return Object.entries(document.paths as Record<string, Record<string, any>>).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, operation]) => ({ method, path, operation })),
  );
}

/** Every `example` and `examples` value in the document, each with the schema it illustrates. */
function examples(node: unknown, schema: unknown = undefined, at = '#'): { at: string; schema: unknown; value: unknown }[] {
  if (Array.isArray(node)) return node.flatMap((item, index) => examples(item, undefined, `${at}/${index}`));
  if (node === null || typeof node !== 'object') return [];
  const object = node as Record<string, any>;
  const own = object.schema ?? (object.type || object.$ref || object.properties ? object : schema);
  const found: { at: string; schema: unknown; value: unknown }[] = [];
  if ('example' in object && own) found.push({ at: `${at}/example`, schema: own, value: object.example });
  if (object.examples && typeof object.examples === 'object' && !Array.isArray(object.examples) && own) {
    for (const [name, example] of Object.entries(object.examples as Record<string, { value: unknown }>)) {
      found.push({ at: `${at}/examples/${name}`, schema: own, value: example.value });
    }
  }
  for (const [key, value] of Object.entries(object)) {
    if (key !== 'example' && key !== 'examples') found.push(...examples(value, undefined, `${at}/${key}`));
  }
  return found;
}

describe('the OpenAPI document', () => {
  it('docs/openapi.json is what the code builds (else: run `npm run openapi`)', async () => {
    const built = await renderOpenApiJson(await buildSandboxDocument());
    const committed = readFileSync(openApiFilePath(), 'utf8');
    if (built !== committed) {
      const lines = [built.split('\n'), committed.split('\n')];
      const first = lines[0].findIndex((line, index) => line !== lines[1][index]);
      throw new Error(
        `docs/openapi.json is not what the code builds: run \`npm run openapi\` and commit the file.\n` +
          `first difference, line ${first + 1}:\n  built:     ${lines[0][first]}\n  committed: ${lines[1][first]}`,
      );
    }
  });

  const document = committedDocument();

  it('names every operation with a unique operationId and says how each is authenticated', () => {
    const all = operations(document);
    const ids = all.map(({ operation }) => operation.operationId as string);
    expect(ids.every((id) => typeof id === 'string' && /^[a-z][A-Za-z]+$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { operation } of all) expect(Array.isArray(operation.security)).toBe(true);
    expect(ids).toEqual(
      expect.arrayContaining([
        'startAuthentication',
        'getAuthentication',
        'streamAuthenticationEvents',
        'submitUserCode',
        'cancelAuthentication',
        'listAudit',
        'getLiveness',
        'getReadiness',
        'getMetrics',
        'receiveProviderNotification',
        'getConsole',
        'beginConsoleSignIn',
        'completeConsoleSignIn',
        'endConsoleSession',
        'getConsoleSession',
      ]),
    );
  });

  it('answers a success on every operation: a 2xx, or a redirect for the console sign-in navigations only', () => {
    const redirecting = ['get /console/login', 'get /console/callback', 'post /console/logout'];
    for (const { method, path, operation } of operations(document)) {
      const successes = Object.keys(operation.responses as Record<string, unknown>).filter((status) => /^[23]\d\d$/.test(status));
      const allowed = redirecting.includes(`${method} ${path}`) ? /^3\d\d$/ : /^2\d\d$/;
      expect({ [`${method} ${path}`]: successes.some((status) => allowed.test(status)) }).toEqual({ [`${method} ${path}`]: true });
    }
  });

  it('answers every authenticated operation with problem documents for 401 and its other errors', () => {
    // An operation with an empty requirement ({}) may be called without credentials (the sign-out): no 401 of its own.
    const authenticated = operations(document).filter(
      ({ operation }) =>
        operation.security.length > 0 && !operation.security.some((requirement: object) => Object.keys(requirement).length === 0),
    );
    for (const { method, path, operation } of authenticated) {
      const problems = Object.entries(operation.responses as Record<string, any>).filter(([status]) => Number(status) >= 400);
      expect({ [`${method} ${path}`]: problems.map(([status]) => status) }).toEqual({
        [`${method} ${path}`]: expect.arrayContaining(['401']),
      });
      for (const [, response] of problems) {
        expect(response.content['application/problem+json'].schema).toEqual({ $ref: '#/components/schemas/Problem' });
        expect(response.headers['X-Request-Id']).toBeDefined();
      }
    }
  });

  it('takes the problem codes from the error table, and each documented status from it too', () => {
    expect(document.components.schemas.ErrorCode.enum).toEqual(Object.keys(PROBLEM_TYPES));
    for (const { operation } of operations(document)) {
      for (const [status, response] of Object.entries(operation.responses as Record<string, any>)) {
        const codes = [...String(response.description).matchAll(/`([a-z_]+)`/g)].map((match) => match[1]);
        if (!response.content?.['application/problem+json']) continue;
        for (const code of codes) expect([code, PROBLEM_TYPES[code as ErrorCode]?.status]).toEqual([code, Number(status)]);
      }
    }
  });

  it('describes the event stream: text/event-stream, Last-Event-ID, 204, and the events token', () => {
    const stream = document.paths['/v1/authentications/{id}/events'].get;
    expect(Object.keys(stream.responses['200'].content)).toEqual(['text/event-stream']);
    expect(stream.responses['204'].content).toBeUndefined();
    expect(stream.parameters.map((p: any) => `${p.in}:${p.name}`)).toEqual(expect.arrayContaining(['header:Last-Event-ID', 'query:token']));
    expect(stream.security).toEqual([{ bearer: [] }, { eventsToken: [] }]);
    expect(document.components.securitySchemes.eventsToken).toMatchObject({ type: 'apiKey', in: 'query', name: 'token' });
  });

  it('takes the console session cookie, as an alternative to the Bearer value, on the routes whose guard does (not the events)', () => {
    expect(document.components.securitySchemes.consoleSession).toMatchObject({ type: 'apiKey', in: 'cookie', name: '__Host-ciba-console' });
    expect(document.components.securitySchemes.consoleSession.description).toMatch(/`ciba-console`.*csrf_failed.*session_expired/s);
    const either = [{ bearer: [] }, { consoleSession: [] }];
    const changing = ['post /v1/authentications', 'post /v1/authentications/{id}/user-code', 'delete /v1/authentications/{id}'];
    const reading = ['get /v1/authentications/{id}', 'get /v1/audit', 'get /console/providers.json'];
    for (const route of [...changing, ...reading]) {
      const [method, path] = route.split(' ');
      const operation = document.paths[path][method];
      const csrfHeader = (operation.parameters ?? []).find((p: any) => p.in === 'header' && p.name === 'X-CSRF-Token');
      expect({ route, security: operation.security, unauthorized: operation.responses['401'].description }).toEqual({
        route,
        security: either,
        unauthorized: expect.stringContaining('`session_expired`'),
      });
      expect({ route, csrf: operation.responses['403']?.description.includes('`csrf_failed`') ?? false, header: !!csrfHeader }).toEqual({
        route,
        csrf: changing.includes(route),
        header: changing.includes(route),
      });
      if (csrfHeader) expect(csrfHeader.required).toBe(false);
    }
    const events = document.paths['/v1/authentications/{id}/events'].get;
    expect(JSON.stringify(events.security)).not.toContain('consoleSession');
    expect(events.responses['401'].description).not.toContain('session_expired');
  });

  it('describes the console sign-in routes, whatever the configuration', () => {
    const { paths } = document;
    expect(paths['/console/login'].get.responses['302'].headers.Location).toBeDefined();
    expect(paths['/console/callback'].get.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['code', 'state', 'iss', 'error']),
    );
    expect(Object.keys(paths['/console/callback'].get.responses)).toEqual(expect.arrayContaining(['302', '400', '403']));
    expect(Object.keys(paths['/console/callback'].get.responses['403'].content)).toEqual(['text/html']);
    const logout = paths['/console/logout'].post;
    expect(Object.keys(logout.requestBody.content)).toEqual(['application/x-www-form-urlencoded']);
    expect(logout.responses['403'].description).toContain('`csrf_failed`');
    expect(logout.responses['303']).toBeDefined();
    const session = paths['/console/session'].get;
    expect(session.responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/ConsoleSession' });
    expect(session.responses['401'].description).toContain('`session_expired`');
    expect(session.responses['404'].description).toContain('`not_found`');
    expect(document.components.schemas.ConsoleSession.required).toEqual(['agent', 'csrfToken', 'expiresAt']);
  });

  it('has only examples that fit their own schemas', () => {
    const contract = new OpenApiContract(document);
    const found = examples(document.paths).concat(examples(document.components, undefined, '#/components'));
    expect(found.length).toBeGreaterThan(20);
    const wrong = found.map(({ at, schema, value }) => [at, contract.errors(schema, value)]).filter(([, errors]) => errors !== null);
    expect(wrong).toEqual([]);
  });
});
