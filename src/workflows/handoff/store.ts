/**
 * Handoffs on disk: `.claude/mm/handoffs/<id>/code_spec.md` (batch mode:
 * code_spec_01.md … code_spec_NN.md) and `code_report.md`. The id is the Spec ID
 * (CS-001, CS-002, …) so the folder, the spec and the report name the same thing.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { writeFileAtomic } from '../../util/atomic-write.ts';
import { MmError } from '../../util/errors.ts';
import type { Problem } from './problems.ts';
import { loadTemplate, renderReport, renderSpec } from './templates.ts';
import { validateReport, type ReportCheck } from './validate-report.ts';
import { parseSpec, validateBatch, validateSpec, type ParsedSpec } from './validate-spec.ts';

const HANDOFF_ID = /^[A-Z0-9][\w.-]{0,60}$/i;
const SPEC_FILE = /^code_spec(?:_\d{2,})?\.md$/;
export const REPORT_FILE = 'code_report.md';

export const handoffsDir = (root: string) => join(root, '.claude', 'mm', 'handoffs');

export function handoffDir(root: string, id: string): string {
  if (!HANDOFF_ID.test(id)) throw new MmError('usage', `"${id}" is not a valid handoff id (letters, digits, . _ -)`);
  return join(handoffsDir(root), id);
}

export function listHandoffIds(root: string): string[] {
  const base = handoffsDir(root);
  if (!existsSync(base)) return [];
  return readdirSync(base)
    .filter((n) => HANDOFF_ID.test(n) && statSync(join(base, n)).isDirectory())
    .sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
}

export function nextHandoffId(root: string): string {
  const numbers = listHandoffIds(root)
    .map((id) => /^CS-(\d+)$/.exec(id)?.[1])
    .filter(Boolean)
    .map(Number);
  return `CS-${String(Math.max(0, ...numbers) + 1).padStart(3, '0')}`;
}

/** The handoff named, or the newest one when none is named. */
export function resolveHandoffId(root: string, id?: string): string {
  if (id) {
    if (!existsSync(handoffDir(root, id)))
      throw new MmError('input', `no handoff "${id}" under ${relative(root, handoffsDir(root)) || '.'}`, {
        hint: 'mm handoff status lists them',
      });
    return id;
  }
  const ids = listHandoffIds(root);
  const newest = ids
    .sort((a, b) => statSync(join(handoffsDir(root), a)).mtimeMs - statSync(join(handoffsDir(root), b)).mtimeMs)
    .pop();
  if (!newest) throw new MmError('input', 'no handoffs yet', { hint: 'mm handoff spec new --title "…" starts one' });
  return newest;
}

function specFileNames(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((n) => SPEC_FILE.test(n))
    .sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
}

export interface NewSpecOptions {
  id?: string;
  title: string;
  architect: string;
  priority?: 'P0' | 'P1' | 'P2';
  /** Batch mode: write this many numbered specs. */
  batch?: number;
  force?: boolean;
  now?: Date;
}

export function createSpec(root: string, opts: NewSpecOptions): { id: string; files: string[] } {
  const id = opts.id ?? nextHandoffId(root);
  const dir = handoffDir(root, id);
  const existing = specFileNames(dir);
  if (existing.length && !opts.force)
    throw new MmError('input', `handoff ${id} already has ${existing.join(', ')}`, {
      hint: 'pass --force to overwrite, or omit --id for a new handoff',
    });
  const template = loadTemplate('code_spec.md');
  const created = (opts.now ?? new Date()).toISOString();
  const total = opts.batch ?? 1;
  const files: string[] = [];
  for (let i = 1; i <= total; i++) {
    const name = total > 1 ? `code_spec_${String(i).padStart(2, '0')}.md` : 'code_spec.md';
    const specId = total > 1 ? `${id}-${String(i).padStart(2, '0')}` : id;
    const text = renderSpec(template, {
      title: opts.title,
      specId,
      architect: opts.architect,
      created,
      priority: opts.priority,
      ...(total > 1 ? { batch: { index: i, total } } : {}),
    });
    const path = join(dir, name);
    writeFileAtomic(path, text);
    files.push(path);
  }
  return { id, files };
}

export function readSpecs(root: string, id: string): Array<{ name: string; path: string; text: string }> {
  const dir = handoffDir(root, id);
  return specFileNames(dir).map((name) => ({
    name,
    path: join(dir, name),
    text: readFileSync(join(dir, name), 'utf8'),
  }));
}

export function createReport(
  root: string,
  id: string,
  opts: { coder: string; force?: boolean; now?: Date; lines?: Map<string, string> },
): string {
  const dir = handoffDir(root, id);
  const specs = readSpecs(root, id);
  if (specs.length === 0)
    throw new MmError('input', `handoff ${id} has no code spec yet`, {
      hint: `mm handoff spec new --id ${id} --title "…"`,
    });
  const path = join(dir, REPORT_FILE);
  if (existsSync(path) && !opts.force)
    throw new MmError('input', `handoff ${id} already has ${REPORT_FILE}`, { hint: 'pass --force to overwrite' });
  const parsed = specs.map((s) => parseSpec(s.text));
  const files = parsed
    .flatMap((p) => p.files)
    .map((f) => ({ ...f, ...(opts.lines?.get(f.path) ? { lines: opts.lines.get(f.path) } : {}) }));
  const specId = specs.length > 1 ? id : (parsed[0]?.specId ?? id);
  const specLink = specs.map((s) => s.name).join(', ');
  writeFileAtomic(
    path,
    renderReport(loadTemplate('code_report.md'), {
      specId,
      coder: opts.coder,
      completed: (opts.now ?? new Date()).toISOString(),
      specLink,
      files,
    }),
  );
  return path;
}

export interface HandoffCheck {
  id: string;
  specs: Array<{ name: string; ok: boolean; problems: Problem[]; spec: ParsedSpec }>;
  batchProblems: Problem[];
  specOk: boolean;
  report: (ReportCheck & { name: string }) | null;
}

export function checkHandoff(root: string, id: string): HandoffCheck {
  const specs = readSpecs(root, id).map((s) => ({ name: s.name, ...validateSpec(s.text, s.name) }));
  const batchProblems = validateBatch(readSpecs(root, id).map((s) => ({ name: s.name, text: s.text })));
  const reportPath = join(handoffDir(root, id), REPORT_FILE);
  const report = existsSync(reportPath)
    ? {
        name: REPORT_FILE,
        ...validateReport(
          readFileSync(reportPath, 'utf8'),
          specs.map((s) => s.spec),
          root,
          REPORT_FILE,
        ),
      }
    : null;
  // A batch report may be titled with the handoff id rather than one spec's id.
  if (report && specs.length > 1) {
    report.problems = report.problems.filter((p) => !(p.code === 'spec_id_mismatch' && p.message.includes(`"${id}"`)));
    report.ok = !report.problems.some((p) => p.level === 'error');
  }
  const specOk = specs.length > 0 && specs.every((s) => s.ok) && !batchProblems.some((p) => p.level === 'error');
  return { id, specs, batchProblems, specOk, report };
}

export type HandoffPhase = 'spec_draft' | 'coder' | 'report_draft' | 'architect_review';

/** Where a handoff stands, derived from its files: the next role and step. */
export function phaseOf(check: HandoffCheck): { phase: HandoffPhase; next: string } {
  if (!check.specOk)
    return { phase: 'spec_draft', next: `architect: finish the spec (mm handoff spec validate ${check.id})` };
  if (!check.report)
    return {
      phase: 'coder',
      next: `coder: after the HARD STOP (mm handoff stop --to coder), an external coder runs with mm handoff run ${check.id}; a Claude coder implements the spec, then mm handoff report new ${check.id}`,
    };
  if (!check.report.ok)
    return { phase: 'report_draft', next: `coder: complete the report (mm handoff report validate ${check.id})` };
  return {
    phase: 'architect_review',
    next: `architect: review the report (hand back with mm handoff stop --to architect); after mm handoff run, review its patch and apply it with mm handoff apply ${check.id}`,
  };
}
