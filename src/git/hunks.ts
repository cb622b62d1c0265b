/**
 * The changed hunks of a change, with a bounded number of context lines: what a
 * reviewer needs, instead of whole files. Same scopes as `analyseChange` (HEAD, staged,
 * merge base); untracked files count as added, split into hunk-sized pieces so that a
 * large new file can still be chunked between hunks.
 */
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { DIFF_FLAGS, UNTRACKED, diffPlan, type ChangeScope } from './change.ts';
import { shippedPackFiles } from '../pack/shipped.ts';
import { gitOk, repoInfo } from './git.ts';

export interface HunkLine {
  kind: ' ' | '+' | '-';
  text: string;
  /** Line number in the new file (context and added lines) or the old file (removed). */
  line: number;
}

export interface Hunk {
  /** The `@@ … @@ section` header as git printed it. */
  header: string;
  newStart: number;
  newLines: number;
  lines: HunkLine[];
}

export interface FileHunks {
  path: string;
  status: 'modified' | 'added' | 'deleted' | 'untracked' | 'binary';
  hunks: Hunk[];
}

export interface HunkSet {
  root: string;
  compared: string;
  files: FileHunks[];
}

export const DEFAULT_CONTEXT_LINES = 3;
const UNTRACKED_PIECE_LINES = 200;
const MAX_UNTRACKED_BYTES = 512 * 1024;

export async function collectHunks(
  cwd: string,
  scope: ChangeScope,
  contextLines = DEFAULT_CONTEXT_LINES,
): Promise<HunkSet> {
  const { root, head } = await repoInfo(cwd);
  const { diffArgs, compared, includeUntracked } = await diffPlan(root, head, scope);
  const [diff, untracked] = await Promise.all([
    gitOk([...DIFF_FLAGS, `-U${contextLines}`, ...diffArgs], root),
    includeUntracked ? gitOk(UNTRACKED, root) : Promise.resolve(''),
  ]);
  // A freshly copied pack (mm init) is not the user's change: never send its files.
  const shipped = shippedPackFiles(root);
  const files = parseHunks(diff).filter((f) => !shipped(f.path));
  for (const path of untracked.split('\0')) if (path && !shipped(path)) files.push(await untrackedHunks(root, path));
  return { root, compared, files };
}

export function parseHunks(diff: string): FileHunks[] {
  const files: FileHunks[] = [];
  let file: FileHunks | undefined;
  let hunk: Hunk | undefined;
  let oldLine = 0;
  let newLine = 0;
  for (const line of diff.split('\n')) {
    if (line.startsWith('diff --git ')) {
      file = { path: headerPath(line.slice(11)), status: 'modified', hunks: [] };
      files.push(file);
      hunk = undefined;
      continue;
    }
    if (!file) continue;
    if (line.startsWith('@@')) {
      const m = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,(\d+))? @@/.exec(line);
      oldLine = m ? Number(m[1]) : 0;
      newLine = m ? Number(m[2]) : 0;
      hunk = { header: line, newStart: newLine, newLines: m?.[3] === undefined ? 1 : Number(m[3]), lines: [] };
      file.hunks.push(hunk);
      continue;
    }
    if (!hunk) {
      if (line.startsWith('new file mode')) file.status = 'added';
      else if (line.startsWith('deleted file mode')) file.status = 'deleted';
      else if (line.startsWith('Binary files ')) file.status = 'binary';
      continue;
    }
    const kind = line[0];
    if (kind === '+') hunk.lines.push({ kind, text: line.slice(1), line: newLine++ });
    else if (kind === '-') hunk.lines.push({ kind, text: line.slice(1), line: oldLine++ });
    else if (kind === ' ') {
      hunk.lines.push({ kind, text: line.slice(1), line: newLine++ });
      oldLine++;
    }
    // "\ No newline at end of file" and the trailing empty line carry nothing to review.
  }
  return files;
}

/** Path from `a/P b/P` (renames are off, so both halves are equal). */
function headerPath(rest: string): string {
  if (rest.startsWith('"')) return rest.slice(1, rest.indexOf('" ')).replace(/^a\//, '').replace(/\\(.)/g, '$1');
  return rest.slice(2, 2 + (rest.length - 5) / 2);
}

async function untrackedHunks(root: string, path: string): Promise<FileHunks> {
  const file: FileHunks = { path, status: 'untracked', hunks: [] };
  let handle;
  try {
    handle = await open(join(root, path), 'r');
  } catch {
    return file;
  }
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(MAX_UNTRACKED_BYTES), 0, MAX_UNTRACKED_BYTES, 0);
    const bytes = buffer.subarray(0, bytesRead);
    if (bytes.subarray(0, 8000).includes(0)) return { ...file, status: 'binary' };
    const lines = bytes.toString('utf8').split('\n');
    if (lines.at(-1) === '') lines.pop();
    for (let start = 0; start < lines.length; start += UNTRACKED_PIECE_LINES) {
      const piece = lines.slice(start, start + UNTRACKED_PIECE_LINES);
      file.hunks.push({
        header: `@@ -0,0 +${start + 1},${piece.length} @@ (new file)`,
        newStart: start + 1,
        newLines: piece.length,
        lines: piece.map((text, i) => ({ kind: '+' as const, text, line: start + i + 1 })),
      });
    }
    return file;
  } finally {
    await handle.close();
  }
}
