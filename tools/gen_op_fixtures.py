#!/usr/bin/python3
"""PyTorch oracles for capa's ops: writes test/fixtures/ops/<family>.json.

Run with Debian's Python (torch 1.13, numpy 1.24):  /usr/bin/python3 tools/gen_op_fixtures.py

Each case holds float32 inputs, the forward outputs and the gradients of
L = sum_i sum(output_i * dy_i) with respect to every differentiable input, for a random
float32 upstream gradient dy_i. The reference is computed in float64 from the float32
inputs, so the oracle carries no float32 rounding of its own. TensorFlow/Keras semantics that
PyTorch does not have natively are built from PyTorch primitives:
- 'same' padding: the TensorFlow split (extra cell bottom/right) applied with an explicit F.pad;
- max pooling with 'same': padded with -inf, so padding never wins;
- average pooling with 'same': window sums divided by the number of in-input cells;
- NHWC/HWIO layouts: permuted to NCHW/OIHW around the torch call.
Inputs of non-smooth ops are drawn away from their kinks so that the numerical gradient check
on the same inputs is meaningful.
"""
import json
import math
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

OUT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures', 'ops')
rng = np.random.default_rng(20240607)


# ---------------------------------------------------------------- inputs

def normal(*shape, scale=1.0):
    return np.asarray(rng.standard_normal(shape) * scale, dtype=np.float32)


def uniform(lo, hi, *shape):
    return np.asarray(rng.uniform(lo, hi, shape), dtype=np.float32)


def away_from(x, points, gap=0.05):
    """Moves values within `gap` of any kink point out to that distance."""
    x = x.astype(np.float64)
    for p in points:
        near = np.abs(x - p) < gap
        x[near] = p + np.where(x[near] >= p, gap, -gap)
    return x.astype(np.float32)


def distinct(*shape, scale=1.0):
    """Normal values whose pairwise gaps are at least 0.02 (ties would make max/min gradients ambiguous)."""
    n = int(np.prod(shape)) if shape else 1
    v = np.sort(rng.standard_normal(n))
    v = v + 0.02 * np.arange(n)
    rng.shuffle(v)
    return (v.reshape(shape) * scale).astype(np.float32)


def indices(*shape, high):
    return rng.integers(0, high, shape).astype(np.int32)


# ---------------------------------------------------------------- encoding

def enc(a):
    a = np.asarray(a)
    if a.dtype == np.int32 or a.dtype == np.int64 or a.dtype == np.bool_:
        return {'shape': list(a.shape), 'dtype': 'int32', 'values': [int(v) for v in a.reshape(-1)]}
    flat = a.reshape(-1).astype(np.float64)
    if not np.all(np.isfinite(flat)):
        raise ValueError('non-finite value in a fixture')
    return {'shape': list(a.shape), 'dtype': 'float32', 'values': [float('%.9g' % v) for v in flat]}


# ---------------------------------------------------------------- cases

families = {}


def case(family, name, op, inputs, fn, attrs=None, grad=None):
    """Records one case: fn takes float64 torch tensors (int inputs stay int64) and returns a tensor or list."""
    attrs = attrs or {}
    ts = []
    for i, a in enumerate(inputs):
        if a.dtype == np.int32:
            ts.append(torch.from_numpy(a.astype(np.int64)))
        else:
            wants = grad is None or grad[i]
            ts.append(torch.from_numpy(a.astype(np.float64)).requires_grad_(wants))
    outs = fn(*ts)
    if not isinstance(outs, (list, tuple)):
        outs = [outs]
    dys = []
    loss = None
    for o in outs:
        if o.dtype.is_floating_point and o.requires_grad:
            dy = normal(*o.shape)
            dys.append(dy)
            term = (o * torch.from_numpy(dy.astype(np.float64))).sum()
            loss = term if loss is None else loss + term
        else:
            dys.append(None)
    grads = [None] * len(inputs)
    diff = [i for i, t in enumerate(ts) if t.dtype.is_floating_point and t.requires_grad]
    if loss is not None and diff:
        gs = torch.autograd.grad(loss, [ts[i] for i in diff], allow_unused=True)
        for i, g in zip(diff, gs):
            grads[i] = enc(torch.zeros_like(ts[i]).numpy() if g is None else g.detach().numpy())
    out_arrays = []
    for o in outs:
        o = o.detach()
        out_arrays.append(enc(o.numpy().astype(np.int32) if not o.dtype.is_floating_point else o.numpy()))
    families.setdefault(family, []).append({
        'name': name,
        'op': op,
        'attrs': attrs,
        'inputs': [enc(a) for a in inputs],
        'outputs': out_arrays,
        'dys': [None if d is None else enc(d) for d in dys],
        'grads': grads,
    })


# ---------------------------------------------------------------- elementwise

def gen_unary():
    smooth = {
        'neg': (torch.neg, normal(4, 17)),
        'exp': (torch.exp, normal(4, 17)),
        'expm1': (torch.expm1, normal(4, 17)),
        'log': (torch.log, uniform(0.1, 4, 4, 17)),
        'log1p': (torch.log1p, uniform(-0.8, 3, 4, 17)),
        'sqrt': (torch.sqrt, uniform(0.1, 4, 4, 17)),
        'rsqrt': (torch.rsqrt, uniform(0.2, 4, 4, 17)),
        'square': (torch.square, normal(33)),
        'reciprocal': (torch.reciprocal, away_from(normal(7, 3), [0], 0.3)),
        'sin': (torch.sin, normal(4, 17, scale=3)),
        'cos': (torch.cos, normal(4, 17, scale=3)),
        'erf': (torch.erf, normal(4, 17)),
        'abs': (torch.abs, away_from(normal(4, 17), [0])),
    }
    for name, (fn, x) in smooth.items():
        case('unary', name, name, [x], fn)
    for name, fn in {'sign': torch.sign, 'floor': torch.floor, 'ceil': torch.ceil, 'round': torch.round}.items():
        x = normal(3, 17, scale=3)
        x[0, :4] = [0.5, 1.5, -2.5, 0]
        case('unary', name, name, [x], fn, grad=[False])
    x = away_from(normal(4, 17), [-0.5, 0.7])
    case('unary', 'clip', 'clip', [x], lambda t: torch.clamp(t, -0.5, 0.7), {'min': -0.5, 'max': 0.7})


def gen_activations():
    acts = {
        'relu': (F.relu, away_from(normal(4, 17), [0]), {}),
        'relu6': (F.relu6, away_from(normal(4, 17, scale=4), [0, 6]), {}),
        'leakyRelu': (lambda t: F.leaky_relu(t, 0.2), away_from(normal(4, 17), [0]), {}),
        'leakyRelu_0.3': (lambda t: F.leaky_relu(t, 0.3), away_from(normal(33), [0]), {'alpha': 0.3}),
        'elu': (F.elu, away_from(normal(4, 17), [0]), {}),
        'elu_0.5': (lambda t: F.elu(t, 0.5), away_from(normal(33), [0]), {'alpha': 0.5}),
        'selu': (F.selu, away_from(normal(4, 17), [0]), {}),
        'gelu': (F.gelu, normal(4, 17, scale=2), {}),
        'gelu_tanh': (lambda t: F.gelu(t, approximate='tanh'), normal(4, 17, scale=2), {'approximate': True}),
        'sigmoid': (torch.sigmoid, normal(4, 17, scale=3), {}),
        'hardSigmoid': (F.hardsigmoid, away_from(normal(4, 17, scale=3), [-3, 3]), {}),
        'tanh': (torch.tanh, normal(4, 17, scale=2), {}),
        'softplus': (F.softplus, normal(4, 17, scale=3), {}),
        'softsign': (F.softsign, normal(4, 17, scale=2), {}),
        'silu': (F.silu, normal(4, 17, scale=2), {}),
    }
    for name, (fn, x, attrs) in acts.items():
        case('activations', name, name.split('_')[0], [x], fn, attrs)


def separated(sa, sb, gap=0.05):
    """Two normal arrays whose broadcast elementwise differences are all at least `gap` (one max/min winner)."""
    for _ in range(1000):
        a, b = normal(*sa), normal(*sb)
        x, y = np.broadcast_arrays(a, b)
        if np.abs(x - y).min() >= gap:
            return a, b
    raise RuntimeError('could not draw separated operands')


BROADCAST_PAIRS = [([3, 1, 5], [4, 1]), ([7], [7]), ([2, 3], []), ([1], [6, 1]), ([2, 1, 17], [3, 17])]


def gen_binary():
    for sa, sb in BROADCAST_PAIRS:
        tag = f'{sa}x{sb}'
        a, b = normal(*sa), normal(*sb)
        case('binary', f'add {tag}', 'add', [a, b], torch.add)
        case('binary', f'sub {tag}', 'sub', [a, b], torch.sub)
        case('binary', f'mul {tag}', 'mul', [a, b], torch.mul)
        case('binary', f'div {tag}', 'div', [a, away_from(b, [0], 0.3)], torch.div)
        case('binary', f'pow {tag}', 'pow', [uniform(0.3, 2, *sa), uniform(-2, 2, *sb)], torch.pow)
        a2, b2 = separated(sa, sb)
        case('binary', f'maximum {tag}', 'maximum', [a2, b2], torch.maximum)
        case('binary', f'minimum {tag}', 'minimum', [a2, b2], torch.minimum)
        case('binary', f'squaredDifference {tag}', 'squaredDifference', [a, b], lambda x, y: (x - y) ** 2)
    a = normal(3, 17, scale=4)
    b = uniform(0.5, 2, 17) * np.where(rng.random(17) < 0.5, -1, 1).astype(np.float32)
    q = a.astype(np.float64) / b
    a = np.where(np.abs(q - np.round(q)) < 0.05, a + 0.2 * b, a).astype(np.float32)
    case('binary', 'mod', 'mod', [a, b], torch.remainder)
    case('binary', 'floorDiv', 'floorDiv', [a, b], lambda x, y: torch.floor(x / y), grad=[False, False])


def gen_logic():
    a = np.round(normal(3, 4, scale=2)).astype(np.float32)
    b = np.round(normal(4, scale=2)).astype(np.float32)
    for name, fn in {
        'equal': torch.eq, 'notEqual': torch.ne, 'less': torch.lt, 'lessEqual': torch.le,
        'greater': torch.gt, 'greaterEqual': torch.ge,
        'logicalAnd': torch.logical_and, 'logicalOr': torch.logical_or,
    }.items():
        case('logic', name, name, [a, b], fn, grad=[False, False])
    case('logic', 'logicalNot', 'logicalNot', [a], torch.logical_not, grad=[False])
    cond = indices(3, 4, high=2)
    case('logic', 'where', 'where', [cond, normal(3, 4), normal(4)], lambda c, x, y: torch.where(c != 0, x, y))
    case('logic', 'where broadcast cond', 'where', [indices(3, 1, high=2), normal(1, 5), normal(3, 5)],
         lambda c, x, y: torch.where(c != 0, x, y))
    case('logic', 'cast float to int', 'cast', [normal(2, 7, scale=3)], lambda t: t.to(torch.int32), {'dtype': 'int32'},
         grad=[False])
    case('logic', 'cast int to float', 'cast', [indices(2, 7, high=9)], lambda t: t.to(torch.float64), {'dtype': 'float32'})


# ---------------------------------------------------------------- reductions

def gen_reduce():
    shapes_axes = [
        ([3, 4, 5], None, False), ([3, 4, 5], 0, False), ([3, 4, 5], -1, True), ([3, 4, 5], [0, 2], False),
        ([3, 4, 5], [1, 2], True), ([1, 7, 1], 1, False), ([33], 0, False), ([2, 17, 3], [0, 1], False),
    ]
    for shape, axis, keep in shapes_axes:
        tag = f'{shape} axis={axis} keep={keep}'
        attrs = {'axis': axis, 'keepDims': keep}
        dims = tuple(range(len(shape))) if axis is None else (axis if isinstance(axis, list) else [axis])
        dims = tuple(dims)
        x = distinct(*shape)
        case('reduce', f'sum {tag}', 'sum', [x], lambda t: t.sum(dim=dims, keepdim=keep), attrs)
        case('reduce', f'mean {tag}', 'mean', [x], lambda t: t.mean(dim=dims, keepdim=keep), attrs)
        case('reduce', f'max {tag}', 'max', [x], lambda t: t.amax(dim=dims, keepdim=keep), attrs)
        case('reduce', f'min {tag}', 'min', [x], lambda t: t.amin(dim=dims, keepdim=keep), attrs)
        case('reduce', f'logSumExp {tag}', 'logSumExp', [x], lambda t: torch.logsumexp(t, dim=dims, keepdim=keep), attrs)
        case('reduce', f'variance {tag}', 'variance', [x], lambda t: t.var(dim=dims, unbiased=False, keepdim=keep), attrs)
    ties = np.array([[1, 3, 3, 2], [5, 5, 5, 1], [0, -1, -1, -2]], np.float32)
    case('reduce', 'max ties share the gradient', 'max', [ties], lambda t: t.amax(dim=1), {'axis': 1, 'keepDims': False})
    x = distinct(3, 4, 5)
    for axis in [0, 1, -1]:
        case('reduce', f'argmax axis={axis}', 'argmax', [x], lambda t: t.argmax(dim=axis), {'axis': axis}, grad=[False])
        case('reduce', f'argmin axis={axis}', 'argmin', [x], lambda t: t.argmin(dim=axis), {'axis': axis}, grad=[False])


# ---------------------------------------------------------------- matmul

def gen_matmul():
    def tr(t, flag):
        return t.transpose(-1, -2) if flag else t

    for sa, sb, ta, tb in [
        ([5, 7], [7, 3], False, False), ([7, 5], [7, 3], True, False), ([5, 7], [3, 7], False, True),
        ([7, 5], [3, 7], True, True), ([2, 5, 7], [7, 3], False, False), ([2, 1, 4, 3], [3, 3, 2], False, False),
        ([33, 17], [17, 7], False, False), ([1, 1], [1, 1], False, False), ([3, 17, 9], [3, 9, 17], False, False),
    ]:
        attrs = {'transposeA': ta, 'transposeB': tb}
        case('matmul', f'matmul {sa} {sb} tA={ta} tB={tb}', 'matmul', [normal(*sa), normal(*sb)],
             lambda a, b: torch.matmul(tr(a, ta), tr(b, tb)), attrs)
    acts = {'linear': lambda t: t, 'relu': F.relu, 'relu6': F.relu6, 'sigmoid': torch.sigmoid, 'tanh': torch.tanh}
    for act, fn in acts.items():
        a, b, bias = normal(6, 9), normal(9, 5), normal(5)
        case('matmul', f'fusedMatmul {act}', 'fusedMatmul', [a, b, bias], lambda x, y, c, fn=fn: fn(x @ y + c),
             {'activation': act})
    case('matmul', 'fusedMatmul transposeB no bias', 'fusedMatmul', [normal(4, 9), normal(5, 9)],
         lambda x, y: torch.tanh(x @ y.T), {'activation': 'tanh', 'transposeB': True})


# ---------------------------------------------------------------- shapes and data movement

def gen_movement():
    x = normal(2, 3, 4)
    case('movement', 'transpose [2,0,1]', 'transpose', [x], lambda t: t.permute(2, 0, 1), {'perm': [2, 0, 1]})
    case('movement', 'transpose default', 'transpose', [x], lambda t: t.permute(2, 1, 0), {})
    case('movement', 'reshape', 'reshape', [x], lambda t: t.reshape(4, -1), {'shape': [4, -1]})
    x = normal(5, 7, 3)
    case('movement', 'slice', 'slice', [x], lambda t: t[1:4, 2:, 0:2], {'begin': [1, 2, 0], 'size': [3, -1, 2]})
    case('movement', 'slice odd', 'slice', [normal(17, 33)], lambda t: t[3:10, 1:32], {'begin': [3, 1], 'size': [7, 31]})
    parts = [normal(2, 1, 4), normal(2, 3, 4), normal(2, 2, 4)]
    case('movement', 'concat axis 1', 'concat', parts, lambda *ts: torch.cat(ts, 1), {'axis': 1})
    parts = [normal(3, 5), normal(3, 5), normal(3, 5)]
    case('movement', 'concat axis -1', 'concat', parts, lambda *ts: torch.cat(ts, -1), {'axis': -1})
    case('movement', 'stack axis 0', 'stack', parts, lambda *ts: torch.stack(ts, 0), {'axis': 0})
    case('movement', 'stack axis -1', 'stack', parts, lambda *ts: torch.stack(ts, -1), {'axis': -1})
    case('movement', 'split equal', 'split', [normal(4, 6)], lambda t: list(torch.split(t, 2, 1)),
         {'numOrSizes': 3, 'axis': 1})
    case('movement', 'split sizes', 'split', [normal(7, 3)], lambda t: list(torch.split(t, [1, 4, 2], 0)),
         {'numOrSizes': [1, -1, 2], 'axis': 0})

    # pad: numpy defines each mode's index mapping; the gradient follows through an index gather in torch
    for shape, pads, mode, value in [
        ([3, 4], [[1, 2], [2, 1]], 'constant', 0.5), ([3, 4], [[2, 1], [3, 0]], 'reflect', 0),
        ([3, 4], [[3, 2], [1, 4]], 'symmetric', 0), ([2, 5, 4, 3], [[0, 0], [1, 2], [2, 1], [0, 0]], 'reflect', 0),
        ([2, 5, 4, 3], [[0, 0], [1, 1], [1, 1], [0, 0]], 'constant', 0), ([7], [[4, 5]], 'symmetric', 0),
        ([1, 17], [[0, 0], [16, 15]], 'reflect', 0),
    ]:
        x = normal(*shape)
        attrs = {'paddings': pads, 'mode': mode, 'constantValue': value}
        if mode == 'constant':
            torch_pads = [p for pair in reversed(pads) for p in pair]
            fn = lambda t, tp=torch_pads, v=value: F.pad(t, tp, value=v)
        else:
            src = np.pad(np.arange(x.size).reshape(shape), pads, mode=mode)
            fn = lambda t, s=src: t.reshape(-1)[torch.from_numpy(s.reshape(-1))].reshape(s.shape)
        case('movement', f'pad {mode} {shape} {pads}', 'pad', [x], fn, attrs)

    x = normal(5, 4)
    case('movement', 'gather axis 0', 'gather', [x, np.array([3, 0, 3, 1], np.int32)],
         lambda t, i: t.index_select(0, i), {'axis': 0})
    idx = np.array([[1, 0], [3, 3], [2, 1]], np.int32)
    case('movement', 'gather axis 1 2-D indices', 'gather', [x, idx],
         lambda t, i: t.index_select(1, i.reshape(-1)).reshape(5, 3, 2), {'axis': 1})
    x = normal(2, 17, 3)
    idx = indices(9, high=17)
    case('movement', 'gather axis 1 odd', 'gather', [x, idx], lambda t, i: t.index_select(1, i), {'axis': 1})
    case('movement', 'oneHot', 'oneHot', [np.array([[0, 3], [2, 1], [4, 0]], np.int32)],
         lambda i: F.one_hot(i, 5).to(torch.float64), {'depth': 5})
    case('movement', 'tile', 'tile', [normal(2, 3)], lambda t: t.repeat(2, 3), {'reps': [2, 3]})
    case('movement', 'tile rank 3', 'tile', [normal(3, 1, 2)], lambda t: t.repeat(1, 4, 2), {'reps': [1, 4, 2]})
    case('movement', 'broadcastTo', 'broadcastTo', [normal(3, 1)], lambda t: t.expand(2, 3, 4), {'shape': [2, 3, 4]})
    case('movement', 'expandDims', 'expandDims', [normal(3, 4)], lambda t: t.unsqueeze(1), {'axis': 1})
    case('movement', 'squeeze', 'squeeze', [normal(3, 1, 4, 1)], lambda t: t.squeeze(), {})
    case('movement', 'flatten', 'flatten', [normal(2, 3, 4)], lambda t: t.reshape(2, -1), {})


def gen_softmax():
    for shape, axis in [([3, 4, 5], -1), ([3, 4, 5], 0), ([3, 4, 5], 1), ([1, 7], -1), ([2, 33], 1), ([1], 0)]:
        x = normal(*shape, scale=2)
        case('softmax', f'softmax {shape} axis={axis}', 'softmax', [x], lambda t: torch.softmax(t, axis), {'axis': axis})
        case('softmax', f'logSoftmax {shape} axis={axis}', 'logSoftmax', [x], lambda t: torch.log_softmax(t, axis),
             {'axis': axis})


# ---------------------------------------------------------------- convolution and pooling

def same_pads(size, k, s, d):
    eff = (k - 1) * d + 1
    out = -(-size // s)
    total = max((out - 1) * s + eff - size, 0)
    return total // 2, total - total // 2


def pair(v):
    return list(v) if isinstance(v, (list, tuple)) else [v, v]


def nchw_pad(t, h, w, kh, kw, strides, dil, padding, value=0.0):
    """NCHW tensor padded the way TensorFlow pads for 'same' (nothing for 'valid')."""
    if padding == 'valid':
        return t
    top, bottom = same_pads(h, kh, strides[0], dil[0])
    left, right = same_pads(w, kw, strides[1], dil[1])
    return F.pad(t, [left, right, top, bottom], value=value)


def torch_conv(x, k, strides, dil, padding, groups=1):
    """NHWC x, HWIO (or depthwise H W C M) k -> NHWC output through NCHW torch conv."""
    n, h, w, c = x.shape
    kh, kw = k.shape[0], k.shape[1]
    xt = nchw_pad(x.permute(0, 3, 1, 2), h, w, kh, kw, strides, dil, padding)
    if groups == 1:
        wt = k.permute(3, 2, 0, 1)
    else:
        # [KH, KW, C, M] -> [C*M, 1, KH, KW]; output channel c*M + m
        wt = k.permute(2, 3, 0, 1).reshape(k.shape[2] * k.shape[3], 1, kh, kw)
    y = F.conv2d(xt, wt, stride=strides, dilation=dil, groups=groups)
    return y.permute(0, 2, 3, 1)


CONV_CASES = [
    # x shape, kernel (kh, kw), filters, strides, dilation, padding
    ([2, 7, 7, 3], (3, 3), 4, 1, 1, 'same'), ([2, 7, 7, 3], (3, 3), 4, 1, 1, 'valid'),
    ([2, 7, 7, 3], (3, 3), 4, 2, 1, 'same'), ([2, 7, 7, 3], (3, 3), 4, 2, 1, 'valid'),
    ([2, 7, 7, 3], (3, 3), 4, 1, 2, 'same'), ([2, 7, 7, 3], (3, 3), 4, 1, 2, 'valid'),
    ([1, 17, 17, 2], (3, 3), 3, 2, 1, 'same'), ([1, 17, 17, 2], (3, 3), 3, 1, 1, 'same'),
    ([2, 8, 6, 3], (2, 3), 5, 2, 1, 'same'), ([1, 8, 8, 2], (4, 4), 2, 1, 1, 'same'),
    ([1, 1, 1, 5], (1, 1), 7, 1, 1, 'same'), ([3, 5, 5, 1], (5, 5), 1, 1, 1, 'valid'),
    ([1, 9, 7, 2], (3, 3), 2, [2, 1], [1, 2], 'same'), ([2, 4, 5, 6], (1, 1), 3, 1, 1, 'valid'),
    ([2, 5, 5, 6], (1, 1), 3, 2, 1, 'same'), ([1, 5, 33, 2], (3, 3), 2, 2, 1, 'same'),
    ([1, 6, 6, 2], (3, 3), 2, 2, 2, 'same'), ([1, 7, 7, 1], (3, 3), 1, 3, 1, 'same'),
]


def gen_conv():
    for shape, (kh, kw), f, s, d, padding in CONV_CASES:
        strides, dil = pair(s), pair(d)
        x, k = normal(*shape), normal(kh, kw, shape[3], f, scale=0.5)
        attrs = {'strides': strides, 'dilationRate': dil, 'padding': padding}
        case('conv', f'conv2d x{shape} k{kh}x{kw}x{f} s{strides} d{dil} {padding}', 'conv2d', [x, k],
             lambda a, b, st=strides, di=dil, p=padding: torch_conv(a, b, st, di, p), attrs)
    acts = {'linear': lambda t: t, 'relu': F.relu, 'relu6': F.relu6, 'sigmoid': torch.sigmoid, 'tanh': torch.tanh}
    for i, (act, fn) in enumerate(acts.items()):
        shape, strides, padding = ([2, 6, 5, 3], [1, 1], 'same') if i % 2 == 0 else ([1, 7, 7, 2], [2, 2], 'valid')
        x, k, b = normal(*shape), normal(3, 3, shape[3], 4, scale=0.5), normal(4)
        attrs = {'strides': strides, 'padding': padding, 'activation': act, 'dilationRate': [1, 1]}
        case('conv', f'fusedConv2d {act} {shape} s{strides} {padding}', 'fusedConv2d', [x, k, b],
             lambda a, w, c, st=strides, p=padding, fn=fn: fn(torch_conv(a, w, st, [1, 1], p) + c), attrs)
    x, k = normal(1, 5, 5, 2), normal(3, 3, 2, 3, scale=0.5)
    case('conv', 'fusedConv2d relu without bias', 'fusedConv2d', [x, k],
         lambda a, w: F.relu(torch_conv(a, w, [1, 1], [1, 1], 'same')),
         {'strides': [1, 1], 'padding': 'same', 'activation': 'relu', 'dilationRate': [1, 1]})
    for shape, kk, m, s, d, padding in [
        ([2, 7, 7, 3], 3, 1, 1, 1, 'same'), ([2, 7, 7, 3], 3, 2, 1, 1, 'same'), ([2, 7, 7, 3], 3, 2, 2, 1, 'same'),
        ([2, 7, 7, 3], 3, 1, 2, 1, 'valid'), ([2, 7, 7, 3], 3, 1, 1, 2, 'same'), ([1, 17, 17, 2], 3, 1, 2, 1, 'same'),
        ([1, 6, 5, 4], 5, 3, 1, 1, 'valid'), ([1, 1, 1, 3], 1, 2, 1, 1, 'same'),
    ]:
        strides, dil = pair(s), pair(d)
        x, k = normal(*shape), normal(kk, kk, shape[3], m, scale=0.5)
        attrs = {'strides': strides, 'dilationRate': dil, 'padding': padding}
        case('conv', f'depthwiseConv2d x{shape} k{kk} m{m} s{strides} d{dil} {padding}', 'depthwiseConv2d', [x, k],
             lambda a, b, st=strides, di=dil, p=padding, c=shape[3]: torch_conv(a, b, st, di, p, groups=c), attrs)


def torch_max_pool(x, size, strides, padding):
    n, h, w, c = x.shape
    xt = nchw_pad(x.permute(0, 3, 1, 2), h, w, size[0], size[1], strides, [1, 1], padding, value=-math.inf)
    return F.max_pool2d(xt, size, strides).permute(0, 2, 3, 1)


def torch_avg_pool(x, size, strides, padding):
    n, h, w, c = x.shape
    xt = nchw_pad(x.permute(0, 3, 1, 2), h, w, size[0], size[1], strides, [1, 1], padding)
    ones = nchw_pad(torch.ones(1, 1, h, w, dtype=x.dtype), h, w, size[0], size[1], strides, [1, 1], padding)
    sums = F.avg_pool2d(xt, size, strides, divisor_override=1)
    counts = F.avg_pool2d(ones, size, strides, divisor_override=1)
    return (sums / counts).permute(0, 2, 3, 1)


def gen_pool():
    for shape, size, s, padding in [
        ([2, 7, 7, 3], 2, 2, 'valid'), ([2, 7, 7, 3], 2, 2, 'same'), ([2, 7, 7, 3], 3, 2, 'same'),
        ([2, 7, 7, 3], 3, 1, 'same'), ([2, 7, 7, 3], 2, 1, 'valid'), ([1, 6, 7, 2], [3, 2], [2, 1], 'same'),
        ([1, 17, 17, 2], 3, 2, 'same'), ([1, 1, 1, 4], 1, 1, 'valid'), ([1, 33, 5, 1], 4, 3, 'same'),
    ]:
        size, strides = pair(size), pair(s)
        attrs = {'poolSize': size, 'strides': strides, 'padding': padding}
        tag = f'x{shape} pool{size} s{strides} {padding}'
        case('pool', f'maxPool2d {tag}', 'maxPool2d', [distinct(*shape)],
             lambda t, sz=size, st=strides, p=padding: torch_max_pool(t, sz, st, p), attrs)
        case('pool', f'avgPool2d {tag}', 'avgPool2d', [normal(*shape)],
             lambda t, sz=size, st=strides, p=padding: torch_avg_pool(t, sz, st, p), attrs)


# ---------------------------------------------------------------- normalization

def gen_norm():
    eps = 1e-3
    for shape, with_offset, with_scale in [([4, 3, 5], True, True), ([6, 4], False, True), ([6, 4], True, False),
                                           ([2, 3, 3, 7], False, False)]:
        c = shape[-1]
        x, mean, var = normal(*shape), normal(c), uniform(0.3, 2, c)
        ins = [x, mean, var] + ([normal(c)] if with_offset else []) + ([normal(c)] if with_scale else [])

        def fn(t, m, v, *rest, wo=with_offset, ws=with_scale):
            y = (t - m) / torch.sqrt(v + eps)
            if ws:
                y = y * rest[-1]
            if wo:
                y = y + rest[0]
            return y
        case('norm', f'batchNormalization {shape} offset={with_offset} scale={with_scale}', 'batchNormalization', ins, fn,
             {'epsilon': eps, 'offset': with_offset, 'scale': with_scale})
    for shape, affine in [([6, 5], True), ([2, 3, 4, 3], True), ([2, 3, 4, 3], False), ([17, 1], True)]:
        c = shape[-1]
        x = normal(*shape, scale=2) + np.float32(1)
        ins = [x] + ([normal(c), normal(c)] if affine else [])

        def fn(t, *gb, affine=affine):
            flat = t.reshape(-1, t.shape[-1])
            y = F.batch_norm(flat, None, None, gb[0] if affine else None, gb[1] if affine else None, True, 0.0, eps)
            return [y.reshape(t.shape), flat.mean(0), flat.var(0, unbiased=False)]
        case('norm', f'batchNormTraining {shape} affine={affine}', 'batchNormTraining', ins, fn,
             {'epsilon': eps, 'affine': affine})


def gen_layer_norm():
    """torch.nn.functional.layer_norm over the trailing axes; odd sizes, with and without gamma/beta."""
    for shape, axes, affine in [((3, 7), 1, True), ((2, 5, 33), 1, True), ((4, 1), 1, True), ((6, 17), 1, False),
                                ((2, 3, 5), 2, True), ((5, 257), 1, True)]:
        eps = 1e-3
        x = normal(*shape, scale=2.0) + 0.5
        params = shape[-axes:]
        ins = [x] + ([normal(*params) + 1.0, normal(*params)] if affine else [])

        def fn(t, *gb, params=params):
            return F.layer_norm(t, params, gb[0] if gb else None, gb[1] if gb else None, eps)
        case('layernorm', f'layerNormalization {shape} over {axes} axes affine={affine}', 'layerNormalization', ins, fn,
             {'epsilon': eps, 'axis': -axes})


def main():
    torch.set_grad_enabled(True)
    # gen_layer_norm comes last so that adding it left the random inputs of every earlier case as they were.
    for gen in [gen_unary, gen_activations, gen_binary, gen_logic, gen_reduce, gen_matmul, gen_movement, gen_softmax,
                gen_conv, gen_pool, gen_norm, gen_layer_norm]:
        gen()
    os.makedirs(OUT_DIR, exist_ok=True)
    total = 0
    for family, cases in families.items():
        path = os.path.join(OUT_DIR, f'{family}.json')
        tmp = path + '.tmp'
        with open(tmp, 'w') as f:
            json.dump({'generator': 'tools/gen_op_fixtures.py', 'torch': torch.__version__, 'cases': cases}, f,
                      separators=(',', ':'))
        os.replace(tmp, path)
        size = os.path.getsize(path)
        total += size
        print(f'{family}: {len(cases)} cases, {size / 1024:.0f} KiB')
    print(f'total {total / 1024:.0f} KiB', file=sys.stderr)


if __name__ == '__main__':
    main()
