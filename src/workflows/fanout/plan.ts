/**
 * Turns a fan-out request into planned calls: competitive (the same spec to N models),
 * division (spec i to model i), swarm (each task routed by complexity). Pure.
 */
import type { Config } from '../../config/schema.ts';
import type { Registry } from '../../registry/registry.ts';
import { MmError } from '../../util/errors.ts';
import { capableByPrice, cheapestCapable, classifyComplexity, swarmCandidates } from './complexity.ts';
import type { FanoutMode, FanoutTask, PlannedCall } from './types.ts';

const SWARM_FALLBACKS = 2;

const withSystem = (t: FanoutTask) => (t.system_prompt ? `${t.system_prompt}\n\n${t.prompt}` : t.prompt);

function uniqueLabels(labels: string[]): string[] {
  const seen = new Map<string, number>();
  return labels.map((label) => {
    const n = (seen.get(label) ?? 0) + 1;
    seen.set(label, n);
    return n === 1 ? label : `${label}-${n}`;
  });
}

function call(task: FanoutTask, label: string, model: string, taskName: string): PlannedCall {
  return {
    label,
    model,
    fallbacks: [],
    complexity: task.complexity ?? classifyComplexity(task.prompt),
    prompt: withSystem(task),
    task: taskName,
    ...(task.max_tokens ? { maxTokens: task.max_tokens } : {}),
    ...(task.temperature !== undefined ? { temperature: task.temperature } : {}),
  };
}

export function planCompetitive(task: FanoutTask, models: string[]): PlannedCall[] {
  if (models.length < 2)
    throw new MmError('usage', 'competitive fan-out needs at least two models (--model, repeatable)');
  const labels = uniqueLabels(models.map((m) => (task.label ? `${task.label}-${m}` : m)));
  return models.map((m, i) => call(task, labels[i]!, m, 'fanout:competitive'));
}

/** Spec i goes to model i; with fewer models than specs, models are reused in turn. */
export function planDivision(tasks: FanoutTask[], models: string[]): PlannedCall[] {
  if (tasks.length === 0) throw new MmError('usage', 'division fan-out needs at least one spec');
  const labels = uniqueLabels(tasks.map((t, i) => t.label ?? `spec-${String(i + 1).padStart(2, '0')}`));
  return tasks.map((t, i) => {
    const model = t.model ?? models[i % Math.max(models.length, 1)];
    if (!model)
      throw new MmError('usage', `no model for spec ${labels[i]}: give --model (repeatable) or "model" in the task`);
    return call(t, labels[i]!, model, 'fanout:division');
  });
}

export function planSwarm(tasks: FanoutTask[], registry: Registry): PlannedCall[] {
  if (tasks.length === 0) throw new MmError('usage', 'swarm fan-out needs at least one task');
  const candidates = swarmCandidates(registry);
  const labels = uniqueLabels(tasks.map((t, i) => t.label ?? `task-${String(i + 1).padStart(2, '0')}`));
  return tasks.map((t, i) => {
    const complexity = t.complexity ?? classifyComplexity(t.prompt);
    const model = t.model ?? cheapestCapable(complexity, candidates)?.id;
    // A routed task falls back to the next capable models by price; a pinned one does not.
    const fallbacks = t.model
      ? []
      : capableByPrice(complexity, candidates)
          .map((e) => e.id)
          .filter((id) => id !== model)
          .slice(0, SWARM_FALLBACKS);
    if (!model) {
      throw new MmError('config', `no enabled model can take a ${complexity} task (${labels[i]})`, {
        hint: 'enable an integration in [models] (mm doctor), or name a model in the task',
      });
    }
    return { ...call(t, labels[i]!, model, 'fanout:swarm'), complexity, fallbacks };
  });
}

/** Competitive mode without --model: the configured coding models of each enabled integration. */
function defaultCompetitors(config: Config, registry: Registry): string[] {
  const ids = [
    config.models.codex.default_model,
    config.models.gemini.default_model,
    config.models.defaults.implementation,
  ];
  return [...new Set(ids)].filter((id) => {
    const entry = registry.find(id);
    return entry !== undefined && registry.isEnabled(entry);
  });
}

export interface FanoutInput {
  /** --spec files, read. */
  specs: FanoutTask[];
  /** --tasks file, parsed. */
  tasks: FanoutTask[];
  models: string[];
  prompt?: string;
}

/** The calls of a fan-out in `mode`, from what the command line gave. */
export function planFanout(mode: FanoutMode, input: FanoutInput, config: Config, registry: Registry): PlannedCall[] {
  const { specs, tasks: fromFile, models, prompt } = input;
  switch (mode) {
    case 'competitive': {
      const task = specs[0] ?? (prompt ? { prompt } : fromFile[0]);
      if (!task || specs.length + fromFile.length + (prompt ? 1 : 0) !== 1)
        throw new MmError('usage', 'competitive fan-out takes exactly one spec: --spec FILE or --prompt TEXT');
      return planCompetitive(task, models.length ? models : defaultCompetitors(config, registry));
    }
    case 'division':
      return planDivision([...specs, ...fromFile], models);
    case 'swarm':
      return planSwarm([...fromFile, ...specs], registry);
  }
}
