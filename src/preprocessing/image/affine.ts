/** Keras's standalone `apply_affine_transform(x, theta, tx, ty, shear, zx, zy, ...)`, any axis layout. */
import { affineTransformPlanes, FILL_MODES, type FillMode, kerasAffineMap } from '../../data/image-kernels/affine.js';
import { formatShape } from '../../tensor/shape.js';
import { Tensor } from '../../tensor/tensor.js';

export interface ApplyAffineTransformOptions {
  theta?: number;
  tx?: number;
  ty?: number;
  shear?: number;
  zx?: number;
  zy?: number;
  /** Keras's defaults: rows on axis 1, columns on axis 2, channels on axis 0. */
  rowAxis?: number;
  colAxis?: number;
  channelAxis?: number;
  fillMode?: FillMode;
  cval?: number;
  order?: number;
}

/**
 * Applies the affine map Keras composes from the parameters (rotation and shear in degrees, shifts
 * in pixels), with SciPy's `affine_transform` semantics. Returns `x` when the map is the identity.
 */
export function applyAffineTransform(x: Tensor, options: ApplyAffineTransformOptions = {}): Tensor {
  const what = 'applyAffineTransform';
  const rowAxis = options.rowAxis ?? 1;
  const colAxis = options.colAxis ?? 2;
  const channelAxis = options.channelAxis ?? 0;
  if (new Set([rowAxis, colAxis, channelAxis]).size !== 3)
    throw new Error(`${what}: 'row_axis', 'col_axis', and 'channel_axis' must be distinct`);
  if (![rowAxis, colAxis, channelAxis].every((a) => a === 0 || a === 1 || a === 2)) {
    throw new Error(`${what}: Invalid axis' indices: ${[rowAxis, colAxis, channelAxis].join(', ')}`);
  }
  if (!(x instanceof Tensor) || x.rank !== 3) {
    throw new Error(
      `${what}: Input arrays must be multi-channel 2D images (rank 3), received ${x instanceof Tensor ? formatShape(x.shape) : typeof x}.`,
    );
  }
  if (channelAxis !== 0 && channelAxis !== 2) throw new Error(`${what}: Channels are allowed and the first and last dimensions.`);
  const fillMode = options.fillMode ?? 'nearest';
  if (!FILL_MODES.includes(fillMode))
    throw new Error(`${what}: fillMode must be one of ${FILL_MODES.join(', ')}, received '${String(fillMode)}'.`);
  const shape = x.shape as [number, number, number];
  const map = kerasAffineMap(options, shape[rowAxis] as number, shape[colAxis] as number, colAxis > rowAxis);
  if (map === null) return x;
  // SciPy sees each channel as a 2-D array whose axes are the two spatial axes in array order.
  const strides = [shape[1] * shape[2], shape[2], 1];
  const [axisA, axisB] = [0, 1, 2].filter((a) => a !== channelAxis) as [number, number];
  const out = new Float32Array(x.size);
  affineTransformPlanes(
    Float32Array.from(x.dataSync()),
    out,
    {
      dimA: shape[axisA] as number,
      dimB: shape[axisB] as number,
      channels: shape[channelAxis] as number,
      strideA: strides[axisA] as number,
      strideB: strides[axisB] as number,
      strideC: strides[channelAxis] as number,
    },
    map,
    fillMode,
    options.cval ?? 0,
    options.order ?? 1,
  );
  return new Tensor(out, shape);
}
