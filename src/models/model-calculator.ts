// SPDX-License-Identifier: BSD-3-Clause
/**
 * The feature calculator of a model, built from the model alone: each feature block's calculator
 * comes from a builder (the feature registry; tests inject doubles), behind the block's
 * density-width rule (`features/density-widths.ts`), so that the model sees the density widths it
 * was trained with whatever semi-axes a system declares. Training, `predict`, `replay` and `drive`
 * all build their calculator here.
 */
import { AnisoError } from '../core/errors.js';
import { ConcatenatedCalculator } from '../features/concatenated.js';
import { DensityWidthCalculator } from '../features/density-widths.js';
import type { FeatureCalculator } from '../features/feature-calculator.js';
import type { FeatureRuntime } from '../features/feature-kind.js';
import { checkModelAgainstCalculator, type LinearModel, type ModelFeatureBlock } from './linear-model.js';

/** A calculator with an optional `close()` (worker threads). */
export type ClosableCalculator = FeatureCalculator & { close?(): void };

/** What builds a raw calculator from a block's kind and hypers (the registry's `create`; tests inject doubles). */
export type CalculatorBuilder = (features: { kind: string; hypers: Record<string, unknown> }, runtime?: FeatureRuntime) => ClosableCalculator;

/**
 * The calculator of one feature block: `build(kind, hypers)` behind the block's density widths
 * (none when `densityWidths` is null).
 * @throws AnisoError `E_CONFIG` from the builder, or when a fixed rule does not fit the species
 */
export function blockCalculator(block: Pick<ModelFeatureBlock, 'kind' | 'hypers' | 'densityWidths'>, build: CalculatorBuilder, runtime: FeatureRuntime = {}): ClosableCalculator {
  const inner = build({ kind: block.kind, hypers: block.hypers }, runtime);
  if (block.densityWidths === null) return inner;
  try {
    return new DensityWidthCalculator(inner, block.densityWidths);
  } catch (err) {
    inner.close?.();
    throw err;
  }
}

/**
 * The calculator of `model`, checked against the model's species and feature count: its one
 * block's calculator, or the concatenation of its blocks' (`features/concatenated.ts`; a linear
 * model on it is the sum of the blocks' linear models).
 * @throws AnisoError `E_CONFIG` for no block, invalid hypers, blocks with different species, or a shape mismatch
 */
export function modelCalculator(model: LinearModel, build: CalculatorBuilder, runtime: FeatureRuntime = {}): ClosableCalculator {
  if (model.features.length === 0) throw new AnisoError('E_CONFIG', 'the model has no feature blocks');
  const blocks: ClosableCalculator[] = [];
  let calculator: ClosableCalculator;
  try {
    for (const block of model.features) blocks.push(blockCalculator(block, build, runtime));
    calculator = blocks.length === 1 ? blocks[0]! : new ConcatenatedCalculator(blocks);
  } catch (err) {
    for (const b of blocks) b.close?.();
    throw err;
  }
  try {
    checkModelAgainstCalculator(model, calculator);
  } catch (err) {
    calculator.close?.();
    throw err;
  }
  return calculator;
}
