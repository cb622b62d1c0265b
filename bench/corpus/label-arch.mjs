#!/usr/bin/env node
// Adds architecture labels ("arch", "archReason") to every bench/corpus/<repo>.jsonl row.
//
// The rule (bench/corpus/README.md): a commit is architecture-relevant when it
//  - adds or removes a package or module: a package manifest (package.json, go.mod,
//    Cargo.toml, pyproject.toml, setup.py, *.gemspec, composer.json, pom.xml,
//    build.gradle[.kts]), a Python package (__init__.py) or a top-level source directory (a directory directly under the
//    root, src/, lib/, pkg/, internal/, crates/, packages/ or modules/ holding code) appears
//    or disappears — tests, docs, examples, evals, CI and dev-tool folders do not count;
//  - changes a schema or migration (migrations/, *.sql, *.proto, *.graphql, *.prisma);
//  - changes the RUNTIME dependency set: a dependency name added to or removed from a
//    manifest's runtime section (package.json dependencies/peer/optional, go.mod require
//    without "// indirect", Cargo.toml [dependencies], pyproject [project] dependencies,
//    gemspec add_(runtime_)dependency, composer.json require, pom.xml without test scope,
//    requirements.txt — requirements files named for dev/test/docs/lint tooling do not count).
//    Version bumps and dev/test/build-only dependencies do not count;
//  - or its message declares a breaking public API change ("feat!:", "BREAKING CHANGE").
// It reads whole manifests at both revisions (with their sections), unlike the streaming
// scanner it measures, which sees only changed lines. Hand corrections: "arch" entries in
// hand-labels.json ({ repo: { sha: [bool, reason] } }).
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { locateRepo, loadRepos, readCorpus } from './repos.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const git = (dir, args) => {
  try {
    return execFileSync('git', args, { cwd: dir, maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'ignore'] }).toString();
  } catch {
    return null;
  }
};

const NOT_SHIPPED =
  /(?:^|\/)(?:tests?|__tests__|spec|testdata|fixtures?|e2e|integration-tests|acceptance|benchmarks?|bench|examples?|samples?|demos?|docs?|documentation|\.github|\.circleci|scripts|vendor-bin|evals?)\//i;
const PACKAGE_MANIFEST =
  /(?:^|\/)(?:package\.json|go\.mod|Cargo\.toml|pyproject\.toml|setup\.py|[^/]+\.gemspec|composer\.json|pom\.xml|build\.gradle(?:\.kts)?)$/;
const SCHEMA = /(?:^|\/)migrations?\/|\.(?:sql|proto|graphql|gql|prisma)$/i;
const CODE = /\.(?:[jt]sx?|mjs|cjs|go|rs|py|rb|php|java|kt|scala|cs|c|cc|cpp|h|swift)$/;
const BREAKING = /^\w+(?:\([^)]*\))?!:|BREAKING[ -]CHANGE/m;

/** The runtime dependency names a manifest declares (sections read whole). */
function runtimeDeps(path, text) {
  const names = new Set();
  if (text == null) return names;
  if (path.endsWith('package.json') || path.endsWith('composer.json')) {
    let j;
    try {
      j = JSON.parse(text);
    } catch {
      return names;
    }
    const keys = path.endsWith('package.json')
      ? ['dependencies', 'peerDependencies', 'optionalDependencies']
      : ['require'];
    for (const k of keys) for (const n of Object.keys(j[k] ?? {})) names.add(n);
  } else if (path.endsWith('go.mod')) {
    let inBlock = false;
    for (const line of text.split('\n')) {
      const t = line.trim();
      if (/^require\s*\($/.test(t)) inBlock = true;
      else if (inBlock && t === ')') inBlock = false;
      else if ((inBlock || t.startsWith('require ')) && !/\/\/\s*indirect/.test(t)) {
        const m = /^(?:require\s+)?(\S+)\s+v/.exec(t);
        if (m) names.add(m[1]);
      }
    }
  } else if (path.endsWith('Cargo.toml')) {
    let section = '';
    for (const line of text.split('\n')) {
      const h = /^\s*\[([^\]]+)\]/.exec(line);
      if (h) section = h[1];
      else if (/^(?:workspace\.)?dependencies$|^target\..*\.dependencies$/.test(section)) {
        const m = /^\s*([\w-]+)\s*=/.exec(line);
        if (m) names.add(m[1]);
      } else if (/^(?:workspace\.)?dependencies\.[\w-]+$/.test(section)) names.add(section.split('.').pop());
    }
  } else if (path.endsWith('pyproject.toml')) {
    const m = /\[project\][\s\S]*?\bdependencies\s*=\s*\[([\s\S]*?)\]/.exec(text);
    for (const d of (m?.[1] ?? '').matchAll(/["']([a-z0-9][\w.-]*)/gi)) names.add(d[1].toLowerCase());
  } else if (/requirements\.(?:txt|in)$/.test(path)) {
    for (const line of text.split('\n')) {
      const m = /^([a-z0-9][\w.-]*)/i.exec(line.trim());
      if (m) names.add(m[1].toLowerCase());
    }
  } else if (path.endsWith('.gemspec')) {
    for (const d of text.matchAll(/add_(?:runtime_)?dependency\s*(?:\(\s*)?["']([\w.-]+)/g)) names.add(d[1]);
  } else if (path.endsWith('pom.xml')) {
    for (const d of text.matchAll(/<dependency>([\s\S]*?)<\/dependency>/g)) {
      if (/<scope>\s*(?:test|provided)\s*<\/scope>/.test(d[1])) continue;
      const a = /<artifactId>([^<]+)<\/artifactId>/.exec(d[1]);
      if (a) names.add(a[1]);
    }
  }
  return names;
}

const DEP_MANIFEST =
  /(?:^|\/)(?:package\.json|go\.mod|Cargo\.toml|pyproject\.toml|[^/]+\.gemspec|composer\.json|pom\.xml)$/;
const SOURCE_ROOTS = new Set(['src', 'lib', 'pkg', 'internal', 'crates', 'packages', 'modules']);

/** Top-level source directories holding code at a revision. */
function sourceDirs(dir, rev) {
  const out = new Set();
  for (const f of (git(dir, ['ls-tree', '-r', '--name-only', rev]) ?? '').split('\n')) {
    if (!CODE.test(f) || NOT_SHIPPED.test(f)) continue;
    const parts = f.split('/');
    if (parts.length < 2) continue;
    out.add(SOURCE_ROOTS.has(parts[0]) && parts.length > 2 ? `${parts[0]}/${parts[1]}` : parts[0]);
  }
  return out;
}

export function archLabel(dir, sha, message) {
  const reasons = [];
  if (BREAKING.test(message)) reasons.push('message declares a breaking change');
  const status = git(dir, ['diff', '--name-status', '--no-renames', `${sha}^`, sha]);
  if (status == null) return null;
  const files = status
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split('\t'))
    .map(([s, p]) => ({ s: s[0], p }));
  for (const { s, p } of files) {
    if (NOT_SHIPPED.test(p)) continue;
    if ((s === 'A' || s === 'D') && /(?:^|\/)__init__\.py$/.test(p))
      reasons.push(`${s === 'A' ? 'adds' : 'removes'} Python package ${p.replace(/__init__\.py$/, '')}`);
    if ((s === 'A' || s === 'D') && PACKAGE_MANIFEST.test(p))
      reasons.push(`${s === 'A' ? 'adds' : 'removes'} package ${p}`);
    if (SCHEMA.test(p)) reasons.push(`schema/migration ${p}`);
    if (s === 'M' && DEP_MANIFEST.test(p) && !/(?:^|\/)requirements[^/]*(?:dev|test|doc|lint|typ|build)/i.test(p)) {
      const before = runtimeDeps(p, git(dir, ['show', `${sha}^:${p}`]));
      const after = runtimeDeps(p, git(dir, ['show', `${sha}:${p}`]));
      const added = [...after].filter((n) => !before.has(n));
      const removed = [...before].filter((n) => !after.has(n));
      if (added.length) reasons.push(`adds runtime dependency ${added.slice(0, 3).join(', ')} (${p})`);
      if (removed.length) reasons.push(`removes runtime dependency ${removed.slice(0, 3).join(', ')} (${p})`);
    }
  }
  if (files.some((f) => f.s === 'A' || f.s === 'D')) {
    const before = sourceDirs(dir, `${sha}^`);
    const after = sourceDirs(dir, sha);
    for (const d of after) if (!before.has(d)) reasons.push(`new module ${d}/`);
    for (const d of before) if (!after.has(d)) reasons.push(`removed module ${d}/`);
  }
  return reasons;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const hand = JSON.parse(readFileSync(`${here}/hand-labels.json`, 'utf8')).arch ?? {};
  for (const repo of loadRepos()) {
    const dir = locateRepo(repo);
    if (!dir) continue;
    const rows = readCorpus(repo.name);
    for (const row of rows) {
      const message = git(dir, ['log', '-1', '--format=%B', row.sha]) ?? row.subject;
      const override = Object.entries(hand[repo.name] ?? {}).find(([s]) => row.sha.startsWith(s));
      const reasons = archLabel(dir, row.sha, message) ?? [];
      row.arch = override ? override[1][0] : reasons.length > 0;
      row.archReason = override ? `hand: ${override[1][1]}` : reasons.slice(0, 3).join('; ') || 'rule: none';
    }
    writeFileSync(`${here}/${repo.name}.jsonl`, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
    console.log(`${repo.name}: ${rows.length} commits, ${rows.filter((r) => r.arch).length} architecture-relevant`);
  }
}
