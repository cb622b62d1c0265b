import type { InvokeStatus } from '../providers/types.ts';
import type { ErrorKind } from '../util/errors.ts';

/**
 * Exit codes are part of the interface: hooks, skills and CI branch on them.
 * 0 success · 1 failure · 2 bad input (usage, config, ref) · 3 needs confirmation ·
 * 10–19 a model could not give an answer, or a budget refused the call (never a verdict) · 124/130/137 what became of a
 * background job (`mm jobs wait|result`; otherwise they return the job's own exit code).
 */
export const EXIT = {
  ok: 0,
  failed: 1,
  usage: 2,
  needs_confirmation: 3,
  unavailable: 10,
  timeout: 11,
  rate_limited: 12,
  truncated: 13,
  invalid_output: 14,
  auth: 15,
  budget: 16,
  model_not_found: 17,
  job_still_running: 124,
  job_cancelled: 130,
  job_dead: 137,
} as const;

const BY_KIND: Record<ErrorKind, number> = {
  usage: EXIT.usage,
  config: EXIT.usage,
  input: EXIT.usage,
  not_a_repo: EXIT.usage,
  needs_confirmation: EXIT.needs_confirmation,
  unavailable: EXIT.unavailable,
  timeout: EXIT.timeout,
  rate_limited: EXIT.rate_limited,
  truncated: EXIT.truncated,
  invalid_output: EXIT.invalid_output,
  auth: EXIT.auth,
  budget: EXIT.budget,
  model_not_found: EXIT.model_not_found,
  failed: EXIT.failed,
};

export function exitCodeFor(kind: ErrorKind): number {
  return BY_KIND[kind];
}

/** A model call's status as an exit code: 0 for "ok"; every other status is also an error kind. */
export function exitForStatus(status: InvokeStatus): number {
  return status === 'ok' ? EXIT.ok : exitCodeFor(status);
}

/** Shown by `mm --help`, so the table and the docs cannot drift. */
export const EXIT_CODE_HELP: ReadonlyArray<[number, string]> = [
  [EXIT.ok, 'success'],
  [EXIT.failed, 'the command ran and failed'],
  [EXIT.usage, 'bad input: flags, config file, path or git ref (the message names it)'],
  [EXIT.needs_confirmation, 'a checkpoint in "ask" mode needs the user to confirm (re-run with --yes)'],
  [EXIT.unavailable, 'the model could not be reached (missing CLI, endpoint down)'],
  [EXIT.timeout, 'the model call timed out'],
  [EXIT.rate_limited, 'the provider rate-limited the call'],
  [EXIT.truncated, 'the model output was cut off'],
  [EXIT.invalid_output, 'the model reply did not match the expected structure'],
  [EXIT.auth, 'the provider refused the credentials'],
  [EXIT.budget, 'a configured usage budget would be exceeded'],
  [
    EXIT.model_not_found,
    'the provider no longer knows the model id (retired or renamed): `mm models refresh` lists what it does know',
  ],
  [
    EXIT.job_still_running,
    '`mm jobs wait --timeout`: the job is still running (`mm jobs result` of a running job too)',
  ],
  [EXIT.job_cancelled, '`mm jobs wait|result`: the job was cancelled'],
  [EXIT.job_dead, '`mm jobs wait|result`: the job died without an exit code (killed, crashed, machine restarted)'],
];
