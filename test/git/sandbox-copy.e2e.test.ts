import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  statSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { changeInCopy, SANDBOX_PREFIX, withSandboxCopy } from '../../src/git/sandbox-copy.ts';
import { secretPathMatcher } from '../../src/secrets/paths.ts';
import { tempDir, tempRepo, type TempRepo } from '../helpers/repo.ts';

let repo: TempRepo | undefined;
afterEach(() => repo?.cleanup());

const gitIn = (dir: string, ...args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf8' });

function project(): TempRepo {
  repo = tempRepo();
  repo.write('.gitignore', 'dist/\n');
  repo.write('src/app.ts', 'export const app = 1;\n');
  repo.write('src/gone.ts', 'deleted in the working tree\n');
  repo.write('run.sh', '#!/bin/sh\necho hi\n');
  chmodSync(join(repo.dir, 'run.sh'), 0o755);
  repo.write('.env', 'TOKEN=committed-secret\n');
  repo.write('config/prod.secret.yaml', 'password: hunter2\n');
  repo.commitAll('base with committed secrets');
  repo.write('src/app.ts', 'export const app = 2; // uncommitted\n');
  unlinkSync(join(repo.dir, 'src/gone.ts'));
  repo.write('notes/todo.md', 'untracked work\n');
  repo.write('deploy.pem', 'untracked key\n');
  repo.write('dist/out.js', 'ignored build output\n');
  symlinkSync('.env', join(repo.dir, 'innocent.txt')); // a link to a secret is the secret
  symlinkSync('/etc/hostname', join(repo.dir, 'host.txt')); // a link out of the repository
  symlinkSync('src/app.ts', join(repo.dir, 'app-link.ts')); // a link inside stays a link
  return repo;
}

describe('withSandboxCopy', () => {
  it('copies the working state without secrets or history; changes come back as a patch; removed afterwards', async () => {
    const r0 = project();
    const statusBefore = r0.git('status', '--porcelain');
    const isSecret = secretPathMatcher(['config/*.secret.yaml']);
    let seen = '';
    const change = await withSandboxCopy(r0.dir, isSecret, async (copy) => {
      seen = copy.dir;
      expect(copy.dir.includes(SANDBOX_PREFIX)).toBe(true);
      const files = gitIn(copy.dir, 'ls-files').trim().split('\n').sort();
      expect(files).toEqual(['.gitignore', 'README.md', 'app-link.ts', 'notes/todo.md', 'run.sh', 'src/app.ts']);
      expect(copy.withheld).toEqual([
        '.env (secret path)',
        'config/prod.secret.yaml (secret path)',
        'deploy.pem (secret path)',
        'host.txt (link to outside the repository)',
        'innocent.txt (secret path)',
      ]);
      expect(readFileSync(join(copy.dir, 'src/app.ts'), 'utf8')).toContain('uncommitted');
      expect(statSync(join(copy.dir, 'run.sh')).mode & 0o111).not.toBe(0);
      expect(lstatSync(join(copy.dir, 'app-link.ts')).isSymbolicLink()).toBe(true);
      expect(existsSync(join(copy.dir, 'dist'))).toBe(false);
      // One commit, no objects holding the committed secrets.
      expect(gitIn(copy.dir, 'rev-list', '--all').trim().split('\n')).toHaveLength(1);
      expect(gitIn(copy.dir, 'log', '--all', '-p')).not.toContain('committed-secret');
      // The model edits, adds, commits: all of it is the change.
      writeFileSync(join(copy.dir, 'src/app.ts'), 'export const app = 3;\n');
      writeFileSync(join(copy.dir, 'repro.test.ts'), 'test()\n');
      mkdirSync(join(copy.dir, 'dist'));
      writeFileSync(join(copy.dir, 'dist/build.js'), 'ignored by the copied .gitignore\n');
      return changeInCopy(copy);
    });
    expect(change.files.sort()).toEqual(['repro.test.ts', 'src/app.ts']);
    expect(change.patch).toContain('-export const app = 2; // uncommitted');
    expect(change.patch).toContain('+export const app = 3;');
    expect(existsSync(seen)).toBe(false);
    expect(r0.git('status', '--porcelain')).toBe(statusBefore);
    expect(readFileSync(join(r0.dir, 'src/app.ts'), 'utf8')).toContain('uncommitted');
  });

  it('links untracked folders (node_modules) without copying them or putting them in the patch; refuses secrets and outside paths', async () => {
    const r0 = project();
    r0.write('.gitignore', 'dist/\nnode_modules/\n');
    r0.write('node_modules/dep/index.js', 'module.exports = 1;\n');
    const isSecret = secretPathMatcher();
    const change = await withSandboxCopy(
      r0.dir,
      isSecret,
      async (copy) => {
        expect(lstatSync(join(copy.dir, 'node_modules')).isSymbolicLink()).toBe(true);
        expect(readFileSync(join(copy.dir, 'node_modules/dep/index.js'), 'utf8')).toContain('module.exports');
        expect(gitIn(copy.dir, 'ls-files')).not.toContain('node_modules');
        expect(existsSync(copy.tmp)).toBe(true);
        expect(copy.tmp.startsWith(copy.dir)).toBe(false);
        return changeInCopy(copy);
      },
      { links: ['node_modules'] },
    );
    expect(change).toEqual({ patch: '', files: [] });
    await expect(withSandboxCopy(r0.dir, isSecret, async () => {}, { links: ['.env'] })).rejects.toThrow(
      'a secret path is never linked',
    );
    await expect(withSandboxCopy(r0.dir, isSecret, async () => {}, { links: ['../elsewhere'] })).rejects.toThrow(
      'no such path inside the repository',
    );
  });

  it('is removed when the work throws', async () => {
    const r0 = project();
    const temp = tempDir('mm-sandbox-root-');
    let seen = '';
    await expect(
      withSandboxCopy(
        r0.dir,
        secretPathMatcher(),
        async (copy) => {
          seen = copy.dir;
          throw new Error('boom');
        },
        { tempRoot: temp },
      ),
    ).rejects.toThrow('boom');
    expect(existsSync(seen)).toBe(false);
    expect(readdirSync(temp)).toEqual([]);
  });
});
