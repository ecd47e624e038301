export interface SseEvent {
  event?: string;
  id?: string;
  data?: string;
}

/** Reads a Server-Sent Events stream into events and comments, as a browser would parse it. */
export async function readSse(
  url: string,
  init: RequestInit,
  onEvent: (event: SseEvent) => void,
  onComment: (text: string) => void = () => undefined,
): Promise<{ status: number; contentType: string | null; ended: Promise<void> }> {
  const response = await fetch(url, init);
  const ended = (async () => {
    if (!response.body) return;
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let boundary: number;
        while ((boundary = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, boundary);
          buffer = buffer.slice(boundary + 2);
          const event: SseEvent = {};
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) onComment(line.slice(1).trim());
            else {
              const colon = line.indexOf(':');
              const field = line.slice(0, colon);
              const value = line.slice(colon + 1).replace(/^ /, '');
              if (field === 'event' || field === 'id' || field === 'data') event[field] = value;
            }
          }
          if (event.data !== undefined) onEvent(event);
        }
      }
    } catch (error) {
      if ((error as Error).name !== 'AbortError') throw error;
    }
  })();
  return { status: response.status, contentType: response.headers.get('content-type'), ended };
}
