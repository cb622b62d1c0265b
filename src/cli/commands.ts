/**
 * The command table: every `mm` command, its flags and its handler (loaded lazily so a
 * command only pays for the modules it uses). `--help`, the parser and the pack's lint
 * (every `mm <command> --flag` in Markdown must exist here) all read this one table.
 */
import { CATEGORIES } from '../policy/categories.ts';
import { ASSET_COMMANDS } from './tables/assets.ts';
import { CHECKPOINT_COMMANDS } from './tables/checkpoints.ts';
import { EXECUTION_COMMANDS } from './tables/execution.ts';
import { JOB_COMMANDS } from './tables/jobs.ts';
import { PACK_COMMANDS } from './tables/pack.ts';
import { PROVIDER_COMMANDS } from './tables/providers.ts';
import type { CommandSpec, FlagSpec } from './spec.ts';

const json = (what: string): FlagSpec => ({ name: 'json', type: 'boolean', description: `print ${what} as JSON` });

const CORE_COMMANDS: CommandSpec[] = [
  {
    name: 'check',
    summary: 'Analyse the current git change and say which checkpoints and models it calls for',
    description:
      'Counts changed files, finds security-sensitive paths and lines, estimates the tokens of the change and reads the recorded debug cycles, ' +
      'then compares them with [thresholds] and names each suggested checkpoint with its mode (ask/auto/off) and reason. ' +
      'Works with no config file: external reviews are then off and it says how to turn them on.',
    flags: [
      {
        name: 'base',
        type: 'string',
        value: 'REF',
        description: 'compare against the merge base with REF (e.g. main) instead of HEAD',
      },
      { name: 'staged', type: 'boolean', description: 'only the staged change (index vs HEAD)' },
      {
        name: 'debug-cycles',
        type: 'integer',
        value: 'N',
        description: 'failed debug cycles so far (default: the count recorded by `mm debug fail`)',
      },
      {
        name: 'calibrate',
        type: 'boolean',
        description:
          "score the repository's last commits ([thresholds] security_calibration_commits) and cache its usual security level: flagging then starts above it",
      },
      json('the analysis and suggestions'),
    ],
    examples: ['mm check', 'mm check --base main --json', 'mm check --staged', 'mm check --calibrate'],
    load: async () => (await import('./handlers/check.ts')).runCheck,
  },
  {
    name: 'route',
    summary: 'Name the model, effort and checkpoint for a task (the routing decision tree)',
    flags: [
      {
        name: 'task',
        type: 'string',
        value: 'TEXT',
        description: 'what the task is; the category is inferred from it when --category is absent',
      },
      {
        name: 'category',
        type: 'string',
        value: 'NAME',
        description: `task category: ${CATEGORIES.join(', ')}; the config's task names (debugging, code_review, simple_search, architecture_decisions, …) are accepted too`,
      },
      { name: 'files-changed', type: 'integer', value: 'N', description: 'files the change touches' },
      { name: 'security', type: 'boolean', description: 'the change is security-sensitive' },
      { name: 'context-tokens', type: 'integer', value: 'N', description: 'tokens of context the task needs' },
      { name: 'debug-cycles', type: 'integer', value: 'N', description: 'failed debug cycles so far' },
      { name: 'privacy', type: 'boolean', description: 'privacy-sensitive: nothing may leave the machine' },
      {
        name: 'resolution',
        type: 'string',
        value: 'RES',
        choices: ['1K', '2K', '4K'],
        description: 'image resolution',
      },
      { name: 'complex', type: 'boolean', description: 'complex or animated (SVG), or a complex task' },
      {
        name: 'architecture',
        type: 'boolean',
        description: 'the change alters architecture (review → Gemini codebase analysis)',
      },
      { name: 'web', type: 'boolean', description: 'the task needs current information from the web' },
      {
        name: 'blocked',
        type: 'boolean',
        description: 'the task is blocked, not just hard (escalation also needs --artifacts)',
      },
      {
        name: 'with',
        type: 'string',
        value: 'PROVIDER',
        description:
          'the user asked for this provider or model (codex, gemini, local, claude, a model id): honoured without a config check',
      },
      {
        name: 'artifacts',
        type: 'string',
        value: 'FILE',
        multiple: true,
        description: 'failing test output or stack trace that justifies escalated effort (repeatable)',
      },
      json('the decision'),
    ],
    examples: [
      'mm route --task "review the auth middleware" --files-changed 14 --security',
      'mm route --category debug --debug-cycles 2 --artifacts test-output.txt --json',
      'mm route --category image --resolution 4K',
    ],
    load: async () => (await import('./handlers/route.ts')).runRoute,
  },
  {
    name: 'models',
    summary: 'List the model registry: enabled by config, reachable right now, retired ids and the last live check',
    flags: [
      json('the registry with status'),
      { name: 'offline', type: 'boolean', description: 'skip probing CLIs and endpoints' },
    ],
    load: async () => (await import('./handlers/models.ts')).runModels,
  },
  {
    name: 'models refresh',
    summary: 'Ask each enabled provider for its live model list and flag ids it no longer knows',
    description:
      'Asks only enabled integrations with credentials: Gemini API models.list (GEMINI_API_KEY), OpenAI /v1/models (OPENAI_API_KEY), ' +
      'Anthropic /v1/models (ANTHROPIC_API_KEY), Ollama /api/tags or an OpenAI-compatible /v1/models (the local endpoint and [[registry.models]] endpoints). ' +
      'The Codex CLI catalog (codex debug models) is read too: a slug missing there runs on fallback metadata. The Gemini CLI has no model-list command: without an API key Gemini is reported as not asked. ' +
      'Each built-in or configured id missing from its list is reported with the likely replacement. The answer is saved with its date in .claude/mm/models-live.json, ' +
      'so `mm doctor` and `mm models` warn without a network call (mm check, mm route and the Stop hook never read it). ' +
      'Exit codes: 0 every id listed · 1 an id is not listed · 10 unreachable · 11 timeout · 15 credentials refused · 2 bad input.',
    flags: [
      json('what was asked, each model found or not, and the suggested replacements'),
      {
        name: 'timeout',
        type: 'integer',
        value: 'SEC',
        description: 'seconds to wait for each provider (default: 15)',
      },
    ],
    examples: ['mm models refresh', 'mm models refresh --json'],
    load: async () => (await import('./handlers/models-refresh.ts')).runModelsRefresh,
  },
  {
    name: 'doctor',
    summary: 'Readiness report: what each enabled integration needs and how to fix what is missing',
    flags: [json('the report')],
    load: async () => (await import('./handlers/models.ts')).runDoctor,
  },
  {
    name: 'config init',
    summary: 'Write the commented config template to .claude/config/multi-model.toml',
    flags: [
      { name: 'force', type: 'boolean', description: 'overwrite an existing file' },
      { name: 'path', type: 'string', value: 'FILE', description: 'write here instead' },
    ],
    load: async () => (await import('./handlers/config.ts')).runConfigInit,
  },
  {
    name: 'config show',
    summary: 'Print the effective config with defaults applied and where each value came from',
    flags: [json('the effective config and sources')],
    load: async () => (await import('./handlers/config.ts')).runConfigShow,
  },
  {
    name: 'config check',
    summary: 'Validate the config file (exit 0 valid, 2 invalid)',
    flags: [json('the result')],
    load: async () => (await import('./handlers/config.ts')).runConfigCheck,
  },
  {
    name: 'debug fail',
    summary: 'Record a failed debug cycle for the current run (feeds the escalation threshold)',
    flags: [{ name: 'note', type: 'string', value: 'TEXT', description: 'what was tried' }, json('the new state')],
    load: async () => (await import('./handlers/debug.ts')).runDebugFail,
  },
  {
    name: 'debug reset',
    summary: 'Reset the failed debug cycle count (the bug is fixed, or a new one starts)',
    flags: [json('the new state')],
    load: async () => (await import('./handlers/debug.ts')).runDebugReset,
  },
  {
    name: 'debug status',
    summary: 'Show the failed debug cycles recorded for the current run',
    flags: [json('the state')],
    load: async () => (await import('./handlers/debug.ts')).runDebugStatus,
  },
];

/**
 * Every command. Each area keeps its commands in src/cli/tables/<area>.ts and adds
 * its array here.
 */
export const COMMAND_GROUPS: ReadonlyArray<{ title: string; commands: CommandSpec[] }> = [
  { title: 'The main job, routing and config', commands: CORE_COMMANDS },
  { title: 'Calling models', commands: PROVIDER_COMMANDS },
  { title: 'Checkpoints', commands: CHECKPOINT_COMMANDS },
  { title: 'Multi-model execution', commands: EXECUTION_COMMANDS },
  { title: 'Background jobs', commands: JOB_COMMANDS },
  { title: 'Creative assets', commands: ASSET_COMMANDS },
  { title: 'The Claude Code pack', commands: PACK_COMMANDS },
];

export const COMMANDS: CommandSpec[] = COMMAND_GROUPS.flatMap((g) => g.commands);

/**
 * The longest command name formed by the leading words of argv, e.g.
 * ["config","show","--json"] → "config show". Global flags may come first.
 */
export function findCommand(argv: string[]): { spec: CommandSpec; rest: string[] } | undefined {
  const wordIndexes: number[] = [];
  for (let i = 0; i < argv.length && wordIndexes.length < 3; i++) {
    const arg = argv[i]!;
    if (arg === '--config') i++; // its value is not a command word
    else if (!arg.startsWith('-')) {
      const candidate = [...wordIndexes.map((w) => argv[w]), arg].join(' ');
      if (!COMMANDS.some((c) => c.name === candidate || c.name.startsWith(`${candidate} `))) break;
      wordIndexes.push(i);
    }
  }
  for (let n = wordIndexes.length; n > 0; n--) {
    const name = wordIndexes
      .slice(0, n)
      .map((i) => argv[i])
      .join(' ');
    const spec = COMMANDS.find((c) => c.name === name);
    if (spec) return { spec, rest: argv.filter((_, i) => !wordIndexes.slice(0, n).includes(i)) };
  }
  return undefined;
}

/** Command names that start with `prefix` (for `mm config` alone, or a typo). */
export function commandsUnder(prefix: string): CommandSpec[] {
  return COMMANDS.filter((c) => c.name === prefix || c.name.startsWith(`${prefix} `));
}
