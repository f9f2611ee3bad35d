// SPDX-License-Identifier: BSD-3-Clause
// NVT Langevin of the 288 GB(3,5,2,1) dumbbells of ../gayberne-dumbbells (rho* = 0.3, starting from its
// aligned lattice init.xyz), with the nematic order parameter S2 of the ellipsoids every few steps.
// The force field is the driver configuration (GB + restraints, exactly what `anisodrive drive`
// serves) or, through the hook below, any ellipsoid-level provider in reduced units (the trained
// model). Writes out/order-<label>.csv and plots every out/order-*.csv into out/order.{svg,png}.
//
// With --model, the equilibration is by default the GB run's own (`--equil-ff gb`: same seed, same
// noise, so the first --equil steps are the GB run's, bit for bit) and the model takes over at step
// --equil for the production: both force fields start their production from the same GB-equilibrated
// configuration and share the thermostat's random numbers. `--equil-ff model` equilibrates with the
// model from the lattice instead. The model run also prints GB's S2 over the same window, read from
// out/order-gb.csv (run GB first, with the same --temperature --friction --equil --every --seed).
//
// Run: npx tsc -p tsconfig.json; node nvt-order.mjs [--temperature 0.7] [--friction 0.001] [--equil 20000]
//        [--steps 40000] [--every 250] [--rdf-every 1000] [--seed 7] [--model NAME=PATH [--equil-ff gb|model] [--threads 2]]
//      node nvt-order.mjs --plot-only   (redraw the figures from out/order-*.csv and out/pair-*.csv)
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { loadInitialState } from '../../dist/plugin/commands/engine.js';
import { buildProvider } from '../../dist/plugin/config/build-provider.js';
import { loadJsonConfig } from '../../dist/plugin/config/load.js';
import { DriverConfigSchema } from '../../dist/plugin/config/schema.js';
import { writeLineChart } from '../../dist/plugin/plots/line-chart.js';
import { Nematic, summarizeSeries } from '../../dist/src/analysis/nematic.js';
import { PairCorrelation } from '../../dist/src/analysis/pair-correlation.js';
import { Cell } from '../../dist/src/core/cell.js';
import { KB_EV_PER_K } from '../../dist/src/core/units.js';
import { LocalForceSource } from '../../dist/src/engine/local-force-source.js';
import { runMd } from '../../dist/src/engine/run-md.js';
import { DumbbellMapping } from '../../dist/src/mapping/dumbbell.js';
import { MappedProvider } from '../../dist/src/mapping/mapped-provider.js';
import { GayBerne } from '../../dist/src/potentials/gay-berne.js';
import { HarmonicRestraint } from '../../dist/src/potentials/harmonic-restraint.js';
import { SumProvider } from '../../dist/src/potentials/sum-provider.js';
import { loadModelProvider } from './model-provider.mjs';

const here = (p) => new URL(p, import.meta.url).pathname;
/** Means of `k` equal consecutive blocks of `x` (the blocks of the SEM). */
const blockMeans = (x, k) => Array.from({ length: k }, (_, b) => {
  const part = x.slice(Math.floor((b * x.length) / k), Math.floor(((b + 1) * x.length) / k));
  return part.reduce((a, v) => a + v, 0) / part.length;
});
const DUMBBELLS = here('../gayberne-dumbbells/');
const { values: args } = parseArgs({
  options: {
    temperature: { type: 'string', default: '0.7' }, // T* (reduced, eps/k_B = 116 K)
    friction: { type: 'string', default: '0.001' }, // Langevin friction, 1/fs
    equil: { type: 'string', default: '20000' }, // steps before sampling counts
    steps: { type: 'string', default: '40000' }, // production steps
    every: { type: 'string', default: '250' }, // S2 sampling stride (steps)
    'rdf-every': { type: 'string', default: '1000' }, // g(r), g2(r) sampling stride in production (steps)
    seed: { type: 'string', default: '7' },
    model: { type: 'string' }, // NAME=PATH of a trained model (hook below)
    'equil-ff': { type: 'string', default: 'gb' }, // equilibrate with 'gb' (then switch) or 'model'
    threads: { type: 'string', default: '2' }, // feature threads of the model
    'plot-only': { type: 'boolean', default: false }, // redraw out/order.* and out/pair.* from the CSVs in out/
  },
});
const config = loadJsonConfig(DriverConfigSchema, `${DUMBBELLS}driver.json`);
const { sigma: SIGMA, epsilon: EPS } = config.units; // Å, eV
const T_UNIT = EPS / KB_EV_PER_K; // K
const gbTerm = config.potentials.find((p) => p.kind === 'gayberne');
const restraintTerm = config.potentials.find((p) => p.kind === 'restraint');

/** A reduced-unit provider (σ0 = 1, ε0 = 1) on ellipsoids seen in Å and eV. */
class ReducedUnits {
  constructor(inner) {
    this.inner = inner;
    this.name = inner.name;
  }
  compute(s) {
    const r = this.inner.compute({
      ...s,
      positions: s.positions.map((x) => x / SIGMA),
      cell: Cell.fromRows(s.cell.h.map((x) => x / SIGMA), s.cell.pbc),
      semiaxes: s.semiaxes.map((x) => x / SIGMA),
    });
    return {
      energy: r.energy * EPS,
      forces: r.forces.map((x) => (x * EPS) / SIGMA),
      torques: r.torques ? r.torques.map((x) => x * EPS) : null,
      virial: r.virial.map((x) => x * EPS),
      extras: r.extras,
    };
  }
}

/**
 * THE HOOK: the site-level provider of the dumbbell system for an ellipsoid provider in reduced
 * units — the driver's mapping and restraints around `reducedProvider` instead of its GB term.
 */
export function dumbbellProvider(reducedProvider, nSites) {
  const mapping = new DumbbellMapping({
    semiaxes: config.mapping.semiaxes.map((x) => x * SIGMA),
    length: config.mapping.bondLength * SIGMA,
  });
  const restraint = HarmonicRestraint.forMapping(mapping, nSites, (restraintTerm.k * EPS) / SIGMA ** 2);
  return new SumProvider([new MappedProvider(mapping, new ReducedUnits(reducedProvider)), restraint], 'total');
}

/** A provider that forwards to `current`; `switchTo` changes it between steps. */
class Switchable {
  constructor(current) {
    this.current = current;
    this.name = 'switchable';
  }
  switchTo(provider) {
    this.current = provider;
  }
  compute(s) {
    return this.current.compute(s);
  }
}

const tStar = Number(args.temperature), equil = Number(args.equil), steps = Number(args.steps);
const every = Number(args.every), seed = Number(args.seed), friction = Number(args.friction);
let label = 'plots';
if (!args['plot-only']) {
  const { state } = loadInitialState(`${DUMBBELLS}init.xyz`, tStar * T_UNIT, seed);
  const sites = { n: state.n, positions: state.positions, cell: state.cell };

  label = 'gb';
  const gbProvider = buildProvider(config);
  const provider = new Switchable(gbProvider);
  // The hook path with GB itself must reproduce the driver's forces (a check of the unit handling).
  const { gayBerne: reducedGb } = GayBerne.fromClassic(gbTerm);
  const a = gbProvider.compute(sites), b = dumbbellProvider(reducedGb, state.n).compute(sites);
  const dF = Math.max(...a.forces.map((f, k) => Math.abs(f - b.forces[k])));
  console.log(`hook check (GB through dumbbellProvider vs driver config): |ΔE| ${Math.abs(a.energy - b.energy).toExponential(2)} eV, max |ΔF| ${dF.toExponential(2)} eV/Å`);
  let model = null, modelProvider = null, switchAt = null;
  if (args.model) {
    const [name, path] = args.model.split('=');
    if (!name || !path || name === 'gb') throw new Error(`--model ${args.model}: expected NAME=PATH with NAME other than gb`);
    if (!['gb', 'model'].includes(args['equil-ff'])) throw new Error(`--equil-ff ${args['equil-ff']}: expected gb or model`);
    label = name;
    model = loadModelProvider(new URL(path, pathToFileURL(`${process.cwd()}/`)).pathname, { threads: Number(args.threads), name });
    modelProvider = dumbbellProvider(model, state.n);
    if (args['equil-ff'] === 'model' || equil === 0) provider.switchTo(modelProvider);
    else switchAt = equil;
  }

  const mapping = new DumbbellMapping({ semiaxes: [1, 1, 3] }); // only the axes are used here
  const nematic = new Nematic({ axis: 'z' });
  // g(r) and g2(r) of the ellipsoid centres over the production, r in σ0 up to just under half the box.
  const rdfEvery = Number(args['rdf-every']);
  const boxWidth = Math.min(...Cell.widths(state.cell)) / SIGMA;
  const pairCorr = new PairCorrelation({ rmax: Math.floor(boxWidth * 50) / 100, nbins: 120, axis: 'z' });
  const rows = ['step,time_ps,T_reduced,U_per_ellipsoid,S2,S2_mid,P4,biax,nx,ny,nz,production,force_field'];
  const production = [];
  const total = equil + steps;
  console.log(`NVT Langevin, ${label}: ${state.n} sites, T* = ${tStar} (${(tStar * T_UNIT).toFixed(1)} K), dt 4 fs, ` +
    `friction ${friction}/fs, ${equil} + ${steps} steps, S2 every ${every}` +
    (switchAt !== null ? `; equilibration with GB, the model from step ${switchAt}` : ''));
  if (switchAt !== null && switchAt % every !== 0) throw new Error(`--equil ${equil} must be a multiple of --every ${every} to switch force fields`);
  const summary = await runMd({
    state, source: new LocalForceSource(provider), dt: 4, steps: total, every,
    thermostat: { kind: 'langevin', temperature: tStar * T_UNIT, friction, seed },
    onStep: (info) => {
      if (info.step === switchAt) provider.switchTo(modelProvider);
      nematic.compute(mapping.forward(sites).orientations);
      const inProduction = info.step > equil;
      if (inProduction) production.push(nematic.order);
      if (inProduction && info.step % rdfEvery === 0) {
        const e = mapping.forward(sites);
        pairCorr.compute({ positions: e.positions.map((x) => x / SIGMA), cell: Cell.fromRows(state.cell.h.map((x) => x / SIGMA), state.cell.pbc), orientations: e.orientations }, { reset: false });
      }
      const d = nematic.director;
      rows.push([info.step, (info.time / 1000).toFixed(3), (info.temperature / T_UNIT).toFixed(4), (info.potential / EPS / (state.n / 2)).toFixed(6),
        nematic.order.toFixed(6), nematic.middleEstimator.toFixed(6), nematic.p4.toFixed(6), nematic.biaxiality.toFixed(6),
        d[0].toFixed(5), d[1].toFixed(5), d[2].toFixed(5), inProduction ? 1 : 0,
        switchAt !== null && info.step <= switchAt ? 'gb' : label].join(','));
      if (info.step % (total / 10) === 0) {
        console.log(`  step ${String(info.step).padStart(6)}  t ${(info.time / 1000).toFixed(1).padStart(6)} ps  T* ${(info.temperature / T_UNIT).toFixed(3)}  ` +
          `S2 ${nematic.order.toFixed(3)}  S2_mid ${nematic.middleEstimator.toFixed(3)}  (${(info.wallMs / 1000).toFixed(0)} s)`);
      }
    },
  });
  mkdirSync(here('out'), { recursive: true });
  writeFileSync(here(`out/order-${label}.csv`), rows.join('\n') + '\n');
  {
    const r = pairCorr.binCenters, g = pairCorr.rdf, g2 = pairCorr.g2;
    const lines = ['r_sigma0,g,g2'];
    for (let b = 0; b < r.length; b++) lines.push(`${r[b].toFixed(5)},${g[b].toFixed(6)},${Number.isNaN(g2[b]) ? 'nan' : g2[b].toFixed(6)}`);
    writeFileSync(here(`out/pair-${label}.csv`), lines.join('\n') + '\n');
  }
  model?.close();
  const s = summarizeSeries(production);
  console.log(`${label}: mean S2 = ${s.mean.toFixed(3)} ± ${s.semBlocks.toFixed(3)} (5-block SEM; std ${s.std.toFixed(3)}, ` +
    `${s.n} samples over ${steps} steps after ${equil}); mean T* ${(summary.meanTemperature / T_UNIT).toFixed(3)}; ` +
    `${(summary.wallMs / 1000).toFixed(1)} s (${summary.msPerStep.toFixed(2)} ms/step)`);
  console.log(`  block means: ${blockMeans(production, 5).map((x) => x.toFixed(3)).join(', ')}`);
  if (label !== 'gb') {
    // GB over the same window (same equilibration, seed and sampling) from its own run.
    try {
      const gbRows = readFileSync(here('out/order-gb.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',').map(Number));
      const window = gbRows.filter((r) => r[0] > equil && r[0] <= equil + steps).map((r) => r[4]);
      if (window.length === production.length) {
        const g = summarizeSeries(window);
        console.log(`gb over the same window (out/order-gb.csv, steps ${equil + every}…${equil + steps}): mean S2 = ${g.mean.toFixed(3)} ± ${g.semBlocks.toFixed(3)} ` +
          `(std ${g.std.toFixed(3)}, ${g.n} samples); block means ${blockMeans(window, 5).map((x) => x.toFixed(3)).join(', ')}`);
      } else {
        console.log(`out/order-gb.csv does not cover steps ${equil + every}…${equil + steps} with stride ${every}: run GB with the same flags for the comparison`);
      }
    } catch {
      console.log('no out/order-gb.csv: run `node nvt-order.mjs` (GB) with the same flags for the comparison');
    }
  }
}

// S2(t) of every run in out/ on one chart, GB first. A model run that branched off GB is drawn from
// the branch point (its GB part is the GB run's), with a dashed marker there.
const series = [], markers = [];
const files = readdirSync(here('out')).filter((f) => /^order-.+\.csv$/.test(f)).map((f) => f.slice(6, -4))
  .sort((a, b) => (a === 'gb' ? -1 : b === 'gb' ? 1 : a.localeCompare(b)));
for (const name of files) {
  const [header, ...lines] = readFileSync(here(`out/order-${name}.csv`), 'utf8').trim().split('\n').map((l) => l.split(','));
  const ff = header.indexOf('force_field');
  const first = ff < 0 || name === 'gb' ? 0 : Math.max(0, lines.findIndex((l) => l[ff] === name) - 1);
  const part = lines.slice(first);
  series.push({ name: name === 'gb' ? 'GB (driver config)' : `${name} (model)`, x: part.map((l) => Number(l[1])), y: part.map((l) => Number(l[4])) });
  if (first > 0) markers.push({ name: 'model takes over', x: [Number(part[0][1]), Number(part[0][1])], y: [0, 1], dashed: true, color: '#888888', size: 1 });
}
series.push(...markers.slice(0, 1));
const plot = writeLineChart(here('out/order'), {
  title: `NVT of 288 GB dumbbells, ρ* = 0.3, T* = ${tStar}: nematic order of the ellipsoids`,
  panels: [{ xLabel: 't / ps', yLabel: 'S2 (nematic order parameter)', yRange: [0, 1], yInterval: 0.2, series }],
  width: 900,
  height: 420,
});
console.log(`wrote ${args['plot-only'] ? '' : `out/order-${label}.csv, `}${plot.svg}, ${plot.png}`);

// g(r) and g2(r) of every run in out/ (out/pair-*.csv), overlaid: GB solid, models dashed.
const pairRuns = readdirSync(here('out')).filter((f) => /^pair-.+\.csv$/.test(f)).map((f) => f.slice(5, -4))
  .sort((a, b) => (a === 'gb' ? -1 : b === 'gb' ? 1 : a.localeCompare(b)));
const pairSeries = (col) => pairRuns.map((name) => {
  const [, ...lines] = readFileSync(here(`out/pair-${name}.csv`), 'utf8').trim().split('\n').map((l) => l.split(','));
  const pts = lines.filter((l) => l[col] !== 'nan');
  return { name: name === 'gb' ? 'GB (driver config)' : `${name} (model)`, x: pts.map((l) => Number(l[0])), y: pts.map((l) => Number(l[col])), dashed: name !== 'gb' };
});
const pairPlot = writeLineChart(here('out/pair'), {
  title: `NVT of 288 GB dumbbells, ρ* = 0.3, T* = ${tStar}: pair correlations of the ellipsoid centres (production)`,
  panels: [
    { xLabel: 'r (σ0)', yLabel: 'g(r)', series: pairSeries(1) },
    { xLabel: 'r (σ0)', yLabel: 'g2(r) = ⟨P2(u_i·u_j)⟩', series: pairSeries(2) },
  ],
  width: 1000,
  height: 420,
});
console.log(`wrote ${args['plot-only'] ? '' : `out/pair-${label}.csv, `}${pairPlot.svg}, ${pairPlot.png}`);
