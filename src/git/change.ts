/**
 * What the current change is: files, lines added and removed, security-sensitive paths
 * and lines, and an estimate of its tokens. One `git diff -U0` (plus the list of
 * untracked files) is read in a single pass, so the cost stays close to git's own.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { MmError } from '../util/errors.ts';
import { tokensForChars } from '../util/tokens.ts';
import { DiffParser, type DiffFileHeader } from './diff-parser.ts';
import { shippedPackFiles } from '../pack/shipped.ts';
import { git, gitOk, repoInfo, resolveCommit } from './git.ts';

export type FileStatus = 'modified' | 'added' | 'deleted' | 'untracked' | 'binary';

export interface ChangedFile {
  path: string;
  status: FileStatus;
  added: number;
  removed: number;
  /** Security patterns found in the path or the changed lines. */
  security: string[];
}

export interface SecurityHit {
  pattern: string;
  file: string;
  /** Line in the new file (or old file for removed lines); absent for a path match. */
  line?: number;
  where: 'path' | 'added' | 'removed';
  text?: string;
}

export interface ChangeAnalysis {
  root: string;
  /** What was compared, e.g. "working tree vs HEAD". */
  compared: string;
  files: ChangedFile[];
  added: number;
  removed: number;
  /** Rough token estimate of the changed lines (≈ 4 characters a token). */
  estimatedTokens: number;
  /** Up to MAX_EXAMPLE_HITS examples; `securityFiles` counts them all. */
  securityHits: SecurityHit[];
  securityFiles: number;
}

export type ChangeScope = { kind: 'head' } | { kind: 'staged' } | { kind: 'base'; ref: string };

const MAX_EXAMPLE_HITS = 20;
const MAX_UNTRACKED_BYTES = 512 * 1024;

/** `git diff` with output our parsers can rely on, whatever the user's git config. */
export const DIFF_FLAGS = [
  'diff',
  '--no-ext-diff',
  '--no-textconv',
  '--no-renames',
  '--src-prefix=a/',
  '--dst-prefix=b/',
];
/**
 * Untracked files of the whole work tree (`:/`), with paths from its top, leaving out
 * mm's own state under .claude/mm (run files must not look like part of the change).
 */
export const UNTRACKED = [
  'ls-files',
  '--others',
  '--exclude-standard',
  '-z',
  '--full-name',
  '--',
  ':/',
  ':(top,exclude).claude/mm',
];

export async function analyseChange(
  cwd: string,
  scope: ChangeScope,
  securityPatterns: string[],
): Promise<ChangeAnalysis> {
  const scanner = new SecurityScanner(securityPatterns);
  let parser = new UnifiedDiffParser(scanner);
  const feed = (text: string) => parser.feed(text);
  let root: string;
  let compared: string;
  let untracked: string;
  if (scope.kind === 'head') {
    // The hook path: three git calls at once, the diff parsed while git still writes it.
    const [info, diffHead, others] = await Promise.all([
      repoInfo(cwd),
      git([...DIFF_FLAGS, '-U0', 'HEAD'], cwd, feed),
      git(UNTRACKED, cwd),
    ]);
    root = info.root;
    untracked = others.stdout;
    if (info.head) {
      if (diffHead.code !== 0) throw new MmError('failed', `git diff HEAD failed: ${diffHead.stderr.trim()}`);
      compared = 'working tree vs HEAD';
    } else {
      compared = 'working tree (no commits yet)';
      parser = new UnifiedDiffParser(scanner);
      await gitOk([...DIFF_FLAGS, '-U0', await emptyTree(root)], root, feed);
    }
  } else {
    const info = await repoInfo(cwd);
    root = info.root;
    const plan = await diffPlan(root, info.head, scope);
    compared = plan.compared;
    [, untracked] = await Promise.all([
      gitOk([...DIFF_FLAGS, '-U0', ...plan.diffArgs], root, feed),
      plan.includeUntracked ? gitOk(UNTRACKED, root) : Promise.resolve(''),
    ]);
  }
  const files = parser.finish();
  // A freshly copied pack (mm init) is not the user's change: leave its files out.
  const shipped = shippedPackFiles(root);
  let chars = files.chars;
  files.list = files.list.filter((f) => {
    if (!shipped(f.path)) return true;
    chars -= parser.fileChars.get(f) ?? 0;
    return false;
  });
  const buffer = Buffer.alloc(MAX_UNTRACKED_BYTES);
  for (const path of untracked.split('\0')) {
    if (!path || shipped(path)) continue;
    const file = readUntracked(root, path, scanner, buffer);
    files.list.push(file.changed);
    chars += file.chars;
  }
  const list = files.list;
  return {
    root,
    compared,
    files: list,
    added: list.reduce((n, f) => n + f.added, 0),
    removed: list.reduce((n, f) => n + f.removed, 0),
    estimatedTokens: tokensForChars(chars),
    securityHits: scanner.examples.filter((h) => list.some((f) => f.path === h.file)),
    securityFiles: list.filter((f) => f.security.length > 0).length,
  };
}

/** What to pass to `git diff` for a scope, and whether untracked files belong to it. */
export async function diffPlan(
  root: string,
  head: string | null,
  scope: ChangeScope,
): Promise<{ diffArgs: string[]; compared: string; includeUntracked: boolean }> {
  if (scope.kind === 'head') {
    return head
      ? { diffArgs: ['HEAD'], compared: 'working tree vs HEAD', includeUntracked: true }
      : { diffArgs: [await emptyTree(root)], compared: 'working tree (no commits yet)', includeUntracked: true };
  }
  if (scope.kind === 'staged') {
    return {
      diffArgs: ['--cached', ...(head ? [] : [await emptyTree(root)])],
      compared: 'staged changes vs HEAD',
      includeUntracked: false,
    };
  }
  const commit = await resolveCommit(scope.ref, root);
  if (!head) throw new MmError('input', `--base ${scope.ref}: this repository has no commits yet`);
  const mergeBase = await git(['merge-base', commit, head], root);
  if (mergeBase.code !== 0) throw new MmError('input', `"${scope.ref}" shares no history with HEAD`);
  return {
    diffArgs: [mergeBase.stdout.trim()],
    compared: `working tree vs merge base with ${scope.ref}`,
    includeUntracked: true,
  };
}

/** The empty tree's id (differs between SHA-1 and SHA-256 repositories). */
async function emptyTree(root: string): Promise<string> {
  return (await gitOk(['hash-object', '-t', 'tree', '/dev/null'], root)).trim();
}

export class SecurityScanner {
  private readonly re: RegExp | null;
  readonly examples: SecurityHit[] = [];

  constructor(private readonly patterns: string[]) {
    const alternatives = patterns.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    this.re = alternatives.length ? new RegExp(alternatives.join('|'), 'i') : null;
  }

  /** Patterns found in `text` (fast reject with one combined regex first). */
  match(text: string): string[] {
    if (!this.re || !this.re.test(text)) return [];
    const lower = text.toLowerCase();
    return this.patterns.filter((p) => lower.includes(p.toLowerCase()));
  }

  record(file: ChangedFile, hits: string[], hit: Omit<SecurityHit, 'pattern' | 'file'>): void {
    for (const pattern of hits) {
      if (!file.security.includes(pattern)) file.security.push(pattern);
      if (this.examples.length < MAX_EXAMPLE_HITS) this.examples.push({ pattern, file: file.path, ...hit });
    }
  }
}

/**
 * Counts and scans `git diff -U0` output as it arrives (feed chunks, then finish), so the
 * parse runs while git is still diffing instead of after it. Parsing is git/diff-parser's.
 */
export class UnifiedDiffParser {
  readonly list: ChangedFile[] = [];
  chars = 0;
  /** Changed-line characters per file, so a file left out later takes its share along. */
  readonly fileChars = new Map<ChangedFile, number>();
  private readonly files = new Map<DiffFileHeader, ChangedFile>();
  private readonly parser: DiffParser;

  constructor(private readonly scanner: SecurityScanner) {
    this.parser = new DiffParser({
      file: (header) => {
        const file: ChangedFile = { path: header.path, status: 'modified', added: 0, removed: 0, security: [] };
        this.files.set(header, file);
        this.list.push(file);
      },
      line: (header, kind, text, line) => {
        if (kind === ' ') return;
        const file = this.files.get(header)!;
        this.chars += text.length;
        this.fileChars.set(file, (this.fileChars.get(file) ?? 0) + text.length);
        if (kind === '+') file.added++;
        else file.removed++;
        const hits = this.scanner.match(text);
        if (hits.length)
          this.scanner.record(file, hits, {
            line,
            where: kind === '+' ? 'added' : 'removed',
            text: text.trim().slice(0, 160),
          });
      },
    });
  }

  feed(text: string): void {
    this.parser.feed(text);
  }

  finish(): { list: ChangedFile[]; chars: number } {
    this.parser.finish();
    for (const [header, file] of this.files) {
      file.path = header.path;
      file.status = header.status === 'renamed' ? 'modified' : header.status;
      const hits = this.scanner.match(file.path);
      if (hits.length) this.scanner.record(file, hits, { where: 'path' });
    }
    return { list: this.list, chars: this.chars };
  }
}

export function parseUnifiedDiff(diff: string, scanner: SecurityScanner): { list: ChangedFile[]; chars: number } {
  const parser = new UnifiedDiffParser(scanner);
  parser.feed(diff);
  return parser.finish();
}

/** An untracked file counts as all added lines (read up to MAX_UNTRACKED_BYTES). */
function readUntracked(
  root: string,
  path: string,
  scanner: SecurityScanner,
  buffer: Buffer,
): { changed: ChangedFile; chars: number } {
  const changed: ChangedFile = { path, status: 'untracked', added: 0, removed: 0, security: [] };
  const pathHits = scanner.match(path);
  if (pathHits.length) scanner.record(changed, pathHits, { where: 'path' });
  let fd: number;
  try {
    fd = openSync(join(root, path), 'r');
  } catch {
    return { changed, chars: 0 }; // vanished, or a broken symlink: counted, not read
  }
  try {
    const bytes = buffer.subarray(0, readSync(fd, buffer, 0, buffer.length, 0));
    if (bytes.subarray(0, 8000).includes(0)) {
      changed.status = 'binary';
      return { changed, chars: 0 };
    }
    const lines = bytes.toString('utf8').split('\n');
    if (lines.at(-1) === '') lines.pop();
    let chars = 0;
    lines.forEach((text, i) => {
      chars += text.length;
      const hits = scanner.match(text);
      if (hits.length) scanner.record(changed, hits, { line: i + 1, where: 'added', text: text.trim().slice(0, 160) });
    });
    changed.added = lines.length;
    return { changed, chars };
  } finally {
    closeSync(fd);
  }
}
