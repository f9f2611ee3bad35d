// SPDX-License-Identifier: BSD-3-Clause
/**
 * `anisodrive coarse-grain AA.extxyz[.gz] --molecule molecule.json --out CG.extxyz[.gz]`: every
 * frame of an atomistic trajectory mapped to one ellipsoid per molecule
 * (`src/mapping/coarse-grain.ts`), streamed frame by frame (read → map → write), written
 * atomically (a temporary file renamed on success: on any error no output file is created and an
 * existing one is left byte-identical). Output, extended XYZ:
 *
 * ```
 * Properties=species:S:1:pos:R:3:quat:R:4:semiaxes:R:3[:forces:R:3:torques:R:3]:molecule:I:1  energy=… step=… quat_order=wxyz_body_to_lab [virial=…] <info of the input>
 * ```
 *
 * species = the definition's `cgSpecies`; `pos` the centres of mass (Å; unwrapped relative to each
 * molecule's first atom, or in the cell with `--wrap`); `quat` (w, x, y, z) body → lab, w ≥ 0 (the
 * readers take `quat` and `c_q` alike); forces (eV/Å) and lab torques about the centres (eV) only
 * when the atoms have forces; the frame's `energy` (the atomistic energy, not a CG free energy),
 * `step` and other info carried over, the virial as the molecular virial; per-atom columns
 * (velocities, masses, per-atom energies) dropped.
 *
 * Exit codes: 0 success; 2 bad flags or molecule file (`E_ARG`, `E_CONFIG`); 1 unreadable input or
 * a frame that is not made of the defined molecules (`E_IO`, `E_MAPPING`: the message names the
 * frame, its file:line, the molecule, the atom and the deviation).
 */
import { AnisoError } from '../../src/core/errors.js';
import { writeFileAtomically } from '../../src/io/atomic-write.js';
import { formatFromPath } from '../../src/io/formats/index.js';
import { readFrames } from '../../src/io/read-frames.js';
import { FrameWriter } from '../../src/io/write-frames.js';
import { CoarseGrainer } from '../../src/mapping/coarse-grain.js';
import { loadJsonConfig } from '../config/load.js';
import { moleculeDefinition, MoleculeFileSchema } from '../config/molecule-schema.js';
import { checkOutputFile } from '../output-check.js';
import { createProgress } from '../progress.js';

/** Flags of `anisodrive coarse-grain`. */
export interface CoarseGrainFlags {
  /** Molecule definition file (JSON, `schema/molecule.schema.json`). */
  molecule: string;
  /** Output trajectory (extxyz; `.gz` compresses). */
  out: string;
  /** Wrap the centres into the cell. */
  wrap?: boolean;
  /** No progress line. */
  quiet?: boolean;
}

/** Injected parts (tests). */
export interface CoarseGrainDeps {
  print?: (line: string) => void;
  progressStream?: NodeJS.WriteStream;
}

/** Run `coarse-grain`; returns the exit code (failures are thrown, see the module doc). */
export async function coarseGrainCommand(input: string, flags: CoarseGrainFlags, deps: CoarseGrainDeps = {}): Promise<number> {
  const print = deps.print ?? ((line: string) => process.stdout.write(line + '\n'));
  const outFormat = formatFromPath(flags.out)?.name;
  if (outFormat !== 'extxyz') throw new AnisoError('E_ARG', `--out ${flags.out}: coarse-grain writes extended XYZ; name the file .extxyz or .xyz (optionally .gz)`);
  checkOutputFile(flags.out);
  const definition = moleculeDefinition(loadJsonConfig(MoleculeFileSchema, flags.molecule));
  const grainer = new CoarseGrainer(definition, { wrapCentres: flags.wrap ?? false });

  let total = 0;
  if (!flags.quiet) for await (const _ of readFrames(input)) total++;
  const progress = createProgress('coarse-grain', total, { stream: deps.progressStream ?? process.stderr, enabled: !flags.quiet });
  const t0 = performance.now();
  let frames = 0, molecules = 0, withForces = 0, maxDeviation = 0;
  await writeFileAtomically(flags.out, async (sink) => {
    const writer = new FrameWriter(sink, 'extxyz', { precision: 'full' });
    for await (const frame of readFrames(input)) {
      const cg = grainer.map(frame, frame.index, frame.source);
      await writer.writeFrame({
        species: cg.species,
        positions: cg.positions,
        cell: cg.cell,
        orientations: cg.orientations,
        semiaxes: cg.semiaxes,
        forces: cg.forces ?? null,
        torques: cg.torques ?? null,
        molecules: cg.molecules,
        energy: frame.energy ?? null,
        virial: cg.virial ?? null,
        step: frame.step ?? null,
        index: frame.index,
        info: frame.info,
      });
      frames++;
      molecules = cg.n;
      if (cg.forces) withForces++;
      maxDeviation = Math.max(maxDeviation, cg.maxDeviation);
      progress.update(frames);
    }
    if (frames === 0) throw new AnisoError('E_IO', `${input}: no frames`);
  });
  const seconds = (performance.now() - t0) / 1000;
  progress.finish(`${(frames / seconds).toFixed(1)} frames/s`);
  const forcesNote = withForces === frames ? 'forces and torques' : withForces === 0 ? 'no forces in the input: no CG forces or torques' : `forces and torques in ${withForces} of ${frames} frames`;
  print(
    `anisodrive coarse-grain: ${frames} frames of ${input} (${molecules} ${definition.name} molecules in the last) → ${flags.out} in ${seconds.toFixed(1)} s; ` +
      `${forcesNote}; largest atom deviation from the reference geometry ${maxDeviation.toExponential(2)} Å (tolerance ${definition.tolerance} Å)`,
  );
  return 0;
}
