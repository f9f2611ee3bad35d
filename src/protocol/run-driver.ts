// SPDX-License-Identifier: BSD-3-Clause
/**
 * The one call a driver program needs: connect to the server (with retries) and serve requests
 * with a force provider until the server sends EXIT or closes the connection.
 */
import { AnisoError } from '../core/errors.js';
import { IpiDriver, type DriverOptions, type DriverResult } from './client.js';
import { connect, type ConnectOptions } from './transport.js';

/** Socket options ({@link ConnectOptions}) plus driver options ({@link DriverOptions}). */
export interface RunDriverOptions extends ConnectOptions, DriverOptions {}

/**
 * Connect and drive. Resolves `{ reason: 'exit' | 'eof' | 'closed', steps, rid, init }`
 * (all normal ends: exit status 0; an EOF before the server's first message is an `E_TRANSPORT`
 * rejection, not an end); rejects with the {@link IpiDriver.run} errors, or
 * `E_TRANSPORT` / `E_ARG` from {@link connect}.
 *
 * @example
 * const end = await runDriver({ mode: 'unix', address: 'driver', provider, logger });
 * // end.reason === 'exit' after i-PI's EXIT, 'eof' when ASE closes its socket
 */
export async function runDriver(options: RunDriverOptions): Promise<DriverResult> {
  if (typeof options?.provider?.compute !== 'function') {
    throw new AnisoError('E_ARG', 'driver needs a provider with a compute(system) method');
  }
  // A static read buffer: the driver's steady state then allocates nothing per read.
  const socket = await connect({ ...options, staticRead: options.staticRead ?? true });
  let driver: IpiDriver;
  try {
    driver = new IpiDriver(socket, options);
  } catch (err) {
    socket.destroy();
    throw err;
  }
  return driver.run();
}
