// SPDX-License-Identifier: BSD-3-Clause
/**
 * Unwritable output locations (issue 8, item 6): `featurize`, `analyze`, `demo`, `train`,
 * `predict` and `replay` refuse a missing directory (ENOENT), a path under a regular file
 * (ENOTDIR), a directory where a file is expected (EISDIR), a file where a directory is expected
 * and (not as root) a read-only directory (EACCES) — through the compiled CLI, with exit code 2,
 * before computing anything (no status line on stdout, done in a fraction of a normal run), with a
 * one-line message naming the path and no stack trace, and without touching what is there. Also
 * the helpers themselves (`plugin/output-check.ts`, `plugin/error-line.ts`) in-process.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AnisoError } from '../../src/core/errors.js';
import { errorLine } from '../../plugin/error-line.js';
import { checkOutputDirectory, checkOutputFile } from '../../plugin/output-check.js';
import { extxyzText, randomFrame } from '../support/trajectory-fixtures.js';
import { CLI, DUMBBELLS, killAll, start, startCli } from '../support/processes.js';
import { seededRandom } from '../support/random.js';

afterEach(() => killAll());

const IS_ROOT = process.getuid?.() === 0;
/** Root writes anywhere: as root, the read-only-directory cases run the CLI as `nobody` (util-linux runuser). */
const RUNUSER = '/usr/sbin/runuser';
const CAN_TEST_EACCES = !IS_ROOT || existsSync(RUNUSER);
/** A refusal must come well before any real work: CLI start-up and the check only (2-core machine under load). */
const QUICK_MS = 8_000;

const dir = mkdtempSync(join(tmpdir(), 'anisodrive-outfaults-'));
chmodSync(dir, 0o755); // readable by `nobody` (see RUNUSER)
const rand = seededRandom(8);
/** Labelled ellipsoid frames (random labels: enough for train to run). */
const DATA = join(dir, 'data.extxyz');
writeFileSync(DATA, extxyzText(Array.from({ length: 6 }, (_, k) => randomFrame(rand, { n: 40, orientations: true, shapes: true, forces: true, torques: true, energy: -k - 1 }))));
/** A regular file that must never change; paths under it are ENOTDIR. */
const PRECIOUS = join(dir, 'precious.txt');
writeFileSync(PRECIOUS, 'keep me\n');
/** A directory named like an output file (EISDIR), with a file inside that must never change. */
const AS_DIR = join(dir, 'asdir.extxyz');
mkdirSync(AS_DIR);
writeFileSync(join(AS_DIR, 'inside.txt'), 'keep me too\n');
const MODEL = join(DUMBBELLS, '..', 'gayberne-anisoap', 'model.msgpack');

function trainConfig(output: { model: string; report: string }): string {
  const path = join(dir, `train-${Math.floor(rand() * 1e9)}.json`);
  writeFileSync(path, JSON.stringify({
    data: { files: [DATA] },
    features: { kind: 'anisoap', maxAngular: 2, maxRadial: 1, gaussianWidth: 1, cutoff: 3.5 },
    output,
  }));
  return path;
}

/** Every file under `root` with its bytes and modification time. */
function snapshot(root: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const name of readdirSync(root, { recursive: true }) as string[]) {
    const p = join(root, name);
    const st = statSync(p);
    out.set(name, st.isFile() ? `${st.mtimeMs}:${readFileSync(p, 'base64')}` : 'dir');
  }
  return out;
}

/** Run the CLI and check the refusal: exit 2, quick, nothing computed, one line naming `path` and `reason`, no stack, nothing under `dir` changed. */
async function expectRefused(args: string[], path: string, reason: RegExp, asNobody = false): Promise<void> {
  const before = snapshot(dir);
  const t0 = performance.now();
  const r = await (asNobody ? start(RUNUSER, ['-u', 'nobody', '--', process.execPath, CLI, ...args], { timeoutMs: 60_000 }) : startCli(args, { timeoutMs: 60_000 })).done;
  const ms = performance.now() - t0;
  expect(r.code, r.stderr).toBe(2);
  expect(ms).toBeLessThan(QUICK_MS);
  expect(r.stdout).toBe('');
  expect(r.stderr).toContain(path);
  expect(r.stderr).toMatch(reason);
  expect(r.stderr).not.toMatch(/^\s{4}at /m);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(snapshot(dir)).toEqual(before);
}

/** A read-only directory `ro` holding the file `existing` (an old output): `args` must be refused with EACCES (as `nobody` when root), the file untouched. */
async function expectRefusedReadOnly(ro: string, existing: string, args: string[]): Promise<void> {
  mkdirSync(ro);
  writeFileSync(existing, 'old output\n');
  chmodSync(ro, 0o555);
  try {
    await expectRefused(args, args[args.indexOf('--out') + 1]!, /not writable \(EACCES/, IS_ROOT);
  } finally {
    chmodSync(ro, 0o755);
  }
}

const ENOENT = /does not exist \(ENOENT\)/;
const ENOTDIR = /is not a directory \(ENOTDIR\)/;
const EISDIR = /is a directory \(EISDIR\)/;

/** The commands with a file output: how to run each with `--out OUT`. */
const FILE_COMMANDS: [string, (out: string) => string[]][] = [
  ['featurize', (out) => ['featurize', DATA, '--lmax', '2', '--nmax', '1', '--sigma', '1', '--rcut', '4', '--out', out]],
  ['predict', (out) => ['predict', MODEL, DATA, '--out', out, '-q']],
  ['replay', (out) => ['replay', '--config', join(DUMBBELLS, 'driver.json'), join(DUMBBELLS, 'init.xyz'), '--out', out, '-q']],
];
/** The commands with a directory output. */
const DIR_COMMANDS: [string, (out: string) => string[]][] = [
  ['analyze', (out) => ['analyze', DATA, '--workers', '0', '--out', out]],
  ['demo', (out) => ['demo', '-n', '20000', '--out', out]],
];

/** `featurize` needs .npy or .json; the others write extxyz. */
const fileName = (cmd: string, base: string) => (cmd === 'featurize' ? `${base}.npy` : `${base}.extxyz`);

describe('file outputs (featurize, predict, replay)', () => {
  for (const [cmd, argv] of FILE_COMMANDS) {
    it(`F77 (${cmd}) a missing output directory is refused at once (ENOENT)`, async () => {
      const out = join(dir, 'no-such-dir', fileName(cmd, 'out'));
      await expectRefused(argv(out), out, ENOENT);
    });
    it(`F78 (${cmd}) an output path under a regular file is refused at once (ENOTDIR), the file untouched`, async () => {
      const out = join(PRECIOUS, fileName(cmd, 'out'));
      await expectRefused(argv(out), out, ENOTDIR);
    });
    it(`F79 (${cmd}) a directory as the output file is refused at once (EISDIR), its contents untouched`, async () => {
      const out = cmd === 'featurize' ? join(dir, 'asdir2.npy') : AS_DIR;
      if (cmd === 'featurize') {
        mkdirSync(out, { recursive: true });
        writeFileSync(join(out, 'inside.txt'), 'keep\n');
      }
      await expectRefused(argv(out), out, EISDIR);
    });
    it.runIf(CAN_TEST_EACCES)(`F80 (${cmd}) a read-only output directory is refused at once (EACCES), the existing output untouched`, async () => {
      const out = join(dir, `ro-${cmd}`, fileName(cmd, 'out'));
      await expectRefusedReadOnly(join(dir, `ro-${cmd}`), out, argv(out));
    });
  }
});

describe('directory outputs (analyze, demo)', () => {
  for (const [cmd, argv] of DIR_COMMANDS) {
    it(`F81 (${cmd}) a regular file as the output directory is refused at once (ENOTDIR), the file untouched`, async () => {
      await expectRefused(argv(PRECIOUS), PRECIOUS, ENOTDIR);
    });
    it(`F81 (${cmd}) an output directory under a regular file is refused at once (ENOTDIR)`, async () => {
      const out = join(PRECIOUS, 'sub', 'dir');
      await expectRefused(argv(out), out, new RegExp(`${PRECIOUS.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not a directory \\(ENOTDIR\\)`));
    });
    it.runIf(CAN_TEST_EACCES)(`F80 (${cmd}) a read-only output directory is refused at once (EACCES), its files untouched`, async () => {
      const ro = join(dir, `ro-${cmd}`);
      await expectRefusedReadOnly(ro, join(ro, 'summary.json'), argv(ro));
    });
  }
});

describe('train outputs (output.model, output.report of the config)', () => {
  it('F82 a regular file as output.report is refused at once (ENOTDIR, exit 2), the file untouched', async () => {
    const config = trainConfig({ model: join(dir, 'train-out', 'model.msgpack'), report: PRECIOUS });
    await expectRefused(['train', '--config', config, '-q'], PRECIOUS, ENOTDIR);
  });
  it('F82 an output.model under a regular file is refused at once (ENOTDIR, exit 2)', async () => {
    const model = join(PRECIOUS, 'model.msgpack');
    const config = trainConfig({ model, report: join(dir, 'train-out', 'report') });
    await expectRefused(['train', '--config', config, '-q'], model, /output\.model .* is not a directory \(ENOTDIR\)/);
  });
  it('F82 an output.model that is a directory is refused at once (EISDIR)', async () => {
    const config = trainConfig({ model: AS_DIR, report: join(dir, 'train-out', 'report') });
    await expectRefused(['train', '--config', config, '-q'], AS_DIR, EISDIR);
  });
});

describe('the output checks in-process', () => {
  it('a writable directory passes and keeps nothing of the probe; missing directories to be created pass and are not created', () => {
    const d = mkdtempSync(join(tmpdir(), 'anisodrive-outcheck-'));
    checkOutputFile(join(d, 'x.extxyz'));
    checkOutputDirectory(join(d, 'a', 'b'));
    checkOutputFile(join(d, 'm', 'n', 'model.msgpack'), { createsDirectories: true });
    expect(readdirSync(d)).toEqual([]);
  });
  it('a missing directory is an E_ARG naming the path, or E_CONFIG when asked; a file needs an existing directory unless it may be created', () => {
    const d = mkdtempSync(join(tmpdir(), 'anisodrive-outcheck-'));
    const out = join(d, 'none', 'x.npy');
    expect(() => checkOutputFile(out)).toThrow(AnisoError);
    expect(() => checkOutputFile(out)).toThrow(`--out ${out}: directory ${join(d, 'none')} does not exist (ENOENT)`);
    try {
      checkOutputFile(out, { what: 'output.model', code: 'E_CONFIG' });
      expect.unreachable();
    } catch (err) {
      expect((err as AnisoError).code).toBe('E_CONFIG');
      expect((err as AnisoError).message).toContain(`output.model ${out}`);
    }
    expect(() => checkOutputDirectory(join(d, 'none'), { createsDirectories: false })).toThrow(/does not exist \(ENOENT\)/);
  });
});

describe('the CLI error line', () => {
  it('F83 a Node system error is one line with its code and path, no stack; an AnisoError its message and code; a bug keeps its stack', () => {
    let sys: unknown;
    try {
      readFileSync(join(dir, 'no-such-file'));
    } catch (err) {
      sys = err;
    }
    const line = errorLine(sys);
    expect(line).toContain('ENOENT');
    expect(line).toContain(join(dir, 'no-such-file'));
    expect(line).not.toContain('\n');
    const bare = Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES', path: '/x/y' });
    expect(errorLine(bare)).toBe('EACCES: permission denied (/x/y) [EACCES]');
    expect(errorLine(new AnisoError('E_IO', 'f.xyz:3: bad'))).toBe('f.xyz:3: bad [E_IO]');
    expect(errorLine(new TypeError('oops'))).toMatch(/^TypeError: oops\n\s{4}at /);
  });
});
