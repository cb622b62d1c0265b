import type { Handler } from '../spec.ts';
import { printJson } from '../config-context.ts';
import { MmError } from '../../util/errors.ts';
import { runReferee } from '../../workflows/referee/referee.ts';
import { verdictMarkdown } from '../../workflows/referee/verdict.ts';
import { stringList, workflowContext } from './workflow-context.ts';

export const runRefereeCommand: Handler = async ({ flags }, ctx) => {
  if (typeof flags.a !== 'string' || typeof flags.b !== 'string')
    throw new MmError('usage', 'mm referee needs both --a and --b', { hint: 'see mm referee --help' });
  const { root } = await workflowContext(ctx);
  const verdict = await runReferee({
    a: flags.a,
    b: flags.b,
    test: typeof flags.test === 'string' ? flags.test : undefined,
    tests: stringList(flags.tests),
    link: stringList(flags.link),
    base: typeof flags.base === 'string' ? flags.base : undefined,
    timeoutSec: typeof flags.timeout === 'number' ? flags.timeout : undefined,
    cwd: ctx.cwd,
    root,
    env: ctx.env,
    onProgress: ctx.json ? undefined : (line) => ctx.stderr(line),
  });
  if (ctx.json) printJson(ctx, verdict);
  else ctx.stdout(`${verdictMarkdown(verdict)}\nSaved: .claude/mm/runs/${verdict.run_id}/outputs/verdict.md`);
  return verdict.verdict === 'escalate' ? 1 : 0;
};
