import { describe, expect, it } from 'vitest';
import { chunkDiff, mergeJson, splitDiffByFile, splitForOutput } from '../../src/providers/chunking.ts';
import { CHARS_PER_TOKEN } from '../../src/util/tokens.ts';

const fileDiff = (name: string, hunks: number) =>
  [
    `diff --git a/${name} b/${name}`,
    'index 1..2 100644',
    `--- a/${name}`,
    `+++ b/${name}`,
    ...Array.from(
      { length: hunks },
      (_, i) => `@@ -${i * 10 + 1},2 +${i * 10 + 1},2 @@\n-old ${i}\n+new ${i}\n context`,
    ),
  ].join('\n');

describe('splitDiffByFile', () => {
  it('splits per file and reassembles to the original', () => {
    const diff = [
      fileDiff('a.ts', 2),
      fileDiff('dir/b.ts', 1),
      'diff --git a/gone.ts b/gone.ts\ndeleted file mode 100644\n--- a/gone.ts\n+++ /dev/null\n@@ -1 +0,0 @@\n-x',
    ].join('\n');
    const files = splitDiffByFile(diff);
    expect(files.map((f) => f.path)).toEqual(['a.ts', 'dir/b.ts', 'gone.ts']);
    expect(files.map((f) => f.text).join('\n')).toBe(diff);
  });

  it('never cuts inside a hunk, even when a file exceeds the chunk size', () => {
    const diff = [fileDiff('big.ts', 50), fileDiff('small.ts', 1), fileDiff('small2.ts', 1)].join('\n');
    const chunks = chunkDiff(diff, 400);
    expect(chunks[0]).toBe(fileDiff('big.ts', 50));
    for (const c of chunks) expect(c.startsWith('diff --git ')).toBe(true);
    expect(chunks.join('\n')).toBe(diff);
  });

  it('splitForOutput keeps a small prompt whole and repeats the preamble per part', () => {
    expect(splitForOutput('short', 100)).toEqual(['short']);
    const parts = splitForOutput(`Review:\n${fileDiff('a.ts', 30)}\n${fileDiff('b.ts', 30)}`, 200);
    expect(parts).toHaveLength(2);
    for (const p of parts) expect(p.startsWith('Review:\n(Part ')).toBe(true);
  });

  it('splitForOutput measures the threshold with the shared token estimate', () => {
    const diff = `${fileDiff('a.ts', 3)}\n${fileDiff('b.ts', 3)}`;
    const fits = Math.ceil(diff.length / CHARS_PER_TOKEN);
    expect(splitForOutput(`Review:\n${diff}`, fits)).toHaveLength(1);
    expect(splitForOutput(`Review:\n${diff}`, fits - 1)).toHaveLength(2);
  });
});

describe('mergeJson', () => {
  it('concatenates arrays and merges objects key by key', () => {
    expect(
      mergeJson([
        { verdict: 'approve', findings: [1] },
        { verdict: 'approve', findings: [2, 3] },
      ]),
    ).toEqual({ value: { verdict: 'approve', findings: [1, 2, 3] } });
    expect(mergeJson([[1], [2]])).toEqual({ value: [1, 2] });
  });

  it('never settles a disagreement by picking a part', () => {
    expect(mergeJson([{ verdict: 'approve' }, { verdict: 'reject' }])).toEqual({
      conflict: 'verdict: "approve" vs "reject"',
    });
  });
});
