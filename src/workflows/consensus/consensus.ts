/**
 * Consensus: two or three models answer the same question in parallel, each in the same
 * structured form, and the answers are compared — positions grouped, claims matched.
 * A disagreement about behaviour goes to the referee (`mm referee`): tests decide, not
 * model reputation (§4.5).
 */
import { z } from 'zod';
import type { Registry } from '../../registry/registry.ts';
import type { InvokeContext, InvokeFn } from '../../providers/index.ts';
import type { InvokeStatus } from '../../providers/types.ts';
import { MmError } from '../../util/errors.ts';
import { jsonSchemaOf } from '../review/verdicts.ts';
import { invokeStructured } from '../structured.ts';
import { fillTemplate } from '../../util/template.ts';
import consensusTemplate from './prompts/consensus.md';
import stanceAgainstTemplate from './prompts/stance-against.md';
import stanceForTemplate from './prompts/stance-for.md';
import stanceNeutralTemplate from './prompts/stance-neutral.md';

export const consensusAnswerSchema = z
  .object({
    position: z.string().min(1).max(200),
    answer: z.string().min(1),
    confidence: z.enum(['low', 'medium', 'high']),
    claims: z.array(z.object({ claim: z.string().min(1), kind: z.enum(['behaviour', 'design', 'fact']) }).strict()),
  })
  .strict();
type ConsensusAnswer = z.infer<typeof consensusAnswerSchema>;

const STANCES = ['for', 'against', 'neutral'] as const;
type Stance = (typeof STANCES)[number];

export interface Participant {
  label: string;
  target: string;
  model?: string;
  /** The side this model is asked to argue (`--stance codex=for`); none: answer independently. */
  stance?: Stance;
}

export interface ParticipantResult extends Participant {
  status: InvokeStatus;
  answer?: ConsensusAnswer;
  error?: string;
}

export interface ConsensusComparison {
  positions: Array<{ position: string; models: string[] }>;
  positionsAgree: boolean;
  sharedClaims: Array<{ claim: string; models: string[] }>;
  uniqueClaims: Array<{ claim: string; kind: string; model: string }>;
  behaviouralDisagreement: boolean;
  referee: string | null;
}

const PROVIDERS = new Set(['codex', 'gemini', 'local', 'claude']);

export function participantsFrom(list: string, registry: Registry): Participant[] {
  const names = list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (names.length < 2 || names.length > 3)
    throw new MmError('usage', `mm consensus: --models needs 2 or 3 names (got ${names.length})`);
  if (new Set(names).size !== names.length)
    throw new MmError('usage', 'mm consensus: --models names the same model twice');
  return names.map((name) => {
    if (PROVIDERS.has(name.toLowerCase())) return { label: name, target: name.toLowerCase() };
    const entry = registry.get(name, '--models');
    return { label: entry.id, target: entry.integration === 'custom' ? entry.id : entry.integration, model: entry.id };
  });
}

/**
 * `--stance codex=for,gemini=against`: each key names a participant (its label, provider or
 * model id), each value is for | against | neutral. Every key must match a participant.
 */
export function applyStances(participants: Participant[], spec: string): Participant[] {
  const out = participants.map((p) => ({ ...p }));
  const seen = new Set<Participant>();
  for (const part of spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const m = /^([^=\s]+)\s*=\s*(\S+)$/.exec(part);
    if (!m)
      throw new MmError('usage', `mm consensus: --stance "${part}" must read MODEL=for|against|neutral`, {
        hint: 'e.g. --stance codex=for,gemini=against',
      });
    const [, key, value] = m as unknown as [string, string, string];
    const stance = value.toLowerCase();
    if (!(STANCES as readonly string[]).includes(stance))
      throw new MmError('usage', `mm consensus: --stance ${key}=${value}: the stance must be for, against or neutral`);
    const k = key.toLowerCase();
    const p = out.find((x) => [x.label, x.target, x.model].some((n) => n?.toLowerCase() === k));
    if (!p)
      throw new MmError(
        'usage',
        `mm consensus: --stance names "${key}", which is not one of --models (${out.map((x) => x.label).join(', ')})`,
      );
    if (seen.has(p)) throw new MmError('usage', `mm consensus: --stance gives ${p.label} two stances`);
    seen.add(p);
    p.stance = stance as Stance;
  }
  return out;
}

const STANCE_TEXT: Record<Stance, string> = {
  for: stanceForTemplate,
  against: stanceAgainstTemplate,
  neutral: stanceNeutralTemplate,
};

export function consensusPrompt(question: string, stance?: Stance): string {
  return fillTemplate(consensusTemplate, {
    stance: stance ? fillTemplate(STANCE_TEXT[stance]) : '',
    schema: JSON.stringify(jsonSchemaOf(consensusAnswerSchema)),
    question,
  });
}

export async function collectAnswers(input: {
  question: string;
  participants: Participant[];
  invoke: InvokeFn;
  ctx: InvokeContext;
  cwd: string;
  timeoutMs?: number;
}): Promise<ParticipantResult[]> {
  const schema = jsonSchemaOf(consensusAnswerSchema);
  return Promise.all(
    input.participants.map(async (p): Promise<ParticipantResult> => {
      const r = await invokeStructured(
        input.invoke,
        p.target,
        {
          prompt: consensusPrompt(input.question, p.stance),
          model: p.model,
          sandbox: 'read-only',
          schema,
          cwd: input.cwd,
          task: 'consensus',
          fallback: false,
          timeoutMs: input.timeoutMs,
        },
        input.ctx,
        consensusAnswerSchema,
      );
      return r.ok ? { ...p, status: 'ok', answer: r.value } : { ...p, status: r.status, error: r.error };
    }),
  );
}

const normalise = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
const words = (s: string) =>
  new Set(
    normalise(s)
      .split(' ')
      .filter((w) => w.length > 2),
  );

/** Word-set overlap: crude, but it explains itself, and the human reads the claims anyway. */
function similar(a: string, b: string, threshold = 0.5): boolean {
  const A = words(a);
  const B = words(b);
  if (!A.size || !B.size) return normalise(a) === normalise(b);
  let shared = 0;
  for (const w of A) if (B.has(w)) shared++;
  return shared / (A.size + B.size - shared) >= threshold;
}

export function compareAnswers(results: ParticipantResult[]): ConsensusComparison {
  const answered = results.filter((r): r is ParticipantResult & { answer: ConsensusAnswer } => r.answer !== undefined);
  const positions: ConsensusComparison['positions'] = [];
  for (const r of answered) {
    const group = positions.find(
      (p) => normalise(p.position) === normalise(r.answer.position) || similar(p.position, r.answer.position, 0.8),
    );
    if (group) group.models.push(r.label);
    else positions.push({ position: r.answer.position, models: [r.label] });
  }
  const sharedClaims: ConsensusComparison['sharedClaims'] = [];
  const uniqueClaims: ConsensusComparison['uniqueClaims'] = [];
  const all = answered.flatMap((r) => r.answer.claims.map((c) => ({ ...c, model: r.label })));
  const used = new Set<number>();
  all.forEach((c, i) => {
    if (used.has(i)) return;
    const matches = all
      .map((o, j) => ({ o, j }))
      .filter(({ o, j }) => j > i && !used.has(j) && o.model !== c.model && similar(c.claim, o.claim));
    if (matches.length) {
      matches.forEach(({ j }) => used.add(j));
      sharedClaims.push({ claim: c.claim, models: [c.model, ...new Set(matches.map(({ o }) => o.model))] });
    } else uniqueClaims.push({ claim: c.claim, kind: c.kind, model: c.model });
    used.add(i);
  });
  const positionsAgree = positions.length <= 1;
  // Behaviour is testable: if the models disagree and any of them reasons about behaviour, tests must settle it.
  const behaviouralDisagreement =
    !positionsAgree && answered.some((r) => r.answer.claims.some((c) => c.kind === 'behaviour'));
  return {
    positions,
    positionsAgree,
    sharedClaims,
    uniqueClaims,
    behaviouralDisagreement,
    referee: behaviouralDisagreement
      ? 'The models disagree about behaviour: tests decide, not model reputation. Run `mm referee` with a test that pins the behaviour.'
      : null,
  };
}
