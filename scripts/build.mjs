#!/usr/bin/env node
// Bundles the runtime twice from the same sources, because `mm` runs on Claude Code's hook
// path and every module Node loads at start-up costs time:
//  - dist/ (with source maps): what bin/mm.js, the npm package and the tests run;
//  - .claude/runtime/ (committed, no source maps): the plugin's own copy, so a plugin
//    installed from git (Claude Code copies only .claude/) and a pack copied by `mm init`
//    run `mm` with no node_modules, no PATH entry and no network. Built deterministically;
//    `node scripts/check-runtime.mjs` (run by .ci/run) fails when the committed copy differs.
// Each holds mm.js and hook-stop.js (the CLI and the hot commands, HOT below, in one file)
// and cold/: every other module reached by a dynamic import() (other commands, zod, the
// config validator, the model SDKs), split into shared chunks and loaded only when used.
// Every dependency is inlined, so neither needs node_modules at run time.
// Then the pack is linted with the bundle just built.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Dynamic imports that stay inside the fast bundle: the hook path's own commands. */
const HOT = new Set(['src/cli/handlers/check.ts', 'src/cli/handlers/route.ts', 'src/cli/handlers/debug.ts']);
/** Files the runtime reads at run time (config and handoff templates), copied beside it. */
const TEMPLATES = ['multi-model.toml', 'code_spec.md', 'code_report.md'];
export const RUNTIME_DIR = '.claude/runtime';

const common = {
  absWorkingDir: root,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minify: true,
  logLevel: 'warning',
  // Prompt templates (src/**/prompts/*.md) are inlined as strings: the bundle stays self-contained.
  loader: { '.md': 'text' },
  banner: {
    // Bundled CommonJS dependencies may call require(); give them one.
    js: "import { createRequire as __mmCreateRequire } from 'node:module'; const require = __mmCreateRequire(import.meta.url);",
  },
};

// The no-config ("plain Claude Code") config, computed from the schema once, here, so
// `mm` in a project without a config file never loads zod.
async function plainConfigDefine() {
  const pre = await build({
    ...common,
    stdin: {
      contents:
        "export { plainClaudeCodeConfig } from './src/config/validate.ts'; export { planInstall } from './src/pack/install.ts'; export { MANIFEST } from './src/pack/shipped.ts';",
      resolveDir: root,
      loader: 'ts',
    },
    write: false,
    minify: false,
    banner: {},
  });
  const { plainClaudeCodeConfig, planInstall, MANIFEST } = await import(
    `data:text/javascript;base64,${Buffer.from(pre.outputFiles[0].text).toString('base64')}`
  );
  Object.assign(buildTime, { planInstall, MANIFEST });
  return { __MM_PLAIN_CONFIG__: JSON.stringify(plainClaudeCodeConfig()) };
}

/** Source modules the build itself uses (set by plainConfigDefine). */
const buildTime = {};

/** src/a/b.ts → "a/b", the module's name in cold/. */
const coldName = (file) => relative(`${root}/src`, file).replace(/\.ts$/, '');

/** One complete bundle (hot files + cold chunks) into `outdir` (relative to the repo). */
export async function bundle(outdir, { sourcemap, define }) {
  const out = resolve(root, outdir);
  rmSync(out, { recursive: true, force: true });
  const opts = { ...common, define, sourcemap: sourcemap ? 'linked' : false };
  const coldEntries = new Map();
  await build({
    ...opts,
    entryPoints: { mm: 'src/cli/entry.ts', 'hook-stop': 'src/hooks/stop-entry.ts' },
    outdir: out,
    splitting: false,
    plugins: [
      {
        name: 'cold-dynamic-imports',
        setup(b) {
          b.onResolve({ filter: /^\.{1,2}\//, namespace: 'file' }, async (args) => {
            if (args.kind !== 'dynamic-import') return undefined;
            const resolved = await b.resolve(args.path, {
              kind: args.kind,
              resolveDir: args.resolveDir,
              importer: args.importer,
              pluginData: { skip: true },
            });
            if (resolved.errors.length || HOT.has(relative(root, resolved.path)))
              return resolved.errors.length ? { errors: resolved.errors } : { path: resolved.path };
            coldEntries.set(coldName(resolved.path), resolved.path);
            return { path: `./cold/${coldName(resolved.path)}.js`, external: true };
          });
        },
      },
    ],
  });
  await build({
    ...opts,
    entryPoints: Object.fromEntries([...coldEntries].sort(([a], [b]) => a.localeCompare(b))),
    outdir: join(out, 'cold'),
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
  });
  return out;
}

/** The plugin's runtime: the bundle plus what it reads at run time. */
export async function buildRuntime(outdir, define) {
  const out = await bundle(outdir, { sourcemap: false, define });
  // Outside a package.json with "type": "module" (the plugin cache has none), Node 20
  // would read the .js files as CommonJS.
  writeFileSync(join(out, 'package.json'), '{ "type": "module", "private": true }\n');
  mkdirSync(join(out, 'templates'));
  for (const t of TEMPLATES) copyFileSync(join(root, 'templates', t), join(out, 'templates', t));
  // `mm init` appends this file's "Multi-Model Integration" section to a project's CLAUDE.md.
  copyFileSync(join(root, 'CLAUDE.md'), join(out, 'templates', 'CLAUDE.md'));
  writeManifest(out);
  return out;
}

/**
 * The shipped pack's fingerprint (src/pack/shipped.ts): sha256 of every file `mm init` writes
 * into an empty project, runtime included, so `mm check` / `mm review diff` can tell a freshly
 * copied pack from the user's own change.
 */
function writeManifest(out) {
  const sha = (text) => createHash('sha256').update(text).digest('hex');
  const files = {};
  const empty = join(out, 'no-such-project');
  const source = { pack: join(root, '.claude'), claudeMd: join(root, 'CLAUDE.md') };
  for (const a of buildTime.planInstall(source, empty))
    if (!a.path.startsWith('.claude/runtime/') && a.content !== undefined) files[a.path] = sha(a.content);
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else files[`.claude/runtime/${relative(out, p).split('\\').join('/')}`] = sha(readFileSync(p, 'utf8'));
    }
  };
  walk(out);
  const sorted = Object.fromEntries(Object.entries(files).sort(([a], [b]) => a.localeCompare(b)));
  writeFileSync(join(out, buildTime.MANIFEST), `${JSON.stringify({ files: sorted }, null, 1)}\n`);
}

export { plainConfigDefine };

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const define = await plainConfigDefine();
  await bundle('dist', { sourcemap: true, define });
  await buildRuntime(RUNTIME_DIR, define);

  // Lint the pack with the bundle just built, so the lint reads the same command table users
  // get. Prints file:line: message per problem; any problem fails the build.
  const lint = spawnSync(process.execPath, [`${root}/bin/mm.js`, 'lint'], { stdio: 'inherit' });
  if (lint.status !== 0) {
    console.error('build: the pack lint failed (see above)');
    process.exit(lint.status ?? 1);
  }
}
