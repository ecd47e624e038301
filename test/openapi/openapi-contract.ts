import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import ajvFormats from 'ajv-formats';
import { openApiFilePath } from '../../apps/bff/src/openapi/openapi-file.js';

/** The committed document, as a client generator reads it. */
export const committedDocument = (): Record<string, any> => JSON.parse(readFileSync(openApiFilePath(), 'utf8')) as Record<string, any>;

const isObject = (value: unknown): value is Record<string, any> => value !== null && typeof value === 'object' && !Array.isArray(value);

/** A deep copy whose local references point into the schema registered as `id`. */
function rebased(value: unknown, id: string): unknown {
  if (Array.isArray(value)) return value.map((item) => rebased(item, id));
  if (!isObject(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, member]) => [
      key,
      key === '$ref' && typeof member === 'string' && member.startsWith('#/') ? `${id}${member}` : rebased(member, id),
    ]),
  );
}

/**
 * Every object schema that lists its properties and says nothing about others, closed: a live
 * answer with a field the document does not name fails, so the document cannot lag behind the server.
 */
function closed(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(closed);
  if (!isObject(value)) return value;
  const copy = Object.fromEntries(
    Object.entries(value).map(([key, member]) => [key, key === 'example' || key === 'examples' ? member : closed(member)]),
  );
  if (isObject(copy.properties) && copy.additionalProperties === undefined) copy.additionalProperties = false;
  return copy;
}

export interface Answer {
  status: number;
  headers: Headers;
  /** Parsed JSON, or the text of any other body, or null when there is none. */
  body: unknown;
}

/**
 * The document's schemas, compiled with ajv: request schemas as documented, response schemas
 * closed (see `closed`). Fails with the document's own words when something does not match.
 */
export class OpenApiContract {
  private readonly ajv = new Ajv({ strict: false, allErrors: true });
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(readonly document: Record<string, any> = committedDocument()) {
    // ajv-formats is CommonJS: under ES modules its function is the default export's `default`.
    ajvFormats.default(this.ajv);
    this.ajv.addSchema({ components: rebased(document.components, 'documented.json') }, 'documented.json');
    this.ajv.addSchema({ components: closed(rebased(document.components, 'closed.json')) }, 'closed.json');
  }

  operation(method: string, path: string): Record<string, any> {
    const operation = this.document.paths[path]?.[method.toLowerCase()] as Record<string, any> | undefined;
    if (!operation) throw new Error(`the document has no ${method} ${path}`);
    return operation;
  }

  /** Errors of `value` against a schema of the document (null when valid). */
  errors(schema: unknown, value: unknown, mode: 'documented' | 'closed' = 'documented'): string | null {
    const key = `${mode}:${JSON.stringify(schema)}`;
    let validate = this.compiled.get(key);
    if (!validate) {
      const prepared = rebased(schema, `${mode}.json`);
      validate = this.ajv.compile((mode === 'closed' ? closed(prepared) : prepared) as object);
      this.compiled.set(key, validate);
    }
    if (validate(value)) return null;
    return (validate.errors ?? [])
      .map((error) => `${error.instancePath || '/'} ${error.message} ${JSON.stringify(error.params)}`)
      .join('; ');
  }

  componentErrors(name: string, value: unknown, mode: 'documented' | 'closed' = 'documented'): string | null {
    return this.errors({ $ref: `#/components/schemas/${name}` }, value, mode);
  }

  /** Errors of a request body against the operation's JSON body schema. */
  requestBodyErrors(method: string, path: string, body: unknown): string | null {
    const schema = this.operation(method, path).requestBody?.content?.['application/json']?.schema;
    if (!schema) throw new Error(`${method} ${path} documents no JSON body`);
    return this.errors(schema, body);
  }

  /** Errors of a query, path or header parameter value (numbers as the server reads them). */
  parameterErrors(method: string, path: string, name: string, raw: string): string | null {
    const parameter = (this.operation(method, path).parameters ?? []).find((p: any) => p.name.toLowerCase() === name.toLowerCase());
    if (!parameter) throw new Error(`${method} ${path} documents no parameter ${name}`);
    return this.errors(parameter.schema, coerced(parameter.schema, raw, this.document));
  }

  /**
   * Checks a live answer against the operation: the status is documented, with the media type
   * sent; the body fits the schema (closed); every header of the document's own set that was sent
   * is documented for that answer and fits its schema; `X-Request-Id` and `Location` are sent when
   * documented, `Retry-After` with every 429.
   */
  expectAnswer(method: string, path: string, answer: Answer): void {
    const where = `${method} ${path} → ${answer.status}`;
    const response = this.operation(method, path).responses[String(answer.status)];
    if (!response) throw new Error(`${where}: status not documented (${JSON.stringify(answer.body)?.slice(0, 300)})`);
    const documentedHeaders: Record<string, any> = response.headers ?? {};
    for (const name of Object.keys(this.document.components.headers)) {
      const sent = answer.headers.get(name);
      const documented = Object.keys(documentedHeaders).find((key) => key.toLowerCase() === name.toLowerCase());
      if (sent !== null && !documented) throw new Error(`${where}: header ${name} sent but not documented`);
      if (sent === null && documented && ['X-Request-Id', 'Location'].includes(name))
        throw new Error(`${where}: documented header ${name} not sent`);
      if (sent !== null && documented) {
        const schema = this.document.components.headers[name].schema;
        const problem = this.errors(schema, coerced(schema, sent, this.document));
        if (problem) throw new Error(`${where}: header ${name}: ${sent}: ${problem}`);
      }
    }
    if (answer.status === 429 && answer.headers.get('retry-after') === null) throw new Error(`${where}: no Retry-After`);
    const content: Record<string, any> | undefined = response.content;
    const contentType = answer.headers.get('content-type');
    if (!content) {
      if (answer.body !== null && answer.body !== '') throw new Error(`${where}: a body where the document has none`);
      return;
    }
    const mediaType = Object.keys(content).find((key) => baseType(key) === baseType(contentType ?? ''));
    if (!mediaType) throw new Error(`${where}: content type ${contentType} not documented (${Object.keys(content).join(', ')})`);
    const problem = this.errors(content[mediaType].schema, answer.body, 'closed');
    if (problem) throw new Error(`${where}: ${problem}\n${JSON.stringify(answer.body, null, 2)?.slice(0, 2000)}`);
  }
}

const baseType = (contentType: string) => contentType.split(';')[0].trim().toLowerCase();

/** A header or query value as the schema's type reads it (the server parses numbers the same way). */
function coerced(schema: any, raw: string, document: Record<string, any>): unknown {
  const resolved = schema?.$ref ? document.components.schemas[schema.$ref.split('/').pop()] : schema;
  if ((resolved?.type === 'integer' || resolved?.type === 'number') && /^-?\d+(\.\d+)?$/.test(raw)) return Number(raw);
  return raw;
}

/** A fetch answer with its body read as the content type says. */
export async function answerOf(response: Response): Promise<Answer> {
  const text = await response.text();
  const json = /json/.test(response.headers.get('content-type') ?? '');
  return { status: response.status, headers: response.headers, body: text === '' ? null : json ? JSON.parse(text) : text };
}
