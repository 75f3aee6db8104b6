#!/usr/bin/python3
"""Expected values for capa's `imagenetUtils` tests, computed with numpy exactly as Keras's
`keras/src/applications/imagenet_utils.py` does (`_preprocess_numpy_input` on float32 arrays,
channels_last; `decode_predictions` with argsort over the bundled class index).

Run with Debian's Python: /usr/bin/python3 tools/keras_imagenet_fixtures.py
Writes test/fixtures/saving/imagenet-utils.json.
"""
import json
import pathlib

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parent.parent
CLASS_INDEX = json.loads((ROOT / "test/fixtures/saving/imagenet_class_index.json").read_text())


def preprocess(x, mode):
    # Keras: `_preprocess_numpy_input(x, data_format="channels_last", mode=mode)`.
    x = x.astype("float32").copy()
    if mode == "tf":
        x /= 127.5
        x -= 1.0
        return x
    if mode == "torch":
        x /= 255.0
        mean = [0.485, 0.456, 0.406]
        std = [0.229, 0.224, 0.225]
    else:
        x = x[..., ::-1].copy()  # 'RGB'->'BGR'
        mean = [103.939, 116.779, 123.68]
        std = None
    x[..., 0] -= mean[0]
    x[..., 1] -= mean[1]
    x[..., 2] -= mean[2]
    if std is not None:
        x[..., 0] /= std[0]
        x[..., 1] /= std[1]
        x[..., 2] /= std[2]
    return x


def decode(preds, top):
    results = []
    for pred in preds:
        top_indices = pred.argsort(kind="stable")[-top:][::-1]
        result = [list(CLASS_INDEX[str(i)]) + [float(pred[i])] for i in top_indices]
        result.sort(key=lambda r: r[2], reverse=True)
        results.append(result)
    return results


rng = np.random.default_rng(7)
images = rng.integers(0, 256, size=(2, 2, 3, 3)).astype("float32")
preds = rng.random((2, 1000)).astype("float32")
out = {
    "images": {"shape": list(images.shape), "values": images.ravel().tolist()},
    "preprocessed": {m: preprocess(images, m).ravel().tolist() for m in ("caffe", "tf", "torch")},
    "preds": {"shape": list(preds.shape), "values": preds.ravel().tolist()},
    "decoded_top3": decode(preds, 3),
}
(ROOT / "test/fixtures/saving/imagenet-utils.json").write_text(json.dumps(out))
print("wrote test/fixtures/saving/imagenet-utils.json")
