/** Building InvokeResults: one place that fills every field, so no adapter forgets one. */
import { checkStructuredReply } from './structured.ts';
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

/**
 * The result for a reply that arrived whole: with a schema, "ok" only when it parses and
 * matches (cut-off JSON is "truncated"); without one, "ok" only when it is not empty.
 */
export async function resultOfReply(
  base: Omit<ResultParts, 'status' | 'text' | 'json' | 'error'>,
  text: string,
  schema: Record<string, unknown> | undefined,
): Promise<InvokeResult> {
  if (!schema)
    return makeResult(
      text.trim() ? { ...base, status: 'ok', text } : { ...base, status: 'invalid_output', text, error: 'empty reply' },
    );
  const checked = await checkStructuredReply(text, schema);
  if (!checked.ok)
    return makeResult({
      ...base,
      status: checked.truncated ? 'truncated' : 'invalid_output',
      text,
      error: checked.error,
    });
  return makeResult({ ...base, status: 'ok', text, json: checked.json });
}

/** One call as a hop of a fallback chain (the result's attempts, the ledger's lines). */
export function attemptOf(r: InvokeResult): Attempt {
  return {
    provider: r.provider,
    model: r.model,
    status: r.status,
    latencyMs: r.latencyMs,
    ...(r.status !== 'ok' ? { error: r.error ?? r.status } : {}),
  };
}
