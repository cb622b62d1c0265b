/**
 * A fake Gemini API (`POST /v1beta/models/{model}:streamGenerateContent?alt=sse`) for
 * the real `gemini` CLI. `geminiEnv()` gives the isolation env and settings.json.
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

export interface GeminiFakeOptions {
  reply?: string | ((req: RecordedRequest) => string);
  fault?: Fault;
  /** Fault only for this model (e.g. 429 on Pro, Flash answers). */
  faultModel?: string;
  usage?: { prompt: number; candidates: number };
  /** candidatesTokenCount reported with a MAX_TOKENS finish (the CLI hides the finish reason). */
  maxOutputTokens?: number;
  /** Models that exist: listed by `GET /v1beta/models`; any other gets Google's 404 NOT_FOUND. */
  knownModels?: string[];
}

/** Google's 404 for a model id it does not (or no longer) serve, as the Gemini API words it. */
export function geminiModelNotFound(model: string) {
  return {
    error: {
      code: 404,
      message: `models/${model} is not found for API version v1beta, or is not supported for generateContent. Call ListModels to see the list of available models and their supported methods.`,
      status: 'NOT_FOUND',
    },
  };
}

/** `GET /v1beta/models` as the Gemini API answers it (one page). */
export function geminiModelList(models: readonly string[]) {
  return {
    models: models.map((m) => ({
      name: `models/${m}`,
      displayName: m,
      supportedGenerationMethods: ['generateContent', 'countTokens'],
    })),
  };
}

export interface GeminiFake extends FakeServer {
  options: GeminiFakeOptions;
  /** Model calls the user's prompt made (internal JSON helper calls excluded). */
  calls(): RecordedRequest[];
}

export function geminiModelOf(req: RecordedRequest): string {
  return /\/models\/([^:/?]+):/.exec(req.path)?.[1] ?? '';
}

export function geminiPromptOf(req: RecordedRequest): string {
  return req.body?.contents?.at(-1)?.parts?.at(-1)?.text ?? '';
}

const isHelperCall = (req: RecordedRequest) => req.body?.generationConfig?.responseMimeType === 'application/json';

export async function startGeminiFake(options: GeminiFakeOptions = {}): Promise<GeminiFake> {
  const state = options;
  const server = await startRecordingServer(async (req, res) => {
    if (req.method === 'GET' && /^\/v1beta\/models\/?(?:\?|$)/.test(req.path))
      return sendJson(res, 200, geminiModelList(state.knownModels ?? []));
    if (req.method !== 'POST' || !/:(?:stream)?generateContent/i.test(req.path)) {
      if (req.path.includes(':countTokens')) return sendJson(res, 200, { totalTokens: 10 });
      return sendJson(res, 404, { error: { code: 404, message: 'not found', status: 'NOT_FOUND' } });
    }
    // The CLI's internal helper calls pick their own model: only user calls are checked.
    if (isHelperCall(req)) return answerHelper(req, res);
    if (!knowsModel(state.knownModels, geminiModelOf(req)))
      return sendJson(res, 404, geminiModelNotFound(geminiModelOf(req)));
    const fault = !state.faultModel || geminiModelOf(req) === state.faultModel ? (state.fault ?? 'none') : 'none';
    const status = HTTP_STATUS_OF_FAULT[fault];
    if (status) {
      const name = status === 429 ? 'RESOURCE_EXHAUSTED' : status === 401 ? 'UNAUTHENTICATED' : 'INTERNAL';
      return sendJson(res, status, { error: { code: status, message: `fake ${fault}`, status: name } });
    }
    if (fault === 'hang') return;
    if (fault === 'garbage') {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      return void res.end('data: {not json at all\n\n');
    }
    const text = typeof state.reply === 'function' ? state.reply(req) : (state.reply ?? 'fake gemini reply');
    const finishReason = fault === 'max_tokens' ? 'MAX_TOKENS' : 'STOP';
    const u =
      fault === 'max_tokens'
        ? { prompt: 100, candidates: state.maxOutputTokens ?? 65536 }
        : (state.usage ?? { prompt: 100, candidates: 25 });
    startSse(res);
    const chunk = {
      candidates: [{ content: { role: 'model', parts: [{ text }] }, finishReason, index: 0 }],
      usageMetadata: {
        promptTokenCount: u.prompt,
        candidatesTokenCount: u.candidates,
        totalTokenCount: u.prompt + u.candidates,
      },
    };
    if (fault === 'truncated') {
      // Half a chunk, then the connection drops.
      res.write(`data: ${JSON.stringify(chunk).slice(0, 40)}`);
      return void res.destroy();
    }
    res.write(`data: ${JSON.stringify(chunk)}\n\n`);
    res.end();
  });
  return Object.assign(server, {
    options: state,
    calls: () =>
      server.requests.filter((r) => r.method === 'POST' && /generateContent/i.test(r.path) && !isHelperCall(r)),
  });
}

/** Internal helper calls (next-speaker checks…) get JSON shaped by their schema. */
function answerHelper(req: RecordedRequest, res: import('node:http').ServerResponse): void {
  const schema = req.body?.generationConfig?.responseJsonSchema ?? req.body?.generationConfig?.responseSchema ?? {};
  const text = JSON.stringify(sampleOf(schema));
  const chunk = {
    candidates: [{ content: { role: 'model', parts: [{ text }] }, finishReason: 'STOP', index: 0 }],
    usageMetadata: { promptTokenCount: 1, candidatesTokenCount: 1, totalTokenCount: 2 },
  };
  if (req.path.includes('streamGenerateContent')) {
    startSse(res);
    res.end(`data: ${JSON.stringify(chunk)}\n\n`);
  } else sendJson(res, 200, chunk);
}

function sampleOf(schema: any): unknown {
  const type = String(schema?.type ?? 'object').toLowerCase();
  if (schema?.enum) return schema.enum.includes('user') ? 'user' : schema.enum[0];
  if (type === 'object')
    return Object.fromEntries(Object.entries(schema.properties ?? {}).map(([k, v]) => [k, sampleOf(v)]));
  if (type === 'array') return [];
  if (type === 'boolean') return false;
  if (type === 'number' || type === 'integer') return 0;
  return 'fake';
}

/** Env for running the real gemini against `fake`: its own home with settings.json, no retries. */
export function geminiEnv(fake: { url: string }, home: string): NodeJS.ProcessEnv {
  const geminiHome = join(home, 'gemini-home');
  mkdirSync(join(geminiHome, '.gemini'), { recursive: true });
  writeFileSync(
    join(geminiHome, '.gemini', 'settings.json'),
    JSON.stringify({
      security: { auth: { selectedType: 'gemini-api-key' }, folderTrust: { enabled: false } },
      privacy: { usageStatisticsEnabled: false },
      telemetry: { enabled: false },
      general: { enableAutoUpdate: false, enableAutoUpdateNotification: false, maxAttempts: 1 },
    }),
  );
  const tmp = join(home, 'tmp');
  mkdirSync(tmp, { recursive: true });
  return {
    GEMINI_CLI_HOME: geminiHome,
    GOOGLE_GEMINI_BASE_URL: fake.url,
    GEMINI_API_KEY: 'fake-gemini-key',
    GEMINI_CLI_NO_RELAUNCH: '1',
    TMPDIR: tmp,
    HOME: home,
  };
}
