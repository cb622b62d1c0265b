import { afterEach, describe, expect, it } from 'vitest';
import { buildPacket, MAX_CONTEXT_LINE_CHARS, renderHunk } from '../../src/context/packet.ts';
import { estimateTokens } from '../../src/util/tokens.ts';
import { parseHunks } from '../../src/git/hunks.ts';
import { collectHunks, type FileHunks } from '../../src/git/hunks.ts';
import { tempRepo, type TempRepo } from '../helpers/repo.ts';

const lines = (n: number, tag: string) =>
  Array.from({ length: n }, (_, i) => `${tag} line ${i + 1} with some words to make it longer`).join('\n') + '\n';

let repo: TempRepo | undefined;
afterEach(() => repo?.cleanup());

function editEvery(content: string, every: number): string {
  return content
    .split('\n')
    .map((l, i) => (i % every === 5 ? `${l} // changed` : l))
    .join('\n');
}

describe('review packet', () => {
  it('bounds context lines and drops blank context at hunk edges; changed lines are sent whole', () => {
    const long = `const x = ${'y'.repeat(200)};`;
    const diff = [
      'diff --git a/f.ts b/f.ts',
      '--- a/f.ts',
      '+++ b/f.ts',
      '@@ -1,6 +1,6 @@ function f() {',
      ' ',
      ` ${long}`,
      '-old',
      `+${long} // new`,
      ' keep',
      ' ',
    ].join('\n');
    const text = renderHunk(parseHunks(diff)[0]!.hunks[0]!);
    expect(text.split('\n')).toEqual([
      '@@ function f() {',
      `2 ${long.slice(0, MAX_CONTEXT_LINE_CHARS)}…`,
      '-old',
      `3+${long} // new`,
      '4 keep',
    ]);
  });

  it('holds the changed hunks with bounded context, not whole files', async () => {
    repo = tempRepo();
    repo.write('src/big.ts', lines(400, 'big'));
    repo.commitAll('base');
    repo.write('src/big.ts', lines(400, 'big').replace('big line 200 with', 'big line 200 CHANGED with'));
    const set = await collectHunks(repo.dir, { kind: 'head' });
    const packet = buildPacket(set.files, { chunkTokens: 32000 });
    expect(packet.hunks).toBe(1);
    expect(packet.chunks).toHaveLength(1);
    const text = packet.chunks[0]!.text;
    expect(text).toContain('200+big line 200 CHANGED');
    expect(text).toContain('-big line 200 with');
    expect(text).toContain('197 big line 197'); // 3 lines of context
    expect(text).not.toContain('\n196 '); // (git's section heading may name line 196; its body is not sent)
    expect(packet.tokens * 20).toBeLessThan(estimateTokens(lines(400, 'big')));
  });

  it('splits by file above the threshold, never inside a hunk, and keeps every hunk', async () => {
    repo = tempRepo();
    for (const f of ['a', 'b', 'c']) repo.write(`src/${f}.ts`, lines(300, f));
    repo.commitAll('base');
    for (const f of ['a', 'b', 'c']) repo.write(`src/${f}.ts`, editEvery(lines(300, f), 20));
    const set = await collectHunks(repo.dir, { kind: 'head' });
    const total = set.files.reduce((n, f) => n + f.hunks.length, 0);
    const limit = 400;
    const packet = buildPacket(set.files, { chunkTokens: limit });
    expect(packet.chunks.length).toBeGreaterThan(3); // each file is split into parts too
    for (const c of packet.chunks) expect(c.tokens).toBeLessThanOrEqual(limit);
    const hunkHeaders = packet.chunks.reduce((n, c) => n + (c.text.match(/^@@/gm) ?? []).length, 0);
    expect(hunkHeaders).toBe(total);
    // Every changed line is present exactly once across chunks.
    const all = packet.chunks.map((c) => c.text).join('\n');
    expect((all.match(/\/\/ changed/g) ?? []).length).toBe(total);
    expect(all).toContain('[part 2 of');
  });

  it('sends a single hunk bigger than the threshold whole, flagged oversized', () => {
    const file: FileHunks = {
      path: 'x.ts',
      status: 'modified',
      hunks: [
        {
          header: '@@ -1,0 +1,200 @@',
          newStart: 1,
          newLines: 200,
          lines: Array.from({ length: 200 }, (_, i) => ({ kind: '+' as const, text: 'x'.repeat(40), line: i + 1 })),
        },
      ],
    };
    const packet = buildPacket([file], { chunkTokens: 100 });
    expect(packet.chunks).toHaveLength(1);
    expect(packet.chunks[0]!.oversized).toBe(true);
  });

  it('includes untracked files as added, and skips binaries with a reason', async () => {
    repo = tempRepo();
    repo.write('new.ts', 'export const a = 1;\n');
    repo.write('img.bin', '\0\0\0binary');
    const set = await collectHunks(repo.dir, { kind: 'head' });
    const packet = buildPacket(set.files, { chunkTokens: 32000 });
    expect(packet.chunks[0]!.text).toContain('1+export const a = 1;');
    expect(packet.skipped).toEqual([{ path: 'img.bin', why: 'binary file' }]);
  });

  it("leaves mm's own run state out of the change", async () => {
    repo = tempRepo();
    repo.write('.claude/mm/runs/CURRENT', 'x\n');
    repo.write('a.ts', 'a\n');
    const set = await collectHunks(repo.dir, { kind: 'head' });
    expect(set.files.map((f) => f.path)).toEqual(['a.ts']);
  });

  it('adds related files from the map within the budget', () => {
    const file: FileHunks = {
      path: 'a.ts',
      status: 'modified',
      hunks: [{ header: '@@ -1 +1 @@', newStart: 1, newLines: 1, lines: [{ kind: '+', text: 'x', line: 1 }] }],
    };
    const packet = buildPacket([file], {
      chunkTokens: 32000,
      related: () => [{ path: 'b.ts', relation: 'imports', of: 'a.ts', symbols: ['helper', 'Thing'] }],
    });
    expect(packet.chunks[0]!.text).toContain('- b.ts (imported by a.ts): helper, Thing');
    const tight = buildPacket([file], {
      chunkTokens: 32000,
      contextBudget: 5,
      related: () => [{ path: 'b.ts', relation: 'imports', of: 'a.ts', symbols: [] }],
    });
    expect(tight.chunks[0]!.text).not.toContain('b.ts');
  });
});
