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
    ['off never runs', { mode: 'off' as const, confirmed: true }, 'skip'],
    ['ask without --yes asks', { mode: 'ask' as const }, 'ask'],
    ['ask with --yes runs', { mode: 'ask' as const, confirmed: true }, 'run'],
    ['auto runs when triggered', { mode: 'auto' as const }, 'run'],
    ['auto skips below thresholds', { mode: 'auto' as const, triggered: false }, 'skip'],
    ['auto below thresholds runs with --yes', { mode: 'auto' as const, triggered: false, confirmed: true }, 'run'],
    ['explicit --with runs even when off', { mode: 'off' as const, explicit: true }, 'run'],
    ['always-ask checkpoints ask even in auto', { mode: 'auto' as const, alwaysAsk: true }, 'ask'],
  ])('%s', (_name, over, action) => {
    const d = decideCheckpoint({ ...base, ...over });
    expect(d.action).toBe(action);
    expect(d.reason.length).toBeGreaterThan(10);
  });

  it('names the config key and the trigger in an ask', () => {
    const d = decideCheckpoint(base);
    expect(d.reason).toContain('the plan has 25 tasks');
    expect(d.reason).toContain('--yes');
  });
});
