// SPDX-License-Identifier: BSD-3-Clause
/**
 * Starting the real programs in integration tests: the compiled `anisodrive` CLI, Debian's
 * python3 with ASE. Every child is killed when its test ends, and every wait has a deadline, so a
 * broken peer fails a test instead of hanging the suite.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** The compiled CLI entry. */
export const CLI = fileURLToPath(new URL('../../dist/plugin/main.js', import.meta.url));
/** The dumbbell example folder. */
export const DUMBBELLS = fileURLToPath(new URL('../../examples/gayberne-dumbbells/', import.meta.url));

/**
 * The Python that has ASE: `ANISODRIVE_PYTHON` if set, else Debian's `/usr/bin/python3` (the
 * first `python3` on PATH may be another installation without python3-ase).
 */
export const PYTHON = process.env.ANISODRIVE_PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');

/** A finished child: exit code (or null with a signal) and everything it printed. */
export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A started child with its collected output and a promise of its end. */
export interface Started {
  child: ChildProcess;
  done: Promise<Finished>;
  output(): { stdout: string; stderr: string };
}

const running = new Set<ChildProcess>();

/** Start `command args` with output collected; `timeoutMs` kills it (SIGKILL) when exceeded. */
export function start(command: string, args: string[], options: { cwd?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Started {
  const child = spawn(command, args, { cwd: options.cwd ?? ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: options.env ?? process.env });
  running.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (t: string) => (stdout += t));
  child.stderr!.setEncoding('utf8').on('data', (t: string) => (stderr += t));
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
  const done = new Promise<Finished>((resolve) => {
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      running.delete(child);
      resolve({ code, signal, stdout, stderr });
    });
  });
  return { child, done, output: () => ({ stdout, stderr }) };
}

/** Start the compiled CLI with `args`. */
export function startCli(args: string[], options: { timeoutMs?: number; cwd?: string } = {}): Started {
  return start(process.execPath, [CLI, ...args], options);
}

/** Kill every child still running (call from afterEach). */
export function killAll(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A name unique to this process and call, for socket files. */
let counter = 0;
export function uniqueName(tag: string): string {
  return `${tag}-${process.pid}-${Date.now().toString(36)}-${counter++}`;
}

/** Wait until `path` exists (a socket file a server is creating), or throw after `timeoutMs`. */
export async function waitForPath(path: string, timeoutMs = 30_000): Promise<void> {
  const t0 = Date.now();
  while (!existsSync(path)) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`${path} did not appear within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
