// Bodies of the convolution, pooling, batch-norm and optimizer bindings: the checks of sizes
// against the geometry, then the kernel. Their arguments arrive unpacked (gen/bindings.generated.cc);
// layer normalization's binding is generated whole (native/spec/kernels.mjs declares it direct).
#include "gen/bindings.generated.h"

namespace capa {
namespace bind {
static long filter_size(const ConvGeom& g) { return (long)g.kH * g.kW * g.inC * g.outC; }
static long depthwise_filter_size(const ConvGeom& g) { return (long)g.kH * g.kW * g.outC; }
/** outC = inC * multiplier; zero input channels (an empty tensor) make zero output channels. */
static bool depthwise_channels(const ConvGeom& g) { return g.inC > 0 ? g.outC % g.inC == 0 : g.outC == 0; }

static bool same_channels(const ConvGeom& g) { return g.inC == g.outC; }

/**
 * Reads the geometry (meta = the 17 fields of ConvGeom) into g; false, having thrown, when it is
 * malformed or `fits` refuses it.
 */
static bool geometry(Args& a, const Meta& m, ConvGeom& g, bool (*fits)(const ConvGeom&) = nullptr) {
  Meta meta = m;
  if (read_geom(meta, g) && (!fits || fits(g))) return true;
  a.fail("bad geometry");
  return false;
}

BODY(Conv2d) {
  ConvGeom g;
  if (!geometry(a, p.meta, g) || !a.need(p.x, geom_in(g), "x") || !a.need(p.filter, filter_size(g), "filter") ||
      !a.need(p.out, geom_out(g), "out") || (p.bias.data && !a.need(p.bias, g.outC, "bias")))
    DONE;
  if (geom_out(g) > 0) kernels().conv2d(p.x.data, p.filter.data, p.out.data, g, p.bias.data, p.activation);
  DONE;
}

BODY(Conv2dBackpropInput) {
  ConvGeom g;
  if (!geometry(a, p.meta, g) || !a.need(p.dy, geom_out(g), "dy") || !a.need(p.filter, filter_size(g), "filter") ||
      !a.need(p.dx, geom_in(g), "dx"))
    DONE;
  if (geom_in(g) == 0) DONE;
  if (geom_out(g) == 0) {
    memset(p.dx.data, 0, geom_in(g) * 4);
    DONE;
  }
  kernels().conv2d_backprop_input(p.dy.data, p.filter.data, p.dx.data, g);
  DONE;
}

BODY(Conv2dBackpropFilter) {
  ConvGeom g;
  if (!geometry(a, p.meta, g) || !a.need(p.x, geom_in(g), "x") || !a.need(p.dy, geom_out(g), "dy") ||
      !a.need(p.dFilter, filter_size(g), "dFilter"))
    DONE;
  if (filter_size(g) == 0) DONE;
  if (geom_out(g) == 0) {
    memset(p.dFilter.data, 0, filter_size(g) * 4);
    DONE;
  }
  kernels().conv2d_backprop_filter(p.x.data, p.dy.data, p.dFilter.data, g);
  DONE;
}

BODY(DepthwiseConv2d) {
  ConvGeom g;
  if (!geometry(a, p.meta, g, depthwise_channels) || !a.need(p.x, geom_in(g), "x") || !a.need(p.filter, depthwise_filter_size(g), "filter") || !a.need(p.out, geom_out(g), "out"))
    DONE;
  if (geom_out(g) > 0) kernels().depthwise(p.x.data, p.filter.data, p.out.data, g);
  DONE;
}

BODY(DepthwiseConv2dBackpropInput) {
  ConvGeom g;
  if (!geometry(a, p.meta, g, depthwise_channels) || !a.need(p.dy, geom_out(g), "dy") || !a.need(p.filter, depthwise_filter_size(g), "filter") || !a.need(p.dx, geom_in(g), "dx"))
    DONE;
  if (geom_in(g) > 0) kernels().depthwise_backprop_input(p.dy.data, p.filter.data, p.dx.data, g);
  DONE;
}

BODY(DepthwiseConv2dBackpropFilter) {
  ConvGeom g;
  if (!geometry(a, p.meta, g, depthwise_channels) || !a.need(p.x, geom_in(g), "x") || !a.need(p.dy, geom_out(g), "dy") || !a.need(p.dFilter, depthwise_filter_size(g), "dFilter"))
    DONE;
  if (depthwise_filter_size(g) > 0) kernels().depthwise_backprop_filter(p.x.data, p.dy.data, p.dFilter.data, g);
  DONE;
}

// maxPool2d and avgPool2d (average true)
BODY(Pool2d) {
  ConvGeom g;
  if (!geometry(a, p.meta, g, same_channels) || !a.need(p.x, geom_in(g), "x") || !a.need(p.out, geom_out(g), "out")) DONE;
  if (geom_out(g) > 0) (p.average ? kernels().avg_pool : kernels().max_pool)(p.x.data, p.out.data, g);
  DONE;
}

BODY(MaxPool2dGrad) {
  ConvGeom g;
  if (!geometry(a, p.meta, g, same_channels) || !a.need(p.x, geom_in(g), "x") || !a.need(p.dy, geom_out(g), "dy") || !a.need(p.dx, geom_in(g), "dx")) DONE;
  if (geom_in(g) > 0) kernels().max_pool_grad(p.x.data, p.dy.data, p.dx.data, g);
  DONE;
}

BODY(AvgPool2dGrad) {
  ConvGeom g;
  if (!geometry(a, p.meta, g, same_channels) || !a.need(p.dy, geom_out(g), "dy") || !a.need(p.dx, geom_in(g), "dx")) DONE;
  if (geom_in(g) > 0) kernels().avg_pool_grad(p.dy.data, p.dx.data, g);
  DONE;
}

/** Whether x's length is a whole number of rows of `channels` (nothing to do when there are no channels). */
static bool channel_rows(Args& a, size_t n, long C) {
  if (C > 0 ? n % C == 0 : C == 0 && n == 0) return true;
  a.failf("x holds %zu elements, not a multiple of %ld channels", n, C);
  return false;
}

BODY(BatchNormInference) {
  long C = p.channels;
  size_t n = p.x.length;
  if (!channel_rows(a, n, C) || C == 0) DONE;  // no channels: nothing to normalize, no statistics
  if (!a.need(p.mean, C, "mean", "channels") || !a.need(p.variance, C, "variance", "channels") ||
      (p.gamma.data && !a.need(p.gamma, C, "gamma", "channels")) || (p.beta.data && !a.need(p.beta, C, "beta", "channels")) ||
      !a.need(p.out, (long)n, "out", "x's length"))
    DONE;
  kernels().batch_norm_inference(p.x.data, p.mean.data, p.variance.data, p.gamma.data, p.beta.data, (float)p.epsilon, C,
                                 (long)n / C, p.out.data);
  DONE;
}

BODY(BatchNormTraining) {
  long C = p.channels;
  size_t n = p.x.length;
  if (!channel_rows(a, n, C) || C == 0) DONE;  // no channels: nothing to normalize, no statistics
  if ((p.gamma.data && !a.need(p.gamma, C, "gamma", "channels")) || (p.beta.data && !a.need(p.beta, C, "beta", "channels")) ||
      !a.need(p.out, (long)n, "out", "x's length") || !a.need(p.mean, C, "mean", "channels") ||
      !a.need(p.variance, C, "variance", "channels"))
    DONE;
  kernels().batch_norm_training(p.x.data, p.gamma.data, p.beta.data, (float)p.epsilon, C, (long)n / C, p.out.data, p.mean.data,
                                p.variance.data);
  DONE;
}

BODY(BatchNormGrad) {
  long C = p.channels;
  size_t n = p.x.length;
  if (!channel_rows(a, n, C) || C == 0) DONE;  // no channels: nothing to normalize, no statistics
  if (!a.need(p.dy, (long)n, "dy", "x's length") || !a.need(p.mean, C, "mean", "channels") ||
      !a.need(p.variance, C, "variance", "channels") || (p.gamma.data && !a.need(p.gamma, C, "gamma", "channels")) ||
      !a.need(p.dx, (long)n, "dx", "x's length") || !a.need(p.dGamma, C, "dGamma", "channels") ||
      !a.need(p.dBeta, C, "dBeta", "channels"))
    DONE;
  kernels().batch_norm_grad(p.x.data, p.dy.data, p.mean.data, p.variance.data, p.gamma.data, (float)p.epsilon, C, (long)n / C,
                            p.dx.data, p.dGamma.data, p.dBeta.data);
  DONE;
}

BODY(SgdUpdate) {
  long n = (long)p.param.length;
  if (!a.need(p.grad, n, "grad", "param's length") || (p.velocity.data && !a.need(p.velocity, n, "velocity", "param's length")))
    DONE;
  kernels().sgd(p.param.data, p.grad.data, p.velocity.data, n, (float)p.learningRate, (float)p.momentum, p.nesterov);
  DONE;
}

BODY(AdamUpdate) {
  long n = (long)p.param.length;
  if (!a.need(p.grad, n, "grad", "param's length") || !a.need(p.m, n, "m", "param's length") ||
      !a.need(p.v, n, "v", "param's length") || (p.vMax.data && !a.need(p.vMax, n, "vMax", "param's length")))
    DONE;
  kernels().adam(p.param.data, p.grad.data, p.m.data, p.v.data, p.vMax.data, n, (float)p.stepSize, (float)p.beta1,
                 (float)p.beta2, (float)p.epsilon);
  DONE;
}

}  // namespace bind
}  // namespace capa
