import { ConfigError } from './config.error.js';

const PLACEHOLDER = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/**
 * Replaces `${NAME}` in every string of a parsed configuration tree by that environment variable
 * (`${NAME:-fallback}` gives a default). Done on parsed values, not on the file text, so a
 * secret containing YAML syntax cannot change the document's structure.
 */
export function interpolate(tree: unknown, env: NodeJS.ProcessEnv, path = ''): unknown {
  const missing: string[] = [];
  const result = walk(tree, env, path, missing);
  if (missing.length > 0) throw new ConfigError(missing);
  return result;
}

function walk(node: unknown, env: NodeJS.ProcessEnv, path: string, missing: string[]): unknown {
  if (typeof node === 'string') {
    return node.replace(PLACEHOLDER, (_match, name: string, fallback: string | undefined) => {
      const value = env[name];
      if (value !== undefined && value !== '') return value;
      if (fallback !== undefined) return fallback;
      missing.push(`${path || '(root)'}: environment variable ${name} is not set`);
      return '';
    });
  }
  if (Array.isArray(node)) return node.map((item, i) => walk(item, env, `${path}[${i}]`, missing));
  if (node !== null && typeof node === 'object') {
    return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, walk(value, env, path ? `${path}.${key}` : key, missing)]));
  }
  return node;
}
