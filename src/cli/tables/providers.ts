/** Commands of the providers area: `mm ask` (call a model) and `mm usage` (the ledger). */
// From config/enums.ts, not config/schema.ts: the schema would load zod for every command.
import { SANDBOX_MODES } from '../../config/enums.ts';
import type { CommandSpec } from '../spec.ts';
import { background } from './background.ts';

export const PROVIDER_COMMANDS: CommandSpec[] = [
  {
    name: 'ask',
    summary: 'Send a prompt to Codex, Gemini, a local model or Claude and print the reply',
    description:
      'The prompt comes from stdin or --prompt-file. The secrets guard withholds secret files and redacts secret-looking strings first; ' +
      'budgets are checked before anything is sent; a failed call falls back along the [routing] chain for --task, then to Claude when it is reachable (an API key, or the logged-in `claude` CLI). ' +
      'Exit codes: 0 ok · 10 unavailable · 11 timeout · 12 rate_limited · 13 truncated · 14 invalid_output · 15 auth · 16 budget · 17 model_not_found (the id is retired: `mm models refresh`) · 1 failed · 2 bad input. ' +
      'Anything but 0 means the model gave no answer: never read it as a verdict.',
    positionals: [
      { name: 'target', required: true, description: 'codex, gemini, local, claude, or a model id from `mm models`' },
    ],
    flags: [
      {
        name: 'model',
        type: 'string',
        value: 'M',
        description: 'model id or alias (default: chosen from config by --task)',
      },
      {
        name: 'effort',
        type: 'string',
        value: 'E',
        description:
          'codex: none|low|medium|high|xhigh; claude: adaptive|extended; gemini: pro|flash (default: [models.effort_policy])',
      },
      {
        name: 'sandbox',
        type: 'string',
        value: 'S',
        choices: SANDBOX_MODES,
        description: 'Codex sandbox (default: models.codex.sandbox_default)',
      },
      {
        name: 'timeout',
        type: 'integer',
        value: 'SEC',
        description: "seconds before the call is killed (default: the provider's timeout_seconds)",
      },
      {
        name: 'schema',
        type: 'string',
        value: 'FILE',
        description: 'JSON Schema the reply must match; the parsed reply is printed',
      },
      {
        name: 'prompt-file',
        type: 'file',
        value: 'F',
        description: 'read the prompt from this file instead of stdin',
      },
      {
        name: 'file',
        type: 'string',
        value: 'PATH',
        multiple: true,
        description: 'attach a file after the prompt (secret paths are withheld; repeatable)',
      },
      {
        name: 'task',
        type: 'string',
        value: 'NAME',
        description:
          'task for model choice, effort, fallbacks and the ledger: a route category (review, debug, search, architecture, …), a MAO workstream, or a task name of your config (code_review, debugging, …); default: ask',
      },
      {
        name: 'resume',
        type: 'string',
        value: 'THREAD',
        description: 'continue a Codex thread (the threadId of an earlier --json result)',
      },
      { name: 'no-fallback', type: 'boolean', description: 'report the first failure instead of trying fallbacks' },
      background,
      {
        name: 'privacy',
        type: 'boolean',
        description:
          'privacy-sensitive: only the local model may see it, never a fallback (unavailable when it is down)',
      },
      {
        name: 'json',
        type: 'boolean',
        description: 'print the whole result (status, text, json, usage, cost, attempts, withheld) as JSON',
      },
    ],
    examples: [
      'git diff | mm ask codex --task code_review',
      'mm ask gemini --prompt-file plan.md --schema verdict.schema.json --json',
      'echo "explain this" | mm ask local',
    ],
    readsStdin: true,
    load: async () => (await import('../handlers/ask.ts')).runAsk,
  },
  {
    name: 'usage',
    summary: 'Report model calls from the usage ledger: calls, tokens, cost, failure rate',
    flags: [
      {
        name: 'since',
        type: 'string',
        value: 'AGE',
        description: 'only calls newer than this: 7d, 12h, 30m, or a date (default: all)',
      },
      {
        name: 'by',
        type: 'string',
        value: 'KEY',
        choices: ['model', 'task', 'provider'],
        description: 'group rows by this (default: model)',
      },
      { name: 'json', type: 'boolean', description: 'print the report as JSON' },
    ],
    examples: ['mm usage --since 7d', 'mm usage --by task --json'],
    load: async () => (await import('../handlers/usage.ts')).runUsage,
  },
  {
    name: 'effort report',
    summary:
      'How often each effort level was retried, escalated or overruled by the referee, per task; suggests [effort_policy] changes',
    description:
      'Reads the usage ledger (each Codex and Claude call records its effort) and the referee verdicts in the run store. ' +
      'A configured level that needed help in 30% or more of at least 5 calls gets a suggested one-step raise, printed as TOML to add ' +
      'to .claude/config/multi-model.toml. Nothing is ever changed by this command.',
    flags: [
      {
        name: 'since',
        type: 'string',
        value: 'AGE',
        description: 'only calls newer than this: 7d, 12h, 30m, or a date (default: all)',
      },
      { name: 'json', type: 'boolean', description: 'print rows and suggestions as JSON' },
    ],
    examples: ['mm effort report --since 30d'],
    load: async () => (await import('../handlers/effort.ts')).runEffortReport,
  },
  {
    name: 'mcp',
    summary: 'Serve mm as an MCP server over stdio (route, check, ask, review_diff, review_plan, consensus, jobs)',
    description:
      'For MCP clients (Claude Code, Cursor, Codex CLI, Gemini CLI): each tool runs the matching mm command, with the same ' +
      'secrets guard, checkpoints, budgets, ledger and run store. A tool error starting "exit 3" needs the user to confirm: call again with yes: true. ' +
      'ask, review_diff, review_plan and consensus take background: true and return a job id; the jobs tool (list, status, result, wait, cancel) follows it up. ' +
      '`mm doctor` prints the client config snippets.',
    flags: [],
    examples: ['claude mcp add mm -- mm mcp'],
    load: async () => (await import('../handlers/mcp.ts')).runMcp,
  },
];
