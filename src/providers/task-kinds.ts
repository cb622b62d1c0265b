/**
 * Task labels as data: which Codex line serves a task, which tasks carry the
 * "re-check against repo reality" instruction, which count as code generation.
 * Labels are the effort-policy keys, routing chain keys and route categories.
 */
export type CodexLine = 'coding' | 'general' | 'fast';

const CODING = new Set([
  'implementation',
  'debugging',
  'debugging_escalated',
  'debug',
  'tests',
  'storage',
  'type_safety',
  'error_handling',
  'code',
  'coding',
]);
const SIMPLE = new Set([
  'simple_search',
  'search',
  'documentation',
  'docs',
  'formatting',
  'dependency_check',
  'simple',
]);
const RECHECK = new Set(['implementation', 'debugging', 'debugging_escalated', 'debug']);
const CODE_GENERATING = new Set([...CODING, 'formatting', 'architecture', 'svg', 'schemas', 'core_logic']);

/** Coding line for code work, fast line for simple tasks, general line for review and analysis. */
export function codexLineFor(task: string): CodexLine {
  if (CODING.has(task)) return 'coding';
  if (SIMPLE.has(task)) return 'fast';
  return 'general';
}

export function isSimpleTask(task: string): boolean {
  return SIMPLE.has(task);
}

export function needsRecheckInstruction(task: string): boolean {
  return RECHECK.has(task);
}

export function generatesCode(task: string): boolean {
  return CODE_GENERATING.has(task);
}

/** Design §5.3: mitigates Codex's tendency to overfit to its own first hypothesis. */
export const RECHECK_INSTRUCTION =
  'IMPORTANT: Re-check your proposed fix against the actual repo state before finalizing — do not overfit to your initial hypothesis.';

/** Effort-policy task names → the [routing] chain that covers them (when no chain has the task's own name). */
const ROUTING_CHAIN_OF: Record<string, string> = {
  code_review: 'review',
  pr_cross_review: 'review',
  plan_review: 'review',
  debugging: 'debug',
  debugging_escalated: 'debug',
  simple_search: 'research',
  context_analysis: 'research',
  architecture_decisions: 'architecture',
};

export function routingChainFor(task: string, chains: Record<string, unknown>): string | undefined {
  if (task in chains) return task;
  const mapped = ROUTING_CHAIN_OF[task];
  return mapped && mapped in chains ? mapped : undefined;
}
