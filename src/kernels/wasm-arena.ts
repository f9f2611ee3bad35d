// SPDX-License-Identifier: BSD-3-Clause
/**
 * The linear memory the WebAssembly kernels of one thread address: one shared
 * `WebAssembly.Memory` per thread and a bump allocator handing out `Float64Array` views of it.
 *
 * The memory is shared (`SharedArrayBuffer`-backed) so that growing it never detaches a view
 * handed out earlier: every view keeps addressing the same bytes, which is what the kernels read
 * through the views' `byteOffset`s. Blocks are never freed; callers allocate their working arrays
 * once per size and grow them geometrically, so the memory stays within twice what they hold.
 */
import { AnisoError } from '../core/errors.js';
import { WASM_MAX_PAGES } from './emit-wasm.js';

/** Bytes per WebAssembly page. */
const PAGE = 65536;
/** Alignment of every block, bytes (a cache line). */
const ALIGN = 64;

/** A shared memory and its bump pointer. */
export class WasmArena {
  /** The memory the kernels import as `env.memory`. */
  readonly memory: WebAssembly.Memory;
  private top = ALIGN;
  /** The `SharedArrayBuffer` objects views were made on (a new one after each growth). */
  private readonly buffers = new Set<ArrayBufferLike>();

  /** @param initialPages - pages to start with (64 KiB each). */
  constructor(initialPages = 16) {
    this.memory = new WebAssembly.Memory({ initial: initialPages, maximum: WASM_MAX_PAGES, shared: true });
  }

  /** Bytes in use (the bump pointer). */
  get usedBytes(): number {
    return this.top;
  }

  /**
   * A zeroed view of `length` f64 in the memory, 64-byte aligned, growing the memory as needed.
   * @throws AnisoError `E_ARG` for a negative or non-integer length; `E_SIZE` past 4 GiB.
   */
  allocate(length: number): Float64Array {
    if (!Number.isInteger(length) || length < 0) throw new AnisoError('E_ARG', `wasm arena: length ${length} is not a non-negative integer`);
    const start = this.top, end = start + 8 * length;
    const have = this.memory.buffer.byteLength;
    if (end > have) {
      const pages = Math.ceil((end - have) / PAGE);
      if (have / PAGE + pages > WASM_MAX_PAGES) {
        throw new AnisoError('E_SIZE', `wasm arena: ${(end / 2 ** 30).toFixed(2)} GiB needed, more than the 4 GiB a WebAssembly memory can hold`);
      }
      this.memory.grow(Math.max(pages, Math.ceil(have / PAGE / 2)));
    }
    this.top = Math.ceil(end / ALIGN) * ALIGN;
    // fresh pages are zero; a block is never handed out twice, so no clearing is needed
    const buffer = this.memory.buffer;
    this.buffers.add(buffer);
    return new Float64Array(buffer, start, length);
  }

  /** Whether `view` is a view of this arena's memory (made by {@link WasmArena.allocate}). */
  owns(view: ArrayBufferView): boolean {
    return this.buffers.has(view.buffer);
  }
}

let arena: WasmArena | null = null;

/** This thread's arena (created on first use). */
export function threadArena(): WasmArena {
  arena ??= new WasmArena();
  return arena;
}
