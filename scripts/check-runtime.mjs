#!/usr/bin/env node
// Fails when the committed plugin runtime (.claude/runtime/) is not byte-identical to a fresh
// build of the sources: a stale runtime would ship old code to every plugin user.
// Compares the files committed at HEAD (`npm ci` and `npm test` rebuild the working copy, so
// it would always match) with a build into a temporary folder; --worktree compares the
// working copy instead. Fix: node scripts/build.mjs && git add .claude/runtime
import { execSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildRuntime, plainConfigDefine, RUNTIME_DIR } from './build.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'mm-runtime-check-'));
const worktree = process.argv.includes('--worktree');

/** The runtime as committed at HEAD, extracted into the scratch folder. */
function committedAtHead() {
  const dir = join(scratch, 'head');
  mkdirSync(dir);
  const tracked = execSync(`git ls-tree --name-only HEAD -- ${RUNTIME_DIR}`, { cwd: root, encoding: 'utf8' });
  if (!tracked.trim()) return join(dir, RUNTIME_DIR); // not committed at all: every file is "missing"
  execSync(`git archive --format=tar HEAD -- ${RUNTIME_DIR} | tar -x -C "${dir}"`, { cwd: root, stdio: 'pipe' });
  return join(dir, RUNTIME_DIR);
}

/** relative path → content, every file under dir. */
function files(dir) {
  const out = new Map();
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(relative(dir, p), readFileSync(p));
    }
  };
  try {
    walk(dir);
  } catch (e) {
    if (e.code !== 'ENOENT') throw e;
  }
  return out;
}

try {
  const fresh = files(await buildRuntime(join(scratch, 'runtime'), await plainConfigDefine()));
  const have = files(worktree ? join(root, RUNTIME_DIR) : committedAtHead());
  const problems = [];
  for (const [path, bytes] of fresh) {
    if (!have.has(path)) problems.push(`missing   ${RUNTIME_DIR}/${path}`);
    else if (!have.get(path).equals(bytes)) problems.push(`differs   ${RUNTIME_DIR}/${path}`);
  }
  for (const path of have.keys()) if (!fresh.has(path)) problems.push(`extra     ${RUNTIME_DIR}/${path}`);
  if (problems.length) {
    console.error(problems.join('\n'));
    console.error(
      `check-runtime: ${RUNTIME_DIR}/${worktree ? '' : ' at HEAD'} is not a fresh build of the sources (${problems.length} file(s)). Fix: node scripts/build.mjs && git add ${RUNTIME_DIR}`,
    );
    process.exitCode = 1;
  } else console.log(`check-runtime: ${RUNTIME_DIR}/ matches a fresh build (${fresh.size} files)`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
