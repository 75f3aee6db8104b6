/**
 * The base of the CPU backends (js and native): host memory as storage, the typed array being
 * the handle. Storage calls go to the shared host allocator (tensor/host-storage.ts), which is why
 * a tensor made on one CPU backend runs on the other with no move.
 */
import type { TypedArray } from '../tensor/dtype.js';
import { hostStorage } from '../tensor/host-storage.js';
import type { Storage } from './backend.js';
import { type Args, BaseBackend } from './base-backend.js';

const host = hostStorage as Required<typeof hostStorage>;

export abstract class HostBackend extends BaseBackend {
  readonly storageKind = 'host';

  allocate(...a: Args<'allocate'>): Storage {
    return host.allocate(...a);
  }
  allocateZeroed(...a: Args<'allocateZeroed'>): Storage {
    return host.allocateZeroed(...a);
  }
  upload(...a: Args<'upload'>): Storage {
    return host.upload(...a);
  }
  read(...a: Args<'read'>): Promise<TypedArray> {
    return host.read(...a);
  }
  /** Host storage reads synchronously: the handle is the values. */
  readSync(...a: Parameters<typeof host.readSync>): TypedArray {
    return host.readSync(...a);
  }
  copy(...a: Args<'copy'>): void {
    host.copy(...a);
  }
  write(...a: Args<'write'>): void {
    host.write(...a);
  }
  storageMark(): number {
    return host.storageMark();
  }
  release(...a: Args<'release'>): boolean {
    return host.release(...a);
  }
  sizeOf(storage: Storage): number {
    return (storage as TypedArray).length;
  }
}
