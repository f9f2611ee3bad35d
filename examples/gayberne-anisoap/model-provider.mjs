// SPDX-License-Identifier: BSD-3-Clause
// A trained model file (anisodrive train) as a ForceProvider on ellipsoids in the reduced units of
// this example (σ0 = 1, ε0 = 1), for dimer-curves.mjs, nvt-order.mjs and evaluate.mjs.
//
// Density widths: AniSOAP describes each neighbour by a Gaussian whose standard deviations are the
// "semi-axes" it is given. The model of this example is trained with narrower densities than the
// GB shape (train.json `data.semiaxes`, 0.2 × 0.2 × 0.6 instead of 0.5 × 0.5 × 1.5; README §2), so
// every system passed to the model gets those widths, whatever semi-axes it carries. The driver
// does the same through driver-model.json's `mapping.semiaxes`.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadModelWithCalculator } from '../../dist/plugin/config/model-io.js';
import { LinearEnergyProvider } from '../../dist/src/models/linear-energy-provider.js';

const here = (p) => new URL(p, import.meta.url).pathname;

/** The density semi-axes the model was trained with: `data.semiaxes` of train.json (null: the file's). */
export function trainingSemiaxes(trainConfig = here('train.json')) {
  return JSON.parse(readFileSync(trainConfig, 'utf8')).data.semiaxes ?? null;
}

/** A provider that hands `inner` every system with the semi-axes replaced by `semiaxes` (3 numbers). */
export class DensityWidths {
  constructor(inner, semiaxes) {
    this.inner = inner;
    this.name = inner.name;
    this.semiaxes = semiaxes;
  }
  compute(s) {
    const semi = new Float64Array(3 * s.n);
    for (let i = 0; i < s.n; i++) semi.set(this.semiaxes, 3 * i);
    return this.inner.compute({ ...s, semiaxes: semi });
  }
}

/**
 * The model in `path` as a provider in reduced units (the model's own: it must be trained on this
 * example's data, units σ0 and ε0), with the density widths of `semiaxes` (default: train.json's).
 * `threads`: feature threads (never change the numbers). Call `close()` when done.
 */
export function loadModelProvider(path, { semiaxes = trainingSemiaxes(), threads = 2, name = 'model' } = {}) {
  const { model, calculator } = loadModelWithCalculator(resolve(path), undefined, { threads });
  const { length, energy } = model.units;
  if (length.toAngstrom !== 4 || energy.toEv !== 0.01) {
    calculator.close?.();
    throw new Error(`${path}: model units ${length.name} = ${length.toAngstrom} Å, ${energy.name} = ${energy.toEv} eV; ` +
      `this example's data are in σ0 = 4 Å, ε0 = 0.01 eV (train.json units)`);
  }
  const linear = new LinearEnergyProvider(calculator, { weights: model.weights, baselines: model.baselines, name });
  const provider = semiaxes ? new DensityWidths(linear, semiaxes) : linear;
  provider.close = () => calculator.close?.();
  provider.model = model;
  return provider;
}
