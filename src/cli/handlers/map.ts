import { repoRoot } from '../../git/git.ts';
import { buildRepoMap } from '../../context/repo-map.ts';
import type { Handler } from '../spec.ts';
import { printJson } from '../config-context.ts';

export const runMap: Handler = async ({ flags }, ctx) => {
  const root = await repoRoot(ctx.cwd);
  const { stats, symbols } = await buildRepoMap(root, { force: flags.force === true });
  const languages = Object.fromEntries(
    Object.entries(symbols).map(([lang, files]) => [lang, Object.keys(files).length]),
  );
  if (ctx.json) {
    printJson(ctx, { root, ...stats, symbol_files: languages });
    return 0;
  }
  ctx.stdout(
    `mapped ${stats.files} files (${stats.parsed} read, ${stats.reused} unchanged${stats.reresolved ? `, ${stats.reresolved} imports re-resolved` : ''}) in ${stats.ms} ms` +
      (stats.written.length ? `; wrote ${stats.written.join(', ')}` : '; map unchanged'),
  );
  return 0;
};
