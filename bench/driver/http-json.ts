import { Agent, request } from 'node:http';

export interface JsonResponse {
  status: number;
  body: Record<string, unknown> | null;
}

/**
 * A minimal keep-alive JSON client on node:http for the driver: thousands of long-polls are open
 * at once, so no socket limit, and nothing heavier than the protocol needs (the driver shares the
 * machine with what it measures).
 */
export class HttpJson {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: Infinity, keepAliveMsecs: 10_000 });

  constructor(
    private readonly baseUrl: string,
    private readonly headers: Record<string, string>,
  ) {}

  send(method: string, path: string, body?: unknown): Promise<JsonResponse> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise<JsonResponse>((resolve, reject) => {
      const call = request(
        `${this.baseUrl}${path}`,
        {
          method,
          agent: this.agent,
          headers: {
            ...this.headers,
            ...(payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', reject);
          response.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            try {
              resolve({ status: response.statusCode ?? 0, body: text ? (JSON.parse(text) as Record<string, unknown>) : null });
            } catch (error) {
              reject(new Error(`${method} ${path}: HTTP ${response.statusCode} with a body that is not JSON`, { cause: error }));
            }
          });
        },
      );
      call.on('error', reject);
      call.end(payload);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
