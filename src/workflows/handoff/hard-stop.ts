/**
 * The HARD STOP block of the dual-model protocol (dual-model-orchestration-skill.md,
 * Phases 2 and 4), word for word. The design file shows the stop sign as mojibake
 * ("ğŸ›‘", the UTF-8 bytes of U+1F6D1 read as Windows-1254); we print the intended 🛑.
 */
export type HandoffRole = 'coder' | 'architect';

const TASK: Record<HandoffRole, string> = {
  coder: 'Implement Code Spec',
  architect: 'Review Code Report',
};

const TITLE: Record<HandoffRole, string> = { coder: 'Coder', architect: 'Architect' };

export function hardStopBlock(to: HandoffRole, modelName: string): string {
  const role = TITLE[to];
  return [
    `🛑 HARD STOP: Switch to ${role} Model`,
    '',
    `Next: ${role} — ${modelName}`,
    `Task: ${TASK[to]}`,
    '',
    `Action Required: Switch the model selector to ${modelName},`,
    'then reply with "Model Confirmed".',
  ].join('\n');
}
