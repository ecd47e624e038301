import type { OpenAPIObject, SchemaObject } from '@nestjs/swagger';

type Node = Record<string, unknown>;

const isNode = (value: unknown): value is Node => value !== null && typeof value === 'object';

/** The referenced component schema's `type`, if the reference is to a component schema. */
function referencedType(document: OpenAPIObject, ref: string): SchemaObject['type'] {
  const name = /^#\/components\/schemas\/(.+)$/.exec(ref)?.[1];
  return name ? (document.components?.schemas?.[name] as SchemaObject | undefined)?.type : undefined;
}

/**
 * Nest wraps a reference beside other members in a one-member `allOf`. OpenAPI 3.0 reads it
 * differently from what was meant, so it is rewritten:
 * - nullable (`result`, `error` of the status document): `nullable` needs a `type` beside it (OAS
 *   3.0.3), and `allOf` would still refuse null, so null is allowed next to the reference:
 *   `{type, nullable: true, anyOf: [{$ref}, {enum: [null]}]}` (generated types: `X | null`);
 * - otherwise a plain `$ref`: the referenced schema carries its own description.
 * A nullable choice among references (`initiatedBy` of an audit event), whose `type` Nest drops
 * beside `oneOf`, gets the references' common type back, for the same reason.
 */
export function rewriteWrappedReferences(document: OpenAPIObject): void {
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!isNode(node)) return;
    const allOf = node.allOf;
    if (Array.isArray(allOf) && allOf.length === 1 && isNode(allOf[0]) && typeof allOf[0].$ref === 'string') {
      const ref = allOf[0].$ref;
      delete node.allOf;
      if (node.nullable === true) {
        Object.assign(node, { type: node.type ?? referencedType(document, ref), anyOf: [{ $ref: ref }, { enum: [null] }] });
      } else {
        for (const key of Object.keys(node)) delete node[key];
        node.$ref = ref;
      }
    }
    if (node.nullable === true && node.type === undefined && Array.isArray(node.oneOf)) {
      const types = new Set(
        node.oneOf.filter(isNode).flatMap((choice) => (typeof choice.$ref === 'string' ? [referencedType(document, choice.$ref)] : [])),
      );
      if (types.size === 1) node.type = [...types][0];
    }
    for (const [key, value] of Object.entries(node)) if (key !== 'example' && key !== 'examples') visit(value);
  };
  visit(document.paths);
  visit(document.components);
}
