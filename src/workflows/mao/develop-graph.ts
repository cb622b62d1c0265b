/**
 * Phase 0's dependency check, deterministic: which workstream consumes which one's
 * output (data, so the order is one edit). Storage and core logic build on the schemas,
 * the implementation on all three, the tests on the implementation's interface.
 * Workstreams outside the table depend on nothing. Stages are the topological layers:
 * the workstreams of a stage run in parallel, a stage after the ones it depends on.
 */
import { MmError } from '../../util/errors.ts';

export const DEPENDS_ON: Record<string, readonly string[]> = {
  schemas: [],
  storage: ['schemas'],
  core_logic: ['schemas'],
  implementation: ['schemas', 'storage', 'core_logic'],
  tests: ['implementation'],
};

export interface WorkstreamGraph {
  /** Each chosen workstream's dependencies among the chosen ones. */
  edges: Record<string, string[]>;
  /** Topological layers, in order. */
  stages: string[][];
}

export function dependencyGraph(workstreams: readonly string[], table = DEPENDS_ON): WorkstreamGraph {
  const chosen = new Set(workstreams);
  // A dependency left out is bridged: tests still follow storage when implementation is not chosen.
  const reach = (w: string, seen = new Set<string>()): string[] =>
    (table[w] ?? []).flatMap((d) => {
      if (seen.has(d)) return [];
      seen.add(d);
      return chosen.has(d) ? [d] : reach(d, seen);
    });
  const edges = Object.fromEntries(workstreams.map((w) => [w, [...new Set(reach(w))]]));
  const stages: string[][] = [];
  const placed = new Set<string>();
  while (placed.size < workstreams.length) {
    const ready = workstreams.filter((w) => !placed.has(w) && edges[w]!.every((d) => placed.has(d)));
    if (ready.length === 0)
      throw new MmError(
        'config',
        `the workstreams depend on each other in a cycle: ${workstreams.filter((w) => !placed.has(w)).join(', ')}`,
      );
    ready.forEach((w) => placed.add(w));
    stages.push(ready);
  }
  return { edges, stages };
}

/**
 * `/develop 2, 3`: the graph repeated per plan section, sections in order (section 3's
 * first stage after section 2's last), labels "<section>.<workstream>". Each workstream
 * also builds on its own counterpart of the section before (it sees that output).
 */
export function sectionGraph(graph: WorkstreamGraph, sections: number[]): WorkstreamGraph {
  const edges: Record<string, string[]> = {};
  const stages: string[][] = [];
  sections.forEach((n, i) => {
    for (const [w, deps] of Object.entries(graph.edges))
      edges[`${n}.${w}`] = [...(i > 0 ? [`${sections[i - 1]}.${w}`] : []), ...deps.map((d) => `${n}.${d}`)];
    for (const stage of graph.stages) stages.push(stage.map((w) => `${n}.${w}`));
  });
  return { edges, stages };
}

/** The section of a "<section>.<workstream>" label; null for a plain workstream. */
export const sectionOfLabel = (label: string): string | null => /^(\d+)\./.exec(label)?.[1] ?? null;
