"""Small files in the real formats of Keras's datasets, and what Keras's load_data returns for them.

Writes test/fixtures/datasets/: imdb.npz, reuters.npz, boston_housing.npz (np.savez, object
arrays pickled by NumPy), fashion-mnist/*.gz (gzipped IDX), cifar-10-python.tar.gz and
cifar-100-python.tar.gz (pickle protocol 2 dicts with bytes keys, as the original Python 2
files), and expected.json: the outputs of Keras's load_data algorithms (copied here in Python
with NumPy's RandomState, the oracle) on those files.
Run: /usr/bin/python3 tools/gen_dataset_fixtures.py
"""
import gzip
import io
import json
import os
import pickle
import struct
import tarfile

import numpy as np

OUT = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'datasets')
os.makedirs(os.path.join(OUT, 'fashion-mnist'), exist_ok=True)
rng = np.random.RandomState(0)


def ragged(n, top):
    arr = np.empty(n, dtype=object)
    for i in range(n):
        arr[i] = [int(v) for v in rng.randint(1, top, size=rng.randint(2, 9))]
    return arr


def imdb_keras(x_train, y_train, x_test, y_test, num_words=None, skip_top=0, maxlen=None, seed=113, start_char=1, oov_char=2, index_from=3):
    r = np.random.RandomState(seed)
    idx = np.arange(len(x_train)); r.shuffle(idx); x_train = x_train[idx]; y_train = y_train[idx]
    idx = np.arange(len(x_test)); r.shuffle(idx); x_test = x_test[idx]; y_test = y_test[idx]
    x_train = [[start_char] + [w + index_from for w in x] for x in x_train]
    x_test = [[start_char] + [w + index_from for w in x] for x in x_test]
    if maxlen:
        keep = [i for i, x in enumerate(x_train) if len(x) < maxlen]; x_train = [x_train[i] for i in keep]; y_train = y_train[keep]
        keep = [i for i, x in enumerate(x_test) if len(x) < maxlen]; x_test = [x_test[i] for i in keep]; y_test = y_test[keep]
    xs = x_train + x_test
    if not num_words:
        num_words = max(max(x) for x in xs)
    xs = [[w if skip_top <= w < num_words else oov_char for w in x] for x in xs]
    n = len(x_train)
    return [[xs[:n], [int(v) for v in y_train]], [xs[n:], [int(v) for v in y_test]]]


def reuters_keras(xs, labels, num_words=None, skip_top=0, maxlen=None, test_split=0.2, seed=113, start_char=1, oov_char=2, index_from=3):
    r = np.random.RandomState(seed)
    idx = np.arange(len(xs)); r.shuffle(idx); xs = xs[idx]; labels = labels[idx]
    xs = [[start_char] + [w + index_from for w in x] for x in xs]
    if maxlen:
        keep = [i for i, x in enumerate(xs) if len(x) < maxlen]; xs = [xs[i] for i in keep]; labels = labels[keep]
    if not num_words:
        num_words = max(max(x) for x in xs)
    xs = [[w if skip_top <= w < num_words else oov_char for w in x] for x in xs]
    cut = int(len(xs) * (1 - test_split))
    return [[xs[:cut], [int(v) for v in labels[:cut]]], [xs[cut:], [int(v) for v in labels[cut:]]]]


expected = {}
x_train, x_test = ragged(7, 30), ragged(6, 30)
y_train, y_test = rng.randint(0, 2, 7).astype(np.int64), rng.randint(0, 2, 6).astype(np.int64)
np.savez(os.path.join(OUT, 'imdb.npz'), x_train=x_train, y_train=y_train, x_test=x_test, y_test=y_test)
expected['imdb_default'] = imdb_keras(x_train, y_train, x_test, y_test)
expected['imdb_options'] = imdb_keras(x_train, y_train, x_test, y_test, num_words=20, skip_top=5, maxlen=8, seed=7)

xs, labels = ragged(11, 40), rng.randint(0, 46, 11).astype(np.int64)
np.savez(os.path.join(OUT, 'reuters.npz'), x=xs, y=labels)
expected['reuters_default'] = reuters_keras(xs, labels)
expected['reuters_options'] = reuters_keras(xs, labels, num_words=25, maxlen=9, test_split=0.3)

bx, by = rng.rand(9, 13) * 100, rng.rand(9) * 50
np.savez(os.path.join(OUT, 'boston_housing.npz'), x=bx, y=by)
r = np.random.RandomState(113); idx = np.arange(9); r.shuffle(idx)
cut = int(9 * (1 - 0.2))
expected['boston'] = [[bx[idx][:cut].tolist(), by[idx][:cut].tolist()], [bx[idx][cut:].tolist(), by[idx][cut:].tolist()]]


def idx_bytes(arr):
    header = struct.pack('>BBBB', 0, 0, 8, arr.ndim) + b''.join(struct.pack('>I', d) for d in arr.shape)
    return header + arr.astype(np.uint8).tobytes()


fm = {}
for split, n in (('train', 3), ('t10k', 2)):
    images = rng.randint(0, 256, (n, 28, 28)).astype(np.uint8)
    labels_ = rng.randint(0, 10, n).astype(np.uint8)
    for kind, arr in (('images-idx3', images), ('labels-idx1', labels_)):
        with open(os.path.join(OUT, 'fashion-mnist', f'{split}-{kind}-ubyte.gz'), 'wb') as f:
            f.write(gzip.compress(idx_bytes(arr), mtime=0))
    fm[split] = [images[:, :2, :2].tolist(), labels_.tolist()]
expected['fashion'] = fm


def cifar_tar(name, members):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode='w:gz') as tar:
        for member, obj in members:
            data = pickle.dumps(obj, protocol=2)
            info = tarfile.TarInfo(f'{name}/{member}'); info.size = len(data); info.mtime = 0
            tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


c10 = {}
members = []
for m in ['data_batch_1', 'data_batch_2', 'data_batch_3', 'data_batch_4', 'data_batch_5', 'test_batch']:
    data = rng.randint(0, 256, (2, 3072)).astype(np.uint8)
    labs = [int(v) for v in rng.randint(0, 10, 2)]
    members.append((m, {b'batch_label': b'x', b'labels': labs, b'data': data, b'filenames': [b'a.png', b'b.png']}))
    c10[m] = [data.reshape(2, 3, 32, 32).transpose(0, 2, 3, 1)[:, 0, :2, :].tolist(), labs]
with open(os.path.join(OUT, 'cifar-10-python.tar.gz'), 'wb') as f:
    f.write(cifar_tar('cifar-10-batches-py', members))
expected['cifar10'] = c10

c100 = {}
members = []
for m, n in (('train', 3), ('test', 2)):
    data = rng.randint(0, 256, (n, 3072)).astype(np.uint8)
    fine, coarse = [int(v) for v in rng.randint(0, 100, n)], [int(v) for v in rng.randint(0, 20, n)]
    members.append((m, {b'data': data, b'fine_labels': fine, b'coarse_labels': coarse}))
    c100[m] = [data.reshape(n, 3, 32, 32).transpose(0, 2, 3, 1)[:, 0, :2, :].tolist(), fine, coarse]
with open(os.path.join(OUT, 'cifar-100-python.tar.gz'), 'wb') as f:
    f.write(cifar_tar('cifar-100-python', members))
expected['cifar100'] = c100

with open(os.path.join(OUT, 'word_index.json'), 'w') as f:
    json.dump({'the': 1, 'and': 2}, f)
with open(os.path.join(OUT, 'expected.json'), 'w') as f:
    json.dump(expected, f)
