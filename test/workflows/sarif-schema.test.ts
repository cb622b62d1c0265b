/**
 * `mm review diff --sarif` output against the official SARIF 2.1.0 JSON schema (vendored
 * in test/fixtures, see its README: no network in CI). Built through the same workflow
 * function the command uses, with a scripted reviewer instead of a model.
 */
import { readFileSync } from 'node:fs';
import ajvDraft04 from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.ts';
import type { Packet } from '../../src/context/packet.ts';
import { reviewDiff } from '../../src/workflows/review/diff-review.ts';
import { pickGemini } from '../../src/workflows/review/reviewer.ts';
import { toSarif } from '../../src/workflows/review/sarif.ts';
import { ISSUES, LGTM, fakeCtx, scripted, type Script } from '../fakes/scripted-invoke.ts';

// CommonJS packages: under NodeNext the default import is module.exports, which carries `.default`.
const Ajv = ajvDraft04.default;
const addFormats = ajvFormats.default;

const schema = JSON.parse(readFileSync(new URL('../fixtures/sarif-2.1.0-rtm.5.json', import.meta.url), 'utf8'));
// The schema's `language` pattern has a stray `]`, legal in a plain JS regex but not with
// the `u` flag Ajv uses by default: compile its patterns the way the schema's authors ran them.
const ajv = new Ajv({ allErrors: true, unicodeRegExp: false });
addFormats(ajv);
const validate = ajv.compile(schema);

const config = configSchema.parse({ models: { gemini_enabled: true } });
const packet: Packet = {
  chunks: [{ index: 0, files: ['src/auth.ts'], text: '### src/auth.ts\n@@\n1+x', tokens: 5, oversized: false }],
  tokens: 5,
  hunks: 1,
  files: 1,
  skipped: [],
};
const review = (script: Script) =>
  reviewDiff({
    packet,
    compared: 'working tree vs HEAD',
    changedFiles: ['src/auth.ts'],
    reviewer: pickGemini(config, 1, 0),
    invoke: scripted([script]).invoke,
    ctx: fakeCtx(),
    cwd: '/',
  });

/** What `--sarif FILE` writes, read back the way a CI uploader reads it. */
const written = (sarif: unknown) => JSON.parse(JSON.stringify(sarif, null, 2)) as unknown;

describe('SARIF output validates against the SARIF 2.1.0 schema', () => {
  it('a review with findings, a clean review and one that could not run, in one log', async () => {
    const issues = ISSUES('src\\auth.ts', 0);
    const results = await Promise.all([
      review({ json: issues }),
      review({ json: LGTM }),
      review({ status: 'timeout' }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['ok', 'ok', 'timeout']);
    const log = written(toSarif(results, '0.1.0'));
    expect(validate(log), ajv.errorsText(validate.errors)).toBe(true);
  });

  it('the validator is not a rubber stamp: a wrong level or a 0 start line is refused', async () => {
    const sarif = toSarif([await review({ json: ISSUES('a.ts', 3) })], '0.1.0');
    const badLevel = written(sarif) as { runs: Array<{ results: Array<Record<string, unknown>> }> };
    badLevel.runs[0]!.results[0]!.level = 'high';
    expect(validate(badLevel)).toBe(false);
    const badLine = written(sarif) as {
      runs: Array<{ results: Array<{ locations: Array<{ physicalLocation: { region: { startLine: number } } }> }> }>;
    };
    badLine.runs[0]!.results[0]!.locations[0]!.physicalLocation.region.startLine = 0;
    expect(validate(badLine)).toBe(false);
  });
});
