// SPDX-License-Identifier: BSD-3-Clause
// NVE energy conservation of the 288 dumbbells (576 sites, ../gayberne-dumbbells/init.xyz) with the
// trained model (driver-model.json) next to GB (../gayberne-dumbbells/driver.json), with the same
// protocol through two MD engines, each a separate process talking to `anisodrive drive` over a
// UNIX socket:
//   - the embedded engine: anisodrive engine --init … --steps S --dt DT -T T0 --seed SEED --stride 1
//   - ASE 3.22 (Debian python3-ase): integrations/ase/md_socketio.py (VelocityVerlet)
// Both start from Maxwell–Boltzmann velocities at T0 (each engine its own generator). Reported per
// run: max |H(t) − H(0)|, the least-squares slope of H(t), both also in units of N·k_B·T0 (the
// form of the bound in the integration tests), and the time per step (engine and driver together).
//
// Run: npx tsc -p tsconfig.json; node nve-drift.mjs [--steps 500] [--dt 4] [--temperature 116] [--seed 1]
//        [--only engine|ase] [--python /usr/bin/python3]
// Writes out/nve-<engine>-<gb|model>.csv (step, time_fs, potential_eV, kinetic_eV, conserved_eV) and
// out/nve.json.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { KB_EV_PER_K } from '../../dist/src/core/units.js';

const here = (p) => new URL(p, import.meta.url).pathname;
const CLI = here('../../dist/plugin/main.js');
const INIT = here('../gayberne-dumbbells/init.xyz');
const ASE_SCRIPT = here('../../integrations/ase/md_socketio.py');
const CONFIGS = { gb: here('../gayberne-dumbbells/driver.json'), model: here('driver-model.json') };
const { values: args } = parseArgs({
  options: {
    steps: { type: 'string', default: '500' },
    dt: { type: 'string', default: '4' },
    temperature: { type: 'string', default: '116' },
    seed: { type: 'string', default: '1' },
    only: { type: 'string' },
    python: { type: 'string', default: process.env.ANISODRIVE_PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3') },
  },
});
const STEPS = Number(args.steps), DT = Number(args.dt), T0 = Number(args.temperature);
const NSITES = 576;
const THERMAL = NSITES * KB_EV_PER_K * T0; // N·k_B·T0, eV

/** Run `command args`; resolves with the exit code and output, rejects on a non-zero code. */
function run(command, argv) {
  const child = spawn(command, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '', stderr = '';
  child.stdout.setEncoding('utf8').on('data', (t) => (stdout += t));
  child.stderr.setEncoding('utf8').on('data', (t) => (stderr += t));
  return new Promise((resolve, reject) => child.once('close', (code) =>
    code === 0 ? resolve({ stdout, stderr }) : reject(new Error(`${command} ${argv.join(' ')} exited ${code}:\n${stderr}`))));
}

/** max |ΔH| and the least-squares slope (eV/ps) of H over time (fs). */
function drift(times, h) {
  const n = h.length, mt = times.reduce((a, x) => a + x, 0) / n, mh = h.reduce((a, x) => a + x, 0) / n;
  let sxy = 0, sxx = 0, maxDev = 0;
  for (let k = 0; k < n; k++) {
    sxy += (times[k] - mt) * (h[k] - mh);
    sxx += (times[k] - mt) ** 2;
    maxDev = Math.max(maxDev, Math.abs(h[k] - h[0]));
  }
  return { maxDev, slopePerPs: (sxy / sxx) * 1000 };
}

/** One NVE run of `ff` through `engine`; returns its series and timing. */
async function nve(engine, ff) {
  const dir = mkdtempSync(join(tmpdir(), 'anisodrive-nve-'));
  const name = `nve-${process.pid}-${engine}-${ff}`;
  const t0 = performance.now();
  let rows;
  try {
    if (engine === 'engine') {
      const out = join(dir, 'run'), prefix = join(dir, 'ipi_');
      await Promise.all([
        run(process.execPath, [CLI, 'engine', '--init', INIT, '--steps', String(STEPS), '--dt', String(DT), '-T', String(T0),
          '--seed', args.seed, '--stride', '1', '-u', '-a', name, '-S', prefix, '--out', out]),
        run(process.execPath, [CLI, 'drive', '--config', CONFIGS[ff], '-u', '-a', name, '-S', prefix]),
      ]);
      rows = readFileSync(`${out}.energy.csv`, 'utf8').trim().split('\n').slice(1).map((l) => l.split(',').map(Number))
        .map(([step, time, u, k, h]) => [step, time, u, k, h]);
    } else {
      const log = join(dir, 'ase.jsonl');
      await Promise.all([
        run(args.python, [ASE_SCRIPT, '--init', INIT, '--steps', String(STEPS), '--dt', String(DT), '--temperature', String(T0),
          '--seed', args.seed, '--unix', name, '--log', log]),
        run(process.execPath, [CLI, 'drive', '--config', CONFIGS[ff], '-u', '-a', name]),
      ]);
      rows = readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((r) => !r.summary)
        .map((r) => [r.step, r.time_fs, r.epot, r.ekin, r.etot]);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const wall = performance.now() - t0;
  const d = drift(rows.map((r) => r[1]), rows.map((r) => r[4]));
  return { engine, ff, rows, ...d, msPerStep: wall / STEPS, u0: rows[0][2], k0: rows[0][3] };
}

mkdirSync(here('out'), { recursive: true });
const results = [];
for (const engine of ['engine', 'ase']) {
  if (args.only && args.only !== engine) continue;
  for (const ff of ['gb', 'model']) {
    const r = await nve(engine, ff);
    results.push(r);
    writeFileSync(here(`out/nve-${engine}-${ff}.csv`), 'step,time_fs,potential_eV,kinetic_eV,conserved_eV\n' +
      r.rows.map((row) => row.map((x, k) => (k < 2 ? String(x) : x.toPrecision(12))).join(',')).join('\n') + '\n');
    console.log(`${engine.padEnd(6)} ${ff.padEnd(5)}: U(0) ${r.u0.toFixed(4)} eV, K(0) ${r.k0.toFixed(4)} eV, max |ΔH| ${r.maxDev.toExponential(2)} eV ` +
      `(${(r.maxDev / THERMAL).toExponential(2)} N·kB·T0), slope ${r.slopePerPs.toExponential(2)} eV/ps (${(r.slopePerPs / THERMAL).toExponential(2)} N·kB·T0/ps), ` +
      `${r.msPerStep.toFixed(1)} ms/step`);
  }
}
console.log(`\n${STEPS} NVE steps of ${DT} fs from ${T0} K (seed ${args.seed}), 576 sites; N·k_B·T0 = ${THERMAL.toFixed(4)} eV`);
console.log('| engine | force field | max \\|ΔH\\| / eV | max \\|ΔH\\| / N·k_B·T0 | slope / eV ps⁻¹ | slope / N·k_B·T0 ps⁻¹ | ms/step |');
console.log('|---|---|---|---|---|---|---|');
for (const r of results) {
  console.log(`| ${r.engine === 'engine' ? 'embedded engine' : 'ASE VelocityVerlet'} | ${r.ff === 'gb' ? 'GB (driver.json)' : 'model (driver-model.json)'} | ` +
    `${r.maxDev.toExponential(2)} | ${(r.maxDev / THERMAL).toExponential(2)} | ${r.slopePerPs.toExponential(2)} | ${(r.slopePerPs / THERMAL).toExponential(2)} | ${r.msPerStep.toFixed(1)} |`);
}
writeFileSync(here('out/nve.json'), JSON.stringify({
  steps: STEPS, dt: DT, temperature: T0, seed: Number(args.seed), sites: NSITES, thermalEv: THERMAL,
  runs: results.map(({ rows: _rows, ...r }) => r),
}, null, 1) + '\n');
console.log('wrote out/nve-*.csv, out/nve.json');
