import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { analyseChange } from '../../src/git/change.ts';
import { historyScores } from '../../src/git/history-scores.ts';
import { calibrate } from '../../src/policy/security-calibrate.ts';
import {
  calibratedThreshold,
  calibrationPath,
  CALIBRATION_MAX_AGE_DAYS,
  describeLevel,
  quantile,
  readCalibration,
  securityThreshold,
  withSecurityThreshold,
  writeCalibration,
} from '../../src/policy/security-calibration.ts';
import { SENSITIVE_SCORE } from '../../src/policy/security-match.ts';
import { evaluateThresholds } from '../../src/policy/thresholds.ts';
import { templateWith } from '../helpers/config.ts';
import { tempDir, tempRepo, type TempRepo } from '../helpers/repo.ts';

const settings = { quantile: 0.7, commits: 200 };
/** A security-heavy repository: most of its commits score 4–6. */
const heavy = Array.from({ length: 100 }, (_, i) => (i < 20 ? 0 : i < 50 ? 2.5 : i < 80 ? 4 : 6));
/** A quiet one: most commits score nothing. */
const quiet = Array.from({ length: 100 }, (_, i) => (i < 90 ? 0 : 3));

const change = (score: number) => ({
  securityScore: score,
  securitySensitive: score >= SENSITIVE_SCORE,
  securityFiles: score >= SENSITIVE_SCORE ? 1 : 0,
});

describe('the calibrated security threshold', () => {
  it('is the quantile of the past scores when that is above the fixed threshold', () => {
    expect(quantile(heavy, 0.7)).toBe(4);
    const t = calibratedThreshold(heavy, settings);
    expect(t).toEqual({ threshold: 4, calibrated: { level: 4, quantile: 0.7, commits: 100 } });
    // Fires at the level and above, not below it.
    expect(withSecurityThreshold(change(4), t).securitySensitive).toBe(true);
    expect(withSecurityThreshold(change(6.5), t).securitySensitive).toBe(true);
    expect(withSecurityThreshold(change(3), t)).toMatchObject({ securitySensitive: false, securityFiles: 0 });
  });

  it('changes nothing in a quiet repository, when turned off, or with too few commits', () => {
    for (const t of [
      calibratedThreshold(quiet, settings),
      calibratedThreshold(heavy, { quantile: 0 }),
      calibratedThreshold(heavy.slice(0, 10), settings),
    ]) {
      expect(t).toEqual({ threshold: SENSITIVE_SCORE, calibrated: null });
      expect(withSecurityThreshold(change(2.1), t).securitySensitive).toBe(true);
    }
  });

  it("names the repository's usual level in the review suggestion", () => {
    const { config, registry } = templateWith();
    const t = calibratedThreshold(heavy, settings);
    const c = {
      root: '/r',
      compared: 'working tree vs HEAD',
      files: [{ path: 'src/auth.ts', status: 'modified' as const, added: 3, removed: 0, security: ['auth'] }],
      added: 3,
      removed: 0,
      estimatedTokens: 10,
      securityHits: [
        {
          file: 'src/auth.ts',
          line: 3,
          concept: 'auth',
          term: 'auth',
          weight: 2,
          where: 'added',
          place: 'code',
          text: 'auth',
        },
      ],
      securityFiles: 1,
      securitySensitive: true,
      securityScore: 5,
      architecture: { changed: false, evidence: [] },
    };
    const [s] = evaluateThresholds({ change: c as never, debugCycles: 0, securityThreshold: t }, config, registry);
    expect(s!.trigger).toContain("score 5 above this repository's usual level (4, p70 of the last 100 commits)");
  });
});

describe('the calibration cache', () => {
  let dir: string;
  let cleanup: (() => void) | undefined;
  afterEach(() => cleanup?.());
  const fresh = () => {
    const d = tempDir();
    dir = d;
    cleanup = () => rmSync(d, { recursive: true, force: true });
  };
  const write = (text: string) => {
    mkdirSync(dirname(calibrationPath(dir)), { recursive: true });
    writeFileSync(calibrationPath(dir), text);
  };

  it('is used when fresh', () => {
    fresh();
    writeCalibration(dir, { head: 'abc', commits: 200, scores: heavy, patterns: [] });
    expect(readCalibration(dir, { commits: 200, patterns: [] }).state).toBe('fresh');
    expect(securityThreshold(dir, settings, []).threshold).toBe(4);
  });

  it.each([
    ['missing', null, 'missing'],
    ['not JSON', '{"version": 1, "scores": [1, 2', 'corrupt'],
    ['the wrong shape', JSON.stringify({ version: 1, head: 'a', scores: 'many' }), 'corrupt'],
    [
      'a number that is not finite',
      '{"version":1,"head":"a","computed_at":"2026-01-01","commits":200,"scores":[1,null],"patterns":[]}',
      'corrupt',
    ],
  ])('a %s cache means the fixed threshold, never an error', (_name, text, state) => {
    fresh();
    if (text !== null) write(text);
    expect(readCalibration(dir, { commits: 200, patterns: [] }).state).toBe(state);
    expect(securityThreshold(dir, settings, [])).toEqual({ threshold: SENSITIVE_SCORE, calibrated: null });
  });

  it('is still used when old, and says when it was computed', () => {
    fresh();
    const old = new Date(Date.now() - (CALIBRATION_MAX_AGE_DAYS + 1) * 86_400_000);
    writeCalibration(dir, { head: 'abc', commits: 200, scores: heavy, patterns: [] }, old);
    expect(readCalibration(dir, { commits: 200, patterns: [] }).state).toBe('old');
    const t = securityThreshold(dir, settings, []);
    expect(t.threshold).toBe(4);
    expect(describeLevel(t.calibrated!)).toBe(
      `p70 of the last 100 commits, computed ${old.toISOString().slice(0, 10)}: \`mm check --calibrate\` refreshes it`,
    );
  });

  it('is not used when from another version, other patterns or a smaller window', () => {
    fresh();
    writeCalibration(dir, { head: 'abc', commits: 200, scores: heavy, patterns: [] });
    expect(readCalibration(dir, { commits: 200, patterns: ['auth'] }).state).toBe('stale');
    expect(readCalibration(dir, { commits: 400, patterns: [] }).state).toBe('stale');
    const cache = JSON.parse(readFileSync(calibrationPath(dir), 'utf8'));
    write(JSON.stringify({ ...cache, version: 0 }));
    expect(readCalibration(dir, { commits: 200, patterns: [] }).state).toBe('stale');
    expect(securityThreshold(dir, settings, []).threshold).toBe(SENSITIVE_SCORE);
  });
});

describe('calibrating on a real repository', () => {
  let repo: TempRepo;
  afterEach(() => repo?.cleanup());

  it("scores each past commit as mm check would have and raises the threshold to the repository's level", async () => {
    repo = tempRepo();
    // 32 commits that each touch code named for security (scored alike) …
    for (let i = 0; i < 32; i++) {
      repo.write(`src/auth/session_${i}.ts`, `export const passwordHash${i} = verifySecret(token, credentials);\n`);
      repo.commitAll(`auth change ${i}`);
    }
    const { scores } = await historyScores(repo.dir, { commits: 200 });
    expect(scores).toHaveLength(33); // and the initial commit
    // … and the last one scores as `mm check` scored it when it was the change.
    repo.git('reset', '-q', '--soft', 'HEAD~1');
    const asChange = await analyseChange(repo.dir, { kind: 'head' }, []);
    expect(scores[0]!.score).toBe(asChange.securityScore);
    expect(asChange.securityScore).toBeGreaterThanOrEqual(SENSITIVE_SCORE);
    repo.commitAll('auth change 31');

    const { threshold, cache } = await calibrate(repo.dir, { quantile: 0.7, commits: 200 }, []);
    expect(cache.scores).toHaveLength(33);
    expect(threshold.threshold).toBeGreaterThan(SENSITIVE_SCORE);
    // `mm check` reads it back: a change like the usual ones is flagged only at the usual level.
    expect(securityThreshold(repo.dir, { quantile: 0.7, commits: 200 }, [])).toEqual(threshold);
  });
});
