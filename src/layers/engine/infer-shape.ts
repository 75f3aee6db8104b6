/**
 * Output shapes of a layer that does not say (no `computeOutputShape`), found by running its
 * `call`, as Keras runs a layer symbolically (`compute_output_spec`). capa has no symbolic
 * execution, so the call runs twice on zeros, every unknown axis (the batch axis) set to 2 and
 * then to 3: output axes that differ between the runs follow an unknown input axis and stay
 * unknown, the others are fixed.
 */
import { noGrad } from '../../autograd/record.js';
import { formatShape } from '../../tensor/shape.js';
import { Tensor } from '../../tensor/tensor.js';
import { withCallContext } from './call-context.js';
import type { Layer } from './layer.js';
import type { SymbolicShape } from './symbolic.js';

const PROBE_SIZES = [2, 3] as const;

function zerosOf(shape: number[]): Tensor {
  return new Tensor(new Float32Array(shape.reduce((n, d) => n * d, 1)), shape);
}

export function inferOutputShapes(
  layer: Layer,
  inputShapes: SymbolicShape[],
  run: (inputs: Tensor[]) => Tensor[],
): SymbolicShape[] {
  const probes = PROBE_SIZES.map((size) => {
    const shapes = inputShapes.map((s) => s.map((d) => d ?? size));
    try {
      return noGrad(() => withCallContext({ training: false }, () => run(shapes.map(zerosOf)))).map((t) => t.shape.slice());
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      throw new Error(
        `Layer "${layer.name}" (${layer.className}) defines no computeOutputShape(), and running its call() on zeros of shape ${shapes.map((s) => formatShape(s)).join(', ')} to infer the output shape failed: ${message} Define computeOutputShape(inputShape) on the layer.`,
      );
    }
  });
  const [first, second] = probes as [number[][], number[][]];
  return first.map((shape, i) => {
    const other = second[i] as number[];
    if (other.length !== shape.length) return shape.map(() => null);
    return shape.map((d, j) => (other[j] === d ? d : null));
  });
}
