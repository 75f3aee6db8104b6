/** Identity: returns its input unchanged (Keras's placeholder layer). */
import type { Tensor } from '../../tensor/tensor.js';
import { type CallArgs, Layer, sameShape } from '../engine/layer.js';
import type { SymbolicShape } from '../engine/symbolic.js';

export class Identity extends Layer {
  static override readonly className: string = 'Identity';

  override computeOutputShape(s: SymbolicShape): SymbolicShape {
    return sameShape(s);
  }

  override call(input: Tensor, _args: CallArgs): Tensor {
    return input;
  }
}
