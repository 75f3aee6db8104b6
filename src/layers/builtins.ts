/**
 * Registers every built-in layer and model class with the class registry, under Keras's class
 * names (and Keras 2's aliases), so configs written by Keras or capa can be revived.
 * Imported for its effect by the package root.
 */
import { Model } from '../models/functional.js';
import { Sequential } from '../models/sequential.js';
import { ELU, LeakyReLU, ReLU, Softmax } from './activations/layers.js';
import { AdditiveAttention, Attention } from './attention/attention.js';
import { MultiHeadAttention } from './attention/multi-head-attention.js';
import { Conv1D, Conv2D } from './convolutional/conv.js';
import { Conv1DTranspose, Conv2DTranspose } from './convolutional/conv-transpose.js';
import { DepthwiseConv2D, SeparableConv2D } from './convolutional/depthwise.js';
import { Activation } from './core/activation.js';
import { Dense } from './core/dense.js';
import { Dropout } from './core/dropout.js';
import { EinsumDense } from './core/einsum-dense.js';
import { Embedding } from './core/embedding.js';
import { Flatten } from './core/flatten.js';
import { Identity } from './core/identity.js';
import { InputLayer } from './core/input-layer.js';
import { Lambda } from './core/lambda.js';
import { Masking } from './core/masking.js';
import { Permute, Reshape } from './core/reshape.js';
import { Dot } from './merging/dot.js';
import { Add, Average, Concatenate, Maximum, Minimum, Multiply, Subtract } from './merging/merge.js';
import { BatchNormalization } from './normalization/batch-normalization.js';
import { GroupNormalization } from './normalization/group-normalization.js';
import { LayerNormalization } from './normalization/layer-normalization.js';
import { UnitNormalization } from './normalization/unit-normalization.js';
import {
  GlobalAveragePooling1D,
  GlobalAveragePooling2D,
  GlobalMaxPooling1D,
  GlobalMaxPooling2D,
} from './pooling/global-pooling.js';
import { AveragePooling1D, AveragePooling2D, MaxPooling1D, MaxPooling2D } from './pooling/pooling2d.js';
import { Bidirectional } from './recurrent/bidirectional.js';
import { GRUCell } from './recurrent/gru-cell.js';
import { LSTMCell } from './recurrent/lstm-cell.js';
import { GRU, LSTM, SimpleRNN } from './recurrent/recurrent-layers.js';
import { RNN } from './recurrent/rnn.js';
import { SimpleRNNCell } from './recurrent/simple-rnn-cell.js';
import { StackedRNNCells } from './recurrent/stacked-cells.js';
import { TimeDistributed } from './recurrent/time-distributed.js';
import { registerLayerClass } from './registry.js';
import { GaussianNoise, SpatialDropout2D } from './regularization/noise.js';
import { Cropping1D, Cropping2D } from './reshaping/cropping.js';
import { RepeatVector } from './reshaping/repeat-vector.js';
import { UpSampling1D, UpSampling2D } from './reshaping/up-sampling.js';
import { ZeroPadding1D, ZeroPadding2D } from './reshaping/zero-padding.js';

registerLayerClass(Model, 'Model');
registerLayerClass(Sequential);
registerLayerClass(InputLayer);
registerLayerClass(Dense);
registerLayerClass(Activation);
registerLayerClass(Dropout);
registerLayerClass(Lambda);
registerLayerClass(Embedding);
registerLayerClass(Flatten);
registerLayerClass(Reshape);
registerLayerClass(Permute);
registerLayerClass(Conv2D, 'Convolution2D');
registerLayerClass(Conv1D, 'Convolution1D');
registerLayerClass(DepthwiseConv2D);
registerLayerClass(SeparableConv2D, 'SeparableConvolution2D');
registerLayerClass(MaxPooling2D, 'MaxPool2D');
registerLayerClass(AveragePooling2D, 'AvgPool2D');
registerLayerClass(MaxPooling1D, 'MaxPool1D');
registerLayerClass(AveragePooling1D, 'AvgPool1D');
registerLayerClass(GlobalAveragePooling2D, 'GlobalAvgPool2D');
registerLayerClass(GlobalMaxPooling2D, 'GlobalMaxPool2D');
registerLayerClass(GlobalAveragePooling1D, 'GlobalAvgPool1D');
registerLayerClass(GlobalMaxPooling1D, 'GlobalMaxPool1D');
registerLayerClass(BatchNormalization);
registerLayerClass(LayerNormalization);
registerLayerClass(ZeroPadding2D);
registerLayerClass(ZeroPadding1D);
registerLayerClass(Add);
registerLayerClass(Subtract);
registerLayerClass(Multiply);
registerLayerClass(Average);
registerLayerClass(Maximum);
registerLayerClass(Minimum);
registerLayerClass(Concatenate);
registerLayerClass(ReLU);
registerLayerClass(LeakyReLU);
registerLayerClass(ELU);
registerLayerClass(Softmax);
registerLayerClass(SpatialDropout2D);
registerLayerClass(GaussianNoise);
registerLayerClass(Conv2DTranspose, 'Convolution2DTranspose');
registerLayerClass(Conv1DTranspose, 'Convolution1DTranspose');
registerLayerClass(UpSampling1D);
registerLayerClass(UpSampling2D);
registerLayerClass(Cropping1D);
registerLayerClass(Cropping2D);
registerLayerClass(RepeatVector);
registerLayerClass(Identity);
registerLayerClass(Dot);
registerLayerClass(EinsumDense);
registerLayerClass(MultiHeadAttention);
registerLayerClass(Attention);
registerLayerClass(AdditiveAttention);
registerLayerClass(GroupNormalization);
registerLayerClass(UnitNormalization);
registerLayerClass(Masking);
registerLayerClass(RNN);
registerLayerClass(SimpleRNNCell);
registerLayerClass(LSTMCell);
registerLayerClass(GRUCell);
registerLayerClass(StackedRNNCells);
registerLayerClass(SimpleRNN);
registerLayerClass(LSTM);
registerLayerClass(GRU);
registerLayerClass(Bidirectional);
registerLayerClass(TimeDistributed);
