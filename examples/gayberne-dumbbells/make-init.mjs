// SPDX-License-Identifier: BSD-3-Clause
// Writes init.xyz: 288 GB(3,5,2,1) ellipsoids carried as dumbbells (576 sites) on a body-centred
// rectangular lattice at rho* = 0.3, long axes near z with a small seeded random tilt.
// Real units: sigma0 = 4 Å, site separation 4 Å, site mass 50 amu. Run: node make-init.mjs
import { writeFileSync } from 'node:fs';

const sigma = 4.0; // Å
const bond = 4.0; // Å between the two sites of a dumbbell
const siteMass = 50.0; // amu
const [nx, ny, nz] = [6, 6, 4];
const rho = 0.3; // ellipsoids per sigma^3
const aspect = 3.1 / 1.4; // c/a of the lattice cell
const a = Math.cbrt(2 / (rho * aspect)) * sigma; // two ellipsoids per lattice cell: a²c = 2/rho
const c = a * aspect;
let seed = 20261121;
const rand = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);

const lines = [];
for (let i = 0; i < nx; i++)
  for (let j = 0; j < ny; j++)
    for (let k = 0; k < nz; k++)
      for (const [ox, oy, oz] of [[0, 0, 0], [0.5, 0.5, 0.5]]) {
        const cx = (i + ox + 0.25) * a, cy = (j + oy + 0.25) * a, cz = (k + oz + 0.25) * c;
        const tilt = 0.15 * rand(), phi = 2 * Math.PI * rand();
        const u = [Math.sin(tilt) * Math.cos(phi), Math.sin(tilt) * Math.sin(phi), Math.cos(tilt)];
        for (const s of [-0.5, 0.5]) {
          const p = [cx + s * bond * u[0], cy + s * bond * u[1], cz + s * bond * u[2]];
          lines.push(`X ${p.map((x) => x.toFixed(8)).join(' ')} ${siteMass.toFixed(4)}`);
        }
      }
const L = [nx * a, ny * a, nz * c].map((x) => x.toFixed(8));
const header =
  `Lattice="${L[0]} 0 0 0 ${L[1]} 0 0 0 ${L[2]}" Properties=species:S:1:pos:R:3:masses:R:1 pbc="T T T" ` +
  `comment="288 GB(3,5,2,1) dumbbells, sigma0=4 A, rho*=0.3"`;
writeFileSync(new URL('./init.xyz', import.meta.url), `${lines.length}\n${header}\n${lines.join('\n')}\n`);
console.log(`wrote init.xyz: ${lines.length} sites, box ${L.join(' x ')} Å`);
