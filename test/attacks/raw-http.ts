import { connect } from 'node:net';

export interface RawResponse {
  status: number;
  /** Header names lower-cased, in the order received; a repeated name keeps every value. */
  headers: [string, string][];
  header(name: string): string | undefined;
  text: string;
  /** Everything the server sent, as latin1, for "is this header anywhere" checks. */
  raw: string;
}

export interface RawRequest {
  method: string;
  path: string;
  /** Written as Latin-1 bytes, exactly as given; `Host` defaults to the server's. */
  headers?: [string, string][];
  /** `Content-Length` is added for a body unless the headers give it or `Transfer-Encoding`. */
  body?: Buffer | string;
}

/**
 * One HTTP/1.1 request written byte for byte on a socket, with `Connection: close`. fetch and
 * node:http refuse header values with CR, LF or non-Latin-1 characters and set Host themselves;
 * an attacker's client does not, so the header attacks need this.
 */
export function rawRequest(baseUrl: string, request: RawRequest): Promise<RawResponse> {
  const { hostname, port, host } = new URL(baseUrl);
  const body =
    request.body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(request.body) ? request.body : Buffer.from(request.body, 'utf8');
  const headers = request.headers ?? [];
  const has = (name: string) => headers.some(([key]) => key.toLowerCase() === name);
  const lines = [`${request.method} ${request.path} HTTP/1.1`];
  if (!has('host')) lines.push(`Host: ${host}`);
  lines.push(...headers.map(([name, value]) => `${name}: ${value}`), 'Connection: close');
  if (request.body !== undefined && !has('transfer-encoding') && !has('content-length')) lines.push(`Content-Length: ${body.length}`);
  const bytes = Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), body]);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) });
    const chunks: Buffer[] = [];
    socket.setTimeout(10_000, () => socket.destroy(new Error('raw request timed out')));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    // The server may answer (413) and close before it read the whole body: that is an answer too.
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'ECONNRESET' && error.code !== 'EPIPE') reject(error);
    });
    socket.on('close', () => {
      try {
        resolve(parse(Buffer.concat(chunks)));
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
    socket.write(bytes);
  });
}

function parse(bytes: Buffer): RawResponse {
  const raw = bytes.toString('latin1');
  const end = raw.indexOf('\r\n\r\n');
  if (end < 0) throw new Error(`not an HTTP response: ${JSON.stringify(raw.slice(0, 200))}`);
  const [statusLine, ...lines] = raw.slice(0, end).split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1]);
  const headers = lines.map((line): [string, string] => {
    const colon = line.indexOf(':');
    return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()];
  });
  const header = (name: string) => headers.find(([key]) => key === name)?.[1];
  let content = bytes.subarray(Buffer.byteLength(raw.slice(0, end + 4), 'latin1'));
  if (header('transfer-encoding') === 'chunked') content = dechunk(content);
  return { status, headers, header, text: content.toString('utf8'), raw };
}

function dechunk(content: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = content.indexOf('\r\n', at);
    const size = parseInt(content.subarray(at, lineEnd).toString('latin1'), 16);
    if (!size) return Buffer.concat(parts);
    parts.push(content.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
}
