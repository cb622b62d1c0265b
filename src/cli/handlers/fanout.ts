import type { Handler } from '../spec.ts';
import { confirmAndReport, printResults } from '../fanout-output.ts';
import { MmError } from '../../util/errors.ts';
import { executeAsRun, materialize } from '../../workflows/fanout/execute.ts';
import { ignoredParams } from '../../workflows/fanout/ignored.ts';
import { planFanout } from '../../workflows/fanout/plan.ts';
import { withNamedFiles } from '../../workflows/fanout/spec-files.ts';
import { loadTasks, specTask } from '../../workflows/fanout/tasks.ts';
import type { FanoutMode } from '../../workflows/fanout/types.ts';
import { runOptions, stringList, workflowContext } from './workflow-context.ts';

export const runFanoutCommand: Handler = async ({ flags }, ctx) => {
  const mode = flags.mode as FanoutMode | undefined;
  if (!mode) throw new MmError('usage', 'mm fanout needs --mode competitive|division|swarm');
  const { config, registry, root, invokeCtx } = await workflowContext(ctx);
  const planned = planFanout(
    mode,
    {
      specs: stringList(flags.spec).map((p) => specTask(p, ctx.cwd)),
      tasks: typeof flags.tasks === 'string' ? loadTasks(flags.tasks, ctx.cwd) : [],
      models: stringList(flags.model),
      prompt: typeof flags.prompt === 'string' ? flags.prompt : undefined,
    },
    config,
    registry,
  );
  // Competitive and division calls get the files their spec names; swarm tasks stand alone.
  const named = mode === 'swarm' ? { calls: planned, skipped: [] } : withNamedFiles(planned, ctx.cwd, config, registry);
  for (const s of named.skipped) ctx.stderr(`mm: ${s.label}: not attaching ${s.path} (${s.why})`);
  const calls = named.calls;
  await confirmAndReport(ctx, calls, registry, config, flags.yes === true, 'mm fanout');
  const out = await executeAsRun(
    'fanout',
    calls,
    {
      ...runOptions(ctx, { config, registry, root, invokeCtx }, `fanout ${mode}`, flags.timeout),
    },
    `fanout ${mode} (${calls.length} calls)`,
    { mode },
  );
  const materialized = flags.materialize === true ? materialize(root, out.runId, out.results) : null;
  printResults(ctx, out, materialized, ignoredParams(calls, registry, invokeCtx));
  return out.summary.succeeded > 0 ? 0 : 1;
};
