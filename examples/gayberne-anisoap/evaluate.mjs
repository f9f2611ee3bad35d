// SPDX-License-Identifier: BSD-3-Clause
// Test errors of a trained model against GB, per kind of frame: MD snapshots, random frames with
// mild overlaps (f ≥ 0.95, the kind used in training) and random frames with strong overlaps
// (f < 0.95, excluded from training), and all together. For each: energy per particle, forces,
// torques, RMSE and MAE in the model's units (ε0, ε0/σ0, ε0), and relative to the labels' spread
// (RMSE / std of E/N over the frames; RMSE / rms of the force and torque components), and R² of
// the force and torque components.
// `anisodrive train` reports the same RMSE and MAE pooled over the whole test set.
//
// Run: node evaluate.mjs [--model model.msgpack] [--data data/test.extxyz] [--threads 2]
// Writes out/test-errors.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { frameSystem, readFrames } from '../../dist/plugin/commands/data.js';
import { loadModelProvider } from './model-provider.mjs';

const here = (p) => new URL(p, import.meta.url).pathname;

/**
 * Errors of the model in `modelPath` on the frames of `dataPath`, per kind of frame (module doc):
 * `{ md, mild, overlap, all }`, each `{ label, frames, particles, energyPerParticle, forces, torques }`.
 */
export async function evaluateModel(modelPath, dataPath, { threads = 2 } = {}) {
  const provider = loadModelProvider(modelPath, { threads: threads });
  const species = { ids: provider.model.species, names: provider.model.speciesNames };
  const KINDS = {
    md: 'MD snapshots',
    mild: 'random, f ≥ 0.95',
    overlap: 'random, f < 0.95',
    all: 'all test frames',
  };
  const acc = Object.fromEntries(Object.keys(KINDS).map((k) => [k, { frames: 0, e: [], eRef: [], f: [], fRef: [], t: [], tRef: [] }]));
  const t0 = performance.now();
  for (const { frame } of readFrames([dataPath], {})) {
    const kind = frame.info.source === 'md_snapshot' ? 'md' : Number(frame.info.overlap_factor) >= 0.95 ? 'mild' : 'overlap';
    const r = provider.compute(frameSystem(frame, species, dataPath));
    for (const a of [acc[kind], acc.all]) {
      a.frames++;
      a.e.push((r.energy - frame.energy) / frame.n);
      a.eRef.push(frame.energy / frame.n);
      for (let k = 0; k < 3 * frame.n; k++) {
        a.f.push(r.forces[k] - frame.forces[k]);
        a.fRef.push(frame.forces[k]);
        a.t.push(r.torques[k] - frame.torques[k]);
        a.tRef.push(frame.torques[k]);
      }
    }
  }
  provider.close();

  const rms = (x) => Math.sqrt(x.reduce((s, v) => s + v * v, 0) / x.length);
  const mae = (x) => x.reduce((s, v) => s + Math.abs(v), 0) / x.length;
  const std = (x) => {
    const m = x.reduce((s, v) => s + v, 0) / x.length;
    return rms(x.map((v) => v - m));
  };
  /** R² = 1 − Σ(ŷ − y)² / Σ(y − ȳ)² (errors `d = ŷ − y`, labels `y`). */
  const r2 = (d, y) => {
    const m = y.reduce((s, v) => s + v, 0) / y.length;
    return 1 - d.reduce((s, v) => s + v * v, 0) / y.reduce((s, v) => s + (v - m) ** 2, 0);
  };
  const result = {};
  for (const [kind, a] of Object.entries(acc)) {
    if (a.frames === 0) continue;
    result[kind] = {
      label: KINDS[kind],
      frames: a.frames,
      particles: a.f.length / 3,
      energyPerParticle: { rmse: rms(a.e), mae: mae(a.e), labelStd: std(a.eRef), relative: rms(a.e) / std(a.eRef) },
      forces: { rmse: rms(a.f), mae: mae(a.f), labelRms: rms(a.fRef), relative: rms(a.f) / rms(a.fRef), r2: r2(a.f, a.fRef) },
      torques: { rmse: rms(a.t), mae: mae(a.t), labelRms: rms(a.tRef), relative: rms(a.t) / rms(a.tRef), r2: r2(a.t, a.tRef) },
    };
  }
  return { result, seconds: (performance.now() - t0) / 1000 };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values: args } = parseArgs({
    options: {
      model: { type: 'string', default: here('model.msgpack') },
      data: { type: 'string', default: here('data/test.extxyz') },
      threads: { type: 'string', default: '2' },
    },
  });
  const { result, seconds } = await evaluateModel(args.model, args.data, { threads: Number(args.threads) });
  const f = (x, d = 3) => x.toFixed(d);
  console.log(`${args.model} on ${args.data} (${seconds.toFixed(1)} s); units ε0, σ0; rel = RMSE / spread of the labels`);
  console.log('| test frames | frames | E/N RMSE | E/N MAE | E/N rel | F RMSE | F MAE | F rel | F R² | τ RMSE | τ MAE | τ rel | τ R² |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of Object.values(result)) {
    const { energyPerParticle: e, forces: F, torques: T } = r;
    const g = (x) => x.toPrecision(3);
    console.log(`| ${r.label} | ${r.frames} | ${g(e.rmse)} | ${g(e.mae)} | ${f(e.relative, 4)} | ${g(F.rmse)} | ${g(F.mae)} | ${f(F.relative, 4)} | ${f(F.r2, 5)} | ` +
      `${g(T.rmse)} | ${g(T.mae)} | ${f(T.relative, 4)} | ${f(T.r2, 5)} |`);
  }
  console.log('label spread: ' + Object.values(result).map((r) =>
    `${r.label}: std E/N ${f(r.energyPerParticle.labelStd)}, rms F ${f(r.forces.labelRms, 1)}, rms τ ${f(r.torques.labelRms, 1)}`).join('; '));
  mkdirSync(here('out'), { recursive: true });
  writeFileSync(here('out/test-errors.json'), JSON.stringify({ model: args.model, data: args.data, units: { energy: 'eps0', length: 'sigma0' }, errors: result }, null, 1) + '\n');
  console.log('wrote out/test-errors.json');
}
