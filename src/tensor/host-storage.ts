/**
 * Host memory as a storage backend: the typed array is the handle. The CPU backends (js and
 * native) both extend this class, which is why a tensor made on one runs on the other with no
 * move; the allocator is the recycling pool (storage-pool.ts). Tensors built from typed arrays
 * outside any op (data loaders, weight files) are owned by `hostStorage` and report the backend
 * 'host'.
 */
import type { DType, TypedArray } from './dtype.js';
import type { Storage, StorageBackend } from './storage.js';
import { recycleStorage, storageMark, takeStorage, takeZeroedStorage } from './storage-pool.js';

export class HostStorage implements StorageBackend {
  readonly name: string;
  readonly storageKind = 'host';

  constructor(name: string) {
    this.name = name;
  }

  allocate(dtype: DType, size: number): Storage {
    return takeStorage(dtype, size);
  }

  allocateZeroed(dtype: DType, size: number): Storage {
    return takeZeroedStorage(dtype, size);
  }

  /** Adopts the array itself: no copy. */
  upload(values: TypedArray): Storage {
    return values;
  }

  read(storage: Storage): Promise<TypedArray> {
    return Promise.resolve(storage as TypedArray);
  }

  readSync(storage: Storage): TypedArray {
    return storage as TypedArray;
  }

  copy(src: Storage, dst: Storage, size: number): void {
    const from = src as TypedArray;
    (dst as TypedArray).set(from.length === size ? from : from.subarray(0, size));
  }

  write(dst: Storage, values: ArrayLike<number>): void {
    (dst as TypedArray).set(values);
  }

  storageMark(): number {
    return storageMark();
  }

  release(storage: Storage, mark: number): boolean {
    return recycleStorage(storage as TypedArray, mark);
  }
}

/** Owner of host arrays that no backend made (the tensor constructor's default). */
export const hostStorage: StorageBackend = new HostStorage('host');
