/** Background jobs: the long commands run with --background, then these look after them. */
import type { CommandSpec, FlagSpec } from '../spec.ts';

const json = (what: string): FlagSpec => ({ name: 'json', type: 'boolean', description: `print ${what} as JSON` });
const jobId = (required = false) => ({
  name: 'id',
  description: required ? 'the job id (from --background or mm jobs list)' : 'the job id (default: the newest job)',
  required,
});

export const JOB_COMMANDS: CommandSpec[] = [
  {
    name: 'jobs list',
    summary: 'List background jobs, newest first: state, elapsed time, phase, command',
    description:
      'A job is a long command started with --background (ask, review diff|plan, escalate debug, consensus, fanout, develop run, pipeline, qa, handoff run). ' +
      'States: starting, running, done (exit 0), failed (another exit code), cancelled, dead (its process is gone without an exit code: killed, crashed, machine restarted). ' +
      'Jobs live in the run store (.claude/mm/runs/) and survive restarts.',
    flags: [
      {
        name: 'state',
        type: 'string',
        value: 'STATE',
        choices: ['starting', 'running', 'done', 'failed', 'cancelled', 'dead'],
        description: 'only jobs in this state',
      },
      { name: 'limit', type: 'integer', value: 'N', description: 'at most N jobs (default: 20)' },
      json('the jobs'),
    ],
    examples: ['mm jobs list', 'mm jobs list --state running --json'],
    load: async () => (await import('../handlers/jobs.ts')).runJobsList,
  },
  {
    name: 'jobs status',
    summary: "A job's state, phase, elapsed time, model and progress",
    flags: [json('the job')],
    positionals: [jobId()],
    load: async () => (await import('../handlers/jobs.ts')).runJobsStatus,
  },
  {
    name: 'jobs result',
    summary: "Print a finished job's output (stdout; its stderr on stderr) and exit with the job's exit code",
    description:
      "Exit code: the job's own; 130 when it was cancelled, 137 when it died without one, 124 while it is still running (then nothing is printed: mm jobs wait first). " +
      'With --json: {"job","state","exit_code","stdout","stderr","output"}, where "output" is the parsed stdout when the job ran with --json.',
    flags: [json('the result')],
    positionals: [jobId()],
    load: async () => (await import('../handlers/jobs.ts')).runJobsResult,
  },
  {
    name: 'jobs wait',
    summary: 'Wait until a job ends, then exit with its exit code (124 if --timeout passes first)',
    description:
      "Exit code: the job's own; 130 when it was cancelled, 137 when it died without one, 124 when --timeout passed and it is still running (the job keeps running). " +
      'Read the output with mm jobs result.',
    flags: [
      {
        name: 'timeout',
        type: 'integer',
        value: 'SEC',
        description: 'give up waiting after SEC seconds (default: no limit)',
      },
      json('the job when the wait ends'),
    ],
    positionals: [jobId()],
    examples: ['mm jobs wait', 'mm jobs wait 20261203-101500-ab12-job --timeout 540'],
    load: async () => (await import('../handlers/jobs.ts')).runJobsWait,
  },
  {
    name: 'jobs cancel',
    summary: 'Cancel a running job: end its whole process tree (model CLIs included) and record it',
    description:
      'SIGTERM to every process of the job, SIGKILL to what is left after a grace period; the job then reads "cancelled". Exit 1 when the job is not running.',
    flags: [json('what was done')],
    positionals: [jobId(true)],
    load: async () => (await import('../handlers/jobs.ts')).runJobsCancel,
  },
  {
    name: 'jobs prune',
    summary: 'Delete ended jobs (done, failed, cancelled, dead) and their output; running jobs are kept',
    flags: [
      {
        name: 'older-than',
        type: 'string',
        value: 'AGE',
        description: 'only jobs that ended longer ago than AGE: 30m, 12h, 7d (default: 1d; 0m for all)',
      },
      { name: 'dry-run', type: 'boolean', description: 'list what would be deleted, delete nothing' },
      json('the pruned jobs'),
    ],
    examples: ['mm jobs prune', 'mm jobs prune --older-than 0m --dry-run'],
    load: async () => (await import('../handlers/jobs.ts')).runJobsPrune,
  },
];
