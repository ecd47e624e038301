import type { Request } from 'express';

/**
 * One cookie of a request, by name (RFC 6265 §5.4: `name=value; name=value`). The first wins
 * when a name repeats; a value that does not URL-decode is taken as it is. (No cookie-parser
 * middleware: the console's two cookies are the only ones the BFF reads.)
 */
export function cookieOf(request: Request, name: string): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  for (const pair of header.split(';')) {
    const separator = pair.indexOf('=');
    if (separator < 0 || pair.slice(0, separator).trim() !== name) continue;
    const value = pair.slice(separator + 1).trim();
    try {
      return decodeURIComponent(value);
    } catch {
      return value;
    }
  }
  return undefined;
}
