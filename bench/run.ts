// SPDX-License-Identifier: BSD-3-Clause
/**
 * `npm run bench`: every benchmark, each printing its figures and the ratio to its target.
 * `npm run bench -- NAME…` runs only the named ones (round-trip, gayberne, lammps-gayberne, neighbor-list, anisoap, pair, analysis, cli, soak).
 * `ANISODRIVE_SOAK_STEPS=N` shortens the soak (default 10⁵ driver steps).
 * Figures quoted in BENCHMARKS.md come from this command.
 */
import os from 'node:os';
import { benchAnalysis } from './analysis.js';
import { benchAniSoap } from './anisoap.js';
import { benchCli } from './cli.js';
import { benchGayBerne } from './gay-berne.js';
import { benchLammpsGayBerne } from './lammps-gay-berne.js';
import { benchNeighborList } from './neighbor-list.js';
import { benchPair } from './pair.js';
import { benchRoundTrip } from './round-trip.js';
import { benchSoak } from './soak.js';

const SUITES: Record<string, (print: (line: string) => void) => Promise<void>> = {
  'round-trip': benchRoundTrip,
  gayberne: benchGayBerne,
  'lammps-gayberne': benchLammpsGayBerne,
  'neighbor-list': benchNeighborList,
  anisoap: benchAniSoap,
  pair: benchPair,
  analysis: benchAnalysis,
  cli: benchCli,
  soak: benchSoak,
};

const wanted = process.argv.slice(2);
for (const name of wanted) {
  if (!(name in SUITES)) {
    process.stderr.write(`unknown benchmark '${name}'; known: ${Object.keys(SUITES).join(', ')}\n`);
    process.exit(2);
  }
}
const print = (line: string) => process.stdout.write(line + '\n');
const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
print(`anisodrive benchmarks — node ${process.version}, ${os.cpus().length} × ${cpu}, ${new Date().toISOString().slice(0, 10)}`);
for (const [name, run] of Object.entries(SUITES)) {
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  print(`\n## ${name}`);
  await run(print);
}
