// SPDX-License-Identifier: BSD-3-Clause
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { benchRoundTrip } from '../../bench/round-trip.js';
import { CLI } from '../support/processes.js';

const dir = mkdtempSync(join(tmpdir(), 'ad-bench-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('round-trip benchmark', () => {
  it('runs end to end over unix and tcp and prints one line per configuration', async () => {
    const lines: string[] = [];
    await benchRoundTrip((l) => lines.push(l), { requests: 50, warmup: 10, sizes: [1, 10], processAtoms: 0 });
    expect(lines).toHaveLength(5);
    expect(lines[0]).toMatch(/^round-trip unix N=1 median \d+\.\d µs p90 \d+\.\d µs \(i-PI f90 driver 70 µs: ratio \d+\.\d\d\) \[server in a worker thread, driver on the main thread; 50 requests after 10 warm-up\]$/);
    expect(lines[3]).toMatch(/^round-trip tcp N=10 median \d+\.\d µs p90 \d+\.\d µs \[server in a worker/);
    expect(lines[4]).toBe('round-trip process: not run (processAtoms 0)');
  });

  it('runs the compiled anisodrive drive as a process and says how to enable the f90 comparison when it has no binary', async () => {
    const lines: string[] = [];
    await benchRoundTrip((l) => lines.push(l), { requests: 40, warmup: 10, sizes: [], processAtoms: 7, f90Driver: null, cli: CLI });
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^round-trip process unix N=7 anisodrive drive: median \d+\.\d µs p95 \d+\.\d µs \[separate process, strict i-PI ≥ 3\.2 server in a worker thread; 40 requests each after 10 warm-up; load [\d. ]+\]$/);
    expect(lines[1]).toMatch(/^round-trip process unix N=7 i-PI f90 driver: NOT RUN: set IPI_F90_DRIVER .*bench\/build-ipi-driver\.sh/);
  });

  it('interleaves two driver processes on one server and prints both figures and the two ratios', async () => {
    // Stand-in for i-PI's driver.x: a script taking its flags (-u -a NAME -S PREFIX -m gas) that
    // runs anisodrive's zero potential on the same socket.
    const config = join(dir, 'zero.json');
    writeFileSync(config, JSON.stringify({ potentials: [{ kind: 'zero' }], verbosity: 'quiet' }));
    const fake = join(dir, 'fake-driver.sh');
    writeFileSync(fake, `#!/bin/sh\n[ "$1 $6 $7" = "-u -m gas" ] || exit 9\nexec "${process.execPath}" "${CLI}" drive --config "${config}" -u -a "$3" -S "$5"\n`);
    chmodSync(fake, 0o755);
    const lines: string[] = [];
    await benchRoundTrip((l) => lines.push(l), { requests: 30, warmup: 5, block: 10, sizes: [], processAtoms: 5, f90Driver: fake, cli: CLI });
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^round-trip process unix N=5 anisodrive drive: median \d+\.\d µs p95 \d+\.\d µs \[.*30 requests each after 5 warm-up, interleaved in blocks of 10;/);
    expect(lines[1]).toMatch(/^round-trip process unix N=5 i-PI f90 driver \(-m gas\): median \d+\.\d µs p95 \d+\.\d µs/);
    expect(lines[2]).toMatch(/^round-trip process unix N=5 anisodrive \/ f90: median ratio \d+\.\d\d \(target ≤ 1, (met|MISSED)\) p95 ratio \d+\.\d\d \(target ≤ 1\.5, (met|MISSED)\)$/);
  });

  it('fails with the driver’s own message when a driver process dies', async () => {
    const bad = join(dir, 'bad-driver.sh');
    writeFileSync(bad, '#!/bin/sh\necho "no such mode" >&2\nexit 3\n');
    chmodSync(bad, 0o755);
    await expect(benchRoundTrip(() => {}, { requests: 10, warmup: 2, sizes: [], processAtoms: 3, f90Driver: bad, cli: CLI })).rejects.toThrow(
      /i-PI f90 driver \(-m gas\) exited with 3: no such mode/,
    );
  });
});
