/**
 * Gemini-family CLI adapter, driven by a CLI profile (cli-profiles.ts; `gemini` by default:
 * `gemini -p "" -m <wire model> -o json --approval-mode default`, the prompt on stdin before
 * the empty -p text). Pro vs Flash from the task and `flash_threshold`; 429 falls back to
 * Flash when allowed; long diffs are split by file and the replies merged; output at the
 * token ceiling is `truncated`.
 */
import { geminiTier } from '../policy/effort.ts';
import { checkModelId } from '../process/argv.ts';
import { classifyRun, runProcess, statusFromMessage, tail } from '../process/runner.ts';
import { MmError } from '../util/errors.ts';
import { mergeChunkReplies, mergeJson, splitForOutput } from './chunking.ts';
import { geminiCliOf } from '../config/gemini-cli.ts';
import { GEMINI_EXIT_CODES, profileArgs } from './cli-profiles.ts';
import { attemptOf, makeResult, resultOfReply } from './result.ts';
import { taskRowFor } from '../policy/tasks.ts';
import { isModelGone, modelGoneMessage } from './model-gone.ts';
import type { InvokeContext, InvokeRequest, InvokeResult, InvokeStatus, Provider, Usage } from './types.ts';
import { withJsonReply } from './json-reply.ts';

export { GEMINI_EXIT_CODES };

const MAX_ARGV_PROMPT_BYTES = 120 * 1024;

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

/**
 * The Gemini CLI retries a 429 with backoff about ten times (~4 minutes), whatever
 * `maxAttempts` says, printing "Attempt N failed with status 429. Retrying with backoff…"
 * each time: its first such line ends the call as rate_limited (mm's own Flash fallback
 * and the caller's retry policy decide what happens next).
 */
const RETRYING_429 = /Attempt \d+ failed with status 429/;

async function callOnce(
  prompt: string,
  model: string,
  request: InvokeRequest,
  ctx: InvokeContext,
): Promise<InvokeResult> {
  const c = ctx.loaded.config.models.gemini;
  const profile = geminiCliOf(ctx.loaded.config);
  const entry = ctx.registry.find(model);
  const wireModel = entry?.wire_model ?? model;
  const command = entry?.access.command ?? profile.command;
  // Gemini has no schema flag: the schema goes in the prompt, once (workflow prompts already carry it).
  const schemaText = request.schema ? JSON.stringify(request.schema) : '';
  const input =
    request.schema && !prompt.includes(schemaText) ? withJsonReply(prompt, request.schema, 'gemini') : prompt;
  const timeoutMs = request.timeoutMs ?? c.timeout_seconds * 1000;
  // Linux caps one argv string at 128 KiB: say so instead of failing to start.
  if (profile.prompt === 'argument' && Buffer.byteLength(input) > MAX_ARGV_PROMPT_BYTES)
    return makeResult({
      status: 'failed',
      provider: 'gemini',
      model,
      error: `profile "${profile.name}" passes the prompt as an argument: ${Math.round(Buffer.byteLength(input) / 1024)} KiB is over the ${MAX_ARGV_PROMPT_BYTES / 1024} KiB limit (send less, or use a profile with prompt = "stdin")`,
    });
  const run = await runProcess({
    command,
    args: profileArgs(profile, {
      wireModel: checkModelId(wireModel, 'model'),
      prompt: input,
      // A review never edits files; only a request that widens the sandbox drops the read-only mode.
      readOnly: !request.sandbox || request.sandbox === 'read-only',
      timeoutMs,
    }),
    ...(profile.prompt === 'stdin' ? { input } : {}),
    cwd: request.cwd,
    env: ctx.env,
    timeoutMs,
    // The Gemini CLI retries a 429 for minutes whatever maxAttempts says: stop it at the first retry line.
    ...(profile.errors === 'gemini-exit-codes'
      ? { stopWhen: (recent: string) => (RETRYING_429.test(recent) ? 'rate limited' : undefined) }
      : {}),
  });
  const base = { provider: 'gemini', model, latencyMs: run.durationMs, stderrTail: tail(run.stderr) };
  if (run.stoppedFor) {
    const api = /_ApiError: (\{.*\})/.exec(run.stderr)?.[1];
    let detail = '';
    try {
      detail = api ? `: ${String(JSON.parse(api).error?.message ?? '')}` : '';
    } catch {
      // not JSON: the generic message is enough
    }
    return makeResult({
      ...base,
      status: 'rate_limited',
      error: `HTTP 429${detail}; stopped the CLI's own retry loop instead of waiting it out`,
    });
  }
  const gemini = profile.errors === 'gemini-exit-codes';
  const classified = classifyRun(run, gemini ? GEMINI_EXIT_CODES : {});
  if (classified.status !== 'ok') {
    const apiError = gemini ? lastErrorJson(run.stderr) : undefined;
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
      error: gemini && run.exitCode === 55 ? `untrusted folder: trust ${request.cwd} in ${command} first` : message,
    });
  }
  let text: string;
  let usage: Usage = { input: 0, output: 0, reasoning: 0, cached: 0 };
  if (profile.output === 'text') {
    text = run.stdout.trim();
  } else {
    let out: { response?: unknown; stats?: { models?: Record<string, { tokens?: Record<string, number> }> } };
    try {
      out = JSON.parse(run.stdout);
    } catch {
      return makeResult({
        ...base,
        status: 'invalid_output',
        error: `${command} ${profile.output_args.join(' ')} printed no JSON: ${run.stdout.slice(0, 120)}`,
      });
    }
    if (typeof out.response !== 'string')
      return makeResult({ ...base, status: 'invalid_output', error: 'no "response" in the CLI output' });
    text = out.response;
    if (profile.usage === 'gemini-stats') usage = usageOf(out.stats);
  }
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
