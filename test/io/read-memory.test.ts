// SPDX-License-Identifier: BSD-3-Clause
/**
 * Streaming in constant memory: a synthetic 10⁴-frame LAMMPS trajectory (tens of MB, plain and
 * gzip) is read by the compiled reader in a child process whose V8 heap is capped far below the
 * file size; the live heap (after a forced GC) sampled every 250 frames must stay flat.
 */
import { execFileSync } from 'node:child_process';
import { createWriteStream, statSync } from 'node:fs';
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { formatLammpsDumpFrame } from '../../src/io/formats/lammps-dump.js';
import { seededRandom } from '../support/random.js';
import { randomFrame, tempDir } from '../support/trajectory-fixtures.js';

const tmp = tempDir();
afterAll(() => tmp.remove());
const READER = fileURLToPath(new URL('../../dist/src/io/read-frames.js', import.meta.url));
const FRAMES = 10_000;
const HEAP_MB = 32;

/** Frame texts: one random frame of `n` particles, re-stamped with a new TIMESTEP each time. */
function* frameTexts(n: number): Generator<string> {
  const f = randomFrame(seededRandom(3), { n, orientations: true, shapes: true, triclinic: true });
  const body = formatLammpsDumpFrame(f, { precision: 9 }).replace(/^ITEM: TIMESTEP\n0\n/, '');
  for (let k = 0; k < FRAMES; k++) yield `ITEM: TIMESTEP\n${k}\n${body}`;
}

async function writeSynthetic(path: string, gzip: boolean): Promise<number> {
  const out = createWriteStream(path);
  if (gzip) await pipeline(Readable.from(frameTexts(64)), createGzip({ level: 1 }), out);
  else {
    for (const t of frameTexts(64)) if (!out.write(t)) await once(out, 'drain');
    out.end();
    await once(out, 'close');
  }
  return statSync(path).size;
}

function readInChild(path: string): { frames: number; lastStep: number; peakHeapMB: number; firstHeapMB: number } {
  const script = `
    import { readFrames } from ${JSON.stringify(READER)};
    let frames = 0, lastStep = -1, peak = 0, first = 0;
    for await (const f of readFrames(${JSON.stringify(path)})) {
      if (f.n !== 64 || f.orientations === undefined) throw new Error('bad frame ' + f.index);
      frames++; lastStep = f.step;
      if (frames % 250 === 0) {
        globalThis.gc(); // measure what is retained, not garbage awaiting collection
        const h = process.memoryUsage().heapUsed / 2 ** 20;
        if (frames === 250) first = h;
        peak = Math.max(peak, h);
      }
    }
    console.log(JSON.stringify({ frames, lastStep, peakHeapMB: peak, firstHeapMB: first }));
  `;
  const out = execFileSync(process.execPath, [`--max-old-space-size=${HEAP_MB}`, '--expose-gc', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 120_000 });
  return JSON.parse(out.trim().split('\n').pop()!) as ReturnType<typeof readInChild>;
}

describe('readFrames streams in constant memory', () => {
  it(`reads a 10⁴-frame trajectory (plain and gzip) with a ${HEAP_MB} MB heap cap; the heap stays flat`, async () => {
    const plain = tmp.path('synthetic.lammpstrj');
    const size = await writeSynthetic(plain, false);
    expect(size).toBeGreaterThan(2 * HEAP_MB * 2 ** 20); // a reader holding the file could not fit
    const r = readInChild(plain);
    expect(r.frames).toBe(FRAMES);
    expect(r.lastStep).toBe(FRAMES - 1);
    expect(r.peakHeapMB).toBeLessThan(HEAP_MB);
    expect(r.peakHeapMB - r.firstHeapMB).toBeLessThan(2); // flat: no growth with the frame count
    const gz = tmp.path('synthetic.lammpstrj.gz');
    await writeSynthetic(gz, true);
    const g = readInChild(gz);
    expect(g.frames).toBe(FRAMES);
    expect(g.peakHeapMB).toBeLessThan(HEAP_MB);
  });
});
