// SPDX-License-Identifier: BSD-3-Clause
// The ablation table of README §6: one row per model of this example, each reproducible by one
// command, `node ablation.mjs --row NAME` (NAME = pair-distance | pair | anisoap | pair-anisoap):
//   1. trains it (`anisodrive train --config train-NAME.json`; `train-pair.json` writes model.msgpack)
//      unless --no-train and the model file exists;
//   2. test errors on the held-out MD snapshots of data/test.extxyz (E/N RMSE, F and τ R²; evaluate.mjs);
//   3. dimer well depths and positions of the four canonical geometries (dimer-curves.mjs);
//   4. ms per MD step (E + F + τ, one thread) on the nematic GB lattice at ρ* = 0.3 with N = 288
//      and 1000 (time-model.mjs in a process of its own: median of --reps steps, one particle moved per step);
//   5. NVT S2 with --nvt (nvt-order.mjs with the protocol flags below, the model taking over from the
//      GB-equilibrated configuration; long), otherwise read from out/order-NAME.csv when present.
// Rows accumulate in out/ablation.json; the table of every row there is printed at the end.
// Run after `node build-dataset.mjs` and `npx tsc -p tsconfig.json` in the repository root.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { summarizeSeries } from '../../dist/src/analysis/nematic.js';
import { dimerCurves } from './dimer-curves.mjs';
import { evaluateModel } from './evaluate.mjs';
import { loadModelProvider } from './model-provider.mjs';

const here = (p) => new URL(p, import.meta.url).pathname;
const { values: args } = parseArgs({
  options: {
    row: { type: 'string', multiple: true, default: [] },
    'no-train': { type: 'boolean', default: false },
    nvt: { type: 'boolean', default: false },
    reps: { type: 'string', default: '200' },
    // NVT protocol (README §4), the same for GB and every model
    equil: { type: 'string', default: '20000' },
    steps: { type: 'string', default: '200000' },
  },
});
const ROWS = {
  'pair-distance': 'pair features, bare distance r (ablation)',
  pair: 'pair features, contact distance ξ (shipped: model.msgpack)',
  anisoap: 'AniSOAP ν = 2 power spectrum only',
  'pair-anisoap': 'pair (ξ) + AniSOAP ν = 2, per-block λ',
};
const log = (m) => process.stderr.write(`ablation: ${m}\n`);
const CLI = here('../../dist/plugin/main.js');

/** Mean ± 5-block SEM of S2 over the production rows of out/order-NAME.csv, or null. */
function nvtOrder(name) {
  const path = here(`out/order-${name}.csv`);
  if (!existsSync(path)) return null;
  const [header, ...lines] = readFileSync(path, 'utf8').trim().split('\n').map((l) => l.split(','));
  const iS2 = header.indexOf('S2'), iProd = header.indexOf('production'), iStep = header.indexOf('step');
  const prod = lines.filter((l) => l[iProd] === '1');
  const s = summarizeSeries(prod.map((l) => Number(l[iS2])));
  return { mean: s.mean, sem: s.semBlocks, samples: s.n, steps: [Number(prod[0][iStep]), Number(prod.at(-1)[iStep])] };
}

const table = existsSync(here('out/ablation.json')) ? JSON.parse(readFileSync(here('out/ablation.json'), 'utf8')) : {};
for (const name of args.row) {
  if (!ROWS[name]) throw new Error(`--row ${name}: expected one of ${Object.keys(ROWS).join(', ')}`);
  const config = JSON.parse(readFileSync(here(`train-${name}.json`), 'utf8'));
  const modelPath = here(config.output.model);
  if (!args['no-train'] || !existsSync(modelPath)) {
    log(`${name}: training (anisodrive train --config train-${name}.json)`);
    execFileSync(process.execPath, [CLI, 'train', '--config', here(`train-${name}.json`), '--quiet'], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  log(`${name}: test errors`);
  const { result } = await evaluateModel(modelPath, here('data/test.extxyz'), { threads: 1 });
  const md = result.md;
  log(`${name}: dimers`);
  const provider = loadModelProvider(modelPath, { threads: 1, name });
  const { wells } = await dimerCurves([{ name, provider }]);
  log(`${name}: timing (node time-model.mjs, a process of its own)`);
  const timing = JSON.parse(execFileSync(process.execPath, [here('time-model.mjs'), modelPath, args.reps], { encoding: 'utf8' }));
  provider.close();
  if (args.nvt) {
    log(`${name}: NVT (node nvt-order.mjs --model ${name}=${config.output.model} --equil ${args.equil} --steps ${args.steps})`);
    execFileSync(process.execPath, [here('nvt-order.mjs'), '--model', `${name}=${modelPath}`, '--equil', args.equil, '--steps', args.steps, '--threads', '1'], { stdio: ['ignore', 'inherit', 'inherit'] });
  }
  table[name] = {
    description: ROWS[name],
    features: provider.model.features.map((b) => `${b.kind} ${b.featureCount}`).join(' + '),
    testMd: { energyPerParticleRmse: md.energyPerParticle.rmse, forcesR2: md.forces.r2, torquesR2: md.torques.r2 },
    wells,
    msPerStep: timing,
    nvt: nvtOrder(name),
  };
  mkdirSync(here('out'), { recursive: true });
  writeFileSync(here('out/ablation.json'), JSON.stringify(table, null, 1) + '\n');
}

const gbNvt = nvtOrder('gb');
const geoms = ['side_by_side', 'end_to_end', 'T_shape', 'cross'];
console.log('| model | features | E/N RMSE (ε0) | F R² | τ R² | wells: depth (ε0) @ r (σ0), side / end / T / cross | ms/step 288 | ms/step 1000 | NVT S2 |');
console.log('|---|---|---|---|---|---|---|---|---|');
const fmtNvt = (s) => (s ? `${s.mean.toFixed(3)} ± ${s.sem.toFixed(3)}` : '—');
if (Object.values(table)[0]) {
  const w = Object.values(table)[0].wells;
  console.log(`| GB (reference) | — | — | — | — | ${geoms.map((g) => `${w[g].gb.depth.toFixed(4)} @ ${w[g].gb.r.toFixed(4)}`).join(' / ')} | see BENCHMARKS.md | | ${fmtNvt(gbNvt)} |`);
}
for (const name of Object.keys(ROWS)) {
  const r = table[name];
  if (!r) continue;
  const wl = geoms.map((g) => `${r.wells[g][name].depth.toFixed(4)} @ ${r.wells[g][name].r.toFixed(4)}`).join(' / ');
  console.log(`| ${r.description} | ${r.features} | ${r.testMd.energyPerParticleRmse.toPrecision(3)} | ${r.testMd.forcesR2.toFixed(5)} | ${r.testMd.torquesR2.toFixed(5)} | ${wl} | ` +
    `${r.msPerStep[288].toFixed(2)} | ${r.msPerStep[1000].toFixed(1)} | ${fmtNvt(r.nvt)} |`);
}
