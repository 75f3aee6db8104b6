import { add } from '../ops/arithmetic.js';
import { onesLike } from '../ops/creation.js';
import { formatShape, shapesEqual } from '../tensor/shape.js';
import { StorageRecycler } from '../tensor/storage-recycler.js';
import type { Tensor } from '../tensor/tensor.js';
import { noGrad } from './record.js';

/**
 * Reverse-mode pass from `root`: returns the gradient of root (seeded with `dy`, default ones)
 * with respect to each tensor in `wrt` (null where root does not depend on it).
 * Gradients of a tensor used several times are summed.
 */
export function backward(root: Tensor, wrt: readonly Tensor[], dy?: Tensor): (Tensor | null)[] {
  const seed = dy ?? onesLike(root);
  if (!shapesEqual(seed.shape, root.shape)) {
    throw new Error(`backward: dy has shape ${formatShape(seed.shape)} but the output has shape ${formatShape(root.shape)}.`);
  }
  if (!root.requiresGrad) return wrt.map(() => null);
  const order = topologicalOrder(root);
  const wanted = new Set(wrt);
  const grads = new Map<Tensor, Tensor>();
  // Each intermediate gradient's storage goes back to the pool once this loop has used it, unless
  // it is one of the results: a deep network's backward pass then reuses a few buffers instead
  // of leaving hundreds of megabytes to the garbage collector. A custom gradient that keeps its
  // dy finds it released (tensor/storage-recycler.ts), never overwritten.
  const recycler = new StorageRecycler('the backward pass');
  grads.set(root, seed);
  recycler.hold(seed);
  noGrad(() => {
    for (let i = order.length - 1; i >= 0; i--) {
      const t = order[i] as Tensor;
      const g = grads.get(t);
      const node = t.gradNode;
      if (g === undefined || node === null) continue;
      const inputGrads = node.backward(g);
      for (let j = 0; j < node.inputs.length; j++) {
        const input = node.inputs[j] as Tensor;
        const ig = inputGrads[j];
        if (!input.requiresGrad || ig === null || ig === undefined) continue;
        if (!shapesEqual(ig.shape, input.shape)) {
          throw new Error(
            `backward: gradient of ${node.op} input ${j} has shape ${formatShape(ig.shape)}, expected ${formatShape(input.shape)}.`,
          );
        }
        recycler.hold(ig);
        const prev = grads.get(input);
        if (prev === undefined) {
          grads.set(input, ig);
        } else {
          const total = add(prev, ig);
          recycler.hold(total);
          grads.set(input, total);
          recycler.release(prev);
          recycler.release(ig);
        }
      }
      // Intermediate gradients are dropped once used (after their consumers' gradients are
      // held: those may be g itself or views of it).
      if (!wanted.has(t)) {
        grads.delete(t);
        recycler.release(g);
      }
    }
  });
  return wrt.map((t) => grads.get(t) ?? null);
}

/** Tensors reachable from root through grad nodes, each after all of its inputs. */
function topologicalOrder(root: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const visited = new Set<Tensor>();
  // iterative DFS: deep networks would overflow the call stack recursively
  const stack: { t: Tensor; next: number }[] = [{ t: root, next: 0 }];
  visited.add(root);
  while (stack.length > 0) {
    const top = stack[stack.length - 1] as { t: Tensor; next: number };
    const inputs = top.t.gradNode?.inputs ?? [];
    if (top.next < inputs.length) {
      const child = inputs[top.next++] as Tensor;
      if (child.requiresGrad && !visited.has(child)) {
        visited.add(child);
        stack.push({ t: child, next: 0 });
      }
    } else {
      order.push(top.t);
      stack.pop();
    }
  }
  return order;
}
