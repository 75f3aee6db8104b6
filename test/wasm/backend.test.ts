/**
 * What is particular to the wasm backend (its kernels are tested with the native suites through
 * test/native/harness.ts): the build Node loads, tensors in wasm memory across memory growth,
 * errors from the module, and the fallback order native > wasm > js.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordGradients } from '../../src/autograd/record.js';
import { loadWasmBackend } from '../../src/backend/wasm/load.js';
import * as capa from '../../src/index.js';
import { type BackendName, getBackend, ops, setBackend, Tensor } from '../../src/index.js';
import { clearPools, pooledStorage } from '../helpers/pooled-storage.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const wasm = loadWasmBackend();

describe('the wasm backend', () => {
  let previous: BackendName;
  beforeAll(() => {
    previous = getBackend();
    setBackend('wasm');
  });
  afterAll(() => setBackend(previous));

  it('loads in Node: the threads build, SIMD128 kernels, a pool of workers', () => {
    expect(wasm.reason).toBe('');
    const info = wasm.backend?.info();
    expect(info?.variant).toBe('threads');
    expect(info?.isa).toBe('wasm-simd');
    expect(info?.isas).toEqual(['wasm-simd', 'scalar']);
    expect(info?.threads).toBeGreaterThanOrEqual(1);
  });

  it('keeps tensors readable and correct while the memory grows under them', () => {
    const x = ops.relu(new Tensor(new Float32Array([-1, 2, -3, 4]), [2, 2]));
    expect(x.backend).toBe('wasm');
    // 96 MiB of new tensors: past the initial 64 MiB, so the memory grows (and, in the single
    // build, its old buffer is detached) while x is held.
    const big = Array.from({ length: 3 }, () => ops.zeros([8 * 1024 * 1024]));
    expect(big[2]?.backend).toBe('wasm');
    expect(Array.from(x.dataSync())).toEqual([0, 2, 0, 4]);
    expect(Array.from(ops.add(x, x).dataSync())).toEqual([0, 4, 0, 8]);
  });

  it('reports a kernel call the module refuses with the kernel and the sizes', () => {
    const be = wasm.backend;
    if (!be) throw new Error(wasm.reason);
    const x = be.upload(new Float32Array(4));
    expect(() => be.unary('relu', x, be.allocate('float32', 3), 0, 0)).toThrow("unary: out holds 3 elements, x's length need 4");
  });

  it('recycles a model pass: the next pass reuses the memory, a kept intermediate refuses to be read', () => {
    const kept: Tensor[] = [];
    class Keep extends capa.Layer {
      static override readonly className: string = 'Keep';
      override call(x: Tensor | Tensor[]): Tensor {
        kept.push(x as Tensor);
        return x as Tensor;
      }
    }
    const model = new capa.Sequential([
      new capa.layers.Dense(64, { activation: 'relu', inputShape: [32] }),
      new Keep(),
      new capa.layers.Dense(64, { activation: 'relu' }),
      new capa.layers.Dense(8),
    ]);
    const x = capa.randomNormal([64, 32], { seed: 1 });
    const expected = Array.from(recordGradients(() => model.apply(x) as Tensor).dataSync());
    clearPools();
    const memory = () =>
      (wasm.backend as unknown as { mod: { memory: { buffer: ArrayBufferLike } } }).mod.memory.buffer.byteLength;
    model.predictOnBatch(x);
    const pooled = pooledStorage();
    const size = memory();
    expect(pooled.arrays).toBeGreaterThan(0);
    for (let i = 0; i < 3; i++) expect(Array.from((model.predictOnBatch(x) as Tensor).dataSync())).toEqual(expected);
    // Each pass takes from the free list what the previous one gave back: no growth.
    expect(pooledStorage()).toEqual(pooled);
    expect(memory()).toBe(size);
    const stale = kept[kept.length - 1];
    expect(() => stale?.dataSync()).toThrow(
      /Tensor \d+ of shape \[64, 64\] can no longer be read: its storage was recycled by model "sequential_\d+"/,
    );
    expect(String(stale)).toMatch(/storage recycled/);
  });

  it('moves a host value assigned to a wasm variable into wasm memory', () => {
    const v = new capa.Variable(ops.zeros([3]));
    expect(v.backend).toBe('wasm');
    setBackend('js');
    const host = capa.tensor([1, 2, 3]);
    setBackend('wasm');
    v.assign(host);
    expect(v.backend).toBe('wasm');
    expect(Array.from(v.dataSync())).toEqual([1, 2, 3]);
    setBackend('js');
    const onHost = new capa.Variable(capa.tensor([0, 0, 0]));
    setBackend('wasm');
    onHost.assign(ops.mul(v, 2));
    expect(Array.from(onHost.dataSync())).toEqual([2, 4, 6]);
  });

  it('reads values back as copies: a later kernel does not change what was read', () => {
    const x = ops.relu(new Tensor(new Float32Array([1, 2]), [2]));
    const values = x.dataSync();
    ops.mul(x, x);
    values[0] = 99;
    expect(Array.from(x.dataSync())).toEqual([1, 2]);
  });
});

it('is the default when the native addon cannot load, said once (native > wasm > js)', () => {
  const script =
    "const capa = await import('./src/index.ts'); capa.ops.relu(capa.ops.ones([2])); capa.ops.relu(capa.ops.ones([2]));" +
    'console.log(JSON.stringify(capa.getBackend()));';
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, CAPA_BACKEND: '', CAPA_NATIVE_ADDON: '/nonexistent/capa_native.node' },
  });
  expect(run.stdout.trim()).toBe('"wasm"');
  const notices = run.stderr.split('\n').filter((l) => l.includes('native backend unavailable'));
  expect(notices).toHaveLength(1);
  expect(notices[0]).toContain('using the wasm backend');
});
