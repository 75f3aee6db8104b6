/**
 * What the application builders share: Keras's `obtain_input_shape` checks, the input tensor,
 * the pooling/top options, and the hook through which the saving module loads weights
 * ('imagenet' or a file) into a freshly built model.
 */

import type { ActivationIdentifier } from '../layers/activations/functions.js';
import { Input } from '../layers/core/input-layer.js';
import { formatPythonShape, type SymbolicShape, SymbolicTensor } from '../layers/engine/symbolic.js';
import type { Model } from '../models/functional.js';

export interface ApplicationOptions {
  /** Include the fully connected classifier on top (default true). */
  includeTop?: boolean;
  /** null (random initialization, default), 'imagenet', or a path to a weights file. */
  weights?: string | null;
  /** An existing symbolic input to build the model on (Keras's `input_tensor`). */
  inputTensor?: SymbolicTensor;
  /** Input shape without the batch axis; defaults to [224, 224, 3] (or [null, null, 3] without the top). */
  inputShape?: readonly (number | null)[];
  /** Without the top: 'avg' or 'max' global pooling of the last feature map, or none (4-D output). */
  pooling?: 'avg' | 'max' | null;
  /** Number of classes of the top classifier (default 1000). */
  classes?: number;
  /** Activation of the top layer (default 'softmax'); null for logits. */
  classifierActivation?: ActivationIdentifier | null;
}

/** What a weights loader is told about the model it fills. */
export interface WeightsRequest {
  /** Keras's module name: 'vgg16', 'vgg19', 'resnet50', 'mobilenet_v2'. */
  application: string;
  /** 'imagenet' or a path. */
  weights: string;
  includeTop: boolean;
}

/**
 * Loads weights into an application model. The saving module registers the real loader
 * (ImageNet files and local paths); it runs synchronously so `VGG19({ weights })` returns a
 * ready model as in Keras.
 */
export type ApplicationWeightsLoader = (model: Model, request: WeightsRequest) => void;

let weightsLoader: ApplicationWeightsLoader | null = null;

export function setApplicationWeightsLoader(loader: ApplicationWeightsLoader | null): void {
  weightsLoader = loader;
}

export function loadApplicationWeights(model: Model, request: WeightsRequest): void {
  if (!weightsLoader) {
    throw new Error(
      `${request.application}: loading weights='${request.weights}' needs the weights loader of capa's saving module, which is not registered. ` +
        'Import the capa package root (which registers it), or pass weights: null for random initialization.',
    );
  }
  weightsLoader(model, request);
}

/** Validated common options (Keras's checks on weights/classes). */
export function checkApplicationOptions(
  name: string,
  options: ApplicationOptions,
): Required<Pick<ApplicationOptions, 'includeTop' | 'classes'>> & {
  weights: string | null;
} {
  const includeTop = options.includeTop ?? true;
  const weights = options.weights ?? null;
  const classes = options.classes ?? 1000;
  if (weights !== null && typeof weights !== 'string') {
    throw new Error(
      'The `weights` argument should be either `null` (random initialization), `imagenet` (pre-training on ImageNet), ' +
        `or the path to the weights file to be loaded. Received: weights=${String(weights)}`,
    );
  }
  if (weights === 'imagenet' && includeTop && classes !== 1000) {
    throw new Error(
      `${name}: if using \`weights='imagenet'\` with \`includeTop=true\`, \`classes\` should be 1000. Received classes=${classes}`,
    );
  }
  if (!Number.isInteger(classes) || classes <= 0)
    throw new Error(`${name}: \`classes\` must be a positive integer, received ${classes}.`);
  return { includeTop, classes, weights };
}

/** Keras's `obtain_input_shape` for channels_last models. */
export function obtainInputShape(
  inputShape: readonly (number | null)[] | undefined,
  defaultSize: number,
  minSize: number,
  requireFlatten: boolean,
  weights: string | null,
): SymbolicShape {
  let defaultShape: SymbolicShape;
  if (weights !== 'imagenet' && inputShape && inputShape.length === 3) {
    if (inputShape[2] !== 1 && inputShape[2] !== 3) {
      console.warn(
        `This model usually expects 1 or 3 input channels. However, it was passed an input_shape with ${inputShape[2]} input channels.`,
      );
    }
    defaultShape = [defaultSize, defaultSize, inputShape[2] ?? null];
  } else defaultShape = [defaultSize, defaultSize, 3];
  const same = (a: readonly (number | null)[], b: readonly (number | null)[]): boolean =>
    a.length === b.length && a.every((d, i) => d === b[i]);
  if (weights === 'imagenet' && requireFlatten) {
    if (inputShape && !same(inputShape, defaultShape)) {
      throw new Error(
        `When setting \`includeTop=true\` and loading \`imagenet\` weights, \`inputShape\` should be ${formatPythonShape(defaultShape)}. Received: inputShape=${formatPythonShape(inputShape)}`,
      );
    }
    return defaultShape;
  }
  let shape: SymbolicShape;
  if (inputShape) {
    if (inputShape.length !== 3)
      throw new Error(`\`inputShape\` must be a tuple of three integers. Received: inputShape=${formatPythonShape(inputShape)}`);
    if (inputShape[2] !== 3 && weights === 'imagenet') {
      throw new Error(`The input must have 3 channels; Received \`inputShape=${formatPythonShape(inputShape)}\``);
    }
    const [h, w] = inputShape;
    if ((h !== null && h !== undefined && h < minSize) || (w !== null && w !== undefined && w < minSize)) {
      throw new Error(`Input size must be at least ${minSize}x${minSize}; Received: inputShape=${formatPythonShape(inputShape)}`);
    }
    shape = inputShape.slice();
  } else shape = requireFlatten ? defaultShape : [null, null, 3];
  if (requireFlatten && shape.some((d) => d === null)) {
    throw new Error(
      `If \`includeTop\` is true, you should specify a static \`inputShape\`. Received: inputShape=${formatPythonShape(shape)}`,
    );
  }
  return shape;
}

/** The model input: the given input tensor, or a new Input of the resolved shape. */
export function applicationInput(options: ApplicationOptions, shape: SymbolicShape): SymbolicTensor {
  if (options.inputTensor !== undefined) {
    if (!(options.inputTensor instanceof SymbolicTensor)) {
      throw new Error('`inputTensor` must be a SymbolicTensor (from Input(...)).');
    }
    return options.inputTensor;
  }
  return Input({ shape });
}
