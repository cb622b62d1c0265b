import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { projectRoot } from '../../config/locate.ts';
import { optInHelp } from '../../config/opt-in.ts';
import { formatProblems, lintPack } from '../../lint/lint.ts';
import { applyInstall, planInstall, type ActionKind } from '../../pack/install.ts';
import { MmError } from '../../util/errors.ts';
import { assets, packageRoot } from '../../util/package-root.ts';
import type { Handler } from '../spec.ts';
import { printJson } from '../config-context.ts';

const RUNTIME_PREFIX = '.claude/runtime/';

export const runInit: Handler = async ({ flags }, ctx) => {
  const target = typeof flags.target === 'string' ? resolve(ctx.cwd, flags.target) : projectRoot(ctx.cwd, null);
  if (!existsSync(target) || !statSync(target).isDirectory())
    throw new MmError('input', `--target ${target}: no such folder`);
  const source = assets();
  if (resolve(source.pack) === resolve(target, '.claude'))
    throw new MmError('input', 'the target is the multimodel package itself: nothing to copy', {
      hint: 'pass --target DIR',
    });
  const planned = planInstall(source, target);
  const dryRun = flags['dry-run'] === true;
  if (!dryRun) checkWritable(target);
  const actions = dryRun ? planned : applyInstall(target, planned);
  const counts: Record<ActionKind, number> = { create: 0, merge: 0, skip: 0, unchanged: 0 };
  for (const a of actions) counts[a.kind]++;
  if (ctx.json) {
    printJson(ctx, {
      target,
      dryRun,
      counts,
      actions: actions.map(({ kind, path, reason }) => ({ kind, path, reason })),
    });
    return 0;
  }
  const verb: Record<ActionKind, string> = dryRun
    ? { create: 'would create', merge: 'would merge', skip: 'would skip', unchanged: 'unchanged' }
    : { create: 'created', merge: 'merged', skip: 'skipped', unchanged: 'unchanged' };
  // The runtime's ~100 bundle files are one thing to the user: one line per kind.
  const runtime = new Map<ActionKind, number>();
  for (const a of actions) {
    if (a.kind === 'unchanged') continue;
    if (a.path.startsWith(RUNTIME_PREFIX)) runtime.set(a.kind, (runtime.get(a.kind) ?? 0) + 1);
    else ctx.stdout(`${verb[a.kind].padEnd(12)} ${a.path}${a.kind === 'create' ? '' : `  (${a.reason})`}`);
  }
  for (const [kind, n] of runtime)
    ctx.stdout(`${verb[kind].padEnd(12)} ${RUNTIME_PREFIX}  (${n} files: the mm runtime)`);
  ctx.stdout(
    `${dryRun ? 'dry run: nothing written. ' : ''}${counts.create} created, ${counts.merge} merged, ${counts.skip} skipped (yours kept), ${counts.unchanged} unchanged — in ${target}`,
  );
  if (!dryRun && counts.create + counts.merge > 0) ctx.stdout(optInHelp('.claude/config/multi-model.toml'));
  return 0;
};

export const runLint: Handler = async ({ flags }, ctx) => {
  const root = typeof flags.root === 'string' ? resolve(ctx.cwd, flags.root) : packageRoot();
  const result = lintPack(root, { commands: ctx.commands });
  if (ctx.json) {
    printJson(ctx, result);
    return result.problems.length ? 1 : 0;
  }
  if (result.problems.length) ctx.stderr(formatProblems(result.problems));
  const { tokens, limit } = result.budget;
  ctx.stdout(
    `pack lint: ${result.files} files, ${result.problems.length} problem${result.problems.length === 1 ? '' : 's'}; description budget ${tokens}/${limit} tokens (always-loaded skill, agent and command descriptions, ≈4 chars/token)`,
  );
  return result.problems.length ? 1 : 0;
};

/** A read-only target fails here, with nothing written, rather than halfway through the install. */
function checkWritable(target: string): void {
  try {
    rmSync(mkdtempSync(join(target, '.mm-write-check-')), { recursive: true, force: true });
  } catch (e) {
    throw new MmError(
      'input',
      `--target ${target} is not writable (${(e as NodeJS.ErrnoException).code ?? 'error'}): nothing was installed`,
    );
  }
}
