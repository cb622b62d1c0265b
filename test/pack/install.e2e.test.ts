import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { applyInstall, planInstall } from '../../src/pack/install.ts';
import { mm } from '../helpers/mm.ts';
import { tempDir } from '../helpers/repo.ts';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const SOURCE = { pack: join(REPO, '.claude'), claudeMd: join(REPO, 'CLAUDE.md') };
const dirs: string[] = [];
const project = () => {
  const d = tempDir('mm-init-');
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('the CI template (templates/ci/mm-review.yml)', () => {
  const text = readFileSync(join(REPO, 'templates/ci/mm-review.yml'), 'utf8');
  it('never installs mm from a registry name, and pins mm to a full commit', () => {
    expect(text).not.toMatch(/npm (?:install|i)\b[^\n]+\bmultimodel\b/);
    expect(text).not.toMatch(/npx[^\n]*multimodel/);
    expect(text).toMatch(/MM_COMMIT: [0-9a-f]{40} /);
    expect(text).toContain('.claude/scripts/mm" review diff');
  });
  it('pins every action by full SHA with a version comment, and the reviewer CLIs by version', () => {
    const uses = [...text.matchAll(/uses: (\S+)(.*)/g)];
    expect(uses.length).toBeGreaterThan(0);
    for (const [, ref, rest] of uses) {
      expect(ref, ref).toMatch(/@[0-9a-f]{40}$/);
      expect(rest, ref).toMatch(/# v\d/);
    }
    expect(text).toMatch(/@google\/gemini-cli@\d+\.\d+\.\d+ @openai\/codex@\d+\.\d+\.\d+/);
  });
});

describe('mm init', () => {
  it('copies the pack, keeps the launcher executable and leaves repo-only files behind', () => {
    const dir = project();
    const r = mm(['init', '--target', dir]);
    expect(r.code).toBe(0);
    for (const f of [
      'skills/multi-model/SKILL.md',
      'skills/dev-execution/orchestration/model-selection-guide.md',
      'agents/ai/gemini-orchestrator.md',
      'commands/dual-model.md',
      'specs/multi-model-usage-spec.md',
      'config/multi-model.toml',
    ]) {
      expect(existsSync(join(dir, '.claude', f)), f).toBe(true);
    }
    expect(statSync(join(dir, '.claude/scripts/mm')).mode & 0o111).not.toBe(0);
    expect(statSync(join(dir, '.claude/hooks/stop-review.sh')).mode & 0o111).not.toBe(0);
    expect(existsSync(join(dir, '.claude/hooks/hooks.json')), 'the Stop hook stays opt-in').toBe(false);
    expect(existsSync(join(dir, '.claude/PENDING.md'))).toBe(false);
    expect(existsSync(join(dir, '.claude/.claude-plugin'))).toBe(false);
    expect(readFileSync(join(dir, 'CLAUDE.md'), 'utf8')).toContain('## Multi-Model Integration');
    expect(r.stdout).toMatch(/\d+ created, 0 merged, 0 skipped/);
    expect(readFileSync(join(dir, '.claude/config/multi-model.toml'), 'utf8')).toBe(
      readFileSync(join(REPO, 'templates/multi-model.toml'), 'utf8'),
    );
  });

  it("never overwrites the user's files and merges CLAUDE.md", () => {
    const dir = project();
    mkdirSync(join(dir, '.claude/config'), { recursive: true });
    writeFileSync(join(dir, '.claude/config/multi-model.toml'), '# mine\n');
    writeFileSync(join(dir, 'CLAUDE.md'), '# My project\n\nRules.\n');
    const r = mm(['init', '--target', dir]);
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, '.claude/config/multi-model.toml'), 'utf8')).toBe('# mine\n');
    expect(r.stdout).toMatch(
      /skipped\s+\.claude\/config\/multi-model\.toml\s+\(exists and differs: your file is kept\)/,
    );
    expect(r.stdout).toMatch(/merged\s+CLAUDE\.md/);
    const claudeMd = readFileSync(join(dir, 'CLAUDE.md'), 'utf8');
    expect(claudeMd.startsWith('# My project\n\nRules.\n')).toBe(true);
    expect(claudeMd).toContain('## Multi-Model Integration');

    // A second run changes nothing.
    const again = mm(['init', '--target', dir, '--json']).json();
    expect(again.counts.create).toBe(0);
    expect(again.counts.merge).toBe(0);
    expect(again.actions.find((a: any) => a.path === 'CLAUDE.md').kind).toBe('skip');
  });

  it('--dry-run reports and writes nothing', () => {
    const dir = project();
    const r = mm(['init', '--target', dir, '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('would create');
    expect(r.stdout).toContain('dry run: nothing written');
    expect(existsSync(join(dir, '.claude'))).toBe(false);
    expect(existsSync(join(dir, 'CLAUDE.md'))).toBe(false);
  });

  it('plans the same set of files the pack holds', () => {
    const dir = project();
    const actions = planInstall(SOURCE, dir);
    expect(actions.every((a) => a.kind === 'create')).toBe(true);
    expect(actions.some((a) => a.path === '.claude/scripts/mm' && a.executable)).toBe(true);
  });

  it('never replaces a file created after the plan was made, nor merges over a CLAUDE.md changed since', () => {
    const dir = project();
    writeFileSync(join(dir, 'CLAUDE.md'), '# My project\n');
    const actions = planInstall(SOURCE, dir);
    expect(actions.find((a) => a.path === '.claude/config/multi-model.toml')?.kind).toBe('create');
    expect(actions.find((a) => a.path === 'CLAUDE.md')?.kind).toBe('merge');
    // The user acts between the plan and the write.
    mkdirSync(join(dir, '.claude/config'), { recursive: true });
    writeFileSync(join(dir, '.claude/config/multi-model.toml'), '# mine, written meanwhile\n');
    writeFileSync(join(dir, 'CLAUDE.md'), '# My project\n\nEdited meanwhile.\n');
    const done = applyInstall(dir, actions);
    expect(readFileSync(join(dir, '.claude/config/multi-model.toml'), 'utf8')).toBe('# mine, written meanwhile\n');
    expect(readFileSync(join(dir, 'CLAUDE.md'), 'utf8')).toBe('# My project\n\nEdited meanwhile.\n');
    expect(done.find((a) => a.path === '.claude/config/multi-model.toml')).toMatchObject({
      kind: 'skip',
      reason: expect.stringMatching(/appeared after planning/),
    });
    expect(done.find((a) => a.path === 'CLAUDE.md')).toMatchObject({
      kind: 'skip',
      reason: expect.stringMatching(/changed after planning/),
    });
    expect(existsSync(join(dir, '.claude/skills/multi-model/SKILL.md'))).toBe(true); // the rest is still installed
    expect(readdirSync(join(dir, '.claude/config')).filter((f) => f.endsWith('.tmp'))).toEqual([]); // no temp files left
  });

  it('refuses a missing target', () => {
    const r = mm(['init', '--target', join(project(), 'nope')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no such folder');
  });
});
