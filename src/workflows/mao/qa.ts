/**
 * `/qa` (mm qa): five dimensions, each reviewed by its configured model in parallel,
 * combined into one weighted score and one findings list. Weights are the MAO table's
 * (30/25/20/15/10). A dimension whose model could not answer is reported, and the score
 * is computed over the dimensions that did answer (its coverage says how much that is).
 */
import { z } from 'zod';
import type { Config } from '../../config/schema.ts';
import type { Registry } from '../../registry/registry.ts';
import type { PlannedCall, FanoutResult } from '../fanout/types.ts';
import type { CallRecord } from '../fanout/run.ts';
import { writeRunFile } from '../../runs/store.ts';
import { extractJson } from '../structured.ts';
import { assign, type Assignment } from './assign.ts';
import { mergeFindings, type MergedFinding, type RawFinding } from './qa-merge.ts';
import { fillTemplate } from '../../util/template.ts';
import qaTemplate from './prompts/qa.md';

const QA_DIMENSIONS = [
  {
    key: 'prd_compliance',
    title: 'PRD compliance',
    weight: 30,
    focus: 'Does the change do what the requirements say, completely? Name each requirement that is missing or wrong.',
  },
  {
    key: 'error_handling',
    title: 'Error handling',
    weight: 25,
    focus:
      'Are failures detected, reported and recovered from? Look for swallowed errors, missing timeouts and unchecked results.',
  },
  {
    key: 'type_safety',
    title: 'Type safety',
    weight: 20,
    focus: 'Are types precise and sound? Look for any/unknown leaks, unchecked casts, nullable values used unchecked.',
  },
  {
    key: 'architecture',
    title: 'Architecture',
    weight: 15,
    focus: 'Does the change fit the existing structure? Look for misplaced responsibilities, coupling and duplication.',
  },
  {
    key: 'security',
    title: 'Security',
    weight: 10,
    focus: 'Look for injection, unsafe input handling, secrets, missing authorisation and unsafe defaults.',
  },
] as const;

const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;

/**
 * Every key required, unknowns refused, absent values as null: the shape strict
 * structured-output modes (e.g. OpenAI's, behind Codex --output-schema) accept.
 */
const qaReplySchema = z.strictObject({
  score: z.number().min(0).max(100),
  findings: z.array(
    z.strictObject({
      severity: z.enum(SEVERITIES),
      file: z.string().nullable(),
      line: z.number().int().nullable(),
      issue: z.string(),
      recommendation: z.string().nullable(),
    }),
  ),
});
type QaReply = z.infer<typeof qaReplySchema>;

/** The same structure as JSON Schema, for the provider (one schema: prompt, parser, docs). */
const QA_JSON_SCHEMA: Record<string, unknown> = z.toJSONSchema(qaReplySchema) as Record<string, unknown>;

type QaFinding = MergedFinding;

interface QaDimensionResult {
  key: string;
  title: string;
  weight: number;
  model: string;
  ok: boolean;
  score: number | null;
  findings: number;
  error?: string;
}

export interface QaReport {
  /** Weighted score 0–100 over the dimensions that answered; null when none did. */
  score: number | null;
  /** Share of the total weight that answered, 0–1. */
  coverage: number;
  dimensions: QaDimensionResult[];
  /** One per problem: the same finding from several dimensions merged (qa-merge.ts). */
  findings: QaFinding[];
  /** Findings as the dimensions raised them, before merging. */
  raised: number;
}

export function planQa(config: Config, registry: Registry): Assignment[] {
  return QA_DIMENSIONS.map((d) => assign(d.key, config, registry));
}

function qaPrompt(dimension: (typeof QA_DIMENSIONS)[number], material: string): string {
  return fillTemplate(qaTemplate, { title: dimension.title, focus: dimension.focus, material });
}

export function qaCalls(assignments: Assignment[], material: string): PlannedCall[] {
  return QA_DIMENSIONS.map((d, i) => ({
    label: d.key,
    model: assignments[i]!.model,
    fallbacks: assignments[i]!.fallbacks,
    complexity: 'complex' as const,
    prompt: qaPrompt(d, material),
    task: `qa:${d.key}`,
    schema: QA_JSON_SCHEMA,
  }));
}

/** The reply's JSON: the provider's parsed `json`, else the JSON found in the text (as structured replies are read). */
function parseQaReply(text: string, json: unknown): QaReply | null {
  for (const candidate of [json, extractJson(text)]) {
    if (candidate === undefined) continue;
    const parsed = qaReplySchema.safeParse(candidate);
    if (parsed.success) return parsed.data;
  }
  return null;
}

export function combineQa(
  results: FanoutResult[],
  records: CallRecord[],
  fixer: (category: string, file: string | null) => string | null = () => null,
): QaReport {
  const dimensions: QaDimensionResult[] = [];
  const raw: RawFinding[] = [];
  QA_DIMENSIONS.forEach((d, i) => {
    const r = results[i]!;
    const base = { key: d.key, title: d.title, weight: d.weight, model: r.model };
    if (!r.ok) {
      dimensions.push({ ...base, ok: false, score: null, findings: 0, error: r.error });
      return;
    }
    const reply = parseQaReply(r.text, records[i]?.json);
    if (!reply) {
      dimensions.push({
        ...base,
        ok: false,
        score: null,
        findings: 0,
        error: 'invalid_output: the reply is not {score, findings} JSON',
      });
      return;
    }
    dimensions.push({ ...base, ok: true, score: reply.score, findings: reply.findings.length });
    raw.push(...reply.findings.map((f) => ({ ...f, dimension: d.key, model: r.model })));
  });
  const answered = dimensions.filter((d) => d.ok);
  const weight = answered.reduce((s, d) => s + d.weight, 0);
  const score = weight ? Math.round((answered.reduce((s, d) => s + d.weight * d.score!, 0) / weight) * 10) / 10 : null;
  const byWeight = [...QA_DIMENSIONS].sort((a, b) => b.weight - a.weight).map((d) => d.key);
  return {
    score,
    coverage: weight / 100,
    dimensions,
    findings: mergeFindings(raw, byWeight, fixer),
    raised: raw.length,
  };
}

export function qaMarkdown(report: QaReport): string {
  const rows = report.dimensions.map(
    (d) => `| ${d.title} | ${d.weight}% | ${d.model} | ${d.ok ? d.score : `— (${d.error})`} | ${d.findings} |`,
  );
  const findings = report.findings.map(
    (f) =>
      `- **${f.severity}** ${f.category} ${f.file ? `\`${f.file}${f.line ? `:${f.line}` : ''}\` ` : ''}${f.issue}${f.recommendation ? ` — ${f.recommendation}` : ''}  \n  raised by ${f.dimensions.join(', ')} (${f.models.join(', ')})${f.fix_by ? ` · fix: ${f.fix_by}` : ''}`,
  );
  return [
    `# QA report — score ${report.score ?? 'n/a'}${report.coverage < 1 ? ` (covers ${Math.round(report.coverage * 100)}% of the weight)` : ''}`,
    '',
    '| Dimension | Weight | Model | Score | Findings |',
    '|---|---|---|---|---|',
    ...rows,
    '',
    `## Findings (${report.findings.length}${report.raised !== report.findings.length ? `, merged from ${report.raised} raised` : ''})`,
    '',
    ...(findings.length ? findings : ['None.']),
    '',
  ].join('\n');
}

/**
 * Combines a qa run's results into its report and stores it (outputs/qa.json with the
 * score, outputs/qa.md). Called after the first run and again after `mm runs resume`,
 * so a re-run dimension changes the stored score.
 */
export function storeQaReport(
  root: string,
  runId: string,
  results: FanoutResult[],
  records: CallRecord[],
  fixer?: (category: string, file: string | null) => string | null,
): QaReport {
  const report = combineQa(results, records, fixer);
  writeRunFile(root, runId, 'outputs/qa.json', report);
  writeRunFile(root, runId, 'outputs/qa.md', qaMarkdown(report));
  return report;
}
