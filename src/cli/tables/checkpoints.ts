/** Commands of the checkpoints area: reviews, debug escalation, consensus, repo map, hooks. */
import type { CommandSpec, FlagSpec } from '../spec.ts';
import { background } from './background.ts';

const json = (what: string): FlagSpec => ({ name: 'json', type: 'boolean', description: `print ${what} as JSON` });
const yes: FlagSpec = {
  name: 'yes',
  type: 'boolean',
  short: 'y',
  description: 'the user confirmed: run even in "ask" mode (without it, "ask" exits 3)',
};

export const CHECKPOINT_COMMANDS: CommandSpec[] = [
  {
    name: 'review plan',
    summary: 'Independent plan review (Codex, read-only): PASS | CONCERN | BLOCK with findings',
    description:
      'Reads checkpoints.plan_review: "off" never runs, "ask" prints the suggestion and exits 3 unless --yes, "auto" runs for plans with more than ' +
      'thresholds.plan_review_min_tasks tasks. --with always runs. The findings are for Claude to weigh; nothing is applied.' +
      ' No fallback: if the named reviewer cannot answer, the command says so (exit 10–17, or 1 for a failed call) instead of asking another model. (Gemini only: a 429 on Pro is retried on Flash when models.gemini.flash_fallback_on_rate_limit is on, and the review names the model that answered.)',
    positionals: [{ name: 'file', description: 'the plan or PRD (Markdown)', required: true }],
    flags: [
      yes,
      {
        name: 'with',
        type: 'string',
        value: 'PROVIDER',
        choices: ['codex', 'gemini'],
        description: 'the user asked for this reviewer: runs whatever the checkpoint mode',
      },
      {
        name: 'focus',
        type: 'string',
        value: 'TEXT',
        description: 'what the reviewer should look at first (e.g. "the retry logic and its timeouts")',
      },
      {
        name: 'adversarial',
        type: 'boolean',
        description: 'challenge the change: hidden assumptions, failure modes, simpler alternatives',
      },
      background,
      json('the verdict and findings'),
    ],
    examples: [
      'mm review plan docs/plan.md',
      'mm review plan docs/plan.md --yes --json',
      'mm review plan docs/plan.md --focus "data migration" --adversarial --yes',
    ],
    load: async () => (await import('../handlers/review-plan.ts')).runReviewPlan,
  },
  {
    name: 'review diff',
    summary: 'Cross-review the current change (Gemini Flash/Pro, or Codex on request): LGTM | ISSUES',
    description:
      'Sends the changed hunks with a few lines of context (never whole files; context lines over 100 characters are cut), split by file above models.gemini.chunking_threshold. ' +
      'Gemini Flash for ≤ thresholds.flash_review_max_files files with no security pattern, Gemini Pro otherwise. Reads checkpoints.pr_cross_review ' +
      '(ask → exit 3 unless --yes). A review that could not run exits 10–17 (1 for a failed call) and is never a pass. ' +
      "No fallback to another reviewer; only Gemini's Pro→Flash retry on a 429 (models.gemini.flash_fallback_on_rate_limit), and the review then names the model that answered.",
    flags: [
      {
        name: 'base',
        type: 'string',
        value: 'REF',
        description: 'review the change since the merge base with REF (e.g. main)',
      },
      { name: 'staged', type: 'boolean', description: 'review only the staged change' },
      {
        name: 'with',
        type: 'string',
        value: 'PROVIDER',
        choices: ['gemini', 'codex', 'both'],
        description: 'the user asked for this reviewer (both: side by side, agreements marked)',
      },
      {
        name: 'model',
        type: 'string',
        value: 'ID',
        description:
          'this Codex or Gemini model reviews (a model id from `mm models`; runs whatever the checkpoint mode)',
      },
      {
        name: 'focus',
        type: 'string',
        value: 'TEXT',
        description: 'what the reviewer should look at first (e.g. "the retry logic and its timeouts")',
      },
      {
        name: 'adversarial',
        type: 'boolean',
        description: 'challenge the change: hidden assumptions, failure modes, simpler alternatives',
      },
      { name: 'sarif', type: 'string', value: 'FILE', description: 'also write SARIF 2.1.0 for CI code scanning' },
      { name: 'context', type: 'integer', value: 'N', description: 'context lines around each hunk (default 3)' },
      {
        name: 'dry-run',
        type: 'boolean',
        description:
          "print each chunk's prompt exactly as it would be sent (redacted; withheld secret files named) and call no model",
      },
      yes,
      background,
      json('the reviews'),
    ],
    examples: [
      'mm review diff',
      'mm review diff --base main --with both',
      'mm review diff --base origin/main --sarif mm-review.sarif --yes',
      'mm review diff --dry-run',
      'mm review diff --model gpt-5.2 --focus "the retry logic" --adversarial --yes',
    ],
    load: async () => (await import('../handlers/review-diff.ts')).runReviewDiff,
  },
  {
    name: 'review schema',
    summary: 'Print the JSON Schema of a structured reply (the one prompts embed and replies are validated against)',
    positionals: [{ name: 'kind', description: 'plan | diff | debug | consensus', required: true }],
    flags: [],
    examples: ['mm review schema diff'],
    load: async () => (await import('../handlers/review-schema.ts')).runReviewSchema,
  },
  {
    name: 'escalate debug',
    summary: 'Debug escalation (always asks): options at the threshold, then an independent root-cause analysis',
    description:
      'Below thresholds.suggest_codex_debug_after_cycles failed cycles it says to continue with Claude. At or above, it lists the options ' +
      '(continue with Claude, Codex at xhigh, Gemini codebase analysis) and exits 3; with --option and --yes it sends the error, what was tried and ' +
      '"re-check against repo reality". Codex and Gemini read your repository read-only. ' +
      'When the failure looks environment-specific (a missing tool or native module, a version mismatch, "works on CI" in the notes, or --environment) ' +
      'a fourth option, sandbox, lets Codex write and run (workspace-write) in an isolated copy of your working state without secret files, removed afterwards; ' +
      'its edits come back as a patch saved in the run store. It never applies a fix. ' +
      'Only the chosen option is asked: no fallback to another model.',
    flags: [
      { name: 'error', type: 'file', value: 'FILE', description: 'stack trace or failing test output (required)' },
      { name: 'tried', type: 'file', value: 'FILE', description: 'approaches already tried' },
      {
        name: 'file',
        type: 'string',
        value: 'PATH',
        multiple: true,
        aliases: ['files'],
        description: 'a file of interest (repeatable)',
      },
      {
        name: 'debug-cycles',
        aliases: ['cycles'],
        type: 'integer',
        value: 'N',
        description: 'failed debug cycles (default: the count recorded by `mm debug fail`)',
      },
      {
        name: 'option',
        type: 'string',
        value: 'NAME',
        choices: ['claude', 'codex', 'gemini', 'sandbox'],
        description: 'the option the user chose (sandbox: only for an environment-specific failure)',
      },
      {
        name: 'link',
        type: 'string',
        value: 'PATH',
        multiple: true,
        description: 'sandbox: an untracked path symlinked into the isolated copy, e.g. node_modules (repeatable)',
      },
      {
        name: 'environment',
        type: 'boolean',
        description: 'the failure is environment-specific (offers the sandbox even when the error shows no sign of it)',
      },
      yes,
      background,
      json('the options or the analysis'),
    ],
    examples: [
      'mm escalate debug --error test-output.txt --tried tried.md',
      'mm escalate debug --error trace.txt --option codex --yes',
      'mm escalate debug --error ci-only-failure.txt --environment --option sandbox --link node_modules --yes',
    ],
    load: async () => (await import('../handlers/escalate-debug.ts')).runEscalateDebug,
  },
  {
    name: 'consensus',
    summary: 'Ask two or three models the same question in parallel; list where they agree and disagree',
    description:
      'Each named model answers in the same structured form; a model that cannot answer is reported, never replaced by another (fewer than two answers: exit 10–17). ' +
      "--stance gives a model a side to argue (as PAL's consensus does); the stance is in its prompt, in the results and in the printed answers.",
    flags: [
      {
        name: 'models',
        type: 'string',
        value: 'A,B[,C]',
        description: 'providers or model ids, comma-separated (2 or 3)',
      },
      { name: 'prompt-file', type: 'file', value: 'FILE', description: 'the question' },
      {
        name: 'stance',
        type: 'string',
        value: 'M=S,…',
        description:
          'the side each model argues: for | against | neutral, e.g. codex=for,gemini=against (a model left out answers independently)',
      },
      background,
      json('the answers and the comparison'),
    ],
    examples: [
      'mm consensus --models codex,gemini --prompt-file question.md',
      'mm consensus --models codex,gemini --stance codex=for,gemini=against --prompt-file proposal.md',
    ],
    load: async () => (await import('../handlers/consensus.ts')).runConsensus,
  },
  {
    name: 'map',
    summary:
      'Build ai/repo.map.json and ai/symbols-<lang>.json (incremental): the index models get instead of the repo',
    flags: [
      { name: 'force', type: 'boolean', description: 're-read every file (ignore the size/mtime cache)' },
      json('the build statistics'),
    ],
    examples: ['mm map', 'mm map --json'],
    load: async () => (await import('../handlers/map.ts')).runMap,
  },
  {
    name: 'hook stop',
    summary:
      'Claude Code Stop hook: when a checkpoint is "auto" and triggered, review and block the stop with findings',
    description:
      'Reads the Stop hook JSON on stdin. Honours stop_hook_active and a review-round cap (never loops). Fails open with a visible notice ' +
      'when the reviewer cannot run. Opt-in: see .claude/hooks/README.md.',
    flags: [
      {
        name: 'max-rounds',
        type: 'integer',
        value: 'N',
        description: 'review rounds per session before the hook stops blocking (default 2)',
      },
    ],
    load: async () => (await import('../handlers/hook-stop.ts')).runHookStop,
  },
];
