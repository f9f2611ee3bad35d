// SPDX-License-Identifier: BSD-3-Clause
// A trained model file (anisodrive train) as a ForceProvider on ellipsoids in the reduced units of
// this example (σ0 = 1, ε0 = 1), for dimer-curves.mjs, nvt-order.mjs and evaluate.mjs.
//
// Density widths: the model file records the Gaussian widths it was trained with (train.json
// `features.densityWidths`, 0.2 × 0.2 × 0.6, narrower than the GB shape 0.5 × 0.5 × 1.5; README §2),
// and the calculator loadModelWithCalculator builds applies them, whatever semi-axes a system carries.
import { resolve } from 'node:path';
import { loadModelWithCalculator } from '../../dist/plugin/config/model-io.js';
import { LinearEnergyProvider } from '../../dist/src/models/linear-energy-provider.js';

/**
 * The model in `path` as a provider in reduced units (the model's own: it must be trained on this
 * example's data, units σ0 and ε0), with the density widths its file records.
 * `threads`: feature threads (never change the numbers). Call `close()` when done.
 */
export function loadModelProvider(path, { threads = 2, name = 'model' } = {}) {
  const { model, calculator } = loadModelWithCalculator(resolve(path), undefined, { threads });
  const { length, energy } = model.units;
  if (length.toAngstrom !== 4 || energy.toEv !== 0.01) {
    calculator.close?.();
    throw new Error(`${path}: model units ${length.name} = ${length.toAngstrom} Å, ${energy.name} = ${energy.toEv} eV; ` +
      `this example's data are in σ0 = 4 Å, ε0 = 0.01 eV (train.json units)`);
  }
  const provider = new LinearEnergyProvider(calculator, { weights: model.weights, baselines: model.baselines, name });
  provider.close = () => calculator.close?.();
  provider.model = model;
  return provider;
}
