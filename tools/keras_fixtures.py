#!/usr/bin/python3
"""Model files laid out exactly as Keras writes them, for capa's loading tests.

Keras itself is not installed here, so this script writes the files with h5py, zipfile and json
following Keras's own writers: keras/src/saving/saving_lib.py (`.keras`: metadata.json,
config.json, model.weights.h5 with `<object path>/vars/<i>`, optimizer variables under
`optimizer/vars`), keras/src/saving/serialization_lib.py (Keras 3 configs), and tf-keras /
legacy_h5_format.py (legacy `.h5`: model_config, training_config, model_weights with
layer_names / weight_names). Configs follow real Keras 3.3, Keras 3.5, tf-keras 2.15 and
Keras 2.2.4 outputs. Expected predictions are computed here with numpy.

Run with Debian's Python: /usr/bin/python3 tools/keras_fixtures.py
Writes test/fixtures/saving/keras-*.{keras,h5} and test/fixtures/saving/keras-fixtures.json.
"""
import io
import json
import pathlib
import zipfile

import h5py
import numpy as np

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "test/fixtures/saving"
rng = np.random.default_rng(2024)


def init(name, config=None):
    return {"module": "keras.initializers", "class_name": name, "config": config or {}, "registered_name": None}


def policy(style):
    if style == "3.3":
        return "float32"
    return {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": None}


def layer(class_name, config, build_shape=None):
    out = {"module": "keras.layers", "class_name": class_name, "config": config, "registered_name": None}
    if build_shape is not None:
        out["build_config"] = {"input_shape": build_shape}
    return out


def dense_config(name, units, activation, style):
    return {
        "name": name, "trainable": True, "dtype": policy(style), "units": units, "activation": activation,
        "use_bias": True, "kernel_initializer": init("GlorotUniform", {"seed": None}), "bias_initializer": init("Zeros"),
        "kernel_regularizer": None, "bias_regularizer": None, "kernel_constraint": None, "bias_constraint": None,
    }


def adam_compile_config():
    return {
        "optimizer": {
            "module": "keras.optimizers", "class_name": "Adam", "registered_name": None,
            "config": {
                "name": "adam", "learning_rate": 0.0010000000474974513, "weight_decay": None, "clipnorm": None,
                "global_clipnorm": None, "clipvalue": None, "use_ema": False, "ema_momentum": 0.99,
                "ema_overwrite_frequency": None, "loss_scale_factor": None, "gradient_accumulation_steps": None,
                "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-07, "amsgrad": False,
            },
        },
        "loss": "categorical_crossentropy", "loss_weights": None, "metrics": ["accuracy"],
        "weighted_metrics": None, "run_eagerly": False, "steps_per_execution": 1, "jit_compile": False,
    }


def write_keras(path, config, variables, optimizer_vars=None, keras_version="3.5.0"):
    """saving_lib._save_model_to_fileobj: stored entries, H5IOStore into BytesIO."""
    buffer = io.BytesIO()
    with h5py.File(buffer, "w") as h5:
        for object_path, values in variables:
            group = h5.create_group(f"{object_path}/vars" if object_path else "vars")
            for i, value in enumerate(values):
                group[str(i)] = value
        if optimizer_vars is not None:
            group = h5.create_group("optimizer/vars")
            for i, value in enumerate(optimizer_vars):
                group[str(i)] = value
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("metadata.json", json.dumps({"keras_version": keras_version, "date_saved": "2024-08-01@12:00:00"}))
        zf.writestr("config.json", json.dumps(config))
        zf.writestr("model.weights.h5", buffer.getvalue())


def f32(*shape, scale=0.5):
    return (rng.standard_normal(shape) * scale).astype("float32")


# ---- numpy forward passes ----
def conv2d_same(x, kernel, bias):
    n, h, w, c = x.shape
    kh, kw, _, f = kernel.shape
    pad = np.pad(x, ((0, 0), (kh // 2, kh // 2), (kw // 2, kw // 2), (0, 0)))
    out = np.zeros((n, h, w, f), dtype=np.float64)
    for i in range(h):
        for j in range(w):
            patch = pad[:, i:i + kh, j:j + kw, :].astype(np.float64)
            out[:, i, j, :] = np.tensordot(patch, kernel.astype(np.float64), axes=([1, 2, 3], [0, 1, 2]))
    return out + bias


def maxpool2(x):
    n, h, w, c = x.shape
    return x[:, : h // 2 * 2, : w // 2 * 2, :].reshape(n, h // 2, 2, w // 2, 2, c).max(axis=(2, 4))


def softmax(x):
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def relu(x):
    return np.maximum(x, 0)


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


expected = {}

# ---- 1. Keras 3.3 Sequential (dtype as strings), compiled with Adam, trained 7 steps ----
style = "3.3"
k1, b1 = f32(3, 3, 3, 4), f32(4, scale=0.1)
k2, b2 = f32(64, 5), f32(5, scale=0.1)
seq_layers = [
    layer("InputLayer", {"batch_shape": [None, 8, 8, 3], "dtype": "float32", "sparse": False, "name": "input_layer"}),
    layer("Conv2D", {
        "name": "conv2d", "trainable": True, "dtype": policy(style), "filters": 4, "kernel_size": [3, 3],
        "strides": [1, 1], "padding": "same", "data_format": "channels_last", "dilation_rate": [1, 1], "groups": 1,
        "activation": "relu", "use_bias": True, "kernel_initializer": init("GlorotUniform", {"seed": None}),
        "bias_initializer": init("Zeros"), "kernel_regularizer": None, "bias_regularizer": None,
        "activity_regularizer": None, "kernel_constraint": None, "bias_constraint": None,
    }, [None, 8, 8, 3]),
    layer("MaxPooling2D", {"name": "max_pooling2d", "trainable": True, "dtype": policy(style), "pool_size": [2, 2],
                           "padding": "valid", "strides": [2, 2], "data_format": "channels_last"}, [None, 8, 8, 4]),
    layer("Flatten", {"name": "flatten", "trainable": True, "dtype": policy(style), "data_format": "channels_last"}, [None, 4, 4, 4]),
    layer("Dense", dense_config("dense", 5, "softmax", style), [None, 64]),
]
seq_config = {
    "module": "keras", "class_name": "Sequential",
    "config": {"name": "sequential", "trainable": True, "dtype": policy(style), "layers": seq_layers, "build_input_shape": [None, 8, 8, 3]},
    "registered_name": None, "build_config": {"input_shape": [None, 8, 8, 3]}, "compile_config": adam_compile_config(),
}
# Adam state in Keras 3's order: iteration (int64), learning_rate, then (momentum, velocity) per trainable variable.
trainable = [k1, b1, k2, b2]
adam_state = [np.array(7, dtype="int64"), np.array(0.001, dtype="float32")]
for v in trainable:
    adam_state += [f32(*v.shape, scale=0.01), np.abs(f32(*v.shape, scale=0.001))]
write_keras(OUT / "keras3-sequential.keras", seq_config,
            [("", []), ("layers/conv2d", [k1, b1]), ("layers/max_pooling2d", []), ("layers/flatten", []), ("layers/dense", [k2, b2])],
            adam_state, keras_version="3.3.3")
x_seq = rng.uniform(0, 1, (2, 8, 8, 3)).astype("float32")
y_seq = softmax(maxpool2(relu(conv2d_same(x_seq, k1, b1))).reshape(2, -1) @ k2.astype(np.float64) + b2)
expected["keras3-sequential.keras"] = {
    "inputs": [{"shape": list(x_seq.shape), "values": x_seq.ravel().tolist()}],
    "output": {"shape": list(y_seq.shape), "values": y_seq.ravel().tolist()},
    "optimizer": {"iterations": 7, "count": len(adam_state), "first_momentum": adam_state[2].ravel()[:4].tolist()},
}


# ---- 2. Keras 3.5 Functional (DTypePolicy objects): two branches, Add, Concatenate, BatchNormalization ----
def ktensor(shape, history):
    return {"class_name": "__keras_tensor__", "config": {"shape": shape, "dtype": "float32", "keras_history": history}}


style = "3.5"
wa, ba = f32(6, 5), f32(5, scale=0.1)
wb, bb = f32(6, 5), f32(5, scale=0.1)
gamma, beta = 1 + f32(10, scale=0.1), f32(10, scale=0.1)
mean, var = f32(10, scale=0.2), 0.5 + np.abs(f32(10, scale=0.3))
wo, bo = f32(10, 3), f32(3, scale=0.1)
bn_config = {
    "name": "batch_normalization", "trainable": True, "dtype": policy(style), "axis": -1, "momentum": 0.99, "epsilon": 0.001,
    "center": True, "scale": True, "beta_initializer": init("Zeros"), "gamma_initializer": init("Ones"),
    "moving_mean_initializer": init("Zeros"), "moving_variance_initializer": init("Ones"), "beta_regularizer": None,
    "gamma_regularizer": None, "beta_constraint": None, "gamma_constraint": None, "synchronized": False,
}


def node(*args):
    return {"args": list(args), "kwargs": {}}


fn_layers = [
    {**layer("InputLayer", {"batch_shape": [None, 6], "dtype": "float32", "sparse": False, "name": "input_layer"}), "name": "input_layer", "inbound_nodes": []},
    {**layer("Dense", dense_config("dense", 5, "relu", style), [None, 6]), "name": "dense",
     "inbound_nodes": [node(ktensor([None, 6], ["input_layer", 0, 0]))]},
    {**layer("Dense", dense_config("dense_1", 5, "tanh", style), [None, 6]), "name": "dense_1",
     "inbound_nodes": [node(ktensor([None, 6], ["input_layer", 0, 0]))]},
    {**layer("Add", {"name": "add", "trainable": True, "dtype": policy(style)}, [[None, 5], [None, 5]]), "name": "add",
     "inbound_nodes": [node([ktensor([None, 5], ["dense", 0, 0]), ktensor([None, 5], ["dense_1", 0, 0])])]},
    {**layer("Concatenate", {"name": "concatenate", "trainable": True, "dtype": policy(style), "axis": -1}, [[None, 5], [None, 5]]),
     "name": "concatenate", "inbound_nodes": [node([ktensor([None, 5], ["add", 0, 0]), ktensor([None, 5], ["dense_1", 0, 0])])]},
    {**layer("BatchNormalization", bn_config, [None, 10]), "name": "batch_normalization",
     "inbound_nodes": [node(ktensor([None, 10], ["concatenate", 0, 0]))]},
    {**layer("Dense", dense_config("dense_2", 3, "softmax", style), [None, 10]), "name": "dense_2",
     "inbound_nodes": [node(ktensor([None, 10], ["batch_normalization", 0, 0]))]},
]
fn_config = {
    "module": "keras.src.models.functional", "class_name": "Functional",
    "config": {"name": "functional", "trainable": True, "layers": fn_layers,
               "input_layers": [["input_layer", 0, 0]], "output_layers": [["dense_2", 0, 0]]},
    "registered_name": "Functional", "build_config": {"input_shape": None},
}
write_keras(OUT / "keras3-functional.keras", fn_config, [
    ("", []), ("layers/input_layer", []), ("layers/dense", [wa, ba]), ("layers/dense_1", [wb, bb]), ("layers/add", []),
    ("layers/concatenate", []), ("layers/batch_normalization", [gamma, beta, mean, var]), ("layers/dense_2", [wo, bo]),
])
x_fn = rng.uniform(-1, 1, (3, 6)).astype("float32")
da = relu(x_fn @ wa + ba)
db = np.tanh(x_fn @ wb + bb)
h = np.concatenate([da + db, db], axis=-1)
h = (h - mean) / np.sqrt(var + 0.001) * gamma + beta
y_fn = softmax(h @ wo + bo)
expected["keras3-functional.keras"] = {
    "inputs": [{"shape": list(x_fn.shape), "values": x_fn.ravel().tolist()}],
    "output": {"shape": list(y_fn.shape), "values": y_fn.ravel().tolist()},
}


# ---- 3. tf-keras 2.15 Functional model in legacy .h5 (model_config, training_config, optimizer_weights) ----
def k2init(name, config=None):  # tf-keras 2.13+ serializes nested objects with module/registered_name
    return {"module": "keras.initializers", "class_name": name, "config": config or {}, "registered_name": None}


def k2dense(name, units, activation):
    return {"name": name, "trainable": True, "dtype": "float32", "units": units, "activation": activation, "use_bias": True,
            "kernel_initializer": k2init("GlorotUniform", {"seed": None}), "bias_initializer": k2init("Zeros"),
            "kernel_regularizer": None, "bias_regularizer": None, "activity_regularizer": None,
            "kernel_constraint": None, "bias_constraint": None}


k2_config = {"class_name": "Functional", "config": {"name": "model", "trainable": True, "layers": [
    {"class_name": "InputLayer", "config": {"batch_input_shape": [None, 6], "dtype": "float32", "sparse": False, "ragged": False, "name": "input_1"},
     "name": "input_1", "inbound_nodes": []},
    {"module": "keras.layers", "class_name": "Dense", "config": k2dense("dense", 5, "relu"), "registered_name": None, "build_config": {"input_shape": [None, 6]},
     "name": "dense", "inbound_nodes": [[["input_1", 0, 0, {}]]]},
    {"module": "keras.layers", "class_name": "Dense", "config": k2dense("dense_1", 5, "tanh"), "registered_name": None, "build_config": {"input_shape": [None, 6]},
     "name": "dense_1", "inbound_nodes": [[["input_1", 0, 0, {}]]]},
    {"module": "keras.layers", "class_name": "Add", "config": {"name": "add", "trainable": True, "dtype": "float32"}, "registered_name": None,
     "build_config": {"input_shape": [[None, 5], [None, 5]]}, "name": "add", "inbound_nodes": [[["dense", 0, 0, {}], ["dense_1", 0, 0, {}]]]},
    {"module": "keras.layers", "class_name": "Dense", "config": k2dense("dense_2", 3, "softmax"), "registered_name": None, "build_config": {"input_shape": [None, 5]},
     "name": "dense_2", "inbound_nodes": [[["add", 0, 0, {}]]]},
], "input_layers": [["input_1", 0, 0]], "output_layers": [["dense_2", 0, 0]]}}
k2_training = {"loss": "categorical_crossentropy", "metrics": [[{"class_name": "MeanMetricWrapper", "config": {"name": "accuracy", "dtype": "float32", "fn": "categorical_accuracy"}}]],
               "weighted_metrics": None, "loss_weights": None,
               "optimizer_config": {"class_name": "Custom>Adam", "config": {"name": "Adam", "weight_decay": None, "clipnorm": None, "global_clipnorm": None, "clipvalue": None,
                                    "use_ema": False, "ema_momentum": 0.99, "ema_overwrite_frequency": None, "jit_compile": False, "is_legacy_optimizer": False,
                                    "learning_rate": 0.0010000000474974513, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-07, "amsgrad": False}}}
w2 = {"dense": [f32(6, 5), f32(5, scale=0.1)], "dense_1": [f32(6, 5), f32(5, scale=0.1)], "dense_2": [f32(5, 3), f32(3, scale=0.1)]}
with h5py.File(OUT / "keras2-functional.h5", "w") as f:
    f.attrs["keras_version"] = "2.15.0"
    f.attrs["backend"] = "tensorflow"
    f.attrs["model_config"] = json.dumps(k2_config).encode("utf8")
    f.attrs["training_config"] = json.dumps(k2_training).encode("utf8")
    g = f.create_group("model_weights")
    g.attrs["layer_names"] = np.array([n.encode("utf8") for n in ["input_1", "dense", "dense_1", "add", "dense_2"]])
    g.attrs["backend"] = b"tensorflow"
    g.attrs["keras_version"] = b"2.15.0"
    for name in sorted(["input_1", "dense", "dense_1", "add", "dense_2"]):
        lg = g.create_group(name)
        values = w2.get(name, [])
        weight_names = [f"{name}/kernel:0", f"{name}/bias:0"][: len(values)]
        lg.attrs["weight_names"] = np.array([w.encode("utf8") for w in weight_names]) if weight_names else np.asarray([])
        for wname, value in zip(weight_names, values):
            lg.create_dataset(wname, data=value)
    og = f.create_group("optimizer_weights")
    og.attrs["weight_names"] = np.array([b"Adam/iter:0"])
    og.create_dataset("Adam/iter:0", data=np.array(12, dtype="int64"))
x_k2 = rng.uniform(-1, 1, (2, 6)).astype("float32")
y_k2 = softmax((relu(x_k2 @ w2["dense"][0] + w2["dense"][1]) + np.tanh(x_k2 @ w2["dense_1"][0] + w2["dense_1"][1])) @ w2["dense_2"][0] + w2["dense_2"][1])
expected["keras2-functional.h5"] = {
    "inputs": [{"shape": list(x_k2.shape), "values": x_k2.ravel().tolist()}],
    "output": {"shape": list(y_k2.shape), "values": y_k2.ravel().tolist()},
}

# ---- 4. Keras 2.2.4 Sequential (the user's notebook model: Dense(1, input_dim=100, sigmoid)) ----
k224 = {"class_name": "Sequential", "config": {"name": "sequential_2", "layers": [
    {"class_name": "Dense", "config": {"name": "dense_3", "trainable": True, "batch_input_shape": [None, 100], "dtype": "float32",
                                       "units": 1, "activation": "sigmoid", "use_bias": True,
                                       "kernel_initializer": {"class_name": "VarianceScaling", "config": {"scale": 1.0, "mode": "fan_avg", "distribution": "uniform", "seed": None}},
                                       "bias_initializer": {"class_name": "Zeros", "config": {}}, "kernel_regularizer": None, "bias_regularizer": None,
                                       "activity_regularizer": None, "kernel_constraint": None, "bias_constraint": None}}]}}
kd, bd = f32(100, 1, scale=0.1), f32(1, scale=0.1)
with h5py.File(OUT / "keras224-sequential.h5", "w") as f:
    f.attrs["keras_version"] = b"2.2.4"
    f.attrs["backend"] = b"tensorflow"
    f.attrs["model_config"] = json.dumps(k224).encode("utf8")
    g = f.create_group("model_weights")
    g.attrs["layer_names"] = np.array([b"dense_3"])
    g.attrs["backend"] = b"tensorflow"
    g.attrs["keras_version"] = b"2.2.4"
    lg = g.create_group("dense_3")
    lg.attrs["weight_names"] = np.array([b"dense_3/kernel:0", b"dense_3/bias:0"])
    lg.create_dataset("dense_3/kernel:0", data=kd)
    lg.create_dataset("dense_3/bias:0", data=bd)
x_224 = rng.uniform(-1, 1, (4, 100)).astype("float32")
y_224 = sigmoid(x_224 @ kd + bd)
expected["keras224-sequential.h5"] = {
    "inputs": [{"shape": list(x_224.shape), "values": x_224.ravel().tolist()}],
    "output": {"shape": list(y_224.shape), "values": y_224.ravel().tolist()},
}

(OUT / "keras-fixtures.json").write_text(json.dumps(expected))
for name in expected:
    print(f"wrote {name} ({(OUT / name).stat().st_size} bytes)")
