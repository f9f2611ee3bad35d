// SPDX-License-Identifier: BSD-3-Clause
/**
 * Feature calculators by kind (STYLE A1.3). Each kind is one module exporting a
 * {@link FeatureCalculatorKind} (kind, zod schema of its hyper-parameters, train-configuration form,
 * factory); this table lists them. `train`, `featurize` and model loading find calculators here.
 *
 * To add a calculator: write `src/features/<name>/kind.ts` (as `anisoap/kind.ts`), add it to
 * {@link FEATURE_KINDS} below, and extend `test/features/registry.test.ts`.
 */
import { AnisoError } from '../core/errors.js';
import { anisoapKind } from './anisoap/kind.js';
import type { AniSoapOptions } from './anisoap/calculator.js';
import type { AniSoapHypers } from './anisoap/hypers.js';
import type { FeatureCalculator } from './feature-calculator.js';
import type { FeatureCalculatorKind, FeatureRuntime } from './feature-kind.js';
import { pairKind } from './pair/kind.js';
import type { PairHypers } from './pair/hypers.js';

export type { FeatureCalculatorKind, FeatureRuntime } from './feature-kind.js';

/** The registered kinds. */
export const FEATURE_KINDS: readonly FeatureCalculatorKind[] = Object.freeze([anisoapKind, pairKind]);

/** Known calculator kinds. */
export const FEATURE_CALCULATOR_KINDS: readonly string[] = Object.freeze(FEATURE_KINDS.map((k) => k.kind));

/**
 * The registry entry of `kind`.
 * @throws AnisoError `E_CONFIG` for an unknown kind, listing the known ones
 */
export function featureKind(kind: unknown): FeatureCalculatorKind {
  const entry = FEATURE_KINDS.find((k) => k.kind === kind);
  if (!entry) {
    throw new AnisoError('E_CONFIG', `feature calculator kind ${JSON.stringify(kind)} is not one of ${FEATURE_CALCULATOR_KINDS.map((k) => `'${k}'`).join(', ')}`);
  }
  return entry;
}

/** Configuration of an AniSOAP calculator (see {@link AniSoapHypers} and {@link AniSoapOptions}). */
export type AniSoapConfig = { kind: 'anisoap' } & AniSoapHypers & AniSoapOptions;

/** Configuration of a pair-feature calculator (see {@link PairHypers}); runtime options are accepted and change nothing. */
export type PairConfig = { kind: 'pair' } & PairHypers & FeatureRuntime;

/** Any feature-calculator configuration: `kind`, hypers and runtime options in one object. */
export type FeatureCalculatorConfig = AniSoapConfig | PairConfig;

/**
 * Build the calculator named by `config.kind` from `{ kind, ...hypers, threads?, parallelMinPairs? }`.
 * @throws AnisoError `E_CONFIG` for an unknown kind (listing the known ones) or invalid hypers.
 */
export function createFeatureCalculator(config: FeatureCalculatorConfig): FeatureCalculator & { close(): void } {
  const { kind, threads, parallelMinPairs, ...hypers } = config as FeatureCalculatorConfig & FeatureRuntime;
  const runtime: FeatureRuntime = {};
  if (threads !== undefined) runtime.threads = threads;
  if (parallelMinPairs !== undefined) runtime.parallelMinPairs = parallelMinPairs;
  return featureKind(kind).create(hypers as Record<string, unknown>, runtime);
}
