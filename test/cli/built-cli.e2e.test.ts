import { describe, expect, it, afterEach } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mm } from '../helpers/mm.ts';
import { tempRepo, type TempRepo } from '../helpers/repo.ts';
import { configToml } from './handler-harness.ts';

let repo: TempRepo | undefined;
afterEach(() => repo?.cleanup());
// dist/ is built once by test/global-setup.ts (building here would race other test files).

describe('built mm: checkpoint commands', () => {
  it('review diff --dry-run shows the packet and calls no model, even with no reviewer enabled', () => {
    repo = tempRepo();
    repo.write('src/a.ts', 'export const a = 1;\n');
    repo.commitAll('a');
    repo.write('src/a.ts', 'export const a = 2;\n');
    const r = mm(['review', 'diff', '--dry-run', '--json'], { cwd: repo.dir });
    expect(r.code).toBe(0);
    const p = r.json();
    expect(p.hunks).toBe(1);
    expect(p.chunks[0].text).toContain('1+export const a = 2;');
    expect(p.whole_file_tokens).toBeGreaterThan(0);
  });

  it('review diff in "ask" mode exits 3 (needs confirmation); a reviewer that cannot start exits 10 with --yes', () => {
    repo = tempRepo();
    repo.write(
      '.claude/config/multi-model.toml',
      configToml(
        { pr_cross_review: 'ask' },
        '[models.gemini]\ncommand = "/nonexistent/gemini"\n[models.codex]\ncommand = "/nonexistent/codex"\n',
      ),
    );
    repo.write('.gitignore', '.claude/\n');
    repo.commitAll('cfg');
    repo.write('auth.ts', 'const password = 1;\n');
    expect(mm(['review', 'diff'], { cwd: repo.dir }).code).toBe(3);
    const r = mm(['review', 'diff', '--yes'], { cwd: repo.dir });
    expect(r.code).toBe(10);
    expect(r.stdout).toContain('COULD NOT RUN');
  });

  it('review schema prints the shared JSON Schema', () => {
    const r = mm(['review', 'schema', 'diff']);
    expect(r.code).toBe(0);
    expect(r.json().properties.verdict.enum).toEqual(['LGTM', 'ISSUES']);
  });
});

describe('built mm: the old entry', () => {
  it('bin/mm.js (named by MCP configs written before bin/mm.cjs) still runs mm, exit codes included', () => {
    const old = spawnSync(process.execPath, ['bin/mm.js', 'route', '--category', 'nonsense'], { encoding: 'utf8' });
    const now = spawnSync(process.execPath, ['bin/mm.cjs', 'route', '--category', 'nonsense'], { encoding: 'utf8' });
    expect(old.status).toBe(2);
    expect([old.status, old.stdout, old.stderr]).toEqual([now.status, now.stdout, now.stderr]);
  });
});
