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
