#!/usr/bin/python3
"""PyTorch oracles for capa's recurrent layers: writes test/fixtures/layers/rnn.json.

Run with Debian's Python (torch 1.13):  /usr/bin/python3 tools/gen_rnn_layer_fixtures.py

Weights are drawn in Keras's layouts (kernel [F, G*U], recurrent_kernel [U, G*U], bias [G*U], or
GRU reset_after [2, 3U]) and handed to PyTorch's own cells (nn.LSTMCell, nn.GRUCell, nn.RNNCell)
through torch.func-style functional calls, converted inside the autograd graph so the gradients
come back in Keras's layout. Gate orders: Keras LSTM i,f,c,o equals PyTorch's i,f,g,o; Keras GRU
z,r,h becomes PyTorch's r,z,n. GRU with reset_after=False (Keras 2's and TensorFlow.js's form,
which PyTorch lacks) is written from its formula. The loop over time applies Keras's semantics
(backend.rnn): go_backwards walks the steps last to first and returns them in that order; a
masked step keeps the states and repeats the previous output (zeros with zero_output_for_mask).
Everything is computed in float64 from float32 inputs; the loss is sum(output * dy).
"""
import json
import os

import numpy as np
import torch
from torch.nn.utils.stateless import functional_call

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures', 'layers', 'rnn.json')
rng = np.random.default_rng(20261202)
torch.set_default_dtype(torch.float64)


def f32(*shape, scale=0.5):
    return np.asarray(rng.standard_normal(shape) * scale, dtype=np.float32)


def keras_weights(kind, features, units, reset_after=True):
    gates = {'lstm': 4, 'gru': 3, 'simple_rnn': 1}[kind]
    bias_shape = (2, 3 * units) if kind == 'gru' and reset_after else (gates * units,)
    return [f32(features, gates * units), f32(units, gates * units), f32(*bias_shape, scale=0.2)]


def gru_to_torch(w, units):
    """Keras z,r,h columns -> PyTorch r,z,n rows."""
    z, r, h = w[..., :units], w[..., units:2 * units], w[..., 2 * units:]
    return torch.cat([r, z, h], dim=-1)


def step_fn(kind, units, leaves, reset_after):
    kernel, rec, bias = leaves
    if kind == 'lstm':
        cell = torch.nn.LSTMCell(kernel.shape[0], units)
        params = {'weight_ih': kernel.T, 'weight_hh': rec.T, 'bias_ih': bias, 'bias_hh': torch.zeros_like(bias)}

        def step(x, states):
            h, c = functional_call(cell, params, (x, (states[0], states[1])))
            return h, [h, c]
        return step, 2
    if kind == 'simple_rnn':
        cell = torch.nn.RNNCell(kernel.shape[0], units, nonlinearity='tanh')
        params = {'weight_ih': kernel.T, 'weight_hh': rec.T, 'bias_ih': bias, 'bias_hh': torch.zeros_like(bias)}

        def step(x, states):
            h = functional_call(cell, params, (x, states[0]))
            return h, [h]
        return step, 1
    if reset_after:
        cell = torch.nn.GRUCell(kernel.shape[0], units)
        params = {
            'weight_ih': gru_to_torch(kernel, units).T,
            'weight_hh': gru_to_torch(rec, units).T,
            'bias_ih': gru_to_torch(bias[0], units),
            'bias_hh': gru_to_torch(bias[1], units),
        }

        def step(x, states):
            h = functional_call(cell, params, (x, states[0]))
            return h, [h]
        return step, 1

    def step(x, states):  # Keras's reset_after=False formula
        h = states[0]
        xp = x @ kernel + bias
        xz, xr, xh = xp[:, :units], xp[:, units:2 * units], xp[:, 2 * units:]
        z = torch.sigmoid(xz + h @ rec[:, :units])
        r = torch.sigmoid(xr + h @ rec[:, units:2 * units])
        hh = torch.tanh(xh + (r * h) @ rec[:, 2 * units:])
        out = z * h + (1 - z) * hh
        return out, [out]
    return step, 1


def keras_rnn(step, n_states, units, x, mask, go_backwards, zero_output_for_mask):
    batch, steps = x.shape[0], x.shape[1]
    order = list(range(steps))[::-1] if go_backwards else list(range(steps))
    states = [torch.zeros(batch, units) for _ in range(n_states)]
    prev = torch.zeros(batch, units)
    outs = []
    for t in order:
        out, new = step(x[:, t], states)
        if mask is not None:
            m = torch.tensor(mask[:, t:t + 1].astype(np.float64))
            held = torch.zeros_like(out) if zero_output_for_mask else prev
            out = m * out + (1 - m) * held
            new = [m * s + (1 - m) * o for s, o in zip(new, states)]
        outs.append(out)
        prev = out
        states = new
    return torch.stack(outs, 1), outs[-1]


def case(name, kind, batch=2, steps=5, features=3, units=4, return_sequences=True, go_backwards=False,
         masked=False, reset_after=True, bidirectional=False):
    x32 = f32(batch, steps, features, scale=1.0)
    mask = None
    if masked:
        mask = np.ones((batch, steps), dtype=np.int32)
        mask[0, steps - 2:] = 0  # trailing padding
        mask[1, 1] = 0           # a hole in the middle
    layers = 2 if bidirectional else 1
    weights32 = [w for _ in range(layers) for w in keras_weights(kind, features, units, reset_after)]
    x = torch.tensor(x32.astype(np.float64), requires_grad=True)
    leaves = [torch.tensor(w.astype(np.float64), requires_grad=True) for w in weights32]

    def run(ws, backwards, zero_out):
        step, n = step_fn(kind, units, ws, reset_after)
        seq, last = keras_rnn(step, n, units, x, mask, backwards, zero_out)
        return seq if return_sequences else last

    if bidirectional:
        y = run(leaves[:3], False, return_sequences)
        y_rev = run(leaves[3:], True, return_sequences)
        if return_sequences:
            y_rev = torch.flip(y_rev, [1])
        out = torch.cat([y, y_rev], -1)
    else:
        out = run(leaves, go_backwards, False)
    dy = f32(*out.shape, scale=1.0)
    (out * torch.tensor(dy.astype(np.float64))).sum().backward()
    return {
        'name': name,
        'kind': kind,
        'units': units,
        'return_sequences': return_sequences,
        'go_backwards': go_backwards,
        'reset_after': reset_after,
        'bidirectional': bidirectional,
        'x': {'shape': list(x32.shape), 'values': x32.ravel().tolist()},
        'mask': None if mask is None else {'shape': list(mask.shape), 'values': mask.ravel().tolist()},
        'weights': [{'shape': list(w.shape), 'values': w.ravel().tolist()} for w in weights32],
        'y': {'shape': list(out.shape), 'values': out.detach().numpy().ravel().tolist()},
        'dy': {'shape': list(dy.shape), 'values': dy.ravel().tolist()},
        'dx': x.grad.numpy().ravel().tolist(),
        'dweights': [w.grad.numpy().ravel().tolist() for w in leaves],
    }


def main():
    cases = [
        case('LSTM returnSequences', 'lstm'),
        case('LSTM goBackwards, last output, mask', 'lstm', return_sequences=False, go_backwards=True, masked=True),
        case('GRU resetAfter=true returnSequences', 'gru'),
        case('GRU resetAfter=true goBackwards, mask', 'gru', go_backwards=True, masked=True),
        case('GRU resetAfter=false (formula) returnSequences, mask', 'gru', reset_after=False, masked=True),
        case('GRU resetAfter=false last output', 'gru', reset_after=False, return_sequences=False),
        case('SimpleRNN returnSequences', 'simple_rnn'),
        case('SimpleRNN last output, mask', 'simple_rnn', return_sequences=False, masked=True),
        case('Bidirectional LSTM concat, sequences, mask', 'lstm', bidirectional=True, masked=True),
        case('Bidirectional GRU concat, last output', 'gru', bidirectional=True, return_sequences=False),
    ]
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, 'w') as f:
        json.dump({'generator': 'tools/gen_rnn_layer_fixtures.py', 'torch': torch.__version__, 'cases': cases}, f)
    print(f'wrote {len(cases)} cases to {os.path.relpath(OUT)}')


if __name__ == '__main__':
    main()
