import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { invokeModel, type InvokeFn } from '../../providers/index.ts';
import { MmError } from '../../util/errors.ts';
import { applyHandoff } from '../../workflows/handoff/apply.ts';
import { resolveCoder } from '../../workflows/handoff/coder.ts';
import { hardStopBlock } from '../../workflows/handoff/hard-stop.ts';
import { handoffVia } from '../../workflows/handoff/roles.ts';
import { runHandoff, type HandoffRunResult } from '../../workflows/handoff/run.ts';
import {
  handoffDir,
  handoffsDir,
  listHandoffIds,
  nextHandoffId,
  resolveHandoffId,
} from '../../workflows/handoff/store.ts';
import { parseSpec } from '../../workflows/handoff/validate-spec.ts';
import type { CommandContext, Handler } from '../spec.ts';
import { printJson } from '../config-context.ts';
import { EXIT, exitForStatus } from '../exit-codes.ts';
import { stringList, workflowContext } from './workflow-context.ts';

const DEFAULT_CODER_TIMEOUT_S = 1800;
const DEFAULT_VERIFY_TIMEOUT_S = 600;

/**
 * The handoff a positional names: a handoff id, or a spec file. A spec inside the store
 * belongs to its handoff; one elsewhere is copied into a new handoff (its Spec ID when free).
 */
function handoffFor(root: string, ref: string | undefined, cwd: string): string {
  if (!ref?.endsWith('.md')) return resolveHandoffId(root, ref);
  const path = resolve(cwd, ref);
  if (!existsSync(path)) throw new MmError('input', `no spec file ${ref}`);
  const inStore = relative(handoffsDir(root), dirname(path));
  if (inStore && !inStore.startsWith('..') && !inStore.includes('/')) return inStore;
  const specId = parseSpec(readFileSync(path, 'utf8')).specId;
  const id =
    specId && /^[A-Z0-9][\w.-]{0,60}$/i.test(specId) && !listHandoffIds(root).includes(specId)
      ? specId
      : nextHandoffId(root);
  mkdirSync(handoffDir(root, id), { recursive: true });
  copyFileSync(
    path,
    join(handoffDir(root, id), /^code_spec(?:_\d{2,})?\.md$/.test(basename(path)) ? basename(path) : 'code_spec.md'),
  );
  return id;
}

function printRun(ctx: CommandContext, r: HandoffRunResult): void {
  if (ctx.json) {
    printJson(ctx, r);
    return;
  }
  const lines = [`Handoff ${r.handoff}: ${r.coder.name} (${r.coder.model}) — run ${r.run}`];
  for (const s of r.specs) {
    const v = s.verification;
    const verification = !v
      ? ''
      : v.command === null
        ? ' · no verification command'
        : ` · verification ${v.passed ? 'passed' : v.timed_out ? 'timed out' : `FAILED (exit ${v.exit_code})`}`;
    lines.push(`  ${s.name}: ${s.coder === 'ok' ? 'implemented' : `coder ${s.coder}: ${s.error}`}${verification}`);
  }
  lines.push(
    r.files.length
      ? `  ${r.files.length} file(s): ${r.files.map((f) => `${f.path} (${f.action.toLowerCase()} +${f.added}/-${f.removed})`).join(', ')}`
      : '  the coder changed no file',
  );
  lines.push(`  Code Report: ${r.report.path} (${r.report.ok ? 'valid' : 'INVALID'})`);
  for (const p of r.report.problems) lines.push(`    ${p.level === 'error' ? '✗' : '!'} ${p.message}`);
  lines.push(
    '',
    'Nothing was applied to your working tree. Architect: review the report and the patch',
    `  mm runs show ${r.run} --file outputs/patch.diff`,
    `then apply it with: mm handoff apply ${r.run}`,
  );
  ctx.stdout(lines.join('\n'));
}

export function makeHandoffRun(invoke: InvokeFn): Handler {
  return async ({ flags, positionals }, ctx) => {
    const { config, registry, root, invokeCtx } = await workflowContext(ctx);
    const id = handoffFor(root, positionals[0], ctx.cwd);
    const coder = resolveCoder(typeof flags.coder === 'string' ? flags.coder : config.roles.coder, invokeCtx);
    if (flags.yes !== true) {
      // The human gate of the protocol: the user confirms before the coder gets the spec.
      const via = handoffVia(config, registry, coder.model);
      const block = hardStopBlock('coder', coder.name, via === 'model-selector' ? 'model-selector' : 'mm');
      const next = `mm handoff run ${id}${typeof flags.coder === 'string' ? ` --coder ${flags.coder}` : ''} --yes`;
      if (ctx.json) printJson(ctx, { handoff: id, coder: coder.model, needs_confirmation: true, block, next });
      else ctx.stdout(`${block}\n\nAfter "Model Confirmed": ${next}`);
      return EXIT.needs_confirmation;
    }
    const seconds = (flag: unknown, fallback: number) =>
      1000 * (typeof flag === 'number' && flag > 0 ? flag : fallback);
    const result = await runHandoff({
      root,
      id,
      coder,
      invoke,
      ctx: invokeCtx,
      env: ctx.env,
      timeoutMs: seconds(flags.timeout, DEFAULT_CODER_TIMEOUT_S),
      verifyTimeoutMs: seconds(flags['verify-timeout'], DEFAULT_VERIFY_TIMEOUT_S),
      links: stringList(flags.link),
      keepCheckout: flags['keep-checkout'] === true,
      force: flags.force === true,
    });
    printRun(ctx, result);
    if (result.status !== 'ok') return exitForStatus(result.status);
    return result.verified && result.files.length > 0 ? EXIT.ok : EXIT.failed;
  };
}

export const runHandoffRun: Handler = makeHandoffRun(invokeModel);

export const runHandoffApply: Handler = async ({ positionals }, ctx) => {
  const { root } = await workflowContext(ctx);
  const outcome = await applyHandoff(root, positionals[0]);
  if (ctx.json) printJson(ctx, outcome);
  else if (outcome.applied)
    ctx.stdout(
      [
        `Applied run ${outcome.run} (handoff ${outcome.handoff}) to your working tree:`,
        ...outcome.files.map((f) => `  ${f.action.toLowerCase()} ${f.path}`),
        `Check it: mm handoff report validate ${outcome.handoff}`,
      ].join('\n'),
    );
  else ctx.stderr(`mm: handoff apply: ${outcome.reason}`);
  return outcome.applied ? EXIT.ok : EXIT.failed;
};
