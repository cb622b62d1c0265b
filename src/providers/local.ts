/**
 * Local models: Ollama's native API (the `ollama` client) or any OpenAI-compatible
 * server (`/v1/chat/completions`: Ollama, LM Studio). A local model gets code generation
 * only when pinned and, with require_eval, after its eval command passed (recorded).
 */
import { MmError } from '../util/errors.ts';
import { makeResult, resultOfReply } from './result.ts';
import { taskRowFor } from '../policy/tasks.ts';
import { ensureLocalEval } from './local-eval.ts';
import { isLoopbackUrl, REMOTE_ENDPOINT_NOTE } from './loopback.ts';
import { isModelGone, modelGoneMessage } from './model-gone.ts';
import type { InvokeContext, InvokeRequest, InvokeResult, InvokeStatus, Provider, Usage } from './types.ts';
import { withJsonReply } from './json-reply.ts';

interface LocalTarget {
  api: 'ollama' | 'openai-compatible';
  endpoint: string;
  /** Model name on the wire. */
  wireModel: string;
  /** Registry id, for the result and the ledger. */
  model: string;
  apiKey?: string;
}

export function createLocalProvider(ctx: InvokeContext): Provider {
  return { name: 'local', invoke: (request) => invokeLocal(request, ctx) };
}

export function localTargetFor(request: Pick<InvokeRequest, 'model'>, ctx: InvokeContext): LocalTarget {
  const local = ctx.loaded.config.models.local_llm;
  const entry = request.model ? ctx.registry.get(request.model, '--model') : ctx.registry.find('local-llm');
  if (entry && entry.integration === 'custom') {
    const api = entry.access.kind === 'ollama' ? 'ollama' : 'openai-compatible';
    if (!entry.access.endpoint) throw new MmError('config', `[[registry.models]] ${entry.id} needs an endpoint`);
    const keyEnv = entry.access.key_env.find((k) => ctx.env[k]);
    return {
      api,
      endpoint: entry.access.endpoint,
      wireModel: entry.wire_model ?? entry.id,
      model: entry.id,
      apiKey: keyEnv ? ctx.env[keyEnv] : undefined,
    };
  }
  // The pinned identifier is the reproducible one: prefer it over the loose tag.
  return {
    api: local.api,
    endpoint: local.endpoint,
    wireModel: local.pinning.model_id ?? local.model,
    model: 'local-llm',
  };
}

async function invokeLocal(request: InvokeRequest, ctx: InvokeContext): Promise<InvokeResult> {
  const target = localTargetFor(request, ctx);
  const local = ctx.loaded.config.models.local_llm;
  if (target.model === 'local-llm' && !local.allow_remote_endpoint && !isLoopbackUrl(target.endpoint)) {
    return makeResult({
      status: 'unavailable',
      provider: 'local',
      model: target.model,
      error: `${REMOTE_ENDPOINT_NOTE(target.endpoint)}: not sent`,
    });
  }
  if (taskRowFor(request.task, ctx.loaded.config).codeGenerating && target.model === 'local-llm') {
    if (!local.pinning.model_id) {
      return makeResult({
        status: 'unavailable',
        provider: 'local',
        model: target.model,
        error: 'the local model is not pinned ([models.local_llm.pinning] model_id): no code generation on it',
      });
    }
    if (local.require_eval) {
      const evaluation = await ensureLocalEval(ctx);
      if (!evaluation.passed)
        return makeResult({
          status: 'unavailable',
          provider: 'local',
          model: target.model,
          error: `local model not trusted for code generation: ${evaluation.reason}`,
        });
    }
  }
  const prompt = request.schema ? withJsonReply(request.prompt, request.schema, 'local') : request.prompt;
  const timeoutMs = request.timeoutMs ?? local.timeout_seconds * 1000;
  const started = performance.now();
  const reply =
    target.api === 'ollama'
      ? await callOllama(target, prompt, timeoutMs, request)
      : await callOpenAiCompatible(target, prompt, timeoutMs, request);
  const base = {
    provider: 'local',
    model: target.model,
    latencyMs: Math.round(performance.now() - started),
    usage: reply.usage,
  };
  if (reply.status !== 'ok') return makeResult({ ...base, status: reply.status, text: reply.text, error: reply.error });
  return resultOfReply(base, reply.text, request.schema);
}

interface Reply {
  status: InvokeStatus;
  text: string;
  usage: Usage;
  error?: string;
}

const NO_USAGE: Usage = { input: 0, output: 0, reasoning: 0, cached: 0 };

/** The OpenAI-compatible base: an endpoint without /v1 gets it (Ollama's root URL works both ways). */
export function openAiBase(endpoint: string): string {
  const base = endpoint.replace(/\/+$/, '');
  return /\/v\d+$/.test(base) ? base : `${base}/v1`;
}

type Sampling = Pick<InvokeRequest, 'temperature' | 'maxTokens'>;

/** Ollama's native API takes sampling under `options` (num_predict caps the output). */
export function ollamaOptions(s: Sampling): Record<string, number> | undefined {
  const options = {
    ...(s.temperature !== undefined ? { temperature: s.temperature } : {}),
    ...(s.maxTokens !== undefined ? { num_predict: s.maxTokens } : {}),
  };
  return Object.keys(options).length ? options : undefined;
}

async function callOpenAiCompatible(t: LocalTarget, prompt: string, timeoutMs: number, s: Sampling): Promise<Reply> {
  let res: Response;
  try {
    res = await fetch(`${openAiBase(t.endpoint)}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(t.apiKey ? { authorization: `Bearer ${t.apiKey}` } : {}) },
      body: JSON.stringify({
        model: t.wireModel,
        messages: [{ role: 'user', content: prompt }],
        stream: false,
        ...(s.temperature !== undefined ? { temperature: s.temperature } : {}),
        ...(s.maxTokens !== undefined ? { max_tokens: s.maxTokens } : {}),
      }),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (e) {
    return fetchFailure(e, t, timeoutMs);
  }
  const body = await res.text();
  if (!res.ok && isModelGone(body)) return modelGone(t, body);
  if (!res.ok)
    return {
      status: httpStatus(res.status),
      text: '',
      usage: NO_USAGE,
      error: `HTTP ${res.status} from ${t.endpoint}: ${body.slice(0, 200)}`,
    };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the endpoint's JSON is untyped; each field is checked where read
  let data: any;
  try {
    data = JSON.parse(body);
  } catch {
    return {
      status: 'invalid_output',
      text: '',
      usage: NO_USAGE,
      error: `not JSON from ${t.endpoint}: ${body.slice(0, 120)}`,
    };
  }
  const choice = data?.choices?.[0];
  const text = choice?.message?.content;
  const usage = {
    input: data?.usage?.prompt_tokens ?? 0,
    output: data?.usage?.completion_tokens ?? 0,
    reasoning: 0,
    cached: 0,
  };
  if (typeof text !== 'string')
    return { status: 'invalid_output', text: '', usage, error: 'no choices[0].message.content in the reply' };
  if (choice.finish_reason === 'length')
    return { status: 'truncated', text, usage, error: 'finish_reason "length": output cut off' };
  return { status: 'ok', text, usage };
}

async function callOllama(t: LocalTarget, prompt: string, timeoutMs: number, s: Sampling): Promise<Reply> {
  const { Ollama } = await import('ollama');
  const signal = AbortSignal.timeout(timeoutMs);
  // client.abort() only reaches streamed requests: a signal on every fetch covers all.
  const client = new Ollama({ host: t.endpoint, fetch: (input, init) => fetch(input, { ...init, signal }) });
  const started = performance.now();
  try {
    const options = ollamaOptions(s);
    const r = await client.chat({
      model: t.wireModel,
      messages: [{ role: 'user', content: prompt }],
      stream: false,
      ...(options ? { options } : {}),
    });
    const usage = { input: r.prompt_eval_count ?? 0, output: r.eval_count ?? 0, reasoning: 0, cached: 0 };
    if (r.done_reason === 'length')
      return { status: 'truncated', text: r.message.content, usage, error: 'done_reason "length": output cut off' };
    return { status: 'ok', text: r.message?.content ?? '', usage };
  } catch (e) {
    if (signal.aborted || performance.now() - started >= timeoutMs)
      return {
        status: 'timeout',
        text: '',
        usage: NO_USAGE,
        error: `no answer from ${t.endpoint} within ${Math.round(timeoutMs / 1000)} s`,
      };
    const code = (e as { status_code?: number }).status_code;
    // Ollama: 404 `model "x" not found, try pulling it first`.
    if (code && isModelGone((e as Error).message)) return modelGone(t, (e as Error).message);
    if (code)
      return {
        status: httpStatus(code),
        text: '',
        usage: NO_USAGE,
        error: `HTTP ${code} from ${t.endpoint}: ${(e as Error).message}`,
      };
    return fetchFailure(e, t, timeoutMs);
  }
}

function modelGone(t: LocalTarget, detail: string): Reply {
  const hint = t.api === 'ollama' ? ` (ollama pull ${t.wireModel} to get it)` : '';
  return {
    status: 'model_not_found',
    text: '',
    usage: NO_USAGE,
    error: `${modelGoneMessage({ wireModel: t.wireModel, at: t.endpoint, detail })}${hint}`,
  };
}

function httpStatus(code: number): InvokeStatus {
  if (code === 429) return 'rate_limited';
  if (code === 401 || code === 403) return 'auth';
  if (code === 404 || code === 503) return 'unavailable';
  return 'failed';
}

function fetchFailure(e: unknown, t: LocalTarget, timeoutMs: number): Reply {
  const err = e as Error & { cause?: { code?: string } };
  if (err.name === 'TimeoutError' || err.name === 'AbortError')
    return {
      status: 'timeout',
      text: '',
      usage: NO_USAGE,
      error: `no answer from ${t.endpoint} within ${Math.round(timeoutMs / 1000)} s`,
    };
  return {
    status: 'unavailable',
    text: '',
    usage: NO_USAGE,
    error: `${t.endpoint} unreachable: ${err.cause?.code ?? err.message}`,
  };
}
