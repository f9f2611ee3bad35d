// SPDX-License-Identifier: BSD-3-Clause
/**
 * Fault suite, model files (docs/FAULTS.md, F44–F53): truncated, random, empty, foreign, too new,
 * too old and subtly corrupted (a NaN weight, a short weight vector) `.msgpack` files given to
 * `anisodrive predict` and `drive`. Each is exit 1 `E_IO` naming the file and what is wrong with
 * it, no stack trace, within seconds, and the existing `--out` file is left byte for byte intact.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pack, unpack } from 'msgpackr';
import { afterAll, describe, expect, it } from 'vitest';
import { expectFault, expectUnchanged, freshDir, snapshot, within, writeIn } from '../support/fault-checks.js';
import { ROOT, killAll, startCli } from '../support/processes.js';
import { seededRandom } from '../support/random.js';
import { referencePath } from '../support/reference-data.js';

// The scenarios run concurrently (each has its own folder and socket, and a deadline on every
// process); whatever is still running when the file ends is killed.
afterAll(() => killAll());

const MODEL = readFileSync(join(ROOT, 'examples/gayberne-anisoap/model-anisoap.msgpack'));
const FRAMES = referencePath('gayberne/gb_dimers.extxyz');
const V1 = join(ROOT, 'test/models/fixtures/model-v1.msgpack');

/** A copy of the example model with `edit` applied to its decoded object. */
function edited(edit: (m: Record<string, unknown> & { weights: number[][] }) => void): Buffer {
  const m = unpack(MODEL) as Record<string, unknown> & { weights: number[][] };
  edit(m);
  return pack(m);
}

/**
 * `predict MODEL FRAMES --out DIR/predicted.xyz` where `predicted.xyz` already holds a previous
 * result: the run must fail with exit 1 naming `message` and leave the folder as it was.
 */
async function predictWith(model: Buffer | null, message: string | RegExp) {
  const dir = freshDir('fm');
  const path = model === null ? join(dir, 'absent.msgpack') : writeIn(dir, 'model.msgpack', model);
  writeIn(dir, 'predicted.xyz', '2\nprevious prediction\nX 0 0 0\nX 1 1 1\n');
  const before = snapshot(dir);
  const r = await within(startCli(['predict', path, FRAMES, '--out', join(dir, 'predicted.xyz')], { timeoutMs: 20_000 }), 8000);
  expectFault(r, 1, message);
  expect(r.stderr).toContain(path);
  expect(r.stderr).toMatch(/\[E_IO\]/);
  expectUnchanged(dir, before);
}

describe.concurrent('fault suite: model files', () => {
  it('F44 truncated model file: exit 1 E_IO "not MessagePack data"; the existing output intact', async () => {
    await predictWith(MODEL.subarray(0, 3000), 'model file: not MessagePack data (Unexpected end of MessagePack data)');
  });

  it('F45 random bytes as a model file: exit 1 E_IO naming the file; the existing output intact', async () => {
    const rand = seededRandom(8);
    const bytes = Buffer.from(Array.from({ length: 2000 }, () => Math.floor(rand() * 256)));
    await predictWith(bytes, /model file: (not MessagePack data|format is .*, expected "anisodrive-linear-model")/);
  });

  it('F46 empty (0-byte) model file: exit 1 E_IO "not MessagePack data"; the existing output intact', async () => {
    await predictWith(Buffer.alloc(0), 'model file: not MessagePack data');
  });

  it('F47 MessagePack that is not a model: exit 1 E_IO naming the missing format tag', async () => {
    await predictWith(pack({ hello: 1 }), 'model file: format is undefined, expected "anisodrive-linear-model" (not an anisodrive linear model)');
  });

  it('F48 a model file newer than this anisodrive (format 9.0): exit 1 E_IO saying to upgrade', async () => {
    await predictWith(
      edited((m) => (m.version = '9.0')),
      'model file: format version 9.0 is newer than this anisodrive reads (2.x); upgrade anisodrive',
    );
  });

  it('F49 a model file with a NaN weight: exit 1 E_IO naming the field and the value', async () => {
    await predictWith(
      edited((m) => (m.weights[0]![2] = NaN)),
      'weights.0.2: must be a finite number, got NaN',
    );
  });

  it('F50 a model file with a short weight vector: exit 1 E_IO naming the lengths found and expected', async () => {
    await predictWith(
      edited((m) => (m.weights[0] = m.weights[0]!.slice(0, 5))),
      "weights.0 has 5 entries, expected F = 80 (the features' featureCount)",
    );
  });

  it('F51 a format-1.0 model file: exit 1 E_IO naming the model convert command that rewrites it', async () => {
    await predictWith(readFileSync(V1), /format version 1\.0 does not record the density widths .*anisodrive model convert .* NEW\.msgpack --density-semiaxes a,b,c/);
  });

  it('F52 model file missing: exit 1 E_IO naming the path and ENOENT', async () => {
    await predictWith(null, /cannot read model file .*absent\.msgpack: ENOENT/);
  });

  it('F53 drive with a truncated model in its config: exit 1 before connecting, naming the model file', async () => {
    const dir = freshDir('fm');
    const model = writeIn(dir, 'cut.msgpack', MODEL.subarray(0, 3000));
    const config = writeIn(dir, 'driver.json', {
      units: { system: 'lj', sigma: 4, epsilon: 0.01, mass: 100 },
      mapping: { kind: 'dumbbell', semiaxes: [0.5, 0.5, 1.5], bondLength: 1 },
      potentials: [{ kind: 'model', file: 'cut.msgpack' }],
    });
    const r = await within(startCli(['drive', '--config', config, '-u', '-a', 'x', '-S', join(dir, 'ipi_')], { timeoutMs: 20_000 }), 8000);
    expectFault(r, 1, `${model}: model file: not MessagePack data`);
    expect(r.stderr).not.toMatch(/connecting to|not available yet/);
  });
});
