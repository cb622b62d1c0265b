/**
 * Multi-model execution commands: the referee, architect→coder handoffs, fan-out,
 * the MAO workflows (develop, qa, journal) and the run store.
 */
import type { CommandSpec, FlagSpec } from '../spec.ts';
import { FANOUT_MODES } from '../../workflows/fanout/types.ts';
import { background } from './background.ts';

const json = (what: string): FlagSpec => ({ name: 'json', type: 'boolean', description: `print ${what} as JSON` });
const yes: FlagSpec = {
  name: 'yes',
  type: 'boolean',
  short: 'y',
  description: 'confirm the paid model calls (more than one needs it; exit 3 without)',
};
/** `--link`: the user's untracked dependencies (node_modules…) symlinked where the tests run, never in a patch. */
const link = (where: string): FlagSpec => ({
  name: 'link',
  type: 'string',
  value: 'PATH',
  multiple: true,
  description: `untracked path of your tree symlinked into ${where}, e.g. node_modules (repeatable)`,
});
/** What to build, as text or from a file (develop, pipeline). */
const taskInput: FlagSpec[] = [
  { name: 'task', type: 'string', value: 'TEXT', description: 'what to build (or --task-file)' },
  { name: 'task-file', type: 'file', value: 'FILE', description: 'what to build, from a file' },
];
/** What `develop plan` and `develop run` build from: a task, or sections of a plan document. */
const developInput: FlagSpec[] = [
  ...taskInput,
  {
    name: 'plan',
    type: 'file',
    value: 'FILE',
    description: 'a plan document with numbered sections ("## 2. Storage"); the task is the sections chosen',
  },
  {
    name: 'sections',
    type: 'string',
    value: 'N,M',
    multiple: true,
    description: 'the plan sections to develop, e.g. 2,3 or 2-4 (/develop 2, 3); several run section by section',
  },
];
const handoffId = { name: 'id', description: 'handoff id (e.g. CS-001); default: the newest' };

export const EXECUTION_COMMANDS: CommandSpec[] = [
  {
    name: 'referee',
    summary: 'Judge two implementations by running the same tests on each (tests decide, not models)',
    description:
      'Checks out each candidate (a git ref, a patch file, or a folder of files to overlay) in its own temporary git clone (its own .git, so a test cannot reach your refs, hooks or config), runs your test command there with a timeout, ' +
      'and decides: the one that passes wins; both pass → the smaller diff against the base wins; both fail → "escalate" with both failure summaries. ' +
      'No test command → refuses (the "prove it" rule); --tests adds the same new tests to both first. Your checkout is never touched; clones are removed afterwards and every process the tests started is killed. ' +
      'Verdict JSON and Markdown go to the run store. Exit 0 with a winner, 1 on escalate.',
    flags: [
      { name: 'a', type: 'string', value: 'REF|DIR|PATCH', description: 'candidate A' },
      { name: 'b', type: 'string', value: 'REF|DIR|PATCH', description: 'candidate B' },
      {
        name: 'test',
        type: 'string',
        value: 'COMMAND',
        description: 'your test command, run with sh -c in each candidate (e.g. "npm test")',
      },
      {
        name: 'tests',
        type: 'string',
        value: 'PATH',
        multiple: true,
        description: 'test file or folder in this repo copied into both candidates first (repeatable)',
      },
      link('each candidate'),
      {
        name: 'base',
        type: 'string',
        value: 'REF',
        description: 'base for patches, folders and diff sizes (default: HEAD)',
      },
      { name: 'timeout', type: 'integer', value: 'SEC', description: 'test timeout per candidate (default: 300)' },
      json('the verdict'),
    ],
    examples: [
      'mm referee --a feature-codex --b feature-gemini --test "npm test"',
      'mm referee --a a.patch --b ./candidate-b --test "pytest -q" --tests tests/test_disputed.py',
    ],
    load: async () => (await import('../handlers/referee.ts')).runRefereeCommand,
  },
  {
    name: 'handoff spec new',
    summary: 'Start an architect→coder handoff: write a Code Spec from the template',
    flags: [
      { name: 'title', type: 'string', value: 'TEXT', description: 'what the change is (required)' },
      { name: 'id', type: 'string', value: 'ID', description: 'handoff id (default: the next CS-NNN)' },
      { name: 'priority', type: 'string', value: 'P', choices: ['P0', 'P1', 'P2'], description: 'priority' },
      {
        name: 'batch',
        type: 'integer',
        value: 'N',
        description: 'batch mode: write N numbered specs (code_spec_01.md …) with the batch header',
      },
      { name: 'force', type: 'boolean', description: 'overwrite existing specs of this handoff' },
      json('the handoff id and files'),
    ],
    load: async () => (await import('../handlers/handoff.ts')).runSpecNew,
  },
  {
    name: 'handoff spec validate',
    summary: 'Check a Code Spec: sections, file entries, test expectations, verification command (exit 1 if invalid)',
    flags: [json('the problems')],
    positionals: [
      { name: 'id', description: 'handoff id (e.g. CS-001) or a spec .md file; default: the newest handoff' },
    ],
    load: async () => (await import('../handlers/handoff.ts')).runSpecValidate,
  },
  {
    name: 'handoff report new',
    summary: "Write the Code Report template for a handoff, pre-filled with the spec's files",
    flags: [{ name: 'force', type: 'boolean', description: 'overwrite an existing report' }, json('the report path')],
    positionals: [handoffId],
    load: async () => (await import('../handlers/handoff.ts')).runReportNew,
  },
  {
    name: 'handoff report validate',
    summary:
      'Check a Code Report against its spec: files accounted for, test results, TODO(architect) blockers (exit 1 if invalid)',
    flags: [json('the problems')],
    positionals: [handoffId],
    load: async () => (await import('../handlers/handoff.ts')).runReportValidate,
  },
  {
    name: 'handoff status',
    summary: 'Where each handoff stands and whose turn it is',
    flags: [json('the handoffs')],
    positionals: [{ name: 'id', description: 'one handoff (default: all)' }],
    load: async () => (await import('../handlers/handoff.ts')).runHandoffStatus,
  },
  {
    name: 'handoff stop',
    summary: 'Print the HARD STOP block that hands over to the coder or the architect model ([roles] in config)',
    description:
      'When both roles are Claude models the block says to switch the model selector; otherwise it is the human gate before mm runs the coder ' +
      '(reply "Model Confirmed", then mm handoff run).',
    flags: [
      {
        name: 'to',
        type: 'string',
        value: 'ROLE',
        choices: ['coder', 'architect'],
        description: 'the role to switch to (required)',
      },
      json('the block and model'),
    ],
    load: async () => (await import('../handlers/handoff.ts')).runHandoffStop,
  },
  {
    name: 'handoff run',
    summary: 'The coder implements the Code Spec in an isolated checkout; the patch and Code Report wait for review',
    description:
      'The coder is [roles] coder, or --coder: Codex (workspace-write sandbox) and the Gemini-family CLI edit the checkout themselves; a local model or Claude (Messages API) ' +
      'answers with whole files or a diff that mm writes there. The checkout is a git worktree under .claude/mm/checkouts/ holding your current state (uncommitted and untracked files included); ' +
      "your tree is never written. mm runs each spec's verification command in the checkout and writes the Code Report from what happened (files from the diff, test output, " +
      'TODO(architect) markers as blockers). Batch mode: the numbered specs in order, in the same checkout, one report. Patch, report and logs go to the run store; ' +
      'the report is also code_report.md of the handoff. Without --yes it prints the HARD STOP block and exits 3. Exit 0 when the verification passed, 1 when it did not ' +
      '(or nothing changed), 10–17 when the coder gave no answer. Nothing is applied: mm handoff apply does that after review.',
    positionals: [
      { name: 'id', description: 'handoff id (e.g. CS-001) or a code_spec .md file; default: the newest handoff' },
    ],
    flags: [
      {
        name: 'coder',
        type: 'string',
        value: 'ID',
        description: 'the coder for this run, a model id from `mm models` (default: [roles] coder)',
      },
      {
        name: 'timeout',
        type: 'integer',
        value: 'SEC',
        description: 'seconds the coder gets per spec (default: 1800)',
      },
      {
        name: 'verify-timeout',
        type: 'integer',
        value: 'SEC',
        description: 'seconds the verification command gets per spec (default: 600)',
      },
      link('the checkout'),
      { name: 'keep-checkout', type: 'boolean', description: 'keep the checkout folder afterwards' },
      { name: 'force', type: 'boolean', description: 'replace an existing code_report.md of the handoff' },
      {
        name: 'yes',
        type: 'boolean',
        short: 'y',
        description: 'the user replied "Model Confirmed" (without it: print the HARD STOP block, exit 3)',
      },
      background,
      json('the result: run, status, specs, files, report problems'),
    ],
    examples: [
      'mm handoff run CS-001',
      'mm handoff run CS-001 --yes --link node_modules --background',
      'mm handoff run CS-002 --coder gpt-5.3-codex --yes --json',
    ],
    load: async () => (await import('../handlers/handoff-run.ts')).runHandoffRun,
  },
  {
    name: 'handoff apply',
    summary:
      "Apply a reviewed handoff run's patch to your working tree (refused, with git's reason, unless it applies cleanly)",
    description:
      'Checks the patch with git apply --check first: on any conflict nothing is changed and the command exits 1 saying why. A run is applied once.',
    positionals: [
      {
        name: 'id',
        description:
          'a handoff run id (mm runs list --kind handoff) or a handoff id (its newest run); default: the newest run',
      },
    ],
    flags: [json('what was applied')],
    examples: ['mm handoff apply CS-001'],
    load: async () => (await import('../handlers/handoff-run.ts')).runHandoffApply,
  },
  {
    name: 'fanout',
    summary: 'Parallel generation: the same spec to N models, spec i to model i, or a complexity-routed swarm',
    description:
      'competitive: one spec (--spec or --prompt) to every --model (best of N). division: --spec i to --model i. ' +
      'Both attach the project files a spec names (within the review size limit; secret paths withheld). ' +
      'swarm: each task of --tasks (JSON: [{"prompt","label","complexity","model","system_prompt","temperature","max_tokens"}]) is classified trivial|simple|medium|complex|expert ' +
      '(or takes its "complexity") and goes to the cheapest enabled model of the tier that needs. Calls run in parallel, capped per provider ([fanout] in config). ' +
      'temperature and max_tokens reach Ollama, OpenAI-compatible and Messages API models; --json lists under "ignored" the models that cannot take them (Codex and Gemini CLIs). ' +
      'Shows a cost estimate first and needs --yes for more than one paid call (exit 3). Results and answers go to the run store; every fallback hop is printed and logged in the ledger. ' +
      '--materialize writes referee candidates from a unified diff or from code blocks that name their file (info string `ts title="src/x.ts"` or `ts src/x.ts`, a first line `// file: src/x.ts`, `# file: x.py`, `<!-- file: x.html -->`, or a `path` line before the block). ' +
      'Exit 0 when at least one call succeeded.',
    flags: [
      {
        name: 'mode',
        type: 'string',
        value: 'MODE',
        choices: FANOUT_MODES,
        description: 'competitive | division | swarm (required)',
      },
      {
        name: 'spec',
        type: 'string',
        value: 'FILE',
        multiple: true,
        description: 'a spec file (competitive: one; division: one per model; repeatable)',
      },
      { name: 'prompt', type: 'string', value: 'TEXT', description: 'the spec as text (competitive)' },
      { name: 'tasks', type: 'string', value: 'FILE', description: 'tasks as JSON (swarm; also division)' },
      {
        name: 'model',
        type: 'string',
        value: 'ID',
        multiple: true,
        description: 'a model id from `mm models` (repeatable)',
      },
      { name: 'timeout', type: 'integer', value: 'SEC', description: 'per-call timeout' },
      { name: 'materialize', type: 'boolean', description: 'write each answer as a patch or folder for `mm referee`' },
      yes,
      background,
      json('{"results":[…],"summary":{…}} (plus "ignored" when a model cannot take temperature/max_tokens)'),
    ],
    examples: [
      'mm fanout --mode competitive --spec .claude/mm/handoffs/CS-001/code_spec.md --model gpt-5.3-codex --model gemini-3.1-pro --materialize --yes',
      'mm fanout --mode swarm --tasks tasks.json --json --yes',
    ],
    load: async () => (await import('../handlers/fanout.ts')).runFanoutCommand,
  },
  {
    name: 'develop plan',
    summary:
      'Assign the MAO workstreams to models, run Phase 0 (dependency check) and show the stages, diversity score and cost estimate',
    description:
      'Phase 0: the cheapest enabled model ([develop] analysis_model, Claude Haiku by default) answers the workstream graph as JSON, validated (one retry, then the deterministic dependency table); [develop] analysis = "off" skips the call. No workstream is called.',
    flags: [
      ...developInput,
      {
        name: 'workstream',
        type: 'string',
        value: 'NAME',
        multiple: true,
        description: 'only these workstreams (repeatable; any [routing] key)',
      },
      json('the plan'),
    ],
    load: async () => (await import('../handlers/mao.ts')).runDevelopPlan,
  },
  {
    name: 'develop run',
    summary:
      'Run the workstreams in dependency order (parallel within a stage), collect them in an isolated clone, verify, report; apply with develop apply',
    description:
      'Phase 0 as in develop plan, printed with the diversity score and cost estimate before any workstream call; [develop] plan_checkpoint = "ask" (default) then needs --yes (exit 3), "auto" proceeds, "off" proceeds without printing the plan. ' +
      'Phase 5: an isolated clone at HEAD plus your uncommitted work (tracked changes and untracked non-ignored files); your tree is only read. ' +
      'Two workstreams writing one file are settled by the referee with [develop] verify as the tests; when tests cannot decide (or for one exported symbol declared twice) the synthesiser ([develop] synthesizer, default the orchestration model) merges them. ' +
      'Then [develop] verify runs and the report and combined patch go to the run store. mm runs resume <run> re-runs failed workstreams in stage order and Phase 5.',
    flags: [
      ...developInput,
      {
        name: 'workstream',
        type: 'string',
        value: 'NAME',
        multiple: true,
        description: 'only these workstreams (repeatable)',
      },
      {
        name: 'context-file',
        type: 'file',
        value: 'FILE',
        description: 'read-only context for every workstream (e.g. a Code Spec)',
      },
      link('the Phase 5 checkout, for [develop] verify and the referee'),
      { name: 'timeout', type: 'integer', value: 'SEC', description: 'per-call timeout' },
      yes,
      background,
      json('the report'),
    ],
    load: async () => (await import('../handlers/mao.ts')).runDevelopRun,
  },
  {
    name: 'develop apply',
    summary: "Apply a develop run's combined patch to your tree (the only step that touches it)",
    description:
      'Applies .claude/mm/runs/<run>/outputs/develop.patch after checking it applies (plain git apply; --3way only when that fails). ' +
      'Refuses a run that is not ready (a workstream without an answer, conflicting files, failed verification) unless --force.',
    positionals: [{ name: 'run-id', description: 'the develop run', required: true }],
    flags: [
      { name: 'force', type: 'boolean', description: 'apply a run whose report says it needs review' },
      json('what was applied'),
    ],
    load: async () => (await import('../handlers/mao.ts')).runDevelopApply,
  },
  {
    name: 'pipeline',
    summary:
      'Analysis → synthesis → implementation in one run: role teams, a validated Code Spec, patches checked in scratch clones',
    description:
      'A. The analysis roles (architect, security, critic) answer in parallel on the task plus the files it names (review size limit; secret paths withheld). ' +
      'B. The synthesiser (Claude, through its API or CLI) merges them into a Code Spec that `mm handoff spec validate` accepts; an invalid spec gets one repair round, then the run stops (exit 14). ' +
      'C. The patch roles (implementer, optimizer) answer in parallel inside a scratch clone; the reviewer then reads their proposals. ' +
      'D. Each patch is applied in its own scratch clone of your current state and the [develop] verify commands run there; one report (Markdown + JSON) goes to the run store, naming the first patch that applied and passed. ' +
      'Roles, their models and fallbacks come from [pipeline.roles.<role>] (primary, fallback). Shows the team and a cost estimate first and needs --yes (exit 3). ' +
      'Every fallback hop is printed and logged in the ledger. Your tree is never touched: apply a patch with `mm pipeline apply <run>`.',
    flags: [
      ...taskInput,
      link("each patch's scratch clone, for [develop] verify"),
      { name: 'timeout', type: 'integer', value: 'SEC', description: 'per-call timeout' },
      yes,
      background,
      json('the report'),
    ],
    examples: [
      'mm pipeline --task "add OAuth login; see src/auth/session.ts" --yes',
      'mm pipeline --task-file task.md --background --yes',
    ],
    load: async () => (await import('../handlers/pipeline.ts')).runPipelineCommand,
  },
  {
    name: 'pipeline apply',
    summary: 'Apply one patch of a pipeline run to your tree (the only step that touches it)',
    description:
      "Applies .claude/mm/runs/<run>/outputs/patches/<role>.patch after checking it applies (plain git apply; --3way only when that fails): the report's recommended patch, or --role's. " +
      'Refuses when the report recommends none and no --role is given.',
    positionals: [{ name: 'run-id', description: 'the pipeline run', required: true }],
    flags: [
      {
        name: 'role',
        type: 'string',
        value: 'ROLE',
        description: 'apply this patch role instead (implementer, optimizer)',
      },
      json('what was applied'),
    ],
    load: async () => (await import('../handlers/pipeline.ts')).runPipelineApply,
  },
  {
    name: 'qa',
    summary:
      'Five-dimension QA (PRD 30, errors 25, types 20, architecture 15, security 10), one model each, one weighted score',
    flags: [
      {
        name: 'base',
        type: 'string',
        value: 'REF',
        description: 'review the change against REF (default: HEAD, i.e. uncommitted work)',
      },
      { name: 'prd', type: 'file', value: 'FILE', description: 'the requirements to check compliance against' },
      { name: 'material', type: 'file', value: 'FILE', description: 'review this file instead of the git diff' },
      { name: 'timeout', type: 'integer', value: 'SEC', description: 'per-call timeout' },
      yes,
      background,
      json('the report'),
    ],
    load: async () => (await import('../handlers/mao.ts')).runQa,
  },
  {
    name: 'journal',
    summary: "A multi-perspective summary of this session's runs, synthesised by Claude",
    flags: [
      { name: 'session', type: 'string', value: 'RUN-ID', description: 'the session (default: the current one)' },
      {
        name: 'since',
        type: 'string',
        value: 'WHEN',
        description: 'instead: runs since an ISO date or a duration like 8h, 2d',
      },
      yes,
      json('the entry'),
    ],
    load: async () => (await import('../handlers/mao.ts')).runJournal,
  },
  {
    name: 'runs list',
    summary: 'List stored runs (referee, fanout, develop, qa, journal, sessions), newest first',
    flags: [
      { name: 'kind', type: 'string', value: 'KIND', description: 'only runs of this kind' },
      { name: 'limit', type: 'integer', value: 'N', description: 'at most N runs (default: 20)' },
      json('the runs'),
    ],
    load: async () => (await import('../handlers/runs.ts')).runRunsList,
  },
  {
    name: 'runs show',
    summary: "Show a run's metadata and files, or print one of its files",
    flags: [
      {
        name: 'file',
        type: 'string',
        value: 'NAME',
        description: 'print this file of the run (e.g. outputs/verdict.md)',
      },
      json('the run'),
    ],
    positionals: [{ name: 'run-id', description: 'the run (default: the newest)' }],
    load: async () => (await import('../handlers/runs.ts')).runRunsShow,
  },
  {
    name: 'runs resume',
    summary: 'Continue a run: re-run the failed calls of a fan-out, or make a session current again',
    description:
      'A fan-out or qa run re-runs its failed calls; a develop run its failed workstreams and the ones built on them, in stage order, then Phase 5. ' +
      'A pipeline run keeps every answer it holds and asks only the roles without one (the synthesis again unless its Code Spec validated, the reviewer again when a proposal was asked again), then integrates again. ' +
      'A session run becomes current again.',
    flags: [yes, json('the result')],
    positionals: [{ name: 'run-id', description: 'the run', required: true }],
    load: async () => (await import('../handlers/runs.ts')).runRunsResume,
  },
];
