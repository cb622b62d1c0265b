/** The related-files lookup from `ai/repo.map.json`, when the project has one. */
import type { RelatedFile } from './packet.ts';
import { relatedFromMap } from './related.ts';
import { readRepoMap } from './repo-map.ts';

export function loadRelated(root: string): ((paths: string[]) => RelatedFile[]) | null {
  const found = readRepoMap(root);
  return found ? relatedFromMap(found.map, found.symbols) : null;
}
