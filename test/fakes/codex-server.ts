/**
 * A fake OpenAI Responses API (`POST /v1/responses`, SSE) for the real `codex` CLI.
 * `codexEnv()` gives the isolation env and CODEX_HOME config that point codex at it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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

/**
 * A tool call instead of a message: with a known model slug (`-m gpt-5.2`) Codex offers the
 * function `exec_command` ({"cmd": "…"}) and runs it in its sandbox, then sends a second
 * request whose `input` holds a `function_call_output` item (see `functionCallOutputs`).
 */
export interface CodexFunctionCall {
  call: { name: string; arguments: string };
}

export interface CodexFakeOptions {
  /** The assistant's reply; a function sees the request (e.g. to echo the prompt length, or script tool calls). */
  reply?: string | CodexFunctionCall | ((req: RecordedRequest) => string | CodexFunctionCall);
  fault?: Fault;
  /** Fault only for this model (`req.body.model`); the others answer. */
  faultModel?: string;
  usage?: { input: number; cached: number; output: number; reasoning: number };
  /** Models that exist: listed by `GET /v1/models`; any other gets OpenAI's 404 model_not_found. */
  knownModels?: string[];
}

/** OpenAI's 404 for an unknown or retired model id (Responses and Chat Completions alike). */
export function openAiModelNotFound(model: string) {
  return {
    error: {
      message: `The model \`${model}\` does not exist or you do not have access to it.`,
      type: 'invalid_request_error',
      param: null,
      code: 'model_not_found',
    },
  };
}

/** `GET /v1/models` as OpenAI answers it. */
export function openAiModelList(models: readonly string[]) {
  return { object: 'list', data: models.map((id) => ({ id, object: 'model', created: 0, owned_by: 'openai' })) };
}

export interface CodexFake extends FakeServer {
  options: CodexFakeOptions;
  /** The model calls (POST /responses) only. */
  calls(): RecordedRequest[];
}

/** The user prompt Codex put last in `input`. */
export function codexPromptOf(req: RecordedRequest): string {
  const last = req.body?.input?.at(-1);
  return last?.content?.[0]?.text ?? '';
}

/** How many tool results the request carries: which step of a tool-call script to answer. */
export function functionCallOutputs(req: RecordedRequest): number {
  const input: Array<{ type?: string }> = Array.isArray(req.body?.input) ? req.body.input : [];
  return input.filter((i) => i?.type === 'function_call_output').length;
}

/** The SSE events of a response whose only output item is a function call. */
function functionCallEvents(base: object, call: CodexFunctionCall['call'], n: number): Array<[string, object]> {
  const item = { id: `fc_fake_${n}`, type: 'function_call', status: 'completed', call_id: `call_${n}`, ...call };
  return [
    ['response.created', { response: { ...base, status: 'in_progress', output: [] } }],
    ['response.in_progress', { response: { ...base, status: 'in_progress', output: [] } }],
    ['response.output_item.added', { output_index: 0, item: { ...item, status: 'in_progress', arguments: '' } }],
    ['response.function_call_arguments.delta', { item_id: item.id, output_index: 0, delta: call.arguments }],
    ['response.function_call_arguments.done', { item_id: item.id, output_index: 0, arguments: call.arguments }],
    ['response.output_item.done', { output_index: 0, item }],
  ];
}

export async function startCodexFake(options: CodexFakeOptions = {}): Promise<CodexFake> {
  const state: CodexFakeOptions = options;
  const server = await startRecordingServer(async (req, res) => {
    if (req.method === 'GET' && /\/models\/?$/.test(req.path))
      return sendJson(res, 200, openAiModelList(state.knownModels ?? []));
    if (req.method !== 'POST' || !req.path.includes('/responses'))
      return sendJson(res, 404, { error: { message: 'not found' } });
    if (!knowsModel(state.knownModels, req.body?.model))
      return sendJson(res, 404, openAiModelNotFound(req.body?.model));
    const fault = !state.faultModel || req.body?.model === state.faultModel ? (state.fault ?? 'none') : 'none';
    const status = HTTP_STATUS_OF_FAULT[fault];
    if (status) return sendJson(res, status, { error: { message: `fake ${fault}`, type: fault, code: fault } });
    if (fault === 'hang') return; // never answers
    if (fault === 'garbage') {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      return void res.end('this is not server-sent events\n{{{\n');
    }
    const answer = typeof state.reply === 'function' ? state.reply(req) : (state.reply ?? 'fake codex reply');
    const text = typeof answer === 'string' ? answer : '';
    const u = state.usage ?? { input: 120, cached: 20, output: 30, reasoning: 10 };
    const model = req.body?.model ?? 'unknown';
    const id = 'resp_fake';
    const itemId = 'msg_fake';
    const part = { type: 'output_text', text, annotations: [] };
    const item = { id: itemId, type: 'message', status: 'completed', role: 'assistant', content: [part] };
    const base = { id, object: 'response', created_at: Math.floor(Date.now() / 1000), model };
    const usage = {
      input_tokens: u.input,
      input_tokens_details: { cached_tokens: u.cached },
      output_tokens: u.output,
      output_tokens_details: { reasoning_tokens: u.reasoning },
      total_tokens: u.input + u.output,
    };
    if (typeof answer !== 'string') {
      const n = functionCallOutputs(req) + 1;
      const events = functionCallEvents(base, answer.call, n);
      const done = events.at(-1)![1] as { item: object };
      events.push(['response.completed', { response: { ...base, status: 'completed', output: [done.item], usage } }]);
      startSse(res);
      events.forEach(([type, data], i) =>
        res.write(`event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: i, ...data })}\n\n`),
      );
      return void res.end();
    }
    const events: Array<[string, object]> = [
      ['response.created', { response: { ...base, status: 'in_progress', output: [] } }],
      ['response.in_progress', { response: { ...base, status: 'in_progress', output: [] } }],
      ['response.output_item.added', { output_index: 0, item: { ...item, status: 'in_progress', content: [] } }],
      [
        'response.content_part.added',
        { item_id: itemId, output_index: 0, content_index: 0, part: { ...part, text: '' } },
      ],
      ['response.output_text.delta', { item_id: itemId, output_index: 0, content_index: 0, delta: text }],
      ['response.output_text.done', { item_id: itemId, output_index: 0, content_index: 0, text }],
      ['response.content_part.done', { item_id: itemId, output_index: 0, content_index: 0, part }],
      ['response.output_item.done', { output_index: 0, item }],
      [
        'response.completed',
        {
          response: {
            ...base,
            status: 'completed',
            output: [item],
            usage,
          },
        },
      ],
    ];
    // A truncated stream stops before response.completed.
    const sent = fault === 'truncated' ? events.slice(0, 5) : events;
    startSse(res);
    sent.forEach(([type, data], i) =>
      res.write(`event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: i, ...data })}\n\n`),
    );
    res.end();
  });
  return Object.assign(server, {
    options: state,
    calls: () => server.requests.filter((r) => r.method === 'POST' && r.path.includes('/responses')),
  });
}

/**
 * Env for running the real codex against `fake`: a fresh CODEX_HOME whose config.toml
 * names the fake as the model provider, with retries and background network off.
 */
export function codexEnv(fake: { url: string }, home: string): NodeJS.ProcessEnv {
  const codexHome = join(home, 'codex-home');
  mkdirSync(codexHome, { recursive: true });
  writeFileSync(
    join(codexHome, 'config.toml'),
    [
      'model_provider = "fake"',
      'check_for_update_on_startup = false',
      '[features]',
      'plugins = false',
      '[model_providers.fake]',
      'name = "fake"',
      `base_url = "${fake.url}/v1"`,
      'wire_api = "responses"',
      'env_key = "FAKE_API_KEY"',
      'request_max_retries = 0',
      'stream_max_retries = 0',
      '',
    ].join('\n'),
  );
  return { CODEX_HOME: codexHome, FAKE_API_KEY: 'fake-key', HOME: home, RUST_LOG: 'error' };
}
