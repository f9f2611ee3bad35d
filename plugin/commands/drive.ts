// SPDX-License-Identifier: BSD-3-Clause
/**
 * `anisodrive drive --config FILE [-u] [-a ADDRESS] [-p PORT] [-S PREFIX]`: connect to an i-PI
 * server and serve forces until it sends EXIT or closes the connection (both exit 0).
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
}

/** Apply the command-line overrides to the configuration's socket section. */
export function applySocketFlags(config: DriverConfig, flags: DriveFlags): DriverConfig['socket'] {
  const socket = { ...config.socket };
  if (flags.unix) socket.mode = 'unix';
  else if (flags.port !== undefined) socket.mode = 'inet';
  if (flags.address !== undefined) socket.address = flags.address;
  if (flags.port !== undefined) socket.port = flags.port;
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
