/** `--focus` and `--adversarial` of the review commands: parsed once, and echoed back into a re-run command. */
import { MmError } from '../../util/errors.ts';
import type { ReviewSteer } from '../../workflows/review/prompts.ts';
import type { ParsedArgs } from '../spec.ts';

const MAX_FOCUS_CHARS = 2000;

export function steerFrom(flags: ParsedArgs['flags']): ReviewSteer {
  const focus = typeof flags.focus === 'string' ? flags.focus.trim() : undefined;
  if (flags.focus !== undefined && !focus) throw new MmError('usage', '--focus needs the text of what to look at');
  if (focus && focus.length > MAX_FOCUS_CHARS)
    throw new MmError(
      'usage',
      `--focus is ${focus.length} characters; keep it under ${MAX_FOCUS_CHARS} (put long context in the plan or a file)`,
    );
  return { ...(focus ? { focus } : {}), ...(flags.adversarial === true ? { adversarial: true } : {}) };
}
