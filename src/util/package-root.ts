import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/** The multimodel package folder (holds templates/), from src/ or from the dist bundle. */
export function packageRoot(): string {
  if (cached) return cached;
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'multimodel')
      return (cached = dir);
    if (dirname(dir) === dir) throw new Error('cannot find the multimodel package folder');
  }
}
