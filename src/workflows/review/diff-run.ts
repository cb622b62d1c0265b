/**
 * The cross-review of a change as `mm review diff` and the Stop hook both run it: read
 * the change and whether the pr_cross_review trigger fires, then send the packet to each
 * reviewer at once. The callers decide around these steps (checkpoint and printing for
 * the command, session cap and block/notice for the hook); nothing here prints.
 */
import type { Config } from '../../config/schema.ts';
import { analyseChange, type ChangeAnalysis, type ChangeScope } from '../../git/change.ts';
import type { Packet } from '../../context/packet.ts';
import { evaluateThresholds, type Suggestion } from '../../policy/thresholds.ts';
import { calibrationSettings, securityThreshold, withSecurityThreshold } from '../../policy/security-calibration.ts';
import type { InvokeContext, InvokeFn } from '../../providers/index.ts';
import type { Registry } from '../../registry/registry.ts';
import { compareReviews, reviewDiff, type Comparison, type DiffReviewResult } from './diff-review.ts';
import type { ReviewSteer } from './prompts.ts';
import type { ChangeSize, Reviewer } from './reviewer.ts';

export interface AssessedChange {
  change: ChangeAnalysis;
  /** The change as the reviewer choice sees it. */
  size: ChangeSize;
  /** The pr_cross_review suggestion, when its trigger fires. */
  suggestion?: Suggestion;
}

export async function assessChange(opts: {
  cwd: string;
  scope: ChangeScope;
  config: Config;
  registry: Registry;
  /** No config file: thresholds speak as plain Claude Code would. */
  plainClaudeCode: boolean;
}): Promise<AssessedChange> {
  const { config, registry } = opts;
  const patterns = config.thresholds.security_sensitive_patterns;
  const analysed = await analyseChange(opts.cwd, opts.scope, patterns);
  const threshold = securityThreshold(analysed.root, calibrationSettings(config.thresholds), patterns);
  const change = withSecurityThreshold(analysed, threshold);
  const size = {
    files: change.files.length,
    securityFiles: change.securityFiles,
    architecture: change.architecture.changed,
  };
  const suggestion = evaluateThresholds(
    { change, debugCycles: 0, plainClaudeCode: opts.plainClaudeCode, securityThreshold: threshold },
    config,
    registry,
  ).find((s) => s.checkpoint === 'pr_cross_review');
  return { change, size, suggestion };
}

/** Each reviewer's CLI timeout, from its provider's config. */
const reviewTimeoutMs = (reviewer: Reviewer, config: Config): number =>
  1000 * (reviewer.provider === 'codex' ? config.models.codex.timeout_seconds : config.models.gemini.timeout_seconds);

export interface ReviewsResult {
  results: DiffReviewResult[];
  /** Where two reviewers agree and differ; null unless both gave a verdict. */
  comparison: Comparison | null;
}

/** Every reviewer reviews the same packet at once. */
export async function runReviews(opts: {
  packet: Packet;
  change: ChangeAnalysis;
  reviewers: Reviewer[];
  config: Config;
  invoke: InvokeFn;
  ctx: InvokeContext;
  steer?: ReviewSteer;
  onChunkDone?: () => void;
}): Promise<ReviewsResult> {
  const { change } = opts;
  const results = await Promise.all(
    opts.reviewers.map((reviewer) =>
      reviewDiff({
        packet: opts.packet,
        compared: change.compared,
        changedFiles: change.files.map((f) => f.path),
        reviewer,
        invoke: opts.invoke,
        ctx: opts.ctx,
        cwd: change.root,
        timeoutMs: reviewTimeoutMs(reviewer, opts.config),
        steer: opts.steer,
        onChunkDone: opts.onChunkDone,
      }),
    ),
  );
  const [a, b] = results;
  const comparison = results.length === 2 && a!.verdict && b!.verdict ? compareReviews(a!.verdict, b!.verdict) : null;
  return { results, comparison };
}
