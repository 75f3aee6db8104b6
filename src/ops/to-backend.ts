/**
 * The explicit move between backends: tensors of two storage kinds never meet in an op (the op
 * says so), so code that mixes them moves one with `toBackend` first.
 */
import { record } from '../autograd/record.js';
import { backendNamed } from '../backend/registry.js';
import type { StorageBackend } from '../tensor/storage.js';
import { isHostArray } from '../tensor/storage.js';
import { Tensor } from '../tensor/tensor.js';
import { expectTensor } from './engine.js';

/**
 * x on the backend registered as `name`. Backends sharing a storage kind (js and native: host
 * memory) take the same storage with no copy; otherwise the values are read on the host and
 * uploaded, which needs a source backend that reads synchronously (else use `toBackendAsync`).
 * Differentiable: the gradient moves back.
 */
export function toBackend(x: Tensor, name: string): Tensor {
  expectTensor(x, 'toBackend');
  const target = backendNamed(name, 'toBackend');
  if (x.owner === target) return x;
  const sameKind = x.owner.storageKind === target.storageKind;
  if (!sameKind && !isHostArray(x.storage) && x.owner.readSync === undefined) {
    throw new Error(
      `toBackend: the '${x.backend}' backend cannot read values synchronously; use await capa.ops.toBackendAsync(x, '${name}').`,
    );
  }
  const out = sameKind ? rewrap(x, target) : upload(x, target, x.dataSync());
  return record('toBackend', out, [x], (dy) => [moveBack(dy, x.owner)]);
}

/** `toBackend` for sources that read asynchronously (a GPU); not differentiable. */
export async function toBackendAsync(x: Tensor, name: string): Promise<Tensor> {
  expectTensor(x, 'toBackendAsync');
  const target = backendNamed(name, 'toBackendAsync');
  if (x.owner === target) return x;
  return x.owner.storageKind === target.storageKind ? rewrap(x, target) : upload(x, target, await x.data());
}

/** x's own storage, owned by `target` (same storage kind: nothing to copy). */
function rewrap(x: Tensor, target: StorageBackend): Tensor {
  return new Tensor(x.storage, x.shape, target, x.dtype);
}

/** x's host `values` uploaded to `target`. */
function upload(x: Tensor, target: StorageBackend, values: ArrayLike<number>): Tensor {
  // The target may adopt what it is given, and `values` may be the source's own storage: give it a copy.
  const copy = x.dtype === 'int32' ? Int32Array.from(values) : Float32Array.from(values);
  return new Tensor(target.upload(copy), x.shape, target, x.dtype);
}

function moveBack(dy: Tensor, owner: StorageBackend): Tensor {
  if (dy.owner === owner) return dy;
  return dy.owner.storageKind === owner.storageKind ? rewrap(dy, owner) : upload(dy, owner, dy.dataSync());
}
