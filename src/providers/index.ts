/**
 * Entry point for every model call: `invokeModel(target, request, ctx)` resolves the
 * target (provider name or registry model), applies the privacy rule, the secrets guard
 * and the budgets, calls the provider, walks the fallback chain primary → fallback →
 * Claude (recording each hop), and appends every call to the usage ledger.
 *
 * A model that gives no answer is a result (status ≠ "ok"), never an exception. Refusals
 * before anything is sent throw MmError: "budget" (a [usage] budget), "input" (secrets
 * with on_secret = "refuse"), "usage" (an effort or sandbox the provider does not take),
 * "config" (an unknown model).
 */
import { randomUUID } from 'node:crypto';
import { appendLedger, ledgerPath } from '../usage/ledger.ts';
import { reserveBudget } from '../usage/budget.ts';
import { estimateCost } from '../usage/cost.ts';
import { billingOf } from '../usage/billing.ts';
import { attachFiles, guardSecrets } from '../secrets/guard.ts';
import { attemptOf, makeResult } from './result.ts';
import { sameTask, taskRowFor } from '../policy/tasks.ts';
import { codexEffortFor } from './codex.ts';
import { claudeEffortFor } from './claude.ts';
import { isClaudeAdapter, resolveTarget, type AdapterKind, type ResolvedTarget } from './resolve.ts';
import { claudeAccessFor } from './claude-access.ts';
import type { Attempt, InvokeContext, InvokeRequest, InvokeResult, InvokeStatus, Provider } from './types.ts';
import { ensureMmStateIgnored } from '../util/mm-state.ts';
import { checkModelId, checkThreadId } from '../process/argv.ts';
import { tryRecord } from '../util/record-failures.ts';
import { progress } from '../jobs/progress.ts';

/** One `mm` process is one run for [usage].checkpoint_budget_usd unless the request names its run. */
const PROCESS_RUN = randomUUID();

export type { InvokeContext } from './types.ts';
export type InvokeFn = (target: string, request: InvokeRequest, ctx: InvokeContext) => Promise<InvokeResult>;

/** Where the chain stops: success, or a failure another model cannot fix (report it, don't hide it behind a fallback). */
const STOP_AT: ReadonlySet<InvokeStatus> = new Set(['ok', 'auth']);

async function loadAdapter(kind: AdapterKind, ctx: InvokeContext): Promise<Provider> {
  switch (kind) {
    case 'codex':
      return (await import('./codex.ts')).createCodexProvider(ctx);
    case 'gemini':
      return (await import('./gemini.ts')).createGeminiProvider(ctx);
    case 'local':
      return (await import('./local.ts')).createLocalProvider(ctx);
    case 'claude':
      return (await import('./claude.ts')).createClaudeProvider(ctx);
    case 'claude-cli':
      return (await import('./claude-cli.ts')).createClaudeCliProvider(ctx);
  }
}

export const invokeModel: InvokeFn = async (target, request, ctx) => {
  const config = ctx.loaded.config;
  // Values that reach a CLI's argv: refused before anything starts (see process/argv.ts).
  if (request.threadId !== undefined) checkThreadId(request.threadId);
  if (request.model !== undefined) checkModelId(request.model);
  const alwaysLocal =
    request.privacy === true || config.models.local_llm.always_local.some((name) => sameTask(name, request.task));
  // Privacy-sensitive and always_local tasks never leave the machine: no other target, no fallback.
  if (alwaysLocal && !config.models.local_llm_enabled) {
    const refused = makeResult({
      status: 'unavailable',
      provider: 'local',
      model: 'local-llm',
      error: `task "${request.task}" is privacy-sensitive: only a local model may see it, and models.local_llm_enabled = false (keep it with Claude Code)`,
    });
    return { ...refused, attempts: [attemptOf(refused)] };
  }
  const primary = alwaysLocal
    ? resolveTarget('local', { task: request.task }, ctx)
    : resolveTarget(target, request, ctx);
  // Whoever asks the on-machine model chose it to keep the prompt here (`mm ask local`, the
  // local-llm skill): when it is down the answer is "unavailable", never another provider.
  const onMachine = primary.adapter === 'local' && primary.entry?.integration === 'local';
  const chain: ResolvedTarget[] = [primary, ...(alwaysLocal || onMachine ? [] : fallbackChain(primary, request, ctx))];
  const ledgerFile = ledgerPath(ctx.root, config.usage.ledger);
  const attempts: Attempt[] = [];
  let last: InvokeResult | undefined;
  let withheld: string[] = [];
  for (const [i, hop] of chain.entries()) {
    // The configured local model is on this machine: the guard is for prompts that leave it.
    // A [[registry.models]] entry on the same adapter may be remote (OpenRouter…): guarded.
    const outgoing =
      hop.adapter === 'local' && hop.entry?.integration === 'local'
        ? { prompt: attachFiles(request.prompt, request.files, request.cwd), withheld: [] }
        : guardSecrets({ prompt: request.prompt, files: request.files, cwd: request.cwd }, config.secrets);
    const prompt = outgoing.prompt;
    withheld = outgoing.withheld;
    const run = request.run ?? PROCESS_RUN;
    const reservation = reserveBudget({
      config,
      entry: hop.entry,
      prompt,
      checkpoint: request.checkpoint,
      run,
      ledgerFile,
      provider: hop.adapter,
    });
    const provider = await loadAdapter(hop.adapter, ctx);
    progress({ model: hop.model });
    // A fallback hop picks its own model; the request's model belonged to the primary.
    const result = await provider.invoke({
      ...request,
      prompt,
      model: hop.model,
      files: undefined,
      ...(i > 0 ? { effort: undefined, threadId: undefined } : {}),
    });
    const entry = ctx.registry.find(result.model);
    const billing = billingOf(config, result.provider);
    // A subscription call spends no API money; what it would have cost stays in the ledger.
    const listCost = estimateCost(entry, result.usage);
    result.costUsd = billing === 'subscription' ? 0 : listCost;
    // An adapter may have made several calls itself (Gemini: Pro 429 → Flash): one ledger line each.
    const inner = result.attempts.length ? result.attempts : [attemptOf(result)];
    for (const [j, attempt] of inner.entries()) {
      const before = j > 0 ? inner[j - 1] : (attempts.at(-1) ?? request.fallbackFrom);
      const final = j === inner.length - 1;
      // The call is paid for: a ledger that cannot be written must not lose the answer.
      tryRecord(`the usage ledger ${ledgerFile}`, () => {
        ensureMmStateIgnored(ctx.root);
        appendLedger(ledgerFile, {
          ts: new Date().toISOString(),
          provider: attempt.provider,
          model: attempt.model,
          task: request.task,
          status: attempt.status,
          tokens: final ? result.usage : { input: 0, output: 0, reasoning: 0, cached: 0 },
          latency_ms: attempt.latencyMs,
          cost_usd: final ? result.costUsd : 0,
          ...(before && (i > 0 || j > 0 || request.fallbackFrom)
            ? { fallback_from: before.model, note: fallbackNote(before, attempt) }
            : {}),
          ...(request.checkpoint ? { checkpoint: request.checkpoint, run } : {}),
          ...effortOf(hop.adapter, i > 0 ? { task: request.task } : request, ctx),
          ...(attempt.error ? { error: shorten(attempt.error, 300) } : {}),
          ...(final && reservation ? { reservation } : {}),
          billing: billingOf(config, attempt.provider),
          ...(final && billing === 'subscription' ? { list_cost_usd: listCost } : {}),
        });
      });
    }
    attempts.push(...inner);
    last = result;
    if (STOP_AT.has(result.status)) break;
  }
  return { ...last!, attempts, withheld };
};

/** The effort a hop runs at, as its adapter decides it (none for adapters without one). */
function effortOf(
  adapter: string,
  request: Pick<InvokeRequest, 'effort' | 'task'>,
  ctx: InvokeContext,
): { effort?: string } {
  try {
    if (adapter === 'codex') return { effort: codexEffortFor(request, ctx) };
    if (adapter === 'claude') return { effort: claudeEffortFor(request, ctx) };
  } catch {
    // An invalid effort was already reported by the adapter.
  }
  return {};
}

/** "fallback from gemini-3.1-pro to claude-sonnet-4-6 (timeout: …)", as the ledger and mm ask print it. */
export function fallbackNote(from: Attempt, to: Attempt): string {
  return `fallback from ${from.model} to ${to.model} (${from.status}${from.error ? `: ${shorten(from.error)}` : ''})`;
}

/** The request's explicit fallbacks, else the [routing] chain for the task, then Claude when the API or the logged-in CLI is usable. */
function fallbackChain(primary: ResolvedTarget, request: InvokeRequest, ctx: InvokeContext): ResolvedTarget[] {
  if (request.fallback === false) return [];
  const config = ctx.loaded.config;
  const chainKey = taskRowFor(request.task, config).chain;
  const routing = chainKey ? config.routing[chainKey] : undefined;
  const ids = request.fallback ?? [...(routing ? [routing.primary, ...routing.fallback] : [])];
  const out: ResolvedTarget[] = [];
  const seen = new Set([primary.model]);
  for (const id of ids) {
    const entry = ctx.registry.find(id);
    if (!entry || seen.has(entry.id) || (request.fallback === undefined && !ctx.registry.isEnabled(entry))) continue;
    if (!isClaudeAdapter(primary.adapter) && entry.integration === 'claude' && !claudeUsable(entry, ctx)) continue;
    try {
      out.push(resolveTarget(entry.id, { task: request.task }, ctx));
      seen.add(entry.id);
    } catch {
      // not a text model: skip
    }
  }
  if (
    request.fallback === undefined &&
    !isClaudeAdapter(primary.adapter) &&
    !out.some((t) => isClaudeAdapter(t.adapter)) &&
    claudeUsable(ctx.registry.find(config.models.defaults.orchestration), ctx)
  ) {
    const claude = config.models.defaults.orchestration;
    out.push(resolveTarget(claude, { task: request.task }, ctx));
  }
  return out;
}

/** Headless Claude needs a way in: an API key for the Messages API, or the logged-in `claude` CLI. */
function claudeUsable(entry: Parameters<typeof claudeAccessFor>[0], ctx: InvokeContext): boolean {
  return claudeAccessFor(entry, ctx.loaded.config, ctx.env).usable;
}

function shorten(text: string, max = 120): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}
