import { describe, expect, it } from 'vitest';
import { classifyEnvironment, ENVIRONMENT_SIGNALS } from '../../src/workflows/escalate/environment-signals.ts';

/** For each signal: texts that must raise it. */
const RAISES: Record<string, string[]> = {
  native_module: [
    "Error: The module '/app/node_modules/better-sqlite3/build/Release/better_sqlite3.node' was compiled against a different Node.js version using NODE_MODULE_VERSION 108.",
    "Error: Cannot find module '../build/Release/sharp.node'",
    'Error [ERR_DLOPEN_FAILED]: /app/bcrypt_lib.node: invalid ELF header',
    'ImportError: /venv/lib/python3.12/site-packages/numpy/core/_multiarray_umath.cpython-312-x86_64-linux-gnu.so: undefined symbol',
  ],
  missing_tool: [
    'Error: spawn protoc ENOENT',
    'Error: spawnSync docker ENOENT',
    'bash: pg_dump: command not found',
    "'make' is not recognized as an internal or external command",
    'exec: "gcc": executable file not found in $PATH',
  ],
  shared_library: [
    'error while loading shared libraries: libssl.so.1.1: cannot open shared object file: No such file or directory',
    "/lib/x86_64-linux-gnu/libc.so.6: version `GLIBC_2.34' not found",
  ],
  version_mismatch: [
    'npm WARN EBADENGINE Unsupported engine { package: "vite@6.0.0", required: { node: ">=20" } }',
    'error vite@6.0.0: The engine "node" is incompatible with this module.',
    'java.lang.UnsupportedClassVersionError: Unsupported class file major version 65',
  ],
  works_elsewhere: ['- the same test passes in CI', 'It works on my machine but fails in CI', 'fails only locally'],
  local_service: [
    'Error: connect ECONNREFUSED 127.0.0.1:5432',
    'Error: listen EADDRINUSE: address already in use :::3000',
  ],
};

/** Code bugs: no environment signal. */
const CODE_FAILURES = [
  'AssertionError: expected 0 to be 4\n    at test/util.test.ts:3:20',
  "TypeError: Cannot read properties of undefined (reading 'id')\n    at src/user.ts:12:5",
  "Error: Cannot find module './utils/format' from 'src/index.ts'",
  "ENOENT: no such file or directory, open 'fixtures/missing.json'",
  'expected version 2 of the schema, got 1',
];

describe('classifyEnvironment', () => {
  it('every signal in the data has examples here', () => {
    expect(Object.keys(RAISES).sort()).toEqual(ENVIRONMENT_SIGNALS.map((s) => s.id).sort());
  });

  it.each(Object.entries(RAISES).flatMap(([id, texts]) => texts.map((t) => [id, t] as const)))('%s: %s', (id, text) => {
    const v = classifyEnvironment({ error: text });
    expect(v.specific).toBe(true);
    expect(v.signals.map((s) => s.id)).toContain(id);
  });

  it.each(CODE_FAILURES)('a code failure is not environment-specific: %s', (text) => {
    expect(classifyEnvironment({ error: text })).toEqual({ specific: false, signals: [], declared: false });
  });

  it('reads the notes of what was tried too, and --environment overrides', () => {
    expect(classifyEnvironment({ error: CODE_FAILURES[0]!, tried: '- passes on CI, fails here' }).specific).toBe(true);
    expect(classifyEnvironment({ error: CODE_FAILURES[0]!, declared: true })).toEqual({
      specific: true,
      signals: [],
      declared: true,
    });
  });
});
