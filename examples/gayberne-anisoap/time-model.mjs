// SPDX-License-Identifier: BSD-3-Clause
// ms per MD step (E + F + τ, one thread) of a model of this example on the nematic GB(3,5,2,1)
// lattice at ρ* = 0.3, N = 288 and 1000: median over REPS steps, one particle moved per step (as
// `npm run bench -- pair`). Run in a process of its own (ablation.mjs spawns it), so that no other
// model's code shares the JIT's type feedback. Prints one JSON line {"288": ms, "1000": ms}.
// Run: node time-model.mjs MODEL.msgpack [REPS]
import { nematicLattice } from '../../dist/bench/gay-berne.js';
import { median, timeJiggledSteps } from '../../dist/bench/support.js';
import { loadModelProvider } from './model-provider.mjs';

const [path, repsText = '200'] = process.argv.slice(2);
if (!path) throw new Error('usage: node time-model.mjs MODEL.msgpack [REPS]');
const reps = Number(repsText);
const provider = loadModelProvider(path, { threads: 1 });
const out = {};
for (const [n, dims] of [[288, [6, 6, 4]], [1000, [10, 10, 5]]]) {
  const sys = nematicLattice(dims[0], dims[1], dims[2], 0.3, 2024);
  out[n] = median(timeJiggledSteps(sys, (s) => provider.compute(s), n === 288 ? reps : Math.max(5, Math.round(reps / 3))).times);
}
provider.close();
console.log(JSON.stringify(out));
