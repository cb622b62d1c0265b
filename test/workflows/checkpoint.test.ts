import { describe, expect, it } from 'vitest';
import { decideCheckpoint, type CheckpointInput } from '../../src/workflows/checkpoint.ts';

const base: CheckpointInput = {
  name: 'plan_review',
  mode: 'ask',
  triggered: true,
  trigger: 'the plan has 25 tasks',
  explicit: false,
  confirmed: false,
};

describe('decideCheckpoint', () => {
  it.each([
    ['off never runs', { mode: 'off' as const, confirmed: true }, 'skip', 'checkpoints.plan_review = "off"'],
    ['ask without --yes asks', { mode: 'ask' as const }, 'ask', 're-run with --yes'],
    ['ask with --yes runs', { mode: 'ask' as const, confirmed: true }, 'run', 'confirmed with --yes'],
    ['auto runs when triggered', { mode: 'auto' as const }, 'run', 'checkpoints.plan_review = "auto"'],
    [
      'auto skips below thresholds',
      { mode: 'auto' as const, triggered: false },
      'skip',
      'only when its thresholds are met',
    ],
    [
      'auto below thresholds runs with --yes',
      { mode: 'auto' as const, triggered: false, confirmed: true },
      'run',
      'because --yes was given',
    ],
    ['explicit --with runs even when off', { mode: 'off' as const, explicit: true }, 'run', 'explicit request'],
    ['always-ask checkpoints ask even in auto', { mode: 'auto' as const, alwaysAsk: true }, 'ask', '"ask (always)"'],
  ])('%s', (_name, over, action, why) => {
    const d = decideCheckpoint({ ...base, ...over });
    expect(d.action).toBe(action);
    // The reason says which rule decided, not just any text.
    expect(d.reason).toContain(why);
  });

  it('names the config key and the trigger in an ask', () => {
    const d = decideCheckpoint(base);
    expect(d.reason).toContain('the plan has 25 tasks');
    expect(d.reason).toContain('--yes');
  });
});
