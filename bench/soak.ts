// SPDX-License-Identifier: BSD-3-Clause
/**
 * Soak: a long run of `anisodrive drive` (the compiled CLI as its own process, a zero-potential
 * config, identity mapping) against the project's in-process i-PI server
 * ({@link IpiServer}, i-PI ≥ 3.2's message order) on a UNIX socket, with the driver's resident
 * memory (VmRSS of `/proc/PID/status`) sampled at every tenth of the run. The positions change
 * every step (a small deterministic jiggle), so each request carries new data.
 *
 * It prints each sample and the growth from 20 % to 100 % of the run (the first fifth is
 * warm-up: JIT, buffers reaching their steady size), and says "flat" when that growth is below
 * the bound (5 MiB by default), "NOT FLAT" otherwise. Step count: 10⁵ by default, or the
 * `ANISODRIVE_SOAK_STEPS` environment variable for quick trials.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Cell } from '../src/core/cell.js';
import { IpiServer } from '../src/protocol/server.js';
import { seededUniform } from './support.js';

/** Options of {@link benchSoak}; the defaults are what `npm run bench` uses. */
export interface SoakOptions {
  /** Driver steps (requests); default `ANISODRIVE_SOAK_STEPS` or 100 000. At least 10. */
  readonly steps?: number;
  /** Sites per request; default 64. */
  readonly sites?: number;
  /** Largest RSS growth from 20 % to 100 % of the run still called flat, MiB; default 5. */
  readonly boundMiB?: number;
  /** The compiled CLI entry; default `dist/plugin/main.js` of this repository. */
  readonly cli?: string;
}

const DEFAULT_CLI = fileURLToPath(new URL('../plugin/main.js', import.meta.url));
const MIB = 1024 * 1024;

/** The step count from `ANISODRIVE_SOAK_STEPS`, or `fallback`; a bad value is an error naming it. */
export function soakStepsFromEnv(fallback: number, env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.ANISODRIVE_SOAK_STEPS;
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 10) throw new Error(`ANISODRIVE_SOAK_STEPS must be an integer ≥ 10, got '${raw}'`);
  return n;
}

/** Resident set size of process `pid`, bytes (Linux `/proc/PID/status`, `VmRSS` in kB). */
export function residentBytes(pid: number): number {
  const m = /^VmRSS:\s+(\d+)\s+kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no VmRSS line in /proc/${pid}/status`);
  return Number(m[1]) * 1024;
}

/** Run the soak and print its lines with `print`. */
export async function benchSoak(print: (line: string) => void, options: SoakOptions = {}): Promise<void> {
  const steps = options.steps ?? soakStepsFromEnv(100_000);
  const n = options.sites ?? 64;
  const bound = options.boundMiB ?? 5;
  const cli = options.cli ?? DEFAULT_CLI;
  if (!existsSync('/proc/self/status')) {
    print('soak: NOT RUN: needs Linux /proc/PID/status to read the driver\'s resident memory');
    return;
  }
  if (!Number.isInteger(steps) || steps < 10) throw new Error(`soak steps must be an integer ≥ 10, got ${steps}`);

  const dir = mkdtempSync(join(tmpdir(), 'anisodrive-soak-'));
  const config = join(dir, 'zero.json');
  writeFileSync(config, JSON.stringify({ mapping: { kind: 'identity' }, potentials: [{ kind: 'zero' }], verbosity: 'quiet' }));
  const server = await IpiServer.listen({ mode: 'unix', address: 'soak', prefix: join(dir, 'ipi_') });
  const child = spawn(process.execPath, [cli, 'drive', '--config', config, '-u', '-a', 'soak', '-S', join(dir, 'ipi_')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (t: string) => (stderr += t));
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  try {
    const conn = await server.accept({ timeoutMs: 30_000 });
    // 64 sites on a 4×4×4 lattice 3 Å apart in a 12 Å box, jiggled by ≤ 0.01 Å each step.
    const side = Math.ceil(Math.cbrt(n));
    const base = new Float64Array(3 * n);
    for (let i = 0; i < n; i++) {
      base[3 * i] = 3 * (i % side);
      base[3 * i + 1] = 3 * (Math.floor(i / side) % side);
      base[3 * i + 2] = 3 * Math.floor(i / (side * side));
    }
    const positions = new Float64Array(base);
    const system = { n, positions, cell: Cell.orthorhombic(3 * side, 3 * side, 3 * side) };
    const rand = seededUniform(8);
    await conn.handshake();
    const samples: { step: number; rss: number }[] = [{ step: 0, rss: residentBytes(child.pid!) }];
    const every = Math.floor(steps / 10);
    const t0 = performance.now();
    for (let step = 1; step <= steps; step++) {
      for (let k = 0; k < 3 * n; k++) positions[k] = base[k]! + 0.01 * (rand() - 0.5);
      await conn.compute(system);
      if (step % every === 0 || step === steps) {
        if (samples[samples.length - 1]!.step !== step) samples.push({ step, rss: residentBytes(child.pid!) });
      }
    }
    const seconds = (performance.now() - t0) / 1000;
    await conn.close();
    const code = await exited;
    if (code !== 0) throw new Error(`anisodrive drive exited ${code}:\n${stderr}`);

    const fifth = samples.find((s) => s.step >= 0.2 * steps)!;
    const last = samples[samples.length - 1]!;
    const growth = (last.rss - fifth.rss) / MIB;
    const load = os.loadavg().map((l) => l.toFixed(2)).join(' ');
    print(`soak: ${steps} steps of anisodrive drive (N = ${n}, zero potential, unix socket, in-process i-PI server) in ${seconds.toFixed(1)} s (${((seconds / steps) * 1e6).toFixed(0)} µs/step); load ${load}`);
    print(`soak: driver RSS MiB at step ${samples.map((s) => `${s.step}: ${(s.rss / MIB).toFixed(1)}`).join(', ')}`);
    print(
      `soak: RSS growth from step ${fifth.step} (20 %) to ${last.step} (100 %): ${growth >= 0 ? '+' : ''}${growth.toFixed(2)} MiB ` +
        `(bound ${bound} MiB): ${growth < bound ? 'flat' : 'NOT FLAT'}`,
    );
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
