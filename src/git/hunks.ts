/**
 * The changed hunks of a change, with a bounded number of context lines: what a
 * reviewer needs, instead of whole files. Same scopes as `analyseChange` (HEAD, staged,
 * merge base); untracked files count as added, split into hunk-sized pieces so that a
 * large new file can still be chunked between hunks.
 */
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { diffPlan, type ChangeScope } from './change.ts';
import { DiffParser, type DiffFileHeader } from './diff-parser.ts';
import { shippedPackFiles } from '../pack/shipped.ts';
import { DIFF_FLAGS, gitOk, repoInfo, UNTRACKED } from './git.ts';

interface HunkLine {
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

const DEFAULT_CONTEXT_LINES = 3;
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
  const byHeader = new Map<DiffFileHeader, FileHunks>();
  let hunk: Hunk | undefined;
  const parser = new DiffParser({
    file: (header) => {
      const file: FileHunks = { path: header.path, status: 'modified', hunks: [] };
      byHeader.set(header, file);
      files.push(file);
      hunk = undefined;
    },
    hunk: (header, text, _oldStart, newStart, newLines) => {
      hunk = { header: text, newStart, newLines, lines: [] };
      byHeader.get(header)!.hunks.push(hunk);
    },
    line: (_header, kind, text, line) => hunk?.lines.push({ kind, text, line }),
  });
  parser.feed(diff);
  parser.finish();
  // Status and path are final only once the header is read (renames are off: one path each).
  for (const [header, file] of byHeader) {
    file.path = header.path;
    file.status = header.status === 'renamed' ? 'modified' : header.status;
  }
  return files;
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
