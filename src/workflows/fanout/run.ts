/**
 * Executes planned calls in parallel through an injected `invoke` (the real
 * `invokeModel` in the CLI, a fake in tests), at most N in flight per provider. A call
 * that does not answer "ok" tries its fallbacks in order; exceptions become failed
 * results, so one bad provider never sinks the batch.
 *
 * This layer owns fallbacks for fan-out and MAO: each call's chain is planned up front
 * (the cost estimate prices the primaries; a fallback is called only when its primary
 * fails), so invokeModel is told `fallback: false` and never walks its [routing] chain
 * on top of ours. A failing primary is therefore retried exactly once per planned fallback,
 * and each hop appears once in the ledger and once in the record.
 */
import type { InvokeContext, InvokeFn } from '../../providers/index.ts';
import type { InvokeStatus } from '../../util/call-status.ts';
import type { Registry } from '../../registry/registry.ts';
import { createKeyedLimiter } from './limiter.ts';
import { summarize, type FanoutOutput, type FanoutResult, type PlannedCall } from './types.ts';

export interface CallRecord {
  label: string;
  /** Every model tried, in order, with its status. */
  attempts: Array<{ model: string; status: string; latencyMs: number; costUsd: number | null; error?: string }>;
  /** The provider's parsed reply when a schema was given. */
  json?: unknown;
}

export interface ProgressEvent {
  done: number;
  total: number;
  result: FanoutResult;
}

export interface RunFanoutOptions {
  invoke: InvokeFn;
  ctx: InvokeContext;
  cwd: string;
  /** Provider key of a model (the registry integration), for the concurrency limits. */
  providerOf: (model: string) => string;
  /** Max calls in flight for a provider key. */
  limitFor: (provider: string) => number;
  timeoutMs?: number;
  /** The fan-out's run id: the ledger's checkpoint label, and the run [usage].checkpoint_budget_usd counts. */
  checkpoint?: string;
  onProgress?: (event: ProgressEvent) => void;
}

/** Refusals before anything is sent (budget, secrets under "refuse"): another model would be refused too, or cost more than asked. */
const REFUSALS: ReadonlySet<string> = new Set(['budget', 'input']);

export async function runFanout(
  calls: PlannedCall[],
  opts: RunFanoutOptions,
): Promise<FanoutOutput & { records: CallRecord[] }> {
  const limiterFor = createKeyedLimiter(opts.limitFor);
  let done = 0;
  const records: CallRecord[] = calls.map((c) => ({ label: c.label, attempts: [] }));
  const results = await Promise.all(
    calls.map(async (call, index) => {
      const result = await runWithFallbacks(call, records[index]!, opts, limiterFor);
      done++;
      opts.onProgress?.({ done, total: calls.length, result });
      return result;
    }),
  );
  return { ...summarize(results), records };
}

async function runWithFallbacks(
  call: PlannedCall,
  record: CallRecord,
  opts: RunFanoutOptions,
  limiterFor: ReturnType<typeof createKeyedLimiter>,
): Promise<FanoutResult> {
  const chain = [call.model, ...call.fallbacks.filter((m) => m !== call.model)];
  let lastError = 'not run';
  let lastModel = call.model;
  for (const model of chain) {
    // The hop this call replaces, so the ledger records it as a fallback (as mm ask's chain does).
    const previous = record.attempts.at(-1);
    const started = Date.now();
    try {
      const reply = await limiterFor(opts.providerOf(model))(() =>
        opts.invoke(
          model,
          {
            prompt: call.prompt,
            model,
            cwd: opts.cwd,
            task: call.task,
            fallback: false,
            ...(previous
              ? {
                  fallbackFrom: {
                    provider: opts.providerOf(previous.model),
                    model: previous.model,
                    status: previous.status as InvokeStatus,
                    latencyMs: previous.latencyMs,
                    ...(previous.error ? { error: previous.error } : {}),
                  },
                }
              : {}),
            ...(call.temperature !== undefined ? { temperature: call.temperature } : {}),
            ...(call.maxTokens !== undefined ? { maxTokens: call.maxTokens } : {}),
            ...(call.files?.length ? { files: call.files } : {}),
            ...(opts.checkpoint ? { checkpoint: opts.checkpoint, run: opts.checkpoint } : {}),
            ...(call.schema ? { schema: call.schema } : {}),
            ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
          },
          opts.ctx,
        ),
      );
      const answeredBy = reply.model || model;
      // An adapter may have made several calls itself (Gemini Pro 429 → Flash): record each, as the ledger does.
      const inner =
        reply.attempts.length > 1
          ? reply.attempts
          : [
              {
                model: answeredBy,
                status: reply.status,
                latencyMs: reply.latencyMs,
                ...(reply.error ? { error: reply.error } : {}),
              },
            ];
      inner.forEach((a, j) => {
        const final = j === inner.length - 1;
        record.attempts.push({
          model: a.model,
          status: a.status,
          latencyMs: a.latencyMs,
          costUsd: final ? reply.costUsd : 0,
          ...(a.error ? { error: a.error } : {}),
        });
      });
      lastModel = answeredBy;
      if (reply.status === 'ok') {
        record.json = reply.json;
        return { label: call.label, model: answeredBy, complexity: call.complexity, ok: true, text: reply.text };
      }
      lastError = `${answeredBy}: ${reply.status}${reply.error ? ` (${reply.error})` : ''}`;
    } catch (e) {
      lastError = `${model}: failed (${(e as Error).message})`;
      lastModel = model;
      record.attempts.push({
        model,
        status: 'failed',
        latencyMs: Date.now() - started,
        costUsd: null,
        error: (e as Error).message,
      });
      if (REFUSALS.has((e as { kind?: string }).kind ?? '')) break;
    }
  }
  const tried = record.attempts.length > 1 ? `all ${record.attempts.length} attempts failed; last: ` : '';
  // The model that produced the error the result reports.
  return { label: call.label, model: lastModel, complexity: call.complexity, ok: false, error: `${tried}${lastError}` };
}

/** Provider key for the limits: the registry integration, else the model id itself. */
export function providerKeyOf(registry: Registry): (model: string) => string {
  return (model) => registry.find(model)?.integration ?? model;
}
