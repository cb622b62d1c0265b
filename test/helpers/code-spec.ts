/** A Code Spec that `mm handoff spec validate` accepts, as a pipeline synthesiser would write it. */
export const GOOD_SPEC = `# Code Spec — Feature flag

**Spec ID:** PL-1
**Architect:** claude-opus-4-6
**Created:** 2026-12-03
**Priority:** P1

## Objective

Add \`src/feature.ts\` exporting the feature flag next to \`src/util.ts\`.

## Files to Modify

### [NEW] \`src/feature.ts\`

**Purpose:** holds the flag.

## Test Expectations

- [ ] \`feature_exists\` — the module exports feature

## Guardrails — Do NOT

- read or change config/deploy.pem

## Verification Command

\`\`\`bash
test -f src/feature.ts
\`\`\`

## Context (Read-Only Reference)

The analyses agreed.
`;
