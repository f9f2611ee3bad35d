// SPDX-License-Identifier: BSD-3-Clause
/**
 * What every scenario of the fault suite (docs/FAULTS.md, test/faults/) asserts about a finished
 * `anisodrive` process: its exit code, a one-line message naming the bad value, no stack trace,
 * and that it ended within its time bound. Also small helpers to write inputs in a fresh folder
 * and to compare a folder's files byte for byte before and after a failed run.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { Finished, Started } from './processes.js';

/** A fresh empty folder under the system temporary directory. */
export function freshDir(tag: string): string {
  return mkdtempSync(join(tmpdir(), `anisodrive-${tag}-`));
}

/** Write `value` (JSON-encoded unless a string or bytes) to `dir/name`; returns the path. */
export function writeIn(dir: string, name: string, value: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof value === 'string' || value instanceof Uint8Array ? value : JSON.stringify(value));
  return path;
}

/** A cheap driver configuration: identity mapping, zero potential, `connectTimeout` s of retries. */
export function zeroConfig(dir: string, connectTimeout = 0.5): string {
  return writeIn(dir, 'zero.json', { socket: { connectTimeout }, mapping: { kind: 'identity' }, potentials: [{ kind: 'zero' }] });
}

/** No stack trace and no Node crash banner in `text`. */
export function expectNoStack(text: string): void {
  expect(text).not.toMatch(/\n\s+at .*:\d+:\d+/);
  expect(text).not.toMatch(/Unhandled 'error' event|UnhandledPromiseRejection|node:internal/);
}

/**
 * A user fault: exit `code`, stderr containing `message` (a substring or a pattern naming the bad
 * value), exactly one `anisodrive: error:` line (or commander's one `error:` line for a usage error),
 * no stack trace.
 */
export function expectFault(r: Finished, code: number, message: string | RegExp): void {
  expect(r.code, `exit code; stderr:\n${r.stderr}`).toBe(code);
  if (typeof message === 'string') expect(r.stderr).toContain(message);
  else expect(r.stderr).toMatch(message);
  const errorLines = r.stderr.split('\n').filter((l) => /^(anisodrive: )?error:/.test(l));
  expect(errorLines, r.stderr).toHaveLength(1);
  expectNoStack(r.stderr);
}

/** A clean end: exit 0, stderr matching `message`, no error line, no stack. */
export function expectCleanEnd(r: Finished, message: string | RegExp): void {
  expect(r.code, `exit code; stderr:\n${r.stderr}`).toBe(0);
  if (typeof message === 'string') expect(r.stderr).toContain(message);
  else expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/^(anisodrive: )?error:/m);
  expectNoStack(r.stderr);
}

/** Await `started` and the time it took, failing if it ran past `boundMs` (a hang, not a fault). */
export async function within(started: Started, boundMs: number): Promise<Finished & { ms: number }> {
  const t0 = Date.now();
  const r = await started.done;
  const ms = Date.now() - t0;
  expect(r.signal, `killed by ${r.signal} (the process hung?); stderr:\n${r.stderr}`).toBeNull();
  expect(ms, `took ${ms} ms, bound ${boundMs} ms`).toBeLessThan(boundMs);
  return { ...r, ms };
}

/** Every file of `dir` (not recursive) with its bytes. */
export function snapshot(dir: string): Map<string, Buffer> {
  return new Map(readdirSync(dir, { withFileTypes: true }).filter((e) => e.isFile()).map((e) => [e.name, readFileSync(join(dir, e.name))]));
}

/** `dir` holds exactly the files of `before`, byte for byte: nothing lost, nothing added. */
export function expectUnchanged(dir: string, before: Map<string, Buffer>): void {
  const now = snapshot(dir);
  expect([...now.keys()].sort()).toEqual([...before.keys()].sort());
  for (const [name, bytes] of before) expect(now.get(name)!.equals(bytes), `${name} changed`).toBe(true);
}
