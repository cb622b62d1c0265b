/**
 * SDK errors → MmError kinds, so a creative call fails with the same exit codes as every
 * other model call (auth 15, rate limit 12, timeout 11, unreachable 10).
 */
import { MmError, isMmError, type ErrorKind } from '../util/errors.ts';
import { isModelGone, modelGoneMessage } from '../providers/model-gone.ts';
import type { Registry } from '../registry/registry.ts';

export function toMmError(
  e: unknown,
  what: string,
  /** The model the call named: a 404 for it becomes model_not_found, explained. */
  sent?: { wireModel: string; at: string; registry?: Registry },
): MmError {
  if (isMmError(e)) return e;
  const err = e as { status?: number; code?: string; name?: string; message?: string; cause?: { code?: string } };
  const status = typeof err?.status === 'number' ? err.status : undefined;
  const code = err?.cause?.code ?? err?.code;
  const message = firstLine(err?.message ?? String(e));
  // @google/genai: 404 NOT_FOUND "models/x is not found…"; openai: 404 model_not_found.
  if (sent && (status === 404 || status === 400) && isModelGone(err?.message ?? ''))
    return new MmError('model_not_found', modelGoneMessage({ ...sent, detail: `HTTP ${status}: ${message}` }));
  let kind: ErrorKind = 'failed';
  // The Gemini API answers a wrong key with 400 INVALID_ARGUMENT, reason API_KEY_INVALID.
  if (status === 401 || status === 403 || /API_KEY_INVALID|API key not valid/i.test(message)) kind = 'auth';
  else if (status === 429) kind = 'rate_limited';
  else if (status === 408 || status === 504 || err?.name === 'TimeoutError' || /timed? ?out/i.test(message))
    kind = 'timeout';
  else if (
    code === 'ECONNREFUSED' ||
    code === 'ENOTFOUND' ||
    code === 'EAI_AGAIN' ||
    /connection error|fetch failed/i.test(message)
  )
    kind = 'unavailable';
  else if (status === 400 || status === 404) kind = 'input';
  return new MmError(kind, `${what}: ${status ? `HTTP ${status}: ` : ''}${message}`);
}

function firstLine(text: string): string {
  const line = text.split('\n')[0] ?? '';
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}
