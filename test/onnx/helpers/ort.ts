/**
 * ONNX Runtime as the oracle for exported models: runs the exported bytes on inputs and compares
 * with capa's own prediction.
 */
import * as ort from 'onnxruntime-node';
import { expect } from 'vitest';
import type { Model, Tensor } from '../../../src/index.js';

export interface OrtOutput {
  dims: number[];
  data: Float32Array;
}

/** Runs the model bytes in ORT on float inputs given as [data, shape] in the graph's input order. */
export async function runOrt(
  bytes: Uint8Array,
  inputs: readonly { data: Float32Array; shape: readonly number[] }[],
): Promise<OrtOutput[]> {
  const session = await ort.InferenceSession.create(bytes, { graphOptimizationLevel: 'all', intraOpNumThreads: 1 });
  try {
    const feeds: Record<string, ort.Tensor> = {};
    session.inputNames.forEach((name, i) => {
      const input = inputs[i] as { data: Float32Array; shape: readonly number[] };
      feeds[name] = new ort.Tensor('float32', input.data, input.shape.slice());
    });
    const results = await session.run(feeds);
    return session.outputNames.map((name) => {
      const t = results[name] as ort.Tensor;
      return { dims: t.dims.slice(), data: t.data as Float32Array };
    });
  } finally {
    await session.release();
  }
}

/** max |a - b| / max |b|: the error relative to the output's scale. */
export function scaledMaxDiff(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  expect(actual.length).toBe(expected.length);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    diff = Math.max(diff, Math.abs((actual[i] as number) - (expected[i] as number)));
    scale = Math.max(scale, Math.abs(expected[i] as number));
  }
  return diff / Math.max(scale, 1e-12);
}

/** Exports, runs in ORT and compares every output with capa's; returns the worst scaled difference. */
export async function expectOrtMatches(model: Model, bytes: Uint8Array, inputs: readonly Tensor[], tol = 1e-4): Promise<number> {
  const expected = model.applyEager(inputs.slice(), { training: false });
  const actual = await runOrt(
    bytes,
    inputs.map((x) => ({ data: x.dataSync() as Float32Array, shape: x.shape })),
  );
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  expected.forEach((e, i) => {
    const a = actual[i] as OrtOutput;
    expect(a.dims).toEqual(e.shape);
    worst = Math.max(worst, scaledMaxDiff(a.data, e.dataSync()));
  });
  expect(worst).toBeLessThanOrEqual(tol);
  return worst;
}
