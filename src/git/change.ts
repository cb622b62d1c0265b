/**
 * What the current change is: files, lines added and removed, security-sensitive paths
 * and lines, and an estimate of its tokens. One `git diff -U0` (plus the list of
 * untracked files) is read in a single pass, so the cost stays close to git's own.
 */
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { MmError } from '../util/errors.ts';
import { NOT_MM_STATE, git, gitOk, repoRoot, resolveCommit } from './git.ts';

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
const CHARS_PER_TOKEN = 4;

export async function analyseChange(cwd: string, scope: ChangeScope, securityPatterns: string[]): Promise<ChangeAnalysis> {
  const root = await repoRoot(cwd);
  const { diffArgs, compared, includeUntracked } = await diffPlan(root, scope);
  const scanner = new SecurityScanner(securityPatterns);
  const [diff, untracked] = await Promise.all([
    gitOk(['diff', '--no-ext-diff', '--no-textconv', '--no-renames', '-U0', '--src-prefix=a/', '--dst-prefix=b/', ...diffArgs], root),
    includeUntracked ? gitOk(['ls-files', '--others', '--exclude-standard', '-z', '--', ...NOT_MM_STATE], root) : Promise.resolve(''),
  ]);
  const files = parseUnifiedDiff(diff, scanner);
  let chars = files.chars;
  for (const path of untracked.split('\0')) {
    if (!path) continue;
    const file = await readUntracked(root, path, scanner);
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
    estimatedTokens: Math.ceil(chars / CHARS_PER_TOKEN),
    securityHits: scanner.examples,
    securityFiles: list.filter((f) => f.security.length > 0).length,
  };
}

export async function diffPlan(root: string, scope: ChangeScope): Promise<{ diffArgs: string[]; compared: string; includeUntracked: boolean }> {
  if (scope.kind === 'staged') {
    const head = await git(['rev-parse', '--verify', '--quiet', 'HEAD'], root);
    return { diffArgs: ['--cached', ...(head.code === 0 ? [] : [await emptyTree(root)])], compared: 'staged changes vs HEAD', includeUntracked: false };
  }
  if (scope.kind === 'base') {
    const commit = await resolveCommit(scope.ref, root);
    const mergeBase = await git(['merge-base', commit, 'HEAD'], root);
    if (mergeBase.code !== 0) throw new MmError('input', `"${scope.ref}" shares no history with HEAD`);
    return { diffArgs: [mergeBase.stdout.trim()], compared: `working tree vs merge base with ${scope.ref}`, includeUntracked: true };
  }
  const head = await git(['rev-parse', '--verify', '--quiet', 'HEAD'], root);
  if (head.code !== 0) return { diffArgs: [await emptyTree(root)], compared: 'working tree (no commits yet)', includeUntracked: true };
  return { diffArgs: ['HEAD'], compared: 'working tree vs HEAD', includeUntracked: true };
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

export function parseUnifiedDiff(diff: string, scanner: SecurityScanner): { list: ChangedFile[]; chars: number } {
  const list: ChangedFile[] = [];
  let file: ChangedFile | undefined;
  let inHeader = false;
  let newLine = 0;
  let oldLine = 0;
  let chars = 0;
  let start = 0;
  while (start < diff.length) {
    let end = diff.indexOf('\n', start);
    if (end === -1) end = diff.length;
    const line = diff.slice(start, end);
    start = end + 1;
    const first = line.charCodeAt(0);
    if (!inHeader && file && (first === 43 /* + */ || first === 45 /* - */)) {
      const text = line.slice(1);
      chars += text.length;
      const added = first === 43;
      if (added) file.added++;
      else file.removed++;
      const hits = scanner.match(text);
      if (hits.length) scanner.record(file, hits, { line: added ? newLine : oldLine, where: added ? 'added' : 'removed', text: text.trim().slice(0, 160) });
      if (added) newLine++;
      else oldLine++;
      continue;
    }
    if (line.startsWith('diff --git ')) {
      file = { path: pathFromHeader(line.slice(11)), status: 'modified', added: 0, removed: 0, security: [] };
      list.push(file);
      inHeader = true;
      const hits = scanner.match(file.path);
      if (hits.length) scanner.record(file, hits, { where: 'path' });
    } else if (!file) {
      continue;
    } else if (first === 64 /* @ */ && line.startsWith('@@')) {
      inHeader = false;
      const m = /^@@ -(\d+)(?:,\d+)? \+(\d+)/.exec(line);
      oldLine = m ? Number(m[1]) : 0;
      newLine = m ? Number(m[2]) : 0;
    } else if (inHeader) {
      if (line.startsWith('new file mode')) file.status = 'added';
      else if (line.startsWith('deleted file mode')) file.status = 'deleted';
      else if (line.startsWith('Binary files ')) file.status = 'binary';
    }
  }
  return { list, chars };
}

async function readUntracked(root: string, path: string, scanner: SecurityScanner): Promise<{ changed: ChangedFile; chars: number }> {
  const changed: ChangedFile = { path, status: 'untracked', added: 0, removed: 0, security: [] };
  const pathHits = scanner.match(path);
  if (pathHits.length) scanner.record(changed, pathHits, { where: 'path' });
  let handle;
  try {
    handle = await open(join(root, path), 'r');
  } catch {
    return { changed, chars: 0 }; // vanished, or a broken symlink: counted, not read
  }
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(MAX_UNTRACKED_BYTES), 0, MAX_UNTRACKED_BYTES, 0);
    const bytes = buffer.subarray(0, bytesRead);
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
    await handle.close();
  }
}
