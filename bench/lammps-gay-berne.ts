// SPDX-License-Identifier: BSD-3-Clause
/**
 * The same GB(3,5,2,1) configurations as `gay-berne.ts` (N = 288 and 1000, ρ* = 0.3, rc = 4), run
 * through LAMMPS `pair_style gayberne` on one core for comparison, when an `lmp` binary is on the
 * PATH (Debian: `apt-get install lammps`). LAMMPS integrates 300 NVE steps (`fix nve/asphere`,
 * dt 0.001, neighbour skin 0.3 with rebuilds as needed); its own timing breakdown gives the pair
 * time (E+F+τ) and the whole loop per step. Skipped with a line saying so when `lmp` is missing.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nematicLattice } from './gay-berne.js';

const INPUT = `units lj
atom_style ellipsoid
boundary p p p
read_data \${data}
set group all mass 1.0
pair_style gayberne 1.0 1.0 2.0 4.0
pair_coeff 1 1 1.0 1.0 1 1 0.2 1 1 0.2
neighbor 0.3 bin
neigh_modify every 1 delay 0 check yes
velocity all create 1.0 4928459 dist gaussian
fix 1 all nve/asphere
thermo 100
run 20
run 300
`;

function dataFile(nx: number, ny: number, nz: number): string {
  const sys = nematicLattice(nx, ny, nz, 0.3, 2024);
  const h = sys.cell.h;
  const L = [h[0]!, h[4]!, h[8]!];
  const lines = ['LAMMPS data file: GB(3,5,2,1) bench configuration', '', `${sys.n} atoms`, '1 atom types', `${sys.n} ellipsoids`, ''];
  lines.push(`0 ${L[0]} xlo xhi`, `0 ${L[1]} ylo yhi`, `0 ${L[2]} zlo zhi`, '', 'Atoms # ellipsoid', '');
  for (let i = 0; i < sys.n; i++) {
    const p = [0, 1, 2].map((k) => {
      const x = sys.positions[3 * i + k]!;
      return x - Math.floor(x / L[k]!) * L[k]!;
    });
    lines.push(`${i + 1} 1 1 1.0 ${p.join(' ')}`);
  }
  lines.push('', 'Ellipsoids', '');
  const q = sys.orientations!;
  for (let i = 0; i < sys.n; i++) lines.push(`${i + 1} 1 1 3 ${q[4 * i]} ${q[4 * i + 1]} ${q[4 * i + 2]} ${q[4 * i + 3]}`);
  return lines.join('\n') + '\n';
}

/** Run LAMMPS on the bench configurations and print its per-step times. */
export async function benchLammpsGayBerne(print: (line: string) => void): Promise<void> {
  const probe = spawnSync('lmp', ['-h'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    print('lammps: no `lmp` on PATH, comparison skipped (Debian: apt-get install lammps)');
    return;
  }
  const version = /Simulator - (.+)/.exec(probe.stdout)?.[1]?.trim() ?? 'unknown version';
  const dir = mkdtempSync(join(tmpdir(), 'ad-lammps-'));
  try {
    writeFileSync(join(dir, 'in.lmp'), INPUT);
    for (const dims of [[6, 6, 4], [10, 10, 5]] as const) {
      const n = 2 * dims[0] * dims[1] * dims[2];
      writeFileSync(join(dir, 'data'), dataFile(dims[0], dims[1], dims[2]));
      const run = spawnSync('lmp', ['-in', 'in.lmp', '-var', 'data', 'data', '-log', 'log.lammps', '-screen', 'none'], {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, OMP_NUM_THREADS: '1' },
      });
      if (run.status !== 0) {
        print(`lammps N=${n}: lmp failed (status ${run.status}): ${run.stderr.slice(0, 300)}`);
        continue;
      }
      const log = readFileSync(join(dir, 'log.lammps'), 'utf8');
      const last = log.slice(log.lastIndexOf('Loop time of'));
      const loop = /Loop time of ([\d.eE+-]+) on 1 procs for (\d+) steps/.exec(last);
      const pair = /\nPair\s*\|\s*[\d.eE+-]+\s*\|\s*([\d.eE+-]+)/.exec(last);
      if (!loop || !pair) {
        print(`lammps N=${n}: could not read the timing breakdown from log.lammps`);
        continue;
      }
      const steps = Number(loop[2]);
      const loopMs = (1000 * Number(loop[1])) / steps;
      const pairMs = (1000 * Number(pair[1])) / steps;
      print(
        `lammps N=${n} pair_style gayberne (E+F+tau) ${pairMs.toFixed(2)} ms/step, whole loop ${loopMs.toFixed(2)} ms/step ` +
          `[LAMMPS ${version}, 1 process, ${steps} NVE steps, skin 0.3]`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
