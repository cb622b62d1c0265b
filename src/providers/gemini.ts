/**
 * Gemini-family CLI adapter: `<models.gemini.command> -p "" -m <wire model> -o json`
 * with the prompt on stdin (it comes before the empty -p text). Pro vs Flash from the
 * task and `flash_threshold`; 429 falls back to Flash when allowed; long diffs are
 * split by file and the replies merged; output at the token ceiling is `truncated`.
 */
import { geminiTier } from '../policy/effort.ts';
import { classifyRun, runProcess, statusFromMessage, tail } from '../process/runner.ts';
import { MmError } from '../util/errors.ts';
import { mergeChunkReplies, mergeJson, splitForOutput } from './chunking.ts';
import { attemptOf, makeResult, resultOfReply } from './result.ts';
import { taskRowFor } from '../policy/tasks.ts';
import { isModelGone, modelGoneMessage } from './model-gone.ts';
import type { InvokeContext, InvokeRequest, InvokeResult, InvokeStatus, Provider, Usage } from './types.ts';

/** Exit codes of gemini-cli: HTTP status mod 256, plus its own. */
export const GEMINI_EXIT_CODES: Record<number, InvokeStatus> = {
  41: 'auth', // no usable credentials
  55: 'failed', // untrusted folder
  144: 'failed', // HTTP 400
  145: 'auth', // HTTP 401
  147: 'auth', // HTTP 403
  173: 'rate_limited', // HTTP 429
  244: 'failed', // HTTP 500
  247: 'unavailable', // HTTP 503
};

export function createGeminiProvider(ctx: InvokeContext): Provider {
  return { name: 'gemini', invoke: (request) => invokeGemini(request, ctx) };
}

/** Registry id: the request's; else Flash for tasks at or below flash_threshold, Pro otherwise. */
export function geminiModelFor(request: Pick<InvokeRequest, 'model' | 'effort' | 'task'>, ctx: InvokeContext): string {
  const c = ctx.loaded.config.models.gemini;
  if (request.model) return request.model;
  if (request.effort === 'flash') return c.fast_model;
  if (request.effort === 'pro') return c.default_model;
  if (request.effort)
    throw new MmError(
      'usage',
      `invalid Gemini effort "${request.effort}"; Gemini has no effort knob: use pro or flash`,
    );
  return geminiTier(ctx.loaded.config, taskRowFor(request.task, ctx.loaded.config).complexity) === 'flash'
    ? c.fast_model
    : c.default_model;
}

async function invokeGemini(request: InvokeRequest, ctx: InvokeContext): Promise<InvokeResult> {
  const c = ctx.loaded.config.models.gemini;
  const model = ctx.registry.find(geminiModelFor(request, ctx))?.id ?? geminiModelFor(request, ctx);
  const parts = splitForOutput(request.prompt, c.chunking_threshold);
  const first = await callInParts(parts, model, request, ctx);
  const flash = ctx.registry.find(c.fast_model)?.id ?? c.fast_model;
  if (first.status !== 'rate_limited' || !c.flash_fallback_on_rate_limit || model === flash) return first;
  // Design §8: rate limits are frequent on Pro; Flash usually still answers.
  const second = await callInParts(parts, flash, request, ctx);
  return { ...second, attempts: [attemptOf(first), attemptOf(second)] };
}

async function callInParts(
  parts: string[],
  model: string,
  request: InvokeRequest,
  ctx: InvokeContext,
): Promise<InvokeResult> {
  const results: InvokeResult[] = [];
  for (const part of parts) {
    const r = await callOnce(part, model, request, ctx);
    // The parts already answered were paid for: the ledger and budgets must see them.
    if (r.status !== 'ok')
      return { ...r, usage: usageOfAll([...results, r]), latencyMs: sumOf([...results, r], (x) => x.latencyMs) };
    results.push(r);
  }
  if (results.length === 1) return results[0]!;
  const merged = {
    ...results.at(-1)!,
    text: mergeChunkReplies(results.map((r) => r.text)),
    usage: usageOfAll(results),
    latencyMs: sumOf(results, (r) => r.latencyMs),
  };
  if (!request.schema) return merged;
  const json = mergeJson(results.map((r) => r.json));
  if ('conflict' in json)
    return {
      ...merged,
      status: 'invalid_output',
      json: undefined,
      error: `the ${results.length} parts disagree (${json.conflict}): merge them yourself from the text`,
    };
  return { ...merged, text: JSON.stringify(json.value), json: json.value };
}

const sumOf = <T>(xs: T[], f: (x: T) => number) => xs.reduce((t, x) => t + f(x), 0);

function usageOfAll(results: InvokeResult[]): Usage {
  return {
    input: sumOf(results, (r) => r.usage.input),
    output: sumOf(results, (r) => r.usage.output),
    reasoning: sumOf(results, (r) => r.usage.reasoning),
    cached: sumOf(results, (r) => r.usage.cached),
  };
}

async function callOnce(
  prompt: string,
  model: string,
  request: InvokeRequest,
  ctx: InvokeContext,
): Promise<InvokeResult> {
  const c = ctx.loaded.config.models.gemini;
  const entry = ctx.registry.find(model);
  const wireModel = entry?.wire_model ?? model;
  const command = entry?.access.command ?? c.command;
  // Gemini has no schema flag: the schema goes in the prompt, once (workflow prompts already carry it).
  const schemaText = request.schema ? JSON.stringify(request.schema) : '';
  const input =
    schemaText && !prompt.includes(schemaText)
      ? `${prompt}\n\nReply with ONLY a JSON value (no prose, no code fence) that matches this JSON Schema:\n${schemaText}`
      : prompt;
  const run = await runProcess({
    command,
    // Always -m: without it the "auto" model first makes a classifier call.
    args: ['-p', '', '-m', wireModel, '-o', 'json'],
    input,
    cwd: request.cwd,
    env: ctx.env,
    timeoutMs: request.timeoutMs ?? c.timeout_seconds * 1000,
  });
  const base = { provider: 'gemini', model, latencyMs: run.durationMs, stderrTail: tail(run.stderr) };
  const classified = classifyRun(run, GEMINI_EXIT_CODES);
  if (classified.status !== 'ok') {
    const apiError = lastErrorJson(run.stderr);
    const message = apiError
      ? `${apiError.message}${apiError.code ? ` (HTTP ${apiError.code})` : ''}`
      : `${classified.reason}${run.stderr.trim() ? `: ${tail(run.stderr, 2)}` : ''}`;
    let status: InvokeStatus = classified.status;
    // gemini-cli prints `ModelNotFoundError` and exits 1 when the API answers 404 for the model.
    if (status !== 'unavailable' && status !== 'timeout' && isModelGone(`${message}\n${run.stderr}`))
      return makeResult({
        ...base,
        status: 'model_not_found',
        error: modelGoneMessage({
          wireModel,
          at: entry?.vendor ?? 'Google',
          registry: ctx.registry,
          detail:
            apiError && apiError.message !== '{}' ? message : `${command} exit ${run.exitCode}: ModelNotFoundError`,
        }),
      });
    if (status === 'failed') status = statusFromMessage(message) ?? 'failed';
    if (status === 'unavailable' && run.spawnError)
      return makeResult({ ...base, status, error: `${command}: ${classified.reason}` });
    return makeResult({
      ...base,
      status,
      error: run.exitCode === 55 ? `untrusted folder: trust ${request.cwd} in ${command} first` : message,
    });
  }
  let out: { response?: unknown; stats?: { models?: Record<string, { tokens?: Record<string, number> }> } };
  try {
    out = JSON.parse(run.stdout);
  } catch {
    return makeResult({
      ...base,
      status: 'invalid_output',
      error: `${command} -o json printed no JSON: ${run.stdout.slice(0, 120)}`,
    });
  }
  if (typeof out.response !== 'string')
    return makeResult({ ...base, status: 'invalid_output', error: 'no "response" in the CLI output' });
  const usage = usageOf(out.stats);
  const text = out.response;
  // The CLI hides the finish reason; output at the ceiling means MAX_TOKENS cut it off.
  if (usage.output >= c.max_output_tokens) {
    return makeResult({
      ...base,
      status: 'truncated',
      text,
      usage,
      error: `output reached max_output_tokens (${c.max_output_tokens}): cut off (MAX_TOKENS)`,
    });
  }
  return resultOfReply({ ...base, usage }, text, request.schema);
}

function usageOf(stats: { models?: Record<string, { tokens?: Record<string, number> }> } | undefined): Usage {
  const u: Usage = { input: 0, output: 0, reasoning: 0, cached: 0 };
  for (const m of Object.values(stats?.models ?? {})) {
    const t = m.tokens ?? {};
    u.input += t.prompt ?? t.input ?? 0;
    // Gemini counts thoughts apart from candidates, but bills both as output.
    u.output += (t.candidates ?? 0) + (t.thoughts ?? 0);
    u.reasoning += t.thoughts ?? 0;
    u.cached += t.cached ?? 0;
  }
  return u;
}

/** stderr ends with `{"session_id","error":{type,message,code}}` on API errors. */
function lastErrorJson(stderr: string): { message: string; code?: number } | undefined {
  const at = stderr.lastIndexOf('{\n  "session_id"');
  const start = at >= 0 ? at : stderr.lastIndexOf('{"session_id"');
  if (start < 0) return undefined;
  try {
    const v = JSON.parse(stderr.slice(start));
    return v?.error?.message ? { message: String(v.error.message), code: v.error.code } : undefined;
  } catch {
    return undefined;
  }
}
