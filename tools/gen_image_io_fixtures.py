"""Fixtures for capa's loadImg (test/fixtures/data/images/*, test/fixtures/data/load_img.json).

Run with Debian's Python (Pillow 9.4): /usr/bin/python3 tools/gen_image_io_fixtures.py

Writes small image files in several formats with Pillow, then records what Keras's
`load_img` + `img_to_array` return for them (restated from keras/src/utils/image_utils.py:
convert to the colour mode, then Image.resize with the interpolation, through the centred
aspect-ratio crop box when keep_aspect_ratio=True).
"""
import json
import os

import numpy as np
import PIL
from PIL import Image

HERE = os.path.dirname(__file__)
IMG_DIR = os.path.join(HERE, "..", "test", "fixtures", "data", "images")
OUT = os.path.join(HERE, "..", "test", "fixtures", "data", "load_img.json")

METHODS = {"nearest": Image.NEAREST, "bilinear": Image.BILINEAR, "bicubic": Image.BICUBIC,
           "lanczos": Image.LANCZOS, "box": Image.BOX, "hamming": Image.HAMMING}


def load_img(path, color_mode, target_size, interpolation, keep_aspect_ratio):
    img = Image.open(path)
    if color_mode == "grayscale":
        if img.mode not in ("L", "I;16", "I"):
            img = img.convert("L")
    elif color_mode == "rgba":
        if img.mode != "RGBA":
            img = img.convert("RGBA")
    elif color_mode == "rgb":
        if img.mode != "RGB":
            img = img.convert("RGB")
    if target_size is not None:
        width_height_tuple = (target_size[1], target_size[0])
        if img.size != width_height_tuple:
            resample = METHODS[interpolation]
            if keep_aspect_ratio:
                width, height = img.size
                target_width, target_height = width_height_tuple
                crop_height = (width * target_height) // target_width
                crop_width = (height * target_width) // target_height
                crop_height = min(height, crop_height)
                crop_width = min(width, crop_width)
                crop_box_hstart = (height - crop_height) // 2
                crop_box_wstart = (width - crop_width) // 2
                crop_box = [crop_box_wstart, crop_box_hstart, crop_box_wstart + crop_width, crop_box_hstart + crop_height]
                img = img.resize(width_height_tuple, resample, box=crop_box)
            else:
                img = img.resize(width_height_tuple, resample)
    x = np.asarray(img, dtype="float32")
    if x.ndim == 2:
        x = x.reshape((x.shape[0], x.shape[1], 1))
    return x


def main():
    os.makedirs(IMG_DIR, exist_ok=True)
    rng = np.random.RandomState(7)
    h, w = 9, 12
    # Smooth gradients plus noise: resampling differences show up, and JPEG stays close to the source.
    yy, xx = np.mgrid[0:h, 0:w]
    rgb = np.stack([xx * 255 / (w - 1), yy * 255 / (h - 1), (xx + yy) * 255 / (w + h - 2)], axis=-1)
    rgb = np.clip(rgb + rng.randint(-30, 31, rgb.shape), 0, 255).astype(np.uint8)
    alpha = rng.randint(0, 256, (h, w)).astype(np.uint8)
    alpha[0, :3] = 0
    alpha[1, :3] = 255
    files = {}
    Image.fromarray(rgb, "RGB").save(os.path.join(IMG_DIR, "rgb.png")); files["rgb.png"] = "png"
    Image.fromarray(np.dstack([rgb, alpha]), "RGBA").save(os.path.join(IMG_DIR, "rgba.png")); files["rgba.png"] = "png"
    Image.fromarray(rgb[:, :, 0], "L").save(os.path.join(IMG_DIR, "gray.png")); files["gray.png"] = "png"
    Image.fromarray(np.dstack([rgb[:, :, 1], alpha]), "LA").save(os.path.join(IMG_DIR, "gray_alpha.png")); files["gray_alpha.png"] = "png"
    Image.fromarray(rgb, "RGB").quantize(16).save(os.path.join(IMG_DIR, "palette.png")); files["palette.png"] = "png"
    Image.fromarray(rgb, "RGB").save(os.path.join(IMG_DIR, "rgb.jpg"), quality=92); files["rgb.jpg"] = "jpeg"
    Image.fromarray(rgb, "RGB").save(os.path.join(IMG_DIR, "rgb.bmp")); files["rgb.bmp"] = "bmp"
    Image.fromarray(rgb, "RGB").quantize(16).save(os.path.join(IMG_DIR, "palette.bmp")); files["palette.bmp"] = "bmp"
    Image.fromarray(rgb, "RGB").save(os.path.join(IMG_DIR, "rgb.ppm")); files["rgb.ppm"] = "ppm"
    Image.fromarray(rgb[:, :, 2], "L").save(os.path.join(IMG_DIR, "gray.pgm")); files["gray.pgm"] = "ppm"
    Image.fromarray(rgb, "RGB").save(os.path.join(IMG_DIR, "rgb.tif")); files["rgb.tif"] = "tiff"
    Image.fromarray(rgb, "RGB").quantize(32).save(os.path.join(IMG_DIR, "palette.gif")); files["palette.gif"] = "gif"
    # PNG variants the TypeScript fast path handles itself: 1-bit, 4-bit palette, palette + tRNS.
    Image.fromarray(rgb[:, :, 0] > 128).save(os.path.join(IMG_DIR, "bilevel.png")); files["bilevel.png"] = "png"
    Image.fromarray(rgb, "RGB").quantize(16).save(os.path.join(IMG_DIR, "palette_4bit.png"), bits=4); files["palette_4bit.png"] = "png"
    Image.fromarray(rgb, "RGB").quantize(16).save(os.path.join(IMG_DIR, "palette_trns.png"), transparency=3); files["palette_trns.png"] = "png"
    cases = []
    for name in files:
        path = os.path.join(IMG_DIR, name)
        for color_mode in ("rgb", "rgba", "grayscale"):
            cases.append({"file": name, "colorMode": color_mode, "targetSize": None, "interpolation": "nearest",
                          "keepAspectRatio": False})
            full = name in ("rgb.png", "rgba.png", "gray_alpha.png")
            for interpolation in METHODS:
                for target in ((5, 7), (17, 16)):
                    for keep in (False, True):
                        if not full and (interpolation not in ("nearest", "bilinear") or keep or target[0] > 5):
                            continue
                        if full and target[0] > 5 and (keep or interpolation not in ("nearest", "bilinear", "bicubic")):
                            continue
                        cases.append({"file": name, "colorMode": color_mode, "targetSize": list(target),
                                      "interpolation": interpolation, "keepAspectRatio": keep})
    for c in cases:
        x = load_img(os.path.join(IMG_DIR, c["file"]), c["colorMode"], c["targetSize"], c["interpolation"], c["keepAspectRatio"])
        c["shape"] = list(x.shape)
        c["expected"] = [int(v) for v in x.ravel()]
    # tf.image.resize (half-pixel centres, no antialias), as image_dataset_from_directory uses it.
    # PyTorch computes the same maps: bilinear with align_corners=False, and 'nearest-exact'.
    import torch
    import torch.nn.functional as F
    src = torch.from_numpy(np.asarray(Image.open(os.path.join(IMG_DIR, "rgb.png")), dtype=np.float32)).permute(2, 0, 1)[None]
    tf_cases = []
    for size in ((4, 5), (13, 17), (9, 12)):
        for method, mode in (("bilinear", "bilinear"), ("nearest", "nearest-exact")):
            kwargs = {"align_corners": False} if mode == "bilinear" else {}
            out = F.interpolate(src, size=size, mode=mode, **kwargs)[0].permute(1, 2, 0).numpy()
            tf_cases.append({"file": "rgb.png", "size": list(size), "interpolation": method,
                             "expected": [round(float(v), 4) for v in out.ravel()]})
    with open(OUT + ".tmp", "w") as f:
        json.dump({"generator": f"tools/gen_image_io_fixtures.py (Pillow {PIL.__version__}, torch {torch.__version__})",
                   "cases": cases, "tfResize": tf_cases}, f, separators=(",", ":"))
    os.replace(OUT + ".tmp", OUT)
    print(f"wrote {len(files)} images and {len(cases)} load_img cases")


if __name__ == "__main__":
    main()
