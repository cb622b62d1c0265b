/**
 * Many plain `node` processes running src/ code at once (concurrency tests): the script is
 * bundled with esbuild (milliseconds) rather than run through tsx (seconds of start-up each),
 * with the build's loader for the prompt templates src/ imports.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { build } from 'esbuild';

/**
 * Bundles `script` (JavaScript/TypeScript that may import src/ modules by repo-relative path,
 * e.g. './src/usage/ledger.ts') into `dir`/name and returns the file.
 */
export async function bundleScript(dir: string, name: string, script: string): Promise<string> {
  const outfile = join(dir, name);
  await build({
    stdin: { contents: script, loader: 'ts', resolveDir: process.cwd() },
    bundle: true,
    format: 'esm',
    platform: 'node',
    loader: { '.md': 'text' },
    outfile,
    logLevel: 'silent',
  });
  return outfile;
}

/** Starts `count` processes of `file` at once, each with argsOf(its index); resolves with each one's stdout. */
export function runWorkers(file: string, count: number, argsOf: (id: number) => string[]): Promise<string[]> {
  return Promise.all(
    Array.from(
      { length: count },
      (_, id) =>
        new Promise<string>((resolve, reject) => {
          const child = spawn(process.execPath, [file, ...argsOf(id)], { stdio: ['ignore', 'pipe', 'inherit'] });
          let out = '';
          child.stdout.on('data', (c: Buffer) => (out += c.toString()));
          child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`worker ${id} exited ${code}`))));
        }),
    ),
  );
}
