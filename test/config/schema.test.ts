import { describe, expect, it } from 'vitest';
import { parseConfigText, plainClaudeCodeConfig } from '../../src/config/validate.ts';
import { configSchema, DEFAULT_ROUTING } from '../../src/config/schema.ts';
import { CONFIG_FILE, configError, SHIPPED_TEMPLATE as TEMPLATE, withSuggestedModels } from '../helpers/config.ts';

/** Every leaf key of the schema's defaults, as [table path, key, default value]. */
function leaves(value: unknown, path: string[] = []): Array<[string[], string, unknown]> {
  const out: Array<[string[], string, unknown]> = [];
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (v && typeof v === 'object' && !Array.isArray(v)) out.push(...leaves(v, [...path, k]));
    else out.push([path, k, v]);
  }
  return out;
}

/** A TOML value of the wrong type for `value`. */
function wrongTypeFor(value: unknown): { toml: string; expected: RegExp } {
  if (typeof value === 'boolean') return { toml: '"yes"', expected: /expected boolean, got string "yes"/ };
  if (typeof value === 'number') return { toml: '"ten"', expected: /expected number, got string "ten"/ };
  if (Array.isArray(value)) return { toml: '42', expected: /expected array, got number 42/ };
  return { toml: '42', expected: /expected string, got number 42|not allowed; allowed values/ };
}

describe('config schema', () => {
  const defaults = configSchema.parse({});
  const cases = leaves(defaults).filter(([path]) => path[0] !== 'routing');

  it('covers every section of the design (§4.3) plus routing, registry, usage and secrets', () => {
    expect(Object.keys(defaults).sort()).toEqual([
      'asset_pipeline',
      'checkpoints',
      'develop',
      'fanout',
      'models',
      'pipeline',
      'registry',
      'roles',
      'routing',
      'secrets',
      'thresholds',
      'usage',
    ]);
    expect(Object.keys(defaults.models)).toEqual(
      expect.arrayContaining([
        'codex_enabled',
        'gemini_enabled',
        'nano_banana_enabled',
        'sora_enabled',
        'local_llm_enabled',
        'claude_teams_enabled',
        'defaults',
        'effort_policy',
        'codex',
        'gemini',
        'local_llm',
        'claude_teams',
      ]),
    );
    expect(cases.length).toBeGreaterThan(60);
  });

  it.each(cases.map(([path, key, value]) => [`${[...path, key].join('.')}`, path, key, value] as const))(
    'a wrong type for %s names the key path, the expected type and the line',
    (_name, path, key, value) => {
      const header = path.length ? `[${path.join('.')}]\n` : '';
      const { toml, expected } = wrongTypeFor(value);
      const err = configError(`# comment\n${header}${key} = ${toml}\n`);
      expect(err.kind).toBe('config');
      const detail = err.details.join('\n');
      const line = path.length ? 3 : 2;
      expect(detail).toContain(`${CONFIG_FILE}:${line}: ${[...path, key].join('.')}:`);
      expect(detail).toMatch(expected);
    },
  );

  it('lists the allowed values of an invalid enum', () => {
    const err = configError('[checkpoints]\nplan_review = "sometimes"\n');
    expect(err.details[0]).toBe(
      `${CONFIG_FILE}:2: checkpoints.plan_review: string "sometimes" is not allowed; allowed values: "auto", "ask", "off"`,
    );
    const effort = configError('[models.effort_policy]\nimplementation = { claude = "adaptive", codex = "ultra" }\n');
    expect(effort.details[0]).toContain(
      'models.effort_policy.implementation.codex: string "ultra" is not allowed; allowed values: "none", "low", "medium", "high", "xhigh"',
    );
    expect(effort.details[0]).toContain(`${CONFIG_FILE}:2:`);
  });

  it('rejects a security calibration quantile outside 0–0.99 or a window under 30 commits, naming file:line and key', () => {
    const err = configError('[thresholds]\nsecurity_calibration_quantile = 1.5\nsecurity_calibration_commits = 10\n');
    expect(err.details).toEqual([
      expect.stringContaining(`${CONFIG_FILE}:2: thresholds.security_calibration_quantile: number 1.5 is too big`),
      expect.stringContaining(`${CONFIG_FILE}:3: thresholds.security_calibration_commits: number 10 is too small`),
    ]);
  });

  it('reports every problem at once, each with its own line', () => {
    const err = configError(
      '[thresholds]\nfiles_changed_suggest_review = 0\nsuggest_codex_debug_after_cycles = 1.5\n[models.codex]\nsandbox_default = "yolo"\n',
    );
    expect(err.message).toContain('3 problems');
    expect(err.details).toEqual([
      expect.stringContaining(
        `${CONFIG_FILE}:2: thresholds.files_changed_suggest_review: number 0 is too small (must be more than 0)`,
      ),
      expect.stringContaining(`${CONFIG_FILE}:3: thresholds.suggest_codex_debug_after_cycles: expected an integer`),
      expect.stringContaining(
        `${CONFIG_FILE}:5: models.codex.sandbox_default: string "yolo" is not allowed; allowed values: "read-only", "workspace-write", "danger-full-access"`,
      ),
    ]);
  });

  it('names file:line:column for a TOML syntax error', () => {
    const err = configError('[models]\ncodex_enabled = true\ngemini_enabled = = false\n');
    expect(err.kind).toBe('config');
    expect(err.message).toMatch(new RegExp(`^${CONFIG_FILE.replace(/\./g, '\\.')}:3:\\d+: TOML syntax error`));
    const unclosed = configError('[models\n');
    expect(unclosed.message).toMatch(/:1:\d+: TOML syntax error/);
  });

  it('warns about unknown keys, with "did you mean" when close', () => {
    const loaded = parseConfigText(
      '[models]\ncodex_enable = true\n\n[thresholds]\nsomething_else = 1\n\n[checkpoint]\nplan_review = "auto"\n',
      CONFIG_FILE,
    );
    expect(loaded.warnings).toEqual([
      `${CONFIG_FILE}:2: unknown key models.codex_enable (did you mean "codex_enabled"?); ignored`,
      `${CONFIG_FILE}:5: unknown key thresholds.something_else; ignored`,
      `${CONFIG_FILE}:7: unknown key checkpoint (did you mean "checkpoints"?); ignored`,
    ]);
    expect(loaded.config.models.codex_enabled).toBe(false);
  });

  it('keeps custom effort-policy tasks but flags likely typos', () => {
    const loaded = parseConfigText(
      '[models.effort_policy]\nplan_reveiw = { codex = "low" }\nrelease_notes = { codex = "low" }\n',
      CONFIG_FILE,
    );
    expect(loaded.warnings).toEqual([
      `${CONFIG_FILE}:2: models.effort_policy.plan_reveiw is not a built-in task (did you mean "plan_review"?); kept as a custom task`,
    ]);
    expect(loaded.config.models.effort_policy.release_notes).toEqual({ claude: 'adaptive', codex: 'low' });
  });

  it('validates user registry models and routing chains', () => {
    const bad = configError('[[registry.models]]\nid = "deepseek"\nprovider = "grpc"\n');
    expect(bad.details[0]).toContain(
      `${CONFIG_FILE}:3: registry.models[0].provider: string "grpc" is not allowed; allowed values: "codex-cli", "gemini-cli", "openai-compatible", "ollama", "anthropic"`,
    );
    const noPrimary = configError('[routing.tests]\nfallback = ["claude-sonnet-4-6"]\n');
    expect(noPrimary.details[0]).toContain('routing.tests.primary: expected string, got nothing');
    const ok = parseConfigText('[routing.tests]\nprimary = "gemini-3.1-pro"\n', CONFIG_FILE);
    expect(ok.config.routing.tests).toEqual({ primary: 'gemini-3.1-pro', fallback: [] });
    expect(ok.config.routing.schemas).toEqual(DEFAULT_ROUTING.schemas);
  });

  it('an empty file enables nothing external but keeps "ask" checkpoints', () => {
    const { config, warnings } = parseConfigText('', CONFIG_FILE);
    expect(warnings).toEqual([]);
    expect(config.models.codex_enabled || config.models.gemini_enabled || config.models.local_llm_enabled).toBe(false);
    expect(config.checkpoints.pr_cross_review).toBe('ask');
  });

  it('no file at all is plain Claude Code: every integration and checkpoint off', () => {
    const config = plainClaudeCodeConfig();
    for (const [k, v] of Object.entries(config.models)) if (k.endsWith('_enabled')) expect(v, k).toBe(false);
    expect(new Set(Object.values(config.checkpoints))).toEqual(new Set(['off']));
  });

  it('the shipped template is valid, warning-free and sets every key of the design', () => {
    const loaded = parseConfigText(TEMPLATE, CONFIG_FILE);
    expect(loaded.warnings).toEqual([]);
    // Opt-in: the shipped template enables no external model; suggestions stand in comments.
    for (const [k, v] of Object.entries(loaded.config.models)) if (k.endsWith('_enabled')) expect(v, k).toBe(false);
    expect(parseConfigText(withSuggestedModels(TEMPLATE), CONFIG_FILE).config.models.codex_enabled).toBe(true);
    expect(loaded.config.models.effort_policy.debugging_escalated).toEqual({ claude: 'extended', codex: 'xhigh' });
    expect(loaded.config.thresholds.security_sensitive_patterns).toContain('sanitiz');
    // Every default-able leaf outside routing/registry is written out in the template.
    const set = new Set(loaded.keyLines.keys());
    const missing = leaves(configSchema.parse({}))
      .filter(([path]) => !['routing', 'registry'].includes(path[0]!))
      .map(([path, key]) => [...path, key].join('.'))
      .filter(
        (k) =>
          !set.has(k) &&
          !k.startsWith('models.local_llm.pinning') &&
          !k.startsWith('usage.') &&
          !k.startsWith('secrets.'),
      );
    expect(missing).toEqual([]);
  });
});
