import { afterEach, describe, expect, it } from 'vitest';
import { makeConsensus } from '../../src/cli/handlers/consensus.ts';
import { compareAnswers } from '../../src/workflows/consensus/consensus.ts';
import { scripted } from '../fakes/scripted-invoke.ts';
import { tempRepo, type TempRepo } from '../helpers/repo.ts';
import { configToml, runHandler } from '../cli/handler-harness.ts';

let repo: TempRepo | undefined;
afterEach(() => repo?.cleanup());

const answer = (position: string, claims: Array<[string, string]>) => ({
  position,
  answer: `Because ${position}.`,
  confidence: 'medium',
  claims: claims.map(([claim, kind]) => ({ claim, kind })),
});

/** Codex's and Gemini's answers, both delivered, compared. */
const compareTwo = (codex: ReturnType<typeof answer>, gemini: ReturnType<typeof answer>) =>
  compareAnswers([
    { label: 'codex', target: 'codex', status: 'ok', answer: codex as any },
    { label: 'gemini', target: 'gemini', status: 'ok', answer: gemini as any },
  ]);

describe('consensus', () => {
  it('finds agreement and shared claims', () => {
    const c = compareTwo(
      answer('Use Postgres', [['Postgres handles JSON columns well', 'fact']]),
      answer('use postgres.', [['Postgres handles JSON columns very well', 'fact']]),
    );
    expect(c.positionsAgree).toBe(true);
    expect(c.sharedClaims).toHaveLength(1);
    expect(c.referee).toBeNull();
  });

  it('a disagreement about behaviour points to mm referee', () => {
    const c = compareTwo(
      answer('The retry loop terminates', [['retry stops after 3 attempts', 'behaviour']]),
      answer('It can loop forever', [['retry never stops on 429', 'behaviour']]),
    );
    expect(c.positionsAgree).toBe(false);
    expect(c.behaviouralDisagreement).toBe(true);
    expect(c.referee).toContain('mm referee');
  });

  it('runs the models in parallel from the CLI; a model that fails is reported, not counted', async () => {
    repo = tempRepo();
    repo.write('.claude/config/multi-model.toml', configToml({}));
    repo.write('q.md', 'Should we cache per locale?');
    let inFlight = 0;
    let maxInFlight = 0;
    const s = scripted({
      codex: { json: answer('yes', [['the key must include the locale', 'behaviour']]) },
      gemini: { json: answer('yes', [['the key must include locale', 'behaviour']]) },
      local: { status: 'unavailable' },
    });
    const slow: typeof s.invoke = async (t, r, c) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((res) => setTimeout(res, 20));
      inFlight--;
      return s.invoke(t, r, c);
    };
    const r = await runHandler(
      'consensus',
      makeConsensus(slow),
      ['--models', 'codex,gemini,local', '--prompt-file', 'q.md', '--json'],
      repo.dir,
    );
    expect(r.code).toBe(0);
    expect(maxInFlight).toBe(3);
    const out = r.json();
    expect(out.comparison.positionsAgree).toBe(true);
    expect(out.results.find((x: any) => x.label === 'local').status).toBe('unavailable');
    expect(s.calls[0]!.request.schema).toBeDefined();
  });

  it('agreement with a model missing does not say "all" agree', async () => {
    repo = tempRepo();
    repo.write('.claude/config/multi-model.toml', configToml({}));
    repo.write('q.md', 'Should we cache per locale?');
    const s = scripted({
      codex: { json: answer('yes', []) },
      gemini: { json: answer('yes', []) },
      local: { status: 'unavailable' },
    });
    const partial = await runHandler(
      'consensus',
      makeConsensus(s.invoke),
      ['--models', 'codex,gemini,local', '--prompt-file', 'q.md'],
      repo.dir,
    );
    expect(partial.out).toContain('## Agreement: the 2 that answered (of 3) say "yes"');
    expect(partial.out).not.toContain('all say');
    const full = await runHandler(
      'consensus',
      makeConsensus(s.invoke),
      ['--models', 'codex,gemini', '--prompt-file', 'q.md'],
      repo.dir,
    );
    expect(full.out).toContain('## Agreement: all say "yes"');
  });

  it('fewer than two answers is not a consensus: exits with the failure', async () => {
    repo = tempRepo();
    repo.write('q.md', 'Q?');
    const s = scripted({ codex: { status: 'timeout' }, gemini: { text: 'not json' } });
    const r = await runHandler(
      'consensus',
      makeConsensus(s.invoke),
      ['--models', 'codex,gemini', '--prompt-file', 'q.md'],
      repo.dir,
    );
    expect(r.code).toBe(11);
    expect(r.out).toContain('COULD NOT RUN');
  });

  it('rejects one model or four', async () => {
    repo = tempRepo();
    repo.write('q.md', 'Q?');
    const s = scripted([{ text: '' }]);
    expect(
      (await runHandler('consensus', makeConsensus(s.invoke), ['--models', 'codex', '--prompt-file', 'q.md'], repo.dir))
        .code,
    ).toBe(2);
  });
});
