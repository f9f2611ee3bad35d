// SPDX-License-Identifier: BSD-3-Clause
/**
 * The `model` potential (a trained model file) as a member of the driver's potential list. It
 * lives in the plugin, beside the library's registry (`src/potentials/registry.ts`), because it
 * reads a file and builds a feature calculator; it acts on ellipsoids behind the mapping, in the
 * units the model declares (converted to Å and eV when it is loaded).
 */
import { resolve } from 'node:path';
import { z } from 'zod';
import { AnisoError } from '../../src/core/errors.js';
import { definePotential, type PotentialContext } from '../../src/potentials/potential-entry.js';
import { modelProviderFromFile, type CalculatorFactory } from './model-io.js';

/** `{ "kind": "model", "file": …, "threads": … }`. */
export const modelSchema = z.strictObject({
  kind: z.literal('model'),
  file: z.string().min(1).describe('trained model file (anisodrive train), relative to this config; acts on ellipsoids behind the mapping, in the units the model declares'),
  threads: z.union([z.number().int().min(1), z.literal('auto')]).optional().describe('feature computing threads (never changes the numbers)'),
});

/** Validated model parameters. */
export type ModelParams = z.output<typeof modelSchema>;

/** What the model entry needs besides the library's context: how to build feature calculators. */
export interface PluginPotentialContext extends PotentialContext {
  /** Builds the feature calculator a model names (the registry; tests inject doubles). */
  readonly createCalculator: CalculatorFactory;
}

/** The model term of a config: the model file (relative to `baseDir`) with its calculator. */
export function modelFromConfig(p: ModelParams, baseDir: string, base: CalculatorFactory): ReturnType<typeof modelProviderFromFile> {
  const factory: CalculatorFactory = (features, runtime) => base(features, p.threads !== undefined ? { ...runtime, threads: p.threads } : runtime);
  return modelProviderFromFile(resolve(baseDir, p.file), factory, 'model');
}

/** The model as a potential: acts on ellipsoids; behind a mapping, one-species models only. */
export const modelPotential = definePotential({
  kind: 'model',
  schema: modelSchema,
  actsOn: () => 'ellipsoids',
  create: (p, ctx: PluginPotentialContext) => {
    if (ctx.mappingParams !== null && ctx.mappingParams.kind === 'identity') {
      throw new AnisoError('E_CONFIG', "a model potential acts on ellipsoids: set mapping.kind to 'dumbbell', 'triad' or 'molecule'");
    }
    const { provider, model } = modelFromConfig(p, ctx.baseDir, ctx.createCalculator);
    if (ctx.mapping !== null && model.species.length !== 1) {
      throw new AnisoError(
        'E_CONFIG',
        `model ${resolve(ctx.baseDir, p.file)} has ${model.species.length} species [${model.speciesNames.join(', ')}]; the site mappings give every ellipsoid type 0, so drive serves one-species models only`,
      );
    }
    return { on: 'ellipsoids', provider };
  },
});
