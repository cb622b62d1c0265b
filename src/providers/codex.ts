/**
 * Codex CLI adapter: `codex exec --json` with the prompt on stdin, model and reasoning
 * effort from config/policy, read-only sandbox unless widened, JSONL events parsed for
 * the reply, usage, thread id and failures; structured replies validated here.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { CODEX_EFFORTS, SANDBOX_MODES, type CodexEffort } from '../config/enums.ts';
import { checkModelId, checkThreadId } from '../process/argv.ts';
import { classifyRun, runProcess, statusFromMessage, tail } from '../process/runner.ts';
import { codexLaunch } from '../process/codex-native.ts';
import { isModelGone, modelGoneMessage } from './model-gone.ts';
import { MmError } from '../util/errors.ts';
import { makeResult, resultOfReply } from './result.ts';
import { codexModelOfLine, effortRowFor, taskRowFor } from '../policy/tasks.ts';
import { RECHECK_INSTRUCTION } from './task-kinds.ts';
import type { InvokeContext, InvokeRequest, InvokeResult, InvokeStatus, Provider, Usage } from './types.ts';

/** Codex refuses a larger prompt with input_too_large and then never exits. */
export const CODEX_MAX_PROMPT_CHARS = 1_048_576;

export function createCodexProvider(ctx: InvokeContext): Provider {
  return { name: 'codex', invoke: (request) => invokeCodex(request, ctx) };
}

/** The registry id to use: the request's, else the line the task calls for. */
export function codexModelFor(request: Pick<InvokeRequest, 'model' | 'task'>, ctx: InvokeContext): string {
  if (request.model) return request.model;
  const config = ctx.loaded.config;
  return codexModelOfLine(config, taskRowFor(request.task, config).codexLine);
}

export function codexEffortFor(request: Pick<InvokeRequest, 'effort' | 'task'>, ctx: InvokeContext): CodexEffort {
  const effort =
    request.effort ??
    effortRowFor(request.task, ctx.loaded.config)?.codex ??
    ctx.loaded.config.models.codex.default_reasoning;
  // Codex itself accepts any string here and fails later, or silently ignores it.
  if (!(CODEX_EFFORTS as readonly string[]).includes(effort)) {
    throw new MmError('usage', `invalid Codex effort "${effort}"; allowed: ${CODEX_EFFORTS.join(', ')}`);
  }
  return effort as CodexEffort;
}

export function buildCodexArgs(opts: {
  wireModel: string;
  effort: CodexEffort;
  sandbox: string;
  cwd: string;
  inGitRepo: boolean;
  schemaFile?: string;
  threadId?: string;
  /** /tmp is not a writable root (the commands get a private TMPDIR instead). */
  privateTmp?: boolean;
}): string[] {
  checkModelId(opts.wireModel, 'model');
  if (opts.threadId !== undefined) checkThreadId(opts.threadId);
  const common = ['--json', '-m', opts.wireModel, '-c', `model_reasoning_effort=${opts.effort}`];
  if (!opts.inGitRepo) common.push('--skip-git-repo-check');
  if (opts.schemaFile) common.push('--output-schema', opts.schemaFile);
  if (opts.privateTmp && opts.sandbox === 'workspace-write')
    common.push('-c', 'sandbox_workspace_write.exclude_slash_tmp=true');
  // `exec resume` has no -s and does not restore the session's sandbox: without this
  // override the turn would run with whatever ~/.codex/config.toml says, not read-only.
  if (opts.threadId) return ['exec', 'resume', ...common, '-c', `sandbox_mode="${opts.sandbox}"`, opts.threadId, '-'];
  return ['exec', ...common, '-s', opts.sandbox, '-C', opts.cwd, '-'];
}

async function invokeCodex(request: InvokeRequest, ctx: InvokeContext): Promise<InvokeResult> {
  const config = ctx.loaded.config.models.codex;
  const modelId = codexModelFor(request, ctx);
  const entry = ctx.registry.find(modelId);
  const model = entry?.id ?? modelId;
  const wireModel = entry?.wire_model ?? model;
  const effort = codexEffortFor(request, ctx);
  const sandbox = request.sandbox ?? config.sandbox_default;
  if (!SANDBOX_MODES.includes(sandbox))
    throw new MmError('usage', `invalid sandbox "${sandbox}"; allowed: ${SANDBOX_MODES.join(', ')}`);
  const prompt =
    taskRowFor(request.task, ctx.loaded.config).recheck && !request.prompt.includes(RECHECK_INSTRUCTION)
      ? `${request.prompt}\n\n${RECHECK_INSTRUCTION}`
      : request.prompt;
  if (prompt.length > CODEX_MAX_PROMPT_CHARS) {
    return makeResult({
      status: 'failed',
      provider: 'codex',
      model,
      error: `input_too_large: the prompt has ${prompt.length} characters; Codex accepts at most ${CODEX_MAX_PROMPT_CHARS} (not sent: split it or use a long-context model)`,
    });
  }
  const cwd = resolve(request.cwd);
  let schemaDir: string | undefined;
  // A writing run never gets the shared /tmp: its checkout (and often the user's) lives there.
  // Callers may hand in their own private folder; otherwise one is made and removed here.
  const ownTmp =
    sandbox === 'workspace-write' && !request.tmpDir ? mkdtempSync(join(tmpdir(), 'mm-codex-tmp-')) : undefined;
  const tmpDir = request.tmpDir ?? ownTmp;
  try {
    let schemaFile: string | undefined;
    if (request.schema) {
      schemaDir = mkdtempSync(join(tmpdir(), 'mm-codex-schema-'));
      schemaFile = join(schemaDir, 'schema.json');
      writeFileSync(schemaFile, JSON.stringify(request.schema));
    }
    const args = buildCodexArgs({
      wireModel,
      effort,
      sandbox,
      cwd,
      inGitRepo: insideGitRepo(cwd),
      schemaFile,
      threadId: request.threadId,
      privateTmp: tmpDir !== undefined,
    });
    // $TMPDIR stays writable in workspace-write: pointing it at the private folder keeps tools working.
    const env = tmpDir && sandbox === 'workspace-write' ? { ...ctx.env, TMPDIR: tmpDir } : ctx.env;
    const launch = codexLaunch(entry?.access.command ?? config.command, env);
    const run = await runProcess({
      command: launch.command,
      args,
      input: prompt,
      cwd,
      env: launch.env,
      timeoutMs: request.timeoutMs ?? config.timeout_seconds * 1000,
    });
    const events = parseCodexEvents(run.stdout);
    const base = {
      provider: 'codex',
      model,
      usage: events.usage,
      latencyMs: run.durationMs,
      threadId: events.threadId,
      stderrTail: tail(run.stderr),
    };
    const classified = classifyRun(run);
    // Top-level "error" events also announce retries that later succeed: only an unfinished turn failed.
    if (classified.status !== 'ok' || (events.failure && !events.completed)) {
      const message =
        events.failure ?? `${classified.reason ?? 'failed'}${run.stderr.trim() ? `: ${tail(run.stderr, 3)}` : ''}`;
      const gone = classified.status !== 'unavailable' && classified.status !== 'timeout' && isModelGone(message);
      const status: InvokeStatus =
        classified.status === 'unavailable' || classified.status === 'timeout'
          ? classified.status
          : gone
            ? 'model_not_found'
            : (statusFromMessage(message) ?? (classified.status === 'ok' ? 'failed' : classified.status));
      return makeResult({
        ...base,
        status,
        text: events.text,
        error:
          classified.status === 'unavailable'
            ? `codex: ${classified.reason} (${entry?.access.command ?? config.command})`
            : gone
              ? modelGoneMessage({ wireModel, at: 'OpenAI', registry: ctx.registry, detail: message })
              : message,
      });
    }
    if (!events.completed) {
      return makeResult({
        ...base,
        status: stdoutLooksLikeEvents(run.stdout) ? 'truncated' : 'invalid_output',
        text: events.text,
        error: 'codex exited without completing the turn',
      });
    }
    return await resultOfReply(base, events.text, request.schema);
  } finally {
    if (schemaDir) rmSync(schemaDir, { recursive: true, force: true });
    if (ownTmp) rmSync(ownTmp, { recursive: true, force: true });
  }
}

export interface CodexEvents {
  text: string;
  usage: Usage;
  threadId?: string;
  completed: boolean;
  failure?: string;
}

/** Reads `codex exec --json` JSONL. Non-JSON lines are ignored; item errors are not fatal. */
export function parseCodexEvents(stdout: string): CodexEvents {
  const out: CodexEvents = { text: '', usage: { input: 0, output: 0, reasoning: 0, cached: 0 }, completed: false };
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Codex's JSONL events are untyped; each field is checked where read
    let ev: any;
    try {
      ev = JSON.parse(line);
    } catch {
      continue;
    }
    switch (ev.type) {
      case 'thread.started':
        out.threadId = ev.thread_id;
        break;
      case 'item.completed':
        if (ev.item?.type === 'agent_message') out.text = ev.item.text ?? '';
        break;
      case 'turn.completed':
        out.completed = true;
        out.usage = {
          input: ev.usage?.input_tokens ?? 0,
          cached: ev.usage?.cached_input_tokens ?? 0,
          output: ev.usage?.output_tokens ?? 0,
          reasoning: ev.usage?.reasoning_output_tokens ?? 0,
        };
        break;
      case 'turn.failed':
        out.failure = ev.error?.message ?? out.failure ?? 'turn failed';
        break;
      case 'error':
        out.failure ??= ev.message ?? 'codex error';
        break;
    }
  }
  return out;
}

function stdoutLooksLikeEvents(stdout: string): boolean {
  return stdout.split('\n').some((l) => l.startsWith('{"type"'));
}

function insideGitRepo(dir: string): boolean {
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(join(d, '.git'))) return true;
    if (dirname(d) === d) return false;
  }
}
