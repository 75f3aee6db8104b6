#!/usr/bin/python3
"""Compact descriptions of Keras's published ImageNet weight files (notop), for capa's tests.

The files themselves are 80-95 MB, so the test builds an HDF5 file from this description
(layer_names order, each layer's weight_names, dataset paths and shapes; deterministic values)
and loads it into capa's applications.ResNet50 / VGG19 by name.

What the published files hold, in Keras 2's `save_weights` layout (hdf5_format.py):
- resnet50_weights_tf_dim_ordering_tf_kernels_notop.h5 (storage.googleapis.com/tensorflow/
  keras-applications/resnet/, md5 4d473c1dd8becc155b73f8504c6f6626): written by Keras 2.2 from
  keras-applications' resnet_common.ResNet50; root attrs layer_names (all 175 layers in
  model.layers order: input_1, conv1_pad, conv1_conv, conv1_bn, conv1_relu, pool1_pad,
  pool1_pool, then per block 1_conv, 1_bn, 1_relu, 2_conv, 2_bn, 2_relu, [0_conv], 3_conv,
  [0_bn], 3_bn, add, out), backend, keras_version; per layer a group with weight_names such as
  `conv1_conv/kernel:0`, datasets at `conv1_conv/conv1_conv/kernel:0`; BN layers hold gamma,
  beta, moving_mean, moving_variance.
- vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5 (.../keras-applications/vgg19/, md5
  253f8cb515780f3b799900260a226db6; first published with Keras 1 at fchollet/deep-learning-
  models v0.1): layer_names input_1, block1_conv1, block1_conv2, block1_pool, ..., block5_pool;
  weight names in Keras 1's style `block1_conv1_W_1:0`, `block1_conv1_b_1:0` stored directly
  in the layer's group (`block1_conv1/block1_conv1_W_1:0`); no keras_version/backend attrs
  (Keras 1 files predate them; Keras then assumes version '1').

Run with Debian's Python: /usr/bin/python3 tools/keras_published_layouts.py
Writes test/fixtures/saving/published-layouts.json, and checks the description by building
both files with h5py and reading them back the way Keras's loader does.
"""
import json
import pathlib
import tempfile

import h5py
import numpy as np

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "test/fixtures/saving/published-layouts.json"


def conv(name, kh, kw, cin, cout):
    return [name, [[f"{name}/kernel:0", [kh, kw, cin, cout]], [f"{name}/bias:0", [cout]]]]


def bn(name, c):
    return [name, [[f"{name}/{w}:0", [c]] for w in ("gamma", "beta", "moving_mean", "moving_variance")]]


def plain(name):
    return [name, []]


def resnet50_notop():
    layers = [plain("input_1"), plain("conv1_pad"), conv("conv1_conv", 7, 7, 3, 64), bn("conv1_bn", 64),
              plain("conv1_relu"), plain("pool1_pad"), plain("pool1_pool")]
    cin = 64
    for stage, (filters, blocks) in enumerate([(64, 3), (128, 4), (256, 6), (512, 3)], start=2):
        for b in range(1, blocks + 1):
            p = f"conv{stage}_block{b}"
            project = b == 1
            layers += [conv(f"{p}_1_conv", 1, 1, cin, filters), bn(f"{p}_1_bn", filters), plain(f"{p}_1_relu"),
                       conv(f"{p}_2_conv", 3, 3, filters, filters), bn(f"{p}_2_bn", filters), plain(f"{p}_2_relu")]
            if project:
                layers += [conv(f"{p}_0_conv", 1, 1, cin, 4 * filters), conv(f"{p}_3_conv", 1, 1, filters, 4 * filters),
                           bn(f"{p}_0_bn", 4 * filters), bn(f"{p}_3_bn", 4 * filters)]
            else:
                layers += [conv(f"{p}_3_conv", 1, 1, filters, 4 * filters), bn(f"{p}_3_bn", 4 * filters)]
            layers += [plain(f"{p}_add"), plain(f"{p}_out")]
            cin = 4 * filters
    return {"file": "resnet50_weights_tf_dim_ordering_tf_kernels_notop.h5",
            "attrs": {"backend": "tensorflow", "keras_version": "2.2.4"}, "layers": layers}


def vgg19_notop():
    layers = [plain("input_1")]
    cin = 3
    for block, (filters, convs) in enumerate([(64, 2), (128, 2), (256, 4), (512, 4), (512, 4)], start=1):
        for c in range(1, convs + 1):
            name = f"block{block}_conv{c}"
            layers.append([name, [[f"{name}_W_1:0", [3, 3, cin, filters]], [f"{name}_b_1:0", [filters]]]])
            cin = filters
        layers.append(plain(f"block{block}_pool"))
    return {"file": "vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5", "attrs": {}, "layers": layers}


def build(layout, path):
    """Keras 2's save_weights_to_hdf5_group, with small deterministic values."""
    with h5py.File(path, "w") as f:
        f.attrs["layer_names"] = np.array([name.encode("utf8") for name, _ in layout["layers"]])
        for key, value in layout["attrs"].items():
            f.attrs[key] = value.encode("utf8")
        for name, weights in layout["layers"]:
            g = f.create_group(name)
            g.attrs["weight_names"] = np.array([w.encode("utf8") for w, _ in weights]) if weights else np.asarray([])
            for wname, shape in weights:
                g.create_dataset(wname, data=np.full(shape, 0.01, dtype="float32"))


def check(layout, path):
    """Reads the file back as Keras's load_weights_from_hdf5_group_by_name does."""
    with h5py.File(path, "r") as f:
        names = [n.decode("utf8") for n in f.attrs["layer_names"]]
        assert names == [name for name, _ in layout["layers"]]
        params = 0
        for name, weights in layout["layers"]:
            stored = [n.decode("utf8") if hasattr(n, "decode") else n for n in f[name].attrs["weight_names"]]
            assert stored == [w for w, _ in weights], (name, stored)
            for wname, shape in weights:
                assert list(np.asarray(f[name][wname]).shape) == shape
                params += int(np.prod(shape))
    return params


layouts = {"resnet50_notop": resnet50_notop(), "vgg19_notop": vgg19_notop()}
with tempfile.TemporaryDirectory() as tmp:
    for key, layout in layouts.items():
        path = pathlib.Path(tmp) / layout["file"]
        build(layout, path)
        layout["params"] = check(layout, path)
        print(f"{key}: {len(layout['layers'])} layers, {sum(1 for _, w in layout['layers'] if w)} with weights, {layout['params']:,} params")
OUT.write_text(json.dumps(layouts))
