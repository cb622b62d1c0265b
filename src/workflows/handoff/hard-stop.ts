/**
 * The HARD STOP block of the dual-model protocol (dual-model-orchestration-skill.md,
 * Phases 2 and 4). The design file shows the stop sign as mojibake ("ğŸ›‘", the UTF-8
 * bytes of U+1F6D1 read as Windows-1254); we print the intended 🛑.
 *
 * The design's wording ("Switch the model selector to …") assumes an IDE whose selector
 * holds both models. Claude Code's holds only Claude models, so that wording is kept
 * only when both roles are Claude models; otherwise the block stays the human gate —
 * reply "Model Confirmed" — and the coder runs through `mm handoff run` in an isolated
 * checkout.
 */
export type HandoffRole = 'coder' | 'architect';

/** How the next role is reached: the model selector (both roles Claude), or mm running the coder. */
export type HandoffVia = 'model-selector' | 'mm';

const TASK: Record<HandoffRole, string> = {
  coder: 'Implement Code Spec',
  architect: 'Review Code Report',
};

const TITLE: Record<HandoffRole, string> = { coder: 'Coder', architect: 'Architect' };

export function hardStopBlock(to: HandoffRole, modelName: string, via: HandoffVia = 'model-selector'): string {
  const role = TITLE[to];
  if (via === 'model-selector')
    return [
      `🛑 HARD STOP: Switch to ${role} Model`,
      '',
      `Next: ${role} — ${modelName}`,
      `Task: ${TASK[to]}`,
      '',
      `Action Required: Switch the model selector to ${modelName},`,
      'then reply with "Model Confirmed".',
    ].join('\n');
  const how =
    to === 'coder'
      ? `${modelName} implements the spec through mm in an isolated checkout; your working tree is not touched until you apply the patch.`
      : `${modelName} reviews the coder's patch and Code Report before anything is applied.`;
  return [
    `🛑 HARD STOP: Hand Off to ${role}`,
    '',
    `Next: ${role} — ${modelName}`,
    `Task: ${TASK[to]}`,
    how,
    '',
    `Action Required: ${role}: ${modelName} — reply "Model Confirmed" to start.`,
  ].join('\n');
}
