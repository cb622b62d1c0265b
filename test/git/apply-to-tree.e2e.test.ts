import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyToTree } from '../../src/git/apply-to-tree.ts';
import { tempDir, tempRepo } from '../helpers/repo.ts';

/** A patch taken against the working state (HEAD plus uncommitted work), as develop and pipeline store them. */
function patchFrom(from: string, to: string): string {
  const dir = tempDir('mm-patch-');
  const file = join(dir, 'p.diff');
  writeFileSync(
    file,
    ['diff --git a/a.txt b/a.txt', '--- a/a.txt', '+++ b/a.txt', '@@ -1 +1 @@', `-${from}`, `+${to}`, ''].join('\n'),
  );
  return file;
}

describe('applyToTree', () => {
  it('applies a patch to a file with unstaged changes (where --3way alone refuses)', async () => {
    const repo = tempRepo();
    repo.write('a.txt', 'one\n');
    repo.commitAll('base');
    repo.write('a.txt', 'two\n'); // the user's uncommitted work the patch was taken against
    expect(await applyToTree(repo.dir, patchFrom('two', 'three'))).toEqual({ ok: true });
    expect(readFileSync(join(repo.dir, 'a.txt'), 'utf8')).toBe('three\n');
  });

  it('a patch that fits neither way is refused with git’s reason, and the tree is unchanged', async () => {
    const repo = tempRepo();
    repo.write('a.txt', 'one\n');
    repo.commitAll('base');
    repo.write('a.txt', 'two\n');
    const r = await applyToTree(repo.dir, patchFrom('nine', 'ten'));
    expect(r.ok).toBe(false);
    expect(r.ok ? '' : r.reason).toMatch(/a\.txt/);
    expect(readFileSync(join(repo.dir, 'a.txt'), 'utf8')).toBe('two\n');
  });
});
