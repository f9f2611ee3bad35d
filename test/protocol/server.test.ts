// SPDX-License-Identifier: BSD-3-Clause
import { existsSync, linkSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Duplex } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { Cell } from '../../src/core/cell.js';
import type { ParticleSystem } from '../../src/core/system.js';
import { IPI_UNITS } from '../../src/core/units.js';
import { IpiDecoder } from '../../src/protocol/decoder.js';
import { encodeForceReady, encodeHeader } from '../../src/protocol/encoder.js';
import { lineLogger } from '../../src/protocol/logger.js';
import type { ServerMessage } from '../../src/protocol/messages.js';
import { IpiServer, IpiServerConnection, type ServerConnectionOptions } from '../../src/protocol/server.js';
import { rejection } from '../support/assertions.js';

const READY = encodeHeader('READY');
const NEEDINIT = encodeHeader('NEEDINIT');
const HAVEDATA = encodeHeader('HAVEDATA');

/** An in-memory Duplex standing for the driver: the test sees each write() and feeds replies. */
class FakeDriver {
  readonly writes: Buffer[] = [];
  #read = 0;
  #waiter: (() => void) | null = null;
  readonly stream = new Duplex({
    read() {},
    write: (chunk: Buffer, _enc, cb) => {
      this.writes.push(Buffer.from(chunk));
      const w = this.#waiter;
      this.#waiter = null;
      w?.();
      cb();
    },
    final: (cb) => {
      this.ended = true;
      cb();
    },
  });
  ended = false;

  async nextWrite(): Promise<Buffer> {
    while (this.#read >= this.writes.length) await new Promise<void>((r) => (this.#waiter = r));
    return this.writes[this.#read++]!;
  }
  /** Headers of the messages in the next write, in order. */
  async nextMessages(): Promise<string[]> {
    const out: ServerMessage[] = [];
    const dec = new IpiDecoder({ from: 'server', onMessage: (m) => out.push(m) });
    dec.push(await this.nextWrite());
    dec.finish();
    return out.map((m) => m.type);
  }
  feed(...bufs: Buffer[]): void {
    for (const b of bufs) this.stream.push(b);
  }
}

function forceReady(n: number, f = 0.001): Buffer {
  return encodeForceReady({ energy: -0.5, forces: new Float64Array(3 * n).fill(f), virial: [1, 2, 3, 4, 5, 6, 7, 8, 9] });
}

const SYS: ParticleSystem = { n: 2, positions: Float64Array.of(0, 0, 0, 1, 1, 1), cell: Cell.orthorhombic(10, 10, 10) };

function connection(options: ServerConnectionOptions = {}) {
  const fake = new FakeDriver();
  return { fake, conn: new IpiServerConnection(fake.stream, options) };
}

describe('server message orders (writes seen by the driver)', () => {
  it("'ipi': handshake, then POSDATA+GETFORCE in one write, then STATUS", async () => {
    const { fake, conn } = connection({ order: 'ipi' });
    const first = conn.compute(SYS);
    expect(await fake.nextMessages()).toEqual(['STATUS']);
    fake.feed(NEEDINIT);
    expect(await fake.nextMessages()).toEqual(['INIT', 'STATUS']);
    fake.feed(READY);
    expect(await fake.nextMessages()).toEqual(['POSDATA', 'GETFORCE']);
    fake.feed(forceReady(2));
    const r = await first;
    expect(r.energy).toBeCloseTo(-0.5 * IPI_UNITS.hartreeInEv, 12);
    expect(r.forces[0]).toBeCloseTo((0.001 * IPI_UNITS.hartreeInEv) / IPI_UNITS.bohrInAngstrom, 14);
    expect(Array.from(r.virial)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9].map((x) => x * IPI_UNITS.hartreeInEv));
    expect(await fake.nextMessages()).toEqual(['STATUS']); // sent right after FORCEREADY
    const second = conn.compute(SYS);
    fake.feed(READY);
    expect(await fake.nextMessages()).toEqual(['POSDATA', 'GETFORCE']);
    fake.feed(forceReady(2));
    await second;
    expect(await fake.nextMessages()).toEqual(['STATUS']);
    // A driver that asks for INIT after each step (ASE-client style) gets INIT STATUS again.
    const third = conn.compute(SYS);
    fake.feed(NEEDINIT);
    expect(await fake.nextMessages()).toEqual(['INIT', 'STATUS']);
    fake.feed(READY);
    expect(await fake.nextMessages()).toEqual(['POSDATA', 'GETFORCE']);
    fake.feed(forceReady(2));
    await third;
    await fake.nextWrite();
    const closing = conn.close();
    expect(await fake.nextMessages()).toEqual(['EXIT']);
    expect(fake.ended).toBe(true);
    fake.stream.destroy();
    await closing;
    expect(conn.requests).toBe(3);
  });

  it("'legacy': STATUS→READY, POSDATA, STATUS→HAVEDATA, GETFORCE→FORCEREADY each request", async () => {
    const { fake, conn } = connection({ order: 'legacy', init: 'x : 1', rid: 4 });
    for (let k = 0; k < 2; k++) {
      const p = conn.compute(SYS);
      expect(await fake.nextMessages()).toEqual(['STATUS']);
      if (k === 0) {
        fake.feed(NEEDINIT);
        const init = await fake.nextWrite();
        expect(init.readInt32LE(12)).toBe(4);
        expect(init.toString('latin1', 20, 25)).toBe('x : 1');
      }
      fake.feed(READY);
      expect(await fake.nextMessages()).toEqual(['POSDATA', 'STATUS']);
      fake.feed(HAVEDATA);
      expect(await fake.nextMessages()).toEqual(['GETFORCE']);
      fake.feed(forceReady(2));
      await p;
    }
  });

  it("'ase': INIT(0, 1, \"\\0\") once, and asserts READY and HAVEDATA", async () => {
    const { fake, conn } = connection({ order: 'ase' });
    const p = conn.compute(SYS);
    await fake.nextWrite();
    fake.feed(NEEDINIT);
    const init = await fake.nextWrite();
    expect(Array.from(init.subarray(12, 21))).toEqual([0, 0, 0, 0, 1, 0, 0, 0, 0]);
    expect(init.toString('latin1', 21)).toBe('STATUS      ');
    fake.feed(NEEDINIT); // ASE asserts READY after one INIT
    const err = await rejection(p);
    expect(err.code).toBe('E_PROTOCOL');
    expect(err.message).toBe('driver still answers NEEDINIT after 1 INIT message(s) (ase order)');
    expect(fake.ended).toBe(true);
    expect(fake.writes.at(-1)!.toString('latin1')).toBe('EXIT        ');
    // The connection is dead for good.
    expect((await rejection(conn.compute(SYS))).message).toBe(err.message);
  });

  it('rejects READY where HAVEDATA is due, and a FORCEREADY for the wrong N', async () => {
    const a = connection({ order: 'ase' });
    const p = a.conn.compute(SYS);
    await a.fake.nextWrite();
    a.fake.feed(READY);
    await a.fake.nextWrite();
    a.fake.feed(READY);
    expect((await rejection(p)).message).toBe('expected HAVEDATA after POSDATA (ase order), driver replied READY');
    const b = connection();
    const q = b.conn.compute(SYS);
    await b.fake.nextWrite();
    b.fake.feed(READY);
    await b.fake.nextWrite();
    b.fake.feed(forceReady(3));
    const err = await rejection(q);
    expect(err.code).toBe('E_PROTOCOL');
    expect(err.message).toBe('driver returned FORCEREADY for N = 3 atoms, but POSDATA had N = 2');
  });

  it('rejects unsolicited replies and unknown headers from the driver', async () => {
    const a = connection();
    const p = a.conn.compute(SYS);
    await a.fake.nextWrite();
    a.fake.feed(Buffer.concat([READY, READY]));
    expect((await rejection(p)).message).toBe('driver sent READY unasked (no STATUS or GETFORCE pending)');
    const b = connection();
    const q = b.conn.compute(SYS);
    await b.fake.nextWrite();
    b.fake.feed(Buffer.from('ready       '));
    const err = await rejection(q);
    expect(err.code).toBe('E_PROTOCOL');
    expect(err.message).toContain('unknown header "ready       " from the driver');
  });

  it('rejects a non-finite result but keeps the connection usable', async () => {
    const { fake, conn } = connection();
    const p = conn.compute(SYS);
    await fake.nextWrite();
    fake.feed(READY);
    await fake.nextWrite();
    fake.feed(forceReady(2, NaN));
    const err = await rejection(p);
    expect(err.code).toBe('E_NONFINITE');
    expect(err.message).toBe('driver returned a non-finite force: forces[0] = NaN (atom 0, x)');
    expect(conn.error).toBeNull();
    const q = conn.compute(SYS);
    await fake.nextWrite(); // the trailing STATUS
    fake.feed(READY);
    await fake.nextWrite();
    fake.feed(forceReady(2));
    expect((await q).forces.length).toBe(6);
  });

  it('rejects E_TRANSPORT when the driver dies mid-FORCEREADY or before replying', async () => {
    const a = connection();
    const p = a.conn.compute(SYS);
    await a.fake.nextWrite();
    a.fake.feed(READY);
    await a.fake.nextWrite();
    a.fake.feed(forceReady(2).subarray(0, 50));
    a.fake.stream.push(null);
    const err = await rejection(p);
    expect(err.code).toBe('E_TRANSPORT');
    expect(err.message).toBe('driver closed the connection mid-message after 50 of at least 148 bytes of FORCEREADY');
    const b = connection({ order: 'legacy' });
    const q = b.conn.compute(SYS);
    await b.fake.nextWrite();
    b.fake.stream.push(null);
    const err2 = await rejection(q);
    expect(err2.message).toBe('driver closed the connection while the server waited for the reply to STATUS');
    const c = connection();
    const r = c.conn.compute(SYS);
    await c.fake.nextWrite();
    c.fake.stream.destroy(new Error('boom'));
    expect((await rejection(r)).message).toContain('connection to the driver failed while the server waited for the reply to STATUS: boom');
  });

  it('times out a silent driver when asked to, and sends it EXIT', async () => {
    const { fake, conn } = connection({ replyTimeoutMs: 20 });
    const err = await rejection(conn.compute(SYS));
    expect(err.code).toBe('E_TRANSPORT');
    expect(err.message).toBe('no reply from the driver within 20 ms while waiting for the reply to STATUS');
    expect(fake.writes.at(-1)!.toString('latin1')).toBe('EXIT        ');
  });

  it('refuses a system whose positions do not match n, sending nothing', async () => {
    const { fake, conn } = connection();
    const err = await rejection(conn.compute({ ...SYS, n: 3 }));
    expect(err.code).toBe('E_SIZE');
    expect(fake.writes).toEqual([]);
    expect(() => connection({ order: 'fast' as 'ipi' })).toThrow("message order must be one of ipi, legacy, ase, got 'fast'");
  });

  it('parses extras like i-PI: object, blank, or raw text', async () => {
    const { fake, conn } = connection();
    const texts = ['{"dipole":[1,2,3]}', '', 'plain words', '[1,2]'];
    const want = [{ dipole: [1, 2, 3] }, {}, { raw: 'plain words' }, { raw: '[1,2]' }];
    for (const [k, extras] of texts.entries()) {
      const p = conn.compute(SYS);
      await fake.nextWrite();
      fake.feed(READY);
      await fake.nextWrite();
      fake.feed(encodeForceReady({ energy: 0, forces: new Float64Array(6), virial: new Float64Array(9), extras }));
      expect((await p).extras).toEqual(want[k]);
    }
  });
});

// ---------------------------------------------------------------------------------------------

const dir = mkdtempSync(join(tmpdir(), 'anisodrive-srv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('IpiServer listening', () => {
  it('listens on prefix + address, refuses a live socket, removes the file on close', async () => {
    const prefix = join(dir, 'ipi_');
    const lines: string[] = [];
    const server = await IpiServer.listen({ mode: 'unix', address: 'live', prefix, logger: lineLogger((l) => lines.push(l)) });
    expect(server.target).toEqual({ mode: 'unix', path: prefix + 'live' });
    expect(server.description).toBe(`unix socket ${prefix}live`);
    expect(lines).toEqual([`@SOCKET: listening on unix socket ${prefix}live`]);
    const err = await rejection(IpiServer.listen({ mode: 'unix', address: 'live', prefix }));
    expect(err.code).toBe('E_TRANSPORT');
    expect(err.message).toBe(`cannot listen on unix socket ${prefix}live: another server is listening there`);
    await server.close();
    expect(existsSync(prefix + 'live')).toBe(false);
  });

  it('removes a stale socket file with a warning, and refuses a path that is not a socket', async () => {
    // A stale socket: a second name for a socket whose server has gone.
    const live = join(dir, 'tmp-live');
    const stale = join(dir, 'ipi_stale');
    const s = net.createServer();
    await new Promise<void>((r) => s.listen(live, r));
    linkSync(live, stale);
    await new Promise<void>((r) => s.close(() => r()));
    expect(existsSync(stale)).toBe(true);
    const lines: string[] = [];
    const server = await IpiServer.listen({ mode: 'unix', address: 'stale', prefix: join(dir, 'ipi_'), logger: lineLogger((l) => lines.push(l)) });
    expect(lines[0]).toBe(` !W! removed stale socket file ${stale}`);
    await server.close();
    writeFileSync(join(dir, 'ipi_file'), 'not a socket');
    const err = await rejection(IpiServer.listen({ mode: 'unix', address: 'file', prefix: join(dir, 'ipi_') }));
    expect(err.message).toBe(`cannot listen on unix socket ${join(dir, 'ipi_file')}: the path exists and is not a socket`);
  });

  it('queues drivers that connect before accept(), times out or aborts an accept with nobody', async () => {
    const server = await IpiServer.listen({ mode: 'inet', address: '127.0.0.1', port: 0 });
    const t = server.target;
    if (t.mode !== 'inet') throw new Error('inet expected');
    expect(t.port).toBeGreaterThan(0);
    const early = net.createConnection({ host: t.host, port: t.port });
    await new Promise((r) => early.once('connect', r));
    const conn = await server.accept();
    expect(conn).toBeInstanceOf(IpiServerConnection);
    const timeout = await rejection(server.accept({ timeoutMs: 10 }));
    expect(timeout.message).toBe(`no driver connected to tcp 127.0.0.1:${t.port} within 10 ms`);
    const ac = new AbortController();
    const aborted = server.accept({ signal: ac.signal });
    ac.abort();
    expect((await rejection(aborted)).message).toBe(`waiting for a driver on tcp 127.0.0.1:${t.port} aborted`);
    const pending = server.accept();
    await server.close();
    expect((await rejection(pending)).message).toBe(`server on tcp 127.0.0.1:${t.port} closed while waiting for a driver`);
    early.destroy();
    await conn.close();
  });

  it('names a missing socket directory as ENOENT, not EACCES, and creates nothing', async () => {
    const missing = join(dir, 'no-such-dir');
    const err = await rejection(IpiServer.listen({ mode: 'unix', address: 'x', prefix: `${missing}/ipi_` }));
    expect(err.code).toBe('E_TRANSPORT');
    expect(err.message).toBe(`cannot listen on unix socket ${missing}/ipi_x: ENOENT: directory ${missing} does not exist`);
    expect(existsSync(missing)).toBe(false);
  });

  it('refuseFurther closes queued and later connections at once, with a warning each, and keeps listening', async () => {
    const lines: string[] = [];
    const server = await IpiServer.listen({ mode: 'inet', address: '127.0.0.1', port: 0, logger: lineLogger((l) => lines.push(l)) });
    const t = server.target;
    if (t.mode !== 'inet') throw new Error('inet expected');
    const ended = (s: net.Socket) => new Promise<number>((resolve) => {
      let bytes = 0;
      s.on('data', (d: Buffer) => (bytes += d.length));
      s.once('end', () => resolve(bytes));
    });
    const queued = net.createConnection({ host: t.host, port: t.port });
    await new Promise((r) => queued.once('connect', r));
    await new Promise((r) => setTimeout(r, 20)); // let the server see it
    const queuedEnd = ended(queued);
    server.refuseFurther('it already serves a driver');
    const late = net.createConnection({ host: t.host, port: t.port });
    const lateEnd = ended(late);
    expect(await queuedEnd).toBe(0); // EOF before any byte
    expect(await lateEnd).toBe(0);
    expect(lines.filter((l) => l === ` !W! refused a connection on tcp 127.0.0.1:${t.port}: it already serves a driver`)).toHaveLength(2);
    queued.destroy();
    late.destroy();
    await server.close();
  });

  it('reports an address in use', async () => {
    const a = await IpiServer.listen({ mode: 'inet', address: '127.0.0.1', port: 0 });
    const port = a.target.mode === 'inet' ? a.target.port : 0;
    const err = await rejection(IpiServer.listen({ mode: 'inet', address: '127.0.0.1', port }));
    expect(err.code).toBe('E_TRANSPORT');
    expect(err.message).toContain(`cannot listen on tcp 127.0.0.1:${port}: EADDRINUSE`);
    await a.close();
  });
});
