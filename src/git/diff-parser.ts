/**
 * The one unified-diff parser. Reads `git diff` output (quoted paths, renames, binary
 * markers) and plain `diff -u` output (`--- a\t<timestamp>`), as a stream or whole text.
 * Hunks are read by their line counts, so a removed line "-- x" is never taken for a
 * `--- ` file header. Every consumer (change analysis, review hunks, the secrets guard,
 * output chunking) takes its paths from here, so a quoted or tab-terminated path means
 * the same file everywhere.
 */
import { ownCopy } from '../util/own-copy.ts';

type DiffStatus = 'modified' | 'added' | 'deleted' | 'renamed' | 'binary';

export interface DiffFileHeader {
  /** The file's path: the new side, or the old side for a deletion. */
  path: string;
  /** Old side (null for an added file), new side (null for a deleted one). */
  oldPath: string | null;
  newPath: string | null;
  status: DiffStatus;
}

export interface DiffEvents {
  /** A file section starts (its header is complete when its first hunk or the next file starts). */
  file?(file: DiffFileHeader): void;
  hunk?(file: DiffFileHeader, header: string, oldStart: number, newStart: number, newLines: number): void;
  /** A hunk line: kind ' ', '+' or '-'; `line` is the new-file number (old-file for '-'). */
  line?(file: DiffFileHeader, kind: ' ' | '+' | '-', text: string, line: number): void;
  /**
   * The same hunk line as data[start, end) (without its ' ', '+' or '-'), for consumers
   * that read it in place: most changed lines are counted and never cut out of the chunk.
   */
  lineAt?(file: DiffFileHeader, kind: ' ' | '+' | '-', data: string, start: number, end: number, line: number): void;
}

const PLUS = 43;
const MINUS = 45;
const SPACE = 32;
const BACKSLASH = 92;
const AT = 64;
const LOWER_I = 105;

const ESCAPES: Record<string, number> = { n: 10, t: 9, r: 13, '"': 34, '\\': 92, a: 7, b: 8, f: 12, v: 11 };

/** git's C-style quoting ("b/\303\274/.env", "a\tb") back to text; an unquoted path is returned as is. */
export function unquoteGitPath(path: string): string {
  if (!path.startsWith('"') || !path.endsWith('"') || path.length < 2) return path;
  const body = path.slice(1, -1);
  const bytes: number[] = [];
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\') {
      bytes.push(...Buffer.from(c, 'utf8'));
      continue;
    }
    const next = body[++i] ?? '';
    if (/[0-7]/.test(next)) {
      const octal = /^[0-7]{1,3}/.exec(body.slice(i))![0];
      bytes.push(Number.parseInt(octal, 8));
      i += octal.length - 1;
    } else bytes.push(ESCAPES[next] ?? next.charCodeAt(0));
  }
  return Buffer.from(bytes).toString('utf8');
}

/** A quoted token at the start of `s`: [token, rest] (handles escaped quotes). */
function quotedToken(s: string): [string, string] {
  let i = 1;
  while (i < s.length && s[i] !== '"') i += s[i] === '\\' ? 2 : 1;
  return [s.slice(0, i + 1), s.slice(i + 1)];
}

/** The name on a `--- `/`+++ ` line: unquoted, without a/ b/ prefix or a tab-separated timestamp; null for /dev/null. */
export function markerPath(rest: string): string | null {
  let name: string;
  if (rest.startsWith('"')) name = unquoteGitPath(quotedToken(rest)[0]);
  else {
    const tab = rest.indexOf('\t');
    name = tab === -1 ? rest.trimEnd() : rest.slice(0, tab);
  }
  if (name === '/dev/null') return null;
  return stripPrefix(name);
}

function stripPrefix(name: string): string {
  return name.replace(/^[ab]\//, '');
}

/** Both sides of `diff --git a/X b/Y` (quoted or not; unquoted halves with spaces are split where they agree). */
export function gitHeaderPaths(rest: string): { oldPath: string; newPath: string } {
  if (rest.startsWith('"')) {
    const [a, after] = quotedToken(rest);
    const b = after.trimStart();
    return { oldPath: stripPrefix(unquoteGitPath(a)), newPath: stripPrefix(unquoteGitPath(b)) };
  }
  const quotedB = rest.indexOf(' "');
  if (quotedB !== -1 && rest.endsWith('"'))
    return {
      oldPath: stripPrefix(rest.slice(0, quotedB)),
      newPath: stripPrefix(unquoteGitPath(rest.slice(quotedB + 1))),
    };
  // Same path on both sides (the common case): the halves are equal.
  if ((rest.length - 1) % 2 === 0) {
    const half = (rest.length - 1) / 2;
    const a = rest.slice(0, half);
    const b = rest.slice(half + 1);
    if (a.slice(2) === b.slice(2)) return { oldPath: stripPrefix(a), newPath: stripPrefix(b) };
  }
  const at = rest.indexOf(' b/');
  return at === -1
    ? { oldPath: stripPrefix(rest), newPath: stripPrefix(rest) }
    : { oldPath: stripPrefix(rest.slice(0, at)), newPath: stripPrefix(rest.slice(at + 1)) };
}

/** Streaming parser: feed text as it arrives, then finish(). */
export class DiffParser {
  private file: DiffFileHeader | undefined;
  /** The current file came from `diff --git` and has not seen its ---/+++ pair yet. */
  private gitHeaderOpen = false;
  private oldLeft = 0;
  private newLeft = 0;
  private oldLine = 0;
  private newLine = 0;
  private pendingMinus: string | null = null;
  private rest = '';

  constructor(private readonly on: DiffEvents) {}

  feed(text: string): void {
    let from = 0;
    if (this.rest) {
      // The line cut at the end of the last chunk is read on its own: joining the two chunks
      // would copy the whole of this one.
      const newline = text.indexOf('\n');
      if (newline === -1) {
        this.rest += text;
        return;
      }
      from = newline + 1;
      const line = this.rest + text.slice(0, from);
      this.rest = '';
      this.lines(line, false, 0);
    }
    this.rest = text.slice(this.lines(text, false, from));
  }

  finish(): void {
    if (this.rest) this.lines(this.rest, true, 0);
    this.rest = '';
  }

  /**
   * Reads the complete lines of data from `from` on (and, when final, the unterminated last one); returns
   * where the unread rest starts. Hunk lines (the bulk of a diff) are handled here, in place,
   * with the hunk's counters in locals; only header lines are cut out and go to line().
   */
  private lines(data: string, final: boolean, from: number): number {
    const { lineAt, line: onLine } = this.on;
    let file = this.file;
    let oldLeft = this.oldLeft;
    let newLeft = this.newLeft;
    let oldLine = this.oldLine;
    let newLine = this.newLine;
    let start = from;
    while (start < data.length) {
      let end = data.indexOf('\n', start);
      if (end === -1) {
        if (!final) break;
        end = data.length;
      }
      if (file !== undefined && (oldLeft !== 0 || newLeft !== 0)) {
        const kind = start < end ? data.charCodeAt(start) : -1;
        let sign: ' ' | '+' | '-' | '' = '';
        let line = 0;
        if (kind === PLUS && newLeft > 0) {
          newLeft--;
          sign = '+';
          line = newLine++;
        } else if (kind === MINUS && oldLeft > 0) {
          oldLeft--;
          sign = '-';
          line = oldLine++;
        } else if ((kind === SPACE || kind === -1) && oldLeft > 0 && newLeft > 0) {
          oldLeft--;
          newLeft--;
          oldLine++;
          sign = ' ';
          line = newLine++;
        } else if (kind === BACKSLASH) {
          start = end + 1; // "\ No newline at end of file"
          continue;
        } else oldLeft = newLeft = 0; // a short hunk: the line is a header
        if (sign !== '') {
          const from = start < end ? start + 1 : end;
          if (lineAt !== undefined) lineAt(file, sign, data, from, end, line);
          if (onLine !== undefined) onLine(file, sign, data.slice(from, end), line);
          start = end + 1;
          continue;
        }
      }
      this.oldLeft = oldLeft;
      this.newLeft = newLeft;
      // Paths outlive the chunk they are cut from, so their lines are copies; hunk headers and
      // index lines (most header lines) are read and dropped.
      const first = start < end ? data.charCodeAt(start) : -1;
      const text = data.slice(start, end);
      this.line(first === AT || first === LOWER_I ? text : ownCopy(text));
      ({ file, oldLeft, newLeft, oldLine, newLine } = this);
      start = end + 1;
    }
    this.oldLeft = oldLeft;
    this.newLeft = newLeft;
    this.oldLine = oldLine;
    this.newLine = newLine;
    return Math.min(start, data.length);
  }

  private startFile(file: DiffFileHeader): void {
    this.file = file;
    this.on.file?.(file);
  }

  private line(line: string): void {
    const file = this.file;
    if (line.startsWith('\\')) return;
    const pending = this.pendingMinus;
    this.pendingMinus = null;
    if (line.startsWith('diff --git ')) {
      const { oldPath, newPath } = gitHeaderPaths(line.slice(11));
      this.gitHeaderOpen = true;
      this.startFile({ path: newPath, oldPath, newPath, status: oldPath === newPath ? 'modified' : 'renamed' });
      return;
    }
    if (line.startsWith('--- ')) {
      this.pendingMinus = line.slice(4);
      return;
    }
    if (line.startsWith('+++ ') && pending !== null) {
      const oldPath = markerPath(pending);
      const newPath = markerPath(line.slice(4));
      if (this.gitHeaderOpen && file) {
        // git's own markers are exact where its header line was ambiguous (spaces, renames).
        file.oldPath = oldPath;
        file.newPath = newPath;
        file.path = newPath ?? oldPath ?? file.path;
        if (!oldPath) file.status = 'added';
        else if (!newPath) file.status = 'deleted';
        this.gitHeaderOpen = false;
      } else {
        this.gitHeaderOpen = false;
        this.startFile({
          path: newPath ?? oldPath ?? '',
          oldPath,
          newPath,
          status: !oldPath ? 'added' : !newPath ? 'deleted' : oldPath === newPath ? 'modified' : 'renamed',
        });
      }
      return;
    }
    if (!file) return;
    if (line.startsWith('@@')) {
      this.gitHeaderOpen = false;
      const m = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/.exec(line);
      this.oldLine = m ? Number(m[1]) : 0;
      this.newLine = m ? Number(m[3]) : 0;
      this.oldLeft = m ? (m[2] === undefined ? 1 : Number(m[2])) : 0;
      const newLines = m ? (m[4] === undefined ? 1 : Number(m[4])) : 0;
      this.newLeft = newLines;
      this.on.hunk?.(file, line, this.oldLine, this.newLine, newLines);
      return;
    }
    if (!this.gitHeaderOpen) return;
    if (line.startsWith('new file mode')) {
      file.status = 'added';
      file.oldPath = null;
    } else if (line.startsWith('deleted file mode')) {
      file.status = 'deleted';
      file.newPath = null;
      file.path = file.oldPath ?? file.path;
    } else if (line.startsWith('rename from ') || line.startsWith('copy from ')) {
      file.oldPath = unquoteGitPath(line.slice(line.indexOf(' from ') + 6));
      file.status = 'renamed';
    } else if (line.startsWith('rename to ') || line.startsWith('copy to ')) {
      file.newPath = unquoteGitPath(line.slice(line.indexOf(' to ') + 4));
      file.path = file.newPath;
      file.status = 'renamed';
    } else if (line.startsWith('Binary files ')) file.status = 'binary';
  }
}

/** Every path a section touches (both sides of a rename), for path rules such as the secrets check. */
export function pathsOf(file: DiffFileHeader): string[] {
  return [...new Set([file.path, file.oldPath, file.newPath].filter((p): p is string => !!p))];
}

export interface DiffSection {
  file: DiffFileHeader | null;
  /** The section's text as given, from its first header line through its last hunk line. */
  text: string;
}

/**
 * Splits diff text (possibly with prose before it) into per-file sections. Text before
 * the first file is a section with file null. A section starts at its `diff --git` line,
 * or at the `diff …`/`--- ` line that precedes a plain `+++ ` header.
 */
export function splitDiffSections(text: string): DiffSection[] {
  const lines = text.split('\n');
  const starts: Array<{ at: number; file: DiffFileHeader }> = [];
  let index = 0;
  let lastDiffCommand = -1;
  const parser = new DiffParser({
    file: (file) => {
      const line = lines[index]!;
      // A plain diff's header began one line up (its --- line), or two with a `diff -u` command line.
      let at = line.startsWith('diff --git ') ? index : index - 1;
      if (!line.startsWith('diff --git ') && lastDiffCommand === at - 1) at = lastDiffCommand;
      starts.push({ at, file });
    },
  });
  for (; index < lines.length; index++) {
    const line = lines[index]!;
    if (line.startsWith('diff ') && !line.startsWith('diff --git ')) lastDiffCommand = index;
    parser.feed(`${line}\n`);
  }
  parser.finish();
  const sections: DiffSection[] = [];
  if (!starts.length || starts[0]!.at > 0)
    sections.push({ file: null, text: lines.slice(0, starts[0]?.at ?? lines.length).join('\n') });
  starts.forEach((s, i) => {
    sections.push({ file: s.file, text: lines.slice(s.at, starts[i + 1]?.at ?? lines.length).join('\n') });
  });
  return sections;
}

/** Does this text hold a diff at all (git's or a plain unified one)? */
export function looksLikeDiff(text: string): boolean {
  return /^diff --git |^--- .*\n\+\+\+ /m.test(text);
}
