/**
 * A fake Anthropic Messages API (`POST /v1/messages`, always SSE) for the SDK and for
 * `claude -p` (point ANTHROPIC_BASE_URL at it; the `?beta=true` query is ignored).
 */
import {
  HTTP_STATUS_OF_FAULT,
  knowsModel,
  sendJson,
  startRecordingServer,
  startSse,
  type Fault,
  type FakeServer,
  type RecordedRequest,
} from './server.ts';

export interface AnthropicFakeOptions {
  reply?: string | ((req: RecordedRequest) => string);
  fault?: Fault;
  /** Models that exist: listed by `GET /v1/models`; any other gets Anthropic's 404 not_found_error. */
  knownModels?: string[];
}

/** Anthropic's 404 for an unknown or retired model id. */
export function anthropicModelNotFound(model: string) {
  return { type: 'error', error: { type: 'not_found_error', message: `model: ${model}` } };
}

export interface AnthropicFake extends FakeServer {
  options: AnthropicFakeOptions;
  calls(): RecordedRequest[];
}

/** The text of the last user message. */
export function anthropicPromptOf(req: RecordedRequest): string {
  const last = req.body?.messages?.at(-1);
  if (typeof last?.content === 'string') return last.content;
  return (last?.content ?? []).map((b: { text?: string }) => b.text ?? '').join('');
}

export async function startAnthropicFake(options: AnthropicFakeOptions = {}): Promise<AnthropicFake> {
  const server = await startRecordingServer((req, res) => {
    if (req.method === 'GET' && /^\/v1\/models\/?(?:\?|$)/.test(req.path)) {
      const data = (options.knownModels ?? []).map((id) => ({
        type: 'model',
        id,
        display_name: id,
        created_at: '2026-01-01T00:00:00Z',
      }));
      return sendJson(res, 200, {
        data,
        has_more: false,
        first_id: data[0]?.id ?? null,
        last_id: data.at(-1)?.id ?? null,
      });
    }
    if (
      req.method === 'POST' &&
      req.path.startsWith('/v1/messages') &&
      !knowsModel(options.knownModels, req.body?.model)
    )
      return sendJson(res, 404, anthropicModelNotFound(req.body?.model));
    if (req.method !== 'POST' || !req.path.startsWith('/v1/messages'))
      return sendJson(res, 404, { type: 'error', error: { type: 'not_found_error', message: 'not found' } });
    const fault = options.fault ?? 'none';
    const status = HTTP_STATUS_OF_FAULT[fault];
    if (status) {
      const type = status === 429 ? 'rate_limit_error' : status === 401 ? 'authentication_error' : 'api_error';
      return sendJson(res, status, { type: 'error', error: { type, message: `fake ${fault}` } });
    }
    if (fault === 'hang') return;
    if (fault === 'garbage')
      return void res
        .writeHead(200, { 'content-type': 'text/event-stream' })
        .end('event: message_start\ndata: {broken\n\n');
    const text = typeof options.reply === 'function' ? options.reply(req) : (options.reply ?? 'fake claude reply');
    const model = req.body?.model ?? 'unknown';
    const events: Array<[string, object]> = [
      [
        'message_start',
        {
          message: {
            id: 'msg_fake',
            type: 'message',
            role: 'assistant',
            model,
            content: [],
            stop_reason: null,
            stop_sequence: null,
            usage: { input_tokens: 80, output_tokens: 1, cache_read_input_tokens: 5 },
          },
        },
      ],
      ['content_block_start', { index: 0, content_block: { type: 'text', text: '' } }],
      ['content_block_delta', { index: 0, delta: { type: 'text_delta', text } }],
      ['content_block_stop', { index: 0 }],
      [
        'message_delta',
        {
          delta: { stop_reason: fault === 'max_tokens' ? 'max_tokens' : 'end_turn', stop_sequence: null },
          usage: { output_tokens: 20 },
        },
      ],
      ['message_stop', {}],
    ];
    startSse(res);
    const sent = fault === 'truncated' ? events.slice(0, 3) : events;
    for (const [type, data] of sent) res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
    // Let the client read the partial stream, then drop the connection mid-message.
    if (fault === 'truncated') return void setTimeout(() => res.destroy(), 50);
    res.end();
  });
  return Object.assign(server, {
    options,
    calls: () => server.requests.filter((r) => r.method === 'POST' && r.path.startsWith('/v1/messages')),
  });
}
