import { projectRoot } from '../../config/locate.ts';
import { invokeModel, type InvokeFn } from '../../providers/index.ts';
import { recordReview } from '../../runs/records.ts';
import { MmError } from '../../util/errors.ts';
import { applyStances, collectAnswers, compareAnswers, participantsFrom } from '../../workflows/consensus/consensus.ts';
import { NOT_A_VERDICT } from '../../workflows/review/render.ts';
import type { Handler } from '../spec.ts';
import { progress } from '../../jobs/progress.ts';
import { exitForStatus } from '../exit-codes.ts';
import { loadConfigFor, printJson } from '../config-context.ts';

export function makeConsensus(invoke: InvokeFn): Handler {
  return async ({ flags, text }, ctx) => {
    if (typeof flags.models !== 'string') throw new MmError('usage', 'mm consensus: --models A,B[,C] is required');
    const question = text['prompt-file'];
    if (typeof question !== 'string') throw new MmError('usage', 'mm consensus: --prompt-file FILE is required');
    const loaded = await loadConfigFor(ctx);
    const { registry, path } = loaded;
    const root = projectRoot(ctx.cwd, path);
    const listed = participantsFrom(flags.models, registry);
    const participants = typeof flags.stance === 'string' ? applyStances(listed, flags.stance) : listed;
    progress({ phase: 'collecting answers', model: participants.map((p) => p.label).join(' + ') });
    const results = await collectAnswers({
      question,
      participants,
      invoke,
      ctx: { loaded, registry, env: ctx.env, root },
      cwd: root,
    });
    const answered = results.filter((r) => r.status === 'ok');
    const comparison = answered.length >= 2 ? compareAnswers(results) : null;
    const recorded = recordReview(root, ctx.env, 'consensus', { question: flags['prompt-file'], results, comparison });
    if (ctx.json) printJson(ctx, { results, comparison, recorded });
    else {
      const lines: string[] = [];
      for (const r of results) {
        lines.push(
          r.answer
            ? `## ${r.label}${r.stance ? ` [stance: ${r.stance}]` : ''}: ${r.answer.position} (${r.answer.confidence})\n${r.answer.answer}`
            : `## ${r.label}: COULD NOT RUN (${r.status})\n${r.error ?? ''}\n${NOT_A_VERDICT}`,
          '',
        );
      }
      if (!comparison) lines.push('Fewer than two models answered: no consensus to report.');
      else {
        // A model that could not answer has no position: "all" would count it as agreeing.
        const who =
          answered.length < results.length ? `the ${answered.length} that answered (of ${results.length})` : 'all';
        lines.push(
          comparison.positionsAgree
            ? `## Agreement: ${who} say "${comparison.positions[0]?.position}"`
            : '## Disagreement on the answer',
        );
        if (!comparison.positionsAgree)
          for (const p of comparison.positions) lines.push(`- "${p.position}": ${p.models.join(', ')}`);
        lines.push(
          '',
          `Shared claims (${comparison.sharedClaims.length}):`,
          ...comparison.sharedClaims.map((c) => `- ${c.claim} [${c.models.join(', ')}]`),
        );
        lines.push(
          '',
          `Claims only one model made (${comparison.uniqueClaims.length}):`,
          ...comparison.uniqueClaims.map((c) => `- (${c.kind}) ${c.claim} [${c.model}]`),
        );
        if (comparison.referee) lines.push('', comparison.referee);
      }
      ctx.stdout(lines.join('\n'));
    }
    // Fewer than two answers is a consensus that could not be formed.
    const failed = results.find((r) => r.status !== 'ok');
    return answered.length >= 2 ? 0 : exitForStatus(failed?.status ?? 'failed');
  };
}

export const runConsensus: Handler = makeConsensus(invokeModel);
