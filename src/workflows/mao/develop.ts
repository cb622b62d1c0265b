/**
 * `/develop` (mm develop plan|run): the five MAO workstreams, each assigned to a model
 * by routing config with fallbacks, shown as a plan with a diversity score, then run in
 * parallel through fan-out. Each prompt plays to its workstream (mao-v2 "Prompt Crafting").
 */
import type { Config } from '../../config/schema.ts';
import type { Registry } from '../../registry/registry.ts';
import { classifyComplexity } from '../fanout/complexity.ts';
import type { PlannedCall } from '../fanout/types.ts';
import { assign, diversityScore, type Assignment } from './assign.ts';
import { fillTemplate } from '../../util/template.ts';
import contextTemplate from './prompts/develop-context.md';
import defaultFocusTemplate from './prompts/develop-focus-default.md';
import developTemplate from './prompts/develop.md';

export const WORKSTREAMS = ['schemas', 'storage', 'core_logic', 'implementation', 'tests'] as const;

const FOCUS: Record<string, string> = {
  schemas:
    'Design the data structures: types and validation schemas with clear definitions, validation rules and doc comments.',
  storage: 'Implement the storage layer: repository pattern, atomic writes, error handling.',
  core_logic: 'Design and validate the core algorithm: completeness, edge cases, performance characteristics.',
  implementation: 'Implement the feature end to end with balanced quality, following the existing code style.',
  tests: 'Write the tests: unit tests for each behaviour and edge case, named for what they verify.',
};

export interface DevelopPlan {
  task: string;
  assignments: Assignment[];
  diversity: ReturnType<typeof diversityScore>;
}

export function planDevelop(
  task: string,
  config: Config,
  registry: Registry,
  workstreams: readonly string[] = WORKSTREAMS,
  /** Given: Claude models count only with a working way in (API key or `claude` CLI), shown per model. */
  env?: NodeJS.ProcessEnv,
): DevelopPlan {
  const assignments = workstreams.map((w) => assign(w, config, registry, undefined, env));
  return { task, assignments, diversity: diversityScore(assignments) };
}

function developPrompt(workstream: string, task: string, context = ''): string {
  return fillTemplate(developTemplate, {
    workstream: workstream.replace('_', ' '),
    task,
    focus: FOCUS[workstream] ?? fillTemplate(defaultFocusTemplate, { workstream }),
    context: context ? fillTemplate(contextTemplate, { context }) : '',
  });
}

export function developCalls(plan: DevelopPlan, context = ''): PlannedCall[] {
  return plan.assignments.map((a) => {
    const prompt = developPrompt(a.key, plan.task, context);
    return {
      label: a.key,
      model: a.model,
      fallbacks: a.fallbacks,
      complexity: classifyComplexity(prompt),
      prompt,
      task: `develop:${a.key}`,
    };
  });
}

/** One call per workstream per plan section, labelled "<section>.<workstream>". */
export function sectionCalls(
  plan: DevelopPlan,
  sections: Array<{ number: number; text: string }>,
  file: string,
  context = '',
): PlannedCall[] {
  return sections.flatMap((s) =>
    developCalls({ ...plan, task: `Section ${s.number} of the plan ${file}:\n\n${s.text}` }, context).map((c) => ({
      ...c,
      label: `${s.number}.${c.label}`,
    })),
  );
}

export function formatPlan(plan: DevelopPlan): string {
  const width = Math.max(...plan.assignments.map((a) => a.key.length));
  const rows = plan.assignments.map((a) => {
    const skipped = a.skipped.length ? `  (skipped ${a.skipped.map((s) => `${s.model}: ${s.reason}`).join('; ')})` : '';
    const shown = (m: string) => (a.access?.[m] ? `${m} (${a.access[m] === 'cli' ? 'claude CLI' : 'API'})` : m);
    const chain = [a.model, ...a.fallbacks].map(shown).join(' → ');
    return `  ${a.key.padEnd(width)}  ${chain}${skipped}`;
  });
  const d = plan.diversity;
  return [
    `Plan: ${plan.task}`,
    ...rows,
    `Diversity score: ${d.score.toFixed(2)} (${plural(d.models, 'model')}, ${plural(d.vendors, 'vendor')} across ${plural(plan.assignments.length, 'workstream')})`,
  ].join('\n');
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * `mm develop run`'s plan checkpoint ([develop] plan_checkpoint), after Phase 0 and before
 * the paid workstream calls: "ask" stops for the user's go (--yes) when any call is paid,
 * "auto" proceeds, "off" proceeds without showing the plan.
 */
export function planCheckpoint(
  mode: 'ask' | 'auto' | 'off',
  yes: boolean,
  paidCalls: number,
): { proceed: boolean; showPlan: boolean } {
  return { proceed: yes || mode !== 'ask' || paidCalls === 0, showPlan: mode !== 'off' };
}
