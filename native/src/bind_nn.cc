// Bindings of the convolution, pooling, batch-norm and optimizer kernels.
#include "napi_args.h"

namespace capa {
namespace bind {
static long filter_size(const ConvGeom& g) { return (long)g.kH * g.kW * g.inC * g.outC; }
static long depthwise_filter_size(const ConvGeom& g) { return (long)g.kH * g.kW * g.outC; }
/** outC = inC * multiplier; zero input channels (an empty tensor) make zero output channels. */
static bool depthwise_channels(const ConvGeom& g) { return g.inC > 0 ? g.outC % g.inC == 0 : g.outC == 0; }

// conv2d(x, filter, out, bias|null, act, meta = geometry)
FN(Conv2d) {
  ARGS;
  Meta meta;
  ConvGeom g;
  CHECK(read_meta(a, 5, meta) && read_geom(meta, g), "conv2d: bad geometry");
  float* x = a.f32(0, geom_in(g));
  float* f = a.f32(1, filter_size(g));
  float* out = a.f32(2, geom_out(g));
  float* bias = a.f32(3, g.outC, true);
  int act = a.code(4, A_LINEAR, A_TANH + 1);
  CHECK(x && f && out && !a.failed && act >= 0, "conv2d: bad arrays or activation");
  if (geom_out(g) > 0) kernels().conv2d(x, f, out, g, bias, act);
  DONE;
}

// conv2dBackpropInput(dy, filter, dx, meta)
FN(Conv2dBackpropInput) {
  ARGS;
  Meta meta;
  ConvGeom g;
  CHECK(read_meta(a, 3, meta) && read_geom(meta, g), "conv2dBackpropInput: bad geometry");
  float* dy = a.f32(0, geom_out(g));
  float* f = a.f32(1, filter_size(g));
  float* dx = a.f32(2, geom_in(g));
  CHECK(dy && f && dx, "conv2dBackpropInput: bad arrays");
  if (geom_in(g) == 0) DONE;
  if (geom_out(g) == 0) {
    memset(dx, 0, geom_in(g) * 4);
    DONE;
  }
  kernels().conv2d_backprop_input(dy, f, dx, g);
  DONE;
}

// conv2dBackpropFilter(x, dy, dFilter, meta)
FN(Conv2dBackpropFilter) {
  ARGS;
  Meta meta;
  ConvGeom g;
  CHECK(read_meta(a, 3, meta) && read_geom(meta, g), "conv2dBackpropFilter: bad geometry");
  float* x = a.f32(0, geom_in(g));
  float* dy = a.f32(1, geom_out(g));
  float* df = a.f32(2, filter_size(g));
  CHECK(x && dy && df, "conv2dBackpropFilter: bad arrays");
  if (filter_size(g) == 0) DONE;
  if (geom_out(g) == 0) {
    memset(df, 0, filter_size(g) * 4);
    DONE;
  }
  kernels().conv2d_backprop_filter(x, dy, df, g);
  DONE;
}

// depthwiseConv2d(x, filter, out, meta) and its gradients
FN(Depthwise) {
  ARGS;
  Meta meta;
  ConvGeom g;
  CHECK(read_meta(a, 3, meta) && read_geom(meta, g) && depthwise_channels(g), "depthwiseConv2d: bad geometry");
  float* x = a.f32(0, geom_in(g));
  float* f = a.f32(1, depthwise_filter_size(g));
  float* out = a.f32(2, geom_out(g));
  CHECK(x && f && out, "depthwiseConv2d: bad arrays");
  if (geom_out(g) > 0) kernels().depthwise(x, f, out, g);
  DONE;
}

FN(DepthwiseBackpropInput) {
  ARGS;
  Meta meta;
  ConvGeom g;
  CHECK(read_meta(a, 3, meta) && read_geom(meta, g) && depthwise_channels(g),
        "depthwiseConv2dBackpropInput: bad geometry");
  float* dy = a.f32(0, geom_out(g));
  float* f = a.f32(1, depthwise_filter_size(g));
  float* dx = a.f32(2, geom_in(g));
  CHECK(dy && f && dx, "depthwiseConv2dBackpropInput: bad arrays");
  if (geom_in(g) > 0) kernels().depthwise_backprop_input(dy, f, dx, g);
  DONE;
}

FN(DepthwiseBackpropFilter) {
  ARGS;
  Meta meta;
  ConvGeom g;
  CHECK(read_meta(a, 3, meta) && read_geom(meta, g) && depthwise_channels(g),
        "depthwiseConv2dBackpropFilter: bad geometry");
  float* x = a.f32(0, geom_in(g));
  float* dy = a.f32(1, geom_out(g));
  float* df = a.f32(2, depthwise_filter_size(g));
  CHECK(x && dy && df, "depthwiseConv2dBackpropFilter: bad arrays");
  if (depthwise_filter_size(g) > 0) kernels().depthwise_backprop_filter(x, dy, df, g);
  DONE;
}

// maxPool2d(x, out, meta), avgPool2d(x, out, meta)
FN(Pool) {
  ARGS;
  Meta meta;
  ConvGeom g;
  CHECK(read_meta(a, 3, meta) && read_geom(meta, g) && g.inC == g.outC, "pool2d: bad geometry");
  float* x = a.f32(0, geom_in(g));
  float* out = a.f32(1, geom_out(g));
  CHECK(x && out, "pool2d: bad arrays");
  if (geom_out(g) > 0) (a.boolean(2) ? kernels().avg_pool : kernels().max_pool)(x, out, g);
  DONE;
}

// maxPool2dGrad(x, dy, dx, meta)
FN(MaxPoolGrad) {
  ARGS;
  Meta meta;
  ConvGeom g;
  CHECK(read_meta(a, 3, meta) && read_geom(meta, g) && g.inC == g.outC, "maxPool2dGrad: bad geometry");
  float* x = a.f32(0, geom_in(g));
  float* dy = a.f32(1, geom_out(g));
  float* dx = a.f32(2, geom_in(g));
  CHECK(x && dy && dx, "maxPool2dGrad: bad arrays");
  if (geom_in(g) > 0) kernels().max_pool_grad(x, dy, dx, g);
  DONE;
}

// avgPool2dGrad(dy, dx, meta)
FN(AvgPoolGrad) {
  ARGS;
  Meta meta;
  ConvGeom g;
  CHECK(read_meta(a, 2, meta) && read_geom(meta, g) && g.inC == g.outC, "avgPool2dGrad: bad geometry");
  float* dy = a.f32(0, geom_out(g));
  float* dx = a.f32(1, geom_in(g));
  CHECK(dy && dx, "avgPool2dGrad: bad arrays");
  if (geom_in(g) > 0) kernels().avg_pool_grad(dy, dx, g);
  DONE;
}

// batchNormInference(x, mean, variance, gamma|null, beta|null, out, epsilon, channels)
FN(BatchNormInference) {
  ARGS;
  long C = a.int32(7);
  size_t n;
  a.array(0, &n);
  CHECK(C > 0 ? n % C == 0 : C == 0 && n == 0, "batchNormInference: size is not a multiple of channels");
  if (C == 0) DONE;  // no channels: nothing to normalize, no statistics
  float* x = a.f32(0, n);
  float* mean = a.f32(1, C);
  float* var = a.f32(2, C);
  float* gamma = a.f32(3, C, true);
  float* beta = a.f32(4, C, true);
  float* out = a.f32(5, n);
  CHECK(x && mean && var && out && !a.failed, "batchNormInference: bad arrays");
  kernels().batch_norm_inference(x, mean, var, gamma, beta, (float)a.num(6), C, (long)n / C, out);
  DONE;
}

// batchNormTraining(x, gamma|null, beta|null, out, mean, variance, epsilon, channels)
FN(BatchNormTraining) {
  ARGS;
  long C = a.int32(7);
  size_t n;
  a.array(0, &n);
  CHECK(C > 0 ? n % C == 0 : C == 0 && n == 0, "batchNormTraining: size is not a multiple of channels");
  if (C == 0) DONE;  // no channels: nothing to normalize, no statistics
  float* x = a.f32(0, n);
  float* gamma = a.f32(1, C, true);
  float* beta = a.f32(2, C, true);
  float* out = a.f32(3, n);
  float* mean = a.f32(4, C);
  float* var = a.f32(5, C);
  CHECK(x && out && mean && var && !a.failed, "batchNormTraining: bad arrays");
  kernels().batch_norm_training(x, gamma, beta, (float)a.num(6), C, (long)n / C, out, mean, var);
  DONE;
}

// batchNormGrad(x, dy, mean, variance, gamma|null, dx, dGamma, dBeta, epsilon, channels)
FN(BatchNormGrad) {
  ARGS;
  long C = a.int32(9);
  size_t n;
  a.array(0, &n);
  CHECK(C > 0 ? n % C == 0 : C == 0 && n == 0, "batchNormGrad: size is not a multiple of channels");
  if (C == 0) DONE;  // no channels: nothing to normalize, no statistics
  float* x = a.f32(0, n);
  float* dy = a.f32(1, n);
  float* mean = a.f32(2, C);
  float* var = a.f32(3, C);
  float* gamma = a.f32(4, C, true);
  float* dx = a.f32(5, n);
  float* dgamma = a.f32(6, C);
  float* dbeta = a.f32(7, C);
  CHECK(x && dy && mean && var && dx && dgamma && dbeta && !a.failed, "batchNormGrad: bad arrays");
  kernels().batch_norm_grad(x, dy, mean, var, gamma, (float)a.num(8), C, (long)n / C, dx, dgamma, dbeta);
  DONE;
}

// sgdUpdate(param, grad, velocity|null, lr, momentum, nesterov)
FN(SgdUpdate) {
  ARGS;
  size_t n;
  a.array(0, &n);
  float* p = a.f32(0, n);
  float* g = a.f32(1, n);
  float* v = a.f32(2, n, true);
  CHECK(p && g && !a.failed, "sgdUpdate: bad arrays");
  kernels().sgd(p, g, v, (long)n, (float)a.num(3), (float)a.num(4), a.boolean(5));
  DONE;
}

// adamUpdate(param, grad, m, v, vMax|null, stepSize, beta1, beta2, epsilon)
FN(AdamUpdate) {
  ARGS;
  size_t n;
  a.array(0, &n);
  float* p = a.f32(0, n);
  float* g = a.f32(1, n);
  float* m = a.f32(2, n);
  float* v = a.f32(3, n);
  float* vmax = a.f32(4, n, true);
  CHECK(p && g && m && v && !a.failed, "adamUpdate: bad arrays");
  kernels().adam(p, g, m, v, vmax, (long)n, (float)a.num(5), (float)a.num(6), (float)a.num(7), (float)a.num(8));
  DONE;
}

// transpose(x, out, meta = [rank, ...shape, ...perm])

}  // namespace bind
}  // namespace capa
