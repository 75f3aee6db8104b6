/** `capa.layers`: every built-in layer class (Keras names) plus the Layer base for custom layers. */
export { type ActivationFunction, type ActivationIdentifier, customActivation } from './activations/functions.js';
export { ELU, LeakyReLU, ReLU, type ReLUArgs, Softmax } from './activations/layers.js';
export {
  AdditiveAttention,
  type AdditiveAttentionArgs,
  Attention,
  type AttentionArgs,
  type AttentionCallArgs,
} from './attention/attention.js';
export {
  MultiHeadAttention,
  type MultiHeadAttentionArgs,
  type MultiHeadAttentionCallArgs,
} from './attention/multi-head-attention.js';
export type { ConvArgs } from './convolutional/base-conv.js';
export { Conv1D, Conv2D } from './convolutional/conv.js';
export { Conv1DTranspose, Conv2DTranspose, type ConvTransposeArgs } from './convolutional/conv-transpose.js';
export { type DepthwiseArgs, DepthwiseConv2D, type SeparableArgs, SeparableConv2D } from './convolutional/depthwise.js';
export { Activation } from './core/activation.js';
export { Dense, type DenseArgs } from './core/dense.js';
export { Dropout, type DropoutArgs } from './core/dropout.js';
export { EinsumDense, type EinsumDenseArgs } from './core/einsum-dense.js';
export { Embedding, type EmbeddingArgs } from './core/embedding.js';
export { Flatten } from './core/flatten.js';
export { Identity } from './core/identity.js';
export { Input, type InputArgs, InputLayer, type InputLayerArgs } from './core/input-layer.js';
export { Lambda, type LambdaArgs, type LambdaFunction } from './core/lambda.js';
export { Masking, type MaskingArgs } from './core/masking.js';
export { Permute, Reshape } from './core/reshape.js';
export { InputSpec } from './engine/input-spec.js';
export { type AddWeightOptions, type CallArgs, Layer, type LayerArgs } from './engine/layer.js';
export { getKerasMask, setKerasMask } from './engine/masking.js';
export { type SymbolicShape, SymbolicTensor } from './engine/symbolic.js';
export { Dot, type DotArgs } from './merging/dot.js';
export { add, concatenate } from './merging/functional.js';
export { Add, Average, Concatenate, Maximum, Merge, Minimum, Multiply, Subtract } from './merging/merge.js';
export { BatchNormalization, type BatchNormalizationArgs } from './normalization/batch-normalization.js';
export { GroupNormalization, type GroupNormalizationArgs } from './normalization/group-normalization.js';
export { LayerNormalization, type LayerNormalizationArgs } from './normalization/layer-normalization.js';
export { UnitNormalization } from './normalization/unit-normalization.js';
export {
  GlobalAveragePooling1D,
  GlobalAveragePooling2D,
  GlobalMaxPooling1D,
  GlobalMaxPooling2D,
  type GlobalPoolingArgs,
} from './pooling/global-pooling.js';
export { AveragePooling1D, AveragePooling2D, MaxPooling1D, MaxPooling2D, type PoolingArgs } from './pooling/pooling2d.js';
export * from './preprocessing/index.js';
export { Bidirectional, type BidirectionalArgs, type MergeMode } from './recurrent/bidirectional.js';
export type { CellOptions } from './recurrent/cell-options.js';
export { GRUCell, type GRUCellArgs } from './recurrent/gru-cell.js';
export { LSTMCell, type LSTMCellArgs } from './recurrent/lstm-cell.js';
export { GRU, type GRUArgs, LSTM, type LSTMArgs, SimpleRNN, type SimpleRNNArgs } from './recurrent/recurrent-layers.js';
export { type RecurrentCell, RNN, type RNNArgs } from './recurrent/rnn.js';
export { SimpleRNNCell, type SimpleRNNCellArgs } from './recurrent/simple-rnn-cell.js';
export { StackedRNNCells } from './recurrent/stacked-cells.js';
export { TimeDistributed } from './recurrent/time-distributed.js';
export { GaussianNoise, SpatialDropout2D } from './regularization/noise.js';
export { Cropping1D, Cropping2D, type Cropping2DArg } from './reshaping/cropping.js';
export { RepeatVector } from './reshaping/repeat-vector.js';
export { UpSampling1D, UpSampling2D, type UpSampling2DArgs, type UpSamplingInterpolation } from './reshaping/up-sampling.js';
export { ZeroPadding1D, ZeroPadding2D } from './reshaping/zero-padding.js';
