import { relative } from 'node:path';
import { createGeminiClient } from '../../assets/gemini-client.ts';
import { generateMockup } from '../../assets/mockup.ts';
import { assetStem } from '../../assets/names.ts';
import type { Handler } from '../spec.ts';
import { printJson } from '../config-context.ts';
import { assetContext, requiredString, timeoutMs } from './asset-context.ts';

export const runUiMockup: Handler = async (args, ctx) => {
  const describe = requiredString(args, 'ui mockup', 'describe');
  const stem = assetStem(requiredString(args, 'ui mockup', 'name'));
  const a = await assetContext(ctx);
  const gemini = createGeminiClient({
    env: ctx.env,
    baseUrl: a.config.asset_pipeline.gemini_base_url,
    timeoutMs: timeoutMs(args, 300),
  });
  const out = await generateMockup({ describe, stem, model: args.flags.model as string | undefined }, { ...a, gemini });
  const rel = (p: string) => relative(a.projectRoot, p).split('\\').join('/');
  for (const w of out.withheld) ctx.stderr(`mm: warning: secrets guard ${w} (before sending)`);
  if (ctx.json) {
    printJson(ctx, {
      image: out.image ? { asset: out.image.relativePath, meta: out.image.meta } : null,
      scratch: rel(out.scratch),
      files: out.files.map(rel),
      refused: out.refused,
      withheld: out.withheld,
    });
    return 0;
  }
  ctx.stdout(out.image ? `mockup ${out.image.relativePath}` : 'no mockup image returned');
  ctx.stdout(`code in ${rel(out.scratch)}/ (not part of the project until you integrate it):`);
  for (const f of out.files) ctx.stdout(`  ${rel(f)}`);
  for (const r of out.refused) ctx.stderr(`mm: warning: refused file ${r.path}: ${r.reason}`);
  return 0;
};
