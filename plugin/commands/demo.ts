// SPDX-License-Identifier: BSD-3-Clause
/**
 * `anisodrive demo` (= `npm start`): the embedded engine (this process) and `anisodrive drive`
 * (a child process) over a real UNIX socket, on the Gay–Berne dumbbell example: 288 GB(3,5,2,1)
 * ellipsoids carried as 576 sites in a periodic box. Prints progress and the conserved-energy
 * drift, writes the trajectory and energy log to the output directory.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AnisoError } from '../../src/core/errors.js';
import { lineLogger } from '../../src/protocol/logger.js';
import { checkOutputDirectory } from '../output-check.js';
import { printSummary, runEngine } from './engine.js';

/** Flags of `anisodrive demo`. */
export interface DemoFlags {
  steps: number;
  dt: number;
  temperature: number;
  langevin?: number;
  out: string;
  seed: number;
}

/** The package root (the folder holding `examples/`), from this file's location in `dist/plugin/commands/`. */
function packageRoot(): string {
  return resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
}

function waitForExit(child: ChildProcess): Promise<number> {
  return new Promise((resolveExit) => {
    if (child.exitCode !== null) resolveExit(child.exitCode);
    else child.once('exit', (code, signal) => resolveExit(code ?? (signal ? 128 : 1)));
  });
}

/** Run the demo; returns the exit code. */
export async function demoCommand(flags: DemoFlags): Promise<number> {
  const root = packageRoot();
  const example = join(root, 'examples', 'gayberne-dumbbells');
  const main = join(root, 'dist', 'plugin', 'main.js');
  checkOutputDirectory(flags.out);
  mkdirSync(flags.out, { recursive: true });
  // A private socket directory: no clash with other runs, nothing left in /tmp afterwards.
  const sockDir = mkdtempSync(join(tmpdir(), 'anisodrive-'));
  const prefix = join(sockDir, 'ipi_');
  const address = 'demo';
  const print = (line: string) => process.stdout.write(line + '\n');
  print(`anisodrive demo: GB(3,5,2,1) dumbbells (${join('examples', 'gayberne-dumbbells')}), engine and driver in two processes`);

  const child: { proc: ChildProcess | null; exit: Promise<number> | null } = { proc: null, exit: null };
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  try {
    const { summary, sites } = await runEngine({
      init: join(example, 'init.xyz'),
      steps: flags.steps,
      dt: flags.dt,
      temperature: flags.temperature,
      ...(flags.langevin !== undefined ? { friction: flags.langevin } : {}),
      seed: flags.seed,
      socket: { mode: 'unix', address, prefix },
      order: 'ipi',
      outPrefix: join(flags.out, 'demo'),
      stride: 10,
      print,
      logger: lineLogger((line) => process.stderr.write(line + '\n'), 'quiet'),
      acceptTimeoutMs: 60_000,
      signal: controller.signal,
      onListening: () => {
        const driver = spawn(process.execPath, [main, 'drive', '--config', join(example, 'driver.json'), '-u', '-a', address, '-S', prefix], {
          stdio: ['ignore', 'inherit', 'inherit'],
        });
        child.proc = driver;
        child.exit = waitForExit(driver);
        void child.exit.then((code) => {
          if (code !== 0) controller.abort();
        });
      },
    });
    printSummary(summary, sites, print);
    const code = child.exit ? await child.exit : 1;
    if (code !== 0) throw new AnisoError('E_TRANSPORT', `the driver process exited with status ${code}`);
    print(`wrote ${join(flags.out, 'demo.extxyz')} (every 10 steps) and ${join(flags.out, 'demo.energy.csv')}`);
    return 0;
  } catch (err) {
    const code = child.exit ? await Promise.race([child.exit, new Promise<number>((r) => setTimeout(() => r(-1), 2000))]) : null;
    if (code !== null && code !== 0) {
      throw new AnisoError('E_TRANSPORT', `the driver process failed (exit status ${code}); see its message above`, { cause: err });
    }
    throw err;
  } finally {
    process.off('SIGINT', stop);
    child.proc?.kill();
    rmSync(sockDir, { recursive: true, force: true });
  }
}
