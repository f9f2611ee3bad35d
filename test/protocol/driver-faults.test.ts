// SPDX-License-Identifier: BSD-3-Clause
/**
 * Driver faults over real unix sockets (issue 8): a server that resets the connection mid-step,
 * one that falls silent (the optional idle timeout), a singular cell. Every wait is bounded.
 */
import { mkdtempSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AnisoError } from '../../src/core/errors.js';
import type { ForceResult, ParticleSystem } from '../../src/core/system.js';
import { IpiDriver, type DriverOptions, type DriverResult } from '../../src/protocol/client.js';
import { encodeHeader, encodeInit, encodePosData } from '../../src/protocol/encoder.js';

const dir = mkdtempSync(join(tmpdir(), 'anisodrive-faults-'));
let counter = 0;
const STATUS = encodeHeader('STATUS');
const CUBE = [20, 0, 0, 0, 20, 0, 0, 0, 20];
const FORCEREADY_BYTES = (n: number) => 12 + 8 + 24 * n + 72 + 4; // header, E, N, F, W, L = 0

/** Zero forces for any N (the faults here are in the transport, not the physics). */
function zero(s: ParticleSystem): ForceResult {
  return { energy: 0, forces: new Float64Array(3 * s.n), torques: null, virial: new Float64Array(9), extras: {} };
}

function posdata(n: number, trailer?: 'GETFORCE', h = CUBE): Buffer {
  return encodePosData({ h, hInv: new Float64Array(9), positions: new Float64Array(3 * n).fill(1) }, trailer ? { trailer } : {});
}

/** How the test server listens: `unread`: a unix socket that never reads (its close resets); `tcp`: for resetAndDestroy(). */
type Listen = 'unix' | 'unread' | 'tcp';

/** A listener, one driver connected to it; the server side counts the bytes it has read. */
async function connected(options: Omit<DriverOptions, 'provider'> & { provider?: DriverOptions['provider'] } = {}, listen: Listen = 'unix') {
  const path = join(dir, `s${counter++}`);
  const listener = net.createServer({ pauseOnConnect: listen === 'unread' });
  await new Promise<void>((r) => (listen === 'tcp' ? listener.listen(0, '127.0.0.1', r) : listener.listen(path, r)));
  const accepted = new Promise<net.Socket>((r) => listener.once('connection', r));
  const client = listen === 'tcp' ? net.createConnection({ port: (listener.address() as net.AddressInfo).port, host: '127.0.0.1' }) : net.createConnection({ path });
  const server = await accepted;
  listener.close();
  server.on('error', () => {});
  let received = 0;
  if (listen !== 'unread') server.on('data', (c: Buffer) => (received += c.length));
  const t0 = Date.now();
  const done: Promise<DriverResult> = new IpiDriver(client, { provider: { compute: zero }, ...options }).run();
  done.catch(() => {});
  /** Resolve once the server has read `n` bytes in all (bounded: 10 s). */
  const until = async (n: number) => {
    while (received < n) {
      if (Date.now() - t0 > 10_000) throw new Error(`only ${received} of ${n} bytes arrived`);
      await new Promise((r) => setTimeout(r, 2));
    }
  };
  return { server, done, until };
}

/** The rejection of `p` (fails the test if it resolves), with its elapsed time in ms. */
async function rejected(p: Promise<unknown>): Promise<AnisoError> {
  try {
    const r = await p;
    throw new Error(`expected a rejection, got ${JSON.stringify(r)}`);
  } catch (err) {
    return err as AnisoError;
  }
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('driver faults: a server that resets the connection', () => {
  it('reset while the FORCEREADY is unread (GETFORCE pending on the server): E_TRANSPORT, died mid-step', async () => {
    const { server, done } = await connected({}, 'unread');
    server.write(Buffer.concat([encodeInit(0, ' '), posdata(2, 'GETFORCE')]));
    await pause(100); // the reply sits unread in the server's socket: closing now resets
    server.destroy();
    const err = await rejected(done);
    expect(err.code).toBe('E_TRANSPORT');
    expect(err.message).toMatch(/died mid-step: the FORCEREADY of step 1 had been sent and not read/);
    expect(err.message).toMatch(/ECONNRESET|EPIPE/);
  });

  it('TCP reset (RST) after POSDATA + GETFORCE: E_TRANSPORT, died mid-step', async () => {
    const { server, done, until } = await connected({}, 'tcp');
    server.write(posdata(2, 'GETFORCE'));
    await until(FORCEREADY_BYTES(2));
    server.resetAndDestroy();
    const err = await rejected(done);
    expect(err.code).toBe('E_TRANSPORT');
    expect(err.message).toMatch(/died mid-step.*ECONNRESET/);
  });

  it('server gone right after sending GETFORCE (its close races the reply): E_TRANSPORT, died mid-step', async () => {
    const { server, done } = await connected();
    server.write(Buffer.concat([encodeInit(0, ' '), posdata(3, 'GETFORCE')]));
    server.destroy();
    const err = await rejected(done);
    expect(err.code).toBe('E_TRANSPORT');
    expect(err.message).toMatch(/died mid-step/);
  });

  it('reset with a result computed and GETFORCE not yet sent: E_TRANSPORT naming that state', async () => {
    const { server, done } = await connected({}, 'tcp');
    server.write(Buffer.concat([encodeInit(0, ' '), posdata(2)]));
    await pause(100);
    server.resetAndDestroy();
    const err = await rejected(done);
    expect(err.code).toBe('E_TRANSPORT');
    expect(err.message).toMatch(/awaited GETFORCE/);
  });

  it('a reset between steps (only a STATUS answer unread) stays a clean end: eof', async () => {
    const { server, done, until } = await connected({}, 'tcp');
    server.write(Buffer.concat([encodeInit(0, ' '), posdata(2, 'GETFORCE')]));
    await until(FORCEREADY_BYTES(2));
    server.write(STATUS);
    await until(FORCEREADY_BYTES(2) + 12);
    server.resetAndDestroy();
    expect(await done).toMatchObject({ reason: 'eof', steps: 1 });
  });

  it('EOF after the FORCEREADY was read is a clean end: eof', async () => {
    const { server, done, until } = await connected();
    server.write(posdata(1, 'GETFORCE'));
    await until(FORCEREADY_BYTES(1));
    server.end();
    expect(await done).toMatchObject({ reason: 'eof', steps: 1 });
  });
});

describe('driver faults: a silent server and the idle timeout', () => {
  it('gives up on a server silent for idleTimeoutMs: E_TRANSPORT naming the timeout, within bounds', async () => {
    const { done } = await connected({ idleTimeoutMs: 200 });
    const t0 = Date.now();
    const err = await rejected(done);
    const ms = Date.now() - t0;
    expect(err.code).toBe('E_TRANSPORT');
    expect(err.message).toMatch(/sent nothing for 0\.2 s \(timeout 0\.2 s\)/);
    expect(ms).toBeGreaterThanOrEqual(190);
    expect(ms).toBeLessThan(5000);
  });

  it('silence after a served step counts from the last byte; a slow computation is not silence', async () => {
    const slow = { compute: async (s: ParticleSystem) => (await pause(400), zero(s)) };
    const { server, done, until } = await connected({ idleTimeoutMs: 250, provider: slow });
    server.write(posdata(2, 'GETFORCE'));
    await until(FORCEREADY_BYTES(2)); // 400 ms of computing > 250 ms: still answered
    const err = await rejected(done);
    expect(err.message).toMatch(/after 1 steps/);
    expect(err.message).toMatch(/timeout 0\.25 s/);
  });

  it('a server that keeps talking is never timed out, and no timeout is the default', async () => {
    const { server, done } = await connected({ idleTimeoutMs: 150 });
    for (let i = 0; i < 6; i++) {
      server.write(STATUS);
      await pause(60);
    }
    server.write(encodeHeader('EXIT'));
    expect(await done).toMatchObject({ reason: 'exit' });
    const quiet = await connected();
    const first = await Promise.race([quiet.done.then(() => 'ended', () => 'ended'), pause(400).then(() => 'waiting')]);
    expect(first).toBe('waiting');
    quiet.server.destroy();
    await quiet.done.catch(() => {});
  });

  it('refuses a non-positive idleTimeoutMs with E_ARG', () => {
    expect(() => new IpiDriver(new net.Socket(), { provider: { compute: zero }, idleTimeoutMs: 0 })).toThrow(/idleTimeoutMs/);
  });
});

describe('driver faults: a singular non-zero cell', () => {
  const flat = [40, 0, 0, 0, 40, 0, 0, 0, 0]; // c = 0: a 2-D system's cell

  it('rejects it with E_CELL naming the cell in Å and how to declare periodicity; nothing is sent', async () => {
    const { server, done } = await connected();
    let received = 0;
    server.on('data', (c: Buffer) => (received += c.length));
    server.write(posdata(2, 'GETFORCE', flat));
    const err = await rejected(done);
    expect(err.code).toBe('E_CELL');
    expect(err.message).toMatch(/singular cell/);
    expect(err.message).toMatch(/c = \(0, 0, 0\) Å/);
    expect(err.message).toMatch(/--no-periodic|periodic: false/);
    await pause(20);
    expect(received).toBe(0);
  });

  it('serves it as a non-periodic frame when periodic is false; an all-zero cell is open either way', async () => {
    const cells: boolean[][] = [];
    const provider = { compute: (s: ParticleSystem) => (cells.push([...s.cell.pbc]), zero(s)) };
    const a = await connected({ periodic: false, provider });
    a.server.write(posdata(2, 'GETFORCE', flat));
    await a.until(FORCEREADY_BYTES(2));
    a.server.end();
    expect(await a.done).toMatchObject({ reason: 'eof', steps: 1 });
    const b = await connected({ provider });
    b.server.write(posdata(2, 'GETFORCE', new Array(9).fill(0)));
    await b.until(FORCEREADY_BYTES(2));
    b.server.end();
    expect(await b.done).toMatchObject({ reason: 'eof', steps: 1 });
    expect(cells).toEqual([[false, false, false], [false, false, false]]);
  });
});
