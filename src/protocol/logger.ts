// SPDX-License-Identifier: BSD-3-Clause
/**
 * Levelled logging for the protocol layer, with i-PI's verbosity names and prefixes. Nothing here
 * writes to the console: callers inject a {@link ProtocolLogger} (the CLI's logger fits it
 * structurally) or build one from a line-writing function with {@link lineLogger}.
 *
 * Informational lines about the socket start with {@link SOCKET_PREFIX} (`@SOCKET:`); warnings are
 * passed to `warn()` without prefix, and the logger adds ` !W! ` (as i-PI prints them).
 */

/** i-PI's verbosity levels, from silent to chattiest. */
export const VERBOSITY_LEVELS = ['quiet', 'low', 'medium', 'high', 'debug'] as const;
/** One verbosity level. */
export type Verbosity = (typeof VERBOSITY_LEVELS)[number];

/** Prefix of informational socket lines, as in i-PI's output. */
export const SOCKET_PREFIX = '@SOCKET: ';
/** Prefix of warnings, as in i-PI's output. */
export const WARNING_PREFIX = ' !W! ';

/** Where protocol code reports. */
export interface ProtocolLogger {
  /** The logger's verbosity; callers skip building lines above it. */
  readonly verbosity: Verbosity;
  /** Report `text` if the logger's verbosity is at least `level`. */
  info(level: Verbosity, text: string): void;
  /** Report a warning (the logger adds the ` !W! ` prefix). */
  warn(text: string): void;
}

/** Position of `level` in {@link VERBOSITY_LEVELS} (quiet = 0 … debug = 4); throws on unknown names. */
export function verbosityRank(level: Verbosity): number {
  const k = VERBOSITY_LEVELS.indexOf(level);
  if (k < 0) throw new RangeError(`unknown verbosity '${String(level)}'; allowed: ${VERBOSITY_LEVELS.join(', ')}`);
  return k;
}

/** True if a line at `level` would be reported by `logger` (never for `quiet` lines or loggers). */
export function logEnabled(logger: ProtocolLogger, level: Verbosity): boolean {
  const r = verbosityRank(level);
  return r > 0 && r <= verbosityRank(logger.verbosity);
}

/** A logger that reports nothing. */
export const SILENT_LOGGER: ProtocolLogger = Object.freeze({
  verbosity: 'quiet' as Verbosity,
  info(): void {},
  warn(): void {},
});

/**
 * A logger writing whole lines through `write` (no newline added): info lines at or below
 * `verbosity`, warnings prefixed with ` !W! ` unless `verbosity` is `quiet`.
 */
export function lineLogger(write: (line: string) => void, verbosity: Verbosity = 'low'): ProtocolLogger {
  const rank = verbosityRank(verbosity);
  return {
    verbosity,
    info(level, text) {
      const r = verbosityRank(level);
      if (r > 0 && r <= rank) write(text);
    },
    warn(text) {
      if (rank > 0) write(WARNING_PREFIX + text);
    },
  };
}
