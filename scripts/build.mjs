#!/usr/bin/env node
// Bundles the runtime into dist/ in two parts, because `mm` runs on Claude Code's hook
// path and every module Node loads at start-up costs time:
//  - dist/mm.js and dist/hook-stop.js: one file each, holding the CLI and the hot
//    commands (HOT below) and nothing else;
//  - dist/cold/: every other module reached by a dynamic import() (other commands, zod,
//    the config validator, SDKs), split into shared chunks and loaded only when used.
// Then the pack is linted with the bundle just built.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
rmSync(`${root}/dist`, { recursive: true, force: true });

/** Dynamic imports that stay inside the fast bundle: the hook path's own commands. */
const HOT = new Set(['src/cli/handlers/check.ts', 'src/cli/handlers/route.ts', 'src/cli/handlers/debug.ts']);

const common = {
  absWorkingDir: root,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minify: true,
  sourcemap: 'linked',
  logLevel: 'warning',
  banner: {
    // Bundled CommonJS dependencies may call require(); give them one.
    js: "import { createRequire as __mmCreateRequire } from 'node:module'; const require = __mmCreateRequire(import.meta.url);",
  },
};

// The no-config ("plain Claude Code") config, computed from the schema once, here, so
// `mm` in a project without a config file never loads zod.
const pre = await build({
  ...common,
  stdin: {
    contents: "export { plainClaudeCodeConfig } from './src/config/validate.ts';",
    resolveDir: root,
    loader: 'ts',
  },
  write: false,
  minify: false,
  sourcemap: false,
  banner: {},
});
const { plainClaudeCodeConfig } = await import(
  `data:text/javascript;base64,${Buffer.from(pre.outputFiles[0].text).toString('base64')}`
);
const define = { __MM_PLAIN_CONFIG__: JSON.stringify(plainClaudeCodeConfig()) };

/** src/a/b.ts → "a/b", the module's name in dist/cold/. */
const coldName = (file) => relative(`${root}/src`, file).replace(/\.ts$/, '');
const coldEntries = new Map();

await build({
  ...common,
  define,
  entryPoints: { mm: 'src/cli/entry.ts', 'hook-stop': 'src/hooks/stop-entry.ts' },
  outdir: 'dist',
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
  ...common,
  define,
  entryPoints: Object.fromEntries(coldEntries),
  outdir: 'dist/cold',
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
});

// Lint the pack with the bundle just built, so the lint reads the same command table users
// get. Prints file:line: message per problem; any problem fails the build.
const lint = spawnSync(process.execPath, [`${root}/bin/mm.js`, 'lint'], { stdio: 'inherit' });
if (lint.status !== 0) {
  console.error('build: the pack lint failed (see above)');
  process.exit(lint.status ?? 1);
}
