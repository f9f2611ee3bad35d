// SPDX-License-Identifier: BSD-3-Clause
// Energy of two GB(3,5,2,1) ellipsoids against their centre distance in the four canonical geometries
// of GAYBERNE.md §4 (r̂, u_i, u_j): side by side (x, z, z), end to end (z, z, z), T (x, x, z),
// cross (x, z, y). Reduced units (sigma0 = 1, eps0 = 1); GB with the 'switch' truncation of the
// training labels (rc 4, width 0.5). Checks GB against the LAMMPS scans of
// data/reference/gayberne/gb_dimer_scans.csv of the repository (r < 3.5, where the switch is inactive), writes
// out/dimers.csv (geometry, r, gb[, one column per model]) and out/dimers.{svg,png}.
//
// Run: npx tsc -p tsconfig.json; node dimer-curves.mjs [--model NAME=PATH ...]
// From code: import { dimerCurves } from './dimer-curves.mjs'; await dimerCurves([{ name, provider }]).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { writeLineChart } from '../../dist/plugin/plots/line-chart.js';
import { GayBerne } from '../../dist/src/potentials/gay-berne.js';
import { DIMER_GEOMETRIES, canonicalDimer } from '../../dist/src/datasets/gay-berne-dataset.js';
import { loadModelProvider } from './model-provider.mjs';

const here = (p) => new URL(p, import.meta.url).pathname;
const GB = { kappa: 3, kappaPrime: 5, mu: 2, nu: 1, sigma0: 1, epsilon0: 1, cutoff: 4, truncation: 'switch', switchWidth: 0.5 };
const RMIN = 2 ** (1 / 6) - 1;
/** Per geometry: contact distance σ12 (the scan starts 0.05 below it) and the plotted ranges. */
const GEOMETRY = {
  side_by_side: { title: 'side by side (x, z, z)', contact: 1, xRange: [0.5, 4], xInterval: 0.5, yRange: [-2, 1], yInterval: 0.5 },
  end_to_end: { title: 'end to end (z, z, z)', contact: 3, xRange: [2.8, 4], xInterval: 0.2, yRange: [-0.5, 0.5], yInterval: 0.25 },
  T_shape: { title: 'T (x, x, z)', contact: Math.sqrt(5), xRange: [2, 4], xInterval: 0.25, yRange: [-0.5, 0.5], yInterval: 0.25 },
  cross: { title: 'cross (x, z, y)', contact: 1, xRange: [0.5, 4], xInterval: 0.5, yRange: [-2, 1], yInterval: 0.5 },
};
const STEP = 0.005;

/** The distance grid of `geometry`: σ12 − 0.05 to 4 in steps of 0.005, plus r_min. */
export function distanceGrid(geometry) {
  const start = GEOMETRY[geometry].contact - 0.05;
  const rs = [];
  for (let k = 0; start + k * STEP <= 4 + 1e-12; k++) rs.push(Number((start + k * STEP).toFixed(6)));
  return [...rs, GEOMETRY[geometry].contact + RMIN].sort((a, b) => a - b);
}

/**
 * THE HOOK for models: energies of any ForceProvider on ellipsoids (reduced units) along the grid
 * `rs` of `geometry` — GB now, a trained AniSOAP model later.
 */
export function dimerEnergies(provider, geometry, rs) {
  return rs.map((r) => provider.compute(canonicalDimer(geometry, r)).energy);
}

/** Separation at which no provider of this example sees the partner (both cutoffs are ≤ 4). */
export const R_FAR = 20;

/**
 * Interaction energies U(r) = E(r) − E(R_FAR): a trained model's energy of two isolated ellipsoids
 * is its per-particle baseline plus the self term, not 0 (the training frames are dense; only
 * energy differences are learned). For GB, E(R_FAR) = 0 and nothing changes.
 */
export function interactionEnergies(provider, geometry, rs) {
  const [far] = dimerEnergies(provider, geometry, [R_FAR]);
  return dimerEnergies(provider, geometry, rs).map((e) => e - far);
}

/** Compute, check, write the CSV and the plot. `models`: [{ name, provider }] extra columns. */
export async function dimerCurves(models = []) {
  const t0 = performance.now();
  const { gayBerne } = GayBerne.fromClassic(GB);
  const { gayBerne: hard } = GayBerne.fromClassic({ ...GB, truncation: 'hard' });

  // GB against LAMMPS where the switch is off (r ≤ 3.5), and the hard-cutoff GB everywhere.
  const scans = readFileSync(here('../../data/reference/gayberne/gb_dimer_scans.csv'), 'utf8').trim().split('\n').slice(1)
    .map((line) => line.split(',')).map(([g, r, e]) => ({ geometry: g, r: Number(r), e: Number(e) }));
  let worstSwitch = 0, worstHard = 0;
  for (const { geometry, r, e } of scans) {
    worstHard = Math.max(worstHard, Math.abs(dimerEnergies(hard, geometry, [r])[0] - e));
    if (r <= 3.5) worstSwitch = Math.max(worstSwitch, Math.abs(dimerEnergies(gayBerne, geometry, [r])[0] - e));
  }
  console.log(`GB vs LAMMPS gb_dimer_scans.csv: max |ΔU| ${worstHard.toExponential(2)} (hard cutoff, all ${scans.length} points), ` +
    `${worstSwitch.toExponential(2)} (switch, r ≤ 3.5)`);

  const rows = ['geometry,r,gb' + models.map((m) => `,${m.name}`).join('')];
  const panels = [];
  /** Well depth and position per geometry: `wells[geometry] = { gb: { depth, r }, <model name>: { depth, r } }`. */
  const wells = {};
  for (const geometry of DIMER_GEOMETRIES) {
    const rs = distanceGrid(geometry);
    const gb = dimerEnergies(gayBerne, geometry, rs);
    const cols = models.map((m) => interactionEnergies(m.provider, geometry, rs));
    rs.forEach((r, k) => rows.push([geometry, r, gb[k], ...cols.map((c) => c[k])].map(String).join(',')));
    const ref = scans.filter((s) => s.geometry === geometry && s.r <= 3.5);
    const g = GEOMETRY[geometry];
    const min = Math.min(...gb);
    console.log(`${geometry.padEnd(13)} ${rs.length} points from r = ${rs[0].toFixed(3)}: minimum U = ${min.toFixed(6)} at r = ${rs[gb.indexOf(min)].toFixed(4)}`);
    models.forEach((m, k) => {
      // Agreement where MD goes: the points with U_GB ≤ 1 ε0 (the well and the foot of the wall).
      const c = cols[k];
      const keep = rs.map((_, j) => j).filter((j) => gb[j] <= 1);
      const rms = Math.sqrt(keep.reduce((a, j) => a + (c[j] - gb[j]) ** 2, 0) / keep.length);
      const mMin = Math.min(...c.filter((_, j) => rs[j] >= g.contact));
      const jc = rs.reduce((best, r, j) => (Math.abs(r - g.contact) < Math.abs(rs[best] - g.contact) ? j : best), 0);
      wells[geometry] ??= { gb: { depth: min, r: rs[gb.indexOf(min)] } };
      wells[geometry][m.name] = { depth: mMin, r: rs[c.indexOf(mMin)] };
      console.log(`  ${m.name}: minimum U = ${mMin.toFixed(4)} at r = ${rs[c.indexOf(mMin)].toFixed(4)} (GB ${min.toFixed(4)} at ${rs[gb.indexOf(min)].toFixed(4)}); ` +
        `U at contact ${c[jc].toFixed(3)} (GB ${gb[jc].toFixed(3)}); ` +
        `RMS ΔU over the ${keep.length} points with U_GB ≤ 1: ${rms.toFixed(4)}`);
    });
    panels.push({
      title: g.title,
      xLabel: 'r / σ0',
      yLabel: 'U / ε0',
      xRange: g.xRange,
      xInterval: g.xInterval,
      yRange: g.yRange,
      yInterval: g.yInterval,
      series: [
        { name: 'GB (switch)', x: rs, y: gb },
        ...models.map((m, k) => ({ name: `${m.name} (model)`, x: rs, y: cols[k], dashed: true })),
        { name: 'LAMMPS (hard cutoff)', x: ref.map((s) => s.r), y: ref.map((s) => s.e), kind: 'scatter', size: 5, color: '#1f77b4' },
      ],
    });
  }
  mkdirSync(here('out'), { recursive: true });
  writeFileSync(here('out/dimers.csv'), rows.join('\n') + '\n');
  const title = models.length > 0
    ? `GB(3,5,2,1) dimer energies: GB vs ${models.map((m) => m.name).join(', ')} (dashed; U(r) − U(∞))`
    : 'GB(3,5,2,1) dimer energies';
  const plot = writeLineChart(here('out/dimers'), { title, columns: 2, panels, width: 1000, height: 720 });
  console.log(`wrote out/dimers.csv (${rows.length - 1} rows), ${plot.svg}, ${plot.png} in ${((performance.now() - t0) / 1000).toFixed(2)} s`);
  return { wells };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const models = [];
  for (let k = 2; k < process.argv.length; k++) {
    if (process.argv[k] !== '--model') throw new Error(`unknown argument ${process.argv[k]}; usage: node dimer-curves.mjs [--model NAME=PATH ...]`);
    const [name, path] = (process.argv[++k] ?? '').split('=');
    models.push({ name, provider: loadModelProvider(path, { name }) });
  }
  try {
    await dimerCurves(models);
  } finally {
    for (const m of models) m.provider.close?.();
  }
}
