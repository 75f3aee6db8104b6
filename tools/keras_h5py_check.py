#!/usr/bin/python3
"""Checks the files capa writes with h5py, against the layouts Keras reads.

Writes capa's sample files (test/saving/helpers/samples.ts, via tools/keras_write_samples.ts)
into a temporary folder, opens each with Debian's h5py / zipfile / json the way Keras's own
loaders do, and records what it found in test/fixtures/saving/h5py-check.json:

- `.keras` (keras/src/saving/saving_lib.py): a ZIP with metadata.json, config.json and
  model.weights.h5; config.json has module/class_name/config/registered_name(/build_config);
  model.weights.h5 has a `vars` group for every saveable at the object path Keras's
  `_save_state` walks (`layers/<snake_case(class)>[_n]`, recursively for nested models) with
  exactly as many datasets `0..n-1` as the layer has variables.
- legacy `.h5` (keras/src/legacy/saving/legacy_h5_format.py): `model_config` JSON attribute,
  `model_weights` with `layer_names` (byte strings), `backend`, `keras_version`; each layer's
  group with `weight_names`, each weight a dataset at `<group>/<weight name>`; loaded the way
  `load_attributes_from_hdf5_group` and `load_subset_weights_from_hdf5_group` do.
- `.weights.h5`: Keras 3's variable store at the root; Keras 2 weights files: the
  `model_weights` layout at the root.

Run with Debian's Python: /usr/bin/python3 tools/keras_h5py_check.py
"""
import io
import json
import pathlib
import re
import subprocess
import sys
import tempfile
import zipfile

import h5py
import numpy as np

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "test/fixtures/saving/h5py-check.json"


def to_snake_case(name):  # keras/src/utils/naming.py
    name = re.sub(r"\W+", "", name)
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    name = re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()
    return name


def expected_variable_count(serialized):
    """How many variables Keras 3 creates for a built layer of this config."""
    cls = serialized["class_name"]
    config = serialized["config"]
    bias = 1 if config.get("use_bias", True) else 0
    if cls in ("Dense", "Conv1D", "Conv2D", "Conv3D", "DepthwiseConv2D", "DepthwiseConv1D"):
        return 1 + bias
    if cls in ("SeparableConv1D", "SeparableConv2D"):
        return 2 + bias
    if cls == "BatchNormalization":
        return int(config.get("center", True)) + int(config.get("scale", True)) + 2
    if cls == "LayerNormalization":  # gamma (scale), then beta (center)
        return int(config.get("scale", True)) + int(config.get("center", True))
    return 0


def expected_objects(serialized, path):
    """(object path, variable count) pairs in Keras 3's `_save_state` walk."""
    yield path, expected_variable_count(serialized)
    cls = serialized["class_name"]
    if cls not in ("Sequential", "Functional"):
        return
    layers = serialized["config"]["layers"]
    if cls == "Sequential":  # Sequential.layers omits its InputLayer
        layers = [layer for layer in layers if layer["class_name"] != "InputLayer"]
    used = {}
    for layer in layers:
        name = to_snake_case(layer["class_name"])
        if name in used:
            used[name] += 1
            name = f"{name}_{used[name]}"
        else:
            used[name] = 0
        yield from expected_objects(layer, f"{path}/layers/{name}" if path else f"layers/{name}")


def listing(h5):
    datasets = {}

    def visit(name, obj):
        if isinstance(obj, h5py.Dataset):
            datasets[name] = {"shape": list(obj.shape), "dtype": str(obj.dtype)}

    h5.visititems(visit)
    return datasets


def check_keras3_store(h5, model_config, checks):
    for path, count in expected_objects(model_config, ""):
        group = f"{path}/vars" if path else "vars"
        if group not in h5 or not isinstance(h5[group], h5py.Group):
            checks.append(f"FAIL missing group {group}")
            continue
        keys = sorted(h5[group].keys(), key=int)
        if keys != [str(i) for i in range(count)]:
            checks.append(f"FAIL {group} holds {keys}, expected {count} variables")
            continue
        for key in keys:
            value = np.asarray(h5[f"{group}/{key}"])
            if value.dtype != np.float32:
                checks.append(f"FAIL {group}/{key} is {value.dtype}")
        checks.append(f"ok {group}: {count} variables")
    if "optimizer" in h5:
        keys = sorted(h5["optimizer/vars"].keys(), key=int)
        first = np.asarray(h5["optimizer/vars/0"])
        checks.append(f"ok optimizer/vars: {len(keys)} variables, iteration dtype {first.dtype}")


def load_attributes_from_hdf5_group(group, name):  # legacy_h5_format.py
    if name in group.attrs:
        return [n.decode("utf8") if hasattr(n, "decode") else n for n in group.attrs[name]]
    data = []
    chunk_id = 0
    while f"{name}{chunk_id}" in group.attrs:
        data.extend([n.decode("utf8") if hasattr(n, "decode") else n for n in group.attrs[f"{name}{chunk_id}"]])
        chunk_id += 1
    return data


def check_legacy_weights(f, checks):
    layer_names = load_attributes_from_hdf5_group(f, "layer_names")
    if not layer_names:
        checks.append("FAIL no layer_names")
        return
    raw = f.attrs["layer_names"] if "layer_names" in f.attrs else f.attrs["layer_names0"]
    checks.append(f"ok layer_names: {len(layer_names)} names, stored as {raw.dtype}")
    for key in ("backend", "keras_version"):
        value = f.attrs.get(key)
        checks.append(f"ok {key} = {value.decode() if hasattr(value, 'decode') else value}" if value is not None else f"FAIL no {key}")
    for name in layer_names:
        if name not in f:
            checks.append(f"FAIL no group for layer {name}")
            continue
        weight_names = load_attributes_from_hdf5_group(f[name], "weight_names")
        values = [np.asarray(f[name][w]) for w in weight_names]  # load_subset_weights_from_hdf5_group
        if any(v.dtype != np.float32 for v in values):
            checks.append(f"FAIL layer {name} has non-float32 weights")
        checks.append(f"ok {name}: weight_names {weight_names} shapes {[list(v.shape) for v in values]}")


def check_file(path, kind):
    checks = []
    result = {"kind": kind, "checks": checks}
    if kind == "keras":
        with zipfile.ZipFile(path) as zf:
            names = zf.namelist()
            result["entries"] = names
            for entry in ("metadata.json", "config.json", "model.weights.h5"):
                checks.append(f"ok entry {entry}" if entry in names else f"FAIL no entry {entry}")
            if any(info.compress_type != zipfile.ZIP_STORED for info in zf.infolist()):
                checks.append("FAIL entries are compressed (Keras stores them)")
            metadata = json.loads(zf.read("metadata.json"))
            checks.append(f"ok metadata keras_version {metadata['keras_version']}")
            config = json.loads(zf.read("config.json"))
            for key in ("module", "class_name", "config", "registered_name"):
                checks.append(f"ok config.{key}" if key in config else f"FAIL config has no {key}")
            for layer in config["config"]["layers"]:
                missing = [k for k in ("module", "class_name", "config", "registered_name") if k not in layer]
                if missing:
                    checks.append(f"FAIL layer {layer.get('class_name')} lacks {missing}")
            with h5py.File(io.BytesIO(zf.read("model.weights.h5")), "r") as h5:
                check_keras3_store(h5, config, checks)
                result["datasets"] = listing(h5)
    elif kind == "h5-model":
        with h5py.File(path, "r") as f:
            model_config = f.attrs.get("model_config")
            if hasattr(model_config, "decode"):
                model_config = model_config.decode("utf-8")
            model_config = json.loads(model_config)
            checks.append(f"ok model_config: class_name {model_config['class_name']}, {len(model_config['config']['layers'])} layers")
            if "training_config" in f.attrs:
                checks.append("ok training_config")
            check_legacy_weights(f["model_weights"], checks)
            result["datasets"] = listing(f)
    elif kind == "keras3-weights":
        with h5py.File(path, "r") as f:
            result["datasets"] = listing(f)
            checks.append(f"ok {len(result['datasets'])} datasets, root vars group {'vars' in f}")
    elif kind == "legacy-weights":
        with h5py.File(path, "r") as f:
            check_legacy_weights(f, checks)
            result["datasets"] = listing(f)
    result["ok"] = all(not c.startswith("FAIL") for c in checks)
    return result


def main():
    from_samples = {
        "sequential.keras": "keras", "functional.keras": "keras", "nested.keras": "keras", "augmented.keras": "keras",
        "sequential.h5": "h5-model", "functional.h5": "h5-model", "nested.h5": "h5-model",
        "sequential.weights.h5": "keras3-weights", "functional-legacy-weights.h5": "legacy-weights",
    }
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["npx", "tsx", "tools/keras_write_samples.ts", tmp], cwd=ROOT, check=True)
        results = {name: check_file(pathlib.Path(tmp) / name, kind) for name, kind in from_samples.items()}
    results = {"h5py_version": h5py.version.version, "hdf5_version": h5py.version.hdf5_version, "files": results}
    OUT.write_text(json.dumps(results, indent=1, sort_keys=True) + "\n")
    bad = [name for name, r in results["files"].items() if not r["ok"]]
    print(f"wrote {OUT.relative_to(ROOT)}; {'all OK' if not bad else 'FAILED: ' + ', '.join(bad)}")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
