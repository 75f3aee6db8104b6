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
import { Tensor } from '../../src/tensor/tensor.js';

const N = MIN_POOLED_ELEMENTS * 2;

describe('storage pool', () => {
  afterEach(() => {
    clearStoragePool();
    setStoragePoolLimit(MAX_POOLED_BYTES);
  });

  it('hands recycled storage out again, by dtype and exact size', () => {
    clearStoragePool();
    const mark = storageMark();
    const a = takeStorage('float32', N).fill(1.5);
    const b = takeStorage('int32', N).fill(7);
    expect(recycleStorage(a, mark)).toBe(true);
    expect(recycleStorage(b, mark)).toBe(true);
    expect(storagePoolStats()).toEqual({ arrays: 2, bytes: 8 * N, weak: 0 });
    expect(takeStorage('float32', N + 1).every((v) => v === 0)).toBe(true);
    // The same memory comes back (its old values show: no poisoning here), under a new buffer.
    const b2 = takeStorage('int32', N);
    expect(b2).toBeInstanceOf(Int32Array);
    expect(b2.every((v) => v === 7)).toBe(true);
    expect(takeStorage('float32', N).every((v) => v === 1.5)).toBe(true);
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
    expect(storagePoolStats().arrays).toBe(1);
    const z = takeZeroedStorage('float32', N);
    expect(storagePoolStats().arrays).toBe(0);
    expect(z.every((v) => v === 0)).toBe(true);
  });

  it('holds storage past its limit only weakly, and still hands it out while alive', () => {
    clearStoragePool();
    setStoragePoolLimit(4 * N);
    const mark = storageMark();
    const a = takeStorage('float32', N).fill(1);
    const b = takeStorage('float32', N).fill(2);
    expect(recycleStorage(a, mark)).toBe(true);
    expect(recycleStorage(b, mark)).toBe(true);
    expect(storagePoolStats()).toEqual({ arrays: 1, bytes: 4 * N, weak: 1 });
    // Last in, first out: the weakly held one first.
    expect(takeStorage('float32', N).every((v) => v === 2)).toBe(true);
    expect(takeStorage('float32', N).every((v) => v === 1)).toBe(true);
    expect(storagePoolStats()).toEqual({ arrays: 0, bytes: 0, weak: 0 });
  });

  it('cuts storage it takes back off every tensor viewing it: a stale read throws, never shows new values', () => {
    const mark = storageMark();
    const a = takeStorage('float32', N).fill(4);
    const t = new Tensor(a, [2, N / 2]);
    const view = new Tensor(a, [N]);
    expect(recycleStorage(a, mark)).toBe(true);
    // Stale while the storage sits in the pool, and after its next owner took it.
    expect(() => t.dataSync()).toThrow(/can no longer be read/);
    const reused = takeStorage('float32', N).fill(9);
    expect(reused.length).toBe(N);
    for (const stale of [t, view]) {
      expect(() => stale.dataSync()).toThrow(
        /^Tensor \d+ of shape \[\d+(, \d+)?\] can no longer be read: its storage was recycled/,
      );
      expect(() => stale.arraySync()).toThrow(/can no longer be read/);
      expect(() => stale.clone()).toThrow(/can no longer be read/);
      expect(String(stale)).toMatch(/storage recycled/);
    }
    // A tensor made over the storage's new hand-out reads it.
    expect(new Tensor(reused, [N]).dataSync()[0]).toBe(9);
  });

  it('detaches storage whose array left through dataSync() or data(): the array reads as empty, never as new values', async () => {
    const mark = storageMark();
    const a = takeStorage('float32', N).fill(4);
    const b = takeStorage('float32', N).fill(5);
    const fromSync = new Tensor(a, [N]).dataSync();
    const part = fromSync.subarray(2, 10);
    const fromAsync = await new Tensor(b, [N]).data();
    expect(recycleStorage(a, mark)).toBe(true);
    expect(recycleStorage(b, mark)).toBe(true);
    const reused = [takeStorage('float32', N).fill(9), takeStorage('float32', N).fill(9)];
    expect(reused.map((r) => r.length)).toEqual([N, N]);
    expect(fromSync.length).toBe(0);
    expect(part.length).toBe(0);
    expect(fromAsync.length).toBe(0);
  });

  it('hands storage that never left the library back without a new ArrayBuffer', () => {
    clearStoragePool();
    const mark = storageMark();
    const a = takeStorage('float32', N);
    new Tensor(a, [N]).arraySync(); // copies the values out: the array itself stays inside
    expect(recycleStorage(a, mark)).toBe(true);
    expect(takeStorage('float32', N)).toBe(a);
  });
});
