#!/usr/bin/env node
// SPDX-License-Identifier: BSD-3-Clause
/**
 * The `anisodrive` command line. Thin: parse flags, load and validate configuration, wire the
 * library's parts, run, and map failures to exit codes:
 *   0  success (including EXIT or EOF from the server),
 *   1  runtime failure (protocol, transport, non-finite results, I/O),
 *   2  bad usage or configuration.
 *
 * Start-up stays light: this module registers every command with its flags (commander only) and
 * imports a command's implementation, with its heavy dependencies (zod schemas, echarts and resvg,
 * ml-matrix, msgpack, the feature calculators), only when that command runs.
 */
import './early-workers.js'; // first: starts featurize's workers before the modules below load
import { Command, CommanderError, Option } from 'commander';
import { AnisoError } from '../src/core/errors.js';
import { addAniSoapFlags } from './commands/featurize-flags.js';
import { errorLine } from './error-line.js';
import { VERSION } from './version.js';

/** Exit code for a failure: 2 for configuration and usage errors, 1 otherwise. */
export function exitCodeFor(err: unknown): number {
  if (err instanceof AnisoError && (err.code === 'E_CONFIG' || err.code === 'E_ARG')) return 2;
  return 1;
}

function program(): Command {
  const cli = new Command('anisodrive')
    .description('i-PI driver and tools for anisotropic coarse-grained force fields')
    .version(VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();

  cli
    .command('drive')
    .description('connect to an i-PI server (i-PI, ASE, the embedded engine) and serve forces until EXIT or EOF')
    .requiredOption('-c, --config <file>', 'driver configuration (JSON)')
    .option('-u, --unix', 'use a UNIX domain socket (overrides the config)')
    .option('-a, --address <address>', 'socket name (unix) or host name (inet)')
    .option('-p, --port <port>', 'TCP port (inet; ignored with -u)', (v) => parseDrivePort(v))
    .option('-S, --sockets_prefix <prefix>', 'prefix of UNIX socket paths (default /tmp/ipi_)')
    .addOption(new Option('-v, --verbosity <level>', 'quiet, low, medium, high or debug').choices(['quiet', 'low', 'medium', 'high', 'debug']))
    .option('--extras', 'send per-term energies as JSON extras (not with ASE 3.22)')
    .option('--timeout <seconds>', 'give up (exit 1) when the server sends nothing for this long (default: wait forever)', (v) => parsePositive(v, '--timeout'))
    .option('--no-periodic', 'declare the system non-periodic: accept any cell (a singular one too) as a frame only')
    .action(async (opts) => {
      process.exitCode = await (await import('./commands/drive.js')).driveCommand(opts);
    });

  cli
    .command('engine')
    .description('run the embedded MD engine: serve positions to one driver and integrate point sites')
    .requiredOption('-i, --init <file>', 'initial structure (extxyz with Lattice, species, pos, optional masses/velo)')
    .option('-n, --steps <n>', 'number of MD steps', (v) => parseCount(v, 'steps'), 1000)
    .option('--dt <fs>', 'time step in fs', (v) => parsePositive(v, 'dt'), 2)
    .option('-T, --temperature <K>', 'initial (and thermostat) temperature in K', (v) => parseNonNegative(v, 'temperature'), 116)
    .option('--langevin <friction>', 'Langevin thermostat friction in 1/fs (NVT); NVE if absent', (v) => parsePositive(v, 'friction'))
    .option('--seed <n>', 'random seed', (v) => parseCount(v, 'seed'), 1)
    .option('-u, --unix', 'listen on a UNIX domain socket (default)')
    .option('-a, --address <address>', 'socket name (unix) or host name (inet)', 'anisodrive')
    .option('-p, --port <port>', 'TCP port (inet)', (v) => parsePort(v))
    .option('-S, --sockets_prefix <prefix>', 'prefix of UNIX socket paths', '/tmp/ipi_')
    .addOption(new Option('--order <order>', 'message order to use').choices(['ipi', 'legacy', 'ase']).default('ipi'))
    .option('-o, --out <prefix>', 'output prefix: PREFIX.extxyz trajectory and PREFIX.energy.csv', 'engine')
    .option('--stride <n>', 'write a frame every n steps', (v) => parseCount(v, 'stride'), 10)
    .action(async (opts) => {
      process.exitCode = await (await import('./commands/engine.js')).engineCommand(opts);
    });

  cli
    .command('demo')
    .description('Gay–Berne dumbbells in a periodic box: embedded engine and driver as two processes over a UNIX socket')
    .option('-n, --steps <n>', 'number of MD steps', (v) => parseCount(v, 'steps'), 2000)
    .option('--dt <fs>', 'time step in fs', (v) => parsePositive(v, 'dt'), 4)
    .option('-T, --temperature <K>', 'initial temperature in K', (v) => parseNonNegative(v, 'temperature'), 116)
    .option('--langevin <friction>', 'Langevin friction in 1/fs (NVT); NVE if absent', (v) => parsePositive(v, 'friction'))
    .option('-o, --out <dir>', 'output directory', 'demo-out')
    .option('--seed <n>', 'random seed', (v) => parseCount(v, 'seed'), 1)
    .action(async (opts) => {
      process.exitCode = await (await import('./commands/demo.js')).demoCommand(opts);
    });

  addAniSoapFlags(cli
    .command('featurize'))
    .description('AniSOAP power spectrum of every particle (or per-frame means) of an extxyz file, as .npy or .json')
    .argument('<input>', 'extended XYZ file (orientation column, semiaxes or c_diameter[k] columns)')
    .option('--quat-key <key>', "orientation column (w,x,y,z); default: c_q, quat, quaternion or quaternions")
    .addOption(new Option('--quat-order <order>', 'component order of the orientation column').choices(['wxyz', 'xyzw']))
    .option('--semiaxes <a,b,c>', 'semi-axes for every particle, overriding the file', (v) => parseTriple(v, 'semiaxes'))
    .option('--mean', 'per-frame mean per centre type (package mean_over_samples=True)')
    .addOption(new Option('--layout <layout>', "feature order: the package's or the data-independent native one").choices(['package', 'native']).default('package'))
    .option('--threads <n>', 'computing threads (default: every core for systems of 200 000 pairs or more, else 1)', (v) => parseCount(v, 'threads'))
    .requiredOption('-o, --out <file>', 'output file, .npy (metadata in FILE.json) or .json')
    .action(async (input: string, opts) => {
      process.exitCode = await (await import('./commands/featurize.js')).featurizeCommand(input, opts);
    });

  cli
    .command('train')
    .description('fit a linear ridge model on AniSOAP features to energies, forces and torques; write the model and a report')
    .requiredOption('-c, --config <file>', 'training configuration (JSON)')
    .option('-q, --quiet', 'no progress bar')
    .action(async (opts) => {
      process.exitCode = await (await import('./commands/train.js')).trainCommand(opts);
    });

  cli
    .command('predict')
    .description("energies, forces and torques of every frame with a trained model (model units), as extxyz")
    .argument('<model>', 'model file (.msgpack)')
    .argument('<input>', 'extended XYZ file')
    .requiredOption('-o, --out <file>', 'output extxyz file')
    .option('--orientation-key <key>', 'orientation column (w,x,y,z); default: c_q, quat, quaternion or quaternions')
    .addOption(new Option('--quat-order <order>', 'component order of the orientation column').choices(['wxyz', 'xyzw']))
    .option('--semiaxes <a,b,c>', 'semi-axes for every particle, overriding the file', (v) => parseTriple(v, 'semiaxes'))
    .option('--threads <n>', 'computing threads', (v) => parseCount(v, 'threads'))
    .option('-q, --quiet', 'no progress line')
    .action(async (model: string, input: string, opts) => {
      process.exitCode = await (await import('./commands/predict.js')).predictCommand(model, input, opts);
    });

  cli
    .command('model')
    .description('model files')
    .command('convert')
    .description('rewrite a format-1 model file (anisodrive 0.1) in the current format, adding the density widths it was trained with')
    .argument('<old>', 'format-1 model file')
    .argument('<new>', 'model file to write')
    .option('--density-semiaxes <a,b,c>', "density widths used in training, every species (the train config's data.semiaxes, or its data files' semi-axes)", (v) => parseTriple(v, 'density-semiaxes'))
    .option('--density-from-shape [scale]', "keep the old behaviour: each particle's declared semi-axes × scale (default 1) as density widths")
    .action(async (from: string, to: string, opts) => {
      process.exitCode = await (await import('./commands/model.js')).modelConvertCommand(from, to, opts);
    });

  cli
    .command('analyze')
    .description('liquid-crystal order of a trajectory (S2, P4, biaxiality, smectic order, g(r), g1, g2), on worker threads')
    .argument('<traj>', 'trajectory: extxyz, LAMMPS dump or i-PI xyz (plain or .gz)')
    .addOption(new Option('--format <format>', 'trajectory format').choices(['auto', 'extxyz', 'lammps', 'ipi']).default('auto'))
    .option('--mapping <file>', 'JSON mapping (or driver config with "mapping"): map site trajectories to ellipsoids first')
    .addOption(new Option('--axis <axis>', 'body axis that is the molecular axis').choices(['x', 'y', 'z']).default('z'))
    .option('--every <k>', 'analyse every k-th frame', (v) => parseCount(v, 'every'), 1)
    .option('--discard <f>', 'fraction of the frames to skip at the start (equilibration), in [0, 1)', (v) => parseNonNegative(v, 'discard'), 0)
    .option('--rmax <r>', 'largest pair distance (default: half the smallest cell width)', (v) => parsePositive(v, 'rmax'))
    .option('--nbins <b>', 'pair-function bins', (v) => parseCount(v, 'nbins'), 100)
    .option('--smectic-d <range>', 'layer-spacing scan DMIN:DMAX[:ND] (default: 2/3 … 5/3 of the particle length, when known)', (v) => parseRange(v))
    .option('--workers <n>', 'worker threads (0: none; default: cores − 1, at most 8)', (v) => parseCount(v, 'workers'))
    .option('--max-lag <n>', 'largest lag of the director autocorrelation (analysed frames)', (v) => parseCount(v, 'max-lag'), 100)
    .option('--length-unit <unit>', "the trajectory's length unit for the plots' axes, e.g. σ0 for a reduced-unit extxyz (default: Å for extxyz and i-PI, a LAMMPS dump's ITEM: UNITS)")
    .option('-q, --quiet', 'no progress')
    .requiredOption('-o, --out <dir>', 'output directory (order.csv, pair.csv, autocorr.csv, summary.json, plots)')
    .action(async (traj: string, opts) => {
      process.exitCode = await (await import('./commands/analyze.js')).analyzeCommand(traj, opts);
    });

  cli
    .command('replay')
    .description('energies, forces and torques of every frame of a trajectory from a driver config (--config) or a model file')
    .argument('<args...>', '--config FILE TRAJ, or MODEL TRAJ')
    .option('-c, --config <file>', 'driver configuration (JSON): its potentials (and mapping, for site trajectories)')
    .addOption(new Option('--format <format>', 'trajectory format').choices(['auto', 'extxyz', 'lammps', 'ipi']).default('auto'))
    .addOption(new Option('--traj-units <units>', "units of an ellipsoid trajectory with --config (default: the config's units.system)").choices(['lj', 'real']))
    .option('--semiaxes <a,b,c>', 'semi-axes for every particle, overriding the file', (v) => parseTriple(v, 'semiaxes'))
    .option('--threads <n>', 'computing threads of a model', (v) => parseCount(v, 'threads'))
    .option('-q, --quiet', 'no progress')
    .requiredOption('-o, --out <file>', 'output extxyz file')
    .action(async (args: string[], opts) => {
      process.exitCode = await (await import('./commands/replay.js')).replayCommand(args, opts);
    });

  cli
    .command('coarse-grain')
    .description('map an atomistic trajectory to one ellipsoid per rigid molecule: centre of mass, orientation, shape, CG force and torque')
    .argument('<input>', 'atomistic trajectory: extxyz (plain or .gz), atoms k at a time per molecule in file order')
    .requiredOption('-m, --molecule <file>', 'molecule definition (JSON, schema/molecule.schema.json)')
    .requiredOption('-o, --out <file>', 'output extxyz file (.gz compresses); written only on success')
    .option('--wrap', "put each centre of mass in the cell (default: unwrapped relative to the molecule's first atom)")
    .option('-q, --quiet', 'no progress')
    .action(async (input: string, opts) => {
      process.exitCode = await (await import('./commands/coarse-grain.js')).coarseGrainCommand(input, opts);
    });

  return cli;
}

function parseRange(v: string): number[] {
  const parts = v.split(':').map(Number);
  const ok = (parts.length === 2 || parts.length === 3) && parts.every((x) => Number.isFinite(x)) && parts[0]! > 0 && parts[1]! >= parts[0]! &&
    (parts.length === 2 || (Number.isInteger(parts[2]) && parts[2]! >= 2));
  if (!ok) throw new AnisoError('E_ARG', `--smectic-d must be DMIN:DMAX or DMIN:DMAX:ND with 0 < DMIN ≤ DMAX and ND ≥ 2, got '${v}'`);
  return parts;
}

function parseTriple(v: string, what: string): [number, number, number] {
  const parts = v.split(',').map(Number);
  if (parts.length !== 3 || parts.some((x) => !Number.isFinite(x) || x <= 0)) {
    throw new AnisoError('E_ARG', `${what} must be three positive numbers a,b,c, got '${v}'`);
  }
  return [parts[0]!, parts[1]!, parts[2]!];
}

function parsePort(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new AnisoError('E_ARG', `port must be an integer in 1..65535, got '${v}'`);
  return n;
}
/** `drive -p`: 0..65535 (0 is i-PI's placeholder with -u; a TCP port is checked once the mode is known). */
function parseDrivePort(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new AnisoError('E_ARG', `port must be an integer in 0..65535, got '${v}'`);
  return n;
}
function parseCount(v: string, what: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new AnisoError('E_ARG', `${what} must be a non-negative integer, got '${v}'`);
  return n;
}
function parsePositive(v: string, what: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new AnisoError('E_ARG', `${what} must be a positive number, got '${v}'`);
  return n;
}
function parseNonNegative(v: string, what: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new AnisoError('E_ARG', `${what} must be a number ≥ 0, got '${v}'`);
  return n;
}

async function main(argv: string[]): Promise<void> {
  try {
    await program().parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version exit 0; usage errors were already printed by commander.
      process.exitCode = err.exitCode === 0 ? 0 : 2;
      return;
    }
    process.stderr.write(`anisodrive: error: ${errorLine(err)}\n`);
    process.exitCode = exitCodeFor(err);
  }
}

await main(process.argv);
