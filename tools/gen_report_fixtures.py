#!/usr/bin/python3
"""Fixtures for capa's classificationReport / confusionMatrix, from scikit-learn itself.

Run with Debian's Python (scikit-learn 1.2.1, numpy 1.24):

    /usr/bin/python3 tools/gen_report_fixtures.py

Writes test/fixtures/evaluation/report_cases.json and confusion_cases.json. Every case keeps
sklearn's exact output: the report text (byte for byte), the dict of output_dict=True, the
distinct warning messages in the order sklearn first emitted them, and confusion matrices as
nested lists of numbers (ints stay ints, floats are written with repr so they parse back exactly).
"""

import json
import os
import sys
import warnings

import numpy as np
import sklearn
from sklearn.metrics import classification_report, confusion_matrix

OUT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures", "evaluation")
ZERO_DIVISIONS = ["warn", 0, 1]


def plain(values):
    """numpy arrays / scalars to JSON-able Python values (ints stay ints)."""
    if isinstance(values, np.ndarray):
        return [plain(v) for v in values.tolist()] if values.ndim > 1 else values.tolist()
    if isinstance(values, np.generic):
        return values.item()
    if isinstance(values, dict):
        return {str(k): plain(v) for k, v in values.items()}
    if isinstance(values, list):
        return [plain(v) for v in values]
    return values


def record_warnings(fn):
    """Calls fn, returning (result, distinct warning messages in first-seen order)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = fn()
    messages = []
    for w in caught:
        text = str(w.message)
        if text not in messages:
            messages.append(text)
    return result, messages


def report_case(name, y_true, y_pred, **options):
    """One report input with its outputs for every digits / zero_division / output_dict variant asked for."""
    digits_list = options.pop("digits_list", [2, 4])
    zero_divisions = options.pop("zero_divisions", ZERO_DIVISIONS)
    variants = []
    for zero_division in zero_divisions:
        for digits in digits_list:
            kwargs = dict(options, digits=digits, zero_division=zero_division)
            text, messages = record_warnings(lambda: classification_report(y_true, y_pred, **kwargs))
            variants.append({"digits": digits, "zeroDivision": zero_division, "text": text, "warnings": messages})
        kwargs = dict(options, output_dict=True, zero_division=zero_division)
        report, messages = record_warnings(lambda: classification_report(y_true, y_pred, **kwargs))
        variants.append({"outputDict": True, "zeroDivision": zero_division, "dict": plain(report), "warnings": messages})
    case = {"name": name, "yTrue": plain(np.asarray(y_true)), "yPred": plain(np.asarray(y_pred)), "variants": variants}
    if "labels" in options:
        case["labels"] = plain(np.asarray(options["labels"]))
    if "target_names" in options:
        case["targetNames"] = list(options["target_names"])
    if "sample_weight" in options:
        case["sampleWeight"] = plain(np.asarray(options["sample_weight"]))
    return case


def confusion_case(name, y_true, y_pred, **options):
    case = {"name": name, "yTrue": plain(np.asarray(y_true)), "yPred": plain(np.asarray(y_pred)), "results": []}
    if "labels" in options:
        case["labels"] = plain(np.asarray(options["labels"]))
    if "sample_weight" in options:
        case["sampleWeight"] = plain(np.asarray(options["sample_weight"]))
    for normalize in [None, "true", "pred", "all"]:
        cm = confusion_matrix(y_true, y_pred, normalize=normalize, **options)
        case["results"].append({"normalize": normalize, "matrix": plain(cm)})
    return case


def noisy_predictions(rng, y_true, n_classes, accuracy):
    """Predictions that agree with y_true about `accuracy` of the time, else a random other class."""
    y_pred = y_true.copy()
    wrong = rng.random(len(y_true)) > accuracy
    y_pred[wrong] = rng.integers(0, n_classes, int(wrong.sum()))
    return y_pred


def report_cases():
    rng = np.random.default_rng(20230101)
    cases = []
    # scikit-learn's own docstring examples.
    cases.append(report_case("docstring multiclass with target names", [0, 1, 2, 2, 2], [0, 0, 2, 2, 1],
                             target_names=["class 0", "class 1", "class 2"]))
    cases.append(report_case("docstring label subset (micro avg)", [1, 1, 1], [1, 1, 0], labels=[1, 2, 3]))
    # Binary, integer and string labels.
    y = rng.integers(0, 2, 60)
    cases.append(report_case("binary ints", y, noisy_predictions(rng, y, 2, 0.7)))
    y = rng.choice(["cat", "dog"], 40)
    cases.append(report_case("binary strings", y, np.where(rng.random(40) < 0.75, y, rng.choice(["cat", "dog"], 40))))
    cases.append(report_case("binary only one class present", [1, 1, 1, 1], [1, 1, 1, 1]))
    # Multiclass like an MNIST test run (10 classes: numpy's pairwise sums in the 8..128 branch).
    y = rng.integers(0, 10, 400)
    cases.append(report_case("multiclass 10 classes", y, noisy_predictions(rng, y, 10, 0.93), digits_list=[2, 3, 4]))
    # Missing classes in predictions (precision ill-defined) and in truth (recall ill-defined).
    y = rng.integers(0, 4, 50)
    pred = noisy_predictions(rng, y, 4, 0.6)
    pred[pred == 2] = 1
    cases.append(report_case("class 2 never predicted", y, pred))
    y = rng.integers(0, 3, 30)
    pred = noisy_predictions(rng, y, 3, 0.6)
    pred[:3] = 3
    cases.append(report_case("class 3 predicted but never true", y, pred))
    cases.append(report_case("all predictions one class", [0, 1, 2, 0, 1, 2], [1, 1, 1, 1, 1, 1]))
    # Label subsets: micro avg, order kept as given, and the same set in another order (accuracy row).
    y = rng.integers(0, 5, 70)
    pred = noisy_predictions(rng, y, 5, 0.7)
    cases.append(report_case("label subset", y, pred, labels=[0, 2, 4]))
    cases.append(report_case("label subset reversed", y, pred, labels=[4, 1]))
    cases.append(report_case("all labels in another order", y, pred, labels=[4, 3, 2, 1, 0]))
    cases.append(report_case("labels absent from the data", [0, 1, 0, 1], [0, 1, 1, 1], labels=[2, 3]))
    cases.append(report_case("label subset with extra absent label", y, pred, labels=[1, 7]))
    # Target names of different lengths (column width from the longest), and short ones (width 12).
    y = rng.integers(0, 3, 45)
    pred = noisy_predictions(rng, y, 3, 0.8)
    cases.append(report_case("long target names", y, pred,
                             target_names=["cat", "a rather long class name", "Ñandú (Rhea americana)"]))
    cases.append(report_case("short target names", y, pred, target_names=["a", "b", "c"]))
    cases.append(report_case("digits wider than names", y, pred, target_names=["x", "y", "z"], digits_list=[14]))
    cases.append(report_case("target names with label subset mismatch warns", y, pred, labels=[0, 1, 2],
                             target_names=["first", "second"]))
    # String labels, multiclass.
    animals = np.array(["zebra", "ant", "bee", "Cat"])
    y = animals[rng.integers(0, 4, 35)]
    cases.append(report_case("string labels multiclass", y, np.where(rng.random(35) < 0.7, y, animals[rng.integers(0, 4, 35)])))
    # Exact binary ties in formatting: 1/8 -> 0.12, 3/8 -> 0.38, 5/8 -> 0.62 (round half to even).
    y_true = [0] * 8 + [1] * 8 + [2] * 8
    y_pred = [0, 1, 1, 1, 1, 1, 1, 1] + [1, 1, 1, 0, 0, 0, 0, 0] + [2, 2, 2, 2, 2, 0, 0, 0]
    cases.append(report_case("exact decimal ties", y_true, y_pred, digits_list=[1, 2, 3]))
    # Sample weights: integers, floats, and many classes (pairwise summation over >128 labels).
    y = rng.integers(0, 3, 25)
    pred = noisy_predictions(rng, y, 3, 0.7)
    cases.append(report_case("integer sample weights", y, pred, sample_weight=rng.integers(1, 4, 25)))
    cases.append(report_case("float sample weights", y, pred, sample_weight=np.round(rng.random(25) * 3, 3)))
    y = rng.integers(0, 12, 300)
    cases.append(report_case("12 classes float weights", y, noisy_predictions(rng, y, 12, 0.8),
                             sample_weight=rng.random(300), digits_list=[2, 4]))
    y = rng.integers(0, 130, 700)
    cases.append(report_case("130 classes float weights", y, noisy_predictions(rng, y, 130, 0.6),
                             sample_weight=rng.random(700) * 5, digits_list=[4], zero_divisions=["warn", 1]))
    return cases


def confusion_cases():
    rng = np.random.default_rng(7)
    cases = []
    cases.append(confusion_case("docstring", [2, 0, 2, 2, 0, 1], [0, 0, 2, 2, 0, 2]))
    cases.append(confusion_case("docstring strings", ["cat", "ant", "cat", "cat", "ant", "bird"],
                                ["ant", "ant", "cat", "cat", "ant", "cat"], labels=["ant", "bird", "cat"]))
    cases.append(confusion_case("binary", [0, 1, 0, 1], [1, 1, 1, 0]))
    y = rng.integers(0, 10, 500)
    cases.append(confusion_case("multiclass 10", y, noisy_predictions(rng, y, 10, 0.9)))
    y = rng.integers(0, 4, 40)
    pred = noisy_predictions(rng, y, 4, 0.6)
    pred[pred == 3] = 0
    cases.append(confusion_case("class never predicted (zero column)", y, pred))
    cases.append(confusion_case("label subset in custom order", y, pred, labels=[3, 1, 0]))
    cases.append(confusion_case("labels with an absent one (zero row)", y, pred, labels=[0, 1, 2, 3, 9]))
    cases.append(confusion_case("integer weights", y, pred, sample_weight=rng.integers(0, 5, 40)))
    cases.append(confusion_case("float weights", y, pred, sample_weight=rng.random(40) * 2))
    cases.append(confusion_case("labels given, empty inputs", [], [], labels=[0, 1]))
    return cases


def write_json(name, value):
    os.makedirs(OUT_DIR, exist_ok=True)
    path = os.path.join(OUT_DIR, name)
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(value, f, ensure_ascii=False)
        f.write("\n")
    os.replace(tmp, path)
    print(f"wrote {os.path.relpath(path)}")


def main():
    if not sklearn.__version__.startswith("1.2"):
        sys.exit(f"expected scikit-learn 1.2 (Debian's /usr/bin/python3), found {sklearn.__version__}")
    meta = {"generator": "tools/gen_report_fixtures.py", "sklearn": sklearn.__version__, "numpy": np.__version__}
    write_json("report_cases.json", dict(meta, cases=report_cases()))
    write_json("confusion_cases.json", dict(meta, cases=confusion_cases()))


if __name__ == "__main__":
    main()
