/**
 * Contract: execution workflows through the BUILT mm, the real provider layer and the
 * REAL codex CLI against the Codex fake (Responses API). Served from this process, so
 * mm runs with mmAsync.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codexPromptOf, startCodexFake, type CodexFake } from '../fakes/codex-server.ts';
import { codexOnlyProject, competitiveFanout } from '../helpers/codex-project.ts';
import { mmAsync } from '../helpers/mm-async.ts';
import { mmIn } from '../helpers/mm-in.ts';
import { readLedger } from '../../src/usage/ledger.ts';

let fake: CodexFake;
beforeAll(async () => {
  fake = await startCodexFake({
    reply: (req) =>
      req.body?.text?.format
        ? '{"score":80,"findings":[{"severity":"high","file":"src/a.ts","line":3,"issue":"unchecked result","recommendation":null}]}'
        : `candidate from ${req.body?.model}`,
  });
});
afterAll(() => fake.close());

const project = (extra = '') => codexOnlyProject(fake, { extra, prefix: 'mm-exec-contract-' });

describe('execution workflows through the real codex CLI', () => {
  it('mm fanout --mode competitive: two candidates, requests as sent, the published results shape', async () => {
    const { dir, env } = project();
    const before = fake.calls().length;
    const r = await mmAsync(
      [...competitiveFanout('write a parser for key=value lines', ['gpt-5.3-codex', 'gpt-5.2']), '--json'],
      { cwd: dir, env },
    );
    expect(r.stderr).toContain('run: ');
    expect(r.code).toBe(0);
    const sent = fake.calls().slice(before);
    expect(sent.map((q) => q.body.model).sort()).toEqual(['gpt-5.2', 'gpt-5.3-codex']);
    for (const q of sent) {
      expect(codexPromptOf(q)).toContain('write a parser for key=value lines');
      expect(q.headers.authorization).toBe('Bearer fake-key');
    }
    const out = r.json();
    expect(Object.keys(out).sort()).toEqual(['results', 'summary']);
    expect(out.summary).toEqual({ total: 2, succeeded: 2, failed: 0 });
    expect(out.results).toHaveLength(2);
    for (const res of out.results) {
      expect(Object.keys(res).sort()).toEqual(['complexity', 'label', 'model', 'ok', 'text']);
      expect(res.ok).toBe(true);
      expect(res.text).toBe(`candidate from ${res.model}`);
    }
    expect(out.results.map((x: { label: string; model: string }) => [x.label, x.model])).toEqual([
      ['gpt-5.3-codex', 'gpt-5.3-codex'],
      ['gpt-5.2', 'gpt-5.2'],
    ]);
    const ledger = readLedger(join(dir, '.claude/mm/usage.jsonl'));
    expect(ledger.map((e) => [e.provider, e.model, e.status, e.task]).sort()).toEqual([
      ['codex', 'gpt-5.2', 'ok', 'fanout:competitive'],
      ['codex', 'gpt-5.3-codex', 'ok', 'fanout:competitive'],
    ]);
  }, 120_000);

  it('a failing candidate is reported with its error, and the summary counts it', async () => {
    const { dir, env } = project();
    fake.options.fault = 'server_error';
    try {
      const r = await mmIn([...competitiveFanout('p', ['gpt-5.3-codex', 'gpt-5.2']), '--json'], { cwd: dir, env });
      expect(r.code).toBe(1);
      const out = r.json();
      expect(out.summary).toEqual({ total: 2, succeeded: 0, failed: 2 });
      for (const res of out.results)
        expect(Object.keys(res).sort()).toEqual(['complexity', 'error', 'label', 'model', 'ok']);
      // Competitive candidates have no planned fallbacks and invokeModel walks none: one ledger line per candidate.
      expect(readLedger(join(dir, '.claude/mm/usage.jsonl'))).toHaveLength(2);
    } finally {
      fake.options.fault = 'none';
    }
  }, 120_000);

  it('mm qa: five dimensions reviewed through codex with the QA schema, combined into one weighted score', async () => {
    const routing = ['prd_compliance', 'error_handling', 'type_safety', 'architecture', 'security']
      .map((k) => `[routing.${k}]\nprimary = "gpt-5.2"\nfallback = []\n`)
      .join('');
    const { dir, env } = project(routing);
    const material = join(dir, 'change.diff');
    writeFileSync(material, '--- a/src/a.ts\n+++ b/src/a.ts\n@@ -1 +1 @@\n-old\n+new\n');
    const before = fake.calls().length;
    const r = await mmAsync(['qa', '--material', 'change.diff', '--yes', '--json'], { cwd: dir, env });
    expect(r.code, r.stderr).toBe(0);
    const sent = fake.calls().slice(before);
    expect(sent).toHaveLength(5);
    for (const q of sent) {
      expect(q.body.model).toBe('gpt-5.2');
      expect(q.body.text.format.type).toBe('json_schema');
      expect(codexPromptOf(q)).toContain('+new');
    }
    const report = r.json();
    expect(report.score).toBe(80);
    expect(report.coverage).toBe(1);
    expect(report.dimensions.map((d: { model: string; ok: boolean }) => [d.model, d.ok])).toEqual(
      Array(5).fill(['gpt-5.2', true]),
    );
    // The five dimensions raised the same finding: merged into one that names them all.
    expect(report.raised).toBe(5);
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0].dimensions).toHaveLength(5);
    expect(readFileSync(join(dir, '.claude/mm/runs', report.run_id, 'outputs/qa.md'), 'utf8')).toContain(
      'QA report — score 80',
    );
  }, 180_000);
});
