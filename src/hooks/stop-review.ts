/**
 * The Stop hook's full check, loaded only when the fast gate says "maybe": runs the
 * `mm check` thresholds and, when pr_cross_review is "auto" and triggered, reviews the
 * change and blocks the stop with the findings. Never loops (one review per distinct
 * change, a round cap per session) and fails OPEN: a reviewer that cannot run leaves a
 * visible notice and never blocks, and is never reported as a pass; it is not called
 * again on later stops until the change itself changes.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../config/load.ts';
import { projectRoot } from '../config/locate.ts';
import type { InvokeFn } from '../providers/index.ts';
import { buildRegistry } from '../registry/registry.ts';
import { currentRunDir, recordCheckpoint, recordReview } from '../runs/records.ts';
import { writeFileAtomic } from '../util/atomic-write.ts';
import { buildReviewPacket } from '../workflows/review/diff-packet.ts';
import type { DiffReviewResult } from '../workflows/review/diff-review.ts';
import { assessChange, runReviews } from '../workflows/review/diff-run.ts';
import { renderDiffReview } from '../workflows/review/render.ts';
import { pickReviewers } from '../workflows/review/reviewer.ts';
import type { StopHookInput } from './stop-gate.ts';

export interface HookOutput {
  /** Always 0: the hook speaks through JSON on stdout (block or notice). */
  code: number;
  stdout: string;
}

const DEFAULT_MAX_ROUNDS = 2;
const silent: HookOutput = { code: 0, stdout: '' };
const notice = (message: string): HookOutput => ({ code: 0, stdout: JSON.stringify({ systemMessage: message }) });

interface HookState {
  sessions: Record<string, { rounds: number; reviewed: string[] }>;
  /**
   * The last change whose review could not run (unavailable, auth, timeout, …) in this
   * run. Later stops on the same change fail open without paying for another call that
   * would most likely fail the same way; a different change tries again.
   */
  could_not_run?: { fingerprint: string; status: string; error: string; at: string };
}

export async function stopReview(opts: {
  input: StopHookInput;
  cwd: string;
  configPath: string;
  env: NodeJS.ProcessEnv;
  invoke: InvokeFn;
  maxRounds?: number;
}): Promise<HookOutput> {
  const maxRounds = opts.maxRounds ?? DEFAULT_MAX_ROUNDS;
  try {
    const loaded = await loadConfig({ cwd: opts.cwd, explicitPath: opts.configPath, env: opts.env });
    const { config } = loaded;
    if (config.checkpoints.pr_cross_review !== 'auto') return silent;
    const registry = buildRegistry(config);
    const root = projectRoot(opts.cwd, loaded.path);
    const { change, size, suggestion } = await assessChange({
      cwd: opts.cwd,
      scope: { kind: 'head' },
      config,
      registry,
      plainClaudeCode: false,
    });
    if (suggestion?.mode !== 'auto') return silent;

    const session = opts.input.session_id ?? 'unknown-session';
    const statePath = join(currentRunDir(root, opts.env), 'hook-stop.json');
    const state = readState(statePath);
    const mine = (state.sessions[session] ??= { rounds: 0, reviewed: [] });
    if (mine.rounds >= maxRounds) {
      return notice(
        `mm: cross-review cap reached (${maxRounds} rounds this session); not reviewing again. Run \`mm review diff --yes\` to review by hand.`,
      );
    }
    let reviewers;
    try {
      reviewers = pickReviewers(undefined, config, registry, size);
    } catch (e) {
      return couldNotRun('no reviewer', (e as Error).message);
    }
    const reviewer = reviewers[0]!;
    const { packet } = await buildReviewPacket({
      cwd: opts.cwd,
      scope: { kind: 'head' },
      config,
      registry,
      reviewers: [reviewer],
    });
    if (packet.chunks.length === 0) return silent; // binary-only change: nothing a reviewer can read
    const fingerprint = createHash('sha256')
      .update(packet.chunks.map((c) => c.text).join('\0'))
      .digest('hex')
      .slice(0, 16);
    if (mine.reviewed.includes(fingerprint)) return silent; // this exact change was reviewed already
    const failed = state.could_not_run;
    if (failed?.fingerprint === fingerprint) {
      return couldNotRun(
        failed.status,
        `${failed.error ? `${failed.error}; ` : ''}not retried for the same change (failed at ${failed.at}); it runs again when the change changes, or run \`mm review diff --yes\``,
      );
    }
    const rememberFailure = (status: string, error: string): HookOutput => {
      state.could_not_run = { fingerprint, status, error, at: new Date().toISOString() };
      writeFileAtomic(statePath, `${JSON.stringify(state, null, 2)}\n`);
      return couldNotRun(status, error);
    };

    recordCheckpoint(root, opts.env, {
      checkpoint: 'pr_cross_review',
      mode: 'auto',
      action: 'run',
      reason: suggestion.reason,
      command: 'mm hook stop',
    });
    let result: DiffReviewResult;
    try {
      result = (
        await runReviews({
          packet,
          change,
          reviewers: [reviewer],
          config,
          invoke: opts.invoke,
          ctx: { loaded, registry, env: opts.env, root },
        })
      ).results[0]!;
    } catch (e) {
      return rememberFailure('error', (e as Error).message);
    }
    recordReview(root, opts.env, 'diff', { via: 'hook stop', session, fingerprint, result });
    if (result.status !== 'ok' || !result.verdict) return rememberFailure(result.status, result.error ?? '');

    delete state.could_not_run;
    mine.reviewed.push(fingerprint);
    mine.rounds += 1;
    writeFileAtomic(statePath, `${JSON.stringify(state, null, 2)}\n`);
    if (result.verdict.verdict === 'LGTM')
      return notice(`mm: ${reviewer.model} cross-reviewed the change (${suggestion.trigger}): LGTM.`);
    return {
      code: 0,
      stdout: JSON.stringify({
        decision: 'block',
        reason: [
          `Checkpoint pr_cross_review is "auto" and triggered (${suggestion.trigger}). An external review found issues:`,
          '',
          renderDiffReview(result),
          '',
          `Weigh each finding: fix what is right, say why where it is wrong. Nothing was applied. (Review round ${mine.rounds} of at most ${maxRounds} this session.)`,
        ].join('\n'),
      }),
    };
  } catch (e) {
    return couldNotRun('error', (e as Error).message);
  }
}

function couldNotRun(status: string, error: string): HookOutput {
  return notice(
    `mm: the cross-review could not run (${status}${error ? `: ${error}` : ''}). The stop was NOT blocked, and this is NOT a pass.`,
  );
}

function readState(path: string): HookState {
  if (!existsSync(path)) return { sessions: {} };
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as HookState;
    return parsed && typeof parsed.sessions === 'object' ? parsed : { sessions: {} };
  } catch {
    return { sessions: {} };
  }
}
