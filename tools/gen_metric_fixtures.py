#!/usr/bin/python3
"""Metric fixtures, accumulated over 3 batches, from scikit-learn where it computes the same number.

Run with Debian's Python (sklearn 1.2): /usr/bin/python3 tools/gen_metric_fixtures.py
Writes test/fixtures/training/metrics.json.

Oracles: sklearn accuracy_score, top_k_accuracy_score, precision_score, recall_score, f1_score,
fbeta_score, mean_squared_error, mean_absolute_error, roc_auc_score. AUC follows Keras's
threshold approximation (keras/src/metrics/confusion_metrics.py: 200 thresholds, trapezoids for
ROC, Davis & Goadrich interpolation for PR), emulated below in numpy; the script asserts the ROC
value is within 2e-3 of sklearn's exact roc_auc_score and the PR value within 2e-2 of sklearn's
average_precision_score (a different summation of the same curve).
"""
import json
import os

import numpy as np
from sklearn import metrics as skm

rng = np.random.RandomState(11)
N, C = 60, 4
BATCHES = [0, 17, 41, 60]


def f32(a):
    return np.asarray(a, dtype=np.float32).astype(np.float64)


def r(values):
    return [float(f'{v:.10g}') for v in np.asarray(values, dtype=np.float64).ravel()]


logits = rng.normal(0, 1.5, size=(N, C))
probs = f32(np.exp(logits) / np.exp(logits).sum(-1, keepdims=True))
labels = rng.randint(0, C, size=N)
onehot = np.eye(C)[labels]
weights = f32(rng.uniform(0, 2, size=N))
bin_true = rng.randint(0, 2, size=N).astype(np.float64)
bin_score = f32(np.clip(bin_true * 0.3 + rng.uniform(0, 0.7, size=N), 0, 1))
reg_true = f32(rng.normal(0, 1, size=(N, 3)))
reg_pred = f32(reg_true + rng.normal(0, 0.5, size=(N, 3)))
reg1_true, reg1_pred = reg_true[:, :1], reg_pred[:, :1]
pred_class = probs.argmax(-1)


def keras_auc(y, score, w, curve, n=200):
    eps = 1e-7
    th = np.array([0 - eps] + [(i + 1) / (n - 1) for i in range(n - 2)] + [1 + eps], dtype=np.float32).astype(np.float64)
    pos = (score[None, :] > th[:, None])
    tp = (pos * (y == 1) * w).sum(1)
    fp = (pos * (y == 0) * w).sum(1)
    fn = ((~pos) * (y == 1) * w).sum(1)
    tn = ((~pos) * (y == 0) * w).sum(1)

    def dnn(a, b):
        return np.where(b == 0, 0.0, a / np.where(b == 0, 1, b))

    if curve == 'PR':
        dtp = tp[:-1] - tp[1:]
        p = tp + fp
        dp = p[:-1] - p[1:]
        slope = dnn(dtp, np.maximum(dp, 0))
        intercept = tp[1:] - slope * p[1:]
        ratio = np.where((p[:-1] > 0) & (p[1:] > 0), dnn(p[:-1], np.maximum(p[1:], 0)), 1.0)
        return float(dnn(slope * (dtp + intercept * np.log(ratio)), np.maximum(tp[1:] + fn[1:], 0)).sum())
    recall = dnn(tp, tp + fn)
    fpr = dnn(fp, fp + tn)
    return float(((fpr[:-1] - fpr[1:]) * (recall[:-1] + recall[1:]) / 2).sum())


cases = []
DATA = {'probs': (probs, 'float32'), 'labels': (labels, 'int32'), 'onehot': (onehot, 'float32'), 'weights': (weights, 'float32'),
        'bin_true': (bin_true, 'float32'), 'bin_score': (bin_score, 'float32'), 'reg_true': (reg_true, 'float32'),
        'reg_pred': (reg_pred, 'float32'), 'reg1_true': (reg1_true, 'float32'), 'reg1_pred': (reg1_pred, 'float32')}


def key(array):
    if array is None:
        return None
    return next(k for k, (v, _) in DATA.items() if v is array)


def case(metric, options, y_true, y_pred, expected, sample_weight=None, _dtype=None):
    cases.append({
        'metric': metric, 'options': options, 'yTrue': key(y_true), 'yPred': key(y_pred),
        'sampleWeight': key(sample_weight), 'expected': r(np.atleast_1d(expected)), 'scalar': np.ndim(expected) == 0,
    })


for w in (None, weights):
    case('categorical_accuracy', {}, onehot, probs, skm.accuracy_score(labels, pred_class, sample_weight=w), w)
    case('sparse_categorical_accuracy', {}, labels, probs, skm.accuracy_score(labels, pred_class, sample_weight=w), w, 'int32')
    case('sparse_top_k_categorical_accuracy', {'k': 2}, labels, probs,
         skm.top_k_accuracy_score(labels, probs, k=2, sample_weight=w, labels=range(C)), w, 'int32')
    case('top_k_categorical_accuracy', {'k': 3}, onehot, probs,
         skm.top_k_accuracy_score(labels, probs, k=3, sample_weight=w, labels=range(C)), w)
    case('binary_accuracy', {}, bin_true, bin_score, skm.accuracy_score(bin_true, bin_score > 0.5, sample_weight=w), w)
    case('binary_accuracy', {'threshold': 0.7}, bin_true, bin_score, skm.accuracy_score(bin_true, bin_score > 0.7, sample_weight=w), w)
    case('precision', {}, bin_true, bin_score, skm.precision_score(bin_true, bin_score > 0.5, sample_weight=w), w)
    case('recall', {}, bin_true, bin_score, skm.recall_score(bin_true, bin_score > 0.5, sample_weight=w), w)
    case('precision', {'thresholds': 0.3}, bin_true, bin_score, skm.precision_score(bin_true, bin_score > 0.3, sample_weight=w), w)
    # class_id: one column of multi-class predictions, positive above 0.5
    case('recall', {'classId': 2}, onehot, probs, skm.recall_score(onehot[:, 2], probs[:, 2] > 0.5, sample_weight=w), w)
    # top_k: the top-k columns of each row count as positive (threshold NEG_INF)
    topk = np.zeros_like(probs)
    np.put_along_axis(topk, np.argsort(-probs, axis=1)[:, :2], 1, axis=1)
    case('precision', {'topK': 2}, onehot, probs,
         skm.precision_score(onehot.ravel(), topk.ravel(), sample_weight=None if w is None else np.repeat(w, C)), w)
    ww = np.ones(N) if w is None else w
    roc = keras_auc(bin_true, bin_score, ww, 'ROC')
    assert abs(roc - skm.roc_auc_score(bin_true, bin_score, sample_weight=w)) < 2e-3
    case('auc', {}, bin_true, bin_score, roc, w)
    pr = keras_auc(bin_true, bin_score, ww, 'PR')
    assert abs(pr - skm.average_precision_score(bin_true, bin_score, sample_weight=w)) < 2e-2
    case('auc', {'curve': 'PR'}, bin_true, bin_score, pr, w)
    for avg in (None, 'micro', 'macro', 'weighted'):
        case('f1_score', {'average': avg}, onehot, probs,
             skm.f1_score(labels, pred_class, average=avg, sample_weight=w, labels=range(C)), w)
    case('fbeta_score', {'average': 'macro', 'beta': 2.0}, onehot, probs,
         skm.fbeta_score(labels, pred_class, beta=2.0, average='macro', sample_weight=w, labels=range(C)), w)
    thresholded = (probs > 0.3).astype(int)
    case('f1_score', {'average': 'micro', 'threshold': 0.3}, onehot, probs,
         skm.f1_score(onehot.astype(int), thresholded, average='micro', sample_weight=w), w)
    case('mean_squared_error', {}, reg_true, reg_pred, skm.mean_squared_error(reg_true, reg_pred, sample_weight=w), w)
    case('mean_absolute_error', {}, reg_true, reg_pred, skm.mean_absolute_error(reg_true, reg_pred, sample_weight=w), w)
    case('root_mean_squared_error', {}, reg1_true, reg1_pred,
         skm.mean_squared_error(reg1_true, reg1_pred, sample_weight=w, squared=False), w)

path = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'training', 'metrics.json')
with open(path + '.tmp', 'w') as f:
    data = {k: {'shape': list(np.shape(v)), 'dtype': dt, 'values': r(v)} for k, (v, dt) in DATA.items()}
    json.dump({'generator': 'tools/gen_metric_fixtures.py (scikit-learn %s)' % __import__('sklearn').__version__,
               'batches': BATCHES, 'data': data, 'cases': cases}, f)
os.replace(path + '.tmp', path)
print(f'wrote {os.path.normpath(path)}: {len(cases)} cases')
