// SPDX-License-Identifier: BSD-3-Clause
/**
 * Listening side of the i-PI protocol, for the embedded engine and for tests: a unix socket
 * (`prefix + address`, like i-PI; a stale socket file is removed, a live one refused) or TCP (with
 * TCP_NODELAY on accepted sockets), handing out each connecting driver as an
 * {@link IpiServerConnection}.
 */
import { promises as fs } from 'node:fs';
import net from 'node:net';
import { dirname } from 'node:path';
import { AnisoError } from '../core/errors.js';
import { SILENT_LOGGER, SOCKET_PREFIX, type ProtocolLogger } from './logger.js';
import { IpiServerConnection, type ServerConnectionOptions } from './server-connection.js';
import { describeTarget, resolveTarget, type SocketAddress, type SocketTarget } from './transport.js';

export { IpiServerConnection, MESSAGE_ORDERS, type MessageOrder, type ServerConnectionOptions } from './server-connection.js';

/** Options of {@link IpiServer.listen}. For inet, port 0 picks a free port (see `target.port`). */
export interface ListenOptions extends SocketAddress {
  /** Listen backlog; default 4 (i-PI's `slots`). */
  readonly backlog?: number;
  /** Where to report; also the default logger of accepted connections. */
  readonly logger?: ProtocolLogger;
}

/** Options of {@link IpiServer.accept}. */
export interface AcceptOptions extends ServerConnectionOptions {
  /** Give up waiting for a driver after this long, ms (`E_TRANSPORT`). Default: wait forever. */
  readonly timeoutMs?: number;
  /** Abort the wait (`E_TRANSPORT`). */
  readonly signal?: AbortSignal;
}

interface AcceptWaiter {
  resolve: (s: net.Socket) => void;
  reject: (e: Error) => void;
}

/**
 * Is something accepting connections on the unix socket `path`? Only a refused connection
 * (`ECONNREFUSED`) or a vanished file (`ENOENT`) means "nobody": a full backlog (`EAGAIN`) or any
 * other error counts as alive, so a live socket is never taken for a stale one. The probe connects
 * and closes without a byte; the engine skips such a connection and waits for the next driver.
 */
function unixSocketAlive(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createConnection({ path });
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', (err: NodeJS.ErrnoException) => resolve(err.code !== 'ECONNREFUSED' && err.code !== 'ENOENT'));
  });
}

/** Why the directory of a unix socket `path` cannot hold it, or null when it exists as a directory. */
async function socketDirectoryProblem(path: string): Promise<string | null> {
  const dir = dirname(path);
  try {
    const st = await fs.stat(dir);
    return st.isDirectory() ? null : `${dir} is not a directory`;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return `ENOENT: directory ${dir} does not exist`;
    if (code === 'EACCES') return `EACCES: permission denied to look into ${dir}`;
    return `${code ?? ''} ${(err as Error).message}`;
  }
}

/** The message of a failed `listen` on `target`: ENOENT and EACCES name the directory. */
function listenFailure(target: SocketTarget, err: NodeJS.ErrnoException): string {
  if (target.mode === 'unix' && err.code === 'EACCES') return `EACCES: permission denied to create a socket in ${dirname(target.path)}`;
  if (target.mode === 'unix' && err.code === 'ENOENT') return `ENOENT: directory ${dirname(target.path)} does not exist`;
  return `${err.code ?? ''} ${err.message}`;
}

/**
 * A listening i-PI server.
 *
 * @example
 * const server = await IpiServer.listen({ mode: 'unix', address: 'engine' });
 * const driver = await server.accept({ order: 'ipi' });
 * const { energy, forces, virial } = await driver.compute(system);
 * await driver.close(); // sends EXIT
 * await server.close();
 */
export class IpiServer {
  /** Where the server listens (for inet, with the port actually bound). */
  readonly target: SocketTarget;
  readonly #server: net.Server;
  readonly #log: ProtocolLogger;
  #pending: net.Socket[] = [];
  #waiters: AcceptWaiter[] = [];
  #closed = false;
  #refusal: string | null = null;

  private constructor(server: net.Server, target: SocketTarget, log: ProtocolLogger) {
    this.#server = server;
    this.target = target;
    this.#log = log;
    server.on('connection', (socket) => this.#onConnection(socket));
  }

  /**
   * Start listening. Unix: refuses (`E_TRANSPORT`) if the socket file exists and a server answers
   * on it, or if the path exists and is not a socket; removes a stale socket file (with a warning).
   * Rejects `E_ARG` for a bad address (e.g. a path over 107 bytes), `E_TRANSPORT` if the address
   * is in use.
   */
  static async listen(options: ListenOptions): Promise<IpiServer> {
    const target = resolveTarget(options.mode === 'inet' && options.port === undefined ? { ...options, port: 0 } : options);
    const log = options.logger ?? SILENT_LOGGER;
    const what = describeTarget(target);
    if (target.mode === 'unix') {
      const problem = await socketDirectoryProblem(target.path);
      if (problem !== null) throw new AnisoError('E_TRANSPORT', `cannot listen on ${what}: ${problem}`);
      let stat: Awaited<ReturnType<typeof fs.lstat>> | null = null;
      try {
        stat = await fs.lstat(target.path);
      } catch {
        stat = null;
      }
      if (stat) {
        if (!stat.isSocket()) {
          throw new AnisoError('E_TRANSPORT', `cannot listen on ${what}: the path exists and is not a socket`);
        }
        if (await unixSocketAlive(target.path)) {
          throw new AnisoError('E_TRANSPORT', `cannot listen on ${what}: another server is listening there`);
        }
        await fs.unlink(target.path);
        log.warn(`removed stale socket file ${target.path}`);
      }
    }
    const server = net.createServer({ noDelay: true });
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) => {
        reject(new AnisoError('E_TRANSPORT', `cannot listen on ${what}: ${listenFailure(target, err)}`, { cause: err }));
      });
      const backlog = options.backlog ?? 4;
      if (target.mode === 'unix') server.listen({ path: target.path, backlog }, () => resolve());
      else server.listen({ host: target.host, port: target.port, backlog }, () => resolve());
    });
    let bound: SocketTarget = target;
    if (target.mode === 'inet') {
      const addr = server.address() as net.AddressInfo;
      bound = { mode: 'inet', host: target.host, port: addr.port };
    }
    log.info('low', `${SOCKET_PREFIX}listening on ${describeTarget(bound)}`);
    return new IpiServer(server, bound, log);
  }

  /** `unix socket /tmp/ipi_x` or `tcp host:port`. */
  get description(): string {
    return describeTarget(this.target);
  }

  /**
   * The next driver to connect (drivers that connected earlier are queued), wrapped as an
   * {@link IpiServerConnection} with `options`.
   */
  async accept(options: AcceptOptions = {}): Promise<IpiServerConnection> {
    const socket = await this.#nextSocket(options);
    this.#log.info('low', `${SOCKET_PREFIX}driver connected on ${this.description}`);
    const { timeoutMs: _t, signal: _s, ...rest } = options;
    return new IpiServerConnection(socket, { logger: this.#log, ...rest });
  }

  /**
   * From now on close every further connection at once, and those queued, each with a warning
   * `refused a connection on … : reason` (for a server that serves one driver). The refused driver
   * sees its connection closed (EOF) before any message. The server keeps listening, so its socket
   * file stays until {@link close}.
   */
  refuseFurther(reason: string): void {
    this.#refusal = reason;
    for (const s of this.#pending.splice(0)) this.#refuse(s);
  }

  #refuse(socket: net.Socket): void {
    socket.on('error', () => {}); // the refused peer may reset; nothing to report
    this.#log.warn(`refused a connection on ${this.description}: ${this.#refusal ?? ''}`);
    socket.end();
  }

  /**
   * Stop listening (the unix socket file is removed); waiting `accept` calls reject and drivers not
   * yet accepted are disconnected. Accepted connections stay open: close them separately.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#server.close();
    const err = new AnisoError('E_TRANSPORT', `server on ${this.description} closed while waiting for a driver`);
    for (const w of this.#waiters) w.reject(err);
    this.#waiters = [];
    for (const s of this.#pending) s.destroy();
    this.#pending = [];
  }

  #onConnection(socket: net.Socket): void {
    if (this.#refusal !== null) return this.#refuse(socket);
    if (this.target.mode === 'inet') socket.setNoDelay(true);
    const w = this.#waiters.shift();
    if (w) {
      w.resolve(socket);
      return;
    }
    this.#pending.push(socket);
    socket.once('close', () => {
      this.#pending = this.#pending.filter((s) => s !== socket);
    });
    socket.on('error', () => {}); // reported once accepted, or irrelevant
  }

  #nextSocket(options: AcceptOptions): Promise<net.Socket> {
    if (this.#closed) return Promise.reject(new AnisoError('E_TRANSPORT', `server on ${this.description} is closed`));
    const queued = this.#pending.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const onAbort = () => fail(new AnisoError('E_TRANSPORT', `waiting for a driver on ${this.description} aborted`));
      const cleanup = () => {
        if (timer) clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        this.#waiters = this.#waiters.filter((x) => x !== waiter);
      };
      const fail = (e: Error) => {
        cleanup();
        reject(e);
      };
      const waiter: AcceptWaiter = {
        resolve: (s) => {
          cleanup();
          resolve(s);
        },
        reject: fail,
      };
      if (options.timeoutMs !== undefined) {
        const t = options.timeoutMs;
        timer = setTimeout(() => fail(new AnisoError('E_TRANSPORT', `no driver connected to ${this.description} within ${t} ms`)), t);
      }
      if (options.signal) {
        if (options.signal.aborted) return onAbort();
        options.signal.addEventListener('abort', onAbort, { once: true });
      }
      this.#waiters.push(waiter);
    });
  }
}
