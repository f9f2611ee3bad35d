// SPDX-License-Identifier: BSD-3-Clause
/**
 * File side of models: reading and writing model files, building the feature calculator a model
 * names (through the registry), and the model as a provider in Å/eV for `drive`.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { AnisoError } from '../../src/core/errors.js';
import type { ForceProvider } from '../../src/core/system.js';
import type { FeatureCalculator } from '../../src/features/feature-calculator.js';
import { createFeatureCalculator, type FeatureCalculatorConfig } from '../../src/features/registry.js';
import { checkModelAgainstCalculator, createModelProvider, type LinearModel } from '../../src/models/linear-model.js';
import { loadModel, saveModel } from '../../src/models/model-file.js';

/** A calculator with an optional `close()` (worker threads). */
export type ClosableCalculator = FeatureCalculator & { close?(): void };

/** What builds a calculator from a kind and hypers (the registry; tests inject doubles). */
export type CalculatorFactory = (features: { kind: string; hypers: Record<string, unknown> }, runtime?: { threads?: number | 'auto' }) => ClosableCalculator;

/** The registry's calculators. */
export const registryCalculator: CalculatorFactory = (features, runtime = {}) =>
  createFeatureCalculator({ kind: features.kind, ...features.hypers, ...(runtime.threads !== undefined ? { threads: runtime.threads } : {}) } as FeatureCalculatorConfig);

/** Read and validate a model file. @throws AnisoError `E_IO` naming the file and the bad field. */
export function readModelFile(path: string): LinearModel {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    throw new AnisoError('E_IO', `cannot read model file ${path}: ${(err as Error).message}`);
  }
  try {
    return loadModel(bytes);
  } catch (err) {
    if (err instanceof AnisoError) throw new AnisoError(err.code, `${path}: ${err.message}`, { cause: err });
    throw err;
  }
}

/** Write `model` to `path` (creating the folder). */
export function writeModelFile(path: string, model: LinearModel): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, saveModel(model));
  } catch (err) {
    if (err instanceof AnisoError) throw err;
    throw new AnisoError('E_IO', `cannot write model file ${path}: ${(err as Error).message}`);
  }
}

/** A model with its calculator, checked against each other. */
export interface LoadedModel {
  model: LinearModel;
  calculator: ClosableCalculator;
}

/**
 * Read `path` and build its calculator with `factory`, checking the weights' shape against the
 * calculator's feature count.
 * @throws AnisoError `E_IO` (file) or `E_CONFIG` (hypers, shape mismatch), naming the file
 */
export function loadModelWithCalculator(path: string, factory: CalculatorFactory = registryCalculator, runtime: { threads?: number | 'auto' } = {}): LoadedModel {
  const model = readModelFile(path);
  let calculator: ClosableCalculator;
  try {
    calculator = factory({ kind: model.features.kind, hypers: model.features.hypers }, runtime);
  } catch (err) {
    if (err instanceof AnisoError) throw new AnisoError(err.code, `${path}: features: ${err.message}`, { cause: err });
    throw err;
  }
  try {
    checkModelAgainstCalculator(model, calculator);
  } catch (err) {
    calculator.close?.();
    if (err instanceof AnisoError) throw new AnisoError(err.code, `${path}: ${err.message}`, { cause: err });
    throw err;
  }
  return { model, calculator };
}

/** The model in `path` as a provider in Å and eV (see `createModelProvider`). */
export function modelProviderFromFile(path: string, factory: CalculatorFactory = registryCalculator, name = 'model'): { provider: ForceProvider; model: LinearModel } {
  const { model, calculator } = loadModelWithCalculator(path, factory);
  return { provider: createModelProvider(model, calculator, name), model };
}
