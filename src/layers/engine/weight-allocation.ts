/**
 * A hook that runs before a layer allocates a weight. Loaders install one while they rebuild a
 * model from a file's config, so a config that claims a huge layer (`units: 2e7`) is refused by
 * comparing each weight with the arrays the file really holds, before any memory is allocated
 * and initialized for it. Building a model is synchronous, so one active check at a time suffices.
 */

/** Throws to refuse a weight of this shape; returns to let the layer allocate it. */
export type WeightAllocationCheck = (layer: string, weight: string, shape: readonly number[]) => void;

let active: WeightAllocationCheck | null = null;

/** Runs `body` (synchronously) with `check` consulted before every weight allocation. */
export function withWeightAllocationCheck<T>(check: WeightAllocationCheck, body: () => T): T {
  const previous = active;
  active = check;
  try {
    return body();
  } finally {
    active = previous;
  }
}

/** Called by `Layer.addWeight` before it allocates. */
export function checkWeightAllocation(layer: string, weight: string, shape: readonly number[]): void {
  active?.(layer, weight, shape);
}
