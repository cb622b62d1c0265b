import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { analyseChange, parseUnifiedDiff, SecurityScanner } from '../../src/git/change.ts';
import { DEFAULT_SECURITY_PATTERNS } from '../../src/config/schema.ts';
import { MmError } from '../../src/util/errors.ts';
import { tempDir, tempRepo, type TempRepo } from '../helpers/repo.ts';

const P = DEFAULT_SECURITY_PATTERNS;
let repo: TempRepo;
afterEach(() => repo?.cleanup());

describe('analyseChange on real repositories', () => {
  it('counts modified, added, deleted, binary and untracked files and their lines', async () => {
    repo = tempRepo();
    repo.write('src/a.ts', 'one\ntwo\nthree\n');
    repo.write('src/gone.ts', 'bye\n');
    repo.write('img.bin', Buffer.from([0, 1, 2, 3]).toString('latin1'));
    repo.commitAll();
    repo.write('src/a.ts', 'one\nTWO\nthree\nfour\n');
    repo.git('rm', '-q', 'src/gone.ts');
    repo.write('src/new.ts', 'fresh\n');
    repo.git('add', 'src/new.ts');
    writeFileSync(join(repo.dir, 'img.bin'), Buffer.from([0, 9, 9, 9]));
    repo.write('notes/todo.md', 'a\nb\n');

    const c = await analyseChange(repo.dir, { kind: 'head' }, P);
    const byPath = Object.fromEntries(c.files.map((f) => [f.path, f]));
    expect(c.compared).toBe('working tree vs HEAD');
    expect(byPath['src/a.ts']).toMatchObject({ status: 'modified', added: 2, removed: 1 });
    expect(byPath['src/gone.ts']).toMatchObject({ status: 'deleted', added: 0, removed: 1 });
    expect(byPath['src/new.ts']).toMatchObject({ status: 'added', added: 1 });
    expect(byPath['img.bin']).toMatchObject({ status: 'binary', added: 0, removed: 0 });
    expect(byPath['notes/todo.md']).toMatchObject({ status: 'untracked', added: 2 });
    expect(c.files).toHaveLength(5);
    expect(c.added).toBe(5);
    expect(c.removed).toBe(2);
    expect(c.estimatedTokens).toBeGreaterThan(0);
  });

  it('finds security concepts in changed paths and in added and removed lines, with line numbers', async () => {
    repo = tempRepo();
    repo.write('src/util.ts', 'export const a = 1;\nconst check = verifyAccessToken(req);\nexport const b = 2;\n');
    repo.commitAll();
    repo.write(
      'src/util.ts',
      'export const a = 1;\nexport const b = 2;\nconst mac = crypto.createHmac("sha256", key);\n',
    );
    repo.write('src/auth/middleware.ts', 'export {};\n');
    const c = await analyseChange(repo.dir, { kind: 'head' }, P);
    expect(c.securitySensitive).toBe(true);
    expect(c.securityFiles).toBe(2);
    expect(c.securityHits).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          concept: 'secret',
          term: 'access token',
          file: 'src/util.ts',
          where: 'removed',
          line: 2,
        }),
        expect.objectContaining({ concept: 'crypto', file: 'src/util.ts', where: 'added', line: 3, place: 'code' }),
        expect.objectContaining({ concept: 'auth', file: 'src/auth/middleware.ts', where: 'path', place: 'path' }),
      ]),
    );
  });

  it('an ordinary change that only mentions tokens and authors is not security-sensitive', async () => {
    repo = tempRepo();
    repo.write('src/usage.ts', 'export const a = 1;\n');
    repo.commitAll();
    repo.write('src/usage.ts', 'export const maxTokens = 4096;\nconst assoc = pr.author_association;\n');
    repo.write('README.md', 'Authentication and secrets are described elsewhere.\n');
    const c = await analyseChange(repo.dir, { kind: 'head' }, P);
    expect(c.securitySensitive).toBe(false);
    expect(c.securityFiles).toBe(0);
    expect(c.securityHits.map((h) => [h.file, h.place])).toEqual([
      ['README.md', 'prose'],
      ['README.md', 'prose'],
    ]);
  });

  it('reports architecture evidence: a new package and a dependency added', async () => {
    repo = tempRepo();
    repo.write('package.json', '{\n  "dependencies": {\n    "zod": "^4.0.0"\n  }\n}\n');
    repo.commitAll();
    repo.write('package.json', '{\n  "dependencies": {\n    "left-pad": "^1.3.0",\n    "zod": "^4.0.0"\n  }\n}\n');
    repo.write('packages/tools/package.json', '{ "name": "tools" }\n');
    const c = await analyseChange(repo.dir, { kind: 'head' }, P);
    expect(c.architecture.changed).toBe(true);
    expect(c.architecture.evidence).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'module', file: 'packages/tools/package.json' }),
        expect.objectContaining({
          kind: 'dependency',
          file: 'package.json',
          line: 3,
          text: 'adds dependency left-pad',
        }),
      ]),
    );
  });

  it('--staged sees only the index; untracked files are left out', async () => {
    repo = tempRepo();
    repo.write('a.ts', 'x\n');
    repo.commitAll();
    repo.write('a.ts', 'y\n');
    repo.write('b.ts', 'staged\n');
    repo.git('add', 'b.ts');
    repo.write('c.ts', 'untracked\n');
    const c = await analyseChange(repo.dir, { kind: 'staged' }, P);
    expect(c.files.map((f) => f.path)).toEqual(['b.ts']);
  });

  it('--base compares with the merge base, including work on the branch and in the tree', async () => {
    repo = tempRepo();
    repo.git('checkout', '-q', '-b', 'feature');
    repo.write('feature.ts', 'f\n');
    repo.commitAll('feature work');
    repo.git('checkout', '-q', 'main');
    repo.write('main-only.ts', 'm\n');
    repo.commitAll('main moved on');
    repo.git('checkout', '-q', 'feature');
    repo.write('wip.ts', 'w\n');
    const c = await analyseChange(repo.dir, { kind: 'base', ref: 'main' }, P);
    expect(c.files.map((f) => f.path).sort()).toEqual(['feature.ts', 'wip.ts']);
    expect(c.compared).toBe('working tree vs merge base with main');
  });

  it('--base from a subdirectory with diff.relative set, with two merge bases, and with no shared history', async () => {
    repo = tempRepo();
    repo.write('src/deep/a.ts', 'a\n');
    repo.write('top.ts', 't\n');
    repo.commitAll();
    repo.git('config', 'diff.relative', 'true');
    repo.write('src/deep/a.ts', 'b\n');
    repo.write('top.ts', 'u\n');
    const c = await analyseChange(join(repo.dir, 'src', 'deep'), { kind: 'base', ref: 'HEAD' }, P);
    expect(c.files.map((f) => f.path).sort()).toEqual(['src/deep/a.ts', 'top.ts']);
    // Criss-cross history: `git diff --merge-base` refuses two merge bases; mm falls back to one of them.
    repo.git('checkout', '-q', '-f', '-b', 'x');
    repo.write('x.ts', 'x\n');
    repo.commitAll('x');
    repo.git('checkout', '-q', 'main');
    repo.write('y.ts', 'y\n');
    repo.commitAll('y');
    repo.git('merge', '-q', '--no-edit', 'x');
    repo.git('checkout', '-q', 'x');
    repo.git('merge', '-q', '--no-edit', 'main~1');
    repo.write('x2.ts', 'x2\n');
    repo.commitAll('x2');
    const criss = await analyseChange(repo.dir, { kind: 'base', ref: 'main' }, P);
    expect(criss.compared).toBe('working tree vs merge base with main');
    expect(criss.files.map((f) => f.path)).toContain('x2.ts');
    repo.git('checkout', '-q', '--orphan', 'alone');
    repo.commitAll('alone');
    const err = (await analyseChange(repo.dir, { kind: 'base', ref: 'main' }, P).catch((e) => e)) as MmError;
    expect(err.message).toBe('"main" shares no history with HEAD');
  });

  it('works before the first commit, and from a subdirectory', async () => {
    repo = tempRepo({ commit: false });
    repo.write('src/deep/a.ts', 'a\n');
    repo.git('add', '-A');
    repo.write('src/deep/b.ts', 'b\n');
    const c = await analyseChange(join(repo.dir, 'src', 'deep'), { kind: 'head' }, P);
    expect(c.compared).toBe('working tree (no commits yet)');
    expect(c.files.map((f) => f.path).sort()).toEqual(['src/deep/a.ts', 'src/deep/b.ts']);
  });

  it('handles paths with spaces and non-ASCII names', async () => {
    repo = tempRepo();
    repo.write('my file.ts', 'a\n');
    repo.write('café/naïve.ts', 'a\n');
    repo.commitAll();
    repo.write('my file.ts', 'b\n');
    repo.write('café/naïve.ts', 'b\n');
    const c = await analyseChange(repo.dir, { kind: 'head' }, P);
    expect(c.files.map((f) => f.path).sort()).toEqual(['café/naïve.ts', 'my file.ts']);
  });

  it('an empty change is zero files', async () => {
    repo = tempRepo();
    const c = await analyseChange(repo.dir, { kind: 'head' }, P);
    expect(c.files).toEqual([]);
    expect(c.estimatedTokens).toBe(0);
  });

  it('outside a git repository, or with a bad ref, says so clearly', async () => {
    const dir = tempDir();
    await expect(analyseChange(dir, { kind: 'head' }, P)).rejects.toMatchObject({
      kind: 'not_a_repo',
      message: expect.stringContaining('not inside a git work tree'),
    });
    repo = tempRepo();
    const err = (await analyseChange(repo.dir, { kind: 'base', ref: 'no-such-branch' }, P).catch((e) => e)) as MmError;
    expect(err.kind).toBe('input');
    expect(err.message).toBe('unknown git ref "no-such-branch": no commit by that name in this repository');
    await expect(analyseChange(repo.dir, { kind: 'base', ref: '--output=/tmp/x' }, P)).rejects.toMatchObject({
      kind: 'input',
    });
  });

  it('a large untracked file counts fully: the same estimate as once it is staged', async () => {
    repo = tempRepo();
    repo.write('seed.txt', 'x\n');
    repo.commitAll();
    const line = 'const value = compute(input, options); // a line of ordinary code\n';
    repo.write('big.ts', line.repeat(Math.ceil(2_600_000 / line.length)));
    const untracked = await analyseChange(repo.dir, { kind: 'head' }, P);
    repo.git('add', 'big.ts');
    const staged = await analyseChange(repo.dir, { kind: 'staged' }, P);
    expect(staged.estimatedTokens).toBeGreaterThan(600_000);
    expect(Math.abs(untracked.estimatedTokens - staged.estimatedTokens)).toBeLessThan(staged.estimatedTokens / 100);
    expect(untracked.files[0]).toMatchObject({ path: 'big.ts', status: 'untracked', added: staged.files[0]!.added });
  });

  it('an unreadable untracked file is counted, not fatal', async () => {
    repo = tempRepo();
    repo.write('secret.txt', 'password=1\n');
    chmodSync(join(repo.dir, 'secret.txt'), 0o000);
    const c = await analyseChange(repo.dir, { kind: 'head' }, P);
    expect(c.files.map((f) => f.path)).toEqual(['secret.txt']);
  });
});

describe('parseUnifiedDiff', () => {
  it('does not count header lines as changes', () => {
    const diff = [
      'diff --git a/x b/x',
      'index 1..2 100644',
      '--- a/x',
      '+++ b/x',
      '@@ -1 +1 @@',
      '-old',
      '+new',
      '',
    ].join('\n');
    const { list } = parseUnifiedDiff(diff, new SecurityScanner([]));
    expect(list).toEqual([{ path: 'x', status: 'modified', added: 1, removed: 1, security: [] }]);
  });

  it('unquotes C-quoted paths', () => {
    const diff = ['diff --git "a/tab\\there" "b/tab\\there"', 'new file mode 100644', '@@ -0,0 +1 @@', '+x', ''].join(
      '\n',
    );
    expect(parseUnifiedDiff(diff, new SecurityScanner([])).list[0]).toMatchObject({
      path: 'tab\there',
      status: 'added',
      added: 1,
    });
  });
});
