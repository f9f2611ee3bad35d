// SPDX-License-Identifier: BSD-3-Clause
/**
 * What a feature calculator registers (`registry.ts`): its kind, the zod schema of its
 * hyper-parameters (the single source of their names, defaults and documentation; JSON Schema and
 * CLI flags derive from it), the form a train configuration gives, and a factory.
 */
import type { z } from 'zod';
import type { FeatureCalculator } from './feature-calculator.js';

/** Runtime options of a calculator: they never change the numbers. */
export interface FeatureRuntime {
  /** Computing threads including the caller, or `'auto'`. */
  threads?: number | 'auto';
  /** Below this many pairs a computation stays on the calling thread. */
  parallelMinPairs?: number;
}

/** A registered feature-calculator kind. */
export interface FeatureCalculatorKind {
  /** The `kind` string in configurations and model files. */
  readonly kind: string;
  /** One line for listings. */
  readonly summary: string;
  /** The hyper-parameters (without `kind` and runtime options); parsing fills in every default. */
  readonly schema: z.ZodType;
  /** The `features` entry of a train configuration: `kind`, hypers without those the data give, runtime options, `densityWidths`. */
  readonly trainSchema: z.ZodType;
  /** Whether the calculator reads density widths from `system.semiaxes` (then models record a density-width rule). */
  readonly usesDensityWidths: boolean;
  /** The full hypers of a model (every default filled in) from a validated train entry and the data's species ids. */
  hypersFromTrainConfig(entry: unknown, species: readonly number[]): Record<string, unknown>;
  /**
   * A calculator for `hypers` (validated here).
   * @throws AnisoError `E_CONFIG` for invalid hypers or runtime options
   */
  create(hypers: Record<string, unknown>, runtime?: FeatureRuntime): FeatureCalculator & { close(): void };
}
