import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { codexLaunch } from '../../src/process/codex-native.ts';
import { tempDir } from '../helpers/repo.ts';

const BIN = join(process.cwd(), 'node_modules', '.bin');

describe('codexLaunch', () => {
  it('runs the native binary behind the npm wrapper, with the environment the wrapper sets', () => {
    const launch = codexLaunch('codex', { PATH: BIN, CODEX_MANAGED_BY_BUN: '1' }, 'linux-x64');
    expect(launch.native).toBe(true);
    expect(launch.command).toMatch(/@openai\/codex-linux-x64\/vendor\/x86_64-unknown-linux-musl\/bin\/codex$/);
    expect(launch.env.CODEX_MANAGED_BY_NPM).toBe('1');
    expect(launch.env.CODEX_MANAGED_BY_BUN).toBeUndefined();
    expect(launch.env.CODEX_MANAGED_PACKAGE_ROOT).toMatch(/@openai\/codex$/);
  });

  it('keeps the command as configured when it is not the npm wrapper, or when told to', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'bin'));
    writeFileSync(join(dir, 'bin', 'codex'), '#!/bin/sh\n');
    chmodSync(join(dir, 'bin', 'codex'), 0o755);
    expect(codexLaunch('codex', { PATH: join(dir, 'bin') }, 'linux-x64')).toMatchObject({
      command: 'codex',
      native: false,
    });
    expect(codexLaunch('codex', { PATH: BIN, MM_CODEX_NATIVE: '0' }, 'linux-x64').native).toBe(false);
    expect(codexLaunch('/nonexistent/codex', { PATH: BIN }, 'linux-x64').native).toBe(false);
    expect(codexLaunch('codex', { PATH: BIN }, 'sunos-sparc').native).toBe(false);
  });
});
