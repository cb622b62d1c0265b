/**
 * The structured replies of the review checkpoints: ONE zod schema each, used to build
 * the prompt's output contract, to validate the reply and (via `z.toJSONSchema`) as the
 * strict JSON Schema sent to Codex `--output-schema`. Docs print the same JSON Schema.
 */
import { z } from 'zod';

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/**
 * How sure the reviewer is of a finding, 0–1. Optional (null or absent) so a reviewer that
 * does not give one is still a valid review; the prompts ask for it.
 */
const confidence = z.number().min(0).max(1).nullable().optional();

const planFindingSchema = z
  .object({
    severity: z.enum(SEVERITIES),
    area: z.enum(['edge-cases', 'security', 'feasibility', 'ordering', 'tests', 'other']),
    detail: z.string().min(1),
    recommendation: z.string().min(1),
    file: z.string().min(1).nullable().optional(),
    /** Lines of the plan the finding is about (1-based), when it is about specific lines. */
    line_start: z.number().int().positive().nullable().optional(),
    line_end: z.number().int().positive().nullable().optional(),
    confidence,
  })
  .strict()
  .refine((f) => f.line_start == null || f.line_end == null || f.line_end >= f.line_start, {
    message: 'line_end must be ≥ line_start',
  });

export const planVerdictSchema = z
  .object({
    verdict: z.enum(['PASS', 'CONCERN', 'BLOCK']),
    summary: z.string(),
    findings: z.array(planFindingSchema),
  })
  .strict();
export type PlanVerdict = z.infer<typeof planVerdictSchema>;
export type PlanFinding = z.infer<typeof planFindingSchema>;

const diffFindingSchema = z
  .object({
    severity: z.enum(SEVERITIES),
    file: z.string().min(1),
    line_start: z.number().int().nonnegative(),
    line_end: z.number().int().nonnegative(),
    detail: z.string().min(1),
    recommendation: z.string().min(1),
    confidence,
  })
  .strict()
  .refine((f) => f.line_end >= f.line_start, { message: 'line_end must be ≥ line_start' });

export const diffVerdictSchema = z
  .object({
    verdict: z.enum(['LGTM', 'ISSUES']),
    summary: z.string(),
    findings: z.array(diffFindingSchema),
  })
  .strict()
  .refine((v) => v.verdict === 'ISSUES' || v.findings.every((f) => f.severity === 'info' || f.severity === 'low'), {
    message: 'LGTM cannot carry medium or worse findings',
  });
export type DiffVerdict = z.infer<typeof diffVerdictSchema>;
export type DiffFinding = z.infer<typeof diffFindingSchema>;

/**
 * JSON Schema for a provider (Codex `--output-schema`, Gemini JSON mode). OpenAI's strict
 * mode wants every property listed in `required`, so optional ones become "or null", and
 * rejects string length keywords, which are dropped here (zod still checks them locally).
 */
export function jsonSchemaOf(schema: z.ZodType): Record<string, unknown> {
  return strictify(z.toJSONSchema(schema, { target: 'draft-2020-12', unrepresentable: 'any' })) as Record<
    string,
    unknown
  >;
}

const UNSUPPORTED = new Set(['minLength', 'maxLength']);

function strictify(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(strictify);
  if (!node || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) if (!UNSUPPORTED.has(k)) out[k] = strictify(v);
  const props = out.properties as Record<string, unknown> | undefined;
  if (out.type === 'object' && props) {
    const required = new Set((out.required as string[] | undefined) ?? []);
    for (const key of Object.keys(props)) {
      if (!required.has(key)) props[key] = nullable(props[key]);
    }
    out.required = Object.keys(props);
    out.additionalProperties = false;
  }
  return out;
}

function nullable(prop: unknown): unknown {
  const p = prop as { anyOf?: unknown[]; type?: unknown };
  if (p.anyOf?.some((x) => (x as { type?: string }).type === 'null')) return prop;
  if (p.anyOf) return { ...p, anyOf: [...p.anyOf, { type: 'null' }] };
  return { anyOf: [prop, { type: 'null' }] };
}
