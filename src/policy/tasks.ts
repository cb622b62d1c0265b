/**
 * The one task vocabulary, as data. Every task label (`mm ask --task`, `mm route --category`,
 * the labels workflows pass to the providers) resolves to one row here: its route category,
 * its row of `[models.effort_policy]`, its `[routing]` chain, its Codex line and whether it
 * generates code. The config's own names (`debugging`, `code_review`, `simple_search`,
 * `architecture_decisions`, …) are aliases of the canonical names, so both mean the same.
 */
import type { Config, EffortEntry, EffortTask } from '../config/schema.ts';
import { didYouMean } from '../util/did-you-mean.ts';
import { MmError } from '../util/errors.ts';
import { CATEGORIES, type Category } from './categories.ts';

export type CodexLine = 'coding' | 'general' | 'fast';
export type Complexity = 'simple' | 'moderate' | 'complex';

export interface TaskRow {
  /** The route category the task belongs to; none for a free-form question. */
  category?: Category;
  /** Its row of [models.effort_policy]; none: the provider's default effort. */
  effort?: EffortTask;
  /** The [routing] chain whose fallbacks serve it. */
  chain?: string;
  /** Its output is code: a local model must be pinned (and evaluated) before it gets it. */
  codeGenerating: boolean;
  /** Codex model line: default_model (coding), fast_model or general_model. */
  codexLine: CodexLine;
  /** How hard it is (Gemini Pro vs Flash through flash_threshold). */
  complexity: Complexity;
  /** Codex is told to re-check its fix against the repo (design §5.3). */
  recheck?: boolean;
  /** Other names accepted for it: the config's effort-policy and routing keys. */
  aliases?: readonly string[];
}

const row = (r: TaskRow): TaskRow => r;

/** Route categories first (their names are the canonical task names), then MAO workstreams. */
export const TASKS = {
  implementation: row({
    category: 'implementation',
    effort: 'implementation',
    chain: 'implementation',
    codeGenerating: true,
    codexLine: 'coding',
    complexity: 'moderate',
    recheck: true,
    aliases: ['code', 'coding'],
  }),
  debug: row({
    category: 'debug',
    effort: 'debugging',
    chain: 'debug',
    codeGenerating: true,
    codexLine: 'coding',
    complexity: 'complex',
    recheck: true,
    aliases: ['debugging'],
  }),
  /** A stalled debug with artifacts (mm escalate debug): the escalated effort row. */
  'debug-escalated': row({
    category: 'debug',
    effort: 'debugging_escalated',
    chain: 'debug',
    codeGenerating: true,
    codexLine: 'coding',
    complexity: 'complex',
    recheck: true,
    aliases: ['debugging_escalated'],
  }),
  review: row({
    category: 'review',
    effort: 'code_review',
    chain: 'review',
    codeGenerating: false,
    codexLine: 'general',
    complexity: 'moderate',
    aliases: ['code_review', 'pr_cross_review'],
  }),
  'plan-review': row({
    category: 'plan-review',
    effort: 'plan_review',
    chain: 'review',
    codeGenerating: false,
    codexLine: 'general',
    complexity: 'moderate',
    aliases: ['plan_review'],
  }),
  research: row({
    category: 'research',
    effort: 'simple_search',
    chain: 'research',
    codeGenerating: false,
    codexLine: 'general',
    // Web research and large-context analysis are what Gemini Pro is picked for.
    complexity: 'moderate',
    aliases: ['context_analysis'],
  }),
  search: row({
    category: 'search',
    effort: 'simple_search',
    chain: 'research',
    codeGenerating: false,
    codexLine: 'fast',
    complexity: 'simple',
    aliases: ['simple_search'],
  }),
  architecture: row({
    category: 'architecture',
    effort: 'architecture_decisions',
    chain: 'architecture',
    codeGenerating: true,
    codexLine: 'general',
    complexity: 'complex',
    aliases: ['architecture_decisions'],
  }),
  planning: row({
    category: 'planning',
    effort: 'plan_generation',
    codeGenerating: false,
    codexLine: 'general',
    complexity: 'complex',
    aliases: ['plan_generation'],
  }),
  docs: row({
    category: 'docs',
    effort: 'documentation',
    codeGenerating: false,
    codexLine: 'fast',
    complexity: 'simple',
    aliases: ['documentation'],
  }),
  formatting: row({
    category: 'formatting',
    effort: 'formatting',
    codeGenerating: true,
    codexLine: 'fast',
    complexity: 'simple',
  }),
  privacy: row({
    category: 'privacy',
    effort: 'implementation',
    codeGenerating: false,
    codexLine: 'general',
    complexity: 'moderate',
  }),
  image: row({
    category: 'image',
    effort: 'implementation',
    chain: 'image',
    codeGenerating: false,
    codexLine: 'general',
    complexity: 'moderate',
  }),
  svg: row({
    category: 'svg',
    effort: 'implementation',
    codeGenerating: true,
    codexLine: 'general',
    complexity: 'moderate',
  }),
  video: row({
    category: 'video',
    effort: 'implementation',
    codeGenerating: false,
    codexLine: 'general',
    complexity: 'complex',
  }),
  // MAO workstreams (design: mao-v2 "Task Routing Rules"); each has a [routing] chain of its own name.
  schemas: row({
    category: 'implementation',
    effort: 'implementation',
    chain: 'schemas',
    codeGenerating: true,
    codexLine: 'general',
    complexity: 'moderate',
  }),
  storage: row({
    category: 'implementation',
    effort: 'implementation',
    chain: 'storage',
    codeGenerating: true,
    codexLine: 'coding',
    complexity: 'moderate',
  }),
  core_logic: row({
    category: 'implementation',
    effort: 'implementation',
    chain: 'core_logic',
    codeGenerating: true,
    codexLine: 'general',
    complexity: 'complex',
  }),
  tests: row({
    category: 'implementation',
    effort: 'implementation',
    chain: 'tests',
    codeGenerating: true,
    codexLine: 'coding',
    complexity: 'moderate',
  }),
  error_handling: row({
    category: 'implementation',
    effort: 'implementation',
    chain: 'error_handling',
    codeGenerating: true,
    codexLine: 'coding',
    complexity: 'moderate',
  }),
  type_safety: row({
    category: 'implementation',
    effort: 'implementation',
    chain: 'type_safety',
    codeGenerating: true,
    codexLine: 'coding',
    complexity: 'moderate',
  }),
  prd_compliance: row({
    category: 'review',
    effort: 'code_review',
    chain: 'prd_compliance',
    codeGenerating: false,
    codexLine: 'general',
    complexity: 'moderate',
  }),
  security: row({
    category: 'review',
    effort: 'code_review',
    chain: 'security',
    codeGenerating: false,
    codexLine: 'general',
    complexity: 'moderate',
  }),
  dependency_check: row({
    category: 'search',
    effort: 'simple_search',
    chain: 'dependency_check',
    codeGenerating: false,
    codexLine: 'fast',
    complexity: 'simple',
  }),
  /** `mm ask` without --task: a free-form question, the providers' default effort. */
  ask: row({ codeGenerating: false, codexLine: 'general', complexity: 'moderate' }),
} satisfies Record<string, TaskRow>;
type TaskName = keyof typeof TASKS;

const BY_NAME = new Map<string, { name: TaskName; row: TaskRow }>();
for (const [name, r] of Object.entries(TASKS) as [TaskName, TaskRow][]) {
  BY_NAME.set(name, { name, row: r });
  for (const alias of r.aliases ?? []) BY_NAME.set(alias, { name, row: r });
}

/** Every name a task may be given by (canonical names and aliases). */
function taskNames(): string[] {
  return [...BY_NAME.keys()];
}

/**
 * The row behind a label a workflow or a user passed to a provider. A label the table does
 * not know (a user's own [models.effort_policy] row or [routing] chain, or an internal
 * ledger label such as `consensus`) behaves as a free-form question, except that a config
 * row or chain of its exact name is used.
 */
export function taskRowFor(label: string, config?: Config): TaskRow {
  const known = BY_NAME.get(label);
  if (known) return known.row;
  const policy = config?.models.effort_policy as Record<string, unknown> | undefined;
  return {
    ...TASKS.ask,
    ...(policy && typeof policy[label] === 'object' ? { effort: label as EffortTask } : {}),
    ...(config && label in config.routing ? { chain: label } : {}),
  };
}

/**
 * Validates a task name a user typed (`mm ask --task`): a name of the table, an alias, or a
 * row or chain the user's config defines. Anything else is a usage error with a suggestion.
 */
export function parseTask(label: string, config: Config, flag = '--task'): string {
  if (isKnownTask(label, config)) return label;
  throw unknownName(flag, label, 'task', knownTaskNames(config));
}

/** The task rows and chains a config defines beyond the table: its own effort-policy rows and routing chains. */
function ownTaskNames(config: Config): string[] {
  return [...Object.keys(config.models.effort_policy), ...Object.keys(config.routing)].filter(
    (k) => k !== 'escalation_requires_artifacts',
  );
}

/** A name of the table, an alias, or a row or chain the config defines (what `--task` and `always_local` accept). */
export function isKnownTask(label: string, config: Config): boolean {
  return BY_NAME.has(label) || ownTaskNames(config).includes(label);
}

export function knownTaskNames(config: Config): string[] {
  return [...new Set([...taskNames(), ...ownTaskNames(config)])];
}

/** Validates `--category`: a category, or a task name or alias that belongs to one (`debugging` → debug). */
export function parseCategory(label: string, flag = '--category'): Category {
  if ((CATEGORIES as readonly string[]).includes(label)) return label as Category;
  const category = BY_NAME.get(label)?.row.category;
  if (category) return category;
  throw unknownName(flag, label, 'category', [
    ...CATEGORIES,
    ...taskNames().filter((n) => BY_NAME.get(n)!.row.category),
  ]);
}

function unknownName(flag: string, label: string, noun: string, names: string[]): MmError {
  const suggestion = didYouMean(label, names);
  return new MmError(
    'usage',
    `${flag} "${label}" is not a known ${noun}${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`,
    {
      hint: `known: ${[...new Set(names)].join(', ')}`,
    },
  );
}

/** The [models.effort_policy] row a label reads (a user's own row of that exact name wins). */
export function effortRowFor(label: string, config: Config): EffortEntry | undefined {
  const policy = config.models.effort_policy as unknown as Record<string, EffortEntry | boolean>;
  const own = policy[label];
  if (typeof own === 'object') return own;
  const effort = taskRowFor(label, config).effort;
  const r = effort ? policy[effort] : undefined;
  return typeof r === 'object' ? r : undefined;
}

/** The [models.codex] model of a Codex line. */
export function codexModelOfLine(config: Config, line: CodexLine): string {
  const c = config.models.codex;
  return line === 'coding' ? c.default_model : line === 'fast' ? c.fast_model : c.general_model;
}

/** Two labels name the same task (`debugging` and `debug`; a label the table does not know only matches itself). */
export function sameTask(a: string, b: string): boolean {
  return (BY_NAME.get(a)?.name ?? a) === (BY_NAME.get(b)?.name ?? b);
}
