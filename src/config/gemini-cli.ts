/** The Gemini-family CLI the config names, with `[models.gemini] command` applied. */
import { BUILTIN_CLI_PROFILES, type CliProfile } from './cli-profiles.ts';
import type { Config } from './schema.ts';

/** The configured profile with `[models.gemini] command` applied (validated by the config schema). */
export function geminiCliOf(config: Config): CliProfile & { name: string } {
  const g = config.models.gemini;
  const profile = g.profiles[g.profile] ?? BUILTIN_CLI_PROFILES[g.profile] ?? BUILTIN_CLI_PROFILES.gemini!;
  return { ...profile, command: g.command ?? profile.command, name: g.profile };
}
