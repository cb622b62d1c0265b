#!/usr/bin/env node
// Bundles the runtime into dist/mm.js. `mm` runs on Claude Code's hook path, so the
// bundle is one ESM file with heavy, rarely used modules split into lazy chunks.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
await build({
  entryPoints: { mm: 'src/cli/entry.ts', 'hook-stop': 'src/hooks/stop-entry.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minify: true,
  legalComments: 'linked',
  sourcemap: 'linked',
  chunkNames: 'chunks/[name]-[hash]',
  logLevel: 'warning',
  banner: {
    // Bundled CommonJS dependencies may call require(); give them one.
    js: "import { createRequire as __mmCreateRequire } from 'node:module'; const require = __mmCreateRequire(import.meta.url);",
  },
});
