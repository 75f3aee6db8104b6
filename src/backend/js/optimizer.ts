/** In-place optimizer steps (Keras's update rules). */

export function sgdUpdate(
  param: Float32Array,
  grad: Float32Array,
  velocity: Float32Array | null,
  learningRate: number,
  momentum: number,
  nesterov: boolean,
): void {
  const n = param.length;
  if (velocity === null) {
    for (let i = 0; i < n; i++) param[i] = (param[i] as number) - learningRate * (grad[i] as number);
    return;
  }
  for (let i = 0; i < n; i++) {
    const g = grad[i] as number;
    const v = momentum * (velocity[i] as number) - learningRate * g;
    velocity[i] = v;
    param[i] = (param[i] as number) + (nesterov ? momentum * v - learningRate * g : v);
  }
}

export function adamUpdate(
  param: Float32Array,
  grad: Float32Array,
  m: Float32Array,
  v: Float32Array,
  vMax: Float32Array | null,
  stepSize: number,
  beta1: number,
  beta2: number,
  epsilon: number,
): void {
  const n = param.length;
  const a1 = 1 - beta1;
  const a2 = 1 - beta2;
  for (let i = 0; i < n; i++) {
    const g = grad[i] as number;
    const mi = (m[i] as number) + (g - (m[i] as number)) * a1;
    const vi = (v[i] as number) + (g * g - (v[i] as number)) * a2;
    m[i] = mi;
    v[i] = vi;
    let denomV = vi;
    if (vMax !== null) {
      denomV = Math.max(vMax[i] as number, vi);
      vMax[i] = denomV;
    }
    param[i] = (param[i] as number) - (stepSize * mi) / (Math.sqrt(denomV) + epsilon);
  }
}
