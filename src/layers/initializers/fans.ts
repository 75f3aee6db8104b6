/** Fan-in / fan-out of a weight shape, exactly as Keras's `compute_fans`. */
export function computeFans(shape: readonly number[]): [number, number] {
  if (shape.length < 1) return [1, 1];
  if (shape.length === 1) return [shape[0] as number, shape[0] as number];
  if (shape.length === 2) return [shape[0] as number, shape[1] as number];
  let receptive = 1;
  for (let i = 0; i < shape.length - 2; i++) receptive *= shape[i] as number;
  return [(shape[shape.length - 2] as number) * receptive, (shape[shape.length - 1] as number) * receptive];
}
