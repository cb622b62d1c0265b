/** `mm check --calibrate` and `mm check` reading the calibration, through the built CLI. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mm } from '../helpers/mm.ts';
import { mmIn } from '../helpers/mm-in.ts';
import { tempRepo, type TempRepo } from '../helpers/repo.ts';

let repo: TempRepo;
beforeAll(() => {
  repo = tempRepo({ commit: false });
  // A repository where every commit touches code named for security.
  for (let i = 0; i < 32; i++) {
    repo.write(`src/auth/session_${i}.ts`, `export const passwordHash${i} = verifySecret(token, credentials);\n`);
    repo.commitAll(`auth change ${i}`);
  }
});
afterAll(() => repo?.cleanup());

describe('mm check with a calibrated security threshold', () => {
  it("flags only changes at this repository's usual level, and says so", async () => {
    const cal = mm(['check', '--calibrate', '--json'], { cwd: repo.dir });
    expect(cal.code).toBe(0);
    const c = cal.json();
    expect(c).toMatchObject({ commits: 32, quantile: 0.7 });
    expect(c.threshold).toBeGreaterThan(2);

    // Like the usual commits: flagged, with the level named.
    repo.write('src/auth/session_x.ts', 'export const passwordHashX = verifySecret(token, credentials);\n');
    const usual = await mmIn(['check'], { cwd: repo.dir });
    expect(usual.code).toBe(0);
    expect(usual.stdout).toContain(
      `security-sensitive: yes (score ${c.threshold} ≥ ${c.threshold}, this repository's usual level: p70 of the last 32 commits; fixed threshold 2)`,
    );
    expect(usual.stdout).toContain("above this repository's usual level");

    // Above the fixed threshold but below the usual level: not flagged here.
    repo.git('clean', '-fdq', 'src');
    repo.write('src/login.ts', 'export function login(password: string) { return password; }\n');
    const weak = (await mmIn(['check', '--json'], { cwd: repo.dir })).json();
    expect(weak.security.score).toBeGreaterThanOrEqual(2);
    expect(weak.security).toMatchObject({ sensitive: false, threshold: c.threshold });
    expect(weak.security.calibration).toMatchObject({ quantile: 0.7, commits: 32 });
  });

  it('falls back to the fixed threshold on a corrupt cache, without an error', async () => {
    const file = join(repo.dir, '.claude', 'mm', 'security-calibration.json');
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, '{"version": 1, "scores": [');
    const r = await mmIn(['check', '--json'], { cwd: repo.dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.json().security).toMatchObject({ sensitive: true, threshold: 2, calibration: null });
  });
});
