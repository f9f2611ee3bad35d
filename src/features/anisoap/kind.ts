// SPDX-License-Identifier: BSD-3-Clause
/**
 * AniSOAP in the feature-calculator registry (`registry.ts`): its kind, its hyper-parameter
 * schema (`hypers-schema.ts`, built from the single table of `hypers.ts`), the form a train configuration gives (no
 * `species`: those come from the data; mode `'md'` by default, since models are made for MD) and
 * the factory.
 */
import { z } from 'zod';
import type { FeatureCalculatorKind, FeatureRuntime } from '../feature-kind.js';
import { TrainDensityWidthsSchema } from '../density-widths.js';
import { AniSoapCalculator, type AniSoapOptions } from './calculator.js';
import type { AniSoapHypers } from './hypers.js';
import { ANISOAP_HYPER_FIELDS, AniSoapHypersSchema, checkAniSoapHypers } from './hypers-schema.js';
import { fillAniSoapDefaults, type HyperRuleInput } from './hypers.js';

const { species: _species, ...fieldsWithoutSpecies } = ANISOAP_HYPER_FIELDS;
void _species;

/** Runtime options (never change the numbers). */
const threads = z
  .union([z.number().int().min(1), z.literal('auto')])
  .optional()
  .describe('computing threads (never changes the numbers)');

/** The `features` entry of a train configuration for AniSOAP. */
const trainSchema = z
  .strictObject({
    kind: z.literal('anisoap'),
    ...fieldsWithoutSpecies,
    mode: ANISOAP_HYPER_FIELDS.mode.removeDefault().default('md').describe("'md' (default for training): smooth switch to zero at the cutoff; 'package': the package's hard cutoff"),
    threads,
    densityWidths: TrainDensityWidthsSchema.optional(),
  })
  .superRefine(checkAniSoapHypers)
  .transform((h) => fillAniSoapDefaults(h as HyperRuleInput & typeof h));

/** The AniSOAP registry entry. */
export const anisoapKind: FeatureCalculatorKind = {
  kind: 'anisoap',
  summary: 'AniSOAP power spectrum of ellipsoidal Gaussian densities (arXiv:2403.19039)',
  schema: AniSoapHypersSchema,
  trainSchema,
  usesDensityWidths: true,
  hypersFromTrainConfig(entry, species) {
    const { kind: _k, threads: _t, densityWidths: _d, ...hypers } = entry as Record<string, unknown>;
    void _k;
    void _t;
    void _d;
    return { ...(AniSoapHypersSchema.parse({ ...hypers, species }) as unknown as Record<string, unknown>) };
  },
  create(hypers: Record<string, unknown>, runtime: FeatureRuntime = {}) {
    const options: AniSoapOptions = {};
    if (runtime.threads !== undefined) options.threads = runtime.threads;
    if (runtime.parallelMinPairs !== undefined) options.parallelMinPairs = runtime.parallelMinPairs;
    return new AniSoapCalculator(hypers as unknown as AniSoapHypers, options);
  },
};
