#!/usr/bin/env node
// Review packet vs whole-file dump, for the same diff (design §6: targeted context).
// Copies this project's src/ into a temp repo, edits a few lines in several files, and
// asks the BUILT `mm review diff --dry-run --json` what it would send.
// Goal: ≥ 5× smaller, every changed hunk kept, every chunk ≤ chunking_threshold.
// Run `node scripts/build.mjs` first.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('..', import.meta.url));
const mm = join(here, 'bin', 'mm.cjs');
const dir = mkdtempSync(join(tmpdir(), 'mm-bench-packet-'));
const git = (...args) =>
  execFileSync('git', args, {
    cwd: dir,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'b',
      GIT_AUTHOR_EMAIL: 'b@x',
      GIT_COMMITTER_NAME: 'b',
      GIT_COMMITTER_EMAIL: 'b@x',
    },
  });

function run(chunkThreshold, context) {
  const config = join(dir, '.claude', 'config', 'multi-model.toml');
  mkdirSync(join(dir, '.claude', 'config'), { recursive: true });
  writeFileSync(config, `[models.gemini]\nchunking_threshold = ${chunkThreshold}\n`);
  const r = spawnSync(process.execPath, [mm, 'review', 'diff', '--dry-run', '--json', '--context', String(context)], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, MM_CONFIG: '' },
  });
  if (r.status !== 0) throw new Error(`mm failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout);
}

try {
  git('init', '-q', '-b', 'main');
  cpSync(join(here, 'src'), join(dir, 'src'), { recursive: true });
  writeFileSync(join(dir, '.gitignore'), '.claude/\n');
  git('add', '-A');
  git('commit', '-q', '-m', 'base');
  // A realistic small PR: 8 files, a couple of edited lines each.
  const files = readdirSync(join(dir, 'src'), { recursive: true })
    .map(String)
    .filter((p) => p.endsWith('.ts') && statSync(join(dir, 'src', p)).size > 3000)
    .sort()
    .slice(0, 8);
  for (const f of files) {
    const path = join(dir, 'src', f);
    const lines = readFileSync(path, 'utf8').split('\n');
    const mid = Math.floor(lines.length / 2);
    lines.splice(mid, 1, `${lines[mid]} // reviewed`);
    lines.splice(Math.floor(lines.length / 4), 0, '// TODO: handle the empty case');
    writeFileSync(path, lines.join('\n'));
  }
  for (const [threshold, context] of [
    [32000, 3],
    [600, 3],
    [32000, 2],
  ]) {
    const gitHunks = git('diff', `-U${context}`)
      .split('\n')
      .filter((l) => l.startsWith('@@')).length;
    const p = run(threshold, context);
    const ratio = p.whole_file_tokens / p.tokens;
    const maxChunk = Math.max(...p.chunks.map((c) => c.tokens));
    const allKept =
      p.hunks === gitHunks && p.chunks.reduce((n, c) => n + (c.text.match(/^@@/gm) ?? []).length, 0) === gitHunks;
    console.log(
      `context ${context} lines, chunking_threshold=${threshold}: ${p.files} files, ${p.hunks}/${gitHunks} hunks kept, packet ${p.tokens} tokens in ${p.chunks.length} chunk(s) (largest ${maxChunk}) ` +
        `vs whole files ${p.whole_file_tokens} tokens → ${ratio.toFixed(1)}× smaller` +
        ` [${ratio >= 5 ? 'ok' : 'BELOW GOAL'} ≥5×, ${allKept ? 'ok' : 'HUNK LOST'}, ${maxChunk <= threshold ? 'ok' : 'CHUNK TOO BIG'} ≤ threshold]`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
