/** Building InvokeResults: one place that fills every field, so no adapter forgets one. */
import { EMPTY_USAGE, type Attempt, type InvokeResult, type InvokeStatus, type Usage } from './types.ts';

export interface ResultParts {
  status: InvokeStatus;
  provider: string;
  model: string;
  text?: string;
  json?: unknown;
  usage?: Partial<Usage>;
  latencyMs?: number;
  threadId?: string;
  stderrTail?: string;
  error?: string;
}

export function makeResult(p: ResultParts): InvokeResult {
  return {
    status: p.status,
    text: p.text ?? '',
    ...(p.json !== undefined ? { json: p.json } : {}),
    provider: p.provider,
    model: p.model,
    usage: { ...EMPTY_USAGE, ...p.usage },
    latencyMs: p.latencyMs ?? 0,
    costUsd: null,
    ...(p.threadId ? { threadId: p.threadId } : {}),
    stderrTail: p.stderrTail ?? '',
    attempts: [],
    withheld: [],
    ...(p.status !== 'ok' ? { error: p.error ?? p.status } : {}),
  };
}

/** A plain-text reply's status: an empty reply is no answer (invalid_output), never "ok". */
export function textStatus(text: string): Pick<ResultParts, 'status' | 'error'> {
  return text.trim() ? { status: 'ok' } : { status: 'invalid_output', error: 'empty reply' };
}

/** One call as a hop of a fallback chain (the result's attempts, the ledger's lines). */
export function attemptOf(r: InvokeResult): Attempt {
  return { provider: r.provider, model: r.model, status: r.status, latencyMs: r.latencyMs, ...(r.status !== 'ok' ? { error: r.error ?? r.status } : {}) };
}
