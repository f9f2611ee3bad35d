// SPDX-License-Identifier: BSD-3-Clause
import { describe, expect, it } from 'vitest';
import { benchRoundTrip } from '../../bench/round-trip.js';

describe('round-trip benchmark', () => {
  it('runs end to end over unix and tcp and prints one line per configuration', async () => {
    const lines: string[] = [];
    await benchRoundTrip((l) => lines.push(l), { requests: 50, warmup: 10, sizes: [1, 10] });
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^round-trip unix N=1 median \d+\.\d µs p90 \d+\.\d µs \(i-PI f90 driver 70 µs: ratio \d+\.\d\d\) \[server in a worker thread, driver on the main thread; 50 requests after 10 warm-up\]$/);
    expect(lines[3]).toMatch(/^round-trip tcp N=10 median \d+\.\d µs p90 \d+\.\d µs \[server in a worker/);
  });
});
