/**
 * The native kernels, declared once. `node scripts/gen-kernels.mjs` (also run by
 * `npm run build:native` before node-gyp) turns this file into everything that used to be restated
 * by hand:
 *   - src/backend/native/addon.generated.ts: the addon's TypeScript signatures and the op codes;
 *   - native/src/gen/spec.generated.h: the C++ op-code enums with their names, one argument struct
 *     per binding, the binding list and the per-ISA kernel table (as X-macros);
 *   - native/src/gen/bindings.generated.cc: the N-API argument unpacking of every binding, and the
 *     whole binding of the kernels declared `direct`.
 * The generated files are committed (TypeScript must typecheck and the package must build without
 * running anything first); test/native/kernel-spec.test.ts fails when they are stale.
 *
 * This is a plain ES module rather than JSON so that it can carry comments, and rather than
 * TypeScript so that the install-time build needs nothing but Node.
 *
 * An argument is `name: type`, with these types:
 *   f32, i32, any32    a Float32Array, an Int32Array, or either (a 32-bit copy serves both);
 *                      `?` after the type accepts null (the C++ side sees a null pointer);
 *                      `const` before it marks an input (a `const float*` in a direct kernel);
 *                      `[expr]` after it is the element count a direct binding checks before the
 *                      kernel runs (an expression of the binding's `int` arguments)
 *   list<any32>        an array of typed arrays (C++ receives the napi_value)
 *   meta               the shared Int32Array of shapes and integer parameters (src/backend/native/meta.ts)
 *   num, int, bool     a number (C++ double; float in a direct kernel), an int32 (C++ int32_t; long
 *                      in a direct kernel, refused when negative), a boolean
 *   code<Enum>         a member of one of the enums below; the generated unpacking refuses a code
 *                      outside the enum with an error naming the kernel and the code
 *
 * A binding is either hand-written (its body in native/src/bind_*.cc, after the generated
 * unpacking; `isa` lists the C++ signatures of the per-ISA kernels it calls) or `direct`: the
 * generated binding checks every array's length and calls the per-ISA kernel of that name with the
 * arguments in order, and the kernel's C++ signature follows from the argument types. A new kernel
 * with plain array arguments is then this entry, its C++ kernel and its test.
 */

/** Op codes shared by TypeScript and C++; `ts` names the Backend type whose members they number. */
export const enums = {
  Unary: {
    prefix: 'U_',
    ts: 'UnaryOp',
    names: [
      'neg', 'abs', 'sign', 'exp', 'expm1', 'log', 'log1p', 'sqrt', 'rsqrt', 'square', 'reciprocal',
      'floor', 'ceil', 'round', 'sin', 'cos', 'erf', 'clip', 'affine', 'powScalar',
      // From here on the activations (ActivationOp), which unaryGrad differentiates.
      'linear', 'relu', 'relu6', 'leakyRelu', 'elu', 'selu', 'gelu', 'geluTanh', 'sigmoid',
      'hardSigmoid', 'tanh', 'softplus', 'softsign', 'silu',
    ],
  },
  Binary: {
    prefix: 'B_',
    ts: 'BinaryOp',
    names: ['add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum', 'squaredDifference', 'floorDiv', 'mod', 'atan2'],
  },
  Compare: {
    prefix: 'C_',
    ts: 'CompareOp',
    names: ['equal', 'notEqual', 'less', 'lessEqual', 'greater', 'greaterEqual', 'logicalAnd', 'logicalOr'],
  },
  Reduce: { prefix: 'R_', ts: 'ReduceOp', names: ['sum', 'mean', 'max', 'min', 'prod'] },
  /** Activations a GEMM or convolution applies in its store. */
  Act: { prefix: 'A_', ts: 'FusedActivation', names: ['linear', 'relu', 'relu6', 'sigmoid', 'tanh'] },
  PadMode: { prefix: 'P_', ts: 'PadMode', names: ['constant', 'reflect', 'symmetric'] },
};

/** The addon's kernel functions, in the order the addon registers them. */
export const kernels = [
  // ---- elementwise, reductions, matmul, softmax: native/src/bind_math.cc
  {
    name: 'unary',
    args: ['x: f32', 'out: f32', 'op: code<Unary>', 'alpha: num', 'beta: num'],
    isa: { unary: 'bool(int op, const float* x, float* out, long n, float alpha, float beta)' },
  },
  {
    name: 'unaryGrad',
    doc: 'x or y null: the kernel reads dy in its place (activations whose gradient needs only the other).',
    args: ['x: f32?', 'y: f32?', 'dy: f32', 'dx: f32', 'op: code<Unary>', 'alpha: num'],
    isa: { unary_grad: 'bool(int op, const float* x, const float* y, const float* dy, float* dx, long n, float alpha)' },
  },
  {
    name: 'binary',
    args: ['a: f32', 'b: f32', 'out: f32', 'op: code<Binary>', 'meta: meta'],
    isa: { binary: 'bool(int op, const float* a, const float* b, float* out, const Broadcast& bc)' },
  },
  {
    name: 'compare',
    args: ['a: f32', 'b: f32', 'out: i32', 'op: code<Compare>', 'meta: meta'],
    isa: { compare: 'bool(int op, const float* a, const float* b, int32_t* out, const Broadcast& bc)' },
  },
  { name: 'select', args: ['cond: any32', 'a: any32', 'b: any32', 'out: any32', 'meta: meta'] },
  { name: 'cast', args: ['x: any32', 'out: any32'] },
  {
    name: 'reduce',
    args: ['x: f32', 'out: f32', 'op: code<Reduce>', 'meta: meta'],
    isa: { reduce: 'bool(int op, const float* x, long outer, long red, long inner, float* out)' },
  },
  {
    name: 'argReduce',
    args: ['x: f32', 'out: i32', 'isMin: bool', 'meta: meta'],
    isa: { arg_reduce: 'void(bool isMin, const float* x, long outer, long n, long inner, int32_t* out)' },
  },
  {
    name: 'matmul',
    args: ['a: f32', 'b: f32', 'out: f32', 'bias: f32?', 'meta: meta'],
    isa: { matmul: 'void(const float* a, const float* b, float* out, const MatmulSpec& spec)' },
  },
  {
    name: 'softmax',
    args: ['x: f32', 'out: f32', 'rows: int', 'cols: int', 'log: bool'],
    isa: { softmax: 'void(const float* x, long rows, long cols, float* out, bool log)' },
  },
  {
    name: 'softmaxGrad',
    args: ['y: f32', 'dy: f32', 'dx: f32', 'rows: int', 'cols: int', 'log: bool'],
    isa: { softmax_grad: 'void(const float* y, const float* dy, long rows, long cols, float* dx, bool log)' },
  },

  // ---- convolution, pooling, normalization, optimizers: native/src/bind_nn.cc
  {
    name: 'conv2d',
    args: ['x: f32', 'filter: f32', 'out: f32', 'bias: f32?', 'activation: code<Act>', 'meta: meta'],
    isa: { conv2d: 'void(const float* x, const float* filter, float* out, const ConvGeom& g, const float* bias, int act)' },
  },
  {
    name: 'conv2dBackpropInput',
    args: ['dy: f32', 'filter: f32', 'dx: f32', 'meta: meta'],
    isa: { conv2d_backprop_input: 'void(const float* dy, const float* filter, float* dx, const ConvGeom& g)' },
  },
  {
    name: 'conv2dBackpropFilter',
    args: ['x: f32', 'dy: f32', 'dFilter: f32', 'meta: meta'],
    isa: { conv2d_backprop_filter: 'void(const float* x, const float* dy, float* dfilter, const ConvGeom& g)' },
  },
  {
    name: 'depthwiseConv2d',
    args: ['x: f32', 'filter: f32', 'out: f32', 'meta: meta'],
    isa: { depthwise: 'void(const float* x, const float* filter, float* out, const ConvGeom& g)' },
  },
  {
    name: 'depthwiseConv2dBackpropInput',
    args: ['dy: f32', 'filter: f32', 'dx: f32', 'meta: meta'],
    isa: { depthwise_backprop_input: 'void(const float* dy, const float* filter, float* dx, const ConvGeom& g)' },
  },
  {
    name: 'depthwiseConv2dBackpropFilter',
    args: ['x: f32', 'dy: f32', 'dFilter: f32', 'meta: meta'],
    isa: { depthwise_backprop_filter: 'void(const float* x, const float* dy, float* dfilter, const ConvGeom& g)' },
  },
  {
    name: 'pool2d',
    args: ['x: f32', 'out: f32', 'average: bool', 'meta: meta'],
    isa: {
      max_pool: 'void(const float* x, float* out, const ConvGeom& g)',
      avg_pool: 'void(const float* x, float* out, const ConvGeom& g)',
    },
  },
  {
    name: 'maxPool2dGrad',
    args: ['x: f32', 'dy: f32', 'dx: f32', 'meta: meta'],
    isa: { max_pool_grad: 'void(const float* x, const float* dy, float* dx, const ConvGeom& g)' },
  },
  {
    name: 'avgPool2dGrad',
    args: ['dy: f32', 'dx: f32', 'meta: meta'],
    isa: { avg_pool_grad: 'void(const float* dy, float* dx, const ConvGeom& g)' },
  },
  {
    name: 'batchNormInference',
    args: ['x: f32', 'mean: f32', 'variance: f32', 'gamma: f32?', 'beta: f32?', 'out: f32', 'epsilon: num', 'channels: int'],
    isa: {
      batch_norm_inference:
        'void(const float* x, const float* mean, const float* var, const float* gamma, const float* beta, float eps, long channels, long rows, float* out)',
    },
  },
  {
    name: 'batchNormTraining',
    args: ['x: f32', 'gamma: f32?', 'beta: f32?', 'out: f32', 'mean: f32', 'variance: f32', 'epsilon: num', 'channels: int'],
    isa: {
      batch_norm_training:
        'void(const float* x, const float* gamma, const float* beta, float eps, long channels, long rows, float* out, float* mean, float* var)',
    },
  },
  {
    name: 'batchNormGrad',
    args: [
      'x: f32', 'dy: f32', 'mean: f32', 'variance: f32', 'gamma: f32?', 'dx: f32', 'dGamma: f32', 'dBeta: f32',
      'epsilon: num', 'channels: int',
    ],
    isa: {
      batch_norm_grad:
        'void(const float* x, const float* dy, const float* mean, const float* var, const float* gamma, float eps, long channels, long rows, float* dx, float* dgamma, float* dbeta)',
    },
  },
  {
    name: 'layerNorm',
    doc: 'out = (x - mean) / sqrt(var + epsilon) * gamma + beta over each row of x viewed as [rows, cols]; writes each row\'s mean and rstd = 1 / sqrt(var + epsilon) (biased variance); gamma/beta null mean 1/0.',
    args: [
      'x: const f32[rows * cols]', 'gamma: const f32?[cols]', 'beta: const f32?[cols]', 'out: f32[rows * cols]',
      'mean: f32[rows]', 'rstd: f32[rows]', 'epsilon: num', 'rows: int', 'cols: int',
    ],
    direct: 'layer_norm',
  },
  {
    name: 'layerNormGrad',
    doc: 'Gradients of layerNorm given its saved mean and rstd: dx (overwritten), dGamma = Σ dy·x̂ and dBeta = Σ dy over rows (overwritten).',
    args: [
      'x: const f32[rows * cols]', 'dy: const f32[rows * cols]', 'mean: const f32[rows]', 'rstd: const f32[rows]',
      'gamma: const f32?[cols]', 'dx: f32[rows * cols]', 'dGamma: f32[cols]', 'dBeta: f32[cols]', 'rows: int', 'cols: int',
    ],
    direct: 'layer_norm_grad',
  },
  // ---- recurrent layers over a whole sequence (RnnInfo in src/backend/backend.ts): native/src/kernels/rnn.cc
  {
    name: 'lstmSequence',
    doc: 'LSTM forward over every step (gates i, f, c, o): sequences, the states after each step and the activated gates.',
    args: [
      'xProj: const f32[batch * steps * 4 * units]', 'recurrentKernel: const f32[units * 4 * units]', 'h0: const f32[batch * units]',
      'c0: const f32[batch * units]', 'mask: const f32?[batch * steps]', 'sequences: f32[batch * steps * units]',
      'hStates: f32[(steps + 1) * batch * units]', 'cStates: f32[(steps + 1) * batch * units]', 'gates: f32[steps * batch * 4 * units]',
      'batch: int', 'steps: int', 'units: int', 'goBackwards: bool', 'zeroOutputForMask: bool',
    ],
    direct: 'lstm_sequence',
  },
  {
    name: 'lstmSequenceGrad',
    doc: 'LSTM backpropagation through time from the saved states and gates: dxProj, dRecurrentKernel, dh0, dc0 (overwritten).',
    args: [
      'recurrentKernel: const f32[units * 4 * units]', 'mask: const f32?[batch * steps]', 'hStates: const f32[(steps + 1) * batch * units]',
      'cStates: const f32[(steps + 1) * batch * units]', 'gates: const f32[steps * batch * 4 * units]',
      'dSequences: const f32[batch * steps * units]', 'dLastH: const f32[batch * units]', 'dLastC: const f32[batch * units]',
      'dxProj: f32[batch * steps * 4 * units]', 'dRecurrentKernel: f32[units * 4 * units]', 'dh0: f32[batch * units]',
      'dc0: f32[batch * units]', 'batch: int', 'steps: int', 'units: int', 'goBackwards: bool', 'zeroOutputForMask: bool',
    ],
    direct: 'lstm_sequence_grad',
  },
  {
    name: 'gruSequence',
    doc: 'GRU forward over every step (gates z, r, h; both reset_after forms): sequences, states and gates (z, r, n, hh_h or r·h).',
    args: [
      'xProj: const f32[batch * steps * 3 * units]', 'recurrentKernel: const f32[units * 3 * units]',
      'recurrentBias: const f32?[3 * units]', 'h0: const f32[batch * units]', 'mask: const f32?[batch * steps]',
      'sequences: f32[batch * steps * units]', 'hStates: f32[(steps + 1) * batch * units]', 'gates: f32[steps * batch * 4 * units]',
      'batch: int', 'steps: int', 'units: int', 'goBackwards: bool', 'zeroOutputForMask: bool', 'resetAfter: bool',
    ],
    direct: 'gru_sequence',
  },
  {
    name: 'gruSequenceGrad',
    doc: 'GRU backpropagation through time: dxProj, dRecurrentKernel, dh0 and (when given) dRecurrentBias, overwritten.',
    args: [
      'recurrentKernel: const f32[units * 3 * units]', 'mask: const f32?[batch * steps]', 'hStates: const f32[(steps + 1) * batch * units]',
      'gates: const f32[steps * batch * 4 * units]', 'dSequences: const f32[batch * steps * units]', 'dLastH: const f32[batch * units]',
      'dxProj: f32[batch * steps * 3 * units]', 'dRecurrentKernel: f32[units * 3 * units]', 'dRecurrentBias: f32?[3 * units]',
      'dh0: f32[batch * units]', 'batch: int', 'steps: int', 'units: int', 'goBackwards: bool', 'zeroOutputForMask: bool', 'resetAfter: bool',
    ],
    direct: 'gru_sequence_grad',
  },
  {
    name: 'simpleRnnSequence',
    doc: 'SimpleRNN forward over every step: h = act(x + h·R), act tanh or (relu true) relu.',
    args: [
      'xProj: const f32[batch * steps * units]', 'recurrentKernel: const f32[units * units]', 'h0: const f32[batch * units]',
      'mask: const f32?[batch * steps]', 'sequences: f32[batch * steps * units]', 'hStates: f32[(steps + 1) * batch * units]',
      'batch: int', 'steps: int', 'units: int', 'goBackwards: bool', 'zeroOutputForMask: bool', 'relu: bool',
    ],
    direct: 'simple_rnn_sequence',
  },
  {
    name: 'simpleRnnSequenceGrad',
    doc: 'SimpleRNN backpropagation through time: dxProj, dRecurrentKernel, dh0 (overwritten).',
    args: [
      'recurrentKernel: const f32[units * units]', 'mask: const f32?[batch * steps]', 'hStates: const f32[(steps + 1) * batch * units]',
      'dSequences: const f32[batch * steps * units]', 'dLastH: const f32[batch * units]', 'dxProj: f32[batch * steps * units]',
      'dRecurrentKernel: f32[units * units]', 'dh0: f32[batch * units]', 'batch: int', 'steps: int', 'units: int', 'goBackwards: bool', 'zeroOutputForMask: bool', 'relu: bool',
    ],
    direct: 'simple_rnn_sequence_grad',
  },
  {
    name: 'sgdUpdate',
    args: ['param: f32', 'grad: f32', 'velocity: f32?', 'learningRate: num', 'momentum: num', 'nesterov: bool'],
    isa: { sgd: 'void(float* p, const float* g, float* v, long n, float lr, float momentum, bool nesterov)' },
  },
  {
    name: 'adamUpdate',
    args: [
      'param: f32', 'grad: f32', 'm: f32', 'v: f32', 'vMax: f32?', 'stepSize: num', 'beta1: num', 'beta2: num', 'epsilon: num',
    ],
    isa: {
      adam: 'void(float* p, const float* g, float* m, float* v, float* vmax, long n, float step, float b1, float b2, float eps)',
    },
  },

  // ---- data movement (dtype-agnostic 32-bit copies): native/src/bind_movement.cc
  { name: 'transpose', args: ['x: any32', 'out: any32', 'meta: meta'] },
  { name: 'slice', args: ['x: any32', 'out: any32', 'meta: meta'] },
  { name: 'sliceAssign', args: ['dst: any32', 'src: any32', 'accumulate: bool', 'meta: meta'] },
  { name: 'concat', args: ['inputs: list<any32>', 'out: any32', 'meta: meta'] },
  { name: 'pad', args: ['x: any32', 'out: any32', 'mode: code<PadMode>', 'value: num', 'meta: meta'] },
  { name: 'tile', args: ['x: any32', 'out: any32', 'meta: meta'] },
  { name: 'gather', args: ['x: any32', 'indices: i32', 'out: any32', 'meta: meta'] },
  { name: 'scatterAdd', args: ['updates: any32', 'indices: i32', 'out: any32', 'meta: meta'] },
  { name: 'oneHot', args: ['indices: i32', 'out: any32', 'depth: int', 'onValue: num', 'offValue: num'] },
];

/** Limits both sides must agree on. */
export const limits = {
  /** The largest tensor rank a native kernel takes (NativeBackend hands larger ones to the TypeScript kernels). */
  maxRank: 12,
};
