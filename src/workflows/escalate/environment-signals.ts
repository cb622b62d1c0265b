/**
 * The debug tree's "environment-specific?" question (design §4.2), as data: a failure
 * whose error or notes show one of these signals depends on the machine (tools,
 * runtimes, native builds, services) more than on the code, so reading the code alone
 * rarely finds it. Such a failure may be reproduced in a Codex sandbox (an isolated copy
 * Codex can write to); every other debug path stays read-only. `--environment` says so
 * by hand when the text shows no signal.
 */

export interface EnvironmentSignal {
  id: string;
  /** What the signal means, for the options list. */
  label: string;
  pattern: RegExp;
}

export const ENVIRONMENT_SIGNALS: readonly EnvironmentSignal[] = [
  {
    id: 'native_module',
    label: 'a native module that is missing or built for another runtime',
    pattern:
      /NODE_MODULE_VERSION \d+|was compiled against a different Node\.js version|ERR_DLOPEN_FAILED|Cannot find module ['"][^'"]+\.node['"]|node-gyp|invalid ELF header|wrong ELF class|exec format error|ImportError: [^\n]*\.(?:so|pyd)\b/i,
  },
  {
    id: 'missing_tool',
    label: 'a tool or binary that is not installed or not on PATH',
    pattern:
      /spawn(?:Sync)? \S+ ENOENT|\bcommand not found\b|: not found\s*$|is not recognized as an internal or external command|executable file not found in \$PATH|No such file or directory[^\n]*\/(?:usr\/)?s?bin\//im,
  },
  {
    id: 'shared_library',
    label: 'a system library that cannot be loaded',
    pattern:
      /error while loading shared libraries|cannot open shared object file|Library not loaded|GLIBC(?:XX)?_[\d.]+' not found|dyld: /i,
  },
  {
    id: 'version_mismatch',
    label: 'a runtime or tool version different from the one required',
    pattern:
      /version mismatch|unsupported engine|EBADENGINE|The engine "[^"]+" is incompatible|requires (?:node|python|ruby|java|go)\b[^\n]*(?:>=|\^|~|version)|Unsupported class file major version|python_requires|is not compatible with this version/i,
  },
  {
    id: 'works_elsewhere',
    label: 'the same code passes on another machine (CI, a colleague) and fails here, or the reverse',
    pattern:
      /(?:works|passes|passing|green) (?:on|in) (?:CI|my machine|the CI|docker|staging)|(?:fails|failing|red|broken) (?:only )?(?:on|in) (?:CI|the CI|docker)|(?:fails|failing) (?:only )?locally|only (?:fails )?on (?:my|this) machine|works locally/i,
  },
  {
    id: 'local_service',
    label: 'a local service, port or permission the test expects',
    pattern: /ECONNREFUSED (?:127\.0\.0\.1|::1|localhost)|EADDRINUSE|EACCES|EPERM: operation not permitted/i,
  },
];

export interface EnvironmentVerdict {
  /** The failure counts as environment-specific (a signal matched, or the user said so). */
  specific: boolean;
  signals: Array<{ id: string; label: string; match: string }>;
  /** The user passed --environment. */
  declared: boolean;
}

/** Reads the error output and the notes of what was tried for environment signals. */
export function classifyEnvironment(input: { error: string; tried?: string; declared?: boolean }): EnvironmentVerdict {
  const text = `${input.error}\n${input.tried ?? ''}`;
  const signals = ENVIRONMENT_SIGNALS.flatMap((s) => {
    const m = s.pattern.exec(text);
    return m ? [{ id: s.id, label: s.label, match: m[0].trim().slice(0, 120) }] : [];
  });
  const declared = input.declared === true;
  return { specific: declared || signals.length > 0, signals, declared };
}
