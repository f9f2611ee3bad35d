// SPDX-License-Identifier: BSD-3-Clause
// Writes init-ipi.xyz, the i-PI-format copy of ../../examples/gayberne-dumbbells/init.xyz:
// same sites and order, comment line "# CELL(abcABC): a b c α β γ cell{angstrom} positions{angstrom}".
// i-PI's xyz reader takes masses from its element table (the dummy species X weighs 1 electron
// mass there), so nve.xml / nvt.xml set the site masses with <masses mode='manual'>; this script
// prints what to put there: one value when all sites weigh the same, else the per-site list.
// Run from anywhere: node make-ipi-inputs.mjs [input.extxyz] [output.xyz]
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const src = process.argv[2] ?? here('../../examples/gayberne-dumbbells/init.xyz');
const dst = process.argv[3] ?? here('./init-ipi.xyz');

const lines = readFileSync(src, 'utf8').split('\n');
const n = Number.parseInt(lines[0], 10);
const header = lines[1];
const lattice = /Lattice="([^"]+)"/.exec(header);
const props = /Properties=(\S+)/.exec(header);
if (!Number.isInteger(n) || n <= 0 || !lattice || !props) throw new Error(`${src}: not an extended XYZ file with Lattice and Properties`);

// Columns: name:type:count triples.
const fields = props[1].split(':');
const cols = {};
let col = 0;
for (let i = 0; i + 2 < fields.length; i += 3) {
  cols[fields[i]] = col;
  col += Number(fields[i + 2]);
}
if (cols.species === undefined || cols.pos === undefined) throw new Error(`${src}: needs species and pos columns`);

// Lattice vectors are the rows a, b, c. i-PI builds its cell from (a, b, c, α, β, γ) with a along x
// and b in the xy plane; the positions are copied unchanged, so the cell must already be in that frame.
const L = lattice[1].trim().split(/\s+/).map(Number);
const [a, b, c] = [L.slice(0, 3), L.slice(3, 6), L.slice(6, 9)];
if (Math.abs(a[1]) + Math.abs(a[2]) + Math.abs(b[2]) > 1e-9)
  throw new Error(`${src}: the cell must have a along x and b in the xy plane (i-PI's frame); rotate it first`);
const dot = (u, v) => u[0] * v[0] + u[1] * v[1] + u[2] * v[2];
const norm = (u) => Math.sqrt(dot(u, u));
const deg = (u, v) => (Math.acos(dot(u, v) / (norm(u) * norm(v))) * 180) / Math.PI;
const abc = [norm(a), norm(b), norm(c), deg(b, c), deg(a, c), deg(a, b)];

const out = [];
const masses = [];
for (let i = 0; i < n; i++) {
  const t = lines[2 + i].trim().split(/\s+/);
  const p = t.slice(cols.pos, cols.pos + 3).map(Number);
  if (p.some((x) => !Number.isFinite(x))) throw new Error(`${src}: bad position on line ${3 + i}`);
  out.push(`${t[cols.species].padEnd(4)} ${p.map((x) => x.toFixed(8).padStart(14)).join(' ')}`);
  if (cols.masses !== undefined) masses.push(Number(t[cols.masses]));
}
const cellText = abc.map((x) => x.toFixed(8)).join(' ');
writeFileSync(dst, `${n}\n# CELL(abcABC): ${cellText} cell{angstrom} positions{angstrom}\n${out.join('\n')}\n`);
console.log(`wrote ${dst}: ${n} sites, CELL(abcABC) ${cellText}`);
if (masses.length === 0) console.log(`${src} has no masses column: give i-PI the masses with <masses mode='manual' units='dalton'>`);
else if (masses.every((m) => m === masses[0])) console.log(`all sites weigh ${masses[0]} amu: <masses mode='manual' units='dalton'> ${masses[0]} </masses>`);
else console.log(`per-site masses:\n<masses mode='manual' units='dalton'> [ ${masses.join(', ')} ] </masses>`);
