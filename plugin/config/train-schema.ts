// SPDX-License-Identifier: BSD-3-Clause
/**
 * The JSON configuration of `anisodrive train`, as a zod schema (types, validation with JSON paths
 * in messages, JSON Schema via `trainJsonSchema()`). Relative paths are relative to the config file.
 *
 * Units: the training data, the feature hypers (lengths) and the resulting model all use the units
 * declared in `units` (default Å and eV); `toAngstrom` / `toEv` say how large one unit is, so that
 * `drive` can convert. For the LAMMPS Gay–Berne data in LJ units, declare e.g.
 * `{ "length": { "name": "sigma0", "toAngstrom": 4 }, "energy": { "name": "eps0", "toEv": 0.01 } }`.
 *
 * Example:
 * ```json
 * {
 *   "data": { "files": ["train.extxyz"] },
 *   "features": { "kind": "anisoap", "maxAngular": 4, "maxRadial": 3, "radialBasis": "gto",
 *                 "gaussianWidth": 1.5, "cutoff": 7, "mode": "md", "switchWidth": 1,
 *                 "densityWidths": [0.5, 0.5, 1.5] },
 *   "weights": { "energy": 100, "forces": 1, "torques": 1 },
 *   "output": { "model": "model.msgpack", "report": "report" }
 * }
 * ```
 */
import { z } from 'zod';
import type { TrainDensityWidths } from '../../src/features/density-widths.js';
import { FEATURE_CALCULATOR_KINDS, FEATURE_KINDS } from '../../src/features/registry.js';

const positive = (what: string) => z.number({ error: `${what} must be a number` }).positive({ error: `${what} must be > 0` });
const nonNegative = (what: string) => z.number({ error: `${what} must be a number` }).nonnegative({ error: `${what} must be ≥ 0` });

/** Where the labelled frames come from and how to read them. */
export const TrainDataSchema = z.strictObject({
  files: z.array(z.string().min(1)).min(1, { error: 'data.files needs at least one extxyz file' }).describe('extended XYZ files (relative to the config)'),
  testFiles: z.array(z.string().min(1)).optional().describe('separate test-set files; when given, split.testFraction is ignored'),
  orientationKey: z.string().min(1).default('auto').describe("orientation column (w,x,y,z); 'auto': c_q, quat, quaternion, quaternions"),
  quaternionOrder: z.enum(['wxyz', 'xyzw']).default('wxyz').describe('component order of the orientation column'),
  semiaxes: z.tuple([positive('data.semiaxes'), positive('data.semiaxes'), positive('data.semiaxes')]).optional().describe('semi-axes overriding the file (semiaxes or c_diameter[k] columns); they are the density widths only when features.densityWidths is absent'),
  energyKey: z.string().min(1).default('energy').describe('frame energy (total, not per particle)'),
  forcesKey: z.string().min(1).default('forces').describe('per-particle force column (R:3)'),
  torquesKey: z.string().min(1).default('torques').describe('per-particle lab-frame torque column (R:3)'),
  virialKey: z.string().min(1).default('virial').describe('frame virial, 9 numbers row-major'),
});

/** Units of the data and the model. */
export const ModelUnitsSchema = z.strictObject({
  length: z.strictObject({ name: z.string().min(1), toAngstrom: positive('units.length.toAngstrom') }).default({ name: 'angstrom', toAngstrom: 1 }),
  energy: z.strictObject({ name: z.string().min(1), toEv: positive('units.energy.toEv') }).default({ name: 'eV', toEv: 1 }),
});

/**
 * A `features` entry: `kind` plus that calculator's hyper-parameters (lengths in the model's unit),
 * as its registry entry defines them (`trainSchema` in `src/features/<kind>/kind.ts`; for AniSOAP
 * the fields, defaults and checks of `src/features/anisoap/hypers.ts`, without `species`, which
 * come from the data), runtime `threads`, and `densityWidths` (`src/features/density-widths.ts`).
 */
export type TrainFeatures = { kind: string; threads?: number | 'auto'; densityWidths?: TrainDensityWidths } & Record<string, unknown>;

const kindSchemas = FEATURE_KINDS.map((k) => k.trainSchema) as unknown as [z.ZodObject, ...z.ZodObject[]];

/** The `features` entry, one of the registered kinds (module doc). */
export const TrainFeaturesSchema = z.discriminatedUnion('kind', kindSchemas, {
  error: (iss) => (iss.code === 'invalid_union' ? `feature calculator kind ${JSON.stringify((iss.input as { kind?: unknown })?.kind)} is not one of ${FEATURE_CALCULATOR_KINDS.map((k) => `'${k}'`).join(', ')}` : undefined),
}) as unknown as z.ZodType<TrainFeatures>;

/**
 * `features`: one entry, or a list of entries (blocks) for a body-ordered model
 * `E = Σ_b Σ_i w_b · p_b,i` (e.g. pair features for the two-body part and an AniSOAP power
 * spectrum for the many-body rest); each block may have its own penalty multiplier
 * (`regularisation.blockPenalties`).
 */
export const TrainFeatureBlocksSchema = z.union([TrainFeaturesSchema, z.array(TrainFeaturesSchema).min(1, { error: 'features needs at least one block' })]);

/**
 * A hyper-parameter chosen by cross-validation: each value of `values` replaces `hyper` of block
 * `block` in turn (several entries: every combination), each candidate is trained in full, and
 * the one with the smallest validation loss is kept (e.g. the declared `shape` of pair features
 * when the effective shape is not known).
 */
export const TrainSearchSchema = z.strictObject({
  block: z.number().int().min(0).default(0).describe('index of the feature block (0 for a single entry)'),
  hyper: z.string().min(1).describe('name of the hyper-parameter, e.g. shape or radialScale'),
  values: z.array(z.unknown()).min(1, { error: 'search values need at least one candidate' }).describe('candidate values, each validated as the hyper-parameter itself'),
});

/** λ grid: a list, or a log-spaced range. */
export const LambdaGridSchema = z.union([
  z.array(positive('regularisation.lambdas')).min(1),
  z.strictObject({ min: positive('lambdas.min'), max: positive('lambdas.max'), count: z.number().int().min(1) }),
]);

/** The whole `train` configuration. */
export const TrainConfigSchema = z.strictObject({
  $schema: z.string().optional(),
  data: TrainDataSchema,
  units: ModelUnitsSchema.default({ length: { name: 'angstrom', toAngstrom: 1 }, energy: { name: 'eV', toEv: 1 } }),
  species: z.array(z.union([z.string().min(1), z.number().int().min(0)])).optional().describe('species by type index (symbols or atomic numbers); default: sorted union of the data'),
  features: TrainFeatureBlocksSchema,
  search: z.array(TrainSearchSchema).default([]).describe('hyper-parameters chosen by cross-validation over candidate values (every combination is trained)'),
  weights: z
    .strictObject({
      energy: nonNegative('weights.energy').default(1).describe('per-particle energy residuals are multiplied by this'),
      forces: nonNegative('weights.forces').default(1),
      torques: nonNegative('weights.torques').default(1),
      virial: nonNegative('weights.virial').default(0).describe('per-particle virial residuals'),
    })
    .default({ energy: 1, forces: 1, torques: 1, virial: 0 })
    .describe('residual weights ω_q: the loss is Σ_q ω_q² Σ (y − ŷ)²; think ω_q = 1 / acceptable error'),
  scaling: z.enum(['column', 'global', 'none']).default('column').describe('feature standardisation'),
  split: z
    .strictObject({
      testFraction: z.number().min(0).max(0.9).default(0.2),
      seed: z.number().int().min(0).default(1),
    })
    .default({ testFraction: 0.2, seed: 1 }),
  regularisation: z
    .strictObject({
      cvFolds: z.number().int().min(2).default(5),
      lambdas: LambdaGridSchema.default({ min: 1e-10, max: 1, count: 11 }).describe('relative λ (multiples of the mean eigenvalue)'),
      blockPenalties: LambdaGridSchema.default([1]).describe('candidate penalty multipliers m_b of every feature block after the first (λ Σ_b m_b ‖w_b‖², m_0 = 1), chosen with λ by the CV; every combination is tried'),
    })
    .default({ cvFolds: 5, lambdas: { min: 1e-10, max: 1, count: 11 }, blockPenalties: [1] }),
  learningCurve: z.array(z.number().gt(0).max(1)).min(1).default([0.1, 0.25, 0.5, 1]).describe('fractions of the training frames'),
  output: z.strictObject({
    model: z.string().min(1).default('model.msgpack').describe('model file (msgpack)'),
    report: z.string().min(1).default('report').describe('report directory: report.json, SVG and PNG figures'),
  }).default({ model: 'model.msgpack', report: 'report' }),
});

/** A validated train configuration. */
export type TrainConfig = z.infer<typeof TrainConfigSchema>;

/** The feature blocks of a configuration, as a list. */
export function featureBlocks(config: Pick<TrainConfig, 'features'>): TrainFeatures[] {
  return Array.isArray(config.features) ? config.features : [config.features];
}

/** Every combination of `values` for `blocks - 1` blocks after block 0 (whose multiplier is 1). */
export function blockPenaltyGrid(values: readonly number[], blocks: number): number[][] {
  let out: number[][] = [[1]];
  for (let b = 1; b < blocks; b++) out = out.flatMap((m) => values.map((v) => [...m, v]));
  return out;
}

/** The λ grid as a sorted list. */
export function lambdaGrid(g: TrainConfig['regularisation']['lambdas']): number[] {
  if (Array.isArray(g)) return [...g].sort((a, b) => a - b);
  if (g.count === 1) return [g.min];
  const lo = Math.log10(g.min), hi = Math.log10(g.max);
  return Array.from({ length: g.count }, (_, k) => 10 ** (lo + ((hi - lo) * k) / (g.count - 1)));
}

/** The JSON Schema of the train configuration (draft 2020-12), pretty-printed. */
export function trainJsonSchema(): string {
  const schema = z.toJSONSchema(TrainConfigSchema, { io: 'input', unrepresentable: 'any' });
  return JSON.stringify({ title: 'anisodrive train configuration', ...schema }, null, 2) + '\n';
}
