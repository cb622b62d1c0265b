/**
 * What asset commands need from the provider layer, injected so units test without it:
 * the usage ledger (the same LedgerEntry lines as every other model call, so `mm usage`
 * reports image and video calls with their cost), the secrets guard (prompts and files
 * are checked before they leave the machine) and the [usage] budgets (checked before a
 * paid call). Asset calls go to the Gemini/OpenAI SDKs directly (images, video, inline
 * multimodal replies), not through invokeModel's CLI adapters, so these adapters apply
 * the same policies at that boundary.
 */
import type { Config } from '../config/schema.ts';
import { INVOKE_STATUSES, type InvokeStatus } from '../providers/types.ts';
import type { RegistryEntry } from '../registry/models.ts';
import { guardSecrets } from '../secrets/guard.ts';
import { isSecretFile, secretPathMatcher } from '../secrets/paths.ts';
import { reserveBudget } from '../usage/budget.ts';
import { appendLedger, ledgerPath, type LedgerEntry } from '../usage/ledger.ts';
import { ensureMmStateIgnored } from '../util/mm-state.ts';

export interface AssetUsageEntry {
  ts: string;
  task: string;
  provider: string;
  model: string;
  /** "failed" unless the error's kind is a more precise provider status (timeout, rate_limited, …). */
  status: 'ok' | 'failed' | InvokeStatus;
  latency_ms: number;
  cost_usd: number | null;
  request_id: string | null;
  /** Project-relative path of the stored asset, when there is one. */
  asset: string | null;
  tokens?: { input?: number; output?: number };
  /** The model this call fell back from (Pattern B image fallback). */
  fallback_from?: string;
  error?: string;
}

interface GuardedPrompt {
  text: string;
  /** Descriptions of what was redacted (never the secret itself). */
  withheld: string[];
}

export interface AssetServices {
  recordUsage(entry: AssetUsageEntry): void;
  /** Returns the prompt to send, or throws MmError("input") when [secrets].on_secret = "refuse". */
  guardPrompt(text: string): GuardedPrompt;
  /** Splits files to send into those that may leave the machine and secret paths (never read). */
  guardFiles(paths: string[]): { kept: string[]; withheld: string[] };
  /** Throws MmError("budget") when the call's estimated cost would exceed a [usage] budget; nothing is sent. */
  checkBudget(entry: RegistryEntry, estimateUsd: number | null, prompt: string): void;
}

export function defaultAssetServices(projectRoot: string, config: Config): AssetServices {
  const ledger = ledgerPath(projectRoot, config.usage.ledger);
  const isSecretPath = secretPathMatcher(config.secrets.withhold_paths);
  // The budget reservation of the call in progress: its usage line settles it.
  let reservation: string | null = null;
  return {
    recordUsage(entry) {
      try {
        ensureMmStateIgnored(projectRoot);
        appendLedger(ledger, { ...toLedgerEntry(entry), ...(reservation ? { reservation } : {}) });
        reservation = null;
      } catch {
        // A ledger that cannot be written must not lose the asset the user paid for.
      }
    },
    guardPrompt(text) {
      const guarded = guardSecrets({ prompt: text, cwd: projectRoot }, config.secrets);
      return { text: guarded.prompt, withheld: guarded.withheld };
    },
    guardFiles(paths) {
      const kept: string[] = [];
      const withheld: string[] = [];
      for (const p of paths) {
        if (isSecretFile(isSecretPath, projectRoot, p)) withheld.push(`withheld file ${p} (secret path)`);
        else kept.push(p);
      }
      return { kept, withheld };
    },
    checkBudget(entry, estimateUsd, prompt) {
      reservation = reserveBudget({ config, entry, prompt, estimateUsd, ledgerFile: ledger });
    },
  };
}

function toLedgerEntry(e: AssetUsageEntry): LedgerEntry {
  return {
    ts: e.ts,
    provider: e.provider,
    model: e.model,
    task: e.task,
    status: e.status,
    tokens: { input: e.tokens?.input ?? 0, output: e.tokens?.output ?? 0, reasoning: 0, cached: 0 },
    latency_ms: e.latency_ms,
    cost_usd: e.cost_usd,
    ...(e.fallback_from
      ? { fallback_from: e.fallback_from, note: `fallback from ${e.fallback_from} to ${e.model}` }
      : {}),
    ...(e.error ? { error: e.error.length > 300 ? `${e.error.slice(0, 299)}…` : e.error } : {}),
    ...(e.request_id ? { request_id: e.request_id } : {}),
    ...(e.asset ? { asset: e.asset } : {}),
  };
}

/**
 * Stores the output of a call that was already paid for. When storing fails (disk full,
 * no free name), the call still becomes a ledger line with its cost, so `mm usage` and
 * the budgets see it, before the error propagates.
 */
export function storePaid<T>(store: () => T, recordUnstored: (error: string) => void): T {
  try {
    return store();
  } catch (e) {
    recordUnstored(`generated but not stored: ${(e as Error).message}`);
    throw e;
  }
}

/** The ledger status of a failed call: the error's kind when it is a provider status, else "failed". */
export function statusOf(error: unknown): InvokeStatus {
  const kind = (error as { kind?: string } | null)?.kind;
  return kind && (INVOKE_STATUSES as readonly string[]).includes(kind) && kind !== 'ok'
    ? (kind as InvokeStatus)
    : 'failed';
}
