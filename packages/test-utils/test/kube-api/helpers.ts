import { ingress as ingressObject, KubeApiServer, type IngressObject, type KubeApiServerOptions } from '@switchyard/test-utils';

/** An Ingress with just enough in it, in `default` unless told: what these tests store and watch. */
export function ingress(name: string, namespace = 'default', labels?: Record<string, string>): IngressObject {
  return ingressObject(name, { namespace, className: 'switchyard', ...(labels === undefined ? {} : { labels }) });
}

/** Starts a fixture and returns it with its URL. */
export async function startFixture(options: KubeApiServerOptions = {}): Promise<{ server: KubeApiServer; url: string }> {
  const server = new KubeApiServer(options);
  const { url } = await server.start();
  return { server, url };
}

/** GETs JSON; returns status, headers and body. */
export async function getJson(url: string): Promise<{ status: number; headers: Headers; body: any }> {
  const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
  return { status: response.status, headers: response.headers, body: await response.json() };
}

/** Sends `body` as JSON (a merge patch for PATCH unless `contentType` says otherwise); returns status and parsed body. */
export async function sendJson(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, body?: unknown, contentType?: string): Promise<{ status: number; body: any }> {
  const type = contentType ?? (method === 'PATCH' ? 'application/merge-patch+json' : 'application/json');
  const init: RequestInit = { method, headers: { 'content-type': type }, signal: AbortSignal.timeout(5000) };
  if (body !== undefined) init.body = JSON.stringify(body);
  const response = await fetch(url, init);
  return { status: response.status, body: await response.json() };
}

/** A line read from a watch: parsed JSON, or the raw text when it is not JSON. */
export type WatchLine = { type: string; object: any } | { garbage: string };

/** Reads a watch stream line by line; every wait is bounded so a failing test never hangs. */
export class WatchReader {
  private readonly lines: WatchLine[] = [];
  private waiters: Array<() => void> = [];
  private buffer = '';
  /** 'end' when the body finished cleanly, 'error' when the connection broke. */
  outcome: 'end' | 'error' | undefined;

  private constructor(readonly response: Response, private readonly controller: AbortController) {
    void this.pump();
  }

  /** Opens `url` (a watch URL) and waits for the response head. */
  static async open(url: string): Promise<WatchReader> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 5000);
    const response = await fetch(url, { signal: controller.signal });
    clearTimeout(timer);
    return new WatchReader(response, controller);
  }

  /** Waits for the next `count` lines. */
  async take(count: number, timeoutMs = 3000): Promise<WatchLine[]> {
    await this.until(() => this.lines.length >= count, timeoutMs, `${count} watch lines (have ${this.lines.length})`);
    return this.lines.splice(0, count);
  }

  /** Waits for the stream to end; returns how. */
  async ended(timeoutMs = 3000): Promise<'end' | 'error'> {
    await this.until(() => this.outcome !== undefined, timeoutMs, 'the watch to end');
    return this.outcome!;
  }

  /** Lines received but not yet taken. */
  get pending(): number {
    return this.lines.length;
  }

  close(): void {
    this.controller.abort();
  }

  private async until(done: () => boolean, timeoutMs: number, what: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!done()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  private async pump(): Promise<void> {
    const decoder = new TextDecoder();
    try {
      for await (const chunk of this.response.body as AsyncIterable<Uint8Array>) {
        this.buffer += decoder.decode(chunk, { stream: true });
        let newline: number;
        while ((newline = this.buffer.indexOf('\n')) >= 0) {
          const text = this.buffer.slice(0, newline);
          this.buffer = this.buffer.slice(newline + 1);
          try {
            this.lines.push(JSON.parse(text));
          } catch {
            this.lines.push({ garbage: text });
          }
        }
        this.wake();
      }
      this.outcome = 'end';
    } catch {
      this.outcome = 'error';
    }
    this.wake();
  }
}

/** Type and name of each event, for comparing sequences. */
export function summary(lines: readonly WatchLine[]): string[] {
  return lines.map((line) => ('garbage' in line ? `garbage ${line.garbage}` : `${line.type} ${line.object?.metadata?.name ?? ''}`.trim()));
}
