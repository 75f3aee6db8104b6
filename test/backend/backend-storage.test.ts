/**
 * Backend-owned storage: a backend whose handles are not typed arrays (test/helpers/boxed-backend)
 * runs ops through the same engine and gives the js backend's results; its values are read with
 * `await data()`, its tensors never meet another backend's in an op, and `toBackend` moves them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as capa from '../../src/index.js';
import { backendCases as cases, values } from '../helpers/backend-cases.js';
import { createBoxedBackend } from '../helpers/boxed-backend.js';

const { ops } = capa;
const boxed = createBoxedBackend();
capa.registerBackend('boxed', () => boxed);

/** f run on `backend` with fresh tensors made there from the same host values. */
async function runOn(backend: string, f: (t: (v: Float32Array, shape: number[]) => capa.Tensor) => capa.Tensor) {
  const before = capa.getBackend();
  capa.setBackend(backend);
  try {
    const out = f((v, shape) => capa.tensor(v, shape));
    expect(out.backend).toBe(backend);
    return { shape: out.shape, values: Array.from(await out.data()) };
  } finally {
    capa.setBackend(before);
  }
}

describe('a backend whose storage is not a typed array', () => {
  for (const [name, f] of cases) {
    it(`${name} gives the js backend's result through await data()`, async () => {
      const expected = await runOn('js', f);
      const actual = await runOn('boxed', f);
      expect(actual.shape).toEqual(expected.shape);
      expect(actual.values).toEqual(expected.values);
    });
  }

  it('computes gradients on its own storage', async () => {
    const xv = values(6, 20);
    // d/dx sum(x² + 3x) = 2x + 3
    const f = (t: capa.Tensor) => ops.sum(ops.add(ops.mul(t, t), ops.mul(t, 3)));
    const grad = (t: (v: Float32Array, shape: number[]) => capa.Tensor) => capa.grad(f)(t(xv, [2, 3]));
    const expected = await runOn('js', grad);
    for (const [i, g] of expected.values.entries()) expect(g).toBeCloseTo(2 * (xv[i] as number) + 3, 5);
    expect(await runOn('boxed', grad)).toEqual(expected);
  });

  describe('reading and mixing', () => {
    let previous: string;
    beforeAll(() => {
      previous = capa.getBackend();
      capa.setBackend('boxed');
    });
    afterAll(() => capa.setBackend(previous));

    it('allocates through the backend and hands out no host array', () => {
      const before = boxed.allocations;
      const y = ops.add(capa.tensor([1, 2, 3]), 1);
      expect(boxed.allocations).toBeGreaterThan(before);
      expect(y.storage).not.toBeInstanceOf(Float32Array);
    });

    it('answers the synchronous reads with an error naming the backend and the async twin', async () => {
      const y = ops.add(capa.tensor([1, 2, 3]), 1);
      expect(() => y.dataSync()).toThrow(
        "dataSync(): the 'boxed' backend cannot read a tensor's values synchronously; use await tensor.data() instead.",
      );
      expect(() => y.arraySync()).toThrow(/arraySync\(\): the 'boxed' backend .* use await tensor\.array\(\)/);
      expect(() => ops.sum(y).item()).toThrow(/item\(\): the 'boxed' backend/);
      expect(await y.array()).toEqual([2, 3, 4]);
      expect(String(y)).toContain("on 'boxed'");
    });

    it('refuses a js tensor in the same op, naming the op and both backends', () => {
      capa.setBackend('js');
      const host = capa.tensor([1, 2, 3]);
      capa.setBackend('boxed');
      const y = capa.tensor([1, 2, 3]);
      expect(() => ops.add(y, host)).toThrow(
        /^add: tensors of two backends meet in one op: this op runs on backend 'boxed' .* backend 'js' .*capa\.ops\.toBackend\(x, 'boxed'\)/,
      );
      expect(() => ops.matmul(host.reshape([1, 3]), y.reshape([3, 1]))).toThrow(/^matmul: .*'boxed'.*'js'/);
      expect(() => ops.conv2d(host.reshape([1, 1, 3, 1]), y.reshape([1, 1, 1, 3]))).toThrow(/^conv2d: .*'boxed'.*'js'/);
    });

    it('moves tensors explicitly with toBackend', async () => {
      capa.setBackend('js');
      const host = capa.tensor([1, 2, 3]);
      capa.setBackend('boxed');
      const moved = ops.toBackend(host, 'boxed');
      expect(moved.backend).toBe('boxed');
      const y = ops.add(moved, capa.tensor([10, 20, 30]));
      expect(() => ops.toBackend(y, 'js')).toThrow(/toBackend: the 'boxed' backend cannot read .*toBackendAsync\(x, 'js'\)/);
      const back = await ops.toBackendAsync(y, 'js');
      expect(back.backend).toBe('js');
      expect(Array.from(back.dataSync())).toEqual([11, 22, 33]);
    });

    it('keeps variables on the backend: assign copies storage, a js value is refused', async () => {
      const v = new capa.Variable(capa.tensor([1, 2]));
      expect(v.backend).toBe('boxed');
      v.assign(capa.tensor([5, 6]));
      expect(Array.from(await v.data())).toEqual([5, 6]);
      v.assignValues([7, 8]);
      expect(Array.from(await v.data())).toEqual([7, 8]);
      capa.setBackend('js');
      const host = capa.tensor([0, 0]);
      capa.setBackend('boxed');
      expect(() => v.assign(host)).toThrow(/cannot assign a value on backend 'js' to a variable on backend 'boxed'/);
    });
  });
});

describe('host backends share storage', () => {
  it('js and native tensors mix with no move, and toBackend between them copies nothing', () => {
    const names = capa.availableBackends().filter((n) => n === 'js' || n === 'native');
    const made = names.map((name) => {
      capa.setBackend(name);
      return capa.tensor([1, 2, 3]);
    });
    for (const name of names) {
      capa.setBackend(name);
      const sum = made.reduce((p, t) => ops.add(p, t));
      expect(sum.backend).toBe(name);
      expect(Array.from(sum.dataSync())).toEqual([1, 2, 3].map((v) => v * made.length));
      const moved = ops.toBackend(made[0] as capa.Tensor, name);
      expect(moved.storage).toBe((made[0] as capa.Tensor).storage);
    }
  });

  it('registration is open but never replaces a backend', () => {
    expect(capa.availableBackends()).toContain('boxed');
    expect(() => capa.registerBackend('js', () => boxed)).toThrow(/already registered/);
    expect(() => capa.setBackend('nope')).toThrow(
      /unknown backend 'nope'; registered backends are 'native', 'wasm', 'js', 'webgpu', 'boxed'/,
    );
  });
});
