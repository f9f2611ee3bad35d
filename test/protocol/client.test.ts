// SPDX-License-Identifier: BSD-3-Clause
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Duplex } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import type { ForceProvider, ForceResult, ParticleSystem } from '../../src/core/system.js';
import { IPI_UNITS } from '../../src/core/units.js';
import { IpiDriver, batchSizeOf, type DriverOptions, type DriverStepInfo } from '../../src/protocol/client.js';
import { paddedHeader } from '../../src/protocol/constants.js';
import { IpiDecoder } from '../../src/protocol/decoder.js';
import { encodeHeader, encodeInit, encodePosData } from '../../src/protocol/encoder.js';
import { lineLogger } from '../../src/protocol/logger.js';
import type { ClientMessage, ForceReadyMessage } from '../../src/protocol/messages.js';
import { StepObservers, type StepObserver, type StepRecord } from '../../src/core/step-observer.js';
import { snapshotSystem } from './snapshot.js';
import { rejection } from '../support/assertions.js';

const B = IPI_UNITS.bohrInAngstrom;
const HA = IPI_UNITS.hartreeInEv;
const STATUS = encodeHeader('STATUS');
const GETFORCE = encodeHeader('GETFORCE');
const EXIT = encodeHeader('EXIT');
const CUBE = [20, 0, 0, 0, 20, 0, 0, 0, 20];

/** Harmonic trap E = k/2 Σ|r|², F = −k r, W = Σ F ⊗ r (eV, Å). */
function harmonic(k = 0.5): ForceProvider & { calls: ParticleSystem[] } {
  const calls: ParticleSystem[] = [];
  return {
    name: 'harmonic',
    calls,
    compute(s: ParticleSystem): ForceResult {
      calls.push(snapshotSystem(s)); // the driver reuses s next request
      const forces = new Float64Array(3 * s.n);
      const virial = new Float64Array(9);
      let energy = 0;
      for (let a = 0; a < s.n; a++) {
        for (let d = 0; d < 3; d++) {
          const r = s.positions[3 * a + d]!;
          energy += 0.5 * k * r * r;
          forces[3 * a + d] = -k * r;
        }
        for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) virial[3 * i + j] += forces[3 * a + i]! * s.positions[3 * a + j]!;
      }
      return { energy, forces, torques: null, virial, extras: {} };
    },
  };
}

/** POSDATA of `n` atoms (positions in bohr) with an optional fused GETFORCE. */
function posdata(n: number, fused = false, h = CUBE): Buffer {
  const positions = Float64Array.from({ length: 3 * n }, (_, k) => 0.25 * (k + 1));
  return encodePosData({ h, hInv: new Float64Array(9), positions }, fused ? { trailer: 'GETFORCE' } : {});
}

function decodeReply(bytes: Buffer): ClientMessage[] {
  const out: ClientMessage[] = [];
  const dec = new IpiDecoder({ from: 'client', onMessage: (m) => out.push(m) });
  dec.push(bytes);
  dec.finish();
  return out;
}

/** An in-memory binary Duplex: the test feeds server bytes and sees every write() separately. */
class FakeSocket {
  readonly writes: Buffer[] = [];
  #waiters: Array<(b: Buffer) => void> = [];
  #read = 0;
  readonly stream = new Duplex({
    read() {},
    write: (chunk: Buffer, _enc, cb) => {
      this.writes.push(Buffer.from(chunk));
      const w = this.#waiters.shift();
      if (w) w(this.writes[this.#read++]!);
      cb();
    },
  });
  readonly closed = new Promise<void>((resolve) => this.stream.once('close', () => resolve()));

  feed(...bufs: Buffer[]): void {
    for (const b of bufs) this.stream.push(b);
  }
  end(): void {
    this.stream.push(null);
  }
  /** The next write() call's bytes (in order). */
  nextWrite(): Promise<Buffer> {
    if (this.#read < this.writes.length) return Promise.resolve(this.writes[this.#read++]!);
    return new Promise((resolve) => this.#waiters.push(resolve));
  }
  async nextHeader(): Promise<string> {
    return (await this.nextWrite()).toString('latin1', 0, 12);
  }
}

function start(options: Partial<DriverOptions> = {}) {
  const fake = new FakeSocket();
  const provider = harmonic();
  const driver = new IpiDriver(fake.stream, { provider, ...options });
  const done = driver.run();
  done.catch(() => {}); // observed by the tests that expect a rejection
  return { fake, provider, driver, done };
}

describe('driver state machine (in-memory stream)', () => {
  it('answers NEEDINIT until INIT, then READY; FORCEREADY after fused POSDATA+GETFORCE; EXIT ends', async () => {
    const steps: DriverStepInfo[] = [];
    const { fake, provider, driver, done } = start({ onStep: (s) => steps.push(s) });
    fake.feed(STATUS);
    expect(await fake.nextHeader()).toBe('NEEDINIT    ');
    fake.feed(STATUS);
    expect(await fake.nextHeader()).toBe('NEEDINIT    ');
    fake.feed(encodeInit(3, ' a : 1 , '), STATUS);
    expect(await fake.nextHeader()).toBe('READY       ');
    expect(driver.rid).toBe(3);
    expect(driver.init).toBe(' a : 1 , ');
    fake.feed(posdata(2, true));
    const reply = await fake.nextWrite();
    const [m] = decodeReply(reply) as [ForceReadyMessage];
    expect(m.type).toBe('FORCEREADY');
    expect(m.n).toBe(2);
    // Provider saw Å; the reply is in Ha/bohr and Ha.
    const s = provider.calls[0]!;
    expect(s.positions[0]).toBeCloseTo(0.25 * B, 15);
    expect(s.cell.h[0]).toBeCloseTo(20 * B, 13);
    const r = provider.compute(s);
    for (let k = 0; k < 6; k++) expect(m.forces[k]).toBeCloseTo((r.forces[k]! * B) / HA, 14);
    expect(m.energy).toBeCloseTo(r.energy / HA, 14);
    expect(m.extras).toBe('');
    fake.feed(STATUS);
    expect(await fake.nextHeader()).toBe('READY       ');
    fake.feed(EXIT);
    expect(await done).toEqual({ reason: 'exit', steps: 1, rid: 3, init: ' a : 1 , ' });
    await fake.closed;
    expect(steps).toHaveLength(1);
    expect(steps[0]).toMatchObject({ step: 1, n: 2, rid: 3 });
    expect(steps[0]!.energy).toBeCloseTo(r.energy, 14);
    expect(steps[0]!.turnaroundUs).toBeGreaterThanOrEqual(steps[0]!.computeUs);
  });

  it('sends every reply in exactly one write: 12-byte headers and whole FORCEREADY blocks', async () => {
    const { fake, done } = start();
    fake.feed(STATUS, encodeInit(0, ' '), STATUS, posdata(5), STATUS, GETFORCE, STATUS, posdata(1, true), STATUS, EXIT);
    await done;
    const lengths = fake.writes.map((w) => w.length);
    expect(lengths).toEqual([12, 12, 12, 12 + 12 + 120 + 76, 12, 12 + 12 + 24 + 76, 12]);
    expect(fake.writes.map((w) => w.toString('latin1', 0, 12).trimEnd())).toEqual([
      'NEEDINIT', 'READY', 'HAVEDATA', 'FORCEREADY', 'READY', 'FORCEREADY', 'READY',
    ]);
  });

  it('serves the legacy and ASE orders: STATUS between POSDATA and GETFORCE gets HAVEDATA', async () => {
    const { fake, done } = start();
    // ASE: STATUS→NEEDINIT, INIT(0,1,"\0"), STATUS→READY, POSDATA, STATUS→HAVEDATA, GETFORCE
    fake.feed(STATUS);
    expect(await fake.nextHeader()).toBe('NEEDINIT    ');
    fake.feed(encodeInit(0, Buffer.from([0])), STATUS);
    expect(await fake.nextHeader()).toBe('READY       ');
    for (const n of [3, 1, 4]) {
      fake.feed(posdata(n), STATUS);
      expect(await fake.nextHeader()).toBe('HAVEDATA    ');
      fake.feed(GETFORCE);
      const [m] = decodeReply(await fake.nextWrite());
      expect(m).toMatchObject({ type: 'FORCEREADY', n });
      fake.feed(STATUS);
      expect(await fake.nextHeader()).toBe('READY       ');
    }
    fake.end(); // ASE never sends EXIT
    expect(await done).toEqual({ reason: 'eof', steps: 3, rid: 0, init: '\0' });
  });

  it('accepts INIT at any time and repeated, and a varying N', async () => {
    const inits: Array<{ rid: number; init: string }> = [];
    const { fake, driver, done } = start({ onInit: (i) => inits.push(i) });
    fake.feed(encodeInit(1, 'first'), STATUS); // INIT before any STATUS
    expect(await fake.nextHeader()).toBe('READY       ');
    fake.feed(posdata(7, true));
    expect(decodeReply(await fake.nextWrite())[0]).toMatchObject({ n: 7 });
    fake.feed(encodeInit(2, 'second'), STATUS, posdata(2, true)); // INIT between requests
    expect(await fake.nextHeader()).toBe('READY       ');
    expect(decodeReply(await fake.nextWrite())[0]).toMatchObject({ n: 2 });
    expect(driver.rid).toBe(2);
    fake.feed(posdata(0), encodeInit(3, 'third'), GETFORCE); // INIT between POSDATA and GETFORCE
    expect(decodeReply(await fake.nextWrite())[0]).toMatchObject({ n: 0 });
    fake.feed(EXIT);
    expect(await done).toMatchObject({ reason: 'exit', steps: 3, rid: 3, init: 'third' });
    expect(inits).toEqual([
      { rid: 1, init: 'first' },
      { rid: 2, init: 'second' },
      { rid: 3, init: 'third' },
    ]);
  });

  it('queues messages behind an asynchronous provider and answers in order', async () => {
    const fake = new FakeSocket();
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const inner = harmonic();
    const driver = new IpiDriver(fake.stream, {
      provider: {
        async compute(s) {
          await gate;
          return inner.compute(s);
        },
      },
    });
    const done = driver.run();
    fake.feed(encodeInit(0, ' '), posdata(3), STATUS, GETFORCE, STATUS);
    const first = fake.nextWrite();
    let answered = false;
    void first.then(() => (answered = true));
    await new Promise((r) => setImmediate(r));
    expect(answered).toBe(false); // STATUS waits for the computation (ASE asserts HAVEDATA)
    release();
    expect((await first).toString('latin1')).toBe('HAVEDATA    ');
    expect(decodeReply(await fake.nextWrite())[0]).toMatchObject({ type: 'FORCEREADY', n: 3 });
    expect(await fake.nextHeader()).toBe('READY       ');
    fake.feed(EXIT);
    expect(await done).toMatchObject({ reason: 'exit', steps: 1 });
  });

  it('sends extras only when asked, as a JSON object without a "raw" key', async () => {
    const lines: string[] = [];
    const fake = new FakeSocket();
    const provider: ForceProvider = {
      name: 'x',
      compute: (s) => ({ energy: 0, forces: new Float64Array(3 * s.n), torques: null, virial: new Float64Array(9), extras: { raw: 'r', dipole: Float64Array.of(1, 2, 3) } }),
    };
    const done = new IpiDriver(fake.stream, { provider, extras: true, logger: lineLogger((l) => lines.push(l)) }).run();
    fake.feed(encodeInit(0, ' '), posdata(1, true), posdata(1, true), EXIT);
    await done;
    const [a] = decodeReply(fake.writes[0]!) as [ForceReadyMessage];
    expect(JSON.parse(a.extras)).toEqual({ raw_: 'r', dipole: [1, 2, 3] });
    expect(lines.filter((l) => l.startsWith(' !W! '))).toEqual([" !W! provider extras key 'raw' is reserved by i-PI; sent as 'raw_'"]);
    // Default: L = 0 even when the provider has extras.
    const plain = new FakeSocket();
    const d2 = new IpiDriver(plain.stream, { provider }).run();
    plain.feed(posdata(1, true), EXIT);
    await d2;
    expect((decodeReply(plain.writes[0]!)[0] as ForceReadyMessage).extras).toBe('');
    expect(plain.writes[0]!.readInt32LE(plain.writes[0]!.length - 4)).toBe(0);
  });

  it('logs with i-PI prefixes at the chosen verbosity', async () => {
    const lines: string[] = [];
    const { fake, done } = start({ logger: lineLogger((l) => lines.push(l), 'debug') });
    fake.feed(STATUS, encodeInit(0, ' '), posdata(1, true), EXIT);
    await done;
    expect(lines).toContain('@SOCKET: <- STATUS');
    expect(lines).toContain('@SOCKET: -> NEEDINIT');
    expect(lines).toContain('@SOCKET: INIT received: rid = 0, init string " "');
    expect(lines).toContain('@SOCKET: first request: N = 1 atoms');
    expect(lines).toContain('@SOCKET: EXIT received after 1 steps');
    const quiet: string[] = [];
    const q = start({ logger: lineLogger((l) => quiet.push(l), 'quiet') });
    q.fake.feed(STATUS, EXIT);
    await q.done;
    expect(quiet).toEqual([]);
  });

  it('resolves eof on a clean end of stream, and closed on close() or abort', async () => {
    const a = start();
    a.fake.feed(STATUS);
    await a.fake.nextWrite();
    a.fake.end();
    expect(await a.done).toMatchObject({ reason: 'eof', steps: 0 });
    const b = start();
    b.driver.close();
    expect(await b.done).toMatchObject({ reason: 'closed' });
    const ac = new AbortController();
    const c = start({ signal: ac.signal });
    ac.abort();
    expect(await c.done).toMatchObject({ reason: 'closed' });
    await expect(c.driver.run()).rejects.toThrow('only once');
  });

  it('rejects E_TRANSPORT when the stream ends before any message (a server refusing this driver); EXIT first is still an end', async () => {
    const a = start();
    a.fake.end();
    await expect(a.done).rejects.toMatchObject({
      code: 'E_TRANSPORT',
      message: 'the server closed the connection before sending anything (is another driver already connected?)',
    });
    expect(a.fake.writes).toEqual([]);
    const b = start();
    b.fake.stream.destroy(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }));
    await expect(b.done).rejects.toMatchObject({ code: 'E_TRANSPORT', message: 'the server reset the connection (ECONNRESET) before sending anything (is another driver already connected?)' });
    const c = start();
    c.fake.feed(EXIT);
    c.fake.end();
    expect(await c.done).toMatchObject({ reason: 'exit', steps: 0 });
  });

  it('resolves eof when the server closes while an asynchronous computation runs', async () => {
    const fake = new FakeSocket();
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const done = new IpiDriver(fake.stream, {
      provider: { compute: async (s) => (await gate, harmonic().compute(s)) },
    }).run();
    fake.feed(posdata(2, true));
    fake.end();
    expect(await done).toMatchObject({ reason: 'eof', steps: 0 });
    release();
    await new Promise((r) => setImmediate(r));
    expect(fake.writes).toEqual([]);
  });

  it('rejects E_TRANSPORT when the stream ends mid-message', async () => {
    const { fake, done } = start();
    fake.feed(posdata(10).subarray(0, 200));
    fake.end();
    const err = await rejection(done);
    expect(err.code).toBe('E_TRANSPORT');
    expect(err.message).toBe('server closed the connection mid-message after 200 of 400 bytes of POSDATA (N = 10)');
  });

  it('rejects E_PROTOCOL on a garbage header and writes nothing more', async () => {
    const { fake, done } = start();
    fake.feed(STATUS, Buffer.from('GARBAGE\x01ABCD', 'latin1'), STATUS);
    const err = await rejection(done);
    expect(err.code).toBe('E_PROTOCOL');
    expect(err.message).toContain('unknown header "GARBAGE\\x01ABCD" from the server');
    await fake.closed;
    expect(fake.writes.map((w) => w.toString('latin1'))).toEqual(['NEEDINIT    ']);
  });

  it('rejects GETFORCE without POSDATA', async () => {
    const { fake, done } = start();
    fake.feed(GETFORCE);
    const err = await rejection(done);
    expect(err.code).toBe('E_PROTOCOL');
    expect(err.message).toContain('GETFORCE with no POSDATA pending');
    expect(fake.writes).toEqual([]);
  });

  it('refuses a batched protocol before parsing what follows the INIT', async () => {
    expect(batchSizeOf(' a : 1 ,   batch_size:4')).toBe(4);
    expect(batchSizeOf(' ')).toBe(1);
    expect(batchSizeOf('batch_size : 1')).toBe(1);
    const { fake, done } = start();
    fake.feed(STATUS);
    await fake.nextWrite();
    // A batched POSDATA would start with an int32 N, not h: it must never be decoded.
    const batched = Buffer.concat([paddedHeader('POSDATA'), Buffer.from([4, 0, 0, 0]), Buffer.alloc(100, 0xff)]);
    fake.feed(Buffer.concat([encodeInit(0, '  batch_size:4'), STATUS, batched]));
    const err = await rejection(done);
    expect(err.code).toBe('E_PROTOCOL');
    expect(err.message).toBe(
      'server announced batch_size:4 in INIT "  batch_size:4": the batched protocol is not supported; ' +
        'use batch_size 1 (remove <batch_size> from the <ffsocket>)',
    );
    expect(fake.writes.length).toBe(1);
  });

  it.each([
    ['forces', (r: ForceResult) => void (r.forces[4] = NaN), 'E_NONFINITE', 'forces[4] = NaN (atom 1, y)'],
    ['energy', (r: ForceResult) => void (r.energy = Infinity), 'E_NONFINITE', 'non-finite energy (Infinity eV)'],
    ['virial', (r: ForceResult) => void (r.virial[5] = -Infinity), 'E_NONFINITE', 'virial[5] = -Infinity (row 1, column 2)'],
    ['size', (r: ForceResult) => void (r.forces = new Float64Array(3)), 'E_SIZE', '3 force components for N = 2 atoms'],
  ])('never sends a bad result (%s): closes and rejects', async (_what, spoil, code, text) => {
    const fake = new FakeSocket();
    const inner = harmonic();
    const driver = new IpiDriver(fake.stream, {
      provider: {
        compute(s) {
          const r = inner.compute(s);
          spoil(r);
          return r;
        },
      },
    });
    const done = driver.run();
    fake.feed(encodeInit(0, ' '), posdata(2), STATUS, GETFORCE);
    const err = await rejection(done);
    expect(err.code).toBe(code);
    expect(err.message).toContain(text);
    expect(err.message).toContain('nothing was sent');
    await fake.closed;
    expect(fake.writes).toEqual([]);
  });

  it('passes provider exceptions through unchanged, sending nothing', async () => {
    const fake = new FakeSocket();
    const boom = new Error('model exploded');
    const done = new IpiDriver(fake.stream, {
      provider: {
        compute() {
          throw boom;
        },
      },
    }).run();
    fake.feed(posdata(1, true));
    await expect(done).rejects.toBe(boom);
    const fake2 = new FakeSocket();
    const done2 = new IpiDriver(fake2.stream, { provider: { compute: () => Promise.reject(boom) } }).run();
    fake2.feed(posdata(1), STATUS);
    await expect(done2).rejects.toBe(boom);
    expect([...fake.writes, ...fake2.writes]).toEqual([]);
  });

  it('validates its options', () => {
    expect(() => new IpiDriver(new FakeSocket().stream, { provider: {} as ForceProvider })).toThrow('compute(system)');
  });
});

describe('step observers of the driver', () => {
  /** What an observer saw, copied during the call (the record is reused). */
  interface Seen {
    step: number;
    source: string;
    n: number;
    positions: number[];
    cellX: number;
    energy: number;
    forces: number[];
    timings: { computeUs: number; stepUs: number; waitUs: number };
    writesThen: number;
    lastWrite: string;
  }

  function recorder(fake: FakeSocket, seen: Seen[], records: StepRecord[]): StepObserver {
    return {
      onStep(r) {
        records.push(r);
        seen.push({
          step: r.step,
          source: r.source,
          n: r.system.n,
          positions: Array.from(r.system.positions),
          cellX: r.system.cell.h[0]!,
          energy: r.result.energy,
          forces: Array.from(r.result.forces),
          timings: { ...r.timings },
          writesThen: fake.writes.length,
          lastWrite: fake.writes[fake.writes.length - 1]!.toString('latin1', 0, 12),
        });
      },
    };
  }

  it('sees every answered request, after its FORCEREADY was written, with the frame, the result and timings', async () => {
    const seen: Seen[] = [];
    const records: StepRecord[] = [];
    const fake = new FakeSocket();
    const provider = harmonic();
    const done = new IpiDriver(fake.stream, { provider, observers: [recorder(fake, seen, records)] }).run();
    fake.feed(encodeInit(0, ' '), posdata(2, true));
    expect(await fake.nextHeader()).toBe('FORCEREADY  ');
    fake.feed(STATUS, posdata(2)); // legacy order: POSDATA, STATUS, GETFORCE
    expect(await fake.nextHeader()).toBe('READY       ');
    fake.feed(STATUS);
    expect(await fake.nextHeader()).toBe('HAVEDATA    ');
    expect(seen).toHaveLength(1); // nothing before the reply
    fake.feed(GETFORCE);
    expect(await fake.nextHeader()).toBe('FORCEREADY  ');
    fake.feed(posdata(3, true), EXIT);
    expect(await done).toMatchObject({ reason: 'exit', steps: 3 });
    expect(seen.map((r) => [r.step, r.source, r.n])).toEqual([
      [1, 'driver', 2],
      [2, 'driver', 2],
      [3, 'driver', 3],
    ]);
    for (const [k, r] of seen.entries()) {
      const sent = Array.from({ length: 3 * r.n }, (_, i) => 0.25 * (i + 1) * B);
      expect(r.positions).toEqual(sent);
      expect(r.cellX).toBe(20 * B);
      const expected = harmonic().compute(provider.calls[k]!);
      expect(r.energy).toBe(expected.energy);
      expect(r.forces).toEqual(Array.from(expected.forces));
      expect(r.lastWrite).toBe('FORCEREADY  '); // the reply was already handed to the stream
      expect(r.timings.computeUs).toBeGreaterThanOrEqual(0);
      expect(r.timings.stepUs).toBeGreaterThanOrEqual(r.timings.computeUs);
      expect(r.timings.waitUs).toBeGreaterThanOrEqual(0);
    }
    // One record object, refilled: publishing allocates nothing per step.
    expect(records[1]).toBe(records[0]);
    expect(records[2]).toBe(records[0]);
  });

  it('a throwing or rejecting observer is reported once and breaks nothing; the others still see every step', async () => {
    const lines: string[] = [];
    const seen: Seen[] = [];
    const fake = new FakeSocket();
    let thrown = 0;
    const thrower: StepObserver = {
      onStep(r) {
        thrown++;
        // The reply of this step is out before the observer runs.
        expect(fake.writes[fake.writes.length - 1]!.toString('latin1', 0, 12)).toBe('FORCEREADY  ');
        throw new Error(`boom ${r.step}`);
      },
    };
    const rejecter = { onStep: () => Promise.reject(new Error('later')) } as unknown as StepObserver;
    const done = new IpiDriver(fake.stream, {
      provider: harmonic(),
      logger: lineLogger((l) => lines.push(l), 'low'),
      observers: [thrower, rejecter, recorder(fake, seen, [])],
    }).run();
    fake.feed(encodeInit(0, ' '));
    for (let k = 0; k < 3; k++) {
      fake.feed(posdata(1, true));
      expect(await fake.nextHeader()).toBe('FORCEREADY  ');
    }
    fake.feed(EXIT);
    expect(await done).toMatchObject({ reason: 'exit', steps: 3 });
    expect(thrown).toBe(3);
    expect(seen.map((r) => r.step)).toEqual([1, 2, 3]);
    const warnings = lines.filter((l) => l.startsWith(' !W! '));
    expect(warnings).toEqual([
      ' !W! step observer 0 failed at driver step 1: boom 1 (reported once; the run goes on)',
      ' !W! step observer 1 failed at driver step 1: later (reported once; the run goes on)',
    ]);
  });

  it('publishes nothing and builds no record without observers', () => {
    expect(new StepObservers(undefined, () => {}).active).toBe(false);
    expect(new StepObservers([], () => {}).active).toBe(false);
    expect(new StepObservers([{ onStep() {} }], () => {}).active).toBe(true);
    expect(() => new StepObservers([{} as StepObserver], () => {})).toThrow('onStep(record)');
  });
});

// ---------------------------------------------------------------------------------------------
// Over real sockets, with a hand-written server that records every byte it receives.

const dir = mkdtempSync(join(tmpdir(), 'anisodrive-client-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let counter = 0;

/** A raw server: one accepted socket, every received byte counted, replies decoded. */
class RawServer {
  received = 0;
  readonly messages: ClientMessage[] = [];
  read = 0;
  waiter: (() => void) | null = null;
  ended!: Promise<void>;
  socket!: net.Socket;

  static async start(driverFor: (path: string) => Promise<unknown>): Promise<{ server: RawServer; driver: Promise<unknown> }> {
    const path = join(dir, `s${counter++}`);
    const raw = new RawServer();
    const listener = net.createServer();
    await new Promise<void>((r) => listener.listen(path, r));
    const accepted = new Promise<net.Socket>((r) => listener.once('connection', r));
    const driver = driverFor(path);
    driver.catch(() => {});
    raw.socket = await accepted;
    listener.close();
    const dec = new IpiDecoder({
      from: 'client',
      onMessage: (m) => {
        raw.messages.push(m);
        const w = raw.waiter;
        raw.waiter = null;
        w?.();
      },
    });
    raw.socket.on('data', (c: Buffer) => {
      raw.received += c.length;
      dec.push(c);
    });
    raw.ended = new Promise((r) => raw.socket.once('close', () => r()));
    raw.socket.on('error', () => {});
    return { server: raw, driver };
  }

  send(b: Buffer): void {
    this.socket.write(b);
  }
  async next(): Promise<ClientMessage> {
    while (this.read >= this.messages.length) await new Promise<void>((r) => (this.waiter = r));
    return this.messages[this.read++]!;
  }
}

function driveUnix(provider: DriverOptions['provider']) {
  return (path: string) =>
    new Promise<IpiDriver>((resolve, reject) => {
      const s = net.createConnection({ path }, () => resolve(new IpiDriver(s, { provider })));
      s.once('error', reject);
    }).then((d) => d.run());
}

describe('driver over a real unix socket: what the server observes', () => {
  it('after a garbage header the client sends nothing and closes', async () => {
    const { server, driver } = await RawServer.start(driveUnix(harmonic()));
    server.send(STATUS);
    expect((await server.next()).type).toBe('NEEDINIT');
    const mark = server.received;
    server.send(Buffer.from('STATUS  \0\0\0\0', 'latin1'));
    server.send(STATUS);
    const err = await rejection(driver);
    expect(err.code).toBe('E_PROTOCOL');
    expect(err.message).toContain('"STATUS  \\x00\\x00\\x00\\x00"');
    await server.ended;
    expect(server.received).toBe(mark);
  });

  it('server dying mid-POSDATA rejects E_TRANSPORT naming the bytes received', async () => {
    const { server, driver } = await RawServer.start(driveUnix(harmonic()));
    server.send(encodeInit(0, ' '));
    server.socket.end(posdata(100).subarray(0, 1000));
    const err = await rejection(driver);
    expect(err.code).toBe('E_TRANSPORT');
    expect(err.message).toBe('server closed the connection mid-message after 1000 of 2560 bytes of POSDATA (N = 100)');
  });

  it('NaN forces: the server sees EOF and not one byte after POSDATA', async () => {
    const inner = harmonic();
    const provider = {
      compute(s: ParticleSystem) {
        const r = inner.compute(s);
        if (s.n === 3) r.forces[7] = NaN;
        return r;
      },
    };
    const { server, driver } = await RawServer.start(driveUnix(provider));
    server.send(STATUS);
    expect((await server.next()).type).toBe('NEEDINIT');
    server.send(Buffer.concat([encodeInit(0, ' '), STATUS]));
    expect((await server.next()).type).toBe('READY');
    server.send(posdata(2, true));
    expect((await server.next()).type).toBe('FORCEREADY');
    server.send(STATUS);
    expect((await server.next()).type).toBe('READY');
    const mark = server.received;
    server.send(posdata(3, true));
    const err = await rejection(driver);
    expect(err.code).toBe('E_NONFINITE');
    expect(err.message).toContain('forces[7] = NaN (atom 2, y)');
    await server.ended; // EOF seen by the server
    expect(server.received).toBe(mark);
  });

  it('takes INIT at any time and repeatedly, with N changing, over the socket', async () => {
    const provider = harmonic();
    const { server, driver } = await RawServer.start(driveUnix(provider));
    server.send(Buffer.concat([encodeInit(7, 'one'), STATUS])); // INIT before the first STATUS
    expect((await server.next()).type).toBe('READY');
    for (const [k, n] of [5, 2, 9, 1].entries()) {
      // INIT between requests, between POSDATA and GETFORCE, or not at all.
      if (k === 1) server.send(encodeInit(8, 'two'));
      if (k === 2) server.send(Buffer.concat([posdata(n), encodeInit(9, 'three'), GETFORCE]));
      else server.send(posdata(n, true));
      const m = await server.next();
      expect(m).toMatchObject({ type: 'FORCEREADY', n });
      server.send(STATUS);
      expect((await server.next()).type).toBe('READY');
    }
    server.send(EXIT);
    expect(await driver).toEqual({ reason: 'exit', steps: 4, rid: 9, init: 'three' });
    expect(provider.calls.map((c) => c.n)).toEqual([5, 2, 9, 1]);
  });

  it('EXIT resolves exit; EOF between messages resolves eof', async () => {
    const a = await RawServer.start(driveUnix(harmonic()));
    a.server.send(Buffer.concat([encodeInit(0, ' '), posdata(1, true)]));
    expect((await a.server.next()).type).toBe('FORCEREADY');
    a.server.send(EXIT);
    expect(await a.driver).toMatchObject({ reason: 'exit', steps: 1 });
    await a.server.ended;
    const b = await RawServer.start(driveUnix(harmonic()));
    b.server.send(posdata(1, true));
    expect((await b.server.next()).type).toBe('FORCEREADY');
    b.server.socket.end();
    expect(await b.driver).toMatchObject({ reason: 'eof', steps: 1 });
  });
});
