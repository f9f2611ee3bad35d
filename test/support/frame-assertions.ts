// SPDX-License-Identifier: BSD-3-Clause
/** Round-trip helpers of the io tests: all frames of one format as text, and exact array checks. */
import { expect } from 'vitest';
import type { FrameInput } from '../../src/io/frame.js';
import type { WriteOptions } from '../../src/io/formats/index.js';
import { FrameWriter } from '../../src/io/write-frames.js';

/** `frames` written by one {@link FrameWriter} of `format` (one write each), as one text. */
export function writeAll(format: string, frames: FrameInput[], options: Omit<WriteOptions, 'format'> = {}): string {
  const chunks: string[] = [];
  const w = new FrameWriter({ write: (t) => void chunks.push(t) }, format, options);
  for (const f of frames) w.writeFrame(f);
  expect(w.framesWritten).toBe(frames.length);
  return chunks.join('');
}

/**
 * `got` equals `want` element by element (exactly, or within `tol` relative to max(1, |want|));
 * an absent `want` means `got` must be absent too.
 */
export function expectArray(got: ArrayLike<number> | undefined, want: ArrayLike<number> | null | undefined, tol = 0): void {
  if (!want) {
    expect(got).toBeUndefined();
    return;
  }
  expect(got).toBeDefined();
  expect(got!.length).toBe(want.length);
  for (let k = 0; k < want.length; k++) {
    if (tol === 0) expect(got![k]).toBe(want[k]);
    else expect(Math.abs(got![k]! - want[k]!)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(want[k]!)));
  }
}

/** The fields `randomFrame` fills for the round trips. */
export const ROUND_TRIP_SPEC = { n: 7, orientations: true, shapes: true, forces: true, torques: true, species: ['A', 'B', 'Cx'] };
