import { request, type IncomingMessage } from 'node:http';

/** One server-sent event as received. */
export interface Received {
  id: string | undefined;
  event: string | undefined;
  data: any;
}

/**
 * A client of `GET /v1/stream` over a real socket: parses the frames as an EventSource does and keeps
 * them in order. `until` waits for a condition on what arrived (failing after `ms`, it asserts nothing
 * about speed); `close` drops the connection as a browser tab would.
 */
export class SseClient {
  readonly events: Received[] = [];
  readonly comments: string[] = [];
  response!: IncomingMessage;
  ended = false;
  #buffer = '';
  #waiters: Array<() => void> = [];
  #destroy!: () => void;

  static async open(port: number, headers: Record<string, string>, path = '/v1/stream'): Promise<SseClient> {
    const client = new SseClient();
    await new Promise<void>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path, headers: { accept: 'text/event-stream', ...headers } }, (res) => {
        client.response = res;
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => client.#take(chunk));
        res.on('end', () => client.#finish());
        res.on('close', () => client.#finish());
        res.on('error', () => client.#finish());
        resolve();
      });
      req.on('error', reject);
      req.end();
      client.#destroy = () => req.destroy();
    });
    return client;
  }

  /** The body of a refused request (not a stream). */
  async body(): Promise<string> {
    await this.until(() => this.ended);
    return this.#buffer;
  }

  lastId(): string | undefined {
    return this.events.at(-1)?.id;
  }

  async until(done: () => boolean, ms = 10_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!done()) {
      if (Date.now() > deadline) throw new Error(`the stream did not get there within ${ms} ms; received ${this.events.length} events: ${JSON.stringify(this.events.map((e) => [e.id, e.event]))}`);
      await new Promise<void>((resolve) => {
        this.#waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }

  close(): void {
    this.#destroy();
  }

  #finish(): void {
    this.ended = true;
    this.#wake();
  }

  #wake(): void {
    for (const resolve of this.#waiters.splice(0)) resolve();
  }

  #take(chunk: string): void {
    this.#buffer += chunk;
    if (this.response.headers['content-type']?.startsWith('text/event-stream')) {
      let end: number;
      while ((end = this.#buffer.indexOf('\n\n')) >= 0) {
        const block = this.#buffer.slice(0, end);
        this.#buffer = this.#buffer.slice(end + 2);
        const fields: Record<string, string> = {};
        for (const line of block.split('\n')) {
          if (line.startsWith(':')) this.comments.push(line.slice(1).trim());
          else {
            const at = line.indexOf(':');
            const name = at < 0 ? line : line.slice(0, at);
            fields[name] = at < 0 ? '' : line.slice(at + 1).replace(/^ /, '');
          }
        }
        if (fields.data !== undefined) this.events.push({ id: fields.id, event: fields.event, data: JSON.parse(fields.data) });
      }
    }
    this.#wake();
  }
}
