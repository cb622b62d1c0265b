/** Files the repo map links to a set of changed files: what they import and what imports them. */
import type { RelatedFile } from './packet.ts';
import type { BuiltMap, RepoMap } from './repo-map.ts';

export function relatedFromMap(
  map: RepoMap,
  symbols: BuiltMap['symbols'],
  maxPerFile = 8,
): (paths: string[]) => RelatedFile[] {
  const byPath = new Map(map.files.map((f) => [f.path, f]));
  const importers = new Map<string, string[]>();
  for (const f of map.files)
    for (const target of f.imports) (importers.get(target) ?? importers.set(target, []).get(target)!).push(f.path);
  const symbolsOf = (path: string) => symbols[byPath.get(path)?.language ?? '']?.[path] ?? [];
  return (paths) => {
    const seen = new Set(paths);
    const out: RelatedFile[] = [];
    for (const path of paths) {
      const imports = (byPath.get(path)?.imports ?? []).slice(0, maxPerFile);
      const importedBy = (importers.get(path) ?? []).slice(0, maxPerFile);
      for (const [relation, list] of [
        ['imports', imports],
        ['imported-by', importedBy],
      ] as const) {
        for (const other of list) {
          if (seen.has(other)) continue;
          seen.add(other);
          out.push({ path: other, relation, of: path, symbols: symbolsOf(other) });
        }
      }
    }
    return out;
  };
}
