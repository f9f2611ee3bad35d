// SPDX-License-Identifier: BSD-3-Clause
/**
 * The driver's steady-state step path over a real unix socket (runDriver, static read buffer):
 * the provider is handed the same system object and arrays while N is unchanged (new positions
 * when N changes), every read lands in one buffer, and hundreds of steps construct no typed array,
 * ArrayBuffer or Buffer in JavaScript. Counts, not timings.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ForceResult, ParticleSystem } from '../../src/core/system.js';
import { IPI_UNITS } from '../../src/core/units.js';
import { IpiDecoder } from '../../src/protocol/decoder.js';
import { encodeHeader, encodeInit, encodePosData } from '../../src/protocol/encoder.js';
import { runDriver } from '../../src/protocol/run-driver.js';

const dir = mkdtempSync(join(tmpdir(), 'ad-step-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CUBE = [20, 0, 0, 0, 20, 0, 0, 0, 20];

/** POSDATA + GETFORCE + STATUS for `n` atoms in one buffer (positions shifted by `shift`, bohr). */
function request(n: number, shift: number): Buffer {
  const positions = Float64Array.from({ length: 3 * n }, (_, k) => 0.01 * k + shift);
  return Buffer.concat([encodePosData({ h: CUBE, hInv: new Float64Array(9), positions }, { trailer: 'GETFORCE' }), encodeHeader('STATUS')]);
}

/**
 * Counting stand-ins for the global constructors the library's code calls. Allocations made by
 * the test runner itself (vitest's messages to its parent process, which arrive at any time) are
 * not counted: each allocation's stack is kept and those through `node_modules/vitest` are left out.
 */
function countAllocations(): { count: () => number; restore: () => void } {
  const seen: Error[] = [];
  const count = { valueOf: () => seen.filter((e) => !/node_modules[\\/]vitest[\\/]/.test(e.stack ?? '')).length };
  const g = globalThis as unknown as Record<string, unknown>;
  const saved = { Float64Array, Int32Array, Uint8Array, ArrayBuffer };
  const counting = <T extends new (...a: never[]) => object>(Base: T): T =>
    class extends (Base as new (...a: unknown[]) => object) {
      constructor(...a: unknown[]) {
        super(...a);
        seen.push(new Error());
      }
    } as unknown as T;
  for (const [name, Base] of Object.entries(saved)) g[name] = counting(Base as new (...a: never[]) => object);
  const bufferStatics = ['alloc', 'allocUnsafe', 'allocUnsafeSlow', 'from', 'concat'] as const;
  const savedBuffer = bufferStatics.map((k) => Buffer[k]);
  bufferStatics.forEach((k, i) => {
    const original = savedBuffer[i] as (...a: unknown[]) => unknown;
    (Buffer as unknown as Record<string, unknown>)[k] = (...a: unknown[]) => {
      seen.push(new Error());
      return original.apply(Buffer, a);
    };
  });
  return {
    count: () => Number(count),
    restore: () => {
      for (const [name, Base] of Object.entries(saved)) g[name] = Base;
      bufferStatics.forEach((k, i) => ((Buffer as unknown as Record<string, unknown>)[k] = savedBuffer[i]));
    },
  };
}

describe('driver step path (real unix socket, static read buffer)', () => {
  it('reuses the system and its arrays while N is unchanged and allocates nothing in JavaScript per step', async () => {
    const N = 200;
    const STEPS = 400;
    const FROM = 100; // steps before counting (warm-up, first-N allocations)
    const TO = 380;
    const result: ForceResult = { energy: -1, forces: new Float64Array(3 * N), torques: null, virial: new Float64Array(9), extras: {} };
    const small: ForceResult = { energy: 0, forces: new Float64Array(3 * 5), torques: null, virial: new Float64Array(9), extras: {} };
    const systems: ParticleSystem[] = new Array(STEPS + 1);
    const positions: Float64Array[] = new Array(STEPS + 1);
    const firstX = new Float64Array(STEPS + 1);
    let calls = 0;
    let counter: ReturnType<typeof countAllocations> | null = null;
    let allocated = -1;
    const provider = {
      compute(s: ParticleSystem): ForceResult {
        if (calls === FROM) counter = countAllocations();
        if (calls === TO) {
          allocated = counter!.count();
          counter!.restore();
        }
        systems[calls] = s;
        positions[calls] = s.positions;
        firstX[calls] = s.positions[0]!;
        calls++;
        return s.n === N ? result : small;
      },
    };
    // Which buffers the driver's reads arrive in.
    const buffers = new Set<ArrayBufferLike>();
    const original = IpiDecoder.prototype.pushTransient;
    IpiDecoder.prototype.pushTransient = function (this: IpiDecoder, chunk: Uint8Array) {
      buffers.add(chunk.buffer);
      return original.call(this, chunk);
    };

    const path = join(dir, 's');
    const requests = [request(N, 0), request(N, 1)];
    const last = request(5, 0);
    const replyBytes = 24 + 24 * N + 76 + 12; // FORCEREADY + READY
    const server = net.createServer((sock) => {
      let got = 0;
      let sent = 0;
      sock.on('data', (chunk: Buffer) => {
        got += chunk.length;
        if (got < replyBytes) return;
        got -= replyBytes;
        sent++;
        if (sent < STEPS) sock.write(requests[sent % 2]!);
        else if (sent === STEPS) sock.end(Buffer.concat([last, encodeHeader('EXIT')]));
      });
      sock.write(Buffer.concat([encodeInit(0, ' '), requests[0]!]));
    });
    await new Promise<void>((resolve) => server.listen(path, resolve));
    try {
      const end = await runDriver({ mode: 'unix', address: path, prefix: '', provider });
      expect(end).toMatchObject({ reason: 'exit', steps: STEPS + 1 });
    } finally {
      IpiDecoder.prototype.pushTransient = original;
      counter?.restore();
      server.close();
    }
    expect(calls).toBe(STEPS + 1);
    expect(allocated).toBe(0);
    expect(buffers.size).toBe(1);
    for (let k = 1; k < STEPS; k++) {
      expect(systems[k]).toBe(systems[0]);
      expect(positions[k]).toBe(positions[0]);
    }
    // The values are each request's own (bohr → Å), not stale.
    expect(firstX[0]).toBe(0);
    expect(firstX[1]).toBe(1 * IPI_UNITS.bohrInAngstrom);
    expect(firstX[2]).toBe(0);
    // N changed: new positions.
    expect(positions[STEPS]).not.toBe(positions[0]);
    expect(positions[STEPS]!.length).toBe(15);
  });
});
