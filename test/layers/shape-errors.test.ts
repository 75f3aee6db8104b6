import { describe, expect, it } from 'vitest';
import * as capa from '../../src/index.js';

const { Input, layers: L } = capa;

describe('shape errors name the layer, what it expected and what it received', () => {
  it('Dense: wrong last dimension', () => {
    const dense = new L.Dense(2, { name: 'fc' });
    dense.apply(capa.ones([1, 4]));
    expect(() => dense.apply(capa.ones([1, 5]))).toThrow(
      'Input 0 of layer "fc" is incompatible with the layer: expected axis -1 of input shape to have value 4, but received input with shape (1, 5)',
    );
    expect(() => new L.Dense(2, { name: 'd' }).apply(capa.ones([3]))).toThrow(
      'Input 0 of layer "d" is incompatible with the layer: expected min_ndim=2, found ndim=1. Full shape received: (3,)',
    );
  });

  it('Conv2D: rank, channels, window larger than the input', () => {
    const conv = new L.Conv2D(2, 3, { name: 'c' });
    expect(() => conv.apply(Input({ shape: [8, 8] }))).toThrow(
      'Input 0 of layer "c" is incompatible with the layer: expected ndim=4, found ndim=3. Full shape received: (None, 8, 8)',
    );
    expect(() => new L.Conv2D(2, 5, { name: 'big' }).apply(Input({ shape: [3, 3, 1] }))).toThrow(
      /Conv2D "big": computed output size would be negative or zero. Received `inputs shape=\(None, 3, 3, 1\)`, `kernel shape=\(5, 5\)`/,
    );
    expect(() => new L.Conv2D(2, 3, { strides: 2, dilationRate: 2 })).toThrow(
      /strides > 1` not supported in conjunction with `dilation_rate > 1`/,
    );
    expect(() => new L.Conv2D(0, 3)).toThrow(/Expected a strictly positive integer. Received filters=0/);
    expect(() => new L.Conv2D(2, [3, 3, 3] as never)).toThrow(/`kernel_size` argument must be a tuple of 2 integers/);
  });

  it('merge layers: incompatible shapes, list required', () => {
    const a = Input({ shape: [3] });
    const b = Input({ shape: [4] });
    expect(() => new L.Add().apply([a, b])).toThrow('Inputs have incompatible shapes. Received shapes (3,) and (4,)');
    expect(() => new L.Concatenate().apply([Input({ shape: [2, 3] }), Input({ shape: [4, 3] })])).toThrow(
      'A `Concatenate` layer requires inputs with matching shapes except for the concatenation axis. Received: input_shape=[(None, 2, 3), (None, 4, 3)]',
    );
    expect(() => new L.Add({ name: 'add_one' }).apply(a)).toThrow(/should be called on a list of inputs/);
    expect(() => new L.Subtract().apply([a, a, a])).toThrow(/exactly 2 inputs/);
  });

  it('Reshape, pooling and option checks', () => {
    expect(() => new L.Reshape([5], { name: 'r' }).apply(Input({ shape: [2, 3] }))).toThrow(
      'Layer "r": total size of new array must be unchanged, input_shape = (2, 3), output_shape = (5,)',
    );
    expect(() => new L.MaxPooling2D(4, { name: 'p' }).apply(Input({ shape: [2, 2, 1] }))).toThrow(
      /MaxPooling2D "p": computed output size would be negative/,
    );
    expect(() => new L.Dropout(1.5)).toThrow(/Expected a float value between 0 and 1. Received: rate=1.5/);
    expect(() => new L.Dense(0)).toThrow(/expected a positive integer, got 0/);
    expect(() => new L.Dense(2, { activation: 'relux' as never })).toThrow(/Unknown activation function: 'relux'/);
    expect(() => new L.Conv2D(2, 3, { padding: 'full' as never })).toThrow(/`padding` argument must be one of "valid", "same"/);
    expect(() => new L.Dense(2, { name: 'a/b' })).toThrow(/without '\/'/);
  });

  it('layers never called or built have no shapes and no parameter count', () => {
    const d = new L.Dense(2, { name: 'never' });
    expect(() => d.outputShape).toThrow('The layer "never" has never been called and thus has no defined output shape.');
    expect(() => d.countParams()).toThrow(/You tried to call countParams\(\) on layer "never", but the layer isn't built/);
    d.maybeBuild([[null, 3]]);
    expect(d.outputShape).toEqual([null, 2]);
  });
});
