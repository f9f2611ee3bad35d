// SPDX-License-Identifier: BSD-3-Clause
// Builds the Gay–Berne training and test sets of this example, labelled with the built-in GB:
//   (a) random configurations of GB(3,5,2,1) ellipsoids (random sequential insertion, isotropic and
//       nematic-biased orientations, rho* 0.05-0.30, 64-128 particles);
//   (b) MD snapshots: NVT Langevin of the 288 dumbbells of ../gayberne-dumbbells (its driver.json,
//       rho* = 0.3) at T* 1.0-1.2 (and 0.7, the state point of nvt-order.mjs), mapped to ellipsoids.
// Labels: energy, per-particle energies, forces on centres, lab torques, virial of GB with the smooth
// 'switch' truncation (rc 4, width 0.5), so that a model targets a continuous potential.
// Units: reduced (sigma0 = 1, eps0 = 1), written as units=lj in every frame.
// Writes data/train.extxyz and data/test.extxyz (each frame tagged source=random_insertion|md_snapshot),
// and the training subsets that train.json uses: data/train-md.extxyz (the MD snapshots),
// data/train-random-mild.extxyz (random frames with overlap factor f ≥ 0.95: forces within the MD
// range) and data/train-random-overlap.extxyz (f < 0.95: overlapping pairs, |F| up to 1500).
// Seeded: the same Node version gives the same files. Run: npx tsc -p tsconfig.json; node build-dataset.mjs
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadInitialState } from '../../dist/plugin/commands/engine.js';
import { buildProvider } from '../../dist/plugin/config/build-provider.js';
import { loadJsonConfig } from '../../dist/plugin/config/load.js';
import { DriverConfigSchema } from '../../dist/plugin/config/schema.js';
import { Nematic } from '../../dist/src/analysis/nematic.js';
import { Cell } from '../../dist/src/core/cell.js';
import { KB_EV_PER_K } from '../../dist/src/core/units.js';
import { LocalForceSource } from '../../dist/src/engine/local-force-source.js';
import { runMd } from '../../dist/src/engine/run-md.js';
import { FrameWriter } from '../../dist/src/io/write-frames.js';
import { DumbbellMapping } from '../../dist/src/mapping/dumbbell.js';
import { GayBerne } from '../../dist/src/potentials/gay-berne.js';
import { insertEllipsoids, labelWithGayBerne, minContactRatio } from '../../dist/src/datasets/gay-berne-dataset.js';

const here = (p) => new URL(p, import.meta.url).pathname;
const DUMBBELLS = here('../gayberne-dumbbells/');
const t0 = performance.now();
const log = (msg) => console.log(`[${((performance.now() - t0) / 1000).toFixed(1).padStart(5)} s] ${msg}`);

// The labelling potential: GB(3,5,2,1) in reduced units, switched to zero on [3.5, 4].
const GB = { kappa: 3, kappaPrime: 5, mu: 2, nu: 1, sigma0: 1, epsilon0: 1, cutoff: 4, truncation: 'switch', switchWidth: 0.5 };
const { gayBerne, semiaxes: SEMI } = GayBerne.fromClassic(GB);
const INFO = {
  units: 'lj',
  gb_params: "{'kappa':3.0,'kappa_p':5.0,'mu':2.0,'nu':1.0,'sigma0':1.0,'eps0':1.0,'rc':4.0,'truncation':'switch','switch_width':0.5}",
};

const files = { train: [], test: [] };
/** Training subsets by kind of frame (README §2). */
const subsets = { md: [], 'random-mild': [], 'random-overlap': [] };
const MILD_OVERLAP = 0.95;
const stats = { train: { random: 0, md: 0, particles: 0 }, test: { random: 0, md: 0, particles: 0 } };

/** Labelled frames as extended XYZ text (full precision; `formatFrame` returns the text). */
const extxyz = new FrameWriter({ write: () => undefined }, 'extxyz');

/** Label an ellipsoid system (reduced units) and queue it for `split`. */
function add(split, system, configId, source, info) {
  const labels = labelWithGayBerne(gayBerne, system);
  const { step, ...rest } = info;
  const text = extxyz.formatFrame({ ...system, types: null, ...labels, step, info: { config_id: configId, source, ...rest, N: system.n, ...INFO } });
  files[split].push(text);
  if (split === 'train') {
    subsets[source === 'md_snapshot' ? 'md' : info.overlap_factor >= MILD_OVERLAP ? 'random-mild' : 'random-overlap'].push(text);
  }
  stats[split][source === 'md_snapshot' ? 'md' : 'random'] += 1;
  stats[split].particles += system.n;
  return labels;
}

// ---------------------------------------------------------------- (a) random configurations
// [n, rho*, orientation, spread, overlap factor f]: isotropic insertion jams near rho* 0.2 (f 0.92),
// nematic-biased insertion reaches 0.3 with f = 0.9.
const RANDOM_CASES = [
  [64, 0.05, 'isotropic', 0, 1.0],
  [96, 0.1, 'isotropic', 0, 0.95],
  [128, 0.15, 'isotropic', 0, 0.95],
  [128, 0.2, 'isotropic', 0, 0.92],
  [64, 0.1, 'nematic', 0.4, 0.95],
  [96, 0.2, 'nematic', 0.3, 0.95],
  [128, 0.25, 'nematic', 0.2, 0.95],
  [96, 0.3, 'nematic', 0.2, 0.9],
];
const RANDOM_PER_CASE = { train: 5, test: 1 };
let randomId = 0;
for (const split of ['train', 'test']) {
  for (const [k, [n, rho, kind, spread, f]] of RANDOM_CASES.entries()) {
    for (let rep = 0; rep < RANDOM_PER_CASE[split]; rep++) {
      let seed = 1000 * (split === 'train' ? 1 : 2) + 10 * k + rep;
      let config;
      for (;;) {
        try {
          config = insertEllipsoids({
            n, density: rho, semiaxes: SEMI, seed, overlapFactor: f, maxAttempts: 50000,
            orientations: kind === 'isotropic' ? { kind } : { kind, spread },
          });
          break;
        } catch (err) {
          log(`  ${err.message}; next seed`);
          seed += 100000;
        }
      }
      const labels = add(split, config, `rand_${String(randomId++).padStart(3, '0')}`, 'random_insertion', {
        rho, orient: kind === 'isotropic' ? 'isotropic' : 'nematic_biased', spread, overlap_factor: f, seed,
      });
      if (rep === 0) {
        log(
          `${split} random ${kind.padEnd(9)} N=${String(n).padStart(3)} rho*=${rho.toFixed(2)} f=${f.toFixed(2)}: ` +
            `S2 ${new Nematic().compute(config.orientations).order.toFixed(2)}, min r/sigma12 ${minContactRatio(config).toFixed(3)}, ` +
            `E/N ${(labels.energy / n).toFixed(3)}`,
        );
      }
    }
  }
}

// ---------------------------------------------------------------- (b) MD snapshots
// The dumbbell example in real units (sigma = 4 Å, eps = 0.01 eV): NVT Langevin (BAOAB, 4 fs,
// friction 0.001/fs: a 1 ps bath, light enough not to slow the orientational relaxation) of 576 sites
// with GB + restraints through the driver configuration.
const FRICTION = 0.001; // 1/fs
const config = loadJsonConfig(DriverConfigSchema, `${DUMBBELLS}driver.json`);
const SIGMA = config.units.sigma; // Å
const T_UNIT = config.units.epsilon / KB_EV_PER_K; // K per reduced temperature unit
const provider = buildProvider(config);
const mapping = new DumbbellMapping({ semiaxes: SEMI.map((x) => x * SIGMA) });

/** Sites (Å) → ellipsoids in reduced units, centres wrapped into the cell. */
function reducedEllipsoids(state) {
  const e = mapping.forward({ n: state.n, positions: state.positions, cell: state.cell });
  const cell = Cell.fromRows(e.cell.h.map((x) => x / SIGMA));
  const positions = Cell.wrap(cell, e.positions.map((x) => x / SIGMA));
  return { n: e.n, positions, cell, orientations: e.orientations, semiaxes: e.semiaxes.map((x) => x / SIGMA) };
}

// Each run: stages [T*, steps, snapshot every K steps (0: none)]; the T* = 4 stages melt the aligned
// lattice. E and F sample T* = 0.7, the state point of nvt-order.mjs.
const MD_RUNS = [
  { name: 'A', split: 'train', seed: 11, stages: [[1.0, 2000, 0], [1.0, 4000, 500]] },
  { name: 'B', split: 'train', seed: 12, stages: [[4.0, 3000, 0], [1.2, 1000, 0], [1.2, 4000, 500]] },
  { name: 'E', split: 'train', seed: 15, stages: [[0.7, 2000, 0], [0.7, 2000, 500]] },
  { name: 'C', split: 'test', seed: 13, stages: [[1.1, 2000, 0], [1.1, 2000, 500]] },
  { name: 'D', split: 'test', seed: 14, stages: [[4.0, 3000, 0], [1.1, 1000, 0], [1.1, 2000, 500]] },
  { name: 'F', split: 'test', seed: 16, stages: [[0.7, 2000, 0], [0.7, 1000, 500]] },
];
for (const run of MD_RUNS) {
  const { state } = loadInitialState(`${DUMBBELLS}init.xyz`, run.stages[0][0] * T_UNIT, run.seed);
  const source = new LocalForceSource(provider);
  for (const [s, [tStar, steps, every]] of run.stages.entries()) {
    const summary = await runMd({
      state, source, dt: 4, steps, every: every || steps, reportInitial: false,
      thermostat: { kind: 'langevin', temperature: tStar * T_UNIT, friction: FRICTION, seed: 100 * run.seed + s },
      onStep: (info) => {
        if (!every) return;
        const system = reducedEllipsoids(state);
        const labels = add(run.split, system, `md_${run.name}_${String(info.step).padStart(5, '0')}`, 'md_snapshot', {
          rho: system.n / Cell.volume(system.cell), T_md: tStar, run: run.name, step: info.step,
        });
        const s2 = new Nematic().compute(system.orientations).order;
        log(`${run.split} md ${run.name} step ${String(info.step).padStart(5)} T*=${(info.temperature / T_UNIT).toFixed(2)}: S2 ${s2.toFixed(3)}, E_GB/N ${(labels.energy / system.n).toFixed(3)}`);
      },
    });
    if (!every) log(`${run.split} md ${run.name}: ${steps} steps at T*=${tStar} (${summary.msPerStep.toFixed(2)} ms/step)`);
  }
}

mkdirSync(here('data'), { recursive: true });
for (const split of ['train', 'test']) {
  writeFileSync(here(`data/${split}.extxyz`), files[split].join(''));
  const s = stats[split];
  log(`wrote data/${split}.extxyz: ${s.random + s.md} frames (${s.random} random, ${s.md} MD), ${s.particles} particles`);
}
for (const [name, frames] of Object.entries(subsets)) {
  writeFileSync(here(`data/train-${name}.extxyz`), frames.join(''));
  log(`wrote data/train-${name}.extxyz: ${frames.length} frames`);
}
