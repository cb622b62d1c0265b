/** The --background flag of the long commands (a job: `mm jobs …`); main() handles it for all of them. */
import type { FlagSpec } from '../spec.ts';

export const background: FlagSpec = {
  name: 'background',
  type: 'boolean',
  description:
    'run as a background job: print the job id at once and exit 0 (then mm jobs status|wait|result ID); a job cannot ask, so add --yes where the command needs it',
};
