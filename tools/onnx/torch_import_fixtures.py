"""ONNX import fixtures: PyTorch models exported with torch.onnx.export, plus inputs and PyTorch's outputs.

Usage: /usr/bin/python3 tools/onnx/torch_import_fixtures.py OUT_DIR NAME [NAME ...]
Writes OUT_DIR/NAME.onnx and OUT_DIR/NAME.json ({inputs, outputs}: name, shape, flat values).
Small models (tiny_cnn, small_convnet, op_zoo, view_batch, transformer_op17, transformer_op13) are committed under test/fixtures/onnx;
the torchvision ones (resnet50, vgg11, mobilenet_v2) are big and generated at test time.
"""
import json
import os
import sys

import torch
import torch.nn as nn
import torchvision


def randomize_batchnorm(model, gen):
    # Fresh torchvision models have mean 0 / var 1 / weight 1 / bias 0: give inference something to do.
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            c = m.num_features
            m.running_mean.copy_(torch.randn(c, generator=gen) * 0.1)
            m.running_var.copy_(torch.rand(c, generator=gen) * 0.5 + 0.75)
            m.weight.data.copy_(torch.rand(c, generator=gen) * 0.5 + 0.75)
            m.bias.data.copy_(torch.randn(c, generator=gen) * 0.1)


class TinyCnn(nn.Module):
    """Layout-sensitive ops on an NCHW graph: channel concat/split/softmax, pads, resize, slices, flatten of a 3x3 map."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 8, 3, padding=1)
        self.bn1 = nn.BatchNorm2d(8)
        self.dw = nn.Conv2d(8, 8, 3, stride=2, padding=1, groups=8)
        self.conv2 = nn.Conv2d(16, 12, 1)
        self.conv3 = nn.Conv2d(12, 6, 3, stride=2, padding=0)
        self.fc = nn.Linear(6 * 3 * 3, 10)

    def forward(self, x):
        y = torch.relu(self.bn1(self.conv1(x)))                   # N,8,16,16
        y = torch.nn.functional.pad(y, (1, 0, 0, 1))               # N,8,17,17
        y = self.dw(y)                                             # N,8,9,9
        a, b = torch.split(y, [3, 5], dim=1)
        z = torch.cat([torch.sigmoid(a), torch.tanh(b), y], dim=1)  # N,16,9,9
        z = torch.clamp(self.conv2(z), 0.0, 6.0)                   # N,12,9,9
        z = z * torch.softmax(z, dim=1) + z.mean(dim=(2, 3), keepdim=True)
        z = torch.nn.functional.interpolate(z, scale_factor=2, mode='nearest')  # N,12,18,18
        z = z[:, :, 1:17, 1:17]                                    # N,12,16,16
        z = torch.nn.functional.max_pool2d(z, 3, stride=2, padding=1)  # N,12,8,8
        z = torch.nn.functional.avg_pool2d(z, 2, stride=1)         # N,12,7,7
        z = self.conv3(z)                                          # N,6,3,3
        z = torch.flatten(z, 1)
        return torch.log_softmax(self.fc(z), dim=1)


class SmallConvNet(nn.Module):
    """Only ops that map to Keras layers (conv, batch norm, ReLU, padded max pool, residual add,
    global pool, flatten, linear), so the imported model saves to .keras."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 8, 3, stride=2, padding=1, bias=False), nn.BatchNorm2d(8), nn.ReLU())
        self.pool = nn.MaxPool2d(3, stride=2, padding=1)
        self.block = nn.Sequential(nn.Conv2d(8, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(), nn.Conv2d(8, 8, 1))
        self.head = nn.Linear(8, 5)

    def forward(self, x):
        y = self.pool(self.stem(x))
        y = torch.relu(y + self.block(y))
        return self.head(torch.flatten(nn.functional.adaptive_avg_pool2d(y, 1), 1))


class OpZoo(nn.Module):
    """One output per case: NCHW outputs, flatten into non-linear ops, padded and ceil-mode pools,
    channel gathers, reductions, reflect pads, comparisons and Where, Expand, batched MatMul,
    batch-axis concat, nearest resize to a size, softmax on H, chunks, layer norm on W, GELU, clamp,
    bilinear resizes (up by 2, to a size with align_corners, down)."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3, padding=1)
        self.fc = nn.Linear(4 * 8 * 8, 6)
        self.norm = nn.LayerNorm(8)

    def forward(self, x):
        f = nn.functional
        c = self.conv(x)                                            # N,4,8,8
        return (
            c,
            self.fc(torch.relu(torch.flatten(c, 1))),
            f.max_pool2d(c, 3, stride=2, padding=1),
            f.avg_pool2d(c, 3, stride=2, padding=1, ceil_mode=True, count_include_pad=False),
            f.max_pool2d(c[:, :, :7, :7], 2, stride=2, ceil_mode=True),
            c[:, 2],
            c[:, [0, 3]],
            c.mean(dim=1, keepdim=True).squeeze(1).unsqueeze(-1),
            c.sum(dim=1) + c.amax(dim=(2, 3)).unsqueeze(-1).unsqueeze(-1).sum(dim=1),
            f.pad(c, (1, 1, 2, 0), mode='reflect'),
            torch.where(c > 0, c, 0.1 * c),
            c[:, :1].expand(-1, 4, -1, -1) * c,
            torch.matmul(c.flatten(2), c.flatten(2).transpose(1, 2)),
            torch.cat([c, -c], 0),
            torch.sqrt(c.pow(2) + 1) / 3 - c,
            f.interpolate(c, size=(16, 16), mode='nearest'),
            torch.softmax(c, dim=2),
            torch.chunk(c, 2, dim=1)[1],
            self.norm(c),
            f.gelu(c),
            torch.clamp(c, -0.5, 0.5),
            f.interpolate(c, scale_factor=2, mode='bilinear', align_corners=False),
            f.interpolate(c, size=(11, 13), mode='bilinear', align_corners=True),
            f.interpolate(c, size=(5, 6), mode='bilinear', align_corners=False),
        )


class ViewBatch(nn.Module):
    """`x.view(x.size(0), -1)` on a free batch: Shape -> Gather -> Unsqueeze -> Concat -> Reshape."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3, stride=2)
        self.fc = nn.Linear(4 * 3 * 3, 5)

    def forward(self, x):
        y = torch.relu(self.conv(x))
        return self.fc(y.view(y.size(0), -1))


def transformer():
    layer = nn.TransformerEncoderLayer(d_model=32, nhead=4, dim_feedforward=64, dropout=0.0, activation='gelu', batch_first=True)
    return nn.TransformerEncoder(layer, num_layers=2, norm=nn.LayerNorm(32))


def vgg11_small():
    # torchvision's vgg11 at 64x64: its adaptive 7x7 average pool has no ONNX export for a 2x2 map
    # (7 is no multiple of 2), so the pool is dropped and the first classifier layer reads 512*2*2.
    model = torchvision.models.vgg11(num_classes=10)
    model.avgpool = nn.Identity()
    model.classifier[0] = nn.Linear(512 * 2 * 2, 4096)
    return model


# name: (constructor, input shape, opset, dynamic batch, keep BatchNormalization nodes)
# torch folds eval-mode batch norms into the convolutions before them; the small CNNs keep them
# (TrainingMode.PRESERVE on an eval model skips that pass) so BatchNormalization is imported too.
MODELS = {
    'tiny_cnn': (TinyCnn, (2, 3, 16, 16), 13, True, True),
    'small_convnet': (SmallConvNet, (2, 3, 16, 16), 13, True, True),
    'op_zoo': (OpZoo, (2, 3, 8, 8), 13, False, False),
    'view_batch': (ViewBatch, (3, 3, 8, 8), 13, True, False),
    'transformer_op17': (transformer, (2, 6, 32), 17, False, False),
    'transformer_op13': (transformer, (2, 6, 32), 13, False, False),
    'resnet50': (lambda: torchvision.models.resnet50(num_classes=10), (2, 3, 64, 64), 13, True, True),
    'vgg11': (vgg11_small, (2, 3, 64, 64), 13, True, False),
    'mobilenet_v2': (lambda: torchvision.models.mobilenet_v2(num_classes=10), (2, 3, 64, 64), 13, True, False),
}


def main():
    out_dir, names = sys.argv[1], sys.argv[2:]
    os.makedirs(out_dir, exist_ok=True)
    for name in names:
        ctor, shape, opset, dynamic_batch, keep_batchnorm = MODELS[name]
        torch.manual_seed(0)
        gen = torch.Generator().manual_seed(1)
        model = ctor()
        with torch.no_grad():
            randomize_batchnorm(model, gen)
        model.eval()
        x = torch.randn(*shape, generator=gen)
        with torch.no_grad():
            y = model(x)
        ys = list(y) if isinstance(y, tuple) else [y]
        output_names = [f'output_{i}' for i in range(len(ys))] if isinstance(y, tuple) else ['output']
        path = os.path.join(out_dir, f'{name}.onnx')
        tmp = path + '.tmp'
        torch.onnx.export(
            model, (x,), tmp, opset_version=opset, input_names=['input'], output_names=output_names,
            dynamic_axes={'input': {0: 'batch'}, **{n: {0: 'batch'} for n in output_names}} if dynamic_batch else None,
            do_constant_folding=True,
            training=torch.onnx.TrainingMode.PRESERVE if keep_batchnorm else torch.onnx.TrainingMode.EVAL,
        )
        os.replace(tmp, path)
        record = {
            'inputs': [{'name': 'input', 'shape': list(x.shape), 'data': x.flatten().tolist()}],
            'outputs': [{'name': n, 'shape': list(t.shape), 'data': t.flatten().tolist()} for n, t in zip(output_names, ys)],
        }
        with open(path[:-5] + '.json.tmp', 'w') as f:
            json.dump(record, f)
        os.replace(path[:-5] + '.json.tmp', path[:-5] + '.json')
        print(name, os.path.getsize(path), 'bytes')


if __name__ == '__main__':
    main()
