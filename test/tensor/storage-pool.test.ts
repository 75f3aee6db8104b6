import { afterEach, describe, expect, it } from 'vitest';
import {
  clearStoragePool,
  MAX_POOLED_BYTES,
  MIN_POOLED_ELEMENTS,
  recycleStorage,
  setStoragePoolLimit,
  storageMark,
  storagePoolStats,
  takeStorage,
  takeZeroedStorage,
} from '../../src/tensor/storage-pool.js';

const N = MIN_POOLED_ELEMENTS * 2;

describe('storage pool', () => {
  afterEach(() => {
    clearStoragePool();
    setStoragePoolLimit(MAX_POOLED_BYTES);
  });

  it('hands recycled storage out again, by dtype and exact size', () => {
    clearStoragePool();
    const mark = storageMark();
    const a = takeStorage('float32', N);
    const b = takeStorage('int32', N);
    expect(recycleStorage(a, mark)).toBe(true);
    expect(recycleStorage(b, mark)).toBe(true);
    expect(storagePoolStats()).toEqual({ arrays: 2, bytes: 8 * N, weak: 0 });
    expect(takeStorage('float32', N + 1)).not.toBe(a);
    expect(takeStorage('int32', N)).toBe(b);
    expect(takeStorage('float32', N)).toBe(a);
    expect(storagePoolStats()).toEqual({ arrays: 0, bytes: 0, weak: 0 });
  });

  it('refuses storage it did not hand out after the mark, twice, or in part', () => {
    const before = takeStorage('float32', N);
    const mark = storageMark();
    expect(recycleStorage(before, mark)).toBe(false);
    expect(recycleStorage(new Float32Array(N), mark)).toBe(false);
    const small = takeStorage('float32', MIN_POOLED_ELEMENTS - 1);
    expect(recycleStorage(small, mark)).toBe(false);
    const a = takeStorage('float32', N);
    expect(recycleStorage(a.subarray(0, N / 2), mark)).toBe(false);
    expect(recycleStorage(a, mark)).toBe(true);
    expect(recycleStorage(a, mark)).toBe(false);
    expect(storagePoolStats().arrays).toBe(1);
  });

  it('zeroes recycled storage when zeros are asked for', () => {
    const mark = storageMark();
    const a = takeStorage('float32', N);
    a.fill(3);
    recycleStorage(a, mark);
    const z = takeZeroedStorage('float32', N);
    expect(z).toBe(a);
    expect(z.every((v) => v === 0)).toBe(true);
  });

  it('holds storage past its limit only weakly, and still hands it out while alive', () => {
    clearStoragePool();
    setStoragePoolLimit(4 * N);
    const mark = storageMark();
    const a = takeStorage('float32', N);
    const b = takeStorage('float32', N);
    expect(recycleStorage(a, mark)).toBe(true);
    expect(recycleStorage(b, mark)).toBe(true);
    expect(storagePoolStats()).toEqual({ arrays: 1, bytes: 4 * N, weak: 1 });
    // Last in, first out: the weakly held one first.
    expect(takeStorage('float32', N)).toBe(b);
    expect(takeStorage('float32', N)).toBe(a);
    expect(storagePoolStats()).toEqual({ arrays: 0, bytes: 0, weak: 0 });
  });
});
