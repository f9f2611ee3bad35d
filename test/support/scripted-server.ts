// SPDX-License-Identifier: BSD-3-Clause
/**
 * Hand-written i-PI servers for the `anisodrive drive` process tests: one connection on a unix
 * socket in a fresh folder, its behaviour a script over the accepted socket. Every wait is bounded.
 */
import { mkdtempSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A one-connection unix server listening on `prefix + 'x'`. `finished` resolves with every byte
 * the driver sent, once the script is done and the connection closed. `pauseOnConnect`: the
 * socket reads nothing unless the script resumes it (its close then resets the connection).
 */
export async function scriptedServer(script: (socket: net.Socket, received: () => Buffer) => Promise<void>, options: { pauseOnConnect?: boolean } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'anisodrive-cli-'));
  const prefix = join(dir, 'ipi_');
  const server = net.createServer({ pauseOnConnect: options.pauseOnConnect ?? false });
  await new Promise<void>((r) => server.listen(prefix + 'x', () => r()));
  let bytes = Buffer.alloc(0);
  const finished = new Promise<Buffer>((resolve, reject) => {
    server.once('connection', (socket) => {
      socket.on('error', () => {});
      if (!options.pauseOnConnect) socket.on('data', (d) => (bytes = Buffer.concat([bytes, d])));
      script(socket, () => bytes)
        .then(() => new Promise<void>((r) => (socket.destroyed ? r() : socket.once('close', () => r()))))
        .then(() => resolve(bytes), reject);
    });
  });
  return { prefix, finished, close: () => server.close() };
}

/** Wait until the server has received at least `n` bytes in total (20 s at most). */
export async function until(received: () => Buffer, n: number): Promise<void> {
  const t0 = Date.now();
  while (received().length < n) {
    if (Date.now() - t0 > 20_000) throw new Error(`only ${received().length} of ${n} bytes arrived`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
