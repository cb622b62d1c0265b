import { existsSync, readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import type { CommandContext, Handler } from '../spec.ts';
import { printJson } from '../config-context.ts';
import { MmError } from '../../util/errors.ts';
import { git } from '../../git/git.ts';
import { hardStopBlock, type HandoffRole } from '../../workflows/handoff/hard-stop.ts';
import type { Problem } from '../../workflows/handoff/problems.ts';
import { handoffVia, roleModelName } from '../../workflows/handoff/roles.ts';
import { parseSpec, validateSpec } from '../../workflows/handoff/validate-spec.ts';
import {
  checkHandoff,
  createReport,
  createSpec,
  listHandoffIds,
  phaseOf,
  readSpecs,
  resolveHandoffId,
} from '../../workflows/handoff/store.ts';
import { workflowContext } from './workflow-context.ts';

const rel = (root: string, path: string) => relative(root, path) || path;

function printProblems(ctx: CommandContext, problems: Problem[]): void {
  for (const p of problems)
    ctx.stdout(
      `  ${p.level === 'error' ? '✗' : '!'} ${p.file ? `${p.file}${p.line ? `:${p.line}` : ''}: ` : ''}${p.message}`,
    );
}

export const runSpecNew: Handler = async ({ flags }, ctx) => {
  if (typeof flags.title !== 'string' || !flags.title.trim())
    throw new MmError('usage', 'mm handoff spec new needs --title', {
      hint: 'e.g. --title "Add retry to the fetcher"',
    });
  const batch = typeof flags.batch === 'number' ? flags.batch : undefined;
  if (batch !== undefined && (batch < 2 || batch > 99)) throw new MmError('usage', '--batch needs 2 to 99 specs');
  const { config, registry, root } = await workflowContext(ctx);
  const { id, files } = createSpec(root, {
    id: typeof flags.id === 'string' ? flags.id : undefined,
    title: flags.title.trim(),
    architect: roleModelName('architect', config, registry),
    priority: flags.priority as 'P0' | 'P1' | 'P2' | undefined,
    batch,
    force: flags.force === true,
  });
  if (ctx.json) printJson(ctx, { id, files: files.map((f) => rel(root, f)) });
  else
    ctx.stdout(
      [
        `Handoff ${id}: fill in ${files.map((f) => rel(root, f)).join(', ')}`,
        `Then: mm handoff spec validate ${id} && mm handoff stop --to coder`,
      ].join('\n'),
    );
  return 0;
};

export const runSpecValidate: Handler = async ({ positionals }, ctx) => {
  const { root } = await workflowContext(ctx);
  const asFile = positionals[0]?.endsWith('.md') ? resolve(ctx.cwd, positionals[0]) : null;
  if (asFile && existsSync(asFile)) {
    // A spec outside the handoff store (e.g. one the skill saved elsewhere).
    const r = validateSpec(readFileSync(asFile, 'utf8'), positionals[0]);
    if (ctx.json) printJson(ctx, { file: positionals[0], ok: r.ok, files: r.spec.files, problems: r.problems });
    else {
      ctx.stdout(`${positionals[0]}: spec ${r.ok ? 'valid' : 'INVALID'}`);
      printProblems(ctx, r.problems);
    }
    return r.ok ? 0 : 1;
  }
  const check = checkHandoff(root, resolveHandoffId(root, positionals[0]));
  const problems = [...check.specs.flatMap((s) => s.problems), ...check.batchProblems];
  if (ctx.json)
    printJson(ctx, {
      id: check.id,
      ok: check.specOk,
      specs: check.specs.map((s) => ({ name: s.name, ok: s.ok, files: s.spec.files })),
      problems,
    });
  else {
    ctx.stdout(
      `${check.id}: spec ${check.specOk ? 'valid' : 'INVALID'} (${check.specs.map((s) => s.name).join(', ')})`,
    );
    printProblems(ctx, problems);
  }
  return check.specOk ? 0 : 1;
};

async function lineCounts(root: string, paths: string[]): Promise<Map<string, string>> {
  const counts = new Map<string, string>();
  const r = await git(['diff', '--numstat', 'HEAD', '--', ...paths], root);
  if (r.code !== 0) return counts;
  for (const line of r.stdout.split('\n')) {
    const [added, removed, path] = line.split('\t');
    if (path && added !== '-') counts.set(path, removed === '0' ? `+${added}` : `+${added} / -${removed}`);
  }
  return counts;
}

export const runReportNew: Handler = async ({ flags, positionals }, ctx) => {
  const { config, registry, root } = await workflowContext(ctx);
  const id = resolveHandoffId(root, positionals[0]);
  const files = readSpecs(root, id).flatMap((s) => parseSpec(s.text).files.map((f) => f.path));
  const lines = existsSync(`${root}/.git`) && files.length ? await lineCounts(root, files) : new Map<string, string>();
  const path = createReport(root, id, {
    coder: roleModelName('coder', config, registry),
    force: flags.force === true,
    lines,
  });
  if (ctx.json) printJson(ctx, { id, report: rel(root, path) });
  else
    ctx.stdout(
      [
        `Handoff ${id}: fill in ${rel(root, path)}`,
        `Then: mm handoff report validate ${id} && mm handoff stop --to architect`,
      ].join('\n'),
    );
  return 0;
};

export const runReportValidate: Handler = async ({ positionals }, ctx) => {
  const { root } = await workflowContext(ctx);
  const check = checkHandoff(root, resolveHandoffId(root, positionals[0]));
  if (!check.report)
    throw new MmError('input', `handoff ${check.id} has no code_report.md yet`, {
      hint: `mm handoff report new ${check.id}`,
    });
  const r = check.report;
  if (ctx.json)
    printJson(ctx, {
      id: check.id,
      ok: r.ok,
      files_changed: r.filesChanged,
      test_result: r.testResult,
      architect_todos: r.todos,
      problems: r.problems,
    });
  else {
    ctx.stdout(
      `${check.id}: report ${r.ok ? 'valid' : 'INVALID'} (tests: ${r.testResult ?? 'no result'}; ${r.todos.length} TODO(architect) marker${r.todos.length === 1 ? '' : 's'})`,
    );
    printProblems(ctx, r.problems);
  }
  return r.ok ? 0 : 1;
};

export const runHandoffStatus: Handler = async ({ positionals }, ctx) => {
  const { root } = await workflowContext(ctx);
  const ids = positionals[0] ? [resolveHandoffId(root, positionals[0])] : listHandoffIds(root);
  const rows = ids.map((id) => {
    const check = checkHandoff(root, id);
    const { phase, next } = phaseOf(check);
    return {
      id,
      title: check.specs[0]?.spec.title ?? null,
      specs: check.specs.length,
      spec_ok: check.specOk,
      report: check.report ? (check.report.ok ? 'valid' : 'invalid') : 'none',
      phase,
      next,
    };
  });
  if (ctx.json) printJson(ctx, { handoffs: rows });
  else if (rows.length === 0) ctx.stdout('No handoffs yet. Start one with: mm handoff spec new --title "…"');
  else
    for (const r of rows)
      ctx.stdout(
        `${r.id}  ${r.title ?? '(untitled)'}\n  specs: ${r.specs} (${r.spec_ok ? 'valid' : 'invalid'}) · report: ${r.report}\n  next: ${r.next}`,
      );
  return 0;
};

export const runHandoffStop: Handler = async ({ flags }, ctx) => {
  if (flags.to !== 'coder' && flags.to !== 'architect')
    throw new MmError('usage', 'mm handoff stop needs --to coder or --to architect');
  const { config, registry } = await workflowContext(ctx);
  const role = flags.to as HandoffRole;
  const model = roleModelName(role, config, registry);
  const via = handoffVia(config, registry);
  const block = hardStopBlock(role, model, via);
  if (ctx.json) printJson(ctx, { to: role, model, via, block });
  else ctx.stdout(block);
  return 0;
};
