#!/usr/bin/env node
// Cost of the Stop hook when nothing triggers, against a bare `node -e 0` (goal ≤ 1.5×).
// Cases: stop_hook_active, no config (plain Claude Code), checkpoint not "auto",
// and "auto" but below the thresholds (the only case that reads config and git).
// Run `node scripts/build.mjs` first.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const hook = fileURLToPath(new URL('../scripts/hooks/stop-review.cjs', import.meta.url));
const runs = Number(process.env.RUNS ?? 15);

function once(cmd, args, input, cwd) {
  const t = process.hrtime.bigint();
  const r = spawnSync(cmd, args, {
    input,
    cwd,
    encoding: 'utf8',
    env: { ...process.env, MM_CONFIG: '', MM_RUN_ID: '' },
  });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0 || r.stdout.includes('"decision"'))
    throw new Error(`hook did not pass through: ${r.status} ${r.stdout} ${r.stderr}`);
  return ms;
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Baseline and hook alternate, so a busy machine slows both alike. */
function compare(input, cwd) {
  const base = [];
  const hookMs = [];
  for (let i = 0; i < runs; i++) {
    base.push(once(process.execPath, ['-e', '0'], '', cwd));
    hookMs.push(once(process.execPath, [hook], input, cwd));
  }
  return { base: median(base), hook: median(hookMs) };
}

function repo(configText) {
  const dir = mkdtempSync(join(tmpdir(), 'mm-bench-hook-'));
  execFileSync('git', ['init', '-q'], { cwd: dir });
  writeFileSync(join(dir, 'a.txt'), 'hello\n');
  if (configText !== null) {
    mkdirSync(join(dir, '.claude', 'config'), { recursive: true });
    writeFileSync(join(dir, '.claude', 'config', 'multi-model.toml'), configText);
  }
  const env = {
    ...process.env,
    GIT_AUTHOR_NAME: 'b',
    GIT_AUTHOR_EMAIL: 'b@x',
    GIT_COMMITTER_NAME: 'b',
    GIT_COMMITTER_EMAIL: 'b@x',
  };
  execFileSync('git', ['add', '-A'], { cwd: dir });
  execFileSync('git', ['commit', '-q', '-m', 'base'], { cwd: dir, env });
  writeFileSync(join(dir, 'a.txt'), 'hello\nworld\n'); // a small change, no security pattern
  return dir;
}

const cases = [
  ['stop_hook_active: true', repo(null), true],
  ['no config (plain Claude Code)', repo(null), false],
  ['pr_cross_review = "ask"', repo('[checkpoints]\npr_cross_review = "ask"\n'), false],
  [
    'pr_cross_review = "auto", below thresholds',
    repo('[models]\ngemini_enabled = true\n[checkpoints]\npr_cross_review = "auto"\n'),
    false,
  ],
];
for (const [name, dir, active] of cases) {
  const input = JSON.stringify({
    session_id: 'bench',
    transcript_path: join(dir, 't.jsonl'),
    cwd: dir,
    hook_event_name: 'Stop',
    stop_hook_active: active,
  });
  const { base, hook: t } = compare(input, dir);
  const ratio = t / base;
  console.log(
    `${name}: ${t.toFixed(1)} ms vs node -e 0 ${base.toFixed(1)} ms = ${ratio.toFixed(2)}× ${ratio <= 1.5 ? 'ok' : 'ABOVE 1.5×'} (medians of ${runs}, interleaved)`,
  );
  rmSync(dir, { recursive: true, force: true });
}
