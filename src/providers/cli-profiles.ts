/**
 * How a Gemini-family CLI is driven, as data: a successor CLI is a config entry
 * (`[models.gemini] profile`, `[models.gemini.profiles.<name>]`), not new code.
 *
 * Built in:
 * - `gemini` — Gemini CLI (`@google/gemini-cli`, checked against 0.61 by the contract tests):
 *   prompt on stdin behind an empty `-p`, `-m`, `-o json` (the reply and token counts), and
 *   `--approval-mode default`: headless, every tool that would ask for approval (edits, shell)
 *   is denied, so the call is read-only even when the user's settings default to auto_edit or
 *   yolo. Not `plan`: in 0.61 plan mode answers a model error by switching to another model
 *   (gemini-3.1-pro-preview-customtools) and retrying until the timeout — a stand-in reviewer.
 * - `agy` — Antigravity CLI, from its public documentation (not run here): `-p <prompt>`
 *   as an argument, `--model`, `--output-format text` (plain reply; the shape of its `json`
 *   output is not documented well enough to parse), `--sandbox` for read-only (there is no
 *   plan mode; `--dangerously-skip-permissions` is never sent), `--print-timeout` raised to
 *   mm's own timeout (its default is 5 minutes). No token counts; errors read from stderr.
 */
import type { Config } from '../config/schema.ts';
import type { InvokeStatus } from './types.ts';

export interface CliProfile {
  command: string;
  /** "stdin": `prompt_flag ""` and the prompt on stdin (no argv size limit); "argument": `prompt_flag <prompt>`. */
  prompt: 'stdin' | 'argument';
  prompt_flag: string;
  model_flag: string;
  /** Arguments selecting the output format. */
  output_args: string[];
  /** How stdout is read: `json` = `{"response": …, "stats": …}`; `text` = stdout is the reply. */
  output: 'json' | 'text';
  /** Sent unless the request widens the sandbox: the read-only / no-edit mode. */
  read_only_args: string[];
  /**
   * Sent when the request widens the sandbox (a coder in `mm handoff run`'s isolated
   * checkout): the mode that lets the CLI edit files without asking. Absent: nothing is sent.
   */
  write_args?: string[];
  /** Flag taking mm's timeout as a Go-style duration ("600s"), for CLIs with their own shorter limit. */
  timeout_flag?: string;
  /** `gemini-stats`: token counts from `stats.models.*.tokens`; `none`: the CLI reports none. */
  usage: 'gemini-stats' | 'none';
  /** `gemini-exit-codes`: exit code = HTTP status mod 256, JSON error at the end of stderr; `stderr`: wording only. */
  errors: 'gemini-exit-codes' | 'stderr';
}

export const BUILTIN_CLI_PROFILES: Readonly<Record<string, CliProfile>> = {
  gemini: {
    command: 'gemini',
    prompt: 'stdin',
    prompt_flag: '-p',
    model_flag: '-m',
    output_args: ['-o', 'json'],
    output: 'json',
    read_only_args: ['--approval-mode', 'default'],
    write_args: ['--approval-mode', 'auto_edit'],
    usage: 'gemini-stats',
    errors: 'gemini-exit-codes',
  },
  agy: {
    command: 'agy',
    prompt: 'argument',
    prompt_flag: '-p',
    model_flag: '--model',
    output_args: ['--output-format', 'text'],
    output: 'text',
    read_only_args: ['--sandbox'],
    timeout_flag: '--print-timeout',
    usage: 'none',
    errors: 'stderr',
  },
};

/** Exit codes of gemini-cli: HTTP status mod 256, plus its own. */
export const GEMINI_EXIT_CODES: Record<number, InvokeStatus> = {
  41: 'auth', // no usable credentials
  55: 'failed', // untrusted folder
  144: 'failed', // HTTP 400
  145: 'auth', // HTTP 401
  147: 'auth', // HTTP 403
  173: 'rate_limited', // HTTP 429
  244: 'failed', // HTTP 500
  247: 'unavailable', // HTTP 503
};

/** The argv for one call. `readOnly` false only when the request asked for a wider sandbox. */
export function profileArgs(
  profile: CliProfile,
  opts: { wireModel: string; prompt: string; readOnly: boolean; timeoutMs: number },
): string[] {
  return [
    profile.prompt_flag,
    profile.prompt === 'stdin' ? '' : opts.prompt,
    // Always the model: without it Gemini CLI's "auto" model first makes a classifier call.
    profile.model_flag,
    opts.wireModel,
    ...profile.output_args,
    ...(opts.readOnly ? profile.read_only_args : (profile.write_args ?? [])),
    ...(profile.timeout_flag ? [profile.timeout_flag, `${Math.ceil(opts.timeoutMs / 1000)}s`] : []),
  ];
}

/** The configured profile with `[models.gemini] command` applied (validated by the config schema). */
export function geminiCliOf(config: Config): CliProfile & { name: string } {
  const g = config.models.gemini;
  const profile = g.profiles[g.profile] ?? BUILTIN_CLI_PROFILES[g.profile] ?? BUILTIN_CLI_PROFILES.gemini!;
  return { ...profile, command: g.command ?? profile.command, name: g.profile };
}
