// SPDX-License-Identifier: BSD-3-Clause
/**
 * Fault suite, the i-PI protocol as the driver process meets it (docs/FAULTS.md, F01–F22): the
 * compiled `anisodrive drive` against a hand-written server on a unix socket that sends split,
 * garbled, truncated or absurd messages. Each scenario asserts the exit code, the message naming
 * the bad value, that nothing unvalidated was sent back, no stack trace and no hang.
 */
import { join } from 'node:path';
import type net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeHeader, encodeInit, encodePosData } from '../../src/protocol/encoder.js';
import { expectCleanEnd, expectFault, freshDir, within, zeroConfig } from '../support/fault-checks.js';
import { DUMBBELLS, killAll, startCli } from '../support/processes.js';
import { scriptedServer, until } from '../support/scripted-server.js';

// The scenarios run concurrently (each has its own folder and socket, and a deadline on every
// process); whatever is still running when the file ends is killed.
afterAll(() => killAll());

const BOHR = 1.8897261; // i-PI's bohr per Å
const DUMBBELL_CONFIG = join(DUMBBELLS, 'driver.json');
const BOX = [40 * BOHR, 0, 0, 0, 40 * BOHR, 0, 0, 0, 40 * BOHR];
/** Two dumbbells (four sites) 12 Å apart, bohr. */
const SITES = [10, 10, 8, 10, 10, 12, 22, 10, 8, 22, 10, 12].map((x) => x * BOHR);
const INIT = encodeInit(0, ' ');
const STATUS = encodeHeader('STATUS');
const EXIT = encodeHeader('EXIT');
const forceReadyBytes = (n: number) => 12 + 8 + 4 + 24 * n + 72 + 4;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let zero = '';
beforeAll(() => {
  zero = zeroConfig(freshDir('fd'));
});

function posdata(positions: number[], h = BOX): Buffer {
  return encodePosData({ h, hInv: new Float64Array(9), positions: Float64Array.from(positions) }, { trailer: 'GETFORCE' });
}

/** Run `drive` (config `config`, default the zero one) against a one-connection scripted server. */
async function against(script: (s: net.Socket, got: () => Buffer) => Promise<void>, config?: string, extra: string[] = [], boundMs = 10_000) {
  const srv = await scriptedServer(script);
  const started = startCli(['drive', '--config', config ?? zero, '-u', '-a', 'x', '-S', srv.prefix, ...extra], { timeoutMs: boundMs + 5000 });
  const r = await within(started, boundMs);
  const received = await srv.finished;
  srv.close();
  return { ...r, received };
}

/** A POSDATA whose N field (after header, cell, inverse cell) reads `n`. */
function withAtomCount(n: number): Buffer {
  const b = posdata([1, 2, 3]);
  b.writeInt32LE(n, 12 + 72 + 72);
  return b;
}

describe.concurrent('fault suite: the i-PI protocol seen by `anisodrive drive`', () => {
  it('F01 split headers: every header byte in its own write is served; exit 0 on EXIT', async () => {
    const r = await against(async (s, got) => {
      const bytes = Buffer.concat([STATUS, INIT, STATUS, posdata([1, 2, 3])]);
      for (let i = 0; i < bytes.length; i += i < 12 || (i >= 24 && i < 60) ? 1 : 9) {
        s.write(bytes.subarray(i, i < 12 || (i >= 24 && i < 60) ? i + 1 : i + 9));
        await sleep(1);
      }
      await until(got, 24 + forceReadyBytes(1));
      for (const b of EXIT) s.write(Buffer.of(b));
    });
    expectCleanEnd(r, 'server sent EXIT after 1 force evaluations');
    expect(r.received.subarray(0, 24).toString('latin1')).toBe('NEEDINIT    READY       ');
    expect(r.received.subarray(24, 36).toString('latin1')).toBe('FORCEREADY  ');
    expect(r.received.length).toBe(24 + forceReadyBytes(1));
  });

  it('F02 garbage header: binary bytes where a header belongs; exit 1 E_PROTOCOL naming them escaped', async () => {
    const r = await against(async (s) => void s.write(Buffer.from([0xff, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10])));
    expectFault(r, 1, 'unknown header "\\xff\\x00\\x01\\x02\\x03\\x04\\x05\\x06\\x07\\x08\\x09\\x0a" from the server; expected one of STATUS, INIT, POSDATA, GETFORCE, EXIT [E_PROTOCOL]');
    expect(r.received.length).toBe(0);
  });

  it('F03 unknown header: "HELLO" is exit 1 E_PROTOCOL naming it and the expected set', async () => {
    const r = await against(async (s) => void s.write(Buffer.from('HELLO       ', 'latin1')));
    expectFault(r, 1, 'unknown header "HELLO       " from the server; expected one of STATUS, INIT, POSDATA, GETFORCE, EXIT [E_PROTOCOL]');
    expect(r.received.length).toBe(0);
  });

  it('F04 death mid-message: the server closes after 50 bytes of a POSDATA; exit 1 E_TRANSPORT naming the byte count', async () => {
    const r = await against(async (s) => {
      s.write(Buffer.concat([INIT, posdata([1, 2, 3]).subarray(0, 50)]));
      await sleep(100);
      s.end();
    });
    expectFault(r, 1, 'server closed the connection mid-message after 50 of at least 160 bytes of POSDATA [E_TRANSPORT]');
    expect(r.received.length).toBe(0);
  });

  it('F05 wrong natoms: 3 sites for a dumbbell mapping; exit 1 E_SIZE naming the count, nothing sent', async () => {
    const r = await against(async (s) => void s.write(Buffer.concat([INIT, posdata(SITES.slice(0, 9))])), DUMBBELL_CONFIG);
    expectFault(r, 1, 'dumbbell mapping expects a multiple of 2 sites (2 consecutive sites per ellipsoid), got 3 [E_SIZE]');
    expect(r.received.length).toBe(0);
  });

  it('F06 changing natoms: N = 1 then N = 2 is served (the change logged); exit 0', async () => {
    const r = await against(
      async (s, got) => {
        s.write(Buffer.concat([INIT, posdata([1, 2, 3])]));
        await until(got, forceReadyBytes(1));
        s.write(posdata([1, 2, 3, 4, 5, 6]));
        await until(got, forceReadyBytes(1) + forceReadyBytes(2));
        s.write(EXIT);
      },
      undefined,
      ['-v', 'medium'],
    );
    expectCleanEnd(r, 'atom count changed from 1 to 2');
    expect(r.stderr).toContain('server sent EXIT after 2 force evaluations');
    expect(r.received.length).toBe(forceReadyBytes(1) + forceReadyBytes(2));
  });

  it('F07 zero natoms: N = 0 is served with an empty FORCEREADY; exit 0', async () => {
    const r = await against(async (s, got) => {
      s.write(Buffer.concat([INIT, posdata([])]));
      await until(got, forceReadyBytes(0));
      s.write(EXIT);
    }, DUMBBELL_CONFIG);
    expectCleanEnd(r, 'server sent EXIT after 1 force evaluations');
    expect(r.received.length).toBe(forceReadyBytes(0));
    expect(r.received.readInt32LE(20)).toBe(0);
  });

  it('F08 huge natoms: N = 2e9 is exit 1 E_PROTOCOL naming N and the bound, at once (nothing allocated)', async () => {
    const r = await against(async (s) => void s.write(Buffer.concat([INIT, withAtomCount(2_000_000_000)])));
    expectFault(r, 1, 'POSDATA announces N = 2000000000 atoms; allowed 0 ≤ N ≤ 99999999 (stream desynchronised?) [E_PROTOCOL]');
    expect(r.ms).toBeLessThan(5000);
    expect(r.received.length).toBe(0);
  });

  it('F09 negative natoms: N = −5 is exit 1 E_PROTOCOL naming N', async () => {
    const r = await against(async (s) => void s.write(Buffer.concat([INIT, withAtomCount(-5)])));
    expectFault(r, 1, 'POSDATA announces N = -5 atoms; allowed 0 ≤ N ≤ 99999999');
    expect(r.received.length).toBe(0);
  });

  it('F10 NaN position: exit 1 E_NONFINITE naming the site and its position in Å, nothing sent', async () => {
    const p = SITES.slice();
    p[4] = NaN;
    const r = await against(async (s) => void s.write(Buffer.concat([INIT, posdata(p)])), DUMBBELL_CONFIG);
    expectFault(r, 1, /site 1 is at \(10\.00, NaN, 12\.00\) Å, not finite: .* \[E_NONFINITE\]/);
    expect(r.received.length).toBe(0);
  });

  it('F11 Inf position: exit 1 E_NONFINITE naming the site and its position in Å, nothing sent', async () => {
    const p = SITES.slice();
    p[6] = Infinity;
    const r = await against(async (s) => void s.write(Buffer.concat([INIT, posdata(p)])), DUMBBELL_CONFIG);
    expectFault(r, 1, /site 2 is at \(Infinity, 10\.00, 8\.000\) Å, not finite/);
    expect(r.received.length).toBe(0);
  });

  it('F12 NaN cell: exit 1 E_NONFINITE naming the cell entry, nothing sent', async () => {
    const h = BOX.slice();
    h[4] = NaN;
    const r = await against(async (s) => void s.write(Buffer.concat([INIT, posdata(SITES, h)])), DUMBBELL_CONFIG);
    expectFault(r, 1, 'server sent cell entry h[1][1] = NaN (POSDATA) [E_NONFINITE]');
    expect(r.received.length).toBe(0);
  });

  it('F13 Inf cell: exit 1 E_NONFINITE naming the cell entry, nothing sent', async () => {
    const h = BOX.slice();
    h[0] = -Infinity;
    const r = await against(async (s) => void s.write(Buffer.concat([INIT, posdata(SITES, h)])), DUMBBELL_CONFIG);
    expectFault(r, 1, 'server sent cell entry h[0][0] = -Infinity (POSDATA) [E_NONFINITE]');
    expect(r.received.length).toBe(0);
  });

  it('F14 coincident sites: a dumbbell with both sites at one point is exit 1 E_MAPPING naming the sites', async () => {
    const p = SITES.slice();
    p.splice(3, 3, p[0]!, p[1]!, p[2]!);
    const r = await against(async (s) => void s.write(Buffer.concat([INIT, posdata(p)])), DUMBBELL_CONFIG);
    expectFault(r, 1, 'dumbbell mapping: ellipsoid 0 has coincident sites 0, 1 (separation 0 Å ≤ minLength 0.000001 Å); its axis is undefined [E_MAPPING]');
    expect(r.received.length).toBe(0);
  });

  it('F15 coincident particles: two dumbbells on top of each other are exit 1 E_NONFINITE (overlap), nothing sent', async () => {
    const p = SITES.slice();
    p.splice(6, 6, ...p.slice(0, 6));
    const r = await against(async (s) => void s.write(Buffer.concat([INIT, posdata(p)])), DUMBBELL_CONFIG);
    expectFault(r, 1, 'gayberne: energy is NaN (overlapping ellipsoids with h12 + gamma*sigma <= 0?) [E_NONFINITE]');
    expect(r.received.length).toBe(0);
  });

  it('F16 slow server: 1 s pauses, one inside a header, are waited for; exit 0', async () => {
    const r = await against(async (s, got) => {
      s.write(INIT);
      await sleep(1000);
      const pd = posdata([1, 2, 3]);
      s.write(pd.subarray(0, 5));
      await sleep(1000);
      s.write(pd.subarray(5));
      await until(got, forceReadyBytes(1));
      s.write(EXIT);
    });
    expectCleanEnd(r, 'server sent EXIT after 1 force evaluations');
    expect(r.ms).toBeGreaterThan(1900);
  });

  it('F17 EXIT first: EXIT before anything else is a clean end after 0 steps; exit 0', async () => {
    const r = await against(async (s) => void s.write(EXIT));
    expectCleanEnd(r, 'server sent EXIT after 0 force evaluations');
    expect(r.received.length).toBe(0);
  });

  it('F18 GETFORCE first: GETFORCE with no POSDATA pending is exit 1 E_PROTOCOL, nothing sent', async () => {
    const r = await against(async (s) => void s.write(Buffer.concat([INIT, encodeHeader('GETFORCE')])));
    expectFault(r, 1, 'server sent GETFORCE with no POSDATA pending (expected POSDATA first) [E_PROTOCOL]');
    expect(r.received.length).toBe(0);
  });

  it('F19 batched INIT: batch_size:4 is exit 1 E_PROTOCOL naming the INIT and the fix', async () => {
    const r = await against(async (s) => void s.write(encodeInit(0, 'batch_size:4')));
    expectFault(r, 1, 'server announced batch_size:4 in INIT "batch_size:4": the batched protocol is not supported; use batch_size 1');
  });

  it('F20 huge INIT string: a 2 GiB string length is exit 1 E_PROTOCOL naming the length, at once', async () => {
    const init = encodeInit(0, ' ');
    init.writeInt32LE(2 ** 31 - 1, 12 + 4);
    const r = await against(async (s) => void s.write(init.subarray(0, 20)));
    expectFault(r, 1, /2147483647/);
    expect(r.stderr).toMatch(/E_PROTOCOL/);
    expect(r.ms).toBeLessThan(5000);
  });

  it('F21 EOF before the first message (a server refusing this driver): exit 1 E_TRANSPORT asking about another driver', async () => {
    const r = await against(async (s) => void s.end());
    expectFault(r, 1, 'anisodrive: error: the server closed the connection before sending anything (is another driver already connected?) [E_TRANSPORT]');
  });

  it('F22 EOF between messages after a step (ASE\'s normal end): exit 0', async () => {
    const r = await against(async (s, got) => {
      s.write(Buffer.concat([INIT, posdata([1, 2, 3])]));
      await until(got, forceReadyBytes(1));
      s.end();
    });
    expectCleanEnd(r, 'anisodrive drive: server closed the connection after 1 force evaluations');
  });
});
