/**
 * Effort that learns, openly (design: "effort policy tuned from outcomes"): from the
 * ledger (each call's task and effort) and the run store (referee verdicts), per task
 * kind and effort level, how often a call failed and was retried or fell back, was
 * escalated (`<task>_escalated` in the same run), or lost at the referee. A level that
 * needed help in at least RAISE_AT of at least MIN_CALLS calls gets a suggested
 * `[models.effort_policy]` change — printed for the user to accept, never applied.
 */
import { CODEX_EFFORTS } from '../config/enums.ts';
import type { Config } from '../config/schema.ts';
import type { LedgerEntry } from './ledger.ts';

const MIN_CALLS = 5;
const RAISE_AT = 0.3;

export interface EffortRow {
  task: string;
  effort: string;
  calls: number;
  /** Calls that did not answer "ok" (another hop or a retry followed). */
  retried: number;
  escalated: number;
  overruled: number;
}

export interface EffortSuggestion {
  task: string;
  from: string;
  to: string;
  why: string;
  /** TOML the user can paste into .claude/config/multi-model.toml. */
  toml: string;
}

/** A referee loss: the task and effort of the call whose candidate lost. */
export interface Overrule {
  task: string;
  effort: string;
}

const baseTask = (task: string) => task.replace(/_escalated$/, '');

export function effortRows(entries: LedgerEntry[], overrules: Overrule[]): EffortRow[] {
  const rows = new Map<string, EffortRow>();
  const row = (task: string, effort: string) => {
    const key = `${task}\u0000${effort}`;
    let r = rows.get(key);
    if (!r) rows.set(key, (r = { task, effort, calls: 0, retried: 0, escalated: 0, overruled: 0 }));
    return r;
  };
  const withEffort = entries.filter((e) => e.effort);
  for (const e of withEffort) {
    if (e.task.endsWith('_escalated')) continue;
    const r = row(e.task, e.effort!);
    r.calls++;
    if (e.status !== 'ok') r.retried++;
  }
  // An escalation counts against the level(s) its task ran at earlier in the same run.
  for (const esc of withEffort.filter((e) => e.task.endsWith('_escalated'))) {
    const before = withEffort.filter(
      (e) => e.task === baseTask(esc.task) && e.ts <= esc.ts && (e.checkpoint ?? '') === (esc.checkpoint ?? ''),
    );
    for (const level of new Set(before.map((e) => e.effort!))) row(baseTask(esc.task), level).escalated++;
  }
  for (const o of overrules) row(o.task, o.effort).overruled++;
  return [...rows.values()].sort((a, b) => a.task.localeCompare(b.task) || a.effort.localeCompare(b.effort));
}

/** One step up the Codex scale for a task whose configured level needed help too often. */
export function suggestEffort(rows: EffortRow[], config: Config): EffortSuggestion[] {
  const policy = config.models.effort_policy as Record<string, { codex?: string } | boolean>;
  const out: EffortSuggestion[] = [];
  for (const r of rows) {
    const entry = policy[r.task];
    if (typeof entry !== 'object' || entry.codex !== r.effort || r.calls < MIN_CALLS) continue;
    const helped = r.retried + r.escalated + r.overruled;
    const i = CODEX_EFFORTS.indexOf(r.effort as (typeof CODEX_EFFORTS)[number]);
    if (helped / r.calls < RAISE_AT || i < 0 || i === CODEX_EFFORTS.length - 1) continue;
    const to = CODEX_EFFORTS[i + 1]!;
    out.push({
      task: r.task,
      from: r.effort,
      to,
      why: `${helped} of ${r.calls} calls at ${r.effort} needed help (${r.retried} retried, ${r.escalated} escalated, ${r.overruled} overruled by the referee)`,
      toml: `[models.effort_policy.${r.task}]\ncodex = "${to}"`,
    });
  }
  return out;
}
