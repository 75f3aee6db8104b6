"""Fixtures for capa's ImageDataGenerator transforms (test/fixtures/data/transforms.json).

Run with Debian's Python (scipy 1.10, numpy 1.24, Pillow): /usr/bin/python3 tools/gen_transform_fixtures.py

Keras is not imported: its formulas are restated here from
keras/src/legacy/preprocessing/image.py (Keras 3): transform_matrix_offset_center,
apply_affine_transform (with its x/y swap when col_axis > row_axis), apply_channel_shift,
flip_axis, apply_brightness_shift (Pillow's ImageEnhance.Brightness) and
ImageDataGenerator.fit/standardize. The affine map itself is applied by scipy.ndimage.
"""
import json
import os

import numpy as np
import scipy
import scipy.ndimage
from PIL import Image, ImageEnhance

OUT = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "data", "transforms.json")


def transform_matrix_offset_center(matrix, x, y):
    o_x = float(x) / 2 - 0.5
    o_y = float(y) / 2 - 0.5
    offset_matrix = np.array([[1, 0, o_x], [0, 1, o_y], [0, 0, 1]])
    reset_matrix = np.array([[1, 0, -o_x], [0, 1, -o_y], [0, 0, 1]])
    return np.dot(np.dot(offset_matrix, matrix), reset_matrix)


def apply_affine_transform(x, theta=0, tx=0, ty=0, shear=0, zx=1, zy=1, row_axis=1, col_axis=2,
                           channel_axis=0, fill_mode="nearest", cval=0.0, order=1):
    transform_matrix = None
    if theta != 0:
        theta = np.deg2rad(theta)
        transform_matrix = np.array([[np.cos(theta), -np.sin(theta), 0], [np.sin(theta), np.cos(theta), 0], [0, 0, 1]])
    if tx != 0 or ty != 0:
        shift_matrix = np.array([[1, 0, tx], [0, 1, ty], [0, 0, 1]])
        transform_matrix = shift_matrix if transform_matrix is None else np.dot(transform_matrix, shift_matrix)
    if shear != 0:
        shear = np.deg2rad(shear)
        shear_matrix = np.array([[1, -np.sin(shear), 0], [0, np.cos(shear), 0], [0, 0, 1]])
        transform_matrix = shear_matrix if transform_matrix is None else np.dot(transform_matrix, shear_matrix)
    if zx != 1 or zy != 1:
        zoom_matrix = np.array([[zx, 0, 0], [0, zy, 0], [0, 0, 1]])
        transform_matrix = zoom_matrix if transform_matrix is None else np.dot(transform_matrix, zoom_matrix)
    if transform_matrix is not None:
        h, w = x.shape[row_axis], x.shape[col_axis]
        transform_matrix = transform_matrix_offset_center(transform_matrix, h, w)
        x = np.rollaxis(x, channel_axis, 0)
        if col_axis > row_axis:
            transform_matrix[:, [0, 1]] = transform_matrix[:, [1, 0]]
            transform_matrix[[0, 1]] = transform_matrix[[1, 0]]
        final_affine_matrix = transform_matrix[:2, :2]
        final_offset = transform_matrix[:2, 2]
        channel_images = [
            scipy.ndimage.affine_transform(x_channel, final_affine_matrix, final_offset, order=order,
                                           mode=fill_mode, cval=cval)
            for x_channel in x
        ]
        x = np.stack(channel_images, axis=0)
        x = np.rollaxis(x, 0, channel_axis + 1)
    return x


def apply_channel_shift(x, intensity, channel_axis=0):
    x = np.rollaxis(x, channel_axis, 0)
    min_x, max_x = np.min(x), np.max(x)
    channel_images = [np.clip(x_channel + intensity, min_x, max_x) for x_channel in x]
    x = np.stack(channel_images, axis=0)
    return np.rollaxis(x, 0, channel_axis + 1)


def flip_axis(x, axis):
    x = np.asarray(x).swapaxes(axis, 0)
    x = x[::-1, ...]
    return x.swapaxes(0, axis)


def array_to_img(x, scale=True):
    # keras.src.utils.image_utils.array_to_img, channels_last, float32.
    x = np.asarray(x, dtype="float32")
    if scale:
        x = x - np.min(x)
        x_max = np.max(x)
        if x_max != 0:
            x /= x_max
        x *= 255
    if x.shape[2] == 4:
        return Image.fromarray(x.astype("uint8"), "RGBA")
    if x.shape[2] == 3:
        return Image.fromarray(x.astype("uint8"), "RGB")
    return Image.fromarray(x[:, :, 0].astype("uint8"), "L")


def img_to_array(img):
    x = np.asarray(img, dtype="float32")
    if x.ndim == 2:
        x = x.reshape((x.shape[0], x.shape[1], 1))
    return x


def apply_brightness_shift(x, brightness, scale=True):
    x_min, x_max = np.min(x), np.max(x)
    local_scale = (x_min < 0) or (x_max > 255)
    x = array_to_img(x, scale=local_scale or scale)
    x = ImageEnhance.Brightness(x).enhance(brightness)
    x = img_to_array(x)
    if not scale and local_scale:
        x = x / 255 * (x_max - x_min) + x_min
    return x


def apply_transform(x, p, fill_mode, cval, order=1):
    # ImageDataGenerator.apply_transform, channels_last (row 0, col 1, channel 2).
    x = apply_affine_transform(x, p.get("theta", 0), p.get("tx", 0), p.get("ty", 0), p.get("shear", 0),
                               p.get("zx", 1), p.get("zy", 1), row_axis=0, col_axis=1, channel_axis=2,
                               fill_mode=fill_mode, cval=cval, order=order)
    if p.get("channel_shift_intensity") is not None:
        x = apply_channel_shift(x, p["channel_shift_intensity"], 2)
    if p.get("flip_horizontal", False):
        x = flip_axis(x, 1)
    if p.get("flip_vertical", False):
        x = flip_axis(x, 0)
    if p.get("brightness") is not None:
        x = apply_brightness_shift(x, p["brightness"], False)
    return x


def flat(a):
    # 9 significant digits round-trip a float32 exactly and keep the file small.
    return [float("%.9g" % v) for v in np.asarray(a, dtype=np.float32).ravel()]


def main():
    rng = np.random.RandomState(1234)
    images = {
        "square": (rng.rand(7, 7, 3) * 255).astype(np.float32),
        "wide": (rng.rand(6, 9, 2) * 255).astype(np.float32),
        "tall": (rng.rand(8, 5, 1) * 2 - 1).astype(np.float32),
    }
    ops = {
        "rotation": {"theta": 30.0},
        "rotation_neg": {"theta": -117.0},
        "shift": {"tx": 2.5, "ty": -1.25},
        "shift_far": {"tx": 13.3, "ty": -20.6},
        "shear": {"shear": 20.0},
        "zoom": {"zx": 0.8, "zy": 1.3},
        "zoom_out": {"zx": 2.7, "zy": 3.1},
        "composition": {"theta": 12.0, "tx": 1.7, "ty": -0.9, "shear": 8.0, "zx": 0.9, "zy": 1.15},
    }
    modes = [("constant", 0.0), ("constant", 0.5), ("nearest", 0.0), ("reflect", 0.0), ("wrap", 0.0)]
    affine_cases = []
    for img_name, img in images.items():
        for op_name, params in ops.items():
            for mode, cval in modes:
                for order in (1, 0) if op_name in ("composition", "rotation") else (1,):
                    out = apply_transform(img.copy(), params, mode, cval, order)
                    affine_cases.append({
                        "name": f"{img_name}/{op_name}/{mode}/cval={cval}/order={order}",
                        "image": img_name, "params": params, "fillMode": mode, "cval": cval, "order": order,
                        "expected": flat(out),
                    })
    # Keras's function with other axis layouts: channels first (CHW) and rows after columns (WHC).
    chw = np.ascontiguousarray(np.transpose(images["wide"], (2, 0, 1)))
    whc = np.ascontiguousarray(np.transpose(images["wide"], (1, 0, 2)))
    layout_cases = []
    for layout, arr, axes in (("chw", chw, (1, 2, 0)), ("whc", whc, (1, 0, 2))):
        for mode in ("reflect", "wrap", "constant"):
            p = ops["composition"]
            out = apply_affine_transform(arr.copy(), p["theta"], p["tx"], p["ty"], p["shear"], p["zx"], p["zy"],
                                         row_axis=axes[0], col_axis=axes[1], channel_axis=axes[2],
                                         fill_mode=mode, cval=0.25)
            layout_cases.append({"name": f"{layout}/{mode}", "shape": list(arr.shape), "input": flat(arr),
                                 "rowAxis": axes[0], "colAxis": axes[1], "channelAxis": axes[2],
                                 "params": p, "fillMode": mode, "cval": 0.25, "expected": flat(out)})
    # Raw scipy maps with large offsets, to cover several periods of every mode.
    raw_cases = []
    plane = (rng.rand(5, 6) * 10).astype(np.float32)
    for k in range(12):
        matrix = rng.randn(2, 2) * 1.5
        offset = rng.randn(2) * 9
        for mode in ("constant", "nearest", "reflect", "wrap"):
            for order in (0, 1):
                out = scipy.ndimage.affine_transform(plane, matrix, offset, order=order, mode=mode, cval=-3.0)
                raw_cases.append({"name": f"raw{k}/{mode}/order={order}", "matrix": [float(v) for v in matrix.ravel()], "offset": [float(v) for v in offset],
                                  "fillMode": mode, "order": order, "cval": -3.0, "expected": flat(out)})
    # Other parts of apply_transform: channel shift, flips, brightness (Pillow), all together.
    extra_cases = []
    pics = {"square": images["square"], "rgba": (rng.rand(4, 5, 4) * 255).astype(np.float32),
            "gray": (rng.rand(5, 4, 1) * 255).astype(np.float32),
            "signed": ((rng.rand(4, 4, 3) - 0.5) * 600).astype(np.float32),
            "unit": rng.rand(4, 4, 3).astype(np.float32)}
    extras = {
        "channel_shift": {"channel_shift_intensity": 37.5},
        "channel_shift_neg": {"channel_shift_intensity": -80.25},
        "flip_h": {"flip_horizontal": True},
        "flip_v": {"flip_vertical": True},
        "brightness_dim": {"brightness": 0.63},
        "brightness_bright": {"brightness": 1.37},
        "everything": {"theta": -21.0, "tx": 0.7, "ty": 1.4, "shear": -5.0, "zx": 1.1, "zy": 0.95,
                       "channel_shift_intensity": 12.0, "flip_horizontal": True, "flip_vertical": True,
                       "brightness": 1.2},
    }
    for pic_name, pic in pics.items():
        for ex_name, params in extras.items():
            out = apply_transform(pic.copy(), params, "nearest", 0.0)
            extra_cases.append({"name": f"{pic_name}/{ex_name}", "image": pic_name, "params": params,
                                "fillMode": "nearest", "cval": 0.0, "order": 1, "expected": flat(out)})
    # fit() statistics and standardize(), restated from ImageDataGenerator.fit/standardize.
    fit_x = (rng.rand(40, 3, 2, 3) * 255).astype(np.float32)
    rescale = 1.0 / 255
    sample = (rng.rand(3, 2, 3) * 255).astype(np.float32)
    # featurewise_center + featurewise_std_normalization
    fx = np.copy(fit_x)
    fx *= rescale
    mean = np.reshape(np.mean(fx, axis=(0, 1, 2)), (1, 1, 3))
    fx -= mean
    std = np.reshape(np.std(fx, axis=(0, 1, 2)), (1, 1, 3))
    st = np.copy(sample)
    st *= rescale
    st -= mean
    st /= std + 1e-6
    # zca_whitening (Keras forces featurewise_center, drops featurewise_std_normalization)
    zx = np.copy(fit_x)
    zx *= rescale
    zmean = np.reshape(np.mean(zx, axis=(0, 1, 2)), (1, 1, 3))
    zx -= zmean
    n = len(zx)
    flat_x = np.reshape(zx, (n, -1))
    u, s, _ = np.linalg.svd(flat_x.T, full_matrices=False)
    s_inv = np.sqrt(n) / (s + 1e-6)
    zca = (u * s_inv).dot(u.T)
    zs = np.copy(sample)
    zs *= rescale
    zs -= zmean
    white = np.reshape(np.reshape(zs, (-1, 18)) @ zca, zs.shape)
    samplewise = sample.copy()
    samplewise -= np.mean(samplewise, keepdims=True)
    samplewise /= np.std(samplewise, keepdims=True) + 1e-6
    fit = {"x": flat(fit_x), "shape": list(fit_x.shape), "rescale": rescale, "mean": flat(mean), "std": flat(std),
           "sample": flat(sample), "standardized": flat(st), "zca": flat(zca), "whitened": flat(white),
           "samplewise": flat(samplewise)}
    data = {"generator": f"tools/gen_transform_fixtures.py (scipy {scipy.__version__}, numpy {np.__version__})",
            "images": {k: {"shape": list(v.shape), "values": flat(v)} for k, v in {**images, **pics}.items()},
            "plane": {"shape": list(plane.shape), "values": flat(plane)},
            "affine": affine_cases, "layouts": layout_cases, "raw": raw_cases, "extras": extra_cases, "fit": fit}
    with open(OUT + ".tmp", "w") as f:
        json.dump(data, f, separators=(",", ":"))
    os.replace(OUT + ".tmp", OUT)
    print(f"wrote {OUT}: {len(affine_cases)} affine, {len(layout_cases)} layout, {len(raw_cases)} raw, {len(extra_cases)} extra cases")


if __name__ == "__main__":
    main()
