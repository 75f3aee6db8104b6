/**
 * The PyTorch oracle fixtures' format and the tensors built from them, without Node's fs: the
 * browser harness (test/browser) runs the same cases in Chromium.
 */
import * as capa from '../../src/index.js';

export interface FixtureArray {
  shape: number[];
  dtype: 'float32' | 'int32';
  values: number[];
}

export interface OpCase {
  name: string;
  op: string;
  attrs: Record<string, unknown>;
  inputs: FixtureArray[];
  outputs: FixtureArray[];
  /** Upstream gradient of each output (null for int outputs). */
  dys: (FixtureArray | null)[];
  /** Gradient of sum(output_i * dy_i) w.r.t. each input (null: not differentiable / not checked). */
  grads: (FixtureArray | null)[];
}

export function toTensor(a: FixtureArray): capa.Tensor {
  return capa.tensor(a.dtype === 'int32' ? Int32Array.from(a.values) : Float32Array.from(a.values), a.shape, a.dtype);
}

/**
 * The scalar the fixture's gradients are of: sum_i sum(output_i * dy_i), as a function of the
 * differentiable inputs (the others are held fixed).
 */
export function lossOf(
  c: OpCase,
  run: (inputs: capa.Tensor[]) => capa.Tensor[],
): {
  diffIndices: number[];
  inputs: capa.Tensor[];
  f: (...diff: capa.Tensor[]) => capa.Tensor;
} {
  const inputs = c.inputs.map(toTensor);
  const diffIndices = c.grads.flatMap((g, i) => (g ? [i] : []));
  const dys = c.dys.map((d) => (d ? toTensor(d) : null));
  const f = (...diff: capa.Tensor[]): capa.Tensor => {
    const all = inputs.slice();
    diffIndices.forEach((k, j) => {
      all[k] = diff[j] as capa.Tensor;
    });
    const outs = run(all);
    let loss: capa.Tensor | null = null;
    outs.forEach((o, i) => {
      const dy = dys[i];
      if (!dy) return;
      const term = capa.ops.sum(capa.ops.mul(o, dy));
      loss = loss === null ? term : capa.ops.add(loss, term);
    });
    if (loss === null) throw new Error(`${c.name}: no differentiable output`);
    return loss;
  };
  return { diffIndices, inputs, f };
}
