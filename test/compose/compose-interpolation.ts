/**
 * Compose's variable interpolation, as the Compose specification ("Interpolation") describes it,
 * for checking the file without a Docker engine: Compose v2 interpolates EVERY service of the
 * file before it looks at which ones were asked for, so one `${NAME:?message}` without its
 * variable stops `docker compose up redis` too.
 *
 *   $$                   a literal $
 *   $NAME, ${NAME}       the value, or "" when unset
 *   ${NAME:-default}     default when unset or empty;   ${NAME-default}  default when unset
 *   ${NAME:?message}     error when unset or empty;     ${NAME?message}  error when unset
 *   ${NAME:+other}       other when set and non-empty;  ${NAME+other}    other when set
 * Defaults, messages and replacements may themselves hold interpolations.
 */

export type Variables = Readonly<Record<string, string | undefined>>;

export class InterpolationError extends Error {}

const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;

interface Cursor {
  text: string;
  at: number;
}

/** Interpolates one string; throws InterpolationError for a `?` rule that fires or a malformed `${`. */
export function interpolateString(text: string, env: Variables): string {
  return readUntil({ text, at: 0 }, env, undefined);
}

/** Reads text (interpolating) until `stop` at nesting depth 0, or the end; leaves the cursor on `stop`. */
function readUntil(cursor: Cursor, env: Variables, stop: '}' | undefined): string {
  let out = '';
  while (cursor.at < cursor.text.length) {
    const char = cursor.text[cursor.at];
    if (stop !== undefined && char === stop) return out;
    if (char !== '$') {
      out += char;
      cursor.at += 1;
      continue;
    }
    const next = cursor.text[cursor.at + 1];
    if (next === '$') {
      out += '$';
      cursor.at += 2;
    } else if (next === '{') {
      cursor.at += 2;
      out += readBraced(cursor, env);
    } else if (next !== undefined && NAME_START.test(next)) {
      cursor.at += 1;
      out += env[readName(cursor)] ?? '';
    } else {
      // A `$` before anything else is not a placeholder and stays as it is.
      out += '$';
      cursor.at += 1;
    }
  }
  if (stop !== undefined) throw new InterpolationError(`unterminated "\${" in "${cursor.text}"`);
  return out;
}

function readName(cursor: Cursor): string {
  const start = cursor.at;
  if (!NAME_START.test(cursor.text[cursor.at] ?? '')) return '';
  while (cursor.at < cursor.text.length && NAME_CHAR.test(cursor.text[cursor.at])) cursor.at += 1;
  return cursor.text.slice(start, cursor.at);
}

/** After `${`: NAME, then `}` or one of the operators and its (interpolated) word, then `}`. */
function readBraced(cursor: Cursor, env: Variables): string {
  const name = readName(cursor);
  if (name === '') throw new InterpolationError(`invalid interpolation format in "${cursor.text}"`);
  const rest = cursor.text.slice(cursor.at);
  const operator = ['}', ':-', ':?', ':+', '-', '?', '+'].find((candidate) => rest.startsWith(candidate));
  if (operator === undefined) throw new InterpolationError(`invalid interpolation format for "${name}" in "${cursor.text}"`);
  cursor.at += operator.length;
  const value = env[name];
  if (operator === '}') return value ?? '';
  const word = readUntil(cursor, env, '}');
  cursor.at += 1; // the closing brace
  const set = value !== undefined;
  const nonEmpty = set && value !== '';
  switch (operator) {
    case ':-':
      return nonEmpty ? value : word;
    case '-':
      return set ? value : word;
    case ':+':
      return nonEmpty ? word : '';
    case '+':
      return set ? word : '';
    case ':?':
      if (!nonEmpty) throw new InterpolationError(`required variable ${name} is missing a value: ${word}`);
      return value;
    default: // '?'
      if (!set) throw new InterpolationError(`required variable ${name} is missing a value: ${word}`);
      return value ?? '';
  }
}

/** Interpolates every string value of a parsed Compose document (keys are left alone, as Compose does). */
export function interpolateDocument(node: unknown, env: Variables): unknown {
  if (typeof node === 'string') return interpolateString(node, env);
  if (Array.isArray(node)) return node.map((item) => interpolateDocument(item, env));
  if (node !== null && typeof node === 'object') {
    return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, interpolateDocument(value, env)]));
  }
  return node;
}

/** Every variable name a document's string values refer to (nested defaults included, `$$` excluded). */
export function referencedVariables(node: unknown): string[] {
  const names = new Set<string>();
  // Every name looks set and non-empty, so no `?` rule fires; every operator's word is still
  // interpolated (and so looked up), whichever branch it would take.
  const lookup = new Proxy<Record<string, string>>(
    {},
    {
      get: (_target, name) => {
        if (typeof name === 'string') names.add(name);
        return 'set';
      },
    },
  );
  interpolateDocument(node, lookup);
  return [...names].sort();
}
