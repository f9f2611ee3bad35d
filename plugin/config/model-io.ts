// SPDX-License-Identifier: BSD-3-Clause
/**
 * File side of models: reading and writing model files, building the feature calculator a model
 * names (through the registry, behind the model's own density widths: `modelCalculator`), and the
 * model as a provider in Å/eV for `drive`.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { AnisoError } from '../../src/core/errors.js';
import type { ForceProvider } from '../../src/core/system.js';
import type { DensityWidths } from '../../src/features/density-widths.js';
import { FEATURE_CALCULATOR_KINDS, featureKind } from '../../src/features/registry.js';
import { createModelProvider, type LinearModel } from '../../src/models/linear-model.js';
import { modelCalculator, type CalculatorBuilder, type ClosableCalculator } from '../../src/models/model-calculator.js';
import { loadModel, saveModel } from '../../src/models/model-file.js';
import { convertModelV1 } from '../../src/models/model-file-v1.js';

export type { ClosableCalculator } from '../../src/models/model-calculator.js';

/** What builds a calculator from a kind and hypers (the registry; tests inject doubles). */
export type CalculatorFactory = CalculatorBuilder;

/** The registry's calculators. */
export const registryCalculator: CalculatorFactory = (features, runtime = {}) => featureKind(features.kind).create(features.hypers, runtime);

function readBytes(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new AnisoError('E_IO', `cannot read model file ${path}: ${(err as Error).message}`);
  }
}

/** Run `f`, prefixing the message of an {@link AnisoError} with `path`. */
function naming<T>(path: string, f: () => T): T {
  try {
    return f();
  } catch (err) {
    if (err instanceof AnisoError) throw new AnisoError(err.code, `${path}: ${err.message}`, { cause: err });
    throw err;
  }
}

/** Read and validate a model file. @throws AnisoError `E_IO` naming the file and the bad field (for a 1.x file: the conversion command). */
export function readModelFile(path: string): LinearModel {
  const bytes = readBytes(path);
  return naming(path, () => loadModel(bytes, path));
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

/**
 * Convert the 1.x model file `from` to the current format with density widths `widths`, written to
 * `to`. Hypers of registered kinds get every default written out (the values the old code used).
 */
export function convertModelFile(from: string, to: string, widths: DensityWidths): LinearModel {
  const bytes = readBytes(from);
  const model = naming(from, () => {
    const m = convertModelV1(bytes, widths);
    const registered = new Set(FEATURE_CALCULATOR_KINDS);
    m.features = m.features.map((b) => (registered.has(b.kind) ? { ...b, hypers: featureKind(b.kind).schema.parse(b.hypers) as Record<string, unknown> } : b));
    return m;
  });
  writeModelFile(to, model);
  return model;
}

/** A model with its calculator, checked against each other. */
export interface LoadedModel {
  model: LinearModel;
  /** The model's features: the registry's calculator behind the model's density widths. */
  calculator: ClosableCalculator;
}

/**
 * Read `path` and build its calculator with `factory` (behind the model's density widths), checking
 * the weights' shape against the calculator's feature count.
 * @throws AnisoError `E_IO` (file) or `E_CONFIG` (hypers, shape mismatch), naming the file
 */
export function loadModelWithCalculator(path: string, factory: CalculatorFactory = registryCalculator, runtime: { threads?: number | 'auto' } = {}): LoadedModel {
  const model = readModelFile(path);
  const calculator = naming(path, () => modelCalculator(model, factory, runtime));
  return { model, calculator };
}

/** The model in `path` as a provider in Å and eV (see `createModelProvider`). */
export function modelProviderFromFile(path: string, factory: CalculatorFactory = registryCalculator, name = 'model'): { provider: ForceProvider; model: LinearModel } {
  const { model, calculator } = loadModelWithCalculator(path, factory);
  return { provider: createModelProvider(model, calculator, name), model };
}
