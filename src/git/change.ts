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
import { ownCopy } from '../util/own-copy.ts';
import { shippedPackFiles } from '../pack/shipped.ts';
import { ArchitectureScanner, type ArchitectureChange } from '../policy/architecture.ts';
import {
  fileKind,
  PLACE_WEIGHT,
  SecurityMatcher,
  SMALL_FIX,
  SecurityTally,
  type ConceptHit,
  type FileKind,
  type Place,
} from '../policy/security-match.ts';
import { baseCheckCalls, DIFF_FLAGS, git, gitOk, repoInfo, resolveCommit, UNTRACKED } from './git.ts';

type FileStatus = 'modified' | 'added' | 'deleted' | 'untracked' | 'binary';

export interface ChangedFile {
  path: string;
  status: FileStatus;
  added: number;
  removed: number;
  /** Security patterns found in the path or the changed lines. */
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

export async function analyseChange(
  cwd: string,
  scope: ChangeScope,
  securityPatterns: string[],
): Promise<ChangeAnalysis> {
  let scanner = new SecurityScanner(securityPatterns);
  let arch = new ArchitectureScanner();
  let parser = new UnifiedDiffParser(scanner, arch);
  const feed = (text: string) => parser.feed(text);
  let root: string;
  let compared: string;
  let untracked: string;
  const oneRound = scope.kind === 'base' ? baseCheckCalls(scope.ref) : null;
  if (scope.kind === 'head') {
    // The hook path: three git calls at once, the diff parsed while git still writes it.
    // The diff, the long one, is started first: each start of a process costs node a few ms.
    const diffing = git([...DIFF_FLAGS, '-U0', 'HEAD'], cwd, feed);
    const [info, diffHead, others] = await Promise.all([repoInfo(cwd), diffing, git(UNTRACKED, cwd)]);
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
  } else if (scope.kind === 'base' && oneRound) {
    // One round of git calls: `diff --merge-base` finds the merge base itself, so the diff
    // starts with the repository lookup instead of after it (src/cli/early.ts may have
    // started all three already). The ref is checked only when the diff fails (old git,
    // unknown ref, no shared history): then the step-by-step path below names the problem,
    // or does the diff itself.
    const diffing = git(oneRound[0]!, cwd, feed);
    const [info, diff, others] = await Promise.all([repoInfo(cwd), diffing, git(UNTRACKED, cwd)]);
    root = info.root;
    if (diff.code === 0 && others.code === 0) {
      compared = `working tree vs merge base with ${scope.ref}`;
      untracked = others.stdout;
    } else {
      scanner = new SecurityScanner(securityPatterns);
      arch = new ArchitectureScanner();
      parser = new UnifiedDiffParser(scanner, arch);
      ({ compared, untracked } = await diffInSteps(root, info.head, scope, parser));
    }
  } else {
    const info = await repoInfo(cwd);
    root = info.root;
    ({ compared, untracked } = await diffInSteps(root, info.head, scope, parser));
  }
  const files = parser.finish();
  // A freshly copied pack (mm init) is not the user's change: leave its files out.
  const shipped = shippedPackFiles(root);
  let chars = files.chars;
  files.list = files.list.filter((f) => {
    if (!shipped(f.path)) return true;
    chars -= parser.fileChars.get(f) ?? 0;
    scanner.drop(f.path);
    return false;
  });
  const buffer = Buffer.alloc(MAX_UNTRACKED_BYTES);
  for (const path of untracked.split('\0')) {
    if (!path || shipped(path)) continue;
    arch.file(path, 'untracked');
    const file = readUntracked(root, path, scanner, buffer);
    files.list.push(file.changed);
    chars += file.chars;
  }
  const list = files.list;
  const security = scanner.summary();
  const kept = new Set(list.map((f) => f.path));
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
    architecture: arch.result((path) => kept.has(path)),
  };
}

/** The diff of a scope fed to `parser`, after resolving what to compare; and the untracked files. */
async function diffInSteps(
  root: string,
  head: string | null,
  scope: ChangeScope,
  parser: UnifiedDiffParser,
): Promise<{ compared: string; untracked: string }> {
  // The base's merge base is looked up alongside its commit (one round of git calls, not two).
  const base = scope.kind === 'base' ? mergeBaseLookup(scope.ref, root) : undefined;
  const plan = await diffPlan(root, head, scope, base);
  const [, untracked] = await Promise.all([
    gitOk([...DIFF_FLAGS, '-U0', ...plan.diffArgs], root, (text) => parser.feed(text)),
    plan.includeUntracked ? gitOk(UNTRACKED, root) : Promise.resolve(''),
  ]);
  return { compared: plan.compared, untracked };
}

/** What to pass to `git diff` for a scope, and whether untracked files belong to it. */
export async function diffPlan(
  root: string,
  head: string | null,
  scope: ChangeScope,
  base?: Promise<MergeBaseLookup>,
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
  const { commit, mergeBase } = await (base ?? mergeBaseLookup(scope.ref, root));
  await commit; // an unknown ref is named first
  if (!head) throw new MmError('input', `--base ${scope.ref}: this repository has no commits yet`);
  if (mergeBase.code !== 0) throw new MmError('input', `"${scope.ref}" shares no history with HEAD`);
  return {
    diffArgs: [mergeBase.stdout.trim()],
    compared: `working tree vs merge base with ${scope.ref}`,
    includeUntracked: true,
  };
}

interface MergeBaseLookup {
  /** The ref as a commit (rejects with a clear error for an unknown ref). */
  commit: Promise<string>;
  mergeBase: Awaited<ReturnType<typeof git>>;
}

/**
 * Resolves REF and its merge base with HEAD at the same time; errors are kept for
 * diffPlan to report in order (unknown ref, no commits, no shared history).
 */
async function mergeBaseLookup(ref: string, cwd: string): Promise<MergeBaseLookup> {
  const commit = resolveCommit(ref, cwd);
  commit.catch(() => {}); // reported by diffPlan
  const mergeBase = ref.startsWith('-')
    ? { stdout: '', stderr: '', code: 1 }
    : await git(['merge-base', '--end-of-options', `${ref}^{commit}`, 'HEAD'], cwd).catch((e: Error) => ({
        stdout: '',
        stderr: e.message,
        code: 1,
      }));
  await commit.catch(() => {});
  return { commit, mergeBase };
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
    this.tally.file(file.path, kind, file);
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
    const { place, hits } = this.matcher.lineAt(data, start, end, kind);
    if (hits.length) this.lineHits(file, place, hits, data.slice(start, end), line, where);
  }

  line(file: ChangedFile, kind: FileKind, text: string, line: number, where: 'added' | 'removed'): void {
    const { place, hits } = this.matcher.line(text, kind);
    if (hits.length) this.lineHits(file, place, hits, text, line, where);
  }

  private lineHits(
    file: ChangedFile,
    place: Place,
    hits: ConceptHit[],
    text: string,
    line: number,
    where: 'added' | 'removed',
  ): void {
    // A copy: the line is a slice of a whole chunk of diff, which evidence must not keep alive.
    const at = { line, where, place, text: ownCopy(text.trim().slice(0, 160)) };
    const factor = PLACE_WEIGHT[place];
    for (const hit of hits)
      this.record(
        file,
        { concept: hit.concept, term: hit.term, weight: hit.weight * factor, conceptWeight: hit.weight },
        at,
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

  /** Forgets a file's evidence (a file left out of the change after the scan). */
  drop(path: string): void {
    this.tally.drop(path);
    for (const [key, hit] of this.best) if (hit.file === path) this.best.delete(key);
  }

  /** The change's verdict and its strongest evidence, at most MAX_EXAMPLE_HITS. */
  summary(): { sensitive: boolean; score: number; files: string[]; examples: SecurityHit[] } {
    const examples = [...this.best.values()].sort((a, b) => b.weight - a.weight).slice(0, MAX_EXAMPLE_HITS);
    // Evidence from the change's shape, not a line.
    if (this.tally.smallFix && examples[0]) examples.push(smallFixHit(examples[0].file));
    return {
      sensitive: this.tally.sensitive,
      score: Math.round(this.tally.score * 100) / 100,
      files: this.tally.sensitive ? this.tally.files() : [],
      examples,
    };
  }
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** Shown with the evidence it adds to: the change is a small fix with tests. */
const smallFixHit = (file: string): SecurityHit => ({
  file,
  concept: 'small fix with tests',
  term: `≤ ${SMALL_FIX.maxCodeLines} changed code lines, with tests`,
  where: 'path',
  place: 'code',
  weight: SMALL_FIX.score,
});

/**
 * Counts and scans `git diff -U0` output as it arrives (feed chunks, then finish), so the
 * parse runs while git is still diffing instead of after it. Parsing is git/diff-parser's;
 * security concepts and architecture evidence are collected per changed line.
 */
export class UnifiedDiffParser {
  readonly list: ChangedFile[] = [];
  chars = 0;
  /** Changed-line characters per file, so a file left out later takes its share along. */
  readonly fileChars = new Map<ChangedFile, number>();
  private readonly files = new Map<DiffFileHeader, ParsedFile>();
  private readonly parser: DiffParser;
  private currentHeader: DiffFileHeader | undefined;
  private current: ParsedFile | undefined;

  constructor(
    private readonly scanner: SecurityScanner,
    private readonly arch?: ArchitectureScanner,
  ) {
    this.parser = new DiffParser({
      file: (header) => {
        const file: ChangedFile = { path: header.path, status: 'modified', added: 0, removed: 0, security: [] };
        this.files.set(header, { file, kind: null, role: null, chars: 0 });
        this.list.push(file);
      },
      lineAt: (header, kind, data, start, end, line) => {
        if (kind === ' ') return;
        // Lines come file by file: look the file up once per file, not once per line.
        if (this.currentHeader !== header) this.enter(header);
        const entry = this.current!;
        const length = end - start;
        this.chars += length;
        entry.chars += length;
        const added = kind === '+';
        if (added) entry.file.added++;
        else entry.file.removed++;
        if (entry.kind !== null && entry.kind !== 'lockfile')
          this.scanner.lineIn(entry.file, entry.kind, data, start, end, line, added ? 'added' : 'removed');
        if (entry.role !== null && this.arch!.wants(entry.role, data, start, end))
          this.arch!.line(header.path, entry.role, data.slice(start, end), line, added);
      },
    });
  }

  /** The first changed line of a file: its header is complete, so its path is final. */
  private enter(header: DiffFileHeader): void {
    const entry = this.files.get(header)!;
    if (entry.kind === null) {
      entry.kind = fileKind(header.path);
      entry.role = this.arch?.roleOf(header.path) ?? null;
    }
    this.current = entry;
    this.currentHeader = header;
  }

  feed(text: string): void {
    this.parser.feed(text);
  }

  finish(): { list: ChangedFile[]; chars: number } {
    this.parser.finish();
    for (const [header, { file, chars }] of this.files) {
      if (chars) this.fileChars.set(file, chars);
      file.path = header.path;
      file.status = header.status === 'renamed' ? 'modified' : header.status;
      this.scanner.path(file);
      this.arch?.file(file.path, file.status);
    }
    return { list: this.list, chars: this.chars };
  }
}

interface ParsedFile {
  file: ChangedFile;
  /** Known from the first changed line on (the header is complete by then). */
  kind: FileKind | null;
  role: 'api' | 'manifest' | null;
  /** Changed-line characters, copied to fileChars by finish(). */
  chars: number;
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
