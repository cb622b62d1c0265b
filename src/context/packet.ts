/**
 * Review packets (design §5.4, §6): the changed hunks with bounded context, never whole
 * files, numbered with new-file lines so findings can cite file:line. Above the
 * chunking threshold the packet is split by file, and a file too big for one chunk is
 * split between hunks, never inside one. Files the repo map links to a chunk's files
 * are listed by their exported symbols, within the model's context budget.
 */
import type { FileHunks, Hunk } from '../git/hunks.ts';

import { estimateTokens } from '../util/tokens.ts';

export interface RelatedFile {
  path: string;
  /** "imports" (the changed file imports it) or "imported-by". */
  relation: 'imports' | 'imported-by';
  of: string;
  symbols: string[];
}

interface PacketChunk {
  index: number;
  files: string[];
  text: string;
  tokens: number;
  /** A single hunk larger than the threshold: sent whole rather than cut. */
  oversized: boolean;
}

export interface Packet {
  chunks: PacketChunk[];
  tokens: number;
  hunks: number;
  files: number;
  skipped: Array<{ path: string; why: string }>;
}

export interface PacketOptions {
  /** Tokens per chunk (models.gemini.chunking_threshold). */
  chunkTokens: number;
  /** Tokens the model can take in (registry context_in), for related-file context. */
  contextBudget?: number;
  related?: (paths: string[]) => RelatedFile[];
}

/**
 * Tokens per chunk for these models: the chunking threshold, or half the smallest
 * context window (the rest is prompt, related files and the reply), whichever is less.
 */
export function chunkLimit(chunkingThreshold: number, contextWindows: Array<number | null | undefined>): number {
  const windows = contextWindows.filter((w): w is number => typeof w === 'number' && w > 0);
  return windows.length ? Math.min(chunkingThreshold, Math.floor(Math.min(...windows) / 2)) : chunkingThreshold;
}

/**
 * Context lines are there for orientation, not review: one longer than this is cut (with
 * "…"), and blank context at a hunk's edges is dropped. Changed lines are never touched.
 */
export const MAX_CONTEXT_LINE_CHARS = 100;
const MAX_SECTION_CHARS = 60;

/**
 * A hunk as the reviewer sees it: each line carries its new-file number (removed lines
 * carry none), so the `@@ -a,b +c,d @@` ranges are dropped as redundant; git's section
 * heading (the enclosing function) is kept.
 */
export function renderHunk(hunk: Hunk): string {
  // git's section heading (the enclosing function) orients the reader; its first words are enough.
  const heading = (/^@@[^@]*@@ ?(.*)$/.exec(hunk.header)?.[1] ?? '').trim();
  const section = heading.length > MAX_SECTION_CHARS ? `${heading.slice(0, MAX_SECTION_CHARS)}…` : heading;
  const out = [`@@ ${section}`.trimEnd()];
  const blankContext = (i: number) => hunk.lines[i]!.kind === ' ' && hunk.lines[i]!.text.trim() === '';
  let first = 0;
  let last = hunk.lines.length - 1;
  while (first < last && blankContext(first)) first++;
  while (last > first && blankContext(last)) last--;
  for (const l of hunk.lines.slice(first, last + 1)) {
    const text =
      l.kind === ' ' && l.text.length > MAX_CONTEXT_LINE_CHARS ? `${l.text.slice(0, MAX_CONTEXT_LINE_CHARS)}…` : l.text;
    out.push(`${l.kind === '-' ? '' : l.line}${l.kind}${text}`);
  }
  return out.join('\n');
}

function fileHeader(file: FileHunks, part?: { n: number; of: number }): string {
  const added = file.hunks.reduce((n, h) => n + h.lines.filter((l) => l.kind === '+').length, 0);
  const removed = file.hunks.reduce((n, h) => n + h.lines.filter((l) => l.kind === '-').length, 0);
  // "modified" is the common case and goes without saying.
  return `### ${file.path} (${file.status === 'modified' ? '' : `${file.status}, `}+${added} −${removed})${part ? ` [part ${part.n} of ${part.of}]` : ''}`;
}

/** Split the hunk set into chunks of at most `chunkTokens` (unless one hunk alone is bigger). */
export function buildPacket(files: FileHunks[], opts: PacketOptions): Packet {
  const limit = opts.chunkTokens;
  const skipped: Packet['skipped'] = [];
  interface Piece {
    path: string;
    text: string;
    tokens: number;
    oversized: boolean;
  }
  const pieces: Piece[] = [];
  for (const file of files) {
    if (file.status === 'binary') {
      skipped.push({ path: file.path, why: 'binary file' });
      continue;
    }
    if (file.hunks.length === 0) continue;
    const hunks = file.hunks.map(renderHunk);
    const whole = [fileHeader(file), ...hunks].join('\n');
    if (estimateTokens(whole) <= limit) {
      pieces.push({ path: file.path, text: whole, tokens: estimateTokens(whole), oversized: false });
      continue;
    }
    // Too big for one chunk: group consecutive hunks into parts that each fit.
    const groups: string[][] = [];
    let current: string[] = [];
    let size = 0;
    const headerTokens = estimateTokens(fileHeader(file, { n: 99, of: 99 })) + 1;
    for (const h of hunks) {
      const t = estimateTokens(h) + 1;
      if (current.length && size + t + headerTokens > limit) {
        groups.push(current);
        current = [];
        size = 0;
      }
      current.push(h);
      size += t;
    }
    if (current.length) groups.push(current);
    groups.forEach((g, i) => {
      const text = [fileHeader(file, { n: i + 1, of: groups.length }), ...g].join('\n');
      const tokens = estimateTokens(text);
      pieces.push({ path: file.path, text, tokens, oversized: tokens > limit });
    });
  }

  const chunks: PacketChunk[] = [];
  let open: Piece[] = [];
  const close = () => {
    if (!open.length) return;
    const text = open.map((p) => p.text).join('\n\n');
    chunks.push({
      index: chunks.length,
      files: [...new Set(open.map((p) => p.path))],
      text,
      tokens: estimateTokens(text),
      oversized: open.some((p) => p.oversized),
    });
    open = [];
  };
  let openTokens = 0;
  for (const piece of pieces) {
    if (open.length && openTokens + piece.tokens + 1 > limit) {
      close();
      openTokens = 0;
    }
    open.push(piece);
    openTokens += piece.tokens + 1;
  }
  close();

  if (opts.related) addRelatedContext(chunks, opts);
  return {
    chunks,
    tokens: chunks.reduce((n, c) => n + c.tokens, 0),
    hunks: files.reduce((n, f) => n + (f.status === 'binary' ? 0 : f.hunks.length), 0),
    files: files.filter((f) => f.status !== 'binary' && f.hunks.length > 0).length,
    skipped,
  };
}

/** Related files' exported symbols, appended while the chunk stays within both limits. */
function addRelatedContext(chunks: PacketChunk[], opts: PacketOptions): void {
  const budget = Math.min(opts.chunkTokens, opts.contextBudget ?? Number.POSITIVE_INFINITY);
  for (const chunk of chunks) {
    const related = opts.related!(chunk.files).filter((r) => !chunk.files.includes(r.path));
    if (!related.length) continue;
    const lines = ['', '### Related files (from ai/repo.map.json; exported symbols only, not their content)'];
    let tokens = chunk.tokens + estimateTokens(lines.join('\n'));
    let added = 0;
    for (const r of related) {
      const line = `- ${r.path} (${r.relation === 'imports' ? 'imported by' : 'imports'} ${r.of})${r.symbols.length ? `: ${r.symbols.slice(0, 12).join(', ')}` : ''}`;
      const t = estimateTokens(line) + 1;
      if (tokens + t > budget) break;
      lines.push(line);
      tokens += t;
      added++;
    }
    if (!added) continue;
    chunk.text += lines.join('\n');
    chunk.tokens = estimateTokens(chunk.text);
  }
}
