// SPDX-License-Identifier: BSD-3-Clause
/**
 * `anisodrive replay (--config FILE | MODEL) TRAJ --out OUT.xyz`: energy, forces (torques for
 * ellipsoids) and virial of every frame of a trajectory from a {@link ForceProvider}, streamed to
 * extended XYZ:
 *
 * ```
 * Properties=species:S:1:pos:R:3[:quat:R:4][:semiaxes:R:3]:forces:R:3[:torques:R:3]  energy=… virial="…" step=… units=…
 * ```
 *
 * Providers and units:
 * - `--config FILE` (a driver configuration). An **ellipsoid** trajectory (with quaternions: LAMMPS
 *   dumps, extxyz with `quat`) is computed by the configuration's ellipsoid terms (Gay–Berne, `lj`
 *   with `on: 'ellipsoids'`, `model`); the mapping and the site terms (restraints, `zero`) do not
 *   apply to rigid ellipsoids and are left out (a note says so). Lengths are read in the config's
 *   unit system (`--traj-units`, default: reduced σ for `units.system: 'lj'` — as LAMMPS `units
 *   lj` dumps them — else Å) and results written in it (ε, ε/σ; or eV, eV/Å). Particle types
 *   come from species names where the configuration names its types (`gayberne` form `lammps`,
 *   `types[t].species`), else every particle is type 0. A **site**
 *   trajectory (no quaternions: i-PI, ASE, the embedded engine) is computed by exactly the
 *   provider `drive` serves (mapping included), in Å and eV.
 * - `MODEL` (a model file): ellipsoid trajectories, in the model's units (as `predict`).
 */
import { dirname, resolve } from 'node:path';
import { AnisoError } from '../../src/core/errors.js';
import type { ForceProvider, ParticleSystem } from '../../src/core/system.js';
import { writeFileAtomically } from '../../src/io/atomic-write.js';
import type { Frame } from '../../src/io/frame.js';
import { readFrames, type ReadOptions } from '../../src/io/read-frames.js';
import { FrameWriter } from '../../src/io/write-frames.js';
import { LinearEnergyProvider } from '../../src/models/linear-energy-provider.js';
import { UnitScaledProvider } from '../../src/models/linear-model.js';
import { buildProvider, ellipsoidProviderFromConfig, typesBySpecies, unitScales } from '../config/build-provider.js';
import { loadJsonConfig } from '../config/load.js';
import { loadModelWithCalculator, registryCalculator, type CalculatorFactory, type ClosableCalculator } from '../config/model-io.js';
import { DriverConfigSchema } from '../config/schema.js';
import { checkOutputFile } from '../output-check.js';
import { createProgress } from '../progress.js';
import type { TrajectoryOpener } from './analyze.js';
import { speciesTypeIndex } from './data.js';

/** Flags of `anisodrive replay`. */
export interface ReplayFlags {
  out: string;
  config?: string;
  format?: string;
  /** Units of an ellipsoid trajectory with `--config`: 'lj' (reduced) or 'real' (Å, eV). */
  trajUnits?: 'lj' | 'real';
  /** Semi-axes for every particle, overriding the file. */
  semiaxes?: [number, number, number];
  threads?: number;
  quiet?: boolean;
}

/** Injected parts (tests). */
export interface ReplayDeps {
  openTrajectory?: TrajectoryOpener;
  createCalculator?: CalculatorFactory;
  print?: (line: string) => void;
  progressStream?: NodeJS.WriteStream;
}


/** How frames become systems and what the results are called. */
interface Replayer {
  provider: ForceProvider;
  /** Ellipsoids (orientations required) or sites. */
  ellipsoids: boolean;
  /** Written as the `units` info of every frame. */
  units: string;
  /** Type index per particle, or undefined for all 0. */
  types(frame: Frame): Int32Array | undefined;
  close(): void;
}

/** Species → type index by the model's species table (atomic numbers, X = 0). */
function speciesTypes(frame: Frame, species: number[], names: string[]): Int32Array {
  const types = new Int32Array(frame.n);
  const table = { ids: species, names };
  for (let i = 0; i < frame.n; i++) types[i] = speciesTypeIndex(frame.species[i]!, table, `${frame.source}: particle ${i}`);
  return types;
}

/** Run `replay`; returns the exit code. `args` are the positionals: `[TRAJ]` with `--config`, else `[MODEL, TRAJ]`. */
export async function replayCommand(args: string[], flags: ReplayFlags, deps: ReplayDeps = {}): Promise<number> {
  const print = deps.print ?? ((line: string) => process.stdout.write(line + '\n'));
  const open = deps.openTrajectory ?? readFrames;
  const factory = deps.createCalculator ?? registryCalculator;
  if (flags.config ? args.length !== 1 : args.length !== 2) {
    throw new AnisoError('E_ARG', `replay needs --config FILE TRAJ or MODEL TRAJ; got ${flags.config ? '--config and ' : ''}${args.length} argument(s): ${args.join(' ')}`);
  }
  const traj = args[args.length - 1]!;
  checkOutputFile(flags.out);
  const openOptions: ReadOptions = { format: flags.format ?? 'auto', ...(flags.semiaxes ? { semiaxes: flags.semiaxes } : {}) };

  // The first frame says whether these are ellipsoids or sites; and counts for the progress bar.
  let total = 0;
  let hasOrientations = false;
  let firstSource = traj;
  for await (const frame of open(traj, openOptions)) {
    if (total === 0) {
      hasOrientations = frame.orientations !== undefined;
      firstSource = frame.source;
    }
    total++;
  }
  if (total === 0) throw new AnisoError('E_IO', `${traj}: no frames`);

  let rep: Replayer;
  if (flags.config) {
    const config = loadJsonConfig(DriverConfigSchema, flags.config);
    if (hasOrientations) {
      const { provider, skipped, species } = ellipsoidProviderFromConfig(config, dirname(resolve(flags.config)), factory);
      if (skipped.length > 0) print(`replay: ellipsoid trajectory: left out the site terms [${skipped.join(', ')}] of ${flags.config}`);
      const trajUnits = flags.trajUnits ?? config.units.system;
      let p: ForceProvider = provider;
      let units = 'angstrom,eV';
      if (trajUnits === 'lj') {
        if (config.units.system !== 'lj') throw new AnisoError('E_ARG', `--traj-units lj needs units.system 'lj' (sigma, epsilon) in ${flags.config}`);
        const s = unitScales(config);
        p = new UnitScaledProvider(provider, 1 / s.length, 1 / s.energy);
        units = 'lj';
      }
      const types = species === null ? () => undefined : (frame: Frame) => typesBySpecies(frame.species, species, frame.source);
      rep = { provider: p, ellipsoids: true, units, types, close: () => undefined };
    } else {
      rep = { provider: buildProvider(config, { baseDir: dirname(resolve(flags.config)), createCalculator: factory }), ellipsoids: false, units: 'angstrom,eV', types: () => undefined, close: () => undefined };
    }
  } else {
    if (!hasOrientations) throw new AnisoError('E_ARG', `${firstSource}: a model acts on ellipsoids, but the trajectory has no orientations`);
    const { model, calculator } = loadModelWithCalculator(args[0]!, factory, flags.threads !== undefined ? { threads: flags.threads } : {});
    const provider = new LinearEnergyProvider(calculator as ClosableCalculator, { weights: model.weights, baselines: model.baselines, name: 'model' });
    rep = {
      provider,
      ellipsoids: true,
      units: `${model.units.length.name},${model.units.energy.name}`,
      types: (frame) => (model.species.length === 1 ? undefined : speciesTypes(frame, model.species, model.speciesNames)),
      close: () => calculator.close?.(),
    };
  }

  const progress = createProgress('replay', total, { stream: deps.progressStream ?? process.stderr, enabled: !flags.quiet });
  const t0 = performance.now();
  let frames = 0;
  let energySum = 0;
  try {
    // Written to a temporary file renamed on success: a bad frame leaves no partial output.
    await writeFileAtomically(flags.out, async (sink) => {
    const writer = new FrameWriter(sink, 'extxyz', { precision: 'full' });
    for await (const frame of open(traj, openOptions)) {
      if (rep.ellipsoids && !frame.orientations) throw new AnisoError('E_IO', `${frame.source}: no orientations (the first frame had them)`);
      const types = rep.types(frame);
      const system: ParticleSystem = {
        n: frame.n,
        positions: frame.positions,
        cell: frame.cell,
        ...(types ? { types } : {}),
        ...(rep.ellipsoids ? { orientations: frame.orientations! } : {}),
        ...(rep.ellipsoids && frame.semiaxes ? { semiaxes: frame.semiaxes } : {}),
      };
      let r;
      try {
        r = rep.provider.compute(system);
      } catch (err) {
        if (err instanceof AnisoError) throw new AnisoError(err.code, `${frame.source}: ${err.message}`, { cause: err });
        throw err;
      }
      await writer.writeFrame({
        species: frame.species,
        positions: frame.positions,
        cell: frame.cell,
        ...(rep.ellipsoids ? { orientations: frame.orientations!, semiaxes: frame.semiaxes ?? null } : {}),
        forces: r.forces,
        torques: r.torques,
        energy: r.energy,
        virial: r.virial,
        step: frame.step ?? null,
        info: { frame: frame.index, units: rep.units },
      });
      frames++;
      energySum += r.energy / frame.n;
      progress.update(frames);
    }
    });
  } finally {
    rep.close();
  }
  const seconds = (performance.now() - t0) / 1000;
  progress.finish(`${(frames / seconds).toFixed(1)} frames/s`);
  print(`anisodrive replay: ${frames} frames of ${traj} (${rep.ellipsoids ? 'ellipsoids' : 'sites'}) → ${flags.out} in ${seconds.toFixed(1)} s; mean energy per particle ${(energySum / frames).toPrecision(6)} (${rep.units})`);
  return 0;
}
