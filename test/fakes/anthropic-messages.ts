/**
 * A loopback fake of the Anthropic Messages API, enough for `claude -p` to run a turn:
 * every `POST /v1/messages` (any query) gets a streamed SSE reply. Replies are scripted in
 * order (text, or one tool_use block); when the script runs out the answer is "ok".
 * Requests are kept so tests can look at what Claude Code sent.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeMessages {
  url: string;
  requests: Array<{ path: string; body: any }>;
  close(): Promise<void>;
}

function sse(type: string, data: unknown): string {
  return `event: ${type}\ndata: ${JSON.stringify({ type, ...(data as object) })}\n\n`;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export type FakeReply = { text: string } | { toolUse: { name: string; input: Record<string, unknown> } };
/** A step of the script: a fixed reply, or one built from the request (e.g. from the expanded body). */
export type FakeStep = FakeReply | ((body: any) => FakeReply);

export async function startFakeMessages(
  opts: {
    reply?: string;
    script?: FakeStep[];
    /** Only requests offering this tool play the script; others (titles, summaries) get plain text. */
    scriptNeedsTool?: string;
  } = {},
): Promise<FakeMessages> {
  const requests: FakeMessages['requests'] = [];
  const script = [...(opts.script ?? [])];
  const server: Server = createServer(async (req, res) => {
    const raw = await readBody(req);
    const path = (req.url ?? '').split('?')[0]!;
    let body: any = {};
    try {
      body = raw ? JSON.parse(raw) : {};
    } catch {
      /* keep {} */
    }
    requests.push({ path, body });
    if (req.method === 'POST' && path === '/v1/messages') {
      if (body.stream !== true) {
        // Non-streaming helper calls (titles, token counts): a plain JSON message.
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            id: 'msg_fake',
            type: 'message',
            role: 'assistant',
            model: body.model ?? 'fake',
            content: [{ type: 'text', text: opts.reply ?? 'ok' }],
            stop_reason: 'end_turn',
            stop_sequence: null,
            usage: { input_tokens: 1, output_tokens: 1 },
          }),
        );
        return;
      }
      res.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
      });
      const model = body.model ?? 'fake-model';
      const plays =
        !opts.scriptNeedsTool || (body.tools ?? []).some((t: { name?: string }) => t.name === opts.scriptNeedsTool);
      const step = plays ? script.shift() : undefined;
      const reply: FakeReply = (typeof step === 'function' ? step(body) : step) ?? { text: opts.reply ?? 'ok' };
      res.write(
        sse('message_start', {
          message: {
            id: 'msg_fake',
            type: 'message',
            role: 'assistant',
            model,
            content: [],
            stop_reason: null,
            stop_sequence: null,
            usage: { input_tokens: 10, output_tokens: 1 },
          },
        }),
      );
      if ('text' in reply) {
        res.write(sse('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }));
        res.write(sse('content_block_delta', { index: 0, delta: { type: 'text_delta', text: reply.text } }));
      } else {
        const id = `toolu_fake_${requests.length}`;
        res.write(
          sse('content_block_start', {
            index: 0,
            content_block: { type: 'tool_use', id, name: reply.toolUse.name, input: {} },
          }),
        );
        res.write(
          sse('content_block_delta', {
            index: 0,
            delta: { type: 'input_json_delta', partial_json: JSON.stringify(reply.toolUse.input) },
          }),
        );
      }
      res.write(sse('content_block_stop', { index: 0 }));
      res.write(
        sse('message_delta', {
          delta: { stop_reason: 'text' in reply ? 'end_turn' : 'tool_use', stop_sequence: null },
          usage: { output_tokens: 1 },
        }),
      );
      res.write(sse('message_stop', {}));
      res.end();
      return;
    }
    if (path === '/v1/messages/count_tokens') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ input_tokens: 10 }));
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        type: 'error',
        error: { type: 'not_found_error', message: `fake: no route ${req.method} ${path}` },
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
