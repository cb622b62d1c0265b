/**
 * A recording HTTP server on 127.0.0.1 (random port) that the model-API fakes build on.
 * Every request is kept (method, path, headers, parsed body) so tests can assert what
 * a real CLI or SDK actually sent. Reused by other areas' contract tests.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  /** Parsed JSON body, or undefined when the body was not JSON. */
  body: any;
  raw: string;
}

export type Route = (req: RecordedRequest, res: ServerResponse) => void | Promise<void>;

export interface FakeServer {
  url: string;
  port: number;
  requests: RecordedRequest[];
  /** Everything every request carried, as one string: for "this never left" assertions. */
  log(): string;
  close(): Promise<void>;
}

export async function startRecordingServer(handle: Route): Promise<FakeServer> {
  const requests: RecordedRequest[] = [];
  const sockets = new Set<import('node:net').Socket>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        body = undefined;
      }
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        headers: req.headers,
        body,
        raw,
      };
      requests.push(recorded);
      Promise.resolve(handle(recorded, res)).catch((e: Error) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: e.message } }));
      });
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    log: () => requests.map((r) => `${r.method} ${r.path}\n${JSON.stringify(r.headers)}\n${r.raw}`).join('\n'),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

export function startSse(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
}

/** Faults every fake can inject instead of a normal answer. */
export type Fault = 'none' | 'rate_limit' | 'server_error' | 'auth' | 'truncated' | 'hang' | 'garbage' | 'max_tokens';

/**
 * Model lists and model-not-found: a fake given `knownModels` lists exactly those on its
 * list endpoint and answers any other model with the provider's real 404 (fakes that
 * accept any name cannot catch a retired id). Without it, every model is accepted.
 */
export function knowsModel(knownModels: readonly string[] | undefined, model: string): boolean {
  return !knownModels || knownModels.includes(model);
}

export const HTTP_STATUS_OF_FAULT: Partial<Record<Fault, number>> = { rate_limit: 429, server_error: 500, auth: 401 };
