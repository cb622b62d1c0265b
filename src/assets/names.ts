/**
 * Asset names come from users and models: refuse anything that could leave the asset
 * folder or hide in it, instead of silently rewriting it.
 */
import { MmError } from '../util/errors.ts';

/** Extensions an asset name may already carry; they are dropped (the output decides the extension). */
const KNOWN_EXTENSIONS = /\.(png|jpe?g|webp|gif|svg|mp4|webm|mov)$/i;

/** A safe file stem for an asset, or a usage error saying what is wrong with `name`. */
export function assetStem(name: string, flag = '--name'): string {
  const problem = nameProblem(name);
  if (problem)
    throw new MmError('usage', `${flag} "${name}": ${problem}`, {
      hint: 'use a plain file name such as hero-illustration',
    });
  return name.replace(KNOWN_EXTENSIONS, '');
}

function nameProblem(name: string): string | undefined {
  if (name.trim() === '') return 'the name is empty';
  if (/[/\\]/.test(name)) return 'a name may not contain path separators';
  if (name.includes('..')) return 'a name may not contain ".."';
  if (name.startsWith('.')) return 'a name may not start with "." (hidden files are skipped by mm assets list)';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'a name may not contain control characters';
  if (name.length > 120) return 'the name is longer than 120 characters';
  if (/\.(?:prompt\.txt|meta\.json)$/i.test(name)) return 'that suffix is reserved for provenance sidecars';
  return undefined;
}

/** A folder name for a model id: registry ids are safe, custom ones may contain ":" or "/". */
export function modelFolder(modelId: string): string {
  return modelId.replace(/[^\w.-]+/g, '-').replace(/^[.-]+/, '') || 'model';
}
