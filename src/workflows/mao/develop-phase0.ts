/**
 * `/develop` Phase 0: complexity analysis and the dependency check. The cheapest enabled
 * model (Claude Haiku by default) reads the task and the chosen workstreams and answers a
 * workstream graph as JSON; mm validates it with zod (names, dependencies, no cycles),
 * asks once more on an invalid answer, and otherwise falls back to the deterministic graph
 * (develop-graph.ts's table, complexity from the spec and the repo map). Either way the
 * graph says where it came from and why each workstream waits for another.
 */
import { z } from 'zod';
import type { Config } from '../../config/schema.ts';
import { readRepoMap } from '../../context/repo-map.ts';
import { claudeAccessFor } from '../../providers/claude-access.ts';
import type { InvokeContext, InvokeFn } from '../../providers/index.ts';
import type { RegistryEntry } from '../../registry/models.ts';
import type { Registry } from '../../registry/registry.ts';
import { capableByPrice } from '../fanout/complexity.ts';
import { DEPENDS_ON, dependencyGraph, type WorkstreamGraph } from './develop-graph.ts';
import { fillTemplate } from '../../util/template.ts';
import retryTemplate from './prompts/phase0-retry.md';
import phase0Template from './prompts/phase0.md';

const COMPLEXITY_LEVELS = ['low', 'medium', 'high'] as const;

export interface Phase0 {
  graph: WorkstreamGraph;
  complexity: (typeof COMPLEXITY_LEVELS)[number];
  /** Why each workstream waits for the ones it depends on (or runs first). */
  why: Record<string, string>;
  /** "model": the analyst's graph; "fallback": the deterministic one. */
  source: 'model' | 'fallback';
  analyst: string | null;
  /** Why the fallback was used, when it was. */
  note?: string;
}

const answerSchema = z.object({
  complexity: z.enum(COMPLEXITY_LEVELS),
  workstreams: z
    .array(z.object({ name: z.string(), depends_on: z.array(z.string()), why: z.string() }).strict())
    .min(1),
});

/**
 * The analyst: `[develop] analysis_model` when set, else the cheapest enabled model that
 * can be called headless (Claude only with a working way in). Null when none is enabled.
 */
export function pickAnalyst(config: Config, registry: Registry, env: NodeJS.ProcessEnv): RegistryEntry | null {
  const usable = (e: RegistryEntry) =>
    registry.isEnabled(e) &&
    e.access.kind !== 'teams' &&
    e.capabilities.includes('text') &&
    (e.integration !== 'claude' || claudeAccessFor(e, config, env).usable);
  const named = config.develop.analysis_model;
  if (named) {
    const e = registry.find(named);
    return e && usable(e) ? e : null;
  }
  return capableByPrice('trivial', registry.entries.filter(usable))[0] ?? null;
}

export function phase0Prompt(task: string, workstreams: readonly string[], rejected?: string): string {
  const prompt = fillTemplate(phase0Template, { workstreams: workstreams.join(', '), task });
  return rejected === undefined ? prompt : fillTemplate(retryTemplate, { prompt, reason: rejected });
}

/** Parses and checks an analyst's answer against the chosen workstreams; throws a clear Error. */
export function parsePhase0(text: string, workstreams: readonly string[]): Omit<Phase0, 'source' | 'analyst'> {
  const body = text
    .trim()
    .replace(/^```(?:json)?[ \t]*\n([\s\S]*?)\n?```$/, '$1')
    .trim();
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch (e) {
    throw new Error(`not JSON (${(e as Error).message})`, { cause: e });
  }
  const parsed = answerSchema.safeParse(raw);
  if (!parsed.success)
    throw new Error(
      parsed.error.issues
        .slice(0, 3)
        .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
        .join('; '),
    );
  const chosen = new Set(workstreams);
  const named = parsed.data.workstreams.map((w) => w.name);
  const unknown = named.filter((n) => !chosen.has(n));
  if (unknown.length) throw new Error(`unknown workstream(s) ${unknown.join(', ')}`);
  const missing = workstreams.filter((w) => !named.includes(w));
  if (missing.length) throw new Error(`workstream(s) left out: ${missing.join(', ')}`);
  const table: Record<string, string[]> = {};
  const why: Record<string, string> = {};
  for (const w of parsed.data.workstreams) {
    const bad = w.depends_on.filter((d) => !chosen.has(d) || d === w.name);
    if (bad.length) throw new Error(`${w.name} depends on ${bad.join(', ')}, not another chosen workstream`);
    table[w.name] = [...new Set(w.depends_on)];
    why[w.name] = w.why;
  }
  let graph: WorkstreamGraph;
  try {
    graph = dependencyGraph(workstreams, table);
  } catch (e) {
    throw new Error((e as Error).message, { cause: e });
  }
  return { graph, complexity: parsed.data.complexity, why };
}

/** The graph without a model: the table's order, complexity from the spec and the repo map. */
export function fallbackPhase0(task: string, workstreams: readonly string[], root: string, note: string): Phase0 {
  const graph = dependencyGraph(workstreams, DEPENDS_ON);
  const why = Object.fromEntries(
    workstreams.map((w) => [
      w,
      graph.edges[w]!.length
        ? `builds on the output of ${graph.edges[w]!.join(' and ')} (dependency table)`
        : 'consumes no other workstream (dependency table)',
    ]),
  );
  // The files of the repo map the spec names: the more it touches, the harder the task.
  const files = readRepoMap(root)?.map.files.map((f) => f.path) ?? [];
  const touched = files.filter((f) => task.includes(f)).length;
  const complexity = task.length > 4000 || touched > 5 ? 'high' : task.length > 800 || touched > 1 ? 'medium' : 'low';
  return { graph, complexity, why, source: 'fallback', analyst: null, note };
}

export interface Phase0Options {
  invoke: InvokeFn;
  ctx: InvokeContext;
  cwd: string;
  root: string;
  config: Config;
  registry: Registry;
  env: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

/** Phase 0: the analyst's graph (one retry on an invalid answer), else the deterministic one. */
export async function analyzePhase0(task: string, workstreams: readonly string[], o: Phase0Options): Promise<Phase0> {
  if (o.config.develop.analysis === 'off')
    return fallbackPhase0(task, workstreams, o.root, 'Phase 0 analysis is off ([develop] analysis = "off")');
  const analyst = pickAnalyst(o.config, o.registry, o.env);
  if (!analyst)
    return fallbackPhase0(
      task,
      workstreams,
      o.root,
      o.config.develop.analysis_model
        ? `the analysis model ${o.config.develop.analysis_model} is not enabled or has no way in`
        : 'no model is enabled for the analysis',
    );
  const problems: string[] = [];
  let prompt = phase0Prompt(task, workstreams);
  for (let attempt = 0; attempt < 2; attempt++) {
    let text: string;
    try {
      const r = await o.invoke(
        analyst.id,
        {
          prompt,
          model: analyst.id,
          cwd: o.cwd,
          task: 'develop:analysis',
          fallback: false,
          ...(o.timeoutMs ? { timeoutMs: o.timeoutMs } : {}),
        },
        o.ctx,
      );
      if (r.status !== 'ok') {
        problems.push(`${r.status}${r.error ? `: ${r.error.slice(0, 160)}` : ''}`);
        break; // no answer at all: asking again would not help
      }
      text = r.text;
    } catch (e) {
      problems.push((e as Error).message);
      break;
    }
    try {
      return { ...parsePhase0(text, workstreams), source: 'model', analyst: analyst.id };
    } catch (e) {
      problems.push(`invalid graph: ${(e as Error).message}`);
      prompt = phase0Prompt(task, workstreams, (e as Error).message);
    }
  }
  return fallbackPhase0(task, workstreams, o.root, `${analyst.id} gave no usable graph (${problems.join('; ')})`);
}

export function formatPhase0(p: Phase0): string {
  const origin =
    p.source === 'model' ? `dependency check by ${p.analyst}` : `deterministic dependency check (${p.note})`;
  return [
    `Phase 0: ${origin}; complexity ${p.complexity}`,
    ...p.graph.stages.map(
      (stage, i) =>
        `  stage ${i + 1} ${stage.length > 1 ? '(parallel)' : '(ordered)'}: ${stage
          .map((w) => `${w}${p.graph.edges[w]!.length ? ` ← ${p.graph.edges[w]!.join(', ')}` : ''} — ${p.why[w]}`)
          .join('; ')}`,
    ),
  ].join('\n');
}
