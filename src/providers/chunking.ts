/**
 * Output discipline (design §8, "Gemini truncates long output silently"): a request
 * whose expected output is larger than `chunking_threshold` is split into parts that
 * are asked separately and merged. Diffs split by file, never inside a hunk.
 */

export interface DiffFile {
  /** The file's path (the b/ side; a/ side for deletions). */
  path: string;
  /** The whole section, from its `diff --git` line through its last hunk. */
  text: string;
}

/** Splits a unified git diff into per-file sections; text before the first header is kept as "". */
export function splitDiffByFile(diff: string): DiffFile[] {
  const lines = diff.split('\n');
  const files: DiffFile[] = [];
  let current: string[] = [];
  let path = '';
  const flush = () => {
    if (current.length && (path || current.some((l) => l.trim()))) files.push({ path, text: current.join('\n') });
  };
  for (const line of lines) {
    if (line.startsWith('diff --git ')) {
      flush();
      current = [line];
      const m = /^diff --git a\/(.+?) b\/(.+)$/.exec(line);
      path = m ? m[2]! : line.slice('diff --git '.length);
    } else {
      current.push(line);
      if (line.startsWith('+++ ') && line !== '+++ /dev/null') path = line.slice(4).replace(/^b\//, '');
    }
  }
  flush();
  return files;
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

/** Rough expected output in tokens for a request: what decides whether to chunk. */
export function expectedOutputTokens(input: string, ratio = 1): number {
  return Math.ceil((input.length / 4) * ratio);
}

/** Joins the parts' answers in order, labelled so the reader can tell them apart. */
export function mergeChunkReplies(replies: string[]): string {
  if (replies.length === 1) return replies[0]!;
  return replies.map((r, i) => `## Part ${i + 1} of ${replies.length}\n\n${r.trim()}`).join('\n\n');
}
