// SPDX-License-Identifier: BSD-3-Clause
/**
 * An in-process {@link AsyncForceSource}: a synchronous {@link ForceProvider} behind the same
 * promise-based interface as a remote driver, so the engine, its tests and single-process demos
 * run without sockets.
 */
import { AnisoError } from '../core/errors.js';
import type { AsyncForceSource, ForceProvider, ForceResult, ParticleSystem } from '../core/system.js';

/**
 * Wraps a synchronous {@link ForceProvider}. `compute` calls the provider at once and returns a
 * settled promise (a provider's exception becomes a rejection). After {@link LocalForceSource.close}
 * every `compute` rejects with `E_ARG`.
 */
export class LocalForceSource implements AsyncForceSource {
  /** The wrapped provider. */
  readonly provider: ForceProvider;
  private closed = false;
  private count = 0;

  /** @param provider the force provider to call in-process */
  constructor(provider: ForceProvider) {
    this.provider = provider;
  }

  /** Number of `compute` calls that reached the provider. */
  get calls(): number {
    return this.count;
  }

  /** True once {@link LocalForceSource.close} was called. */
  get isClosed(): boolean {
    return this.closed;
  }

  /** Energy (eV), forces (3n, eV/Å) and virial (9, eV) of `system`, from the provider. */
  compute(system: ParticleSystem): Promise<ForceResult> {
    if (this.closed) {
      return Promise.reject(new AnisoError('E_ARG', `force source '${this.provider.name}' is closed`));
    }
    this.count++;
    try {
      return Promise.resolve(this.provider.compute(system));
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** Mark the source closed. Idempotent. */
  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }
}
