// SPDX-License-Identifier: BSD-3-Clause
import { describe, expect, it } from 'vitest';
import { AnisoError } from '../../src/core/errors.js';
import { IpiDecoder, escapeBytes } from '../../src/protocol/decoder.js';
import { encodeForceReady, encodeHeader, encodeInit, encodePosData } from '../../src/protocol/encoder.js';
import type { ClientMessage, IpiMessage, ServerMessage } from '../../src/protocol/messages.js';

/** A POSDATA built by hand with a DataView, independently of the encoder. */
function handPosData(h: number[], hInv: number[], positions: number[]): Buffer {
  const n = positions.length / 3;
  const buf = Buffer.alloc(12 + 148 + 24 * n);
  buf.write('POSDATA     ', 0, 'latin1');
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.length);
  h.forEach((x, k) => dv.setFloat64(12 + 8 * k, x, true));
  hInv.forEach((x, k) => dv.setFloat64(84 + 8 * k, x, true));
  dv.setInt32(156, n, true);
  positions.forEach((x, k) => dv.setFloat64(160 + 8 * k, x, true));
  return buf;
}

const H = [10, 1, 2, 0, 11, 3, 0, 0, 12];
const HINV = [0.1, -0.01, 0.2, 0, 0.09, 0.3, 0, 0, 0.08];
const POS = [0.5, -1.25, 2, 3.5, 4, -5.75, 1e-300, -0, 7];

function serverMessages(): Array<{ bytes: Buffer; message: ServerMessage }> {
  return [
    { bytes: encodeHeader('STATUS'), message: { type: 'STATUS' } },
    { bytes: encodeInit(3, ' a : 1 , '), message: { type: 'INIT', rid: 3, init: ' a : 1 , ' } },
    { bytes: encodeInit(0, Buffer.from([0])), message: { type: 'INIT', rid: 0, init: '\0' } },
    { bytes: encodeInit(-7, ''), message: { type: 'INIT', rid: -7, init: '' } },
    { bytes: encodeInit(1, 'ünï ✓'), message: { type: 'INIT', rid: 1, init: 'ünï ✓' } },
    {
      bytes: handPosData(H, HINV, POS),
      message: {
        type: 'POSDATA',
        n: 3,
        h: Float64Array.from(H),
        hInv: Float64Array.from(HINV),
        positions: Float64Array.from(POS),
      },
    },
    {
      bytes: encodePosData({ h: H, hInv: HINV, positions: [] }),
      message: { type: 'POSDATA', n: 0, h: Float64Array.from(H), hInv: Float64Array.from(HINV), positions: new Float64Array(0) },
    },
    { bytes: encodeHeader('GETFORCE'), message: { type: 'GETFORCE' } },
    { bytes: encodeHeader('EXIT'), message: { type: 'EXIT' } },
  ];
}

function clientMessages(): Array<{ bytes: Buffer; message: ClientMessage }> {
  const f = [1, -2, 3, 4.5, -5.5, 6e-12];
  const w = [1, 2, 3, 4, 5, 6, 7, 8, 9];
  return [
    { bytes: encodeHeader('READY'), message: { type: 'READY' } },
    { bytes: encodeHeader('NEEDINIT'), message: { type: 'NEEDINIT' } },
    { bytes: encodeHeader('HAVEDATA'), message: { type: 'HAVEDATA' } },
    {
      bytes: encodeForceReady({ energy: -1.5, forces: f, virial: w }),
      message: { type: 'FORCEREADY', energy: -1.5, n: 2, forces: Float64Array.from(f), virial: Float64Array.from(w), extras: '' },
    },
    {
      bytes: encodeForceReady({ energy: 2, forces: [], virial: w, extras: '{"dipole": [1, 2, 3]}' }),
      message: { type: 'FORCEREADY', energy: 2, n: 0, forces: new Float64Array(0), virial: Float64Array.from(w), extras: '{"dipole": [1, 2, 3]}' },
    },
  ];
}

function decodeChunks(from: 'server' | 'client', chunks: Uint8Array[]): IpiMessage[] {
  const out: IpiMessage[] = [];
  const dec = new IpiDecoder({ from, onMessage: (m: IpiMessage) => out.push(m) });
  for (const c of chunks) dec.push(c);
  dec.finish();
  expect(dec.atBoundary).toBe(true);
  return out;
}

/**
 * Decode through pushTransient as a static-read socket delivers bytes: every chunk is copied into
 * one read buffer, pushed, and the buffer is then overwritten with garbage before the next read.
 */
function decodeTransient(from: 'server' | 'client', chunks: Uint8Array[]): IpiMessage[] {
  const out: IpiMessage[] = [];
  const dec = new IpiDecoder({ from, onMessage: (m: IpiMessage) => out.push(m) });
  const read = Buffer.alloc(Math.max(1, ...chunks.map((c) => c.length)));
  for (const c of chunks) {
    read.set(c);
    dec.pushTransient(read.subarray(0, c.length));
    read.fill(0xee);
  }
  dec.finish();
  expect(dec.atBoundary).toBe(true);
  return out;
}

function catchError(f: () => void): AnisoError {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(AnisoError);
    return err as AnisoError;
  }
  throw new Error('expected an error');
}

describe.each([
  ['server', serverMessages, 'push'],
  ['client', clientMessages, 'push'],
  // As a static-read socket delivers bytes: one read buffer, overwritten after every push.
  ['server', serverMessages, 'pushTransient'],
  ['client', clientMessages, 'pushTransient'],
] as const)('IpiDecoder for messages from the %s (%s)', (from, samples, how) => {
  const decode = (chunks: Uint8Array[]) => (how === 'push' ? decodeChunks(from, chunks) : decodeTransient(from, chunks));
  const feed = (dec: IpiDecoder, bytes: Uint8Array) => {
    if (how === 'push') return dec.push(bytes);
    const read = Buffer.from(bytes);
    dec.pushTransient(read);
    read.fill(0xee);
  };
  it('decodes each message in one chunk', () => {
    for (const { bytes, message } of samples()) expect(decode([bytes])).toEqual([message]);
  });

  it('decodes each message split at every byte position', () => {
    for (const { bytes, message } of samples()) {
      for (let k = 0; k <= bytes.length; k++) {
        expect(decode([bytes.subarray(0, k), bytes.subarray(k)])).toEqual([message]);
      }
    }
  });

  it('decodes each message fed one byte at a time', () => {
    for (const { bytes, message } of samples()) {
      const chunks = Array.from({ length: bytes.length }, (_, i) => bytes.subarray(i, i + 1));
      expect(decode(chunks)).toEqual([message]);
    }
  });

  it('decodes several concatenated messages, split anywhere', () => {
    const all = samples();
    const stream = Buffer.concat(all.map((s) => s.bytes));
    const expected = all.map((s) => s.message);
    expect(decode([stream])).toEqual(expected);
    for (let k = 0; k <= stream.length; k++) {
      expect(decode([stream.subarray(0, k), stream.subarray(k)])).toEqual(expected);
    }
    // Three-way splits at a deterministic pseudo-random sample of positions.
    let seed = 12345;
    const rand = (m: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % m);
    for (let t = 0; t < 300; t++) {
      const a = rand(stream.length + 1);
      const b = a + rand(stream.length + 1 - a);
      const chunks = [stream.subarray(0, a), stream.subarray(a, b), stream.subarray(b)];
      expect(decode(chunks)).toEqual(expected);
    }
  });

  it('reads chunks at odd byte offsets and from plain Uint8Arrays', () => {
    for (const { bytes, message } of samples()) {
      const odd = Buffer.concat([Buffer.from([0xff]), bytes]).subarray(1);
      expect(odd.byteOffset % 8).not.toBe(0);
      expect(decode([odd])).toEqual([message]);
      const plain = new Uint8Array(bytes.length + 3).subarray(3);
      plain.set(bytes);
      expect(decode([plain])).toEqual([message]);
    }
  });

  it('reports a truncated message at the end of the stream', () => {
    for (const { bytes } of samples()) {
      for (let k = 1; k < bytes.length; k++) {
        const dec = new IpiDecoder({ from, onMessage: () => {} });
        feed(dec, bytes.subarray(0, k));
        expect(dec.atBoundary).toBe(false);
        expect(dec.pendingBytes).toBe(k);
        const err = catchError(() => dec.finish());
        expect(err.code).toBe('E_TRANSPORT');
        expect(err.message).toContain(`mid-message after ${k} of `);
      }
    }
  });
});

describe('IpiDecoder details', () => {
  it('names message, size and N when a POSDATA is cut short', () => {
    const bytes = encodePosData({ h: H, hInv: HINV, positions: new Float64Array(30) });
    const dec = new IpiDecoder({ from: 'server', onMessage: () => {} });
    dec.push(bytes.subarray(0, 200));
    expect(() => dec.finish()).toThrow('server closed the connection mid-message after 200 of 400 bytes of POSDATA (N = 10)');
    const early = new IpiDecoder({ from: 'server', onMessage: () => {} });
    early.push(bytes.subarray(0, 20));
    expect(() => early.finish()).toThrow('after 20 of at least 160 bytes of POSDATA');
    const hdr = new IpiDecoder({ from: 'client', onMessage: () => {} });
    hdr.push(Buffer.from('FORCE'));
    expect(() => hdr.finish()).toThrow('driver closed the connection mid-message after 5 of 12 bytes of a header');
  });

  it('refuses unknown headers, naming the 12 bytes seen', () => {
    const dec = new IpiDecoder({ from: 'server', onMessage: () => {} });
    const err = catchError(() => dec.push(Buffer.from('HELLO\0\0\0\0\0\0\x07', 'latin1')));
    expect(err.code).toBe('E_PROTOCOL');
    expect(err.message).toBe(
      'unknown header "HELLO\\x00\\x00\\x00\\x00\\x00\\x00\\x07" from the server; expected one of STATUS, INIT, POSDATA, GETFORCE, EXIT',
    );
    // The decoder is dead afterwards.
    expect(() => dec.push(encodeHeader('STATUS'))).toThrow(err.message);
  });

  it('explains lower case, NUL padding and headers of the other direction', () => {
    const lower = catchError(() => new IpiDecoder({ from: 'server', onMessage: () => {} }).push(Buffer.from('status      ')));
    expect(lower.message).toContain('"status      "');
    expect(lower.message).toContain('upper case and padded with spaces');
    const nul = catchError(() => new IpiDecoder({ from: 'client', onMessage: () => {} }).push(Buffer.from('READY\0\0\0\0\0\0\0', 'latin1')));
    expect(nul.message).toContain('"READY\\x00');
    expect(nul.message).toContain('padded with spaces');
    const wrong = catchError(() => new IpiDecoder({ from: 'server', onMessage: () => {} }).push(encodeHeader('READY')));
    expect(wrong.message).toContain('"READY       "');
    expect(wrong.message).toContain('READY is sent by a driver, not by a server');
    const wrong2 = catchError(() => new IpiDecoder({ from: 'client', onMessage: () => {} }).push(encodeHeader('GETFORCE')));
    expect(wrong2.message).toContain('GETFORCE is sent by a server, not by a driver');
  });

  it('emits the messages before a bad header, then fails', () => {
    const seen: string[] = [];
    const dec = new IpiDecoder({ from: 'server', onMessage: (m) => seen.push(m.type) });
    const err = catchError(() => dec.push(Buffer.concat([encodeHeader('STATUS'), encodeHeader('GETFORCE'), Buffer.from('garbage!garbage!')])));
    expect(err.code).toBe('E_PROTOCOL');
    expect(seen).toEqual(['STATUS', 'GETFORCE']);
  });

  it('bounds N and string lengths', () => {
    const neg = encodePosData({ h: H, hInv: HINV, positions: [] });
    neg.writeInt32LE(-5, 156);
    expect(catchError(() => new IpiDecoder({ from: 'server', onMessage: () => {} }).push(neg)).message).toBe(
      'POSDATA announces N = -5 atoms; allowed 0 ≤ N ≤ 99999999 (stream desynchronised?)',
    );
    const big = encodePosData({ h: H, hInv: HINV, positions: [1, 2, 3, 4, 5, 6] });
    expect(catchError(() => new IpiDecoder({ from: 'server', maxAtoms: 1, onMessage: () => {} }).push(big)).code).toBe('E_PROTOCOL');
    expect(() => new IpiDecoder({ from: 'server', maxAtoms: 2, onMessage: () => {} }).push(big)).not.toThrow();
    const init = encodeInit(0, 'x'.repeat(100));
    expect(catchError(() => new IpiDecoder({ from: 'server', maxStringBytes: 99, onMessage: () => {} }).push(init)).message).toContain(
      'INIT string length is 100 bytes; allowed 0 to 99',
    );
    const negInit = encodeInit(0, 'x');
    negInit.writeInt32LE(-1, 16);
    expect(catchError(() => new IpiDecoder({ from: 'server', onMessage: () => {} }).push(negInit)).code).toBe('E_PROTOCOL');
    const fr = encodeForceReady({ energy: 0, forces: [0, 0, 0], virial: new Float64Array(9), extras: 'abc' });
    expect(catchError(() => new IpiDecoder({ from: 'client', maxStringBytes: 2, onMessage: () => {} }).push(fr)).message).toContain(
      'FORCEREADY extras length is 3 bytes',
    );
    const frN = Buffer.from(fr);
    frN.writeInt32LE(-1, 20);
    expect(catchError(() => new IpiDecoder({ from: 'client', onMessage: () => {} }).push(frN)).message).toContain('FORCEREADY announces N = -1');
  });

  it('hands out arrays that do not alias the input chunks', () => {
    const bytes = handPosData(H, HINV, POS);
    const out: ServerMessage[] = [];
    new IpiDecoder({ from: 'server', onMessage: (m) => out.push(m) }).push(bytes);
    bytes.fill(0);
    const m = out[0]!;
    expect(m.type === 'POSDATA' && Array.from(m.positions)).toEqual(POS);
    expect(m.type === 'POSDATA' && Array.from(m.h)).toEqual(H);
  });

  it('stop() drops buffered input and ignores later chunks', () => {
    const seen: string[] = [];
    const dec = new IpiDecoder({
      from: 'server',
      onMessage: (m) => {
        seen.push(m.type);
        if (m.type === 'INIT') dec.stop();
      },
    });
    dec.push(Buffer.concat([encodeInit(0, ' '), encodeHeader('STATUS'), Buffer.from('garbage garbage')]));
    dec.push(encodeHeader('STATUS'));
    expect(seen).toEqual(['INIT']);
    expect(() => dec.finish()).not.toThrow();
  });

  it('validates its options', () => {
    expect(() => new IpiDecoder({ from: 'both' as 'server', onMessage: () => {} })).toThrow("decoder 'from' must be 'server' or 'client'");
    expect(() => new IpiDecoder({ from: 'server', maxAtoms: -1, onMessage: () => {} })).toThrow('maxAtoms');
  });

  it('escapes bytes printably', () => {
    expect(escapeBytes(Buffer.from('A b\\"\n\xff', 'latin1'))).toBe('"A b\\\\\\"\\x0a\\xff"');
  });
});


describe('IpiDecoder with reuse (the driver’s setting)', () => {
  const pos2 = POS.map((x) => x * 2);

  it('refills the same POSDATA object and arrays while N is unchanged, and allocates new positions when N changes', () => {
    const out: ServerMessage[] = [];
    const dec = new IpiDecoder({ from: 'server', reuse: true, onMessage: (m) => out.push(m) });
    const snap: number[][] = [];
    const onEach = () => {
      const m = out[out.length - 1]!;
      if (m.type === 'POSDATA') snap.push(Array.from(m.positions));
    };
    dec.push(handPosData(H, HINV, POS));
    onEach();
    dec.push(handPosData(HINV, H, pos2));
    onEach();
    const [a, b] = out as [Extract<ServerMessage, { type: 'POSDATA' }>, Extract<ServerMessage, { type: 'POSDATA' }>];
    expect(b).toBe(a);
    expect(b.positions).toBe(a.positions);
    expect(snap).toEqual([POS, pos2]);
    expect(Array.from(b.h)).toEqual(HINV);
    expect(Array.from(b.hInv)).toEqual(H);
    const before = b.positions;
    const beforeH = b.h;
    dec.push(handPosData(H, HINV, POS.slice(0, 6)));
    const c = out[2] as Extract<ServerMessage, { type: 'POSDATA' }>;
    expect(c.n).toBe(2);
    expect(c.positions).not.toBe(before);
    expect(c.h).toBe(beforeH);
    expect(Array.from(c.positions)).toEqual(POS.slice(0, 6));
  });

  it('hands over the last POSDATA on disown(): the next one goes to new arrays', () => {
    const out: ServerMessage[] = [];
    const dec = new IpiDecoder({ from: 'server', reuse: true, onMessage: (m) => out.push(m) });
    dec.push(handPosData(H, HINV, POS));
    dec.disown();
    dec.push(handPosData(H, HINV, pos2));
    const [a, b] = out as [Extract<ServerMessage, { type: 'POSDATA' }>, Extract<ServerMessage, { type: 'POSDATA' }>];
    expect(b).not.toBe(a);
    expect(b.positions).not.toBe(a.positions);
    expect(b.h).not.toBe(a.h);
    expect(Array.from(a.positions)).toEqual(POS);
    expect(Array.from(b.positions)).toEqual(pos2);
  });

  it('still hands out fresh FORCEREADY arrays', () => {
    const out: ClientMessage[] = [];
    const dec = new IpiDecoder({ from: 'client', reuse: true, onMessage: (m) => out.push(m) });
    const w = [1, 2, 3, 4, 5, 6, 7, 8, 9];
    dec.push(encodeForceReady({ energy: 1, forces: [1, 2, 3], virial: w }));
    dec.push(encodeForceReady({ energy: 2, forces: [4, 5, 6], virial: w }));
    const [a, b] = out as [Extract<ClientMessage, { type: 'FORCEREADY' }>, Extract<ClientMessage, { type: 'FORCEREADY' }>];
    expect(b.forces).not.toBe(a.forces);
    expect(Array.from(a.forces)).toEqual([1, 2, 3]);
  });
});
