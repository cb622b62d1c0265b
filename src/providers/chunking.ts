/**
 * Output discipline (design §8, "Gemini truncates long output silently"): a request
 * whose expected output is larger than `chunking_threshold` is split into parts that
 * are asked separately and merged. Diffs split by file, never inside a hunk.
 */
import { splitDiffSections } from '../git/diff-parser.ts';
import { charsForTokens } from '../util/tokens.ts';

export interface DiffFile {
  /** The file's path (the b/ side; a/ side for deletions). */
  path: string;
  /** The whole section, from its `diff --git` line through its last hunk. */
  text: string;
}

/** Splits a unified diff into per-file sections (the one parser, git/diff-parser); text before the first header is kept as "". */
export function splitDiffByFile(diff: string): DiffFile[] {
  return splitDiffSections(diff)
    .filter((s) => s.file || s.text.trim())
    .map((s) => ({ path: s.file?.path ?? '', text: s.text }));
}

/**
 * Groups per-file sections into chunks of at most `maxChars` each (a single file larger
 * than that is its own chunk: a hunk is never cut).
 */
export function chunkDiff(diff: string, maxChars: number): string[] {
  const chunks: string[] = [];
  let current = '';
  for (const file of splitDiffByFile(diff)) {
    if (current && current.length + file.text.length + 1 > maxChars) {
      chunks.push(current);
      current = '';
    }
    current = current ? `${current}\n${file.text}` : file.text;
  }
  if (current) chunks.push(current);
  return chunks;
}

/** Joins the parts' answers in order, labelled so the reader can tell them apart. */
export function mergeChunkReplies(replies: string[]): string {
  if (replies.length === 1) return replies[0]!;
  return replies.map((r, i) => `## Part ${i + 1} of ${replies.length}\n\n${r.trim()}`).join('\n\n');
}

/**
 * A prompt holding a diff longer than the chunking threshold (in tokens, util/tokens' estimate)
 * becomes one prompt per chunk: the text before the diff, then a whole-file slice of it.
 */
export function splitForOutput(prompt: string, thresholdTokens: number): string[] {
  const at = prompt.indexOf('diff --git ');
  const maxChars = charsForTokens(thresholdTokens);
  if (at < 0 || prompt.length - at <= maxChars) return [prompt];
  const preamble = prompt.slice(0, at);
  const chunks = chunkDiff(prompt.slice(at), maxChars);
  if (chunks.length < 2) return [prompt];
  return chunks.map(
    (chunk, i) => `${preamble}(Part ${i + 1} of ${chunks.length} of the diff; answer for this part only.)\n\n${chunk}`,
  );
}

/**
 * Parts of one structured answer: arrays concatenate, objects merge key by key, equal
 * scalars stay. Different scalars (one part "approve", another "reject") are a conflict
 * mm will not resolve by picking one: the caller gets invalid_output and every part.
 */
export function mergeJson(values: unknown[], path = ''): { value: unknown } | { conflict: string } {
  if (values.every(Array.isArray)) return { value: (values as unknown[][]).flat() };
  if (values.every((v) => v && typeof v === 'object' && !Array.isArray(v))) {
    const out: Record<string, unknown> = {};
    const keys = [...new Set(values.flatMap((v) => Object.keys(v as object)))];
    for (const k of keys) {
      const merged = mergeJson(
        values.map((v) => (v as Record<string, unknown>)[k]).filter((x) => x !== undefined),
        path ? `${path}.${k}` : k,
      );
      if ('conflict' in merged) return merged;
      out[k] = merged.value;
    }
    return { value: out };
  }
  const distinct = new Set(values.map((v) => JSON.stringify(v)));
  return distinct.size <= 1 ? { value: values[0] } : { conflict: `${path || '(root)'}: ${[...distinct].join(' vs ')}` };
}
