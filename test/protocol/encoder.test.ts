// SPDX-License-Identifier: BSD-3-Clause
import { describe, expect, it } from 'vitest';
import { IpiDecoder } from '../../src/protocol/decoder.js';
import { ForceReadyEncoder, encodeForceReady, encodeHeader, encodeInit, encodePosData, type HeaderOnly } from '../../src/protocol/encoder.js';
import type { IpiMessage } from '../../src/protocol/messages.js';

function decodeAll(from: 'server' | 'client', bytes: Buffer): IpiMessage[] {
  const out: IpiMessage[] = [];
  const dec = new IpiDecoder({ from, onMessage: (m: IpiMessage) => out.push(m) });
  dec.push(bytes);
  dec.finish();
  return out;
}

describe('encoder byte layouts', () => {
  it('pads headers with spaces to 12 bytes, upper case', () => {
    for (const w of ['STATUS', 'GETFORCE', 'EXIT', 'READY', 'NEEDINIT', 'HAVEDATA'] as HeaderOnly[]) {
      const b = encodeHeader(w);
      expect(b.length).toBe(12);
      expect(b.toString('latin1')).toBe(w.padEnd(12, ' '));
    }
    expect(() => encodeHeader('INIT' as HeaderOnly)).toThrow("'INIT' is not a header-only message");
    expect(() => encodeHeader('toString' as HeaderOnly)).toThrow('not a header-only message');
  });

  it('writes INIT as header, rid, length, bytes', () => {
    const b = encodeInit(5, 'ab');
    expect(b.toString('latin1', 0, 12)).toBe('INIT        ');
    expect(b.readInt32LE(12)).toBe(5);
    expect(b.readInt32LE(16)).toBe(2);
    expect(b.toString('latin1', 20)).toBe('ab');
    expect(b.length).toBe(22);
    const ase = encodeInit(0, Buffer.from([0]));
    expect(Array.from(ase.subarray(12))).toEqual([0, 0, 0, 0, 1, 0, 0, 0, 0]);
    expect(() => encodeInit(2 ** 31, '')).toThrow('INIT rid must be an int32');
  });

  it('writes POSDATA with scaled positions and an optional trailer in the same buffer', () => {
    const h = [1, 2, 3, 4, 5, 6, 7, 8, 9];
    const hInv = [9, 8, 7, 6, 5, 4, 3, 2, 1];
    const b = encodePosData({ h, hInv, positions: [1, 2, 3, 4, 5, 6] }, { positionScale: 2, trailer: 'GETFORCE' });
    expect(b.length).toBe(12 + 148 + 48 + 12);
    expect(b.toString('latin1', 0, 12)).toBe('POSDATA     ');
    for (let k = 0; k < 9; k++) {
      expect(b.readDoubleLE(12 + 8 * k)).toBe(h[k]);
      expect(b.readDoubleLE(84 + 8 * k)).toBe(hInv[k]);
    }
    expect(b.readInt32LE(156)).toBe(2);
    for (let k = 0; k < 6; k++) expect(b.readDoubleLE(160 + 8 * k)).toBe(2 * (k + 1));
    expect(b.toString('latin1', 208)).toBe('GETFORCE    ');
    const legacy = encodePosData({ h, hInv, positions: [] }, { trailer: 'STATUS' });
    expect(legacy.toString('latin1', 160)).toBe('STATUS      ');
    expect(() => encodePosData({ h: [1], hInv, positions: [] })).toThrow('9 numbers');
    expect(() => encodePosData({ h, hInv, positions: [1, 2] })).toThrow('not a multiple of 3');
  });

  it('writes FORCEREADY with scales, always the extras length, and extras bytes', () => {
    const forces = Float64Array.of(1, 2, 3);
    const virial = Float64Array.of(1, 2, 3, 4, 5, 6, 7, 8, 9);
    const b = encodeForceReady({ energy: 3, forces, virial }, { energy: 2, force: 3, virial: 4 });
    expect(b.length).toBe(12 + 12 + 24 + 76);
    expect(b.toString('latin1', 0, 12)).toBe('FORCEREADY  ');
    expect(b.readDoubleLE(12)).toBe(6);
    expect(b.readInt32LE(20)).toBe(1);
    expect([b.readDoubleLE(24), b.readDoubleLE(32), b.readDoubleLE(40)]).toEqual([3, 6, 9]);
    for (let k = 0; k < 9; k++) expect(b.readDoubleLE(48 + 8 * k)).toBe(4 * (k + 1));
    expect(b.readInt32LE(120)).toBe(0);
    const e = encodeForceReady({ energy: 0, forces: [], virial, extras: '{"é":1}' });
    expect(e.readInt32LE(12 + 12 + 72)).toBe(Buffer.byteLength('{"é":1}'));
    expect(e.toString('utf8', 12 + 12 + 76)).toBe('{"é":1}');
    expect(() => encodeForceReady({ energy: 0, forces: [1], virial })).toThrow('not a multiple of 3');
    expect(() => encodeForceReady({ energy: 0, forces: [], virial: [1] })).toThrow('virial needs 9 numbers');
    expect(() => encodeForceReady({ energy: 0, forces: [], virial, extras: {} as unknown as string })).toThrow('string or bytes');
  });

  it('keeps preallocated header buffers intact across encodes', () => {
    encodePosData({ h: new Float64Array(9), hInv: new Float64Array(9), positions: [] }, { trailer: 'STATUS' });
    expect(encodeHeader('STATUS').toString('latin1')).toBe('STATUS      ');
  });
});

describe('encoder ↔ decoder round trips', () => {
  it('round-trips random POSDATA and FORCEREADY of many sizes bit for bit', () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 16807) % 2147483647), (seed / 2147483647 - 0.5) * 1e3);
    for (const n of [0, 1, 2, 17, 1000]) {
      const h = Float64Array.from({ length: 9 }, rand);
      const hInv = Float64Array.from({ length: 9 }, rand);
      const positions = Float64Array.from({ length: 3 * n }, rand);
      const [pos] = decodeAll('server', encodePosData({ h, hInv, positions }));
      expect(pos).toEqual({ type: 'POSDATA', n, h, hInv, positions });
      const forces = Float64Array.from({ length: 3 * n }, rand);
      const virial = Float64Array.from({ length: 9 }, rand);
      const energy = rand();
      const [fr] = decodeAll('client', encodeForceReady({ energy, forces, virial, extras: n % 2 ? '{"n":1}' : '' }));
      expect(fr).toEqual({ type: 'FORCEREADY', energy, n, forces, virial, extras: n % 2 ? '{"n":1}' : '' });
    }
  });

  it('round-trips special doubles exactly', () => {
    const special = Float64Array.of(-0, 5e-324, Number.MAX_VALUE, -Number.MIN_VALUE, 1 / 3, NaN, Infinity, -Infinity, 1e-310);
    const [m] = decodeAll('server', encodePosData({ h: special, hInv: special, positions: special }));
    expect(m!.type === 'POSDATA' && Object.is(m.positions[0], -0)).toBe(true);
    expect(m).toEqual({ type: 'POSDATA', n: 3, h: special, hInv: special, positions: special });
  });

  it('round-trips INIT strings, including NUL and multi-byte UTF-8', () => {
    for (const s of ['', ' ', '\0', ' a : 1 , b : x , ', '  batch_size:4', 'ünï ✓ 😀']) {
      expect(decodeAll('server', encodeInit(9, s))).toEqual([{ type: 'INIT', rid: 9, init: s }]);
    }
  });
});

describe('ForceReadyEncoder (the driver’s kept reply buffer)', () => {
  const w = [1, 2, 3, 4, 5, 6, 7, 8, 9];
  const scales = { energy: 0.5, force: 0.25, virial: 2 };

  it('writes the bytes encodeForceReady writes, into the same buffer while the size is unchanged', () => {
    const enc = new ForceReadyEncoder();
    const f1 = Float64Array.from([1, -2, 3, 4.5, -5.5, 6e-12]);
    const f2 = Float64Array.from([7, 8, -9, 1e300, -0, 0.1]);
    const a = enc.encode({ energy: -1.5, forces: f1, virial: w }, scales);
    expect(Buffer.compare(a, encodeForceReady({ energy: -1.5, forces: f1, virial: w }, scales))).toBe(0);
    const b = enc.encode({ energy: 3, forces: f2, virial: w }, scales);
    expect(b).toBe(a);
    expect(Buffer.compare(b, encodeForceReady({ energy: 3, forces: f2, virial: w }, scales))).toBe(0);
  });

  it('uses a new buffer when N or the extras length changes, or when reuse is refused (a write still pending)', () => {
    const enc = new ForceReadyEncoder();
    const a = enc.encode({ energy: 0, forces: [1, 2, 3], virial: w });
    const b = enc.encode({ energy: 0, forces: [1, 2, 3, 4, 5, 6], virial: w });
    expect(b).not.toBe(a);
    const c = enc.encode({ energy: 0, forces: [1, 2, 3, 4, 5, 6], virial: w, extras: '{"a":1}' });
    expect(c).not.toBe(b);
    expect(Buffer.compare(c, encodeForceReady({ energy: 0, forces: [1, 2, 3, 4, 5, 6], virial: w, extras: '{"a":1}' }))).toBe(0);
    const before = Buffer.from(c);
    const d = enc.encode({ energy: 9, forces: [6, 5, 4, 3, 2, 1], virial: w, extras: '{"b":2}' }, {}, false);
    expect(d).not.toBe(c);
    expect(Buffer.compare(c, before)).toBe(0); // the pending buffer was left alone
    expect(enc.encode({ energy: 9, forces: [6, 5, 4, 3, 2, 1], virial: w, extras: '{"b":2}' })).toBe(d);
  });

  it('validates like encodeForceReady', () => {
    const enc = new ForceReadyEncoder();
    expect(() => enc.encode({ energy: 0, forces: [1, 2], virial: w })).toThrow('not a multiple of 3');
    expect(() => enc.encode({ energy: 0, forces: [1, 2, 3], virial: [1] })).toThrow('virial needs 9 numbers');
  });
});
