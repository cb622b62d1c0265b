/**
 * Ask a model for a structured reply and believe it only once it validates. A reply
 * that does not match the schema is `invalid_output`; a call that could not run keeps
 * its status. Neither is ever a verdict: callers branch on `ok` first.
 */
import type { z } from 'zod';
import { isMmError } from '../util/errors.ts';
import type { InvokeContext, InvokeFn } from '../providers/index.ts';
import type { InvokeRequest, InvokeResult, InvokeStatus } from '../providers/types.ts';

export type Structured<T> =
  | { ok: true; value: T; result: InvokeResult }
  | { ok: false; status: Exclude<InvokeStatus, 'ok'>; error: string; result: InvokeResult };

export async function invokeStructured<T>(
  invoke: InvokeFn,
  target: string,
  request: InvokeRequest,
  ctx: InvokeContext,
  schema: z.ZodType<T>,
): Promise<Structured<T>> {
  let result: InvokeResult;
  try {
    result = await invoke(target, request, ctx);
  } catch (e) {
    // A refusal before anything was sent (a [usage] budget) is the command's answer: exit 16, not "failed".
    if (isMmError(e) && e.kind === 'budget') throw e;
    // A provider that throws is a provider that could not run: never a verdict.
    result = failedResult(target, request, (e as Error).message ?? String(e));
  }
  if (result.status !== 'ok') {
    return { ok: false, status: result.status, error: result.error ?? `${target} returned ${result.status}`, result };
  }
  const candidate = result.json !== undefined ? result.json : extractJson(result.text);
  if (candidate === undefined) {
    return invalid(result, `${target} replied without a JSON object: ${snippet(result.text)}`);
  }
  const parsed = schema.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return invalid(
      result,
      `${target} replied with JSON that does not match the schema: ${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid'}`,
    );
  }
  return { ok: true, value: parsed.data, result };
}

function invalid<T>(result: InvokeResult, error: string): Structured<T> {
  return { ok: false, status: 'invalid_output', error, result: { ...result, status: 'invalid_output', error } };
}

function failedResult(target: string, request: InvokeRequest, error: string): InvokeResult {
  return {
    status: 'failed',
    text: '',
    provider: target,
    model: request.model ?? target,
    usage: { input: 0, output: 0, reasoning: 0, cached: 0 },
    latencyMs: 0,
    costUsd: null,
    stderrTail: '',
    attempts: [],
    withheld: [],
    error,
  };
}

/** The reply's JSON: the whole text, a fenced ```json block, or the outermost {…}. */
export function extractJson(text: string): unknown {
  const attempts = [text.trim()];
  const fence = /```(?:json)?[ \t]*\n([\s\S]*?)\n```/i.exec(text);
  if (fence?.[1]) attempts.push(fence[1].trim());
  const first = text.indexOf('{');
  const last = text.lastIndexOf('}');
  if (first !== -1 && last > first) attempts.push(text.slice(first, last + 1));
  for (const candidate of attempts) {
    if (!candidate.startsWith('{')) continue;
    try {
      return JSON.parse(candidate);
    } catch {
      // try the next shape
    }
  }
  return undefined;
}

function snippet(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat ? `"${flat.slice(0, 80)}${flat.length > 80 ? '…' : ''}"` : '(empty reply)';
}
