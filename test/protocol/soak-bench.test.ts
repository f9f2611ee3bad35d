// SPDX-License-Identifier: BSD-3-Clause
import { describe, expect, it } from 'vitest';
import { benchSoak, residentBytes, soakStepsFromEnv } from '../../bench/soak.js';
import { CLI } from '../support/processes.js';

describe('soak benchmark', () => {
  it('drives the compiled CLI for the given steps and prints 11 RSS samples, the 20 %→100 % growth and its verdict', async () => {
    const lines: string[] = [];
    await benchSoak((l) => lines.push(l), { steps: 2000, sites: 8, boundMiB: 1000, cli: CLI });
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^soak: 2000 steps of anisodrive drive \(N = 8, zero potential, unix socket, in-process i-PI server\) in \d+\.\d s \(\d+ µs\/step\); load [\d. ]+$/);
    const samples = [...lines[1]!.matchAll(/(\d+): (\d+\.\d)/g)];
    expect(samples.map((m) => Number(m[1]))).toEqual([0, 200, 400, 600, 800, 1000, 1200, 1400, 1600, 1800, 2000]);
    for (const m of samples) expect(Number(m[2])).toBeGreaterThan(10); // a node process: tens of MiB
    expect(lines[2]).toMatch(/^soak: RSS growth from step 400 \(20 %\) to 2000 \(100 %\): [+-]\d+\.\d\d MiB \(bound 1000 MiB\): flat$/);
  });

  it('a bound below the growth is called NOT FLAT', async () => {
    const lines: string[] = [];
    await benchSoak((l) => lines.push(l), { steps: 20, sites: 2, boundMiB: -1000, cli: CLI });
    expect(lines[2]).toMatch(/\(bound -1000 MiB\): NOT FLAT$/);
  });

  it('takes its step count from ANISODRIVE_SOAK_STEPS and refuses a bad one by name', () => {
    expect(soakStepsFromEnv(100_000, {})).toBe(100_000);
    expect(soakStepsFromEnv(100_000, { ANISODRIVE_SOAK_STEPS: '5000' })).toBe(5000);
    expect(() => soakStepsFromEnv(100_000, { ANISODRIVE_SOAK_STEPS: '1e' })).toThrow("ANISODRIVE_SOAK_STEPS must be an integer ≥ 10, got '1e'");
    expect(() => soakStepsFromEnv(100_000, { ANISODRIVE_SOAK_STEPS: '5' })).toThrow(/≥ 10/);
    expect(residentBytes(process.pid)).toBeGreaterThan(1024 * 1024);
  });
});
