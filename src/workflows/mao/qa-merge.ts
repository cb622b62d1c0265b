/**
 * QA synthesis: the same finding raised by several dimensions becomes one. Two findings
 * are the same when they name the same file (or neither names one), their lines are
 * within LINE_SLACK of each other (or one has no line), and their issue texts are alike
 * (Dice similarity of their words after normalising ≥ SIMILAR, and the same numbers:
 * "limit 10" and "limit 20" are different problems). A merged finding keeps
 * every dimension and model that raised it, takes the most severe severity, one
 * category (the dimension of its most severe copy, heavier dimension on a tie), and a
 * model to fix it from the routing table.
 */
import type { Config } from '../../config/schema.ts';
import type { Registry } from '../../registry/registry.ts';
import { assign } from './assign.ts';

const LINE_SLACK = 3;
const SIMILAR = 0.6;

export interface RawFinding {
  severity: 'critical' | 'high' | 'medium' | 'low';
  file: string | null;
  line: number | null;
  issue: string;
  recommendation: string | null;
  dimension: string;
  model: string;
}

export interface MergedFinding {
  severity: RawFinding['severity'];
  /** The dimension the finding belongs to (its most severe copy's). */
  category: string;
  file: string | null;
  line: number | null;
  issue: string;
  recommendation: string | null;
  /** Every dimension and model that raised it, in dimension order. */
  dimensions: string[];
  models: string[];
  /** Who should fix it: the routing table's model for the category's fix (null when not assigned). */
  fix_by: string | null;
}

/** Which [routing] chain fixes a finding of each category; tests are fixed by the tests chain. */
const FIX_ROUTE: Record<string, string> = {
  prd_compliance: 'implementation',
  error_handling: 'implementation',
  type_safety: 'type_safety',
  architecture: 'architecture',
  security: 'security',
};

const SEVERITY_RANK = { critical: 0, high: 1, medium: 2, low: 3 } as const;

/** Lower case, words only, common filler dropped: "The result of parse() is unchecked!" → "result parse unchecked". */
function normaliseIssue(text: string): string[] {
  const STOP = new Set([
    'the',
    'a',
    'an',
    'of',
    'is',
    'are',
    'to',
    'in',
    'on',
    'for',
    'and',
    'or',
    'not',
    'be',
    'this',
    'that',
    'it',
    'its',
    'with',
    'by',
  ]);
  return text
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, ' ')
    .split(' ')
    .filter((w) => w && !STOP.has(w));
}

/** Dice coefficient over the normalised words: 1 = the same words. */
export function similarity(a: string, b: string): number {
  const ga = normaliseIssue(a);
  const gb = normaliseIssue(b);
  if (ga.length === 0 || gb.length === 0) return ga.length === gb.length ? 1 : 0;
  const pool = new Map<string, number>();
  for (const g of gb) pool.set(g, (pool.get(g) ?? 0) + 1);
  let shared = 0;
  for (const g of ga) {
    const n = pool.get(g) ?? 0;
    if (n > 0) {
      shared++;
      pool.set(g, n - 1);
    }
  }
  return (2 * shared) / (ga.length + gb.length);
}

export function sameFinding(a: RawFinding, b: RawFinding): boolean {
  if ((a.file ?? '') !== (b.file ?? '')) return false;
  if (a.line !== null && b.line !== null && Math.abs(a.line - b.line) > LINE_SLACK) return false;
  const numbers = (t: string) => [...new Set(normaliseIssue(t).filter((w) => /^\d+$/.test(w)))].sort().join(',');
  return numbers(a.issue) === numbers(b.issue) && similarity(a.issue, b.issue) >= SIMILAR;
}

/** Groups the same finding across dimensions; `dimensionOrder` lists dimensions heaviest first. */
export function mergeFindings(
  findings: RawFinding[],
  dimensionOrder: readonly string[],
  fixer: (category: string, file: string | null) => string | null,
): MergedFinding[] {
  const groups: RawFinding[][] = [];
  for (const f of findings) {
    const group = groups.find((g) => g.some((x) => sameFinding(x, f)));
    if (group) group.push(f);
    else groups.push([f]);
  }
  const rank = (d: string) => {
    const i = dimensionOrder.indexOf(d);
    return i < 0 ? dimensionOrder.length : i;
  };
  const merged = groups.map((g): MergedFinding => {
    const lead = [...g].sort(
      (x, y) => SEVERITY_RANK[x.severity] - SEVERITY_RANK[y.severity] || rank(x.dimension) - rank(y.dimension),
    )[0]!;
    const lines = g.map((x) => x.line).filter((l): l is number => l !== null);
    return {
      severity: lead.severity,
      category: lead.dimension,
      file: lead.file,
      line: lines.length ? Math.min(...lines) : null,
      issue: lead.issue,
      recommendation: lead.recommendation ?? g.find((x) => x.recommendation)?.recommendation ?? null,
      dimensions: [...new Set(g.map((x) => x.dimension))].sort((x, y) => rank(x) - rank(y)),
      models: [...new Set(g.map((x) => x.model))],
      fix_by: fixer(lead.dimension, lead.file),
    };
  });
  return merged.sort(
    (x, y) => SEVERITY_RANK[x.severity] - SEVERITY_RANK[y.severity] || y.dimensions.length - x.dimensions.length,
  );
}

const TEST_FILE = /(?:^|\/)(?:test|tests|__tests__|spec)\/|\.(?:test|spec)\.[a-z]+$/;

/** The fixer from config: the category's fix chain (tests chain for test files), first enabled model. */
export function fixerFrom(config: Config, registry: Registry): (category: string, file: string | null) => string {
  return (category, file) =>
    assign(file && TEST_FILE.test(file) ? 'tests' : (FIX_ROUTE[category] ?? 'implementation'), config, registry).model;
}
