/** What every workflow handler needs: config, registry, project root, the invoke context, progress. */
import { projectRoot } from '../../config/locate.ts';
import { invokeModel, type InvokeContext } from '../../providers/index.ts';
import type { ExecuteOptions } from '../../workflows/fanout/execute.ts';
import type { ProgressEvent } from '../../workflows/fanout/run.ts';
import type { CommandContext } from '../spec.ts';
import { progress } from '../../jobs/progress.ts';
import { loadConfigFor } from '../config-context.ts';

export async function workflowContext(ctx: CommandContext) {
  const loaded = await loadConfigFor(ctx);
  const root = projectRoot(ctx.cwd, loaded.path);
  const invokeCtx: InvokeContext = { loaded, registry: loaded.registry, env: ctx.env, root };
  return { ...loaded, root, invokeCtx };
}

/**
 * Each finished call as progress (src/jobs/progress.ts): a line on stderr at a terminal,
 * progress.json in a background job, nothing under --json or in a pipe.
 */
export function progressPrinter(_ctx?: CommandContext, phase?: string): (e: ProgressEvent) => void {
  if (phase) progress({ phase });
  return ({ done, total, result }) =>
    progress({
      done,
      total,
      message: `${result.ok ? '✓' : '✗'} ${result.label} (${result.model})${result.ok ? '' : `: ${result.error}`}`,
    });
}

/** The options of one fan-out style run (fanout, develop, qa, journal), from the workflow context. */
export function runOptions(
  ctx: CommandContext,
  wf: Pick<Awaited<ReturnType<typeof workflowContext>>, 'config' | 'registry' | 'root' | 'invokeCtx'>,
  phase: string,
  timeoutFlag?: unknown,
): ExecuteOptions {
  return {
    invoke: invokeModel,
    ctx: wf.invokeCtx,
    config: wf.config,
    registry: wf.registry,
    cwd: ctx.cwd,
    root: wf.root,
    env: ctx.env,
    timeoutMs: seconds(timeoutFlag),
    onProgress: progressPrinter(ctx, phase),
  };
}

export const seconds = (flag: unknown): number | undefined =>
  typeof flag === 'number' && flag > 0 ? flag * 1000 : undefined;

export const stringList = (flag: unknown): string[] =>
  Array.isArray(flag) ? flag : typeof flag === 'string' ? [flag] : [];
