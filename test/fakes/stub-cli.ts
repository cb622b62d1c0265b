/**
 * Stub executables for fault injection: a tiny node script standing in for `codex` or
 * `gemini` that hangs, crashes, prints garbage or exits with a given code.
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type StubBehaviour =
  | { kind: 'hang' }
  | { kind: 'hang-with-child' }
  | { kind: 'crash' }
  | { kind: 'garbage' }
  | { kind: 'exit'; code: number; stderr?: string; stdout?: string }
  /** Echoes stdin length and a hash on stdout, as `{"response":…}` JSON (gemini shape). */
  | { kind: 'echo-stdin' };

export function writeStubCli(dir: string, name: string, behaviour: StubBehaviour): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  const body: Record<StubBehaviour['kind'], string> = {
    hang: 'process.stdin.resume(); setInterval(() => {}, 1000);',
    'hang-with-child': `const { spawn } = require('node:child_process');
const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
require('node:fs').writeFileSync(process.env.STUB_CHILD_PID_FILE, String(child.pid));
setInterval(() => {}, 1000);`,
    crash:
      "process.stdin.resume(); process.stdin.on('end', () => { process.stderr.write('Segmentation fault\\n'); process.kill(process.pid, 'SIGSEGV'); });",
    garbage:
      "process.stdin.resume(); process.stdin.on('end', () => { process.stdout.write('\\u0000\\u0001 garbage {{{ not json\\n'); process.exit(0); });",
    exit: '',
    'echo-stdin': `const chunks = []; process.stdin.on('data', (c) => chunks.push(c)); process.stdin.on('end', () => {
  const text = Buffer.concat(chunks).toString('utf8');
  const hash = require('node:crypto').createHash('sha256').update(text).digest('hex');
  process.stdout.write(JSON.stringify({ session_id: 's', response: JSON.stringify({ length: text.length, sha256: hash, argv: process.argv.slice(2) }), stats: { models: {} } }));
});`,
  };
  let script = body[behaviour.kind];
  if (behaviour.kind === 'exit') {
    script = `process.stdin.resume(); process.stdin.on('end', () => { process.stdout.write(${JSON.stringify(behaviour.stdout ?? '')}); process.stderr.write(${JSON.stringify(behaviour.stderr ?? '')}); process.exit(${behaviour.code}); });`;
  }
  writeFileSync(path, `#!/usr/bin/env node\n${script}\n`);
  chmodSync(path, 0o755);
  return path;
}
