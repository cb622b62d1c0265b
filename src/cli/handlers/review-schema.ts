import { consensusAnswerSchema } from '../../workflows/consensus/consensus.ts';
import { debugAnalysisSchema } from '../../workflows/escalate/debug.ts';
import { diffVerdictSchema, jsonSchemaOf, planVerdictSchema } from '../../workflows/review/verdicts.ts';
import { MmError } from '../../util/errors.ts';
import type { Handler } from '../spec.ts';

/** The same schemas the prompts embed and the parser validates against. */
const SCHEMAS = {
  plan: planVerdictSchema,
  diff: diffVerdictSchema,
  debug: debugAnalysisSchema,
  consensus: consensusAnswerSchema,
} as const;
export const SCHEMA_NAMES = Object.keys(SCHEMAS) as Array<keyof typeof SCHEMAS>;

export const runReviewSchema: Handler = async ({ positionals }, ctx) => {
  const name = positionals[0] as keyof typeof SCHEMAS;
  if (!SCHEMA_NAMES.includes(name))
    throw new MmError('usage', `mm review schema: <kind> must be one of ${SCHEMA_NAMES.join(', ')} (got "${name}")`);
  ctx.stdout(JSON.stringify(jsonSchemaOf(SCHEMAS[name]), null, 2));
  return 0;
};
