// SPDX-License-Identifier: BSD-3-Clause
/**
 * `anisodrive featurize IN.xyz --lmax L [--nmax N] --sigma S --rcut R [--no-self] [--basis gto|monomial]
 *  [--quat-key c_q] [--mean] [--layout package|native] [--basis-rcond x] [--basis-tol x] --out OUT.json|OUT.npy`
 *  (the hyper-parameter flags and their defaults come from the AniSOAP schema, `featurize-flags.ts`):
 * the AniSOAP power spectrum of every particle (or, with `--mean`, per frame and centre type, as
 * the package's `power_spectrum(mean_over_samples=True)`), in the package's value order by default
 * (ANISOAP.md §6) or the data-independent native layout (§15).
 *
 * Outputs: `.npy` (float64, C order: particles × F, or frames × ΣF_t with `--mean`) with the
 * metadata beside it in `OUT.npy.json`; or `.json` with metadata and values together. Species are
 * the sorted union of the file's species, as in the package.
 */
import { writeFileSync } from 'node:fs';
import { Cell } from '../../src/core/cell.js';
import { AnisoError } from '../../src/core/errors.js';
import type { ParticleSystem } from '../../src/core/system.js';
import { AniSoapCalculator, type AniSoapOptions } from '../../src/features/anisoap/calculator.js';
import { packagePowerSpectrum } from '../../src/features/anisoap/package-layout.js';
import { encodeNpy } from '../../src/io/npy.js';
import { checkOutputFile } from '../output-check.js';
import { VERSION } from '../version.js';
import { frameSystem, readFrames, speciesTable } from './data.js';
import { hypersFromFlags } from './featurize-flags.js';

/**
 * Flags of `anisodrive featurize`: the AniSOAP hyper-parameter flags of `featurize-flags.ts`
 * (commander's values, read through the schema by `hypersFromFlags`) and these.
 */
export interface FeaturizeFlags extends Record<string, unknown> {
  quatKey?: string;
  quatOrder?: 'wxyz' | 'xyzw';
  semiaxes?: [number, number, number];
  mean?: boolean;
  layout: 'package' | 'native';
  threads?: number;
  out: string;
}

/** Per-frame, per-type means concatenated over the types present in every frame (native layout). */
function nativeMeans(calc: AniSoapCalculator, systems: readonly ParticleSystem[]): Float64Array[] {
  const F = calc.metadata.featureCount, T = calc.metadata.species.length;
  const present = new Set<number>();
  for (const s of systems) for (let i = 0; i < s.n; i++) present.add(s.types ? s.types[i]! : 0);
  const types = [...present].sort((a, b) => calc.metadata.species[a]! - calc.metadata.species[b]!);
  return systems.map((s, fi) => {
    const v = calc.values(s);
    const sums = new Float64Array(T * F);
    const counts = new Float64Array(T);
    for (let i = 0; i < s.n; i++) {
      const t = s.types ? s.types[i]! : 0;
      counts[t]!++;
      for (let f = 0; f < F; f++) sums[t * F + f]! += v[i * F + f]!;
    }
    const out = new Float64Array(types.length * F);
    types.forEach((t, k) => {
      if (counts[t] === 0) throw new AnisoError('E_ARG', `--mean: frame ${fi} has no particle of species ${calc.metadata.species[t]}, which other frames have`);
      for (let f = 0; f < F; f++) out[k * F + f] = sums[t * F + f]! / counts[t]!;
    });
    return out;
  });
}

function stack(rows: readonly Float64Array[], what: string): { data: Float64Array; shape: [number, number] } {
  const width = rows[0]?.length ?? 0;
  const bad = rows.findIndex((r) => r.length !== width);
  if (bad >= 0) {
    throw new AnisoError('E_ARG', `${what} have different lengths (${width} and ${rows[bad]!.length}: centre types with different channel sets); write .json, or use --layout native`);
  }
  const data = new Float64Array(rows.length * width);
  rows.forEach((r, k) => data.set(r, k * width));
  return { data, shape: [rows.length, width] };
}

/**
 * Fewest directed pairs for which a default (`--threads` not given) featurize run uses worker
 * threads. A worker's start (thread, module loading, kernel compilation: 0.1–0.3 s on a 2-core
 * machine) must be paid back by the half of the pair work it takes over (~1.5 µs a pair on one
 * thread), which takes some 200 000 pairs; smaller systems stay on the main thread.
 */
export const FEATURIZE_PARALLEL_MIN_PAIRS = 200_000;

/**
 * Expected number of directed pairs within `cutoff` over `frames`, from each frame's density
 * (N²·(4/3)πr³/V for a periodic cell; N² for an open one). Only a guide for the thread choice.
 */
export function estimatedPairs(frames: ReadonlyArray<Pick<ParticleSystem, 'n' | 'cell'>>, cutoff: number): number {
  let pairs = 0;
  for (const f of frames) {
    const v = Math.abs(Cell.volume(f.cell));
    pairs += Cell.isPeriodic(f.cell) && v > 0 ? Math.min(f.n * f.n, (f.n * f.n * (4 / 3) * Math.PI * cutoff ** 3) / v) : f.n * f.n;
  }
  return pairs;
}

/**
 * Runtime options of the calculator: `--threads n` as given; by default every available core,
 * but only for systems of at least {@link FEATURIZE_PARALLEL_MIN_PAIRS} pairs (results are
 * bitwise the same either way). When `expectedPairs` (see {@link estimatedPairs}) says the work
 * will be parallel, the workers are started at once so that their start-up overlaps the main
 * thread's neighbour list.
 */
export function featurizeThreads(threads: number | undefined, expectedPairs = 0): AniSoapOptions {
  if (threads !== undefined) return { threads, startWorkers: threads > 1 };
  return { threads: 'auto', parallelMinPairs: FEATURIZE_PARALLEL_MIN_PAIRS, startWorkers: expectedPairs >= FEATURIZE_PARALLEL_MIN_PAIRS };
}

/** Run `featurize`; returns the exit code. */
export async function featurizeCommand(input: string, flags: FeaturizeFlags, print: (line: string) => void = (l) => process.stdout.write(l + '\n')): Promise<number> {
  const toNpy = flags.out.endsWith('.npy');
  if (!toNpy && !flags.out.endsWith('.json')) throw new AnisoError('E_ARG', `--out ${flags.out}: the file name must end in .npy or .json`);
  checkOutputFile(flags.out);
  const frames = readFrames([input], {
    orientationKey: flags.quatKey ?? 'auto',
    quaternionOrder: flags.quatOrder ?? 'wxyz',
    semiaxes: flags.semiaxes ?? null,
  });
  const species = speciesTable(frames.map((f) => f.frame));
  const hypers = hypersFromFlags(flags, species.ids);
  const calc = new AniSoapCalculator(hypers, featurizeThreads(flags.threads, estimatedPairs(frames.map((f) => f.frame), hypers.cutoff)));
  try {
    const systems = frames.map(({ file, frame }) => frameSystem(frame, species, file));
    let rows: Float64Array[];
    let channels: unknown = null;
    if (flags.layout === 'package') {
      const ps = packagePowerSpectrum(calc, systems);
      rows = flags.mean ? ps.frameMean : ps.perParticle.flat();
      channels = {
        centreSpecies: ps.channels.centreTypes.map((t) => species.ids[t]),
        neighbourSpecies: ps.channels.neighborTypes.map((e) => e.map((t) => species.ids[t])),
      };
    } else if (flags.mean) {
      rows = nativeMeans(calc, systems);
    } else {
      const F = calc.metadata.featureCount;
      rows = [];
      for (const s of systems) {
        const v = calc.values(s);
        for (let i = 0; i < s.n; i++) rows.push(v.slice(i * F, (i + 1) * F));
      }
    }
    const labels = calc.metadata.labels;
    const meta = {
      software: `anisodrive ${VERSION}`,
      input,
      layout: flags.layout,
      mean: Boolean(flags.mean),
      hypers: calc.hypers,
      species: species.names,
      speciesIds: species.ids,
      frames: systems.length,
      particlesPerFrame: systems.map((s) => s.n),
      featureCountNative: calc.metadata.featureCount,
      ...(flags.layout === 'native'
        ? { labels: { names: labels.names, values: Array.from({ length: labels.values.length / labels.names.length }, (_, f) => Array.from(labels.values.subarray(f * labels.names.length, (f + 1) * labels.names.length))) } }
        : { channels }),
    };
    if (toNpy) {
      const { data, shape } = stack(rows, flags.mean ? 'frame means' : 'per-particle features');
      writeFileSync(flags.out, encodeNpy(data, shape));
      writeFileSync(`${flags.out}.json`, JSON.stringify({ ...meta, shape }, null, 1) + '\n');
      print(`anisodrive featurize: ${shape[0]} × ${shape[1]} float64 → ${flags.out} (metadata ${flags.out}.json)`);
    } else {
      writeFileSync(flags.out, JSON.stringify({ ...meta, values: rows.map((r) => Array.from(r)) }) + '\n');
      print(`anisodrive featurize: ${rows.length} rows → ${flags.out}`);
    }
  } finally {
    calc.close();
  }
  return 0;
}
