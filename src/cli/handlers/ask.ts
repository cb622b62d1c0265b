import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { isatty } from 'node:tty';
import { projectRoot } from '../../config/locate.ts';
import { fallbackNote, invokeModel } from '../../providers/index.ts';
import type { InvokeResult } from '../../providers/types.ts';
import type { SandboxMode } from '../../config/schema.ts';
import { parseTask } from '../../policy/tasks.ts';
import { MmError } from '../../util/errors.ts';
import { readInputCapped } from '../../util/read-input.ts';
import type { Handler, ParsedArgs } from '../spec.ts';
import { loadConfigFor, printJson } from '../config-context.ts';
import { exitForStatus } from '../exit-codes.ts';

export const runAsk: Handler = async (args, ctx) => {
  const { flags, positionals } = args;
  const target = positionals[0]!;
  const prompt = readPrompt(args);
  const schema = typeof flags.schema === 'string' ? readSchema(resolve(ctx.cwd, flags.schema)) : undefined;
  const loaded = await loadConfigFor(ctx);
  // An old provider id still works; say what it is called now, so the user can update it.
  for (const name of [target, flags.model as string | undefined]) {
    const former = name ? loaded.registry.formerId(name) : undefined;
    if (former) ctx.stderr(`mm: note: "${name}" is an old id: ${former.former.note}; using ${former.entry.id}`);
  }
  const result = await invokeModel(
    target,
    {
      prompt,
      model: flags.model as string | undefined,
      effort: flags.effort as string | undefined,
      sandbox: flags.sandbox as SandboxMode | undefined,
      timeoutMs: typeof flags.timeout === 'number' ? flags.timeout * 1000 : undefined,
      schema,
      cwd: ctx.cwd,
      task: typeof flags.task === 'string' ? parseTask(flags.task, loaded.config) : 'ask',
      threadId: flags.resume as string | undefined,
      files: flags.file as string[] | undefined,
      ...(flags['no-fallback'] ? { fallback: false as const } : {}),
      ...(flags.privacy ? { privacy: true } : {}),
    },
    { loaded, registry: loaded.registry, env: ctx.env, root: projectRoot(ctx.cwd, loaded.path) },
  );
  if (ctx.json) printJson(ctx, result);
  else report(result, ctx);
  return exitForStatus(result.status);
};

function report(result: InvokeResult, ctx: Parameters<Handler>[1]): void {
  for (const w of result.withheld) ctx.stderr(`mm: ${w}`);
  for (const [i, a] of result.attempts.entries()) {
    const next = result.attempts[i + 1];
    if (next) ctx.stderr(`mm: ${fallbackNote(a, next)}`);
  }
  if (result.status === 'ok') {
    ctx.stdout(result.json !== undefined ? JSON.stringify(result.json, null, 2) : result.text);
    return;
  }
  ctx.stderr(`mm: ${result.provider} ${result.model}: ${result.status}: ${result.error ?? 'no answer'}`);
  if (result.stderrTail)
    ctx.stderr(
      result.stderrTail
        .split('\n')
        .map((l) => `  ${l}`)
        .join('\n'),
    );
}

function readPrompt({ flags, text: files }: ParsedArgs): string {
  const file = flags['prompt-file'];
  const text = typeof files['prompt-file'] === 'string' ? files['prompt-file'] : readStdin();
  if (!text.trim()) throw new MmError('usage', `mm ask: the prompt is empty${file ? ` (--prompt-file ${file})` : ''}`);
  return text;
}

function readStdin(): string {
  // Not process.stdin: touching it makes fd 0 non-blocking, and readFileSync(0) then fails with EAGAIN.
  if (isatty(0)) throw new MmError('usage', 'mm ask: no prompt: pipe it on stdin or pass --prompt-file FILE');
  return readInputCapped(0, 'the prompt on stdin');
}

function readSchema(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new MmError('input', `--schema ${path}: cannot read it`);
  }
  try {
    const value = JSON.parse(text);
    if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error('not an object');
    return value as Record<string, unknown>;
  } catch (e) {
    throw new MmError('input', `--schema ${path}: not a JSON Schema object (${(e as Error).message})`);
  }
}
