import { spawn } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { withScratchWorktree } from '../../src/git/scratch-worktree.ts';
import { bundleScript } from '../helpers/node-workers.ts';
import { tempDir, tempRepo, type TempRepo } from '../helpers/repo.ts';

let repo: TempRepo | undefined;
const temps: string[] = [];
afterEach(() => {
  repo?.cleanup();
  for (const t of temps.splice(0)) rmSync(t, { recursive: true, force: true });
});

const SRC = resolve(import.meta.dirname, '../../src');

describe('withScratchWorktree', () => {
  it('holds the uncommitted state, leaves the checkout alone and is removed afterwards', async () => {
    repo = tempRepo();
    repo.write('README.md', '# edited\n');
    repo.write('new.txt', 'untracked\n');
    const before = repo.git('status', '--porcelain');
    let seen = '';
    await withScratchWorktree(repo.dir, async (dir) => {
      seen = dir;
      expect(readdirSync(dir).sort()).toEqual(['.git', 'README.md', 'new.txt']);
      writeFileSync(join(dir, 'README.md'), 'scribbled by a model\n');
    });
    expect(existsSync(seen)).toBe(false);
    expect(repo.git('worktree', 'list').trim().split('\n')).toHaveLength(1);
    expect(repo.git('status', '--porcelain')).toBe(before);
  });

  it("does not run the user's post-checkout hook", async () => {
    repo = tempRepo();
    const marker = join(repo.dir, '..', `hook-ran-${Date.now()}`);
    repo.write('.git/hooks/post-checkout', `#!/bin/sh\ntouch "${marker}"\n`);
    chmodSync(join(repo.dir, '.git/hooks/post-checkout'), 0o755);
    await withScratchWorktree(repo.dir, async () => {});
    expect(existsSync(marker)).toBe(false);
  });

  it('Ctrl-C while a child runs in it (the runner then exits the process) still removes the worktree', async () => {
    repo = tempRepo();
    const temp = tempDir('mm-scratch-root-'); // TMPDIR: where the scratch worktree goes
    temps.push(temp);
    // Bundled with esbuild and run by plain node (under --import tsx the child spent ~0.7 CPU-s starting).
    const script = await bundleScript(
      tempDir('mm-scratch-script-'),
      'scratch-sigint.mjs',
      [
        `import { withScratchWorktree } from ${JSON.stringify(join(SRC, 'git/scratch-worktree.ts'))};`,
        `import { runProcess } from ${JSON.stringify(join(SRC, 'process/runner.ts'))};`,
        `await withScratchWorktree(${JSON.stringify(repo.dir)}, async (dir) => {`,
        `  setTimeout(() => process.stdout.write('ready\\n'), 200);`,
        `  await runProcess({ command: 'sleep', args: ['30'], cwd: dir, timeoutMs: 60_000 });`,
        `});`,
      ].join('\n'),
    );
    const child = spawn(process.execPath, [script], {
      cwd: repo.dir,
      env: { ...process.env, TMPDIR: temp },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    await new Promise<void>((done, fail) => {
      const poll = setInterval(() => {
        if (out.includes('ready')) {
          clearInterval(poll);
          done();
        }
      }, 50);
      child.on('close', () => fail(new Error(`child ended early: ${err}`)));
    });
    // tsx keeps its cache in TMPDIR too: look only at scratch folders.
    const scratchDirs = () => readdirSync(temp).filter((n) => n.startsWith('mm-scratch-'));
    expect(scratchDirs()).toHaveLength(1); // the scratch worktree exists while the child runs
    child.kill('SIGINT');
    const code = await new Promise<number | null>((done) => child.on('close', done));
    expect(code).toBe(130);
    expect(repo.git('worktree', 'list').trim().split('\n')).toHaveLength(1);
    expect(scratchDirs()).toEqual([]);
  }, 20_000);
});
