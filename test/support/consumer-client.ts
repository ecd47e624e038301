/** A consumer of the BFF's REST API, as an outside client would call it. */
export class ConsumerClient {
  constructor(
    readonly baseUrl: string,
    readonly apiKey: string,
  ) {}

  async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.apiKey}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? (JSON.parse(text) as Record<string, any>) : null };
  }

  start(body: Record<string, unknown>, headers?: Record<string, string>) {
    return this.request('POST', '/v1/authentications', body, headers);
  }

  get(id: string, query = '') {
    return this.request('GET', `/v1/authentications/${id}${query}`);
  }

  cancel(id: string) {
    return this.request('DELETE', `/v1/authentications/${id}`);
  }

  /** Waits (long-poll) until the status is no longer `from`. */
  async waitForStatusChange(id: string, from: string, seconds = 60) {
    return this.get(id, `?wait=${seconds}&status=${from}`);
  }
}
