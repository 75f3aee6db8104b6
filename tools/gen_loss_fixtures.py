#!/usr/bin/python3
"""Loss fixtures: per-sample values, reduced values and gradients with respect to y_pred.

Run with Debian's Python (torch 1.13): /usr/bin/python3 tools/gen_loss_fixtures.py
Writes test/fixtures/training/losses.json.

Each loss is written with Keras 3's formula (keras/src/losses/losses.py, keras/src/backend/jax/nn.py:
probabilities normalized and clipped to [1e-7, 1 - 1e-7], labels smoothed, reductions from
keras/src/losses/loss.py) in float64 torch, so gradients come from torch autograd. Where PyTorch
has a function computing the same quantity, the script asserts the two agree (cross_entropy with
class indices, soft labels and label smoothing; binary_cross_entropy_with_logits; mse_loss;
l1_loss; huber_loss; poisson_nll_loss; cosine_similarity); the clipped-probability forms have no
PyTorch twin (PyTorch clamps log at -100 instead).
"""
import json
import math
import os

import numpy as np
import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
EPS = 1e-7
# Keras computes in float32, where 1 - 1e-7 rounds to 0.99999988 (so 1 - p_max = 1.19e-7, not 1e-7)
EPS_HI = float(np.float32(1 - EPS))
rng = np.random.RandomState(7)


def f32(a):
    return np.asarray(a, dtype=np.float32).astype(np.float64)


def r(values):
    return [float(f'{v:.10g}') for v in np.asarray(values, dtype=np.float64).ravel()]


def t(a):
    return torch.tensor(np.asarray(a, dtype=np.float64))


# ---------------------------------------------------------------- Keras formulas (per sample)
def cce(y, p, from_logits=False, ls=0.0):
    if ls:
        y = y * (1 - ls) + ls / p.shape[-1]
    if from_logits:
        return -(y * torch.log_softmax(p, -1)).sum(-1)
    p = p / p.sum(-1, keepdim=True)
    p = p.clamp(EPS, EPS_HI)
    return -(y * torch.log(p)).sum(-1)


def scce(y, p, from_logits=False):
    onehot = F.one_hot(torch.tensor(np.asarray(y, dtype=np.int64)), p.shape[-1]).double()
    return cce(onehot, p, from_logits)


def bce(y, p, from_logits=False, ls=0.0):
    if ls:
        y = y * (1 - ls) + 0.5 * ls
    if from_logits:
        e = -y * F.logsigmoid(p) - (1 - y) * F.logsigmoid(-p)
    else:
        q = p.clamp(EPS, EPS_HI)
        e = -(y * torch.log(q) + (1 - y) * torch.log(1 - q))
    return e.mean(-1)


def mse(y, p):
    return ((p - y) ** 2).mean(-1)


def mae(y, p):
    return (p - y).abs().mean(-1)


def mape(y, p):
    return 100 * ((y - p) / y.abs().clamp(min=EPS)).abs().mean(-1)


def msle(y, p):
    return ((torch.log(p.clamp(min=EPS) + 1) - torch.log(y.clamp(min=EPS) + 1)) ** 2).mean(-1)


def huber(y, p, delta=1.0):
    e = (p - y).abs()
    return torch.where(e <= delta, 0.5 * e ** 2, delta * e - 0.5 * delta ** 2).mean(-1)


def log_cosh(y, p):
    e = p - y
    return (e + F.softplus(-2 * e) - math.log(2)).mean(-1)


def hinge_labels(y):
    return 2 * y - 1 if bool(((y == 0) | (y == 1)).all()) else y


def hinge(y, p):
    return (1 - hinge_labels(y) * p).clamp(min=0).mean(-1)


def squared_hinge(y, p):
    return ((1 - hinge_labels(y) * p).clamp(min=0) ** 2).mean(-1)


def categorical_hinge(y, p):
    pos = (y * p).sum(-1)
    neg = ((1 - y) * p).max(-1).values
    return (neg - pos + 1).clamp(min=0)


def kld(y, p):
    yt, pp = y.clamp(EPS, 1), p.clamp(EPS, 1)
    return (yt * torch.log(yt / pp)).sum(-1)


def poisson(y, p):
    return (p - y * torch.log(p + EPS)).mean(-1)


def cosine(y, p):
    def l2n(x):
        return x / torch.sqrt((x * x).sum(-1, keepdim=True).clamp(min=1e-12))

    return -(l2n(y) * l2n(p)).sum(-1)


def reduce(values, sw, reduction):
    if sw is not None:
        values = values * sw
    if reduction == 'none' or values.dim() == 0:
        return values
    total = values.sum()
    if reduction == 'sum':
        return total
    if reduction == 'mean_with_sample_weight' and sw is not None:
        return total / sw.sum()
    return total / values.numel()


# ---------------------------------------------------------------- data
B, C = 6, 5
logits = f32(rng.normal(0, 2, size=(B, C)))
logits[0, 2] = 30.0  # saturates: probabilities hit the 1e-7 clip, logits paths must stay finite
probs = np.exp(logits - logits.max(-1, keepdims=True))
probs = f32(probs / probs.sum(-1, keepdims=True))
sparse = rng.randint(0, C, size=(B,))
sparse[0] = 0  # the saturated row's label is not its argmax
onehot = np.eye(C)[sparse]
soft = f32(rng.dirichlet(np.ones(C), size=B))
bin_y = f32(rng.randint(0, 2, size=(B, 3)))
bin_p = f32(rng.uniform(0.01, 0.99, size=(B, 3)))
bin_p[1, 0] = 1.0  # clipped
bin_z = f32(rng.normal(0, 3, size=(B, 3)))
reg_y = f32(rng.uniform(0.1, 3, size=(B, 4)))
reg_p = f32(reg_y + rng.normal(0, 1.2, size=(B, 4)))
pos_p = f32(rng.uniform(0.05, 3, size=(B, 4)))
sw = f32(rng.uniform(0, 2, size=(B,)))

# name, capa loss identifier, options, y_true, y_true dtype, y_pred, fn, reduction, sample weight
CASES = [
    ('cce_probs', 'categorical_crossentropy', {}, onehot, 'float32', probs, cce),
    ('cce_soft_labels', 'categorical_crossentropy', {}, soft, 'float32', probs, cce),
    ('cce_label_smoothing', 'categorical_crossentropy', {'labelSmoothing': 0.1}, onehot, 'float32', probs,
     lambda y, p: cce(y, p, ls=0.1)),
    ('cce_logits', 'categorical_crossentropy', {'fromLogits': True}, onehot, 'float32', logits, lambda y, p: cce(y, p, True)),
    ('cce_logits_smoothing', 'categorical_crossentropy', {'fromLogits': True, 'labelSmoothing': 0.2}, soft, 'float32', logits,
     lambda y, p: cce(y, p, True, 0.2)),
    ('scce_probs', 'sparse_categorical_crossentropy', {}, sparse, 'int32', probs, scce),
    ('scce_logits', 'sparse_categorical_crossentropy', {'fromLogits': True}, sparse, 'int32', logits,
     lambda y, p: scce(y, p, True)),
    ('scce_labels_column', 'sparse_categorical_crossentropy', {}, sparse.reshape(B, 1), 'float32', probs,
     lambda y, p: scce(np.asarray(y).reshape(-1), p)),
    ('bce_probs', 'binary_crossentropy', {}, bin_y, 'float32', bin_p, bce),
    ('bce_logits', 'binary_crossentropy', {'fromLogits': True}, bin_y, 'float32', bin_z, lambda y, p: bce(y, p, True)),
    ('bce_label_smoothing', 'binary_crossentropy', {'labelSmoothing': 0.1}, bin_y, 'float32', bin_p,
     lambda y, p: bce(y, p, ls=0.1)),
    ('mse', 'mse', {}, reg_y, 'float32', reg_p, mse),
    ('mae', 'mae', {}, reg_y, 'float32', reg_p, mae),
    ('mape', 'mape', {}, reg_y, 'float32', reg_p, mape),
    ('msle', 'msle', {}, reg_y, 'float32', reg_p, msle),
    ('huber', 'huber', {}, reg_y, 'float32', reg_p, huber),
    ('huber_delta', 'Huber', {'delta': 0.5}, reg_y, 'float32', reg_p, lambda y, p: huber(y, p, 0.5)),
    ('log_cosh', 'log_cosh', {}, reg_y, 'float32', reg_p * 4, log_cosh),
    ('hinge', 'hinge', {}, bin_y, 'float32', bin_z, hinge),
    ('squared_hinge', 'squared_hinge', {}, bin_y, 'float32', bin_z, squared_hinge),
    ('categorical_hinge', 'categorical_hinge', {}, onehot, 'float32', logits, categorical_hinge),
    ('kl_divergence', 'kl_divergence', {}, soft, 'float32', probs, kld),
    ('poisson', 'poisson', {}, reg_y, 'float32', pos_p, poisson),
    ('cosine_similarity', 'cosine_similarity', {}, reg_y, 'float32', reg_p, cosine),
]
REDUCTIONS = [('sum_over_batch_size', None), ('sum_over_batch_size', sw), ('sum', sw), ('none', sw),
              ('mean_with_sample_weight', sw)]
ALL_REDUCTIONS_FOR = {'cce_probs', 'scce_logits', 'mse'}  # the others: the default reduction, with and without weights


def torch_twin(name, y, p):
    """PyTorch's own function for the same per-sample quantity, where there is one."""
    yi = torch.tensor(np.asarray(y).reshape(-1).astype(np.int64)) if name.startswith('scce') else None
    if name == 'cce_logits':
        return F.cross_entropy(p, t(y), reduction='none')
    if name == 'cce_logits_smoothing':
        return F.cross_entropy(p, t(y), reduction='none', label_smoothing=0.2)
    if name == 'scce_logits':
        return F.cross_entropy(p, yi, reduction='none')
    if name == 'bce_logits':
        return F.binary_cross_entropy_with_logits(p, t(y), reduction='none').mean(-1)
    if name == 'mse':
        return F.mse_loss(p, t(y), reduction='none').mean(-1)
    if name == 'mae':
        return F.l1_loss(p, t(y), reduction='none').mean(-1)
    if name.startswith('huber'):
        return F.huber_loss(p, t(y), reduction='none', delta=0.5 if name == 'huber_delta' else 1.0).mean(-1)
    if name == 'poisson':
        return F.poisson_nll_loss(p, t(y), log_input=False, full=False, eps=EPS, reduction='none').mean(-1)
    if name == 'cosine_similarity':
        return -F.cosine_similarity(t(y), p, dim=-1, eps=1e-12)
    return None


out = []
twins = 0
for name, ident, opts, y, ydtype, p, fn in CASES:
    y_arg = np.asarray(y) if name.startswith('scce') else t(y)
    with torch.no_grad():
        twin = torch_twin(name, y, t(p))
        if twin is not None:
            d = (twin - fn(y_arg, t(p))).abs().max().item()
            assert d < 1e-10, f'{name}: Keras formula and PyTorch differ by {d}'
            twins += 1
    for reduction, weights in (REDUCTIONS if name in ALL_REDUCTIONS_FOR else REDUCTIONS[:2]):
        pp = t(p).clone().requires_grad_(True)
        per_sample = fn(y_arg, pp)
        w = t(weights) if weights is not None else None
        reduced = reduce(per_sample, w, reduction)
        reduced.sum().backward()
        out.append({
            'name': name, 'loss': ident, 'options': opts, 'reduction': reduction,
            'yTrue': {'shape': list(np.shape(y)), 'dtype': ydtype, 'values': r(y)},
            'yPred': {'shape': list(np.shape(p)), 'values': r(p)},
            'sampleWeight': None if weights is None else r(weights),
            'perSample': r(per_sample.detach().numpy()),
            'reduced': r(reduced.detach().numpy()), 'reducedShape': list(reduced.shape),
            'grad': r(pp.grad.numpy()),
        })
        assert np.isfinite(out[-1]['grad']).all(), name

path = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'training', 'losses.json')
with open(path + '.tmp', 'w') as f:
    json.dump({'generator': 'tools/gen_loss_fixtures.py (Keras 3 formulas in float64 torch %s)' % torch.__version__,
               'cases': out}, f)
os.replace(path + '.tmp', path)
print(f'wrote {os.path.normpath(path)}: {len(out)} cases, {twins} of {len(CASES)} losses checked against a PyTorch function')
