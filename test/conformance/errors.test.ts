/** Bad input fails with an error naming the op and the shapes involved, never a wrong result. */
import { describe, expect, it } from 'vitest';
import * as capa from '../../src/index.js';

const { ops } = capa;
const z = (...shape: number[]) => capa.zeros(shape);

describe('errors name the op and the shapes', () => {
  const cases: [string, () => unknown, RegExp][] = [
    ['matmul inner mismatch', () => ops.matmul(z(2, 3), z(4, 5)), /matmul: inner dimensions .*\[2, 3\].*\[4, 5\]/],
    ['matmul rank 1', () => ops.matmul(z(3), z(3, 2)), /matmul: both operands need rank >= 2.*\[3\]/],
    ['conv2d kernel rank', () => ops.conv2d(z(1, 5, 5, 3), z(3, 3, 3)), /conv2d: kernel must be rank 4.*\[3, 3, 3\]/],
    [
      'conv2d channels',
      () => ops.conv2d(z(1, 5, 5, 3), z(3, 3, 2, 4)),
      /conv2d: input has 3 channels.*\[1, 5, 5, 3\].*expects 2.*\[3, 3, 2, 4\]/,
    ],
    [
      'conv2d strides',
      () => ops.conv2d(z(1, 5, 5, 1), z(3, 3, 1, 1), { strides: 0 }),
      /conv2d: strides must be a positive integer/,
    ],
    [
      'fusedConv2d bias',
      () => ops.fusedConv2d({ x: z(1, 5, 5, 1), filter: z(3, 3, 1, 4), bias: z(3) }),
      /fusedConv2d: bias has shape \[3\].*4 filters/,
    ],
    [
      'fusedConv2d activation',
      () => ops.fusedConv2d({ x: z(1, 5, 5, 1), filter: z(3, 3, 1, 4), activation: 'gelu' as 'relu' }),
      /fusedConv2d: activation must be one of/,
    ],
    [
      'depthwise channels',
      () => ops.depthwiseConv2d(z(1, 5, 5, 3), z(3, 3, 4, 1)),
      /depthwiseConv2d: input has 3 channels.*expects 4/,
    ],
    ['maxPool2d rank', () => ops.maxPool2d(z(5, 5, 3), 2), /maxPool2d: x must be rank 4.*\[5, 5, 3\]/],
    ['avgPool2d window too big', () => ops.avgPool2d(z(1, 2, 2, 1), 3), /avgPool2d: a 3x3 window.*\[1, 2, 2, 1\]/],
    ['softmax axis', () => ops.softmax(z(2, 3), 2), /softmax: axis 2 is out of range for a tensor of rank 2/],
    [
      'slice bounds',
      () => ops.slice(z(4, 5), [2, 0], [3, 5]),
      /slice: begin \[2, 0\] with size \[3, 5\] is out of bounds for shape \[4, 5\]/,
    ],
    ['split uneven', () => ops.split(z(5, 2), 2), /split: axis 0 of shape \[5, 2\] \(size 5\) cannot be split into 2/],
    ['concat shapes', () => ops.concat([z(2, 3), z(3, 2)], 0), /concat: shapes \[2, 3\], \[3, 2\] differ outside axis 0/],
    ['stack shapes', () => ops.stack([z(2, 3), z(2, 2)]), /stack: all tensors must have the same shape.*\[2, 3\], \[2, 2\]/],
    ['pad rank', () => ops.pad(z(2, 3), [[1, 1]]), /pad: paddings must hold one \[before, after\] pair per axis of x \[2, 3\]/],
    ['tile reps', () => ops.tile(z(2, 3), [2]), /tile: reps must hold one non-negative integer per axis of x \[2, 3\]/],
    ['broadcastTo', () => ops.broadcastTo(z(2, 3), [4, 3]), /broadcastTo: shapes \[2, 3\] and \[4, 3\] cannot be broadcast/],
    ['broadcastTo shrinks', () => ops.broadcastTo(z(2, 3), [3]), /broadcastTo: shape \[2, 3\] cannot be broadcast to \[3\]/],
    ['add broadcast', () => ops.add(z(2, 3), z(4)), /add: shapes \[2, 3\] and \[4\] cannot be broadcast/],
    ['gather index', () => ops.gather(z(4, 2), [4]), /gather: index 4 is out of range for axis 0 of size 4 \(x shape \[4, 2\]\)/],
    ['gather non-integer', () => ops.gather(z(4, 2), capa.tensor([1.5])), /gather: indices must be integers/],
    ['oneHot depth', () => ops.oneHot([1], 0), /oneHot: depth must be a positive integer/],
    [
      'batchNormTraining gamma',
      () => ops.batchNormTraining(z(4, 3), z(2), null),
      /batchNormTraining: gamma has shape \[2\] but x \[4, 3\] has 3 channels/,
    ],
    ['dropout rate', () => ops.dropout(z(3), 1), /dropout: rate must be in \[0, 1\), received 1/],
    [
      'dropout noiseShape',
      () => ops.dropout(z(2, 3), 0.5, { noiseShape: [2, 2] }),
      /dropout: shapes \[2, 3\] and \[2, 2\] cannot be broadcast/,
    ],
    ['reshape', () => ops.reshape(z(2, 3), [4, -1]), /reshape: cannot reshape a tensor of 6 elements into \[4, -1\]/],
    ['transpose perm', () => ops.transpose(z(2, 3), [0, 0]), /transpose: perm \[0, 0\] is not a permutation.*\[2, 3\]/],
    ['cast dtype', () => ops.cast(z(2), 'float64' as capa.DType), /cast: dtype must be 'float32' or 'int32'/],
    ['where cond', () => ops.where(z(2, 3), z(4), 1), /where: shapes \[2, 3\] and \[4\] cannot be broadcast/],
    [
      'not a tensor',
      () => ops.conv2d([1, 2] as unknown as capa.Tensor, z(1, 1, 1, 1)),
      /conv2d: argument 'x' must be a Tensor, received an array/,
    ],
  ];
  for (const [name, run, message] of cases) {
    it(name, () => {
      expect(run).toThrow(message);
    });
  }
});
