import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { projectRoot } from '../../config/locate.ts';
import { invokeModel, type InvokeFn } from '../../providers/index.ts';
import { recordReview } from '../../runs/records.ts';
import { MmError } from '../../util/errors.ts';
import { decideCheckpoint } from '../../workflows/checkpoint.ts';
import { countPlanTasks, reviewPlan } from '../../workflows/review/plan-review.ts';
import { renderCouldNotRun, renderPlanReview } from '../../workflows/review/render.ts';
import type { Handler } from '../spec.ts';
import { progress } from '../../jobs/progress.ts';
import { steerFrom } from './review-steer.ts';
import { applyDecision } from '../checkpoint-output.ts';
import { rerunCommand } from '../rerun.ts';
import { exitForStatus } from '../exit-codes.ts';
import { loadConfigFor, printJson } from '../config-context.ts';

export function makeReviewPlan(invoke: InvokeFn): Handler {
  return async ({ flags, positionals }, ctx) => {
    const planPath = positionals[0]!;
    let plan: string;
    try {
      plan = readFileSync(resolve(ctx.cwd, planPath), 'utf8');
    } catch (e) {
      throw new MmError(
        'input',
        `cannot read plan ${planPath}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`,
      );
    }
    if (!plan.trim()) throw new MmError('input', `plan ${planPath} is empty`);
    const loaded = await loadConfigFor(ctx);
    const { config, registry, path } = loaded;
    const root = projectRoot(ctx.cwd, path);
    const tasks = countPlanTasks(plan);
    const min = config.thresholds.plan_review_min_tasks;
    const withOpt = flags.with as 'codex' | 'gemini' | undefined;
    const decision = decideCheckpoint({
      name: 'plan_review',
      mode: config.checkpoints.plan_review,
      triggered: tasks > min,
      trigger: `the plan has ${tasks} task(s) (auto review above ${min})`,
      explicit: withOpt !== undefined,
      confirmed: flags.yes === true,
    });
    const model = withOpt === 'gemini' ? config.models.gemini.default_model : config.models.codex.default_model;
    const steer = steerFrom(flags);
    const stop = applyDecision(
      ctx,
      root,
      rerunCommand(ctx.command, { flags, positionals }),
      decision,
      `independent plan review by ${model} (read-only) before implementation`,
    );
    if (stop !== null) return stop;

    progress({ phase: 'reviewing the plan', model });
    const result = await reviewPlan({
      planPath,
      plan,
      config,
      invoke,
      ctx: { loaded, registry, env: ctx.env, root },
      cwd: root,
      provider: withOpt,
      steer,
    });
    const recorded = recordReview(root, ctx.env, 'plan', { plan: planPath, tasks, decision, result });
    if (ctx.json) printJson(ctx, { plan: planPath, tasks, checkpoint: decision, review: result, recorded });
    else
      ctx.stdout(
        result.verdict
          ? renderPlanReview(
              result.verdict,
              result.answered_by
                ? `${result.model}, answered by ${result.answered_by} after a rate limit`
                : result.model,
              planPath,
            )
          : renderCouldNotRun('Plan review', result.model, result.status, result.error),
      );
    return exitForStatus(result.status);
  };
}

export const runReviewPlan: Handler = makeReviewPlan(invokeModel);
