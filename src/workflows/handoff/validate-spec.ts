/**
 * Validates a Code Spec against the dual-model format: header fields, the required
 * sections, a well-formed entry per file, at least one test expectation, a
 * verification command, and no template placeholders left in.
 */
import { fencedBlocks, findSection, isBlank, parseMarkdown, withoutFences } from './markdown.ts';
import { placeholderProblems, result, SPEC_PLACEHOLDERS, type Problem, type ValidationResult } from './problems.ts';

export interface SpecFile {
  action: 'MODIFY' | 'NEW' | 'DELETE';
  path: string;
}

export interface ParsedSpec {
  specId: string | null;
  title: string | null;
  files: SpecFile[];
  /** "Implement specs 01 through N": N, when this spec carries the batch header. */
  batchTotal: number | null;
}

const REQUIRED_SECTIONS = [
  'Objective',
  'Files to Modify',
  'Test Expectations',
  'Guardrails — Do NOT',
  'Verification Command',
];
const FIELDS = ['Spec ID', 'Architect', 'Created', 'Priority'];
const FILE_HEADING = /^###\s+\[(MODIFY|NEW|DELETE)\]\s+`([^`]+)`\s*$/gm;
/** What each kind of file entry must say (the design's format). */
const ENTRY_NEEDS: Record<SpecFile['action'], string> = {
  MODIFY: '**Change:**',
  NEW: '**Purpose:**',
  DELETE: '**Reason:**',
};

export function parseSpec(text: string): ParsedSpec {
  const doc = parseMarkdown(text);
  const filesBody = findSection(doc, 'Files to Modify')?.body ?? '';
  const files = [...withoutFences(filesBody).matchAll(FILE_HEADING)].map((m) => ({
    action: m[1] as SpecFile['action'],
    path: m[2]!.trim(),
  }));
  const batch = /\*\*Batch Mode Active\.\*\*\s*Implement specs 01 through (\d+)/.exec(text);
  return {
    specId: doc.fields.get('Spec ID') ?? null,
    title: doc.title?.replace(/^Code Spec\s*[—–-]\s*/, '') ?? null,
    files,
    batchTotal: batch ? Number(batch[1]) : null,
  };
}

export function validateSpec(text: string, file?: string): ValidationResult & { spec: ParsedSpec } {
  const doc = parseMarkdown(text);
  const spec = parseSpec(text);
  const problems: Problem[] = [];
  const err = (code: string, message: string, line?: number) =>
    problems.push({ level: 'error', code, message, file, ...(line ? { line } : {}) });

  if (!doc.title || !/^Code Spec\s*[—–-]\s*\S/.test(doc.title))
    err('missing_title', 'the first heading must be "# Code Spec — <title>"');
  for (const f of FIELDS) if (!doc.fields.get(f)) err('missing_field', `header field **${f}:** is missing or empty`);
  const priority = doc.fields.get('Priority');
  if (priority && !/^P[012]\b/.test(priority) && priority !== '[P0/P1/P2]')
    err('bad_priority', `**Priority:** must be P0, P1 or P2 (got "${priority}")`);

  for (const name of REQUIRED_SECTIONS) {
    const section = findSection(doc, name);
    if (!section) err('missing_section', `section "## ${name}" is missing`);
    else if (isBlank(section.body)) err('empty_section', `section "## ${name}" is empty`, section.line);
  }
  if (!findSection(doc, 'Context (Read-Only Reference)')) {
    problems.push({
      level: 'warning',
      code: 'missing_context',
      message: 'no "## Context (Read-Only Reference)" section: the spec is the Coder\'s only context',
      file,
    });
  }

  const filesSection = findSection(doc, 'Files to Modify');
  if (filesSection) {
    if (spec.files.length === 0)
      err(
        'no_files',
        'no file entries: use "### [MODIFY] `path`", "### [NEW] `path`" or "### [DELETE] `path`"',
        filesSection.line,
      );
    const entries = withoutFences(filesSection.body)
      .split(/^(?=###\s)/m)
      .filter((e) => e.startsWith('###'));
    for (const entry of entries) {
      const head = /^###\s+\[(MODIFY|NEW|DELETE)\]\s+`([^`]+)`/.exec(entry);
      if (!head) {
        err('bad_file_entry', `file entry "${entry.split('\n')[0]}" must read "### [MODIFY|NEW|DELETE] \`path\`"`);
        continue;
      }
      const need = ENTRY_NEEDS[head[1] as SpecFile['action']];
      if (!entry.includes(need)) err('incomplete_file_entry', `[${head[1]}] \`${head[2]}\` needs a ${need} line`);
    }
    const seen = new Set<string>();
    for (const f of spec.files) {
      if (seen.has(f.path)) err('duplicate_file', `\`${f.path}\` is listed twice`);
      seen.add(f.path);
    }
  }

  const tests = findSection(doc, 'Test Expectations');
  if (tests && !/^\s*- \[[ x]\] \S/im.test(tests.body))
    err(
      'no_test_expectations',
      'Test Expectations needs at least one "- [ ] `test_name` — what it verifies" item',
      tests.line,
    );
  const verify = findSection(doc, 'Verification Command');
  if (verify && !fencedBlocks(verify.body).some((b) => b.trim()))
    err('no_verification_command', 'Verification Command needs the command in a fenced code block', verify.line);

  problems.push(...placeholderProblems(text, SPEC_PLACEHOLDERS, file));
  return { ...result(problems), spec };
}

/** Batch mode: the first spec's header names the count, and the files must match it. */
export function validateBatch(specs: Array<{ name: string; text: string }>): Problem[] {
  if (specs.length <= 1) return [];
  const first = parseSpec(specs[0]!.text);
  const problems: Problem[] = [];
  if (first.batchTotal === null) {
    problems.push({
      level: 'error',
      code: 'missing_batch_header',
      message: `${specs.length} specs but ${specs[0]!.name} has no "**Batch Mode Active.**" header`,
      file: specs[0]!.name,
    });
  } else if (first.batchTotal !== specs.length) {
    problems.push({
      level: 'error',
      code: 'batch_count',
      message: `batch header says 01 through ${String(first.batchTotal).padStart(2, '0')} but there are ${specs.length} spec files`,
      file: specs[0]!.name,
    });
  }
  specs.forEach((s, i) => {
    const expected = `code_spec_${String(i + 1).padStart(2, '0')}.md`;
    if (s.name !== expected)
      problems.push({
        level: 'error',
        code: 'batch_numbering',
        message: `batch specs must be numbered without gaps: expected ${expected}, found ${s.name}`,
        file: s.name,
      });
  });
  return problems;
}
