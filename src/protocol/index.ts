// SPDX-License-Identifier: BSD-3-Clause
/**
 * The i-PI socket protocol: driver (client) side, server side, and the byte-level pieces.
 * Everything above this layer talks Å/eV and {@link Cell} rows; conversion happens in here.
 */
export * from './constants.js';
export type * from './messages.js';
export * from './decoder.js';
export * from './encoder.js';
export * from './wire-convert.js';
export * from './extras.js';
export * from './logger.js';
export * from './client.js';
export * from './transport.js';
export * from './run-driver.js';
export * from './server.js';
