import type { OpenAPIObject } from '@nestjs/swagger';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

const sortedByKey = <T>(entries: Record<string, T>, order: (a: string, b: string) => number = (a, b) => (a < b ? -1 : a > b ? 1 : 0)) =>
  Object.fromEntries(Object.entries(entries).sort(([a], [b]) => order(a, b)));

/** Path item members: the methods in a fixed order, then anything else (parameters, summary) by name. */
const pathItemOrder = (a: string, b: string) => {
  const rank = (key: string) => (METHODS.includes(key) ? METHODS.indexOf(key) : METHODS.length);
  return rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);
};

/**
 * A key order that depends on nothing but the content: paths, components and methods sorted, so a
 * regenerated `docs/openapi.json` differs from the committed one only where the API changed.
 * (Schema members keep their declared order: the order a reader expects.)
 */
export function inCanonicalOrder(document: OpenAPIObject): OpenAPIObject {
  const paths = sortedByKey(document.paths);
  for (const path of Object.keys(paths)) paths[path] = sortedByKey(paths[path] as Record<string, unknown>, pathItemOrder);
  const components = document.components
    ? (sortedByKey(
        Object.fromEntries(Object.entries(document.components).map(([kind, map]) => [kind, sortedByKey(map as Record<string, unknown>)])),
      ) as OpenAPIObject['components'])
    : undefined;
  const { openapi, info, servers, tags, security, externalDocs, ...rest } = document;
  const ordered = { openapi, info, servers, tags, security, externalDocs, ...rest, paths, components };
  return Object.fromEntries(Object.entries(ordered).filter(([, value]) => value !== undefined)) as unknown as OpenAPIObject;
}
