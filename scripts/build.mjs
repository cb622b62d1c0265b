#!/usr/bin/env node
// Bundles the runtime into dist/. `mm` runs on Claude Code's hook path, so the entry is
// small and every command loads its own chunk; zod and smol-toml load only when a config
// file must be validated (see src/config/load.ts).
import { build } from 'esbuild';
import { rmSync } from 'node:fs';

const root = new URL('..', import.meta.url);
rmSync(new URL('dist', root), { recursive: true, force: true });

// The no-config ("plain Claude Code") config, computed from the schema once, here, so
// `mm` in a project without a config file never loads zod.
const pre = await build({
  stdin: { contents: "export { plainClaudeCodeConfig } from './src/config/validate.ts';", resolveDir: root.pathname, loader: 'ts' },
  bundle: true,
  write: false,
  format: 'esm',
  platform: 'node',
  logLevel: 'warning',
});
const { plainClaudeCodeConfig } = await import(`data:text/javascript;base64,${Buffer.from(pre.outputFiles[0].text).toString('base64')}`);

await build({
  entryPoints: { mm: 'src/cli/entry.ts', 'hook-stop': 'src/hooks/stop-entry.ts' },
  absWorkingDir: root.pathname,
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minify: true,
  sourcemap: 'linked',
  chunkNames: 'chunks/[name]-[hash]',
  logLevel: 'warning',
  define: { __MM_PLAIN_CONFIG__: JSON.stringify(plainClaudeCodeConfig()) },
  banner: {
    // Bundled CommonJS dependencies may call require(); give them one.
    js: "import { createRequire as __mmCreateRequire } from 'node:module'; const require = __mmCreateRequire(import.meta.url);",
  },
});

// Lint the pack with the bundle just built, so the lint reads the same command table users
// get. Prints file:line: message per problem; any problem fails the build.
{
  const { spawnSync } = await import('node:child_process');
  const { fileURLToPath } = await import('node:url');
  const bin = fileURLToPath(new URL('../bin/mm.js', import.meta.url));
  const lint = spawnSync(process.execPath, [bin, 'lint'], { stdio: 'inherit' });
  if (lint.status !== 0) {
    console.error('build: the pack lint failed (see above)');
    process.exit(lint.status ?? 1);
  }
}
