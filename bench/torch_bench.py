#!/usr/bin/env python3
"""PyTorch (Debian python3-torch) and NumPy's OpenBLAS sgemm on the capa benchmark workloads.

Run by bench/run.ts with /usr/bin/python3. Prints one line: CAPA_BENCH_RESULT {"torch": {...}, "openblas": {...}}
with, per workload id, the value in the workload's unit and the milliseconds of each timed run.
Convolutions and models are timed in both memory formats (NCHW and channels_last) and the faster
is reported, so capa meets PyTorch at its best. The `-bf16` workloads run the same models under
torch.autocast("cpu", torch.bfloat16) (oneDNN's bf16 kernels where the CPU has AVX512_BF16).

run.ts starts this process with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE removed from its
environment (a CI setting that forces OpenBLAS's Haswell kernels), and both peers report which
OpenBLAS core and build ran ("blas" in the result).

    python3 bench/torch_bench.py --export-onnx DIR   # writes DIR/<workload>.onnx for the ONNX Runtime peer
"""
import argparse
import json
import statistics
import sys
import time

import numpy as np

MARKER = "CAPA_BENCH_RESULT "
CONV_FLOPS = 2 * 8 * 56 * 56 * 64 * 3 * 3 * 64


def time_runs(run, reps, budget_s, warmup=1):
    """Warm-up (at least `warmup` runs, up to half a second for fast runs), then at least `reps`
    timed runs (up to a second of them for fast runs), stopping once the budget is spent."""
    start = time.perf_counter()
    count = 0
    while count < warmup or (time.perf_counter() - start < 0.5 and count < 50):
        run()
        count += 1
    samples, measured = [], 0.0
    while True:
        t0 = time.perf_counter()
        run()
        ms = (time.perf_counter() - t0) * 1000
        samples.append(ms)
        measured += ms
        if time.perf_counter() - start > budget_s:
            break
        if len(samples) >= reps and (measured >= 1000 or len(samples) >= 200):
            break
    return samples


def result(unit, samples, flops=None, per_run=1, note=None):
    ms = statistics.median(samples)
    if unit == "GFLOP/s":
        value = flops / (ms * 1e6)
    elif unit == "samples/s":
        value = per_run * 1000 / ms
    else:
        value = ms
    out = {"value": value, "samplesMs": samples}
    if note:
        out["note"] = note
    return out


def best(a, b):
    """The faster of two results (by median time)."""
    return a if statistics.median(a["samplesMs"]) <= statistics.median(b["samplesMs"]) else b


def blas_kernel():
    """Which BLAS this process loaded and which of OpenBLAS's kernels (core type) it runs, from
    openblas_get_corename / openblas_get_config, plus the variables that would force a core."""
    import ctypes
    import os
    from threadpoolctl import threadpool_info

    info = [i for i in threadpool_info() if i.get("user_api") == "blas"]
    if not info:
        return "no BLAS loaded"
    lib = info[0]
    desc = f"{lib.get('internal_api')} {lib.get('version')}"
    if lib.get("internal_api") == "openblas":
        so = ctypes.CDLL(lib["filepath"])
        for fn in ("openblas_get_corename", "openblas_get_config"):
            getattr(so, fn).restype = ctypes.c_char_p
        desc += f" core {so.openblas_get_corename().decode()} [{so.openblas_get_config().decode().strip()}]"
    forced = [f"{v}={os.environ[v]}" for v in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE") if v in os.environ]
    return desc + (f" ({', '.join(forced)})" if forced else " (OPENBLAS_CORETYPE, OPENBLAS_L2_SIZE unset)")


def openblas(items, reps):
    from threadpoolctl import threadpool_limits

    note = blas_kernel()
    out = {}
    for n in (1024, 2048):
        for t in (1, 2):
            key = f"sgemm-{n}-{t}t"
            if key not in items:
                continue
            a = np.random.rand(n, n).astype(np.float32)
            b = np.random.rand(n, n).astype(np.float32)
            with threadpool_limits(t):
                samples = time_runs(lambda: a @ b, reps, 30)
            out[key] = result("GFLOP/s", samples, 2 * n**3, note=note)
            print(f"openblas {key}: {out[key]['value']:.1f}", file=sys.stderr)
    return out


def torch_models(torch):
    nn = torch.nn

    def mnist_cnn():
        return nn.Sequential(
            nn.Conv2d(1, 32, 3), nn.ReLU(), nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
            nn.Linear(9216, 128), nn.ReLU(), nn.Linear(128, 10))

    def mlp():
        return nn.Sequential(nn.Linear(100, 100), nn.Sigmoid(), nn.Linear(100, 10))

    def vgg19():
        layers, c = [], 3
        for convs, f in ((2, 64), (2, 128), (4, 256), (4, 512), (4, 512)):
            for _ in range(convs):
                layers += [nn.Conv2d(c, f, 3, padding=1), nn.ReLU(inplace=True)]
                c = f
            layers.append(nn.MaxPool2d(2, 2))
        layers += [nn.Flatten(), nn.Linear(7 * 7 * 512, 4096), nn.ReLU(inplace=True), nn.Linear(4096, 4096),
                   nn.ReLU(inplace=True), nn.Linear(4096, 1000), nn.Softmax(dim=1)]
        return nn.Sequential(*layers)

    class Bottleneck(nn.Module):
        def __init__(self, cin, f, stride, project):
            super().__init__()
            self.short = nn.Sequential(nn.Conv2d(cin, 4 * f, 1, stride), nn.BatchNorm2d(4 * f, eps=1.001e-5)) if project else None
            self.body = nn.Sequential(
                nn.Conv2d(cin, f, 1, stride), nn.BatchNorm2d(f, eps=1.001e-5), nn.ReLU(inplace=True),
                nn.Conv2d(f, f, 3, 1, 1), nn.BatchNorm2d(f, eps=1.001e-5), nn.ReLU(inplace=True),
                nn.Conv2d(f, 4 * f, 1), nn.BatchNorm2d(4 * f, eps=1.001e-5))

        def forward(self, x):
            s = self.short(x) if self.short is not None else x
            return torch.relu(s + self.body(x))

    def resnet50():
        layers = [nn.ZeroPad2d(3), nn.Conv2d(3, 64, 7, 2), nn.BatchNorm2d(64, eps=1.001e-5), nn.ReLU(inplace=True),
                  nn.ZeroPad2d(1), nn.MaxPool2d(3, 2)]
        cin = 64
        for f, blocks, stride in ((64, 3, 1), (128, 4, 2), (256, 6, 2), (512, 3, 2)):
            for i in range(blocks):
                layers.append(Bottleneck(cin, f, stride if i == 0 else 1, i == 0))
                cin = 4 * f
        layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(2048, 1000), nn.Softmax(dim=1)]
        return nn.Sequential(*layers)

    def mobilenetv2():
        # torchvision's MobileNetV2 is Keras's (alpha 1, 224x224: the same blocks, ReLU6, 1280 features).
        import torchvision
        return nn.Sequential(torchvision.models.mobilenet_v2(weights=None, num_classes=1000), nn.Softmax(dim=1))

    return mnist_cnn, mlp, vgg19, resnet50, mobilenetv2


# The inference workloads both PyTorch and ONNX Runtime run: id -> model (batch 1, 3x224x224).
INFERENCE = ("vgg19-fwd", "resnet50-fwd", "mobilenetv2-fwd")


def inference_models(torch):
    _, _, vgg19, resnet50, mobilenetv2 = torch_models(torch)
    return dict(zip(INFERENCE, (vgg19, resnet50, mobilenetv2)))


def export_onnx(directory):
    """Exports the inference models (random weights, seed 0) for the ONNX Runtime peer as
    DIR/<id>.onnx, NCHW float32, batch 1, written under a temporary name and renamed into place."""
    import os

    import torch

    torch.manual_seed(0)
    os.makedirs(directory, exist_ok=True)
    for key, make in inference_models(torch).items():
        path = os.path.join(directory, f"{key}.onnx")
        if os.path.exists(path):
            continue
        model = make().eval()
        torch.onnx.export(model, torch.rand(1, 3, 224, 224), path + ".tmp", input_names=["input"],
                          output_names=["output"], opset_version=13)
        os.replace(path + ".tmp", path)
        print(f"exported {path}", file=sys.stderr)


def torch_bench(items, reps):
    import torch

    torch.manual_seed(0)
    mnist_cnn, mlp, vgg19, resnet50, _ = torch_models(torch)
    inference = inference_models(torch)
    cl = torch.channels_last
    out = {}

    def formats(make_run, unit, flops=None, per_run=1, budget=30):
        """Times a workload in NCHW and channels_last and keeps the faster."""
        res = []
        for fmt in (torch.contiguous_format, cl):
            run = make_run(fmt)
            res.append(result(unit, time_runs(run, reps, budget), flops, per_run,
                              note="NCHW" if fmt is torch.contiguous_format else "channels_last"))
        return best(res[0], res[1])

    for n in (1024, 2048):
        for t in (1, 2):
            key = f"sgemm-{n}-{t}t"
            if key in items:
                # torch.mm may call the system BLAS, whose threads torch.set_num_threads does not bound.
                from threadpoolctl import threadpool_limits
                torch.set_num_threads(t)
                a, b = torch.rand(n, n), torch.rand(n, n)
                with threadpool_limits(t):
                    out[key] = result("GFLOP/s", time_runs(lambda: torch.mm(a, b), reps, 30), 2 * n**3)
    torch.set_num_threads(2)

    if "conv-fwd" in items or "conv-fwd-bwd" in items:
        def conv_run(fmt, backward):
            conv = torch.nn.Conv2d(64, 64, 3, padding=1, bias=False).to(memory_format=fmt)
            x = torch.randn(8, 64, 56, 56).to(memory_format=fmt).requires_grad_(backward)
            dy = torch.randn(8, 64, 56, 56).to(memory_format=fmt)
            if not backward:
                def run():
                    with torch.no_grad():
                        conv(x)
                return run
            def run():
                x.grad = None
                conv.weight.grad = None
                conv(x).backward(dy)
            return run
        if "conv-fwd" in items:
            out["conv-fwd"] = formats(lambda f: conv_run(f, False), "ms", CONV_FLOPS)
        if "conv-fwd-bwd" in items:
            out["conv-fwd-bwd"] = formats(lambda f: conv_run(f, True), "ms", 3 * CONV_FLOPS)

    def train_run(make, x, y, opt_name, fmt=torch.contiguous_format, bf16=False):
        model = make().to(memory_format=fmt) if x.dim() == 4 else make()
        x = x.to(memory_format=fmt) if x.dim() == 4 else x
        opt = torch.optim.Adam(model.parameters(), lr=0.001) if opt_name == "adam" else \
            torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
        loss_fn = torch.nn.CrossEntropyLoss()
        def run():
            opt.zero_grad()
            # Mixed precision as PyTorch documents it for CPU: the forward pass and loss under
            # autocast, backward outside it; the weights stay float32.
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
                loss = loss_fn(model(x), y)
            loss.backward()
            opt.step()
        return run

    if "mnist-cnn-train" in items:
        x, y = torch.rand(64, 1, 28, 28), torch.arange(64) % 10
        out["mnist-cnn-train"] = formats(lambda f: train_run(mnist_cnn, x, y, "adam", f), "samples/s", per_run=64)
    if "mlp-train" in items:
        x, y = torch.randn(128, 100), torch.arange(128) % 10
        run = train_run(mlp, x, y, "adam")
        out["mlp-train"] = result("ms", time_runs(run, reps, 15))
    for key, make, bf16 in [(k, m, False) for k, m in inference.items()] + [("resnet50-fwd-bf16", resnet50, True)]:
        if key in items:
            def fwd_run(fmt, make=make, bf16=bf16):
                model = make().eval().to(memory_format=fmt)
                x = torch.rand(1, 3, 224, 224).to(memory_format=fmt)
                def run():
                    with torch.no_grad(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
                        model(x)
                return run
            out[key] = formats(fwd_run, "ms", budget=60)
    for key, bf16 in (("resnet50-train", False), ("resnet50-train-bf16", True)):
        if key in items:
            x, y = torch.rand(8, 3, 224, 224), torch.arange(8)
            out[key] = formats(lambda f, bf16=bf16: train_run(resnet50, x, y, "sgd", f, bf16), "ms", budget=90)
    out.update(sequence_bench(torch, items, reps))
    for k, v in out.items():
        print(f"torch {k}: {v['value']:.2f} {v.get('note', '')}", file=sys.stderr)
    return out, torch.__version__, blas_kernel()


# The sequence workloads' shapes (bench/lib.ts SEQUENCE): LSTM/GRU(256) over 64x100x128, its last
# output into Linear(256, 10); a 2-layer post-norm transformer encoder (d 128, 4 heads, ff 512,
# dropout 0) over 32x128x128, mean over the sequence into Linear(128, 10). MSE loss, Adam.
RNN_SHAPE = dict(batch=64, steps=100, features=128, units=256)
TRANSFORMER_SHAPE = dict(batch=32, steps=128, d_model=128, heads=4, ff=512, layers=2)
CLASSES = 10


def sequence_bench(torch, items, reps):
    nn = torch.nn

    class Recurrent(nn.Module):
        def __init__(self, kind):
            super().__init__()
            cls = nn.LSTM if kind == "lstm" else nn.GRU  # nn.GRU is reset-after, like Keras's default GRU
            self.rnn = cls(RNN_SHAPE["features"], RNN_SHAPE["units"], batch_first=True)
            self.head = nn.Linear(RNN_SHAPE["units"], CLASSES)

        def forward(self, x):
            return self.head(self.rnn(x)[0][:, -1])

    class Transformer(nn.Module):
        def __init__(self):
            super().__init__()
            d = TRANSFORMER_SHAPE["d_model"]
            layer = nn.TransformerEncoderLayer(d, TRANSFORMER_SHAPE["heads"], TRANSFORMER_SHAPE["ff"], dropout=0.0,
                                               batch_first=True)
            self.encoder = nn.TransformerEncoder(layer, TRANSFORMER_SHAPE["layers"])
            self.head = nn.Linear(d, CLASSES)

        def forward(self, x):
            return self.head(self.encoder(x).mean(dim=1))

    out = {}
    torch.set_num_threads(2)
    for key, make, shape in (
        ("lstm-train", lambda: Recurrent("lstm"), (RNN_SHAPE["batch"], RNN_SHAPE["steps"], RNN_SHAPE["features"])),
        ("gru-train", lambda: Recurrent("gru"), (RNN_SHAPE["batch"], RNN_SHAPE["steps"], RNN_SHAPE["features"])),
        ("transformer-train", Transformer,
         (TRANSFORMER_SHAPE["batch"], TRANSFORMER_SHAPE["steps"], TRANSFORMER_SHAPE["d_model"])),
    ):
        if key not in items:
            continue
        model = make()
        opt = torch.optim.Adam(model.parameters(), lr=0.001)
        x, y = torch.randn(*shape), torch.randn(shape[0], CLASSES)
        loss_fn = nn.MSELoss()

        def run(model=model, opt=opt, x=x, y=y):
            opt.zero_grad()
            loss_fn(model(x), y).backward()
            opt.step()
        out[key] = result("ms", time_runs(run, reps, 30))
    return out


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--items", default="")
    p.add_argument("--reps", type=int, default=7)
    p.add_argument("--only", choices=["pytorch", "openblas"], default=None)
    p.add_argument("--export-onnx", metavar="DIR", default=None)
    args = p.parse_args()
    if args.export_onnx:
        export_onnx(args.export_onnx)
        return
    items = set(args.items.split(",")) if args.items else None
    if not items:
        p.error("--items is required (workload ids from bench/lib.ts)")
    res = {}
    if args.only in (None, "openblas"):
        res["openblas"] = openblas(items, args.reps)
    if args.only in (None, "pytorch"):
        try:
            res["torch"], version, blas = torch_bench(items, args.reps)
            res["torchVersion"] = version
            res["torchBlas"] = blas
        except ImportError as e:
            res["torch"] = {}
            res["torchError"] = str(e)
    print(MARKER + json.dumps(res))


if __name__ == "__main__":
    main()
