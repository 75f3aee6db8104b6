#!/usr/bin/python3
"""PyTorch oracles for capa's attention, normalization and transposed-convolution layers:
writes test/fixtures/layers/attention-conv.json.

Run with Debian's Python (torch 1.13):  /usr/bin/python3 tools/gen_attention_conv_fixtures.py

Weights are drawn in Keras's layouts (what the tests pass to setWeights) and converted here to
PyTorch's. Everything is computed in float64 from float32 inputs. Each case holds the inputs, the
weights, the output and the gradients of L = sum(output * dy) for a random dy, with respect to
the inputs and every weight (Keras layout). TensorFlow/Keras semantics PyTorch lacks are written
from TensorFlow's definitions, independently of capa's code:
- Conv2DTranspose: torch's full transposed convolution (no padding) cropped to TensorFlow's
  conv2d_transpose window, whose SAME padding is that of the forward convolution from the output
  (total = max((in - 1) * stride + span - out, 0), split with the extra cell at the end), and
  whose output length is Keras's `compute_conv_transpose_output_length`;
- MultiHeadAttention: Keras's einsums ("abc,cde->abde", "aecd,abcd->acbe", "acbe,aecd->abcd",
  "abcd,cde->abe"), 1/sqrt(key_dim) on the query, masked scores + -1e9, softmax, times the mask.
"""
import json
import math
import os

import numpy as np
import torch
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures', 'layers', 'attention-conv.json')
rng = np.random.default_rng(20261202)


def normal(*shape, scale=1.0):
    return np.asarray(rng.standard_normal(shape) * scale, dtype=np.float32)


def t64(a, grad=True):
    return torch.tensor(np.asarray(a, dtype=np.float64), requires_grad=grad)


def flat(a):
    return [float("%.9g" % v) for v in np.asarray(a, dtype=np.float64).reshape(-1)]


def entry(a):
    a = np.asarray(a)
    return {'shape': list(a.shape), 'values': flat(a)}


def backward(y, leaves):
    dy = normal(*y.shape)
    (y * torch.tensor(dy.astype(np.float64))).sum().backward()
    return dy, [leaf.grad.detach().numpy() for leaf in leaves]


# ---------------------------------------------------------------- Conv2DTranspose

def keras_transpose_length(n, k, padding, stride, dilation, output_padding):
    span = (k - 1) * dilation + 1
    if output_padding is None:
        return n * stride + max(span - stride, 0) if padding == 'valid' else n * stride
    pad = span // 2 if padding == 'same' else 0
    return (n - 1) * stride + span - 2 * pad + output_padding


def tf_crop_start(n, k, padding, stride, dilation, out):
    """TensorFlow's conv2d_transpose: the padding of the forward conv from `out` back to `n`."""
    if padding == 'valid':
        return 0
    span = (k - 1) * dilation + 1
    total = max((n - 1) * stride + span - out, 0)
    return total // 2


def conv_transpose_case(name, x_shape, kernel_hw, filters, strides, padding, dilation=(1, 1), output_padding=None, bias=True):
    n, h, w, c = x_shape
    kh, kw = kernel_hw
    x = normal(*x_shape)
    kernel = normal(kh, kw, filters, c, scale=0.5)  # Keras: [kh, kw, out, in]
    b = normal(filters) if bias else None
    xt = t64(x)
    kt = t64(kernel)
    bt = t64(b) if bias else None
    full = F.conv_transpose2d(xt.permute(0, 3, 1, 2), kt.permute(3, 2, 0, 1), stride=strides, dilation=dilation)
    ops = output_padding if output_padding is not None else (None, None)
    out_h = keras_transpose_length(h, kh, padding, strides[0], dilation[0], ops[0])
    out_w = keras_transpose_length(w, kw, padding, strides[1], dilation[1], ops[1])
    top = tf_crop_start(h, kh, padding, strides[0], dilation[0], out_h)
    left = tf_crop_start(w, kw, padding, strides[1], dilation[1], out_w)
    # rows past the full output (valid + output_padding) are zeros, as in TensorFlow
    full = F.pad(full, (0, max(left + out_w - full.shape[3], 0), 0, max(top + out_h - full.shape[2], 0)))
    y = full[:, :, top:top + out_h, left:left + out_w].permute(0, 2, 3, 1)
    if bias:
        y = y + bt
    leaves = [xt, kt] + ([bt] if bias else [])
    dy, grads = backward(y, leaves)
    return {
        'name': name,
        'config': {
            'filters': filters, 'kernelSize': list(kernel_hw), 'strides': list(strides), 'padding': padding,
            'dilationRate': list(dilation), 'outputPadding': list(output_padding) if output_padding else None, 'useBias': bias,
        },
        'x': entry(x),
        'weights': [entry(kernel)] + ([entry(b)] if bias else []),
        'y': entry(y.detach().numpy()),
        'dy': entry(dy),
        'dx': entry(grads[0]),
        'dweights': [entry(g) for g in grads[1:]],
    }


# ---------------------------------------------------------------- MultiHeadAttention

def mha_case(name, q_shape, v_shape, heads, key_dim, value_dim, out_dim=None, k_shape=None, mask=None, causal=False, bias=True):
    query = normal(*q_shape)
    value = normal(*v_shape)
    key = normal(*k_shape) if k_shape else None
    d_q, d_v = q_shape[-1], v_shape[-1]
    d_k = k_shape[-1] if k_shape else d_v
    d_out = out_dim or d_q
    shapes = [
        (d_q, heads, key_dim), (heads, key_dim),
        (d_k, heads, key_dim), (heads, key_dim),
        (d_v, heads, value_dim), (heads, value_dim),
        (heads, value_dim, d_out), (d_out,),
    ]
    if not bias:
        shapes = shapes[0::2]
    weights = [normal(*s, scale=0.4) for s in shapes]
    wt = [t64(w) for w in weights]
    if bias:
        wq, bq, wk, bk, wv, bv, wo, bo = wt
    else:
        wq, wk, wv, wo = wt
        bq = bk = bv = bo = None
    qt, vt = t64(query), t64(value)
    kt = t64(key) if key is not None else vt

    def add(a, b):
        return a if b is None else a + b

    q = add(torch.einsum('abc,cde->abde', qt, wq), bq) * (1.0 / math.sqrt(key_dim))
    k = add(torch.einsum('abc,cde->abde', kt, wk), bk)
    v = add(torch.einsum('abc,cde->abde', vt, wv), bv)
    scores = torch.einsum('aecd,abcd->acbe', k, q)  # [batch, heads, targets, sources]
    full_mask = None
    T, S = q_shape[1], v_shape[1]
    if mask is not None:
        full_mask = torch.tensor(np.asarray(mask, dtype=np.float64))
    if causal:
        c = torch.tensor(np.tril(np.ones((T, S))), dtype=torch.float64)[None]
        full_mask = c if full_mask is None else full_mask * c
    if full_mask is not None:
        m = full_mask[:, None]
        probs = torch.softmax(scores + (1.0 - m) * -1e9, dim=-1) * m
    else:
        probs = torch.softmax(scores, dim=-1)
    attended = torch.einsum('acbe,aecd->abcd', probs, v)
    y = add(torch.einsum('abcd,cde->abe', attended, wo), bo)
    leaves = [qt, vt] + ([kt] if key is not None else []) + wt
    dy, grads = backward(y, leaves)
    n_in = 3 if key is not None else 2
    return {
        'name': name,
        'config': {'numHeads': heads, 'keyDim': key_dim, 'valueDim': value_dim, 'outputShape': out_dim, 'useBias': bias},
        'inputs': [entry(query), entry(value)] + ([entry(key)] if key is not None else []),
        'mask': entry(np.asarray(mask, dtype=np.float32)) if mask is not None else None,
        'causal': causal,
        'weights': [entry(w) for w in weights],
        'y': entry(y.detach().numpy()),
        'scores': entry(probs.detach().numpy()),
        'dy': entry(dy),
        'dinputs': [entry(g) for g in grads[:n_in]],
        'dweights': [entry(g) for g in grads[n_in:]],
    }


# ---------------------------------------------------------------- normalization, upsampling, attention

def layer_norm_case(name, shape, eps):
    x = normal(*shape)
    gamma = normal(shape[-1])
    beta = normal(shape[-1])
    xt, gt, bt = t64(x), t64(gamma), t64(beta)
    y = F.layer_norm(xt, (shape[-1],), gt, bt, eps)
    dy, grads = backward(y, [xt, gt, bt])
    return {'name': name, 'epsilon': eps, 'x': entry(x), 'weights': [entry(gamma), entry(beta)], 'y': entry(y.detach().numpy()),
            'dy': entry(dy), 'dx': entry(grads[0]), 'dweights': [entry(g) for g in grads[1:]]}


def group_norm_case(name, shape, groups, eps):
    x = normal(*shape)
    gamma = normal(shape[-1])
    beta = normal(shape[-1])
    xt, gt, bt = t64(x), t64(gamma), t64(beta)
    perm = [0, len(shape) - 1] + list(range(1, len(shape) - 1))
    back = [0] + list(range(2, len(shape))) + [1]
    y = F.group_norm(xt.permute(*perm), groups, gt, bt, eps).permute(*back)
    dy, grads = backward(y, [xt, gt, bt])
    return {'name': name, 'groups': groups, 'epsilon': eps, 'x': entry(x), 'weights': [entry(gamma), entry(beta)],
            'y': entry(y.detach().numpy()), 'dy': entry(dy), 'dx': entry(grads[0]), 'dweights': [entry(g) for g in grads[1:]]}


def bilinear_case(name, shape, size):
    x = normal(*shape)
    xt = t64(x)
    # align_corners=False is the half-pixel-centre sampling of tf.image.resize (upscaling: no antialias)
    y = F.interpolate(xt.permute(0, 3, 1, 2), scale_factor=size, mode='bilinear', align_corners=False).permute(0, 2, 3, 1)
    dy, grads = backward(y, [xt])
    return {'name': name, 'size': list(size), 'x': entry(x), 'y': entry(y.detach().numpy()), 'dy': entry(dy), 'dx': entry(grads[0])}


def attention_case(name, kind, q_shape, v_shape, use_scale, score_mode='dot', value_mask=None, causal=False):
    query, value = normal(*q_shape), normal(*v_shape)
    qt, vt = t64(query), t64(value)
    weights = []
    if kind == 'additive':
        scale = normal(q_shape[-1]) if use_scale else None
        if use_scale:
            weights.append(scale)
        st = t64(scale) if use_scale else None
        tnh = torch.tanh(qt[:, :, None, :] + vt[:, None, :, :])
        scores = (tnh * st if use_scale else tnh).sum(-1)
        leaves_w = [st] if use_scale else []
    else:
        leaves_w = []
        st = None
        if use_scale:
            s = np.asarray(1.7, dtype=np.float32)
            weights.append(s)
            st = t64(s)
            leaves_w.append(st)
        if score_mode == 'dot':
            scores = qt @ vt.transpose(1, 2)
            if use_scale:
                scores = scores * st
        else:
            c = np.asarray(0.8, dtype=np.float32)
            weights.append(c)
            ct = t64(c)
            leaves_w.append(ct)
            z = qt[:, :, None, :] + vt[:, None, :, :]
            scores = ct * torch.tanh(st * z if use_scale else z).sum(-1)
    mask = None
    if value_mask is not None:
        mask = torch.tensor(np.asarray(value_mask, dtype=np.float64))[:, None, :]
    if causal:
        c = torch.tensor(np.tril(np.ones((q_shape[1], v_shape[1]))), dtype=torch.float64)[None]
        mask = c if mask is None else mask * c
    if mask is not None:
        scores = scores - 1e9 * (1.0 - mask)
    probs = torch.softmax(scores, dim=-1)
    y = probs @ vt
    dy, grads = backward(y, [qt, vt] + leaves_w)
    return {'name': name, 'kind': kind, 'useScale': use_scale, 'scoreMode': score_mode, 'causal': causal,
            'valueMask': entry(np.asarray(value_mask, dtype=np.float32)) if value_mask is not None else None,
            'inputs': [entry(query), entry(value)], 'weights': [entry(w) for w in weights], 'y': entry(y.detach().numpy()),
            'dy': entry(dy), 'dinputs': [entry(g) for g in grads[:2]], 'dweights': [entry(g) for g in grads[2:]]}


def main():
    conv = [
        conv_transpose_case('stride 1 valid, odd sizes', (2, 5, 7, 3), (3, 3), 4, (1, 1), 'valid'),
        conv_transpose_case('stride 1 same, 2x3 kernel', (2, 5, 7, 3), (2, 3), 2, (1, 1), 'same'),
        conv_transpose_case('stride 2 valid', (2, 5, 3, 3), (3, 3), 4, (2, 2), 'valid'),
        conv_transpose_case('stride 2 same, odd sizes', (1, 7, 5, 2), (3, 3), 3, (2, 2), 'same'),
        conv_transpose_case('stride 2 same, even kernel', (2, 4, 5, 3), (4, 4), 2, (2, 2), 'same'),
        conv_transpose_case('stride (3, 2) valid, kernel below stride', (1, 3, 4, 2), (2, 1), 3, (3, 2), 'valid'),
        conv_transpose_case('stride 2 same, output padding 0', (2, 4, 5, 3), (3, 3), 2, (2, 2), 'same', output_padding=(0, 0)),
        conv_transpose_case('stride 2 valid, output padding 1, no bias', (1, 3, 4, 2), (3, 3), 2, (2, 2), 'valid', output_padding=(1, 1), bias=False),
        conv_transpose_case('dilation 2 same', (1, 5, 6, 2), (3, 3), 3, (1, 1), 'same', dilation=(2, 2)),
    ]
    mask = (rng.uniform(size=(2, 4, 6)) > 0.3).astype(np.float32)
    mask[:, :, 0] = 1  # every target sees at least one source
    mha = [
        mha_case('self attention, 2 heads', (2, 5, 8), (2, 5, 8), 2, 4, 4),
        mha_case('cross attention with key, valueDim and outputShape', (2, 4, 6), (2, 6, 5), 3, 2, 5, out_dim=7, k_shape=(2, 6, 3)),
        mha_case('attention mask', (2, 4, 6), (2, 6, 6), 2, 3, 3, mask=mask),
        mha_case('causal mask, no bias', (2, 5, 4), (2, 5, 4), 2, 2, 2, causal=True, bias=False),
    ]
    vmask = np.ones((2, 5), dtype=np.float32)
    vmask[0, 3:] = 0
    attention = [
        attention_case('dot', 'dot', (2, 3, 4), (2, 5, 4), False),
        attention_case('dot with scale and value mask', 'dot', (2, 3, 4), (2, 5, 4), True, value_mask=vmask),
        attention_case('concat with scale, causal', 'dot', (2, 4, 3), (2, 4, 3), True, score_mode='concat', causal=True),
        attention_case('additive', 'additive', (2, 3, 4), (2, 5, 4), True),
        attention_case('additive without scale, value mask', 'additive', (2, 3, 4), (2, 5, 4), False, value_mask=vmask),
    ]
    out = {
        'conv2dTranspose': conv,
        'multiHeadAttention': mha,
        'attention': attention,
        'layerNormalization': [layer_norm_case('rank 3, epsilon 1e-3', (2, 3, 7), 1e-3), layer_norm_case('rank 2, epsilon 1e-6', (4, 9), 1e-6)],
        'groupNormalization': [group_norm_case('4 groups, NHWC', (2, 3, 5, 8), 4, 1e-3), group_norm_case('instance norm, rank 3', (2, 6, 3), 3, 1e-5)],
        'bilinear': [bilinear_case('2x2, odd sizes', (2, 3, 5, 2), (2, 2)), bilinear_case('3x2', (1, 4, 3, 3), (3, 2))],
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, 'w') as f:
        json.dump(out, f, separators=(',', ':'))
    print('wrote', OUT, os.path.getsize(OUT), 'bytes')


if __name__ == '__main__':
    main()
