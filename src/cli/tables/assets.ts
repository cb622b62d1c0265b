/**
 * Creative assets with provenance: image and video generation, UI mockups, prototypes,
 * SVG routing, and the provenance store (record, verify, list).
 */
import { VIDEO_SECONDS, VIDEO_SIZES } from '../../assets/video-options.ts';
import type { CommandSpec, FlagSpec } from '../spec.ts';

const json = (what: string): FlagSpec => ({ name: 'json', type: 'boolean', description: `print ${what} as JSON` });
const prompt: FlagSpec = { name: 'prompt', type: 'string', value: 'TEXT', description: 'what to generate' };
const promptFile: FlagSpec = {
  name: 'prompt-file',
  type: 'string',
  value: 'FILE',
  description: 'read the prompt from FILE instead',
};
const name: FlagSpec = {
  name: 'name',
  type: 'string',
  value: 'NAME',
  description: 'file name for the asset, without folders (required; taken names get -2, -3, …)',
};
const timeout: FlagSpec = {
  name: 'timeout',
  type: 'integer',
  value: 'SECONDS',
  description: 'give up after this long',
};

export const ASSET_COMMANDS: CommandSpec[] = [
  {
    name: 'image generate',
    summary: 'Generate or edit an image (Nano Banana Pro by default) and store it with provenance',
    description:
      'Uses models.defaults.image_generation, and falls back along the image routing chain when that model fails (the fallback is recorded). ' +
      '--model asks for one model and skips the fallback. Stores {output_dir}/{date}/{model}/NAME.png with NAME.prompt.txt and NAME.meta.json.',
    flags: [
      prompt,
      promptFile,
      name,
      {
        name: 'resolution',
        type: 'string',
        value: 'RES',
        choices: ['1K', '2K', '4K'],
        description: 'image size (4K routes to Nano Banana Pro)',
      },
      { name: 'aspect-ratio', type: 'string', value: 'W:H', description: 'e.g. 16:9, 1:1' },
      {
        name: 'input-image',
        type: 'string',
        value: 'FILE',
        description: 'edit this image instead of starting from nothing',
      },
      { name: 'model', type: 'string', value: 'MODEL', description: 'use this model (id or alias), no fallback' },
      {
        name: 'seed',
        type: 'integer',
        value: 'N',
        description: 'seed for reproducible output, recorded when store_seeds is on',
      },
      {
        name: 'yes',
        type: 'boolean',
        description:
          'confirm the model choice when models.defaults.image_generation is not configured (Pattern B asks first)',
      },
      {
        name: 'batch',
        type: 'string',
        value: 'FILE',
        description:
          'one prompt per line, or JSONL {"prompt","name","resolution"}; assets are NAME-1, NAME-2, … unless a line names its own',
      },
      timeout,
      json('the stored assets'),
    ],
    examples: [
      'mm image generate --prompt "flat hero illustration, teal" --name hero --resolution 2K',
      'mm image generate --prompt "remove the background" --input-image logo.png --name logo-clean',
    ],
    load: async () => (await import('../handlers/image.ts')).runImageGenerate,
  },
  {
    name: 'video generate',
    summary: 'Generate a video with Sora 2 (or remix an earlier one) and store it with provenance',
    description:
      'Creates the job, polls it with progress on stderr, downloads the video and stores it like an image. Exit 11 when the job does not finish within --timeout.',
    flags: [
      prompt,
      promptFile,
      name,
      { name: 'seconds', type: 'string', value: 'S', choices: VIDEO_SECONDS, description: 'clip length' },
      { name: 'size', type: 'string', value: 'WxH', choices: VIDEO_SIZES, description: 'resolution' },
      {
        name: 'remix',
        type: 'string',
        value: 'VIDEO_ID',
        description: 'remix this earlier video (its id is in the meta.json parameters)',
      },
      {
        name: 'resume',
        type: 'string',
        value: 'VIDEO_ID',
        description: 'wait for and store a job started earlier (after exit 11); the prompt comes from the job',
      },
      {
        name: 'model',
        type: 'string',
        value: 'MODEL',
        description: 'video model (default: models.defaults.video_generation)',
      },
      { ...timeout, description: 'give up waiting for the job after this long (default 900)' },
      json('the stored asset'),
    ],
    examples: ['mm video generate --prompt "product demo, 8 seconds, upbeat" --name demo --seconds 8'],
    load: async () => (await import('../handlers/video.ts')).runVideoGenerate,
  },
  {
    name: 'ui mockup',
    summary: 'Gemini draws a UI mockup and writes its React/TSX + Tailwind code into a scratch folder',
    description:
      'The mockup image is stored with provenance; the code goes to .claude/mm/scratch/<id>/ for Claude to integrate. Nothing is written into the project sources.',
    flags: [
      {
        name: 'describe',
        type: 'string',
        value: 'TEXT',
        description: 'the component, e.g. "card with gradient header, avatar, stats" (required)',
      },
      name,
      {
        name: 'model',
        type: 'string',
        value: 'MODEL',
        description: 'Gemini model (default: models.gemini.default_model)',
      },
      timeout,
      json('the image and files'),
    ],
    load: async () => (await import('../handlers/ui-mockup.ts')).runUiMockup,
  },
  {
    name: 'prototype',
    summary:
      'Explicit request only: Gemini builds an MVP of a feature from targeted files into a scratch folder and patch',
    description:
      'Sends only the --file(s) given (a few relevant files, not the repository). Writes the files, changes.patch and the raw reply to .claude/mm/scratch/<id>/; the project is not touched.',
    flags: [
      { name: 'feature', type: 'string', value: 'TEXT', description: 'the feature to prototype (required)' },
      {
        name: 'file',
        type: 'string',
        value: 'FILE',
        multiple: true,
        aliases: ['files'],
        description: 'a file whose patterns to follow (repeatable)',
      },
      {
        name: 'stack',
        type: 'string',
        value: 'TEXT',
        description: 'tech stack to target, e.g. "Next.js 15, React, Tailwind"',
      },
      {
        name: 'model',
        type: 'string',
        value: 'MODEL',
        description: 'Gemini model (default: models.gemini.default_model)',
      },
      timeout,
      json('the scratch folder and files'),
    ],
    load: async () => (await import('../handlers/prototype.ts')).runPrototype,
  },
  {
    name: 'svg route',
    summary: 'Say who should write an SVG: simple → Claude, complex or animated → Gemini',
    flags: [
      { name: 'complex', type: 'boolean', description: 'multi-element, illustrated or animated' },
      json('the decision'),
    ],
    load: async () => (await import('../handlers/svg.ts')).runSvgRoute,
  },
  {
    name: 'assets record',
    summary: 'Record provenance for an asset made elsewhere (e.g. an SVG Claude wrote)',
    description:
      'Writes NAME.prompt.txt (when asset_pipeline.store_prompts is on) and NAME.meta.json with the sha256 (when store_metadata is on), and prints which were written. ' +
      'With both off there is nothing to record provenance in: it refuses, writes nothing and exits 2.',
    positionals: [{ name: 'file', description: 'the asset', required: true }],
    flags: [
      { name: 'model', type: 'string', value: 'MODEL', description: 'the model that made it, id or alias (required)' },
      {
        name: 'prompt-file',
        type: 'string',
        value: 'FILE',
        description: 'the exact prompt it was made from (this or --prompt is required)',
      },
      { name: 'prompt', type: 'string', value: 'TEXT', description: 'the prompt, inline' },
      {
        name: 'name',
        type: 'string',
        value: 'NAME',
        description: 'store under this name (files outside the store are copied in)',
      },
      json('the record'),
    ],
    examples: ['mm assets record icon.svg --model claude-sonnet-4-6 --prompt-file icon-prompt.txt'],
    load: async () => (await import('../handlers/assets.ts')).runAssetsRecord,
  },
  {
    name: 'assets verify',
    summary: 'Check every stored asset: sidecars present, hash unchanged (exit 1 when not)',
    description:
      'Reports per asset what could be verified. An asset without a meta record (store_metadata off) has no hash to compare: it is listed as "not checked", never as matching.',
    flags: [json('the problems')],
    load: async () => (await import('../handlers/assets.ts')).runAssetsVerify,
  },
  {
    name: 'assets list',
    summary: 'List stored assets with their model and date',
    flags: [json('the assets')],
    load: async () => (await import('../handlers/assets.ts')).runAssetsList,
  },
];
