// SPDX-License-Identifier: BSD-3-Clause
/**
 * Progress for long work: a redrawn bar on a terminal, plain periodic lines otherwise (batch logs,
 * CI). No dependency: one line of text, rewritten with a carriage return.
 */

/** Progress reporter. `update(done, extra)` may be called often; it throttles itself. */
export interface Progress {
  update(done: number, extra?: string): void;
  finish(extra?: string): void;
}

/**
 * A progress reporter for `total` units of work labelled `label`, writing to `stream`
 * (default stderr). On a TTY it redraws a bar at most every 100 ms; otherwise it prints a plain line
 * every `plainEverySeconds` (default 5 s) and at the end.
 */
export function createProgress(
  label: string,
  total: number,
  options: { stream?: NodeJS.WriteStream; plainEverySeconds?: number; enabled?: boolean } = {},
): Progress {
  const stream = options.stream ?? process.stderr;
  const tty = Boolean(stream.isTTY);
  const enabled = options.enabled ?? true;
  const start = performance.now();
  let last = -Infinity;
  const interval = tty ? 100 : (options.plainEverySeconds ?? 5) * 1000;

  const line = (done: number, extra?: string) => {
    const elapsed = (performance.now() - start) / 1000;
    const frac = total > 0 ? Math.min(1, done / total) : 1;
    const eta = done > 0 ? (elapsed * (total - done)) / done : NaN;
    const etaText = Number.isFinite(eta) ? ` eta ${eta.toFixed(0)} s` : '';
    const tail = extra ? `  ${extra}` : '';
    if (tty) {
      const width = 24;
      const filled = Math.round(frac * width);
      return `\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}${etaText}${tail}\x1b[K`;
    }
    return `${label}: ${done}/${total} (${(frac * 100).toFixed(0)}%) ${elapsed.toFixed(1)} s${etaText}${tail}\n`;
  };

  return {
    update(done, extra) {
      if (!enabled) return;
      const now = performance.now();
      if (now - last < interval) return;
      last = now;
      stream.write(line(done, extra));
    },
    finish(extra) {
      if (!enabled) return;
      stream.write(line(total, extra) + (tty ? '\n' : ''));
    },
  };
}
