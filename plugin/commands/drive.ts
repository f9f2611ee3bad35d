// SPDX-License-Identifier: BSD-3-Clause
/**
 * `anisodrive drive --config FILE [-u] [-a ADDRESS] [-p PORT] [-S PREFIX] [--timeout S]
 * [--no-periodic]`: connect to an i-PI server and serve forces until it sends EXIT or closes the
 * connection (both exit 0). A server that closes the connection before sending anything (a
 * one-driver server already serving another), dies mid-step (connection reset), falls silent past
 * `--timeout`, or sends a singular cell without `--no-periodic` ends it with status 1.
 */
import { dirname, resolve } from 'node:path';
import { AnisoError } from '../../src/core/errors.js';
import { lineLogger, type Verbosity } from '../../src/protocol/logger.js';
import { runDriver } from '../../src/protocol/run-driver.js';
import { buildProvider } from '../config/build-provider.js';
import { loadJsonConfig } from '../config/load.js';
import { DriverConfigSchema, type DriverConfig } from '../config/schema.js';

/** Flags of `anisodrive drive` (i-PI driver names). */
export interface DriveFlags {
  config: string;
  unix?: boolean;
  address?: string;
  port?: number;
  sockets_prefix?: string;
  verbosity?: Verbosity;
  extras?: boolean;
  /** Seconds of server silence (while waiting for a message) before giving up; none by default. */
  timeout?: number;
  /** false (`--no-periodic`): the system is declared non-periodic, whatever cell the server sends. */
  periodic?: boolean;
}

/**
 * Apply the command-line overrides to the configuration's socket section. With `-u` the port is
 * ignored, whatever it is (`-p 0` included, as i-PI's drivers and tools write it); a TCP port must
 * be 1..65535 (`E_ARG` otherwise).
 */
export function applySocketFlags(config: DriverConfig, flags: DriveFlags): DriverConfig['socket'] {
  const socket = { ...config.socket };
  if (flags.unix) socket.mode = 'unix';
  else if (flags.port !== undefined) socket.mode = 'inet';
  if (flags.address !== undefined) socket.address = flags.address;
  if (flags.port !== undefined && socket.mode === 'inet') {
    if (!(Number.isInteger(flags.port) && flags.port >= 1 && flags.port <= 65535)) {
      throw new AnisoError('E_ARG', `a TCP port must be an integer in 1..65535, got ${flags.port} (the port is ignored only with -u, a UNIX socket)`);
    }
    socket.port = flags.port;
  }
  if (flags.sockets_prefix !== undefined) socket.prefix = flags.sockets_prefix;
  if (socket.mode === 'inet' && socket.address === 'anisodrive') socket.address = 'localhost';
  return socket;
}

/** Run the driver; returns the process exit code. Errors propagate to the CLI's handler. */
export async function driveCommand(flags: DriveFlags): Promise<number> {
  const config = loadJsonConfig(DriverConfigSchema, flags.config);
  const verbosity = flags.verbosity ?? config.verbosity;
  const logger = lineLogger((line) => process.stderr.write(line + '\n'), verbosity);
  const socket = applySocketFlags(config, flags);
  const provider = buildProvider(config, { baseDir: dirname(resolve(flags.config)) });
  const where = socket.mode === 'unix' ? `unix socket ${socket.prefix}${socket.address}` : `${socket.address}:${socket.port}`;
  logger.info('low', `anisodrive drive: ${config.potentials.map((p) => p.kind).join(' + ')} via ${config.mapping.kind} mapping, connecting to ${where}`);

  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  let computeUs = 0;
  try {
    const end = await runDriver({
      mode: socket.mode,
      address: socket.address,
      port: socket.port,
      prefix: socket.prefix,
      retryMs: socket.connectTimeout * 1000,
      provider,
      units: config.units.wire,
      extras: flags.extras ?? config.extras,
      logger,
      signal: controller.signal,
      ...(flags.timeout !== undefined ? { idleTimeoutMs: flags.timeout * 1000 } : {}),
      ...(flags.periodic === false ? { periodic: false } : {}),
      onStep: (info) => {
        computeUs += info.computeUs;
        if (verbosity === 'debug' || verbosity === 'high') {
          logger.info('high', `step ${info.step}: N ${info.n}, E ${info.energy.toPrecision(10)} eV, compute ${info.computeUs.toFixed(0)} µs`);
        }
      },
    });
    const perStep = end.steps > 0 ? (computeUs / end.steps / 1000).toFixed(3) : '-';
    const why = { exit: 'server sent EXIT', eof: 'server closed the connection', closed: 'stopped by signal' }[end.reason];
    logger.info('low', `anisodrive drive: ${why} after ${end.steps} force evaluations (${perStep} ms each)`);
    return 0;
  } catch (err) {
    if (err instanceof AnisoError) throw err;
    throw new AnisoError('E_TRANSPORT', `driver failed: ${(err as Error).message}`, { cause: err });
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}
