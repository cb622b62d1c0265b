/** What every workflow handler needs: config, registry, project root, the invoke context, progress. */
import { projectRoot } from '../../config/locate.ts';
import type { InvokeContext } from '../../providers/index.ts';
import type { ProgressEvent } from '../../workflows/fanout/run.ts';
import type { CommandContext } from '../spec.ts';
import { loadConfigFor } from '../config-context.ts';

export async function workflowContext(ctx: CommandContext) {
  const loaded = await loadConfigFor(ctx);
  const root = projectRoot(ctx.cwd, loaded.path);
  const invokeCtx: InvokeContext = { loaded, registry: loaded.registry, env: ctx.env, root };
  return { ...loaded, root, invokeCtx };
}

/** One line per finished call on stderr, only on a terminal (stdout stays clean for --json). */
export function progressPrinter(ctx: CommandContext): ((e: ProgressEvent) => void) | undefined {
  if (!ctx.isTTY) return undefined;
  return ({ done, total, result }) =>
    ctx.stderr(
      `[${done}/${total}] ${result.ok ? '✓' : '✗'} ${result.label} (${result.model})${result.ok ? '' : `: ${result.error}`}`,
    );
}

export const seconds = (flag: unknown): number | undefined =>
  typeof flag === 'number' && flag > 0 ? flag * 1000 : undefined;

export const stringList = (flag: unknown): string[] =>
  Array.isArray(flag) ? flag : typeof flag === 'string' ? [flag] : [];
