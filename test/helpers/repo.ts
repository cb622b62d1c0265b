/** Real temporary git repositories for tests. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface TempRepo {
  dir: string;
  write(path: string, content: string): void;
  git(...args: string[]): string;
  commitAll(message?: string): void;
  cleanup(): void;
}

export function tempDir(prefix = 'mm-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function tempRepo(opts: { commit?: boolean } = {}): TempRepo {
  const dir = tempDir('mm-repo-');
  const run = (...args: string[]) =>
    execFileSync('git', args, {
      cwd: dir,
      encoding: 'utf8',
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 't',
        GIT_AUTHOR_EMAIL: 't@example.com',
        GIT_COMMITTER_NAME: 't',
        GIT_COMMITTER_EMAIL: 't@example.com',
      },
    });
  run('init', '-q', '-b', 'main');
  const repo: TempRepo = {
    dir,
    write(path, content) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), content);
    },
    git: run,
    commitAll(message = 'commit') {
      run('add', '-A');
      run('commit', '-q', '--allow-empty', '-m', message);
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
  if (opts.commit !== false) {
    repo.write('README.md', '# test\n');
    repo.commitAll('initial');
  }
  return repo;
}
