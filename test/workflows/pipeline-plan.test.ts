/** `mm pipeline` below the CLI: who plays each role, and how a synthesiser's answer becomes a spec. */
import { describe, expect, it } from 'vitest';
import { planPipeline } from '../../src/workflows/pipeline/plan.ts';
import { specFromAnswer } from '../../src/workflows/pipeline/prompts.ts';
import { configFrom } from '../helpers/config.ts';

describe('planPipeline', () => {
  it('takes each role from [pipeline.roles], else its default; a disabled primary falls to its fallback', () => {
    const { config, registry } = configFrom(
      '[models]\ncodex_enabled = true\ngemini_enabled = false\n' +
        '[pipeline.roles.architect]\nprimary = "gpt-5.3-codex"\nfallback = []\n' +
        // A [routing] entry of the same name belongs to mm qa, not to the pipeline's security role.
        '[routing.security]\nprimary = "claude-haiku-4-5"\nfallback = []\n',
    );
    const plan = planPipeline('add a flag', config, registry);
    const by = Object.fromEntries(
      [...plan.analysis, plan.synthesizer, ...plan.implementation].map((a) => [a.key, a.model]),
    );
    expect(by).toEqual({
      architect: 'gpt-5.3-codex',
      security: 'gpt-5.2',
      critic: 'claude-sonnet-4-6',
      synthesizer: 'claude-opus-4-6',
      implementer: 'gpt-5.3-codex',
      optimizer: 'gpt-5.3-codex',
      reviewer: 'gpt-5.2',
    });
    expect(plan.analysis.find((a) => a.key === 'critic')!.skipped[0]).toEqual({
      model: 'gemini-3.1-pro',
      reason: 'integration disabled in [models]',
    });
  });

  it('refuses an unknown model with the config key that holds it', () => {
    const { config, registry } = configFrom('[pipeline.roles.reviewer]\nprimary = "gpt-5.2"\nfallback = ["nope-1"]\n');
    expect(() => planPipeline('x', config, registry)).toThrow(
      '[pipeline.roles.reviewer] fallback[0]: unknown model "nope-1"',
    );
  });
});

describe('specFromAnswer', () => {
  it('takes the spec from its heading, outside a wrapping fence', () => {
    expect(specFromAnswer('Sure:\n\n```markdown\n# Code Spec — X\n\nbody\n```\n')).toBe('# Code Spec — X\n\nbody\n');
    expect(specFromAnswer('# Code Spec — Y\n\n```bash\nnpm test\n```\n')).toBe(
      '# Code Spec — Y\n\n```bash\nnpm test\n```\n',
    );
  });
});
