#!/usr/bin/python3
"""PyTorch oracles for capa's recurrent ops (lstmRecurrence, gruRecurrence, simpleRnnRecurrence):
writes test/fixtures/rnn/recurrence.json.

Run with Debian's Python (torch 1.13):  /usr/bin/python3 tools/gen_rnn_fixtures.py

Inputs are float32 in Keras's layouts: xProj [batch, steps, gates*units] (x·kernel + bias, gate
order i,f,c,o for LSTM and z,r,h for GRU), recurrentKernel [units, gates*units], states
[batch, units], mask [batch, steps]. The reference runs in float64 through torch's own cells
(nn.LSTMCell, nn.GRUCell, nn.RNNCell) with input weights set to the identity, so the cell's input
is xProj itself, and recurrent weights converted from Keras's layout (torch's LSTM gate order i,f,g,o
is Keras's i,f,c,o; torch's GRU is r,z,n where Keras is z,r,h, and torch's GRU is reset_after=True).
A masked step keeps the states and repeats the previous output (zeros with zeroOutputForMask), as
Keras 3's backend rnn does; goBackwards walks the steps from the last and returns the outputs in
processing order. GRU with reset_after=False, which torch lacks, is its formula in float64 torch ops.
Each unmasked, forward case is also checked here against the whole-sequence nn.LSTM/nn.GRU/nn.RNN.

Gradients are of L = sum(sequences*dy0) + sum(lastH*dy1) (+ sum(lastC*dy2)) for random float32 dy.
"""
import json
import os

import numpy as np
import torch
from torch.nn.utils.stateless import functional_call

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures', 'rnn', 'recurrence.json')
rng = np.random.default_rng(20261202)
torch.set_default_dtype(torch.float64)


def normal(*shape, scale=1.0):
    return np.asarray(rng.standard_normal(shape) * scale, dtype=np.float32)


def enc(a):
    a = np.asarray(a)
    flat = a.reshape(-1).astype(np.float64)
    assert np.all(np.isfinite(flat))
    return {'shape': list(a.shape), 'dtype': 'float32', 'values': [float('%.9g' % v) for v in flat]}


def keras_to_torch_gru(w, units):
    """Keras's z,r,h blocks (last axis) in torch's r,z,n order."""
    z, r, h = w[..., :units], w[..., units:2 * units], w[..., 2 * units:]
    return torch.cat([r, z, h], dim=-1)


def torch_to_keras_gru(w, units):
    r, z, h = w[..., :units], w[..., units:2 * units], w[..., 2 * units:]
    return torch.cat([z, r, h], dim=-1)


def call(module, params, *args):
    """The module with these (differentiable) tensors as its parameters."""
    return functional_call(module, params, args)


def run(kind, x, R, states, mask, go_backwards, zero_output, reset_after=True, rb=None, activation='tanh'):
    """Steps a torch cell (float64) over xProj in Keras's semantics; returns sequences and final states."""
    batch, steps, width = x.shape
    units = R.shape[0]
    if kind == 'lstm':
        cell = torch.nn.LSTMCell(width, units, bias=False)
        params = {'weight_ih': torch.eye(width), 'weight_hh': R.t()}
        step = lambda xt, s: call(cell, params, xt, s)
    elif kind == 'gru' and reset_after:
        cell = torch.nn.GRUCell(width, units, bias=True)
        params = {'weight_ih': torch.eye(width), 'bias_ih': torch.zeros(width),
                  'weight_hh': keras_to_torch_gru(R, units).t(),
                  'bias_hh': keras_to_torch_gru(rb, units) if rb is not None else torch.zeros(width)}
        step = lambda xt, s: (call(cell, params, keras_to_torch_gru(xt, units), s[0]),)
    elif kind == 'gru':
        def step(xt, s):
            h = s[0]
            hzr = h @ R[:, :2 * units]
            z = torch.sigmoid(xt[:, :units] + hzr[:, :units])
            r = torch.sigmoid(xt[:, units:2 * units] + hzr[:, units:])
            n = torch.tanh(xt[:, 2 * units:] + (r * h) @ R[:, 2 * units:])
            return (z * h + (1 - z) * n,)
    else:
        cell = torch.nn.RNNCell(width, units, bias=False, nonlinearity=activation)
        params = {'weight_ih': torch.eye(width), 'weight_hh': R.t()}
        step = lambda xt, s: (call(cell, params, xt, s[0]),)
    outs = []
    state = tuple(states)
    for s in range(steps):
        t = steps - 1 - s if go_backwards else s
        new = step(x[:, t], state)
        if not isinstance(new, tuple):
            new = (new,)
        if mask is not None:
            keep = (mask[:, t] != 0).unsqueeze(1)
            new = tuple(torch.where(keep, n, o) for n, o in zip(new, state))
            out = torch.where(keep, new[0], torch.zeros_like(new[0])) if zero_output else new[0]
        else:
            out = new[0]
        outs.append(out)
        state = new
    return [torch.stack(outs, dim=1), *state]


def whole_sequence(kind, x, R, states, rb, activation):
    """The same forward through nn.LSTM / nn.GRU / nn.RNN (no mask, forward order)."""
    units = R.shape[0]
    width = x.shape[2]
    if kind == 'lstm':
        m = torch.nn.LSTM(width, units, bias=False, batch_first=True)
        m.weight_ih_l0.data = torch.eye(width)
        m.weight_hh_l0.data = R.t().detach().clone()
        y, (h, c) = m(x, (states[0].unsqueeze(0), states[1].unsqueeze(0)))
        return [y, h[0], c[0]]
    if kind == 'gru':
        m = torch.nn.GRU(width, units, bias=True, batch_first=True)
        m.weight_ih_l0.data = torch.eye(width)
        m.bias_ih_l0.data = torch.zeros(width)
        m.weight_hh_l0.data = keras_to_torch_gru(R, units).t().detach().clone()
        m.bias_hh_l0.data = keras_to_torch_gru(rb, units).detach().clone() if rb is not None else torch.zeros(width)
        y, h = m(keras_to_torch_gru(x, units), states[0].unsqueeze(0))
        return [y, h[0]]
    m = torch.nn.RNN(width, units, bias=False, batch_first=True, nonlinearity=activation)
    m.weight_ih_l0.data = torch.eye(width)
    m.weight_hh_l0.data = R.t().detach().clone()
    y, h = m(x, states[0].unsqueeze(0))
    return [y, h[0]]


cases = []


def case(kind, batch, steps, units, masked=False, go_backwards=False, zero_output=False, reset_after=True, bias=True,
         activation='tanh'):
    gates = {'lstm': 4, 'gru': 3, 'simple': 1}[kind]
    x = normal(batch, steps, gates * units)
    R = normal(units, gates * units, scale=1.0 / np.sqrt(units))
    state_count = 2 if kind == 'lstm' else 1
    states = [normal(batch, units, scale=0.5) for _ in range(state_count)]
    rb = normal(gates * units, scale=0.3) if kind == 'gru' and reset_after and bias else None
    mask = None
    if masked:
        mask = (rng.uniform(size=(batch, steps)) > 0.35).astype(np.float32)
        mask[0, :] = 1
        mask[-1, -2:] = 0  # trailing padding on the last row
    if activation == 'relu':
        x = x + np.float32(0.05) * np.sign(x)  # away from relu's kink
    tx = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    tR = torch.tensor(R, dtype=torch.float64, requires_grad=True)
    ts = [torch.tensor(s, dtype=torch.float64, requires_grad=True) for s in states]
    trb = torch.tensor(rb, dtype=torch.float64, requires_grad=True) if rb is not None else None
    tmask = torch.tensor(mask) if mask is not None else None
    outs = run(kind, tx, tR, ts, tmask, go_backwards, zero_output, reset_after, trb, activation)
    if mask is None and not go_backwards and (kind != 'gru' or reset_after):
        ref = whole_sequence(kind, tx, tR, ts, trb, activation)
        for a, b in zip(outs, ref):
            assert torch.allclose(a, b, atol=1e-12), f'{kind}: the cell loop disagrees with the whole-sequence module'
    dys = [normal(*o.shape) for o in outs]
    loss = sum((o * torch.tensor(d, dtype=torch.float64)).sum() for o, d in zip(outs, dys))
    diff = [tx, tR, *ts] + ([trb] if trb is not None else [])
    grads = torch.autograd.grad(loss, diff)
    inputs = [x, R, *states]
    grad_list = [g.detach().numpy() for g in grads[:len(inputs)]]
    if mask is not None:
        inputs.append(mask)
        grad_list.append(None)
    if rb is not None:
        inputs.append(rb)
        grad_list.append(grads[-1].detach().numpy())
    name = f'{kind} B={batch} T={steps} U={units}'
    for flag, label in [(masked, 'mask'), (go_backwards, 'goBackwards'), (zero_output, 'zeroOutputForMask'),
                        (kind == 'gru' and not reset_after, 'resetAfter=false'), (kind == 'gru' and reset_after and not bias, 'no recurrent bias'),
                        (activation != 'tanh', activation)]:
        if flag:
            name += ' ' + label
    cases.append({
        'name': name,
        'op': kind,
        'attrs': {'goBackwards': go_backwards, 'masked': masked, 'zeroOutputForMask': zero_output,
                  'resetAfter': reset_after, 'bias': rb is not None, 'activation': activation},
        'inputs': [enc(a) for a in inputs],
        'outputs': [enc(o.detach().numpy()) for o in outs],
        'dys': [enc(d) for d in dys],
        'grads': [enc(g) if g is not None else None for g in grad_list],
    })


for kind in ['lstm', 'gru', 'simple']:
    case(kind, 3, 7, 5)
    case(kind, 2, 5, 13, go_backwards=True)
    case(kind, 3, 7, 5, masked=True)
    case(kind, 3, 7, 5, masked=True, go_backwards=True, zero_output=True)
    case(kind, 1, 1, 1)
case('lstm', 2, 2, 33)
case('gru', 3, 7, 5, reset_after=False)
case('gru', 2, 5, 13, reset_after=False, masked=True, go_backwards=True)
case('gru', 3, 7, 5, bias=False)
case('simple', 3, 7, 5, activation='relu')
case('simple', 2, 5, 13, activation='relu', masked=True)

os.makedirs(os.path.dirname(OUT), exist_ok=True)
tmp = OUT + '.tmp'
with open(tmp, 'w') as f:
    json.dump({'cases': cases}, f, separators=(',', ':'))
os.replace(tmp, OUT)
print(f'{len(cases)} cases -> {OUT} ({os.path.getsize(OUT)} bytes)')
