// SPDX-License-Identifier: BSD-3-Clause
/**
 * Opening the driver's socket: unix (`prefix + address`, i-PI's default prefix `/tmp/ipi_`) or
 * TCP (with TCP_NODELAY), retrying while the server is not listening yet (PROTOCOL.md §1, §10).
 */
import { existsSync } from 'node:fs';
import net from 'node:net';
import { dirname } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { AnisoError } from '../core/errors.js';
import { DEFAULT_UNIX_PREFIX, SUN_PATH_MAX_BYTES } from './constants.js';
import { SILENT_LOGGER, SOCKET_PREFIX, type ProtocolLogger } from './logger.js';

/** Where an i-PI socket lives, with i-PI's names (`-u`, `-a`, `-p`, `-S`). */
export interface SocketAddress {
  /** `'unix'`: a socket file `prefix + address`; `'inet'`: TCP to `address:port`. */
  readonly mode: 'unix' | 'inet';
  /** Socket name (unix) or host name / IP (inet). Default `'localhost'`, as i-PI's drivers. */
  readonly address?: string;
  /** TCP port (inet only; required there). */
  readonly port?: number;
  /** Unix socket prefix, plain string concatenation (i-PI `-S`). Default `/tmp/ipi_`. */
  readonly prefix?: string;
}

/** A resolved endpoint. */
export type SocketTarget =
  | { readonly mode: 'unix'; readonly path: string }
  | { readonly mode: 'inet'; readonly host: string; readonly port: number };

/** Options of {@link connect}. */
export interface ConnectOptions extends SocketAddress {
  /** Keep retrying a refused or missing socket for this long, ms. Default 20 000; 0: one try. */
  readonly retryMs?: number;
  /** Pause between attempts, ms. Default 100. */
  readonly retryIntervalMs?: number;
  /** Called after each failed attempt that will be retried. */
  readonly onRetry?: (attempt: number, error: Error) => void;
  /** Abort the attempts (rejects with `E_TRANSPORT`). */
  readonly signal?: AbortSignal;
  /** Where to report (`@SOCKET:` lines, warnings). */
  readonly logger?: ProtocolLogger;
  /**
   * Read into one preallocated buffer (net's `onread`) instead of emitting `'data'` events: the
   * socket then allocates nothing per read, and its bytes reach whoever registers with
   * {@link onSocketRead} (the driver does). Default false (a plain streaming socket).
   */
  readonly staticRead?: boolean;
}

/** Size of the buffer a static-read socket reads into: a 1000-atom POSDATA (24 kB) fits in one read. */
export const STATIC_READ_BYTES = 64 * 1024;

/** The sink of a static-read socket, and what arrived before one was set (copied). */
interface StaticReader {
  sink: ((chunk: Buffer) => void) | null;
  early: Buffer[];
}

const STATIC_READERS = new WeakMap<object, StaticReader>();

/**
 * Take the bytes of a socket opened by {@link connect} with `staticRead`: `sink` is called
 * synchronously for every read with a view of the socket's one read buffer, **valid only during
 * the call** (copy what must outlive it, as {@link IpiDecoder.pushTransient} does). Bytes that
 * arrived before are delivered first. Returns false (and does nothing) for any other stream,
 * which emits `'data'` events as usual. `'end'`, `'error'` and `'close'` are emitted either way.
 */
export function onSocketRead(stream: object, sink: (chunk: Buffer) => void): boolean {
  const reader = STATIC_READERS.get(stream);
  if (reader === undefined) return false;
  reader.sink = sink;
  for (const chunk of reader.early.splice(0)) sink(chunk);
  return true;
}

/** `net` options that read into one buffer and hand each read to the socket's {@link StaticReader}. */
function staticReadOptions(reader: StaticReader): { onread: { buffer: Buffer; callback: (n: number, buf: Uint8Array) => void } } {
  return {
    onread: {
      buffer: Buffer.allocUnsafe(STATIC_READ_BYTES),
      callback: (n, buf) => {
        const chunk = (buf as Buffer).subarray(0, n);
        if (reader.sink !== null) reader.sink(chunk);
        else reader.early.push(Buffer.from(chunk));
      },
    },
  };
}

/**
 * The socket file of a unix-mode address: `prefix + address` (no separator is inserted: i-PI's
 * default prefix `/tmp/ipi_` plus `driver` gives `/tmp/ipi_driver`; prefix `''` plus `./x` gives
 * the relative path `./x`). Throws `E_ARG` if the path exceeds Linux's 107-byte `sun_path`.
 */
export function unixSocketPath(address: string, prefix: string = DEFAULT_UNIX_PREFIX): string {
  const path = prefix + address;
  const bytes = Buffer.byteLength(path, 'utf8');
  if (address.length === 0) throw new AnisoError('E_ARG', 'unix socket address is empty');
  if (bytes > SUN_PATH_MAX_BYTES) {
    throw new AnisoError(
      'E_ARG',
      `unix socket path '${path}' is ${bytes} bytes; the limit (sun_path) is ${SUN_PATH_MAX_BYTES}: ` +
        'use a shorter address or a shorter prefix (-S)',
    );
  }
  return path;
}

/** Resolve an address to a unix path or a host and port; throws `E_ARG` on bad input. */
export function resolveTarget(a: SocketAddress): SocketTarget {
  const address = a.address ?? 'localhost';
  if (a.mode === 'unix') return { mode: 'unix', path: unixSocketPath(address, a.prefix ?? DEFAULT_UNIX_PREFIX) };
  if (a.mode !== 'inet') throw new AnisoError('E_ARG', `socket mode must be 'unix' or 'inet', got '${String(a.mode)}'`);
  const port = a.port;
  if (port === undefined || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new AnisoError('E_ARG', `inet socket needs a port between 0 and 65535, got ${String(port)}`);
  }
  return { mode: 'inet', host: address, port };
}

/** A human-readable name of an endpoint, for messages: `unix socket /tmp/ipi_x`, `tcp localhost:31415`. */
export function describeTarget(t: SocketTarget): string {
  return t.mode === 'unix' ? `unix socket ${t.path}` : `tcp ${t.host}:${t.port}`;
}

const RETRIABLE = new Set(['ENOENT', 'ECONNREFUSED', 'EAGAIN', 'ECONNRESET', 'ETIMEDOUT', 'EADDRNOTAVAIL']);

function errorCode(err: unknown): string {
  const e = err as { code?: unknown; errors?: Array<{ code?: unknown }> };
  if (typeof e?.code === 'string') return e.code;
  const inner = e?.errors?.[0]?.code;
  return typeof inner === 'string' ? inner : '';
}

function hint(code: string, t: SocketTarget): string {
  if (code === 'ENOENT' && t.mode === 'unix' && !existsSync(dirname(t.path))) {
    return `directory ${dirname(t.path)} does not exist: check the prefix (-S) and the address`;
  }
  if (code === 'ENOENT') return 'no such socket file: is the server running, and are the address and prefix (-S) right?';
  if (code === 'ECONNREFUSED') {
    return t.mode === 'unix' ? 'nothing is listening on it (stale socket file?)' : 'nothing is listening on that port';
  }
  if (code === 'EACCES') return t.mode === 'unix' ? `permission denied on the socket file or its directory ${dirname(t.path)}` : 'permission denied';
  if (code === 'ENOTFOUND') return 'unknown host';
  return '';
}

function connectOnce(t: SocketTarget, staticRead: boolean): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const reader: StaticReader | null = staticRead ? { sink: null, early: [] } : null;
    const read = reader ? staticReadOptions(reader) : {};
    const socket = t.mode === 'unix' ? net.createConnection({ path: t.path, ...read }) : net.createConnection({ host: t.host, port: t.port, noDelay: true, ...read });
    if (reader) STATIC_READERS.set(socket, reader);
    const onError = (err: Error) => {
      socket.destroy();
      reject(err);
    };
    socket.once('error', onError);
    socket.once('connect', () => {
      socket.off('error', onError);
      if (t.mode === 'inet') socket.setNoDelay(true);
      resolve(socket);
    });
  });
}

/**
 * Connect to an i-PI server, retrying missing or refused sockets for `retryMs` (the server may
 * not be listening yet). Resolves with a connected `net.Socket` (TCP_NODELAY set for inet; with
 * `staticRead`, its bytes come through {@link onSocketRead}, not `'data'` events).
 * Rejects with `E_ARG` for a bad address (e.g. a unix path over 107 bytes) and `E_TRANSPORT`
 * naming the path or host:port, the attempts and the last error once the time is up or on abort.
 */
export async function connect(options: ConnectOptions): Promise<net.Socket> {
  const target = resolveTarget(options);
  const retryMs = options.retryMs ?? 20_000;
  const interval = options.retryIntervalMs ?? 100;
  const log = options.logger ?? SILENT_LOGGER;
  const what = describeTarget(target);
  const start = performance.now();
  for (let attempt = 1; ; attempt++) {
    if (options.signal?.aborted) {
      throw new AnisoError('E_TRANSPORT', `connecting to ${what} aborted after ${attempt - 1} attempts`);
    }
    try {
      const socket = await connectOnce(target, options.staticRead ?? false);
      log.info('low', `${SOCKET_PREFIX}connected to ${what}${attempt > 1 ? ` after ${attempt} attempts` : ''}`);
      return socket;
    } catch (err) {
      const code = errorCode(err);
      const elapsed = performance.now() - start;
      if (!RETRIABLE.has(code) || elapsed + interval > retryMs) {
        const h = hint(code, target);
        const tries = attempt > 1 ? ` after ${attempt} attempts over ${(elapsed / 1000).toFixed(1)} s` : '';
        throw new AnisoError(
          'E_TRANSPORT',
          `could not connect to ${what}${tries}: ${code || (err as Error).message}${h ? ` (${h})` : ''}`,
          { cause: err },
        );
      }
      if (attempt === 1) log.warn(`${what} not available yet (${code}); retrying for up to ${(retryMs / 1000).toFixed(1)} s`);
      options.onRetry?.(attempt, err as Error);
      try {
        await sleep(interval, undefined, options.signal ? { signal: options.signal } : undefined);
      } catch {
        throw new AnisoError('E_TRANSPORT', `connecting to ${what} aborted after ${attempt} attempts`);
      }
    }
  }
}
