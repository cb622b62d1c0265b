/**
 * Effort is a budgeted policy (design §3.2): each category reads its row of
 * `[models.effort_policy]`; escalation swaps in `debugging_escalated`. Gemini has no
 * effort knob, so its "effort" is the choice of Pro or Flash (`flash_threshold`).
 */
import type { ClaudeEffort, CodexEffort, Config } from '../config/schema.ts';
import type { Category } from './categories.ts';
import { TASKS, type Complexity } from './tasks.ts';

export interface Effort {
  claude: ClaudeEffort;
  codex: CodexEffort;
  gemini: 'pro' | 'flash';
}

const RANK: Record<Complexity, number> = { simple: 0, moderate: 1, complex: 2 };

export function resolveEffort(
  config: Config,
  category: Category,
  opts: { escalate: boolean; complex?: boolean },
): Effort {
  const info = TASKS[category];
  const policy = config.models.effort_policy;
  const row = policy[opts.escalate ? 'debugging_escalated' : (info.effort ?? 'implementation')];
  const complexity: Complexity = opts.complex || opts.escalate ? 'complex' : info.complexity;
  return { claude: row.claude, codex: row.codex, gemini: geminiTier(config, complexity) };
}

/** Flash for tasks at or below `flash_threshold`; "never" keeps Pro for everything. */
export function geminiTier(config: Config, complexity: Complexity): 'pro' | 'flash' {
  const threshold = config.models.gemini.flash_threshold;
  if (threshold === 'never') return 'pro';
  return RANK[complexity] <= RANK[threshold] ? 'flash' : 'pro';
}
