/**
 * Values that end up in a child's argv (a Codex thread id, a model id) are checked here
 * first: a value that starts with "-" or holds spaces would be read by the CLI as an
 * option (`--resume=--dangerously-bypass-approvals-and-sandbox` once turned the sandbox
 * off). Refusing is a usage error (exit 2), raised before anything is started.
 */
import { MmError } from '../util/errors.ts';

/** Codex thread ids are UUIDs (v7 today); any version is accepted, nothing else. */
const THREAD_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Model ids as providers spell them: gpt-5.2, gemini-3-flash-preview, models/x, qwen3:8b, org/model@rev. */
const MODEL_ID = /^[A-Z0-9][\w.:/@+-]{0,127}$/i;

export function checkThreadId(value: string, flag = '--resume'): string {
  if (!THREAD_ID.test(value))
    throw new MmError('usage', `${flag}: "${value}" is not a Codex thread id (a UUID such as the threadId of --json)`);
  return value;
}

export function checkModelId(value: string, flag = '--model'): string {
  if (!MODEL_ID.test(value))
    throw new MmError(
      'usage',
      `${flag}: "${value}" is not a valid model id (letters, digits and . _ : / @ + -, not starting with "-")`,
    );
  return value;
}
