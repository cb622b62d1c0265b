/**
 * Fakes of the local-model APIs: OpenAI-compatible (`/v1/chat/completions`, `/v1/models`)
 * and Ollama native (`/api/chat`, `/api/tags`, `/api/version`).
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

export interface LocalFakeOptions {
  reply?: string | ((req: RecordedRequest) => string);
  fault?: Fault;
  /** Models that exist: listed by `/v1/models` or `/api/tags`; any other gets the server's real 404. */
  knownModels?: string[];
}

export interface LocalFake extends FakeServer {
  options: LocalFakeOptions;
  calls(): RecordedRequest[];
}

const replyOf = (o: LocalFakeOptions, req: RecordedRequest) =>
  typeof o.reply === 'function' ? o.reply(req) : (o.reply ?? 'fake local reply');

export async function startOpenAiCompatibleFake(options: LocalFakeOptions = {}): Promise<LocalFake> {
  const server = await startRecordingServer((req, res) => {
    if (req.method === 'GET' && req.path.endsWith('/models'))
      return sendJson(res, 200, {
        object: 'list',
        data: (options.knownModels ?? ['fake-model']).map((id) => ({ id, object: 'model' })),
      });
    if (!req.path.endsWith('/chat/completions')) return sendJson(res, 404, { error: { message: 'not found' } });
    if (!knowsModel(options.knownModels, req.body?.model))
      return sendJson(res, 404, {
        error: {
          message: `model '${req.body?.model}' not found`,
          type: 'invalid_request_error',
          code: 'model_not_found',
        },
      });
    const fault = options.fault ?? 'none';
    const status = HTTP_STATUS_OF_FAULT[fault];
    if (status) return sendJson(res, status, { error: { message: `fake ${fault}` } });
    if (fault === 'hang') return;
    if (fault === 'garbage')
      return void res.writeHead(200, { 'content-type': 'application/json' }).end('<html>not json</html>');
    if (fault === 'truncated')
      return void res
        .writeHead(200, { 'content-type': 'application/json' })
        .end('{"choices":[{"message":{"content":"cut');
    const text = replyOf(options, req);
    const finish_reason = fault === 'max_tokens' ? 'length' : 'stop';
    const usage = { prompt_tokens: 50, completion_tokens: 10, total_tokens: 60 };
    if (req.body?.stream) {
      startSse(res);
      res.write(
        `data: ${JSON.stringify({ choices: [{ index: 0, delta: { role: 'assistant', content: text } }] })}\n\n`,
      );
      res.write(`data: ${JSON.stringify({ choices: [{ index: 0, delta: {}, finish_reason }], usage })}\n\n`);
      return void res.end('data: [DONE]\n\n');
    }
    sendJson(res, 200, {
      id: 'chatcmpl-fake',
      object: 'chat.completion',
      model: req.body?.model,
      choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason }],
      usage,
    });
  });
  return Object.assign(server, {
    options,
    calls: () => server.requests.filter((r) => r.path.endsWith('/chat/completions')),
  });
}

export async function startOllamaFake(options: LocalFakeOptions = {}): Promise<LocalFake> {
  const server = await startRecordingServer((req, res) => {
    if (req.path === '/api/version') return sendJson(res, 200, { version: '0.0.0-fake' });
    if (req.path === '/api/tags')
      return sendJson(res, 200, {
        models: (options.knownModels ?? ['fake-model:latest']).map((name) => ({ name, model: name })),
      });
    if (req.path !== '/api/chat' && req.path !== '/api/generate') return sendJson(res, 404, { error: 'not found' });
    if (!knowsModel(options.knownModels, req.body?.model))
      return sendJson(res, 404, { error: `model "${req.body?.model}" not found, try pulling it first` });
    const fault = options.fault ?? 'none';
    const status = HTTP_STATUS_OF_FAULT[fault];
    if (status) return sendJson(res, status, { error: `fake ${fault}` });
    if (fault === 'hang') return;
    if (fault === 'garbage')
      return void res.writeHead(200, { 'content-type': 'application/json' }).end('<html>not json</html>');
    const text = replyOf(options, req);
    const done = {
      model: req.body?.model,
      created_at: new Date().toISOString(),
      message: { role: 'assistant', content: text },
      done: true,
      done_reason: fault === 'max_tokens' ? 'length' : 'stop',
      prompt_eval_count: 40,
      eval_count: 8,
    };
    if (req.body?.stream === false) return sendJson(res, 200, done);
    res.writeHead(200, { 'content-type': 'application/x-ndjson' });
    res.end(
      `${JSON.stringify({ ...done, message: { role: 'assistant', content: text }, done: false })}\n${JSON.stringify({ ...done, message: { role: 'assistant', content: '' } })}\n`,
    );
  });
  return Object.assign(server, {
    options,
    calls: () => server.requests.filter((r) => r.path === '/api/chat' || r.path === '/api/generate'),
  });
}
