#!/usr/bin/env node
// Cold start of the built `mm` (what a Claude Code hook pays) against a bare `node -e 0`,
// measured in the same run, through the npm package (bin/mm.cjs → dist/) and through the
// plugin's own runtime (.claude/scripts/mm → .claude/runtime/, what a plugin install runs).
// Goal: mm route, mm check and mm hook stop ≤ 1.5× node -e 0.
import { mkdtempSync, rmSync, writeFileSync, mkdirSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { compare } from './lib.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const mm = join(root, 'bin', 'mm.cjs');
const launcher = join(root, '.claude', 'scripts', 'mm');
const node = process.execPath;

// A small real repository with a change, with and without a config file.
const repo = mkdtempSync(join(tmpdir(), 'mm-bench-cold-'));
const git = (...a) =>
  execFileSync('git', a, {
    cwd: repo,
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'b',
      GIT_AUTHOR_EMAIL: 'b@x',
      GIT_COMMITTER_NAME: 'b',
      GIT_COMMITTER_EMAIL: 'b@x',
    },
  });
git('init', '-q');
for (let i = 0; i < 20; i++) writeFileSync(join(repo, `f${i}.ts`), `export const v${i} = ${i};\n`);
git('add', '-A');
git('commit', '-qm', 'init');
for (let i = 0; i < 5; i++) writeFileSync(join(repo, `f${i}.ts`), `export const v${i} = ${i + 1}; // token\n`);
const configured = mkdtempSync(join(tmpdir(), 'mm-bench-cfg-'));
mkdirSync(join(configured, '.claude', 'config'), { recursive: true });
copyFileSync(join(root, 'templates', 'multi-model.toml'), join(configured, '.claude', 'config', 'multi-model.toml'));

const env = { ...process.env, MM_CONFIG: '', MM_BIN: '' };
const stopInput = JSON.stringify({ session_id: 'bench', hook_event_name: 'Stop', stop_hook_active: false });
const pluginHook = join(root, '.claude', 'hooks', 'stop-review.sh');
const results = compare({
  'node -e 0': [node, ['-e', '0']],
  'mm route (no config)': [
    node,
    [mm, 'route', '--task', 'review the auth change', '--files-changed', '12'],
    { cwd: repo, env },
  ],
  'mm route (config, cached)': [
    node,
    [mm, 'route', '--task', 'review the auth change', '--files-changed', '12'],
    { cwd: configured, env },
  ],
  'mm check (5-file change)': [node, [mm, 'check'], { cwd: repo, env }],
  'plugin: mm route': [
    launcher,
    ['route', '--task', 'review the auth change', '--files-changed', '12'],
    { cwd: repo, env },
  ],
  'plugin: mm check': [launcher, ['check'], { cwd: repo, env }],
  'plugin: mm hook stop': [launcher, ['hook', 'stop'], { cwd: repo, env, input: stopInput }],
  'plugin: stop-review.sh': [pluginHook, [], { cwd: repo, env, input: stopInput }],
});
const base = results['node -e 0'];
console.log('cold start, median of 21 interleaved runs');
for (const [name, ms] of Object.entries(results))
  console.log(`  ${name.padEnd(28)} ${ms.toFixed(1).padStart(7)} ms  ${(ms / base).toFixed(2)}×`);
console.log('goal: mm route, mm check and mm hook stop ≤ 1.50× node -e 0');
rmSync(repo, { recursive: true, force: true });
rmSync(configured, { recursive: true, force: true });
