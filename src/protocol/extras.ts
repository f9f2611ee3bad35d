// SPDX-License-Identifier: BSD-3-Clause
/**
 * The FORCEREADY extras string: what a driver may send and how a server reads it.
 *
 * i-PI (≥ 2.4) parses extras as a JSON **object** and adds a `"raw"` key holding the text; a JSON
 * value that is not an object, or an object that already has `"raw"`, makes i-PI's poll thread
 * throw and the run hang. ASE 3.22 crashes on extras longer than one byte. Hence: send nothing by
 * default, and when asked to send, send a JSON object without `"raw"` (PROTOCOL.md §2).
 */
import { AnisoError } from '../core/errors.js';

/** Key i-PI reserves in parsed extras. */
export const RESERVED_EXTRAS_KEY = 'raw';

/** Replace typed arrays by plain arrays so that they serialise as JSON lists. */
function replacer(_key: string, value: unknown): unknown {
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    return Array.from(value as unknown as ArrayLike<number>);
  }
  return value;
}

/**
 * The UTF-8 JSON text of a provider's extras, safe for i-PI, or `null` when there is nothing to
 * send (no keys). A key `"raw"` is renamed to `"raw_"` (more underscores if taken), and
 * `onRename(from, to)` is told. Typed arrays become JSON lists; non-finite numbers become `null`
 * (JSON has no NaN).
 *
 * Throws `E_ARG` if the extras cannot be serialised (cycles, BigInt) or do not form an object.
 */
export function encodeExtras(
  extras: Record<string, unknown>,
  onRename?: (from: string, to: string) => void,
): Buffer | null {
  if (extras === null || typeof extras !== 'object' || Array.isArray(extras)) {
    throw new AnisoError('E_ARG', `provider extras must be a plain object, got ${Array.isArray(extras) ? 'an array' : typeof extras}`);
  }
  let obj: Record<string, unknown> = extras;
  if (Object.hasOwn(extras, RESERVED_EXTRAS_KEY)) {
    let to = RESERVED_EXTRAS_KEY + '_';
    while (Object.hasOwn(extras, to)) to += '_';
    obj = {};
    for (const [k, v] of Object.entries(extras)) obj[k === RESERVED_EXTRAS_KEY ? to : k] = v;
    onRename?.(RESERVED_EXTRAS_KEY, to);
  }
  if (Object.keys(obj).length === 0) return null;
  let text: string | undefined;
  try {
    text = JSON.stringify(obj, replacer);
  } catch (err) {
    throw new AnisoError('E_ARG', `provider extras are not JSON-serialisable: ${(err as Error).message}`, { cause: err });
  }
  if (text === undefined || !text.startsWith('{')) {
    throw new AnisoError('E_ARG', `provider extras must serialise to a JSON object, got ${String(text).slice(0, 40)}`);
  }
  return Buffer.from(text, 'utf8');
}

/**
 * Server side: the extras text of a FORCEREADY as an object. Blank → `{}`; a JSON object → that
 * object; anything else (not JSON, or a JSON value that is not an object) → `{ raw: text }`.
 */
export function parseExtras(text: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  try {
    const value: unknown = JSON.parse(text);
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // not JSON: fall through
  }
  return { [RESERVED_EXTRAS_KEY]: text };
}
