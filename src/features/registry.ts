// SPDX-License-Identifier: BSD-3-Clause
/**
 * Feature calculators by name (STYLE A1.3): `createFeatureCalculator({ kind: 'anisoap', ...hypers })`.
 * The configuration object is the calculator's hyper-parameters plus `kind` and runtime options
 * (`threads`, `parallelMinPairs`), which never change the numbers.
 */
import { AnisoError } from '../core/errors.js';
import { AniSoapCalculator, type AniSoapOptions } from './anisoap/calculator.js';
import type { AniSoapHypers } from './anisoap/hypers.js';
import type { FeatureCalculator } from './feature-calculator.js';

/** Configuration of an AniSOAP calculator (see {@link AniSoapHypers} and {@link AniSoapOptions}). */
export type AniSoapConfig = { kind: 'anisoap' } & AniSoapHypers & AniSoapOptions;

/** Any feature-calculator configuration. */
export type FeatureCalculatorConfig = AniSoapConfig;

/** Known calculator kinds. */
export const FEATURE_CALCULATOR_KINDS: readonly string[] = Object.freeze(['anisoap']);

/**
 * Build the calculator named by `config.kind`.
 * @throws AnisoError `E_CONFIG` for an unknown kind (listing the known ones) or invalid hypers.
 */
export function createFeatureCalculator(config: FeatureCalculatorConfig): FeatureCalculator & { close(): void } {
  const kind = (config as { kind?: unknown }).kind;
  if (kind === 'anisoap') {
    const { kind: _kind, threads, parallelMinPairs, ...hypers } = config;
    void _kind;
    const options: AniSoapOptions = {};
    if (threads !== undefined) options.threads = threads;
    if (parallelMinPairs !== undefined) options.parallelMinPairs = parallelMinPairs;
    return new AniSoapCalculator(hypers, options);
  }
  throw new AnisoError(
    'E_CONFIG',
    `feature calculator kind ${JSON.stringify(kind)} is not one of ${FEATURE_CALCULATOR_KINDS.map((k) => `'${k}'`).join(', ')}`,
  );
}
