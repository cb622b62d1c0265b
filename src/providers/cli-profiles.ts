/** Driving a Gemini-family CLI from its profile (the profiles themselves: src/config/cli-profiles.ts). */
import type { CliProfile } from '../config/cli-profiles.ts';
import type { InvokeStatus } from './types.ts';

/** Exit codes of gemini-cli: HTTP status mod 256, plus its own. */
export const GEMINI_EXIT_CODES: Record<number, InvokeStatus> = {
  41: 'auth', // no usable credentials
  55: 'failed', // untrusted folder
  144: 'failed', // HTTP 400
  145: 'auth', // HTTP 401
  147: 'auth', // HTTP 403
  173: 'rate_limited', // HTTP 429
  244: 'failed', // HTTP 500
  247: 'unavailable', // HTTP 503
};

/** The argv for one call. `readOnly` false only when the request asked for a wider sandbox. */
export function profileArgs(
  profile: CliProfile,
  opts: { wireModel: string; prompt: string; readOnly: boolean; timeoutMs: number },
): string[] {
  return [
    profile.prompt_flag,
    profile.prompt === 'stdin' ? '' : opts.prompt,
    // Always the model: without it Gemini CLI's "auto" model first makes a classifier call.
    profile.model_flag,
    opts.wireModel,
    ...profile.output_args,
    ...(opts.readOnly ? profile.read_only_args : (profile.write_args ?? [])),
    ...(profile.timeout_flag ? [profile.timeout_flag, `${Math.ceil(opts.timeoutMs / 1000)}s`] : []),
  ];
}
