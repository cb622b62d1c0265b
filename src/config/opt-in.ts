/**
 * The external integrations a config turns on, one `[models]` flag each. Every one is off
 * until the user sets it (the design's first invariant: all external integrations are
 * opt-in); `mm init` and `mm config init` print this list so the user knows how.
 */
const INTEGRATION_FLAGS: ReadonlyArray<readonly [flag: string, what: string]> = [
  ['codex_enabled', 'Codex CLI: plan review, debug escalation, second-opinion review'],
  ['gemini_enabled', 'Gemini-family CLI: PR review, web research, large context, SVG'],
  ['nano_banana_enabled', 'Nano Banana Pro: image generation'],
  ['sora_enabled', 'Sora 2: video generation'],
  ['local_llm_enabled', 'Ollama / LM Studio: privacy-sensitive tasks (also set [models.local_llm])'],
  ['claude_teams_enabled', 'parallel Claude threads'],
];

/** The lines telling the user how to turn each integration on in `configPath`. */
export function optInHelp(configPath: string): string {
  const width = Math.max(...INTEGRATION_FLAGS.map(([f]) => f.length));
  return [
    `Every external model is off (opt-in). To turn one on, set its flag to true under [models] in ${configPath}:`,
    ...INTEGRATION_FLAGS.map(([flag, what]) => `  ${flag.padEnd(width)} = true   # ${what}`),
    'then run `mm doctor` to see what each enabled one still needs (CLI, API key, endpoint).',
  ].join('\n');
}
