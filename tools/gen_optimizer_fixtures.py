#!/usr/bin/python3
"""Optimizer fixtures: the first 5 updates of each optimizer on a fixed problem.

Run with Debian's Python (torch 1.13): /usr/bin/python3 tools/gen_optimizer_fixtures.py
Writes test/fixtures/training/optimizers.json.

The problem: W [3, 4], b [4]; loss = sum((tanh(x @ W + b) - y)^2) on fixed x [5, 3], y [5, 4].
Gradients come from torch autograd (float64). Each case's expected trajectory follows Keras 3's
update rule (keras/src/optimizers/*.py). Where Keras and PyTorch compute the same thing, the
trajectory is PyTorch's own optimizer and the script asserts that the Keras formula agrees with
it; where they differ, the Keras formula written below is the reference, and the script prints
how far PyTorch's optimizer lands from it (the difference is reported, not hidden):

  SGD / momentum / nesterov  same rule (Keras keeps v = -lr * PyTorch's buffer)
  Adadelta                   same rule (eps inside both square roots)
  Nadam                      Keras uses 0.96^t where PyTorch uses 0.96^(t * momentum_decay), so
                             momentum_decay = 1 should match; but torch 1.13's NAdam computes
                             mu_product_next = mu_product * mu * mu_next (mu counted twice, fixed
                             in later PyTorch), so it lands ~1e-3 away from Keras here
  Adam / AdamW (amsgrad)     Keras adds eps to sqrt(v) before bias correction ("epsilon hat"):
                             p -= lr*sqrt(1-b2^t)/(1-b1^t) * m/(sqrt(v)+eps);
                             PyTorch: p -= lr/(1-b1^t) * m/(sqrt(v)/sqrt(1-b2^t)+eps)
  RMSprop                    Keras: g/sqrt(v+eps); PyTorch: g/(sqrt(v)+eps) (centered alike)
  Adagrad                    Keras: g/sqrt(acc+eps) with acc starting at 0.1;
                             PyTorch: g/(sqrt(acc)+eps)
  Adamax                     Keras: u = max(b2*u, |g|), p -= lr/(1-b1^t) * m/(u+eps);
                             PyTorch: u = max(b2*u, |g|+eps), p -= lr/(1-b1^t) * m/u
  weight_decay (any)         Keras: decoupled, var -= var*wd*lr before the step;
                             PyTorch's SGD/Adam weight_decay is an L2 term added to the gradient
  clipnorm / clipvalue / global_clipnorm  applied to the gradients before the step (Keras);
                             PyTorch has clip_grad_norm_ (global, divides by norm + 1e-6) and
                             clip_grad_value_; clipnorm (per tensor) has no PyTorch twin
"""
import json
import math
import os

import numpy as np
import torch

torch.set_default_dtype(torch.float64)
STEPS = 5
rng = np.random.RandomState(1242)  # a seed whose gradients stay away from 0 for every case
X = rng.uniform(-1, 1, size=(5, 3))
Y = rng.uniform(-1, 1, size=(5, 4))
W0 = rng.uniform(-0.8, 0.8, size=(3, 4))
B0 = rng.uniform(-0.2, 0.2, size=(4,))

# The problem runs in float32 in capa; round the data so both sides start from the same numbers.
X, Y, W0, B0 = (a.astype(np.float32).astype(np.float64) for a in (X, Y, W0, B0))


def loss_and_grads(params):
    w = torch.tensor(params[0], requires_grad=True)
    b = torch.tensor(params[1], requires_grad=True)
    loss = ((torch.tanh(torch.tensor(X) @ w + b) - torch.tensor(Y)) ** 2).sum()
    loss.backward()
    return float(loss), [w.grad.numpy().copy(), b.grad.numpy().copy()]


# ---------------------------------------------------------------- Keras 3 update rules
def clip(grads, o):
    if o.get('clipnorm'):
        c = o['clipnorm']
        return [g * c / max(np.sqrt((g * g).sum()), c) for g in grads]
    if o.get('globalClipnorm'):
        c = o['globalClipnorm']
        norm = np.sqrt(sum((g * g).sum() for g in grads))
        return [g * c * min(1.0 / norm, 1.0 / c) for g in grads]
    if o.get('clipvalue'):
        c = o['clipvalue']
        return [np.clip(g, -c, c) for g in grads]
    return grads


def keras_lr(o, iterations):
    lr = o.get('learningRate')
    sched = o.get('schedule')
    if sched is None:
        return lr
    kind, cfg = sched
    if kind == 'ExponentialDecay':
        p = iterations / cfg['decaySteps']
        if cfg.get('staircase'):
            p = math.floor(p)
        return cfg['initialLearningRate'] * cfg['decayRate'] ** p
    raise ValueError(kind)


def keras_run(kind, o):
    params = [W0.copy(), B0.copy()]
    slots = None
    u_product = 1.0
    traj = []
    for it in range(STEPS):
        loss, grads = loss_and_grads(params)
        grads = clip(grads, o)
        lr = keras_lr(o, it)
        if o.get('weightDecay'):
            params = [p - p * o['weightDecay'] * lr for p in params]
        t = it + 1
        new = []
        if slots is None:
            slots = [dict() for _ in params]
        if kind == 'Nadam':
            b1 = o.get('beta1', 0.9)
            u_product = u_product * b1 * (1 - 0.5 * 0.96 ** t)
        for p, g, s in zip(params, grads, slots):
            z = np.zeros_like(p)
            if kind == 'SGD':
                mom = o.get('momentum', 0.0)
                if mom:
                    m = s.get('m', z)
                    m = -g * lr + m * mom
                    s['m'] = m
                    p = p + (-g * lr + m * mom if o.get('nesterov') else m)
                else:
                    p = p - g * lr
            elif kind in ('Adam', 'AdamW'):
                b1, b2, eps = o.get('beta1', 0.9), o.get('beta2', 0.999), o.get('epsilon', 1e-7)
                m = s.get('m', z) + (g - s.get('m', z)) * (1 - b1)
                v = s.get('v', z) + (g * g - s.get('v', z)) * (1 - b2)
                s['m'], s['v'] = m, v
                alpha = lr * np.sqrt(1 - b2 ** t) / (1 - b1 ** t)
                if o.get('amsgrad'):
                    vh = np.maximum(s.get('vh', z), v)
                    s['vh'] = vh
                    v = vh
                p = p - m * alpha / (np.sqrt(v) + eps)
            elif kind == 'RMSprop':
                rho, mom, eps = o.get('rho', 0.9), o.get('momentum', 0.0), o.get('epsilon', 1e-7)
                v = rho * s.get('v', z) + (1 - rho) * g * g
                s['v'] = v
                if o.get('centered'):
                    a = rho * s.get('a', z) + (1 - rho) * g
                    s['a'] = a
                    den = v - a * a + eps
                else:
                    den = v + eps
                inc = lr * g / np.sqrt(den)
                if mom > 0:
                    mm = mom * s.get('mom', z) + inc
                    s['mom'] = mm
                    p = p - mm
                else:
                    p = p - inc
            elif kind == 'Adagrad':
                eps = o.get('epsilon', 1e-7)
                acc = s.get('acc', z + o.get('initialAccumulatorValue', 0.1)) + g * g
                s['acc'] = acc
                p = p - lr * g / np.sqrt(acc + eps)
            elif kind == 'Adadelta':
                rho, eps = o.get('rho', 0.95), o.get('epsilon', 1e-7)
                ag = rho * s.get('ag', z) + (1 - rho) * g * g
                s['ag'] = ag
                delta = -(np.sqrt(s.get('ad', z) + eps) * g) / np.sqrt(ag + eps)
                s['ad'] = rho * s.get('ad', z) + (1 - rho) * delta * delta
                p = p + lr * delta
            elif kind == 'Adamax':
                b1, b2, eps = o.get('beta1', 0.9), o.get('beta2', 0.999), o.get('epsilon', 1e-7)
                m = s.get('m', z) + (g - s.get('m', z)) * (1 - b1)
                u = np.maximum(b2 * s.get('u', z), np.abs(g))
                s['m'], s['u'] = m, u
                p = p - lr * m / ((1 - b1 ** t) * (u + eps))
            elif kind == 'Nadam':
                b1, b2, eps = o.get('beta1', 0.9), o.get('beta2', 0.999), o.get('epsilon', 1e-7)
                u_t = b1 * (1 - 0.5 * 0.96 ** t)
                u_t1 = b1 * (1 - 0.5 * 0.96 ** (t + 1))
                prod_t1 = u_product * u_t1
                m = s.get('m', z) + (g - s.get('m', z)) * (1 - b1)
                v = s.get('v', z) + (g * g - s.get('v', z)) * (1 - b2)
                s['m'], s['v'] = m, v
                m_hat = u_t1 * m / (1 - prod_t1) + (1 - u_t) * g / (1 - u_product)
                v_hat = v / (1 - b2 ** t)
                p = p - m_hat * lr / (np.sqrt(v_hat) + eps)
            else:
                raise ValueError(kind)
            new.append(p)
        params = new
        traj.append({'lossBefore': loss, 'W': params[0].ravel().tolist(), 'b': params[1].ravel().tolist()})
    return traj


# ---------------------------------------------------------------- PyTorch's own optimizers
def torch_run(make, clip_fn=None):
    w = torch.tensor(W0.copy(), requires_grad=True)
    b = torch.tensor(B0.copy(), requires_grad=True)
    opt = make([w, b])
    traj = []
    for _ in range(STEPS):
        opt.zero_grad()
        loss = ((torch.tanh(torch.tensor(X) @ w + b) - torch.tensor(Y)) ** 2).sum()
        loss.backward()
        if clip_fn:
            clip_fn([w, b])
        opt.step()
        traj.append({'W': w.detach().numpy().ravel().tolist(), 'b': b.detach().numpy().ravel().tolist()})
    return traj


def max_diff(a, b):
    return max(max(abs(x - y) for x, y in zip(sa[k], sb[k])) for sa, sb in zip(a, b) for k in ('W', 'b'))


O = torch.optim
CASES = [
    # name, capa class, capa options, PyTorch equivalent (or None), whether Keras == PyTorch
    ('sgd', 'SGD', {'learningRate': 0.1}, lambda p: O.SGD(p, lr=0.1), True),
    ('sgd_momentum', 'SGD', {'learningRate': 0.1, 'momentum': 0.9}, lambda p: O.SGD(p, lr=0.1, momentum=0.9), True),
    ('sgd_nesterov', 'SGD', {'learningRate': 0.1, 'momentum': 0.9, 'nesterov': True},
     lambda p: O.SGD(p, lr=0.1, momentum=0.9, nesterov=True), True),
    # plain SGD: decoupled decay and an L2 gradient term are the same update; with momentum they are not
    ('sgd_weight_decay', 'SGD', {'learningRate': 0.1, 'weightDecay': 0.5}, lambda p: O.SGD(p, lr=0.1, weight_decay=0.5), True),
    ('sgd_momentum_weight_decay', 'SGD', {'learningRate': 0.1, 'momentum': 0.9, 'weightDecay': 0.5},
     lambda p: O.SGD(p, lr=0.1, momentum=0.9, weight_decay=0.5), False),
    ('sgd_clipnorm', 'SGD', {'learningRate': 0.1, 'clipnorm': 0.05}, None, None),
    # PyTorch's clip_grad_norm_ divides by (norm + 1e-6), Keras by norm
    ('sgd_global_clipnorm', 'SGD', {'learningRate': 0.1, 'globalClipnorm': 0.05}, lambda p: O.SGD(p, lr=0.1), 'close'),
    ('sgd_clipvalue', 'SGD', {'learningRate': 0.1, 'clipvalue': 0.02}, lambda p: O.SGD(p, lr=0.1), True),
    ('sgd_exponential_decay', 'SGD',
     {'learningRate': None, 'schedule': ['ExponentialDecay', {'initialLearningRate': 0.2, 'decaySteps': 2, 'decayRate': 0.5}]},
     None, None),
    ('adam', 'Adam', {'learningRate': 0.05, 'epsilon': 1e-2}, lambda p: O.Adam(p, lr=0.05, eps=1e-2), False),
    ('adam_default_epsilon', 'Adam', {'learningRate': 0.05}, lambda p: O.Adam(p, lr=0.05, eps=1e-7), None),
    ('adam_amsgrad', 'Adam', {'learningRate': 0.05, 'epsilon': 1e-2, 'amsgrad': True},
     lambda p: O.Adam(p, lr=0.05, eps=1e-2, amsgrad=True), False),
    ('adamw', 'AdamW', {'learningRate': 0.05, 'weightDecay': 0.1, 'epsilon': 1e-2},
     lambda p: O.AdamW(p, lr=0.05, weight_decay=0.1, eps=1e-2), False),
    ('adamw_default_epsilon', 'AdamW', {'learningRate': 0.05, 'weightDecay': 0.1},
     lambda p: O.AdamW(p, lr=0.05, weight_decay=0.1, eps=1e-7), None),
    ('rmsprop', 'RMSprop', {'learningRate': 0.01, 'epsilon': 1e-2}, lambda p: O.RMSprop(p, lr=0.01, alpha=0.9, eps=1e-2), False),
    ('rmsprop_momentum', 'RMSprop', {'learningRate': 0.01, 'momentum': 0.5, 'epsilon': 1e-2},
     lambda p: O.RMSprop(p, lr=0.01, alpha=0.9, eps=1e-2, momentum=0.5), False),
    ('rmsprop_centered', 'RMSprop', {'learningRate': 0.01, 'centered': True, 'epsilon': 1e-2},
     lambda p: O.RMSprop(p, lr=0.01, alpha=0.9, eps=1e-2, centered=True), False),
    ('adagrad', 'Adagrad', {'learningRate': 0.1, 'epsilon': 1e-2},
     lambda p: O.Adagrad(p, lr=0.1, initial_accumulator_value=0.1, eps=1e-2), False),
    ('adagrad_defaults', 'Adagrad', {'learningRate': 0.1}, lambda p: O.Adagrad(p, lr=0.1), False),
    ('adadelta', 'Adadelta', {'learningRate': 1.0}, lambda p: O.Adadelta(p, lr=1.0, rho=0.95, eps=1e-7), True),
    # the epsilons differ only once beta2 * u wins the max, by (1 - beta2) * eps: make that visible
    ('adamax', 'Adamax', {'learningRate': 0.05, 'beta2': 0.9, 'epsilon': 0.1},
     lambda p: O.Adamax(p, lr=0.05, betas=(0.9, 0.9), eps=0.1), False),
    ('adamax_defaults', 'Adamax', {'learningRate': 0.05}, lambda p: O.Adamax(p, lr=0.05, eps=1e-7), None),
    ('nadam', 'Nadam', {'learningRate': 0.05}, lambda p: O.NAdam(p, lr=0.05, eps=1e-7, momentum_decay=1.0), False),
]

TORCH_CLIPS = {
    'sgd_global_clipnorm': lambda ps: torch.nn.utils.clip_grad_norm_(ps, 0.05),
    'sgd_clipvalue': lambda ps: torch.nn.utils.clip_grad_value_(ps, 0.02),
}

out_cases = []
print(f"{'case':28s} {'|Keras - PyTorch| max':>22s}")
for name, cls, opts, torch_make, same in CASES:
    traj = keras_run(cls, opts)
    if torch_make is not None:
        ref = torch_run(torch_make, TORCH_CLIPS.get(name))
        d = max_diff(traj, ref)
        verdict = {True: 'same rule', False: 'Keras differs', 'close': 'differs below float32 resolution', None: 'epsilon 1e-7 placed differently'}[same]
        print(f'{name:28s} {d:22.3e}  ({verdict})')
        if same is None:
            pass  # reported only
        elif same == 'close':
            # a 1e-7 or 1e-6 epsilon placed differently moves the result far below float32 resolution
            assert d < 1e-7, f'{name}: Keras formula and PyTorch disagree by {d}'
        elif same:
            assert d < 1e-9, f'{name}: Keras formula and PyTorch disagree by {d}'
        else:
            assert d > 1e-5, f'{name}: expected Keras and PyTorch to differ visibly, got {d}'
    else:
        print(f'{name:28s} {"(no PyTorch twin)":>22s}')
    capa_opts = {k: v for k, v in opts.items() if k != 'schedule' and v is not None}
    case = {'name': name, 'className': cls, 'options': capa_opts, 'steps': traj}
    if 'schedule' in opts:
        case['schedule'] = {'className': opts['schedule'][0], 'options': opts['schedule'][1]}
    out_cases.append(case)

fixture = {
    'generator': 'tools/gen_optimizer_fixtures.py (torch %s, Keras 3 update rules)' % torch.__version__,
    'problem': {'x': X.ravel().tolist(), 'y': Y.ravel().tolist(), 'W0': W0.ravel().tolist(), 'b0': B0.ravel().tolist()},
    'cases': out_cases,
}
path = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'training', 'optimizers.json')
with open(path + '.tmp', 'w') as f:
    json.dump(fixture, f)
os.replace(path + '.tmp', path)
print('wrote', os.path.normpath(path))


# ---------------------------------------------------------------- learning-rate schedules
# Keras 3 formulas (keras/src/optimizers/schedules/learning_rate_schedule.py), checked against
# PyTorch's schedulers where one computes the same curve.
def k_exponential(c, s):
    p = s / c['decaySteps']
    return c['initialLearningRate'] * c['decayRate'] ** (math.floor(p) if c.get('staircase') else p)


def k_piecewise(c, s):
    for b, v in zip(c['boundaries'], c['values']):
        if s <= b:
            return v
    return c['values'][-1]


def k_polynomial(c, s):
    ds = c['decaySteps']
    end, power = c.get('endLearningRate', 0.0001), c.get('power', 1.0)
    if c.get('cycle'):
        ds = ds * (1.0 if s == 0 else math.ceil(s / c['decaySteps']))
    else:
        s = min(s, ds)
    return (c['initialLearningRate'] - end) * (1 - s / ds) ** power + end


def k_inverse_time(c, s):
    p = s / c['decaySteps']
    return c['initialLearningRate'] / (1 + c['decayRate'] * (math.floor(p) if c.get('staircase') else p))


def k_cosine(c, s):
    alpha = c.get('alpha', 0.0)

    def decay(step, frm):
        return frm * ((1 - alpha) * 0.5 * (1 + math.cos(math.pi * step / c['decaySteps'])) + alpha)

    if c.get('warmupTarget') is None:
        return decay(min(s, c['decaySteps']), c['initialLearningRate'])
    ws = c.get('warmupSteps', 0)
    s = min(s, c['decaySteps'] + ws)
    if s < ws:
        return (c['warmupTarget'] - c['initialLearningRate']) * (s / ws) + c['initialLearningRate']
    return decay(s - ws, c['warmupTarget'])


def k_cosine_restarts(c, s):
    t_mul, m_mul, alpha = c.get('tMul', 2.0), c.get('mMul', 1.0), c.get('alpha', 0.0)
    frac = s / c['firstDecaySteps']
    if t_mul != 1.0:
        i = math.floor(math.log(1.0 - frac * (1.0 - t_mul)) / math.log(t_mul))
        sum_r = (1.0 - t_mul ** i) / (1.0 - t_mul)
        frac = (frac - sum_r) / t_mul ** i
    else:
        i = math.floor(frac)
        frac -= i
    cos = 0.5 * m_mul ** i * (1.0 + math.cos(math.pi * frac))
    return c['initialLearningRate'] * ((1 - alpha) * cos + alpha)


def torch_curve(make, n, lr0):
    p = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([p], lr=lr0)
    sched = make(opt)
    out = []
    for _ in range(n):
        out.append(opt.param_groups[0]['lr'])
        opt.step()
        sched.step()
    return out


S = torch.optim.lr_scheduler
N = 40
SCHEDULES = [
    ('ExponentialDecay', {'initialLearningRate': 0.1, 'decaySteps': 1, 'decayRate': 0.9}, k_exponential,
     lambda o: S.ExponentialLR(o, gamma=0.9)),
    ('ExponentialDecay', {'initialLearningRate': 0.1, 'decaySteps': 7, 'decayRate': 0.5, 'staircase': True}, k_exponential, None),
    ('ExponentialDecay', {'initialLearningRate': 0.1, 'decaySteps': 7, 'decayRate': 0.5}, k_exponential, None),
    # Keras switches after a boundary (step > b), PyTorch at a milestone (step >= m): m = b + 1
    ('PiecewiseConstantDecay', {'boundaries': [9, 19], 'values': [0.1, 0.01, 0.001]}, k_piecewise,
     lambda o: S.MultiStepLR(o, milestones=[10, 20], gamma=0.1)),
    ('PolynomialDecay', {'initialLearningRate': 0.1, 'decaySteps': 25, 'endLearningRate': 0.0, 'power': 2.0}, k_polynomial,
     lambda o: S.PolynomialLR(o, total_iters=25, power=2.0)),
    ('PolynomialDecay', {'initialLearningRate': 0.1, 'decaySteps': 15, 'cycle': True}, k_polynomial, None),
    ('InverseTimeDecay', {'initialLearningRate': 0.1, 'decaySteps': 5, 'decayRate': 0.5}, k_inverse_time, None),
    ('InverseTimeDecay', {'initialLearningRate': 0.1, 'decaySteps': 5, 'decayRate': 0.5, 'staircase': True}, k_inverse_time, None),
    ('CosineDecay', {'initialLearningRate': 0.1, 'decaySteps': 30, 'alpha': 0.1}, k_cosine,
     lambda o: S.CosineAnnealingLR(o, T_max=30, eta_min=0.01)),  # compared up to T_max: PyTorch climbs back after it
    ('CosineDecay', {'initialLearningRate': 0.0, 'decaySteps': 20, 'warmupTarget': 0.1, 'warmupSteps': 10}, k_cosine, None),
    ('CosineDecayRestarts', {'initialLearningRate': 0.1, 'firstDecaySteps': 5, 'tMul': 2.0, 'alpha': 0.1}, k_cosine_restarts,
     lambda o: S.CosineAnnealingWarmRestarts(o, T_0=5, T_mult=2, eta_min=0.01)),
    ('CosineDecayRestarts', {'initialLearningRate': 0.1, 'firstDecaySteps': 6, 'tMul': 1.0, 'mMul': 0.5}, k_cosine_restarts, None),
]

sched_cases = []
for cls, cfg, fn, tmake in SCHEDULES:
    values = [fn(cfg, s) for s in range(N)]
    if tmake is not None:
        ref = torch_curve(tmake, N, cfg.get('initialLearningRate', cfg.get('values', [0])[0]))
        upto = cfg['decaySteps'] + 1 if cls == 'CosineDecay' else N
        d = max(abs(a - b) for a, b in zip(values[:upto], ref[:upto]))
        assert d < 1e-9, f'{cls} {cfg}: Keras formula and PyTorch scheduler differ by {d}'
    sched_cases.append({'className': cls, 'options': cfg, 'values': values, 'checkedAgainstPyTorch': tmake is not None})
path = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'training', 'schedules.json')
with open(path + '.tmp', 'w') as f:
    json.dump({'generator': 'tools/gen_optimizer_fixtures.py', 'cases': sched_cases}, f)
os.replace(path + '.tmp', path)
print('wrote', os.path.normpath(path), f'({sum(c["checkedAgainstPyTorch"] for c in sched_cases)} of {len(sched_cases)} curves checked against PyTorch)')
