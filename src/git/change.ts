/**
 * What the current change is: files, lines added and removed, security-sensitive paths
 * and lines, and an estimate of its tokens. One `git diff -U0` (plus the list of
 * untracked files) is read in a single pass, so the cost stays close to git's own.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { MmError } from '../util/errors.ts';
import { tokensForChars } from '../util/tokens.ts';
import {
  fileKind,
  PLACE_WEIGHT,
  SecurityMatcher,
  SecurityTally,
  type ConceptHit,
  type FileKind,
  type Place,
} from '../policy/security-match.ts';
import { ArchitectureScanner, type ArchitectureChange } from '../policy/architecture.ts';
import { git, gitOk, repoInfo, resolveCommit } from './git.ts';

export type FileStatus = 'modified' | 'added' | 'deleted' | 'untracked' | 'binary';

export interface ChangedFile {
  path: string;
  status: FileStatus;
  added: number;
  removed: number;
  /** Security concepts found in the path or the changed lines. */
  security: string[];
}

/** One piece of security evidence: where (file:line), which concept, and how much it counts. */
export interface SecurityHit {
  file: string;
  /** Line in the new file (or old file for removed lines); absent for a path match. */
  line?: number;
  concept: string;
  /** The concept's term that matched, e.g. "api key". */
  term: string;
  where: 'path' | 'added' | 'removed';
  /** A path, code, a comment, a test, prose, a manifest or a security dependency. */
  place: Place;
  weight: number;
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
  /** The strongest evidence, at most MAX_EXAMPLE_HITS (one per file and concept). */
  securityHits: SecurityHit[];
  /** Files with security evidence, counted only when the change is security-sensitive. */
  securityFiles: number;
  /** Weighted evidence reached SENSITIVE_SCORE: suggest a (security) review. */
  securitySensitive: boolean;
  securityScore: number;
  /** New or removed modules, schema changes, dependencies added or removed, API changes. */
  architecture: ArchitectureChange;
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
  const arch = new ArchitectureScanner();
  let parser = new UnifiedDiffParser(scanner, arch);
  const feed = (text: string) => parser.feed(text);
  let root: string;
  let compared: string;
  let untracked = '';
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
      parser = new UnifiedDiffParser(scanner, arch);
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
  let chars = files.chars;
  const buffer = Buffer.alloc(MAX_UNTRACKED_BYTES);
  for (const path of untracked.split('\0')) {
    if (!path) continue;
    arch.file(path, 'untracked');
    const file = readUntracked(root, path, scanner, buffer);
    files.list.push(file.changed);
    chars += file.chars;
  }
  const list = files.list;
  const security = scanner.summary();
  return {
    root,
    compared,
    files: list,
    added: list.reduce((n, f) => n + f.added, 0),
    removed: list.reduce((n, f) => n + f.removed, 0),
    estimatedTokens: tokensForChars(chars),
    securityHits: security.examples,
    securityFiles: security.files.length,
    securitySensitive: security.sensitive,
    securityScore: security.score,
    architecture: arch.result(),
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

/**
 * Collects the security evidence of one change as the diff streams by: concepts by
 * identifier segment, weighted by place (see policy/security-match.ts), and the best
 * evidence per file and concept as examples for people.
 */
export class SecurityScanner {
  private readonly matcher: SecurityMatcher;
  private readonly tally = new SecurityTally();
  private readonly best = new Map<string, SecurityHit>();

  constructor(patterns: string[] = []) {
    this.matcher = new SecurityMatcher(patterns);
  }

  path(file: ChangedFile): void {
    const kind = fileKind(file.path);
    const factor = kind === 'code' ? PLACE_WEIGHT.path : PLACE_WEIGHT[kind === 'lockfile' ? 'manifest' : kind];
    for (const hit of this.matcher.path(file.path))
      this.record(
        file,
        { ...hit, conceptWeight: hit.weight, weight: hit.weight * factor },
        { where: 'path', place: 'path' },
      );
  }

  /** A changed line given as data[start, end), so lines without a concept are never cut out. */
  lineIn(
    file: ChangedFile,
    kind: FileKind,
    data: string,
    start: number,
    end: number,
    line: number,
    where: 'added' | 'removed',
  ): void {
    if (kind === 'lockfile' || !this.matcher.mayMatch(data, start, end, kind)) return;
    this.line(file, kind, data.slice(start, end), line, where);
  }

  line(file: ChangedFile, kind: FileKind, text: string, line: number, where: 'added' | 'removed'): void {
    const { place, hits } = this.matcher.line(text, kind);
    for (const hit of hits)
      this.record(
        file,
        { ...hit, conceptWeight: hit.weight, weight: hit.weight * PLACE_WEIGHT[place] },
        { line, where, place, text: text.trim().slice(0, 160) },
      );
  }

  private record(
    file: ChangedFile,
    hit: ConceptHit & { conceptWeight: number },
    at: { where: SecurityHit['where']; place: Place; line?: number; text?: string },
  ): void {
    if (hit.weight <= 0) return;
    if (!file.security.includes(hit.concept)) file.security.push(hit.concept);
    this.tally.add(file.path, hit.concept, at.place, hit.weight, hit.conceptWeight);
    const key = `${file.path}\0${hit.concept}`;
    const kept = this.best.get(key);
    if (!kept || hit.weight > kept.weight)
      this.best.set(key, { file: file.path, concept: hit.concept, term: hit.term, weight: round2(hit.weight), ...at });
  }

  /** The change's verdict and its strongest evidence, at most MAX_EXAMPLE_HITS. */
  summary(): { sensitive: boolean; score: number; files: string[]; examples: SecurityHit[] } {
    const examples = [...this.best.values()].sort((a, b) => b.weight - a.weight).slice(0, MAX_EXAMPLE_HITS);
    return {
      sensitive: this.tally.sensitive,
      score: Math.round(this.tally.score * 100) / 100,
      files: this.tally.sensitive ? this.tally.files() : [],
      examples,
    };
  }
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** C-style quoted paths from git ("a\tb") back to text. */
function unquote(path: string): string {
  if (!path.startsWith('"')) return path;
  const bytes: number[] = [];
  const body = path.slice(1, -1);
  const escapes: Record<string, number> = { n: 10, t: 9, r: 13, '"': 34, '\\': 92, a: 7, b: 8, f: 12, v: 11 };
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\') {
      bytes.push(...Buffer.from(c, 'utf8'));
      continue;
    }
    const next = body[++i]!;
    if (/[0-7]/.test(next)) {
      bytes.push(Number.parseInt(body.slice(i, i + 3), 8));
      i += 2;
    } else bytes.push(escapes[next] ?? next.charCodeAt(0));
  }
  return Buffer.from(bytes).toString('utf8');
}

/** Path from a `diff --git a/P b/P` header (renames are off, so both sides are equal). */
function pathFromHeader(rest: string): string {
  if (rest.startsWith('"')) {
    const end = rest.indexOf('" ');
    return unquote(rest.slice(0, end + 1)).replace(/^a\//, '');
  }
  const length = (rest.length - 5) / 2;
  return rest.slice(2, 2 + length);
}

/**
 * Parses `git diff -U0` output as it arrives (feed chunks, then finish), so the parse
 * runs while git is still diffing instead of after it.
 */
export class UnifiedDiffParser {
  readonly list: ChangedFile[] = [];
  chars = 0;
  private file: ChangedFile | undefined;
  private kind: FileKind = 'code';
  private archRole: 'api' | 'manifest' | null = null;
  private inHeader = false;
  private newLine = 0;
  private oldLine = 0;
  private rest = '';

  constructor(
    private readonly scanner: SecurityScanner,
    private readonly arch?: ArchitectureScanner,
  ) {}

  feed(text: string): void {
    const data = this.rest + text;
    let start = 0;
    for (let end = data.indexOf('\n'); end !== -1; end = data.indexOf('\n', start)) {
      // Changed lines (nearly all of a diff) are read in place; only other lines are cut out.
      if (!this.changedLine(data, start, end)) this.line(data.slice(start, end));
      start = end + 1;
    }
    this.rest = data.slice(start);
  }

  finish(): { list: ChangedFile[]; chars: number } {
    if (this.rest && !this.changedLine(this.rest, 0, this.rest.length)) this.line(this.rest);
    this.rest = '';
    this.closeHeader();
    return { list: this.list, chars: this.chars };
  }

  /** An added or removed line in data[start, end): counted and scanned; false for any other line. */
  private changedLine(data: string, start: number, end: number): boolean {
    const first = data.charCodeAt(start);
    const file = this.file;
    if (this.inHeader || !file || (first !== 43 /* + */ && first !== 45) /* - */) return false;
    this.chars += end - start - 1;
    const added = first === 43;
    if (added) file.added++;
    else file.removed++;
    const at = added ? this.newLine : this.oldLine;
    this.scanner.lineIn(file, this.kind, data, start + 1, end, at, added ? 'added' : 'removed');
    if (this.archRole && this.arch!.wants(this.archRole, data.charCodeAt(start + 1), added))
      this.arch!.line(file.path, this.archRole, data.slice(start + 1, end), at, added);
    if (added) this.newLine++;
    else this.oldLine++;
    return true;
  }

  private line(line: string): void {
    const first = line.charCodeAt(0);
    const file = this.file;
    if (line.startsWith('diff --git ')) {
      this.closeHeader();
      const next: ChangedFile = {
        path: pathFromHeader(line.slice(11)),
        status: 'modified',
        added: 0,
        removed: 0,
        security: [],
      };
      this.file = next;
      this.list.push(next);
      this.inHeader = true;
      this.kind = fileKind(next.path);
      this.scanner.path(next);
    } else if (!file) {
      return;
    } else if (first === 64 /* @ */ && line.startsWith('@@')) {
      this.closeHeader();
      const m = /^@@ -(\d+)(?:,\d+)? \+(\d+)/.exec(line);
      this.oldLine = m ? Number(m[1]) : 0;
      this.newLine = m ? Number(m[2]) : 0;
    } else if (this.inHeader) {
      if (line.startsWith('new file mode')) file.status = 'added';
      else if (line.startsWith('deleted file mode')) file.status = 'deleted';
      else if (line.startsWith('Binary files ')) file.status = 'binary';
    }
  }

  /** The header ends at the first hunk (or the next file): the file's status is known now. */
  private closeHeader(): void {
    if (!this.inHeader || !this.file) return;
    this.inHeader = false;
    this.archRole = this.arch ? this.arch.file(this.file.path, this.file.status) : null;
  }
}

export function parseUnifiedDiff(diff: string, scanner: SecurityScanner): { list: ChangedFile[]; chars: number } {
  const parser = new UnifiedDiffParser(scanner);
  parser.feed(diff);
  return parser.finish();
}

/**
 * An untracked file counts as all added lines, all of it: its whole size goes into the
 * token estimate (as it would once staged), while only the first MAX_UNTRACKED_BYTES are
 * scanned for security concepts.
 */
function readUntracked(
  root: string,
  path: string,
  scanner: SecurityScanner,
  buffer: Buffer,
): { changed: ChangedFile; chars: number } {
  const changed: ChangedFile = { path, status: 'untracked', added: 0, removed: 0, security: [] };
  scanner.path(changed);
  const kind = fileKind(path);
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
    const text = bytes.toString('utf8');
    const lines = text.split('\n');
    if (lines.at(-1) === '') lines.pop();
    let chars = 0;
    lines.forEach((line, i) => {
      chars += line.length;
      scanner.line(changed, kind, line, i + 1, 'added');
    });
    changed.added = lines.length;
    if (bytes.length === buffer.length) {
      // The rest of a large file: counted (bytes ≈ characters, newlines = lines), not scanned.
      let position = bytes.length;
      let endsWithNewline = text.endsWith('\n');
      for (
        let n = readSync(fd, buffer, 0, buffer.length, position);
        n > 0;
        n = readSync(fd, buffer, 0, buffer.length, position)
      ) {
        const chunk = buffer.subarray(0, n);
        let newlines = 0;
        for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) newlines++;
        if (!endsWithNewline) changed.added--; // the line cut at the chunk boundary was counted already
        changed.added += newlines + (chunk[n - 1] === 10 ? 0 : 1);
        endsWithNewline = chunk[n - 1] === 10;
        chars += n - newlines;
        position += n;
      }
    }
    return { changed, chars };
  } finally {
    closeSync(fd);
  }
}
