import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.ts';
import type { Packet } from '../../src/context/packet.ts';
import { buildRegistry } from '../../src/registry/registry.ts';
import { compareReviews, reviewDiff } from '../../src/workflows/review/diff-review.ts';
import { pickGemini, pickReviewers } from '../../src/workflows/review/reviewer.ts';
import { toSarif } from '../../src/workflows/review/sarif.ts';
import { FAILURE_STATUSES, ISSUES, LGTM, fakeCtx, scripted } from '../fakes/scripted-invoke.ts';

const config = configSchema.parse({ models: { gemini_enabled: true } });
const packet = (n: number): Packet => ({
  chunks: Array.from({ length: n }, (_, i) => ({
    index: i,
    files: [`f${i}.ts`],
    text: `### f${i}.ts\n@@\n1+x`,
    tokens: 5,
    oversized: false,
  })),
  tokens: 5 * n,
  hunks: n,
  files: n,
  skipped: [],
});
const reviewer = pickGemini(config, 1, 0);
const run = (n: number, invoke: ReturnType<typeof scripted>['invoke']) =>
  reviewDiff({
    packet: packet(n),
    compared: 'working tree vs HEAD',
    changedFiles: ['f0.ts'],
    reviewer,
    invoke,
    ctx: fakeCtx(),
    cwd: '/',
  });

describe('reviewer choice (§5.2)', () => {
  it('Flash for ≤ flash_review_max_files and no security pattern, Pro otherwise', () => {
    expect(pickGemini(config, 5, 0).model).toBe(config.models.gemini.fast_model);
    expect(pickGemini(config, 6, 0).model).toBe(config.models.gemini.default_model);
    expect(pickGemini(config, 1, 1).model).toBe(config.models.gemini.default_model);
  });
  it('Codex read-only only on request; both gives two reviewers', () => {
    const registry = buildRegistry(config);
    expect(pickReviewers(undefined, config, registry, { files: 1, securityFiles: 0 }).map((r) => r.provider)).toEqual([
      'gemini',
    ]);
    expect(pickReviewers('codex', config, registry, { files: 1, securityFiles: 0 })[0]!.model).toBe(
      config.models.codex.general_model,
    );
    expect(pickReviewers('both', config, registry, { files: 1, securityFiles: 0 }).map((r) => r.provider)).toEqual([
      'gemini',
      'codex',
    ]);
  });
  it('no enabled reviewer is an "unavailable" error, not a pass', () => {
    const off = configSchema.parse({});
    expect(() => pickReviewers(undefined, off, buildRegistry(off), { files: 1, securityFiles: 0 })).toThrow(
      /no external reviewer/,
    );
  });
});

describe('reviewDiff', () => {
  it('sends each chunk read-only with the schema, and merges the verdicts', async () => {
    const s = scripted([{ json: LGTM }, { json: ISSUES('f1.ts', 1) }]);
    const r = await run(2, s.invoke);
    expect(r.status).toBe('ok');
    expect(r.verdict!.verdict).toBe('ISSUES');
    expect(r.verdict!.findings).toHaveLength(1);
    expect(s.calls).toHaveLength(2);
    expect(s.calls[0]!.request.sandbox).toBe('read-only');
    expect(s.calls[0]!.request.task).toBe('pr_cross_review');
    expect(s.calls[0]!.request.schema).toBeDefined();
    expect(s.calls[1]!.request.prompt).toContain('part 2 of 2');
    expect(s.calls[0]!.request.prompt).toContain('OWASP');
  });

  it('all chunks LGTM → LGTM', async () => {
    expect((await run(3, scripted([{ json: LGTM }]).invoke)).verdict!.verdict).toBe('LGTM');
  });

  it.each(FAILURE_STATUSES)('one chunk %s → the review has that status and no verdict', async (status) => {
    const r = await run(2, scripted([{ json: LGTM }, { status }]).invoke);
    expect(r.status).toBe(status);
    expect(r.verdict).toBeUndefined();
    expect(r.error).toContain('chunk 2 of 2');
  });

  it('malformed JSON → invalid_output, no verdict', async () => {
    const r = await run(1, scripted([{ text: '{"verdict":"LGTM",' }]).invoke);
    expect(r.status).toBe('invalid_output');
    expect(r.verdict).toBeUndefined();
  });
});

describe('compareReviews', () => {
  it('marks findings on overlapping lines as agreements and the rest per reviewer', () => {
    const a = {
      ...ISSUES('a.ts', 10),
      findings: [...ISSUES('a.ts', 10).findings, ...ISSUES('b.ts', 50).findings],
    } as any;
    const b = {
      ...ISSUES('a.ts', 12),
      findings: [...ISSUES('a.ts', 12).findings, ...ISSUES('c.ts', 1).findings],
    } as any;
    const c = compareReviews(a, b);
    expect(c.agreements).toHaveLength(1);
    expect(c.onlyA.map((f) => f.file)).toEqual(['b.ts']);
    expect(c.onlyB.map((f) => f.file)).toEqual(['c.ts']);
    expect(c.verdictsAgree).toBe(true);
  });
});

describe('SARIF 2.1.0', () => {
  it('has the shape code scanning accepts', async () => {
    const ok = await run(1, scripted([{ json: ISSUES('src/auth.ts', 7) }]).invoke);
    const sarif = toSarif([ok], '0.1.0') as any;
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.$schema).toMatch(/sarif-2\.1\.0/);
    const run0 = sarif.runs[0];
    expect(run0.tool.driver.name).toContain(reviewer.model);
    expect(run0.invocations[0].executionSuccessful).toBe(true);
    const res = run0.results[0];
    expect(res.ruleId).toBe('mm-review/high');
    expect(res.level).toBe('error');
    expect(run0.tool.driver.rules.map((r: any) => r.id)).toContain(res.ruleId);
    expect(res.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: 'src/auth.ts', uriBaseId: '%SRCROOT%' },
      region: { startLine: 7, endLine: 7 },
    });
    expect(res.message.text).toContain('Recommendation:');
  });

  it('a review that could not run is a failed invocation, not a clean run', async () => {
    const failed = await run(1, scripted([{ status: 'timeout' }]).invoke);
    const run0 = (toSarif([failed], '0.1.0') as any).runs[0];
    expect(run0.invocations[0].executionSuccessful).toBe(false);
    expect(run0.invocations[0].toolExecutionNotifications[0].message.text).toContain('timeout');
    expect(run0.results).toEqual([]);
  });
});

describe('empty packet', () => {
  it('is never an LGTM', async () => {
    const s = scripted([{ json: LGTM }]);
    const r = await run(0, s.invoke);
    expect(r.status).not.toBe('ok');
    expect(r.verdict).toBeUndefined();
    expect(s.calls).toHaveLength(0);
  });
});
