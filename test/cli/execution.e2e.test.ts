import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MM_BIN, mm } from '../helpers/mm.ts';
import { mmIn } from '../helpers/mm-in.ts';
import { tempDir, tempRepo, type TempRepo } from '../helpers/repo.ts';

// Spawns the BUILT CLI: `npm test` builds dist/ first (building here would race other test files).
let repos: TempRepo[] = [];
afterEach(() => {
  for (const r of repos) r.cleanup();
  repos = [];
});

function repoWithCandidates(): TempRepo {
  const repo = tempRepo();
  repos.push(repo);
  repo.write('calc.js', 'exports.add = () => 0;\n');
  repo.write('test.js', "if (require('./calc').add(2, 3) !== 5) { console.error('wrong sum'); process.exit(1); }\n");
  repo.commitAll('base');
  for (const [name, body] of [
    ['good', 'exports.add = (a, b) => a + b;\n'],
    ['bad', 'exports.add = (a, b) => a - b;\n'],
  ]) {
    repo.git('checkout', '-q', '-b', name!);
    repo.write('calc.js', body!);
    repo.commitAll(name);
    repo.git('checkout', '-q', 'main');
  }
  return repo;
}

describe('mm referee (built CLI)', () => {
  it('prints the verdict as JSON; exit 0 with a winner, 1 on escalate; runs list/show find it', async () => {
    const repo = repoWithCandidates();
    const win = mm(['referee', '--a', 'bad', '--b', 'good', '--test', 'node test.js', '--json'], { cwd: repo.dir });
    expect(win.code).toBe(0);
    const verdict = win.json();
    expect(verdict).toMatchObject({ verdict: 'b', winner: 'b' });
    const esc = await mmIn(['referee', '--a', 'bad', '--b', 'main', '--test', 'node test.js'], { cwd: repo.dir });
    expect(esc.code).toBe(1);
    expect(esc.stdout).toContain('ESCALATE');

    const list = await mmIn(['runs', 'list', '--json'], { cwd: repo.dir });
    expect(list.json().runs.map((r: { kind: string }) => r.kind)).toEqual(['referee', 'referee']);
    const show = await mmIn(['runs', 'show', verdict.run_id, '--file', 'outputs/verdict.md'], { cwd: repo.dir });
    expect(show.stdout).toContain('B wins');
    expect(repo.git('status', '--porcelain')).toBe('');
  });

  it('without a test command refuses with the prove-it rule (exit 2)', async () => {
    const repo = repoWithCandidates();
    const r = await mmIn(['referee', '--a', 'good', '--b', 'bad'], { cwd: repo.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/prove it/);
  });

  it('Ctrl-C during the tests removes the worktrees and leaves the checkout as it was', async () => {
    const repo = repoWithCandidates();
    const temp = tempDir('mm-referee-root-'); // TMPDIR: where the worktrees go
    const child = spawn(process.execPath, [MM_BIN, 'referee', '--a', 'good', '--b', 'bad', '--test', 'sleep 20'], {
      cwd: repo.dir,
      env: { ...process.env, MM_CONFIG: '', MM_RUN_ID: '', TMPDIR: temp },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (stderr.includes('running')) {
          clearInterval(poll);
          resolve();
        }
      }, 50);
    });
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(130);
    expect(repo.git('worktree', 'list').trim().split('\n')).toHaveLength(1);
    expect(readdirSync(temp)).toEqual([]);
    rmSync(temp, { recursive: true, force: true });
    expect(repo.git('status', '--porcelain')).toBe('');
    const runs = (await mmIn(['runs', 'list', '--json'], { cwd: repo.dir })).json().runs;
    expect(runs[0].status).toBe('interrupted');
  });
});

describe('mm handoff (built CLI)', () => {
  it('spec new → validate fails on placeholders; stop prints the block with [roles] models', async () => {
    const repo = tempRepo();
    repos.push(repo);
    repo.write('.claude/config/multi-model.toml', '[roles]\narchitect = "claude-opus-4-6"\ncoder = "My Local Coder"\n');
    const created = mm(['handoff', 'spec', 'new', '--title', 'Retry', '--json'], { cwd: repo.dir });
    expect(created.json()).toEqual({ id: 'CS-001', files: ['.claude/mm/handoffs/CS-001/code_spec.md'] });
    expect(readFileSync(join(repo.dir, '.claude/mm/handoffs/CS-001/code_spec.md'), 'utf8')).toContain(
      '**Architect:** Claude Opus 4.6',
    );
    const invalid = await mmIn(['handoff', 'spec', 'validate', 'CS-001', '--json'], { cwd: repo.dir });
    expect(invalid.code).toBe(1);
    expect(invalid.json().problems.some((p: { code: string }) => p.code === 'placeholder')).toBe(true);
    const stop = await mmIn(['handoff', 'stop', '--to', 'coder'], { cwd: repo.dir });
    // Not both Claude models: the model selector cannot switch to the coder, so the block is the human gate.
    expect(stop.stdout).toBe(
      '🛑 HARD STOP: Hand Off to Coder\n\nNext: Coder — My Local Coder\nTask: Implement Code Spec\n' +
        'My Local Coder implements the spec through mm in an isolated checkout; your working tree is not touched until you apply the patch.\n\n' +
        'Action Required: Coder: My Local Coder — reply "Model Confirmed" to start.\n',
    );
    repo.write(
      '.claude/config/multi-model.toml',
      '[roles]\narchitect = "claude-opus-4-6"\ncoder = "claude-sonnet-4-6"\n',
    );
    const claudeOnly = await mmIn(['handoff', 'stop', '--to', 'coder'], { cwd: repo.dir });
    expect(claudeOnly.stdout).toBe(
      '🛑 HARD STOP: Switch to Coder Model\n\nNext: Coder — Claude Sonnet 4.6\nTask: Implement Code Spec\n\nAction Required: Switch the model selector to Claude Sonnet 4.6,\nthen reply with "Model Confirmed".\n',
    );
    const status = await mmIn(['handoff', 'status', '--json'], { cwd: repo.dir });
    expect(status.json().handoffs[0]).toMatchObject({ id: 'CS-001', phase: 'spec_draft', report: 'none' });
  });
});

describe('mm fanout (built CLI)', () => {
  it('asks for confirmation (exit 3) before more than one paid call, and says what it would cost', () => {
    const repo = tempRepo();
    repos.push(repo);
    const r = mm(
      [
        'fanout',
        '--mode',
        'competitive',
        '--prompt',
        'write a parser',
        '--model',
        'gpt-5.3-codex',
        '--model',
        'gemini-3.1-pro',
      ],
      { cwd: repo.dir },
    );
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/2 paid model calls/);
    expect(r.stderr).toMatch(/--yes/);
  });

  it('rejects a malformed task list with a clear message', async () => {
    const repo = tempRepo();
    repos.push(repo);
    writeFileSync(join(repo.dir, 'tasks.json'), JSON.stringify([{ label: 'no prompt' }]));
    const r = await mmIn(['fanout', '--mode', 'swarm', '--tasks', 'tasks.json'], { cwd: repo.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not a task list/);
  });
});
