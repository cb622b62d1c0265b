/**
 * Validates a Code Report against its spec(s): the format's sections, test results and
 * build status present with a Result line, every file the spec lists accounted for,
 * and every `TODO(architect): …` marker in the changed files listed under Blockers.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import {
  fencedBlocks,
  findSection,
  isBlank,
  parseMarkdown,
  tableRows,
  unquotePath,
  withoutFences,
} from './markdown.ts';
import { placeholderProblems, REPORT_PLACEHOLDERS, result, type Problem, type ValidationResult } from './problems.ts';
import type { ParsedSpec } from './validate-spec.ts';

const REQUIRED_SECTIONS = [
  'Summary',
  'Files Changed',
  'Test Results',
  'Build Status',
  'Blockers',
  'Deviations from Spec',
];
const FIELDS = ['Coder', 'Completed', 'Spec'];
const TODO_MARKER = /TODO\(architect\):(.*)$/;

interface ArchitectTodo {
  file: string;
  line: number;
  question: string;
  listed: boolean;
}

export interface ReportCheck extends ValidationResult {
  filesChanged: string[];
  testResult: string | null;
  todos: ArchitectTodo[];
}

export function validateReport(text: string, specs: ParsedSpec[], projectRoot: string, file?: string): ReportCheck {
  const doc = parseMarkdown(text);
  const problems: Problem[] = [];
  const err = (code: string, message: string, line?: number) =>
    problems.push({ level: 'error', code, message, file, ...(line ? { line } : {}) });

  const specIds = specs.map((s) => s.specId).filter((id): id is string => Boolean(id));
  const titleId = /^Code Report[ \t]*[—–-](.+)$/.exec(doc.title ?? '')?.[1]?.trim();
  if (!titleId) err('missing_title', 'the first heading must be "# Code Report — <Spec ID>"');
  else if (specIds.length && !specIds.includes(titleId) && titleId !== '[Spec ID]')
    err('spec_id_mismatch', `report is for "${titleId}" but the spec is ${specIds.join(', ')}`);
  for (const f of FIELDS) if (!doc.fields.get(f)) err('missing_field', `header field **${f}:** is missing or empty`);

  for (const name of REQUIRED_SECTIONS) {
    const section = findSection(doc, name);
    if (!section) err('missing_section', `section "## ${name}" is missing`);
    else if (isBlank(section.body))
      err(
        'empty_section',
        `section "## ${name}" is empty${name === 'Blockers' ? ' (write "None." when there are none)' : ''}`,
        section.line,
      );
  }

  const filesChanged = tableRows(findSection(doc, 'Files Changed')?.body ?? '')
    .map((cells) => unquotePath(cells[0] ?? ''))
    .filter(Boolean);

  const testSection = findSection(doc, 'Test Results');
  let testResult: string | null = null;
  if (testSection) {
    if (!fencedBlocks(testSection.body).some((b) => b.trim() && !b.includes('[paste test output]')))
      err('no_test_output', 'Test Results must include the test output in a fenced block', testSection.line);
    testResult = /\*\*Result:\*\*\s*(PASS|FAIL)\b/i.exec(testSection.body)?.[1]?.toUpperCase() ?? null;
    if (!testResult)
      err('no_test_result', 'Test Results needs "**Result:** PASS" or "**Result:** FAIL …"', testSection.line);
  }
  const build = findSection(doc, 'Build Status');
  if (build && !/\*\*Result:\*\*\s*(?:CLEAN|WARNINGS|ERRORS)\b/i.test(build.body))
    err('no_build_result', 'Build Status needs "**Result:** CLEAN", "WARNINGS" or "ERRORS"', build.line);

  // Every spec file is in the table, or explained under Deviations or Blockers.
  const explained = `${withoutFences(findSection(doc, 'Deviations from Spec')?.body ?? '')}\n${withoutFences(findSection(doc, 'Blockers')?.body ?? '')}`;
  for (const spec of specs) {
    for (const f of spec.files) {
      if (filesChanged.includes(f.path) || explained.includes(f.path)) continue;
      err(
        'file_unaccounted',
        `the spec's [${f.action}] \`${f.path}\` is not in Files Changed (nor explained under Deviations or Blockers)`,
      );
    }
  }

  // TODO(architect) markers in the changed files must be listed as blockers.
  const blockers = withoutFences(findSection(doc, 'Blockers')?.body ?? '');
  const todos = findArchitectTodos(
    [...new Set([...filesChanged, ...specs.flatMap((s) => s.files.map((f) => f.path))])],
    projectRoot,
  ).map((t) => ({
    ...t,
    listed: blockerMentions(blockers, t),
  }));
  for (const t of todos.filter((x) => !x.listed)) {
    err('unlisted_todo', `${t.file}:${t.line} has "TODO(architect): ${t.question}" but Blockers does not list it`);
  }

  problems.push(...placeholderProblems(text, REPORT_PLACEHOLDERS, file));
  return { ...result(problems), filesChanged, testResult, todos };
}

function blockerMentions(blockers: string, todo: { file: string; line: number; question: string }): boolean {
  if (blockers.includes(`${todo.file}:${todo.line}`)) return true;
  const q = todo.question.trim();
  return q.length > 0 && blockers.toLowerCase().includes(q.toLowerCase());
}

export function findArchitectTodos(
  paths: string[],
  projectRoot: string,
): Array<{ file: string; line: number; question: string }> {
  const found: Array<{ file: string; line: number; question: string }> = [];
  for (const path of paths) {
    const abs = isAbsolute(path) ? path : join(projectRoot, path);
    if (!existsSync(abs) || !statSync(abs).isFile() || statSync(abs).size > 2_000_000) continue;
    readFileSync(abs, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        const m = TODO_MARKER.exec(line);
        if (m) found.push({ file: path, line: i + 1, question: (m[1] ?? '').replace(/\s*(\*\/|-->)\s*$/, '').trim() });
      });
  }
  return found;
}
