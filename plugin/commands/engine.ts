// SPDX-License-Identifier: BSD-3-Clause
/**
 * `anisodrive engine`: the embedded MD engine. It listens on an i-PI socket, waits for one driver,
 * and integrates point sites (velocity Verlet, or Langevin BAOAB) with the driver's forces,
 * writing an extended-XYZ trajectory and an energy log. Also the engine half of `anisodrive demo`.
 */
import { readFileSync } from 'node:fs';
import { AnisoError } from '../../src/core/errors.js';
import { createMdState, initMaxwellBoltzmann, type MdState } from '../../src/engine/md-state.js';
import { runMd, type MdStepInfo, type RunMdSummary } from '../../src/engine/run-md.js';
import { readFramesSync } from '../../src/io/read-frames.js';
import { FrameWriter } from '../../src/io/write-frames.js';
import { lineLogger, type ProtocolLogger } from '../../src/protocol/logger.js';
import { IpiServer, type IpiServerConnection, type MessageOrder } from '../../src/protocol/server.js';
import { createProgress } from '../progress.js';
import { PendingOutput } from './engine-output.js';

/** Flags of `anisodrive engine`. */
export interface EngineFlags {
  init: string;
  steps: number;
  dt: number;
  temperature: number;
  langevin?: number;
  seed: number;
  unix?: boolean;
  address: string;
  port?: number;
  sockets_prefix: string;
  order: MessageOrder;
  out: string;
  stride: number;
}

/** Everything {@link runEngine} needs; the demo fills it in itself. */
export interface EngineRun {
  init: string;
  steps: number;
  dt: number;
  temperature: number;
  friction?: number;
  seed: number;
  socket: { mode: 'unix' | 'inet'; address: string; port?: number; prefix: string };
  order: MessageOrder;
  outPrefix: string;
  stride: number;
  /** Lines for people (stdout). */
  print: (line: string) => void;
  logger: ProtocolLogger;
  /** Called once the server listens, before waiting for the driver (the demo starts it here). */
  onListening?: (server: IpiServer) => void;
  /** Give up waiting for the driver after this long, ms. Default: wait forever. */
  acceptTimeoutMs?: number;
  signal?: AbortSignal;
}

/** Read the initial structure and set up velocities. */
export function loadInitialState(file: string, temperature: number, seed: number): { state: MdState; fromFile: boolean } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new AnisoError('E_IO', `cannot read initial structure ${file}: ${(err as Error).message}`);
  }
  const frame = readFramesSync({ text, source: file }, { format: 'extxyz' }).next().value;
  if (!frame) throw new AnisoError('E_IO', `${file}:1: empty input; expected the atom count`);
  if (!frame.masses) {
    throw new AnisoError('E_IO', `${file}: the embedded engine needs site masses: add a masses:R:1 column (amu)`);
  }
  const state = createMdState({
    positions: frame.positions,
    masses: frame.masses,
    cell: frame.cell,
    species: frame.species,
    ...(frame.velocities ? { velocities: frame.velocities } : {}),
  });
  if (!frame.velocities) initMaxwellBoltzmann(state, { temperature, seed });
  return { state, fromFile: frame.velocities !== undefined };
}

/** The trajectory and the energy log of a run, each in a temporary file until the run ends. */
interface EngineOutputs {
  traj: PendingOutput;
  energy: PendingOutput;
}

/** Create both temporary outputs before listening: an unwritable location fails here (`E_ARG`). */
async function createOutputs(prefix: string): Promise<EngineOutputs> {
  const traj = await PendingOutput.create(`${prefix}.extxyz`);
  try {
    return { traj, energy: await PendingOutput.create(`${prefix}.energy.csv`) };
  } catch (err) {
    await traj.discard();
    throw err;
  }
}

/**
 * A finished run renames its outputs over the targets; a failed one keeps what it wrote as
 * `<prefix>.partial.*` (the targets untouched) or, having written nothing, removes it.
 */
async function settleOutputs(out: EngineOutputs, prefix: string, ok: boolean, rows: number, print: (line: string) => void): Promise<void> {
  if (ok) {
    await Promise.all([out.traj.commit(), out.energy.commit()]);
  } else if (rows > 0) {
    await Promise.all([out.traj.keepAs(`${prefix}.partial.extxyz`), out.energy.keepAs(`${prefix}.partial.energy.csv`)]);
    print(`engine: the run failed after ${rows} steps; kept what it wrote as ${prefix}.partial.extxyz and ${prefix}.partial.energy.csv`);
  } else {
    await Promise.all([out.traj.discard(), out.energy.discard()]);
  }
}

/** Listen for the driver; a socket that cannot be had (in use, missing directory) is bad input, `E_ARG`. */
async function listenForDriver(run: EngineRun): Promise<IpiServer> {
  try {
    return await IpiServer.listen({ ...run.socket, logger: run.logger });
  } catch (err) {
    if (err instanceof AnisoError && err.code === 'E_TRANSPORT') throw new AnisoError('E_ARG', err.message, { cause: err });
    throw err;
  }
}

/**
 * Accept the driver and bring it to READY. A connection that closes without a byte (another
 * engine's liveness probe, a port scan) is skipped with a warning; once a driver answers, every
 * further connection is refused.
 */
async function acceptDriver(server: IpiServer, run: EngineRun): Promise<IpiServerConnection> {
  for (;;) {
    const connection = await server.accept({
      order: run.order,
      ...(run.acceptTimeoutMs !== undefined ? { timeoutMs: run.acceptTimeoutMs } : {}),
      ...(run.signal ? { signal: run.signal } : {}),
    });
    const onAbort = () => void connection.close();
    run.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      await connection.handshake();
      server.refuseFurther('this engine already serves a driver');
      return connection;
    } catch (err) {
      await connection.close();
      if (connection.bytesReceived > 0 || !(err instanceof AnisoError && err.code === 'E_TRANSPORT') || run.signal?.aborted) throw err;
      run.logger.warn(`a connection to ${server.description} closed before answering STATUS; waiting for a driver`);
    } finally {
      run.signal?.removeEventListener('abort', onAbort);
    }
  }
}

/**
 * Run the engine: create the outputs (temporary files), listen, accept one driver, integrate,
 * send EXIT, then rename the outputs into place (see {@link settleOutputs}).
 */
export async function runEngine(run: EngineRun): Promise<{ summary: RunMdSummary; sites: number }> {
  const { state, fromFile } = loadInitialState(run.init, run.temperature, run.seed);
  const outputs = await createOutputs(run.outPrefix);
  let ok = false;
  let rows = 0;
  try {
    const server = await listenForDriver(run);
    try {
      run.onListening?.(server);
      run.print(
        `engine: ${state.n} sites, ${run.friction ? `NVT Langevin (γ = ${run.friction} fs⁻¹, T = ${run.temperature} K)` : 'NVE'}, ` +
          `dt = ${run.dt} fs, ${run.steps} steps; velocities ${fromFile ? 'from file' : `Maxwell–Boltzmann at ${run.temperature} K`}; ` +
          `waiting for a driver on ${server.description}`,
      );
      const connection = await acceptDriver(server, run);
      try {
        // A bar on a terminal; the table below is printed either way (10 rows per run).
        const progress = createProgress('md', run.steps, { enabled: Boolean(process.stderr.isTTY) });
        const rowEvery = Math.max(run.stride, Math.ceil(run.steps / 10 / run.stride) * run.stride);
        let first: MdStepInfo | null = null;
        run.print(`${'step'.padStart(8)} ${'time/ps'.padStart(9)} ${'T/K'.padStart(8)} ${'U/eV'.padStart(12)} ${'H/eV'.padStart(12)} ${'ΔH/eV'.padStart(11)}`);
        const writer = new FrameWriter({ write: (t) => outputs.traj.write(t) }, 'extxyz', { precision: 10 });
        outputs.energy.write('step,time_fs,potential_eV,kinetic_eV,conserved_eV,temperature_K\n');
        const summary = await runMd({
          state,
          source: connection,
          dt: run.dt,
          steps: run.steps,
          ...(run.friction ? { thermostat: { kind: 'langevin' as const, temperature: run.temperature, friction: run.friction, seed: run.seed } } : {}),
          every: run.stride,
          writer,
          ...(run.signal ? { signal: run.signal } : {}),
          onStep: (info) => {
            first ??= info;
            rows++;
            outputs.energy.write(
              `${info.step},${info.time},${info.potential.toPrecision(12)},${info.kinetic.toPrecision(12)},` +
                `${info.conserved.toPrecision(12)},${info.temperature.toFixed(3)}\n`,
            );
            const dH = info.conserved - first.conserved;
            if (info.step % rowEvery === 0 || info.step === run.steps) {
              run.print(
                `${String(info.step).padStart(8)} ${(info.time / 1000).toFixed(3).padStart(9)} ${info.temperature.toFixed(2).padStart(8)} ` +
                  `${info.potential.toFixed(6).padStart(12)} ${info.conserved.toFixed(6).padStart(12)} ${dH.toExponential(2).padStart(11)}`,
              );
            }
            progress.update(info.step, `T ${info.temperature.toFixed(1)} K  U ${info.potential.toFixed(4)} eV  ΔH ${dH.toExponential(2)} eV`);
          },
        });
        progress.finish();
        ok = true;
        return { summary, sites: state.n };
      } finally {
        await connection.close();
      }
    } finally {
      await server.close();
    }
  } finally {
    await settleOutputs(outputs, run.outPrefix, ok, rows, run.print);
  }
}

/** Print the run summary lines shared by `engine` and `demo`. */
export function printSummary(summary: RunMdSummary, n: number, print: (line: string) => void): void {
  print(
    `engine: ${summary.steps} steps in ${(summary.wallMs / 1000).toFixed(2)} s (${summary.msPerStep.toFixed(2)} ms/step), ` +
      `mean T ${summary.meanTemperature.toFixed(1)} K${summary.aborted ? ' (stopped early)' : ''}`,
  );
  print(
    `conserved energy: start ${summary.initialConserved.toFixed(6)} eV, end ${summary.finalConserved.toFixed(6)} eV, ` +
      `drift ${summary.drift.toExponential(3)} eV (${(summary.drift / n).toExponential(3)} eV/site, ` +
      `${summary.driftPerStepPerParticle.toExponential(3)} eV/site/step), max |ΔH| ${summary.maxAbsDeviation.toExponential(3)} eV, ` +
      `slope ${summary.slopeEvPerPs.toExponential(3)} eV/ps`,
  );
}

/** `anisodrive engine`; returns the exit code. */
export async function engineCommand(flags: EngineFlags): Promise<number> {
  const mode = flags.port !== undefined && !flags.unix ? 'inet' : 'unix';
  const logger = lineLogger((line) => process.stderr.write(line + '\n'), 'low');
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    const { summary, sites } = await runEngine({
      init: flags.init,
      steps: flags.steps,
      dt: flags.dt,
      temperature: flags.temperature,
      ...(flags.langevin !== undefined ? { friction: flags.langevin } : {}),
      seed: flags.seed,
      socket: {
        mode,
        address: mode === 'inet' && flags.address === 'anisodrive' ? 'localhost' : flags.address,
        ...(flags.port !== undefined ? { port: flags.port } : {}),
        prefix: flags.sockets_prefix,
      },
      order: flags.order,
      outPrefix: flags.out,
      stride: flags.stride,
      print: (line) => process.stdout.write(line + '\n'),
      logger,
      signal: controller.signal,
    });
    printSummary(summary, sites, (line) => process.stdout.write(line + '\n'));
    process.stdout.write(`wrote ${flags.out}.extxyz and ${flags.out}.energy.csv\n`);
    return 0;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}
