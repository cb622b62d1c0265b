import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import pkg from '../../../package.json' with { type: 'json' };
import { projectRoot } from '../../config/locate.ts';
import { tokensForChars } from '../../util/tokens.ts';
import type { ChangeScope } from '../../git/change.ts';
import { invokeModel, type InvokeFn } from '../../providers/index.ts';
import { recordReview } from '../../runs/records.ts';
import { writeFileAtomic } from '../../util/atomic-write.ts';
import { MmError } from '../../util/errors.ts';
import { checkOutputPath, tryRecord } from '../../util/record-failures.ts';
import { decideCheckpoint } from '../../workflows/checkpoint.ts';
import { guardSecrets } from '../../secrets/guard.ts';
import { buildReviewPacket } from '../../workflows/review/diff-packet.ts';
import { chunkPrompt } from '../../workflows/review/diff-review.ts';
import { assessChange, runReviews } from '../../workflows/review/diff-run.ts';
import { renderDiffReview, renderSideBySide } from '../../workflows/review/render.ts';
import { pickGemini, pickReviewers, reviewerForModel, type Reviewer } from '../../workflows/review/reviewer.ts';
import { progress } from '../../jobs/progress.ts';
import { steerFrom } from './review-steer.ts';
import { toSarif } from '../../workflows/review/sarif.ts';
import type { Handler } from '../spec.ts';
import { rerunCommand } from '../rerun.ts';
import { applyDecision } from '../checkpoint-output.ts';
import { exitForStatus } from '../exit-codes.ts';
import { loadConfigFor, printJson } from '../config-context.ts';

/** `invoke` is injectable so tests drive the handler with scripted providers. */
export function makeReviewDiff(invoke: InvokeFn): Handler {
  return async (args, ctx) => {
    const { flags } = args;
    if (flags.staged && flags.base)
      throw new MmError('usage', 'mm review diff: --staged and --base cannot be combined');
    // Checked before anything is paid for: a bad path must not cost a review.
    if (typeof flags.sarif === 'string') checkOutputPath(resolve(ctx.cwd, flags.sarif), '--sarif');
    const scope: ChangeScope = flags.staged
      ? { kind: 'staged' }
      : typeof flags.base === 'string'
        ? { kind: 'base', ref: flags.base }
        : { kind: 'head' };
    const loaded = await loadConfigFor(ctx);
    const { config, registry, path } = loaded;
    const root = projectRoot(ctx.cwd, path);
    const contextLines = (flags.context as number | undefined) ?? 3;
    const {
      change,
      size: changeSize,
      suggestion,
    } = await assessChange({
      cwd: ctx.cwd,
      scope,
      config,
      registry,
      plainClaudeCode: !path,
    });
    if (change.files.length === 0) {
      if (ctx.json)
        printJson(ctx, { compared: change.compared, files_changed: 0, ran: false, reason: 'nothing to review' });
      else ctx.stdout(`${change.compared}: no changes, nothing to review.`);
      return 0;
    }
    const withOpt = flags.with as 'gemini' | 'codex' | 'both' | undefined;
    // Decided before anything can fail: a dry run or a skipped checkpoint needs no enabled reviewer.
    const model = typeof flags.model === 'string' ? flags.model : undefined;
    let reviewers: Reviewer[] | MmError;
    try {
      reviewers = model
        ? [reviewerForModel(model, withOpt, config, registry)]
        : pickReviewers(withOpt, config, registry, changeSize);
    } catch (e) {
      if (!(e instanceof MmError)) throw e;
      reviewers = e;
    }
    // A --model the registry does not know is a usage error before anything else happens.
    if (model && reviewers instanceof MmError && reviewers.kind !== 'unavailable') throw reviewers;
    const tentative =
      reviewers instanceof MmError
        ? [pickGemini(config, changeSize.files, changeSize.securityFiles, changeSize.architecture)]
        : reviewers;
    const reviewPacket = await buildReviewPacket({
      cwd: ctx.cwd,
      scope,
      contextLines,
      config,
      registry,
      reviewers: tentative,
    });
    const { packet, withheld } = reviewPacket;
    const changedFiles = change.files.map((f) => f.path);
    const steer = steerFrom(flags);

    if (flags['dry-run']) {
      // Exactly what would leave: each chunk's prompt after the same guard invokeModel applies.
      const sent = (c: (typeof packet.chunks)[number]) =>
        guardSecrets(
          { prompt: chunkPrompt({ compared: change.compared, changedFiles, steer }, packet, c), cwd: ctx.cwd },
          config.secrets,
        ).prompt;
      const summary = {
        compared: change.compared,
        reviewers: tentative,
        files: packet.files,
        hunks: packet.hunks,
        tokens: packet.tokens,
        whole_file_tokens: wholeFileTokens(change.root, change.files),
        chunk_limit: reviewPacket.chunkLimit,
        withheld,
        chunks: packet.chunks.map((c) => ({
          index: c.index,
          files: c.files,
          tokens: c.tokens,
          oversized: c.oversized,
          text: c.text,
          prompt: sent(c),
        })),
        skipped: packet.skipped,
        repo_map: reviewPacket.related ? 'used' : 'absent (run `mm map` to add related files)',
      };
      if (ctx.json) printJson(ctx, summary);
      else
        ctx.stdout(
          [
            `Packet: ${packet.files} files, ${packet.hunks} hunks, ~${packet.tokens} tokens in ${packet.chunks.length} chunk(s); reviewer: ${tentative.map((r) => r.model).join(' + ')}`,
            ...(withheld.length ? ['Not sent:', ...withheld.map((w) => `  ${visible(w)}`)] : []),
            ...packet.chunks.map(
              (c) => `\n--- prompt for chunk ${c.index + 1} (~${c.tokens} tokens), as sent ---\n${sent(c)}`,
            ),
          ].join('\n'),
        );
      return 0;
    }

    if (packet.chunks.length === 0) {
      const why = packet.skipped.map((s) => `${s.path} (${s.why})`).join(', ') || 'no text hunks';
      if (ctx.json)
        printJson(ctx, {
          compared: change.compared,
          files_changed: change.files.length,
          ran: false,
          reason: `nothing reviewable: ${why}`,
        });
      else ctx.stdout(`${change.compared}: nothing reviewable as text (${why}); no review was run.`);
      return 0;
    }
    const t = config.thresholds;
    const decision = decideCheckpoint({
      name: 'pr_cross_review',
      mode: config.checkpoints.pr_cross_review,
      triggered: suggestion !== undefined,
      trigger:
        suggestion?.trigger ??
        `${change.files.length} file(s) changed, no security pattern (review suggested above ${t.files_changed_suggest_review} files or on a security pattern)`,
      explicit: withOpt !== undefined || model !== undefined,
      confirmed: flags.yes === true,
    });
    // The re-run after "ask" must produce the same output: keep every flag that shapes it.
    const command = rerunCommand(ctx.command, args);
    const stop = applyDecision(
      ctx,
      root,
      command,
      decision,
      `cross-review this change with ${tentative.map((r) => r.model).join(' + ')} (${tentative[0]!.why})`,
    );
    if (stop !== null) return stop;
    if (reviewers instanceof MmError) throw reviewers;

    // Like `mm ask`: say what was left out (names and kinds, never values).
    for (const w of withheld) ctx.stderr(`mm: ${visible(w)}`);
    const invokeCtx = { loaded, registry, env: ctx.env, root };
    let reviewed = 0;
    const total = packet.chunks.length * reviewers.length;
    progress({ phase: 'reviewing the diff', model: reviewers.map((r) => r.model).join(' + '), done: 0, total });
    const { results, comparison } = await runReviews({
      packet,
      change,
      reviewers,
      config,
      invoke,
      ctx: invokeCtx,
      steer,
      onChunkDone: () => progress({ done: ++reviewed, total }),
    });
    let recorded: string | null = null;
    tryRecord('the review record under .claude/mm/runs', () => {
      recorded = recordReview(root, ctx.env, 'diff', {
        compared: change.compared,
        packet: { files: packet.files, hunks: packet.hunks, tokens: packet.tokens, chunks: packet.chunks.length },
        decision,
        results,
        comparison,
      });
    });

    const sarifWritten =
      typeof flags.sarif === 'string' &&
      tryRecord(`--sarif ${flags.sarif}`, () =>
        writeFileAtomic(
          resolve(ctx.cwd, flags.sarif as string),
          `${JSON.stringify(toSarif(results, pkg.version), null, 2)}\n`,
        ),
      );
    if (ctx.json) {
      printJson(ctx, {
        compared: change.compared,
        checkpoint: decision,
        packet: { files: packet.files, hunks: packet.hunks, tokens: packet.tokens, chunks: packet.chunks.length },
        withheld,
        reviews: results,
        comparison,
        recorded,
      });
    } else {
      ctx.stdout(results.length === 2 ? renderSideBySide(results[0]!, results[1]!) : renderDiffReview(results[0]!));
      ctx.stdout('\nFindings are input for Claude to weigh; nothing was applied.');
      if (sarifWritten) ctx.stdout(`SARIF written to ${flags.sarif}`);
    }
    const failed = results.find((r) => r.status !== 'ok');
    return failed ? exitForStatus(failed.status) : 0;
  };
}

export const runReviewDiff: Handler = makeReviewDiff(invokeModel);

/** What dumping every changed file whole would cost: the baseline the packet is measured against. */
function wholeFileTokens(root: string, files: Array<{ path: string; status: string }>): number {
  let bytes = 0;
  for (const f of files) {
    try {
      if (f.status !== 'deleted') bytes += statSync(join(root, f.path)).size;
    } catch {
      // gone since the diff: nothing to dump
    }
  }
  return tokensForChars(bytes);
}

/** Control characters in a file name (a tab, a newline) shown as escapes, not as layout. */
function visible(text: string): string {
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  return text.replace(/[\u0000-\u001f\u007f]/g, (c) => JSON.stringify(c).slice(1, -1));
}
