import { describe, expect, it } from 'vitest';
import { SANDBOX_MODES } from '../../src/config/schema.ts';
import { PROVIDER_COMMANDS } from '../../src/cli/tables/providers.ts';
import { EXIT, exitForStatus } from '../../src/cli/exit-codes.ts';
import { INVOKE_STATUSES } from '../../src/providers/types.ts';

describe('provider command table', () => {
  it('offers exactly the schema sandbox modes', () => {
    const sandbox = PROVIDER_COMMANDS.find((c) => c.name === 'ask')!.flags.find((f) => f.name === 'sandbox')!;
    expect([...sandbox.choices!]).toEqual([...SANDBOX_MODES]);
  });

  it('documents every status exit code in mm ask --help', () => {
    const ask = PROVIDER_COMMANDS.find((c) => c.name === 'ask')!;
    for (const status of INVOKE_STATUSES) expect(ask.description).toContain(`${exitForStatus(status)} ${status}`);
    expect(ask.description).toContain(`${EXIT.budget} budget`);
    expect(new Set(INVOKE_STATUSES.map(exitForStatus)).size).toBe(INVOKE_STATUSES.length);
  });
});
