/**
 * PR cross-review (§5.2): each packet chunk goes to the reviewer, replies are validated
 * and merged into one verdict. If any chunk could not be reviewed the whole review has
 * that status and NO verdict: a partial LGTM would read as a pass it never earned.
 */
import type { InvokeContext, InvokeFn } from '../../providers/index.ts';
import type { InvokeStatus } from '../../providers/types.ts';
import type { Packet } from '../../context/packet.ts';
import { invokeStructured } from '../structured.ts';
import { diffReviewPrompt, type ReviewSteer } from './prompts.ts';
import type { Reviewer } from './reviewer.ts';
import { diffVerdictSchema, jsonSchemaOf, type DiffFinding, type DiffVerdict } from './verdicts.ts';

export interface DiffReviewResult {
  reviewer: Reviewer;
  status: InvokeStatus;
  /** Present only when status is "ok". */
  verdict?: DiffVerdict;
  error?: string;
  /**
   * Models that actually answered, when not the reviewer's own: only Gemini's documented
   * Pro→Flash retry on a 429 (models.gemini.flash_fallback_on_rate_limit) does this.
   */
  answered_by?: string[];
  chunks: number;
  costUsd: number | null;
  latencyMs: number;
}

export interface DiffReviewInput {
  packet: Packet;
  compared: string;
  changedFiles: string[];
  reviewer: Reviewer;
  invoke: InvokeFn;
  ctx: InvokeContext;
  cwd: string;
  timeoutMs?: number;
  /** Chunks sent at once (CLIs are heavy; two is the shared-machine budget). */
  concurrency?: number;
  /** `--focus` / `--adversarial`: what the user asked the reviewer to look at. */
  steer?: ReviewSteer;
  /** Called as each chunk's review comes back (progress). */
  onChunkDone?: () => void;
}

export async function reviewDiff(input: DiffReviewInput): Promise<DiffReviewResult> {
  const { packet, reviewer } = input;
  const started = Date.now();
  // An empty packet must never merge into an LGTM nobody gave.
  if (packet.chunks.length === 0)
    return {
      reviewer,
      status: 'failed',
      error: 'nothing reviewable in the change (binary files only?)',
      chunks: 0,
      costUsd: null,
      latencyMs: 0,
    };
  const schema = jsonSchemaOf(diffVerdictSchema);
  const results = await mapLimit(packet.chunks, input.concurrency ?? 2, (chunk) =>
    invokeStructured(
      input.invoke,
      reviewer.provider,
      {
        prompt: chunkPrompt(input, packet, chunk),
        model: reviewer.model,
        effort: reviewer.effort,
        sandbox: 'read-only',
        schema,
        cwd: input.cwd,
        task: 'pr_cross_review',
        checkpoint: 'pr_cross_review',
        // The named reviewer or no review: a stand-in model would not be the review asked for.
        fallback: false,
        timeoutMs: input.timeoutMs,
      },
      input.ctx,
      diffVerdictSchema,
    ).finally(() => input.onChunkDone?.()),
  );
  const costs = results.map((r) => r.result.costUsd);
  const base = {
    reviewer,
    chunks: packet.chunks.length,
    costUsd: costs.every((c) => c === null) ? null : costs.reduce<number>((n, c) => n + (c ?? 0), 0),
    latencyMs: Date.now() - started,
  };
  const failed = results.find((r) => !r.ok);
  if (failed && !failed.ok) {
    const which = results.length > 1 ? ` (chunk ${results.indexOf(failed) + 1} of ${results.length})` : '';
    return { ...base, status: failed.status, error: `${failed.error}${which}` };
  }
  const answeredBy = [...new Set(results.map((r) => r.result.model))];
  if (answeredBy.some((m) => m !== reviewer.model)) Object.assign(base, { answered_by: answeredBy });
  const verdicts = results.map((r) => (r.ok ? r.value : undefined)).filter((v): v is DiffVerdict => v !== undefined);
  return { ...base, status: 'ok', verdict: mergeVerdicts(verdicts) };
}

/** The prompt for one chunk: what `--dry-run` shows (after the same guard) and what is sent. */
export function chunkPrompt(
  input: { compared: string; changedFiles: string[]; steer?: ReviewSteer },
  packet: Packet,
  chunk: Packet['chunks'][number],
): string {
  return diffReviewPrompt({
    compared: input.compared,
    changedFiles: input.changedFiles,
    chunk: { index: chunk.index, of: packet.chunks.length, text: chunk.text },
    steer: input.steer,
  });
}

function mergeVerdicts(verdicts: DiffVerdict[]): DiffVerdict {
  const findings = verdicts.flatMap((v) => v.findings);
  return {
    verdict: verdicts.some((v) => v.verdict === 'ISSUES') ? 'ISSUES' : 'LGTM',
    summary: verdicts
      .map((v) => v.summary.trim())
      .filter(Boolean)
      .join(' '),
    findings: findings.sort(bySeverityThenPlace),
  };
}

const RANK = { critical: 0, high: 1, medium: 2, low: 3, info: 4 } as const;
function bySeverityThenPlace(a: DiffFinding, b: DiffFinding): number {
  return RANK[a.severity] - RANK[b.severity] || a.file.localeCompare(b.file) || a.line_start - b.line_start;
}

async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

export interface Comparison {
  agreements: Array<{ a: DiffFinding; b: DiffFinding }>;
  onlyA: DiffFinding[];
  onlyB: DiffFinding[];
  verdictsAgree: boolean;
}

/** Two reviews side by side: findings on the same file with overlapping lines (±3) agree. */
export function compareReviews(a: DiffVerdict, b: DiffVerdict, slack = 3): Comparison {
  const usedB = new Set<number>();
  const agreements: Comparison['agreements'] = [];
  const onlyA: DiffFinding[] = [];
  for (const fa of a.findings) {
    const j = b.findings.findIndex(
      (fb, i) =>
        !usedB.has(i) &&
        fb.file === fa.file &&
        fb.line_start <= fa.line_end + slack &&
        fa.line_start <= fb.line_end + slack,
    );
    if (j === -1) onlyA.push(fa);
    else {
      usedB.add(j);
      agreements.push({ a: fa, b: b.findings[j]! });
    }
  }
  return {
    agreements,
    onlyA,
    onlyB: b.findings.filter((_, i) => !usedB.has(i)),
    verdictsAgree: a.verdict === b.verdict,
  };
}
