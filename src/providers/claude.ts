/**
 * Claude through the Messages API (`@anthropic-ai/sdk`), for headless use outside
 * Claude Code (CI, consensus synthesis). Thinking follows the effort policy: adaptive by
 * default, extended only when the policy escalates; no budget_tokens on models where it
 * is deprecated. ANTHROPIC_BASE_URL points the client elsewhere (tests: a loopback fake).
 */
import { CLAUDE_EFFORTS, type ClaudeEffort } from '../config/enums.ts';
import type { RegistryEntry } from '../registry/models.ts';
import { MmError } from '../util/errors.ts';
import { effortRowFor } from '../policy/tasks.ts';
import { makeResult, resultOfReply } from './result.ts';
import { isModelGone, modelGoneMessage } from './model-gone.ts';
import type { InvokeContext, InvokeRequest, InvokeResult, InvokeStatus, Provider } from './types.ts';
import { withJsonReply } from './json-reply.ts';

const DEFAULT_TIMEOUT_MS = 600_000;
const MAX_TOKENS = 16_000;
const EXTENDED_MAX_TOKENS = 32_000;
const EXTENDED_BUDGET_TOKENS = 16_000;

export function createClaudeProvider(ctx: InvokeContext): Provider {
  return { name: 'claude', invoke: (request) => invokeClaude(request, ctx) };
}

export function claudeEffortFor(request: Pick<InvokeRequest, 'effort' | 'task'>, ctx: InvokeContext): ClaudeEffort {
  const effort = request.effort ?? effortRowFor(request.task, ctx.loaded.config)?.claude ?? 'adaptive';
  if (!(CLAUDE_EFFORTS as readonly string[]).includes(effort))
    throw new MmError('usage', `invalid Claude effort "${effort}"; allowed: ${CLAUDE_EFFORTS.join(', ')}`);
  return effort as ClaudeEffort;
}

/**
 * The thinking parameters for a model and effort, as data the tests can read:
 * Haiku has no extended thinking; Opus (budget_tokens deprecated) escalates through
 * output_config.effort; other models use an explicit budget when extended.
 */
export function thinkingParams(entry: RegistryEntry | undefined, effort: ClaudeEffort): Record<string, unknown> {
  if (entry?.line === 'haiku') return { max_tokens: MAX_TOKENS };
  if (effort === 'adaptive') return { max_tokens: MAX_TOKENS, thinking: { type: 'adaptive' } };
  if (entry?.line === 'opus')
    return { max_tokens: EXTENDED_MAX_TOKENS, thinking: { type: 'adaptive' }, output_config: { effort: 'max' } };
  return { max_tokens: EXTENDED_MAX_TOKENS, thinking: { type: 'enabled', budget_tokens: EXTENDED_BUDGET_TOKENS } };
}

/**
 * The request's sampling on top of the thinking parameters: max_tokens replaces the
 * default (kept above an explicit thinking budget); temperature only without thinking,
 * which the Messages API refuses to combine with it (samplingSupport reports that).
 */
export function withSampling(
  params: Record<string, unknown>,
  s: Pick<InvokeRequest, 'temperature' | 'maxTokens'>,
): Record<string, unknown> {
  const out = { ...params };
  const budget = (params.thinking as { budget_tokens?: number } | undefined)?.budget_tokens;
  if (s.maxTokens !== undefined) out.max_tokens = budget ? Math.max(s.maxTokens, budget + 1) : s.maxTokens;
  if (s.temperature !== undefined && !params.thinking) out.temperature = s.temperature;
  return out;
}

async function invokeClaude(request: InvokeRequest, ctx: InvokeContext): Promise<InvokeResult> {
  const modelId = request.model ?? ctx.loaded.config.models.defaults.implementation;
  const entry = ctx.registry.find(modelId);
  const model = entry?.id ?? modelId;
  const effort = claudeEffortFor(request, ctx);
  const timeoutMs = request.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  // A [[registry.models]] entry with provider = "anthropic" may bring its own endpoint and key variable.
  const customKeyEnv = entry?.integration === 'custom' ? entry.access.key_env.find((k) => ctx.env[k]) : undefined;
  const apiKey = customKeyEnv ? ctx.env[customKeyEnv] : ctx.env.ANTHROPIC_API_KEY;
  if (!apiKey && !ctx.env.ANTHROPIC_AUTH_TOKEN) {
    return makeResult({
      status: 'auth',
      provider: 'claude',
      model,
      error: 'ANTHROPIC_API_KEY (or ANTHROPIC_AUTH_TOKEN) is not set: headless Claude needs the Messages API',
    });
  }
  const { default: Anthropic } = await import('@anthropic-ai/sdk');
  const client = new Anthropic({
    apiKey: apiKey || null,
    authToken: apiKey ? null : (ctx.env.ANTHROPIC_AUTH_TOKEN ?? null),
    baseURL:
      (entry?.integration === 'custom' ? entry.access.endpoint : undefined) ??
      (ctx.env.ANTHROPIC_BASE_URL || undefined),
    // mm's fallback chain decides what happens after a failure, not the SDK.
    maxRetries: 0,
    timeout: timeoutMs,
  });
  const prompt = request.schema ? withJsonReply(request.prompt, request.schema, 'claude') : request.prompt;
  const started = performance.now();
  const latency = () => Math.round(performance.now() - started);
  let streamStarted = false;
  // The SDK's own timeout stops at the response headers; a stream that stalls after them needs this.
  const deadline = AbortSignal.timeout(timeoutMs);
  try {
    const stream = client.messages.stream(
      {
        model: entry?.wire_model ?? model,
        messages: [{ role: 'user', content: prompt }],
        ...withSampling(thinkingParams(entry, effort), request),
      } as Parameters<typeof client.messages.stream>[0],
      { signal: deadline },
    );
    stream.on('streamEvent', () => {
      streamStarted = true;
    });
    const message = await stream.finalMessage();
    const text = message.content.flatMap((b) => (b.type === 'text' ? [b.text] : [])).join('');
    const u = message.usage;
    const usage = {
      input: u.input_tokens ?? 0,
      output: u.output_tokens ?? 0,
      reasoning: 0,
      cached: u.cache_read_input_tokens ?? 0,
    };
    const base = { provider: 'claude', model, usage, latencyMs: latency(), text };
    if (message.stop_reason === 'max_tokens')
      return makeResult({ ...base, status: 'truncated', error: 'stop_reason "max_tokens": output cut off' });
    return await resultOfReply(base, text, request.schema);
  } catch (e) {
    // A connection lost after the stream began is a cut-off answer, not an unreachable API.
    const { status, error } = deadline.aborted
      ? { status: 'timeout' as const, error: `no complete answer within ${Math.round(timeoutMs / 1000)} s` }
      : streamStarted && !(e as { status?: number }).status
        ? { status: 'truncated' as const, error: `stream cut off: ${(e as Error).message}` }
        : classifyApiError(e, timeoutMs, { wireModel: entry?.wire_model ?? model, ctx });
    return makeResult({ status, provider: 'claude', model, latencyMs: latency(), error });
  }
}

function classifyApiError(
  e: unknown,
  timeoutMs: number,
  sent: { wireModel: string; ctx: InvokeContext },
): { status: InvokeStatus; error: string } {
  const err = e as Error & { status?: number; name: string };
  // Anthropic answers an unknown or retired model with 404 not_found_error "model: <id>".
  if ((err.status === 404 || err.status === 400) && isModelGone(err.message))
    return {
      status: 'model_not_found',
      error: modelGoneMessage({
        wireModel: sent.wireModel,
        at: 'Anthropic',
        registry: sent.ctx.registry,
        detail: err.message,
      }),
    };
  if (err.name === 'APIConnectionTimeoutError')
    return { status: 'timeout', error: `no answer within ${Math.round(timeoutMs / 1000)} s` };
  if (err.name === 'APIConnectionError')
    return { status: 'unavailable', error: `Messages API unreachable: ${err.message}` };
  const code = err.status;
  if (code === 429) return { status: 'rate_limited', error: `HTTP 429: ${err.message}` };
  if (code === 401 || code === 403) return { status: 'auth', error: `HTTP ${code}: ${err.message}` };
  if (code === 529 || code === 503)
    return { status: 'unavailable', error: `HTTP ${code} (overloaded): ${err.message}` };
  // A stream that ends early surfaces as a plain Error from the SDK's parser.
  if (!code && /stream|ended|terminated|premature|JSON/i.test(err.message))
    return { status: 'truncated', error: `stream cut off: ${err.message}` };
  return { status: 'failed', error: code ? `HTTP ${code}: ${err.message}` : err.message };
}
