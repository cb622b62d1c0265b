/**
 * Who plays each pipeline role: the role's chain (`[pipeline.roles.<role>]`, else its
 * default) filtered to enabled models through the MAO assignment, so a disabled primary
 * falls to its fallbacks and, last, to the orchestration model. Names mm does not know
 * are refused here, before any call, with the config key that holds them.
 */
import type { Config, RouteChain } from '../../config/schema.ts';
import type { Registry } from '../../registry/registry.ts';
import { MmError } from '../../util/errors.ts';
import { assign, diversityScore, type Assignment } from '../mao/assign.ts';
import { ALL_ROLES, ANALYSIS_ROLES, IMPLEMENTATION_ROLES, SYNTHESIZER, type Role } from './roles.ts';

export interface PipelinePlan {
  task: string;
  analysis: Assignment[];
  synthesizer: Assignment;
  implementation: Assignment[];
  diversity: ReturnType<typeof diversityScore>;
}

function roleChain(role: Role, config: Config): RouteChain {
  return config.pipeline.roles[role.key] ?? role.chain;
}

/** Unknown role names and unknown model ids in `[pipeline.roles]` are config errors. */
function checkPipelineConfig(config: Config, registry: Registry): void {
  const known = ALL_ROLES.map((r) => r.key);
  for (const [name, chain] of Object.entries(config.pipeline.roles)) {
    if (!known.includes(name))
      throw new MmError('config', `[pipeline.roles.${name}]: unknown role "${name}"`, {
        hint: `pipeline roles: ${known.join(', ')}`,
      });
    const ids = [['primary', chain.primary], ...chain.fallback.map((m, i) => [`fallback[${i}]`, m])] as const;
    for (const [where, id] of ids)
      if (!registry.find(id))
        throw new MmError('config', `[pipeline.roles.${name}] ${where}: unknown model "${id}"`, {
          hint: 'use an id from `mm models` (or add it under [[registry.models]])',
        });
  }
}

export function planPipeline(task: string, config: Config, registry: Registry, env?: NodeJS.ProcessEnv): PipelinePlan {
  if (!task.trim()) throw new MmError('usage', 'say what to build with --task TEXT or --task-file FILE');
  checkPipelineConfig(config, registry);
  // A key of its own per role, so a [routing] entry of the same name (qa's "security") does not leak in.
  const assignRole = (r: Role) => ({
    ...assign(`pipeline.${r.key}`, config, registry, roleChain(r, config), env),
    key: r.key,
  });
  const analysis = ANALYSIS_ROLES.map(assignRole);
  const implementation = IMPLEMENTATION_ROLES.map(assignRole);
  const synthesizer = assignRole(SYNTHESIZER);
  // Without a synthesiser every later phase is waste: refuse before the analyses are paid for.
  if (synthesizer.skipped.some((s) => s.model === synthesizer.model))
    throw new MmError(
      'unavailable',
      `no synthesiser can be reached: ${synthesizer.skipped.map((s) => `${s.model} (${s.reason})`).join('; ')}`,
      {
        hint: 'set ANTHROPIC_API_KEY or log in with `claude`, or name another model under [pipeline.roles.synthesizer]',
      },
    );
  return {
    task: task.trim(),
    analysis,
    synthesizer,
    implementation,
    diversity: diversityScore([...analysis, ...implementation]),
  };
}

export function formatPipelinePlan(plan: PipelinePlan): string {
  const line = (a: Assignment) =>
    `  ${a.key.padEnd(12)} ${a.model}${a.access?.[a.model] ? ` (${a.access[a.model]})` : ''}${a.fallbacks.length ? ` → ${a.fallbacks.join(' → ')}` : ''}`;
  return [
    'A. Analysis (parallel):',
    ...plan.analysis.map(line),
    'B. Synthesis into a Code Spec:',
    line(plan.synthesizer),
    'C. Implementation (in scratch clones; the reviewer reads the patches):',
    ...plan.implementation.map(line),
    `Diversity: ${plan.diversity.score} (${plan.diversity.models} models, ${plan.diversity.vendors} vendors)`,
  ].join('\n');
}
