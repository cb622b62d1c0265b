// Node module hooks that import a `*.md` file as its text (`export default "…"`), as esbuild's
// text loader does in the bundle and vitest.config.ts's plugin does in the tests: for running
// src/ under plain Node or tsx (bench/fanout.mjs). Register before importing src/:
//   import { register } from 'node:module';
//   register('../scripts/markdown-text-hooks.mjs', import.meta.url);
import { readFile } from 'node:fs/promises';

export async function load(url, context, nextLoad) {
  // tsx's tsImport() adds a query to every URL it loads.
  const file = new URL(url);
  file.search = '';
  if (file.protocol !== 'file:' || !file.pathname.endsWith('.md')) return nextLoad(url, context);
  const text = await readFile(file, 'utf8');
  return { format: 'module', source: `export default ${JSON.stringify(text)};`, shortCircuit: true };
}
