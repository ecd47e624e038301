import { ApiSchema, type SchemaObject } from '@nestjs/swagger';

/** What the class-level rules of a request body add to its generated schema, by schema name. */
const closedSchemas = new Map<string, Pick<SchemaObject, 'additionalProperties' | 'oneOf'>>();

export interface RequestSchemaOptions {
  /** The component name in the document (`StartAuthenticationRequest`), independent of the class name. */
  name: string;
  description?: string;
  /** Fields of which exactly one must be present. */
  exactlyOneOf?: readonly string[];
}

/**
 * A request body class. The validation pipe refuses fields no decorator declares
 * (`forbidNonWhitelisted`), so every such schema is documented closed (`additionalProperties: false`).
 */
export function RequestSchema(options: RequestSchemaOptions): ClassDecorator {
  closedSchemas.set(options.name, {
    additionalProperties: false,
    ...(options.exactlyOneOf ? { oneOf: options.exactlyOneOf.map((field) => ({ required: [field] })) } : {}),
  });
  return ApiSchema({ name: options.name, description: options.description });
}

/** Adds the class-level rules to the generated component schemas (Nest's decorators describe properties only). */
export function closeRequestSchemas(schemas: Record<string, SchemaObject>): void {
  for (const [name, rules] of closedSchemas) {
    if (schemas[name]) Object.assign(schemas[name], rules);
  }
}
