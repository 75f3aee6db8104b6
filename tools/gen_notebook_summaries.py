#!/usr/bin/python3
"""Expected output of examples/01-redes-profundas.ts, from two outside sources.

1. The notebook itself (../shared/seed/redes-profundas-keras-notebook.md): every summary line it
   shows must appear, in order, in the regenerated output (its Markdown export dropped Keras's
   `=` rules and cut some summaries short; both are restored here).
2. Keras 2.2's `print_summary` (keras/utils/layer_utils.py), re-implemented literally below with
   Python's own `str(tuple)` and `'{:,}'`, applied to the notebook's layers. Parameter counts are
   computed from the architecture (kernel*kernel*in*out + out for convolutions, in*out + out
   for Dense).

Run: /usr/bin/python3 tools/gen_notebook_summaries.py [path/to/notebook.md]
Writes test/fixtures/models/notebook-example.txt.
"""
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NOTEBOOK = sys.argv[1] if len(sys.argv) > 1 else '/work/shared/seed/redes-profundas-keras-notebook.md'
OUT = os.path.join(ROOT, 'test', 'fixtures', 'models', 'notebook-example.txt')


def print_summary(layers, lines):
    """keras 2.2.4 print_summary for a Sequential model (sequential_like=True)."""
    line_length = 65
    positions = [int(line_length * p) for p in [.45, .85, 1.]]
    to_display = ['Layer (type)', 'Output Shape', 'Param #']

    def print_row(fields, positions):
        line = ''
        for i in range(len(fields)):
            if i > 0:
                line = line[:-1] + ' '
            line += str(fields[i])
            line = line[:positions[i]]
            line += ' ' * (positions[i] - len(line))
        lines.append(line)

    lines.append('_' * line_length)
    print_row(to_display, positions)
    lines.append('=' * line_length)
    for i, (name, cls, shape, params) in enumerate(layers):
        print_row([name + ' (' + cls + ')', shape, params], positions)
        if i == len(layers) - 1:
            lines.append('=' * line_length)
        else:
            lines.append('_' * line_length)
    total = sum(p for _, _, _, p in layers)
    lines.append('Total params: {:,}'.format(total))
    lines.append('Trainable params: {:,}'.format(total))
    lines.append('Non-trainable params: {:,}'.format(0))
    lines.append('_' * line_length)


class Stack:
    """A Sequential's layer table, with Keras 2's automatic names counted per class."""
    counts = {}

    def __init__(self, input_shape):
        self.layers = []
        self.shape = (None,) + tuple(input_shape)

    @classmethod
    def uid(cls, prefix):
        cls.counts[prefix] = cls.counts.get(prefix, 0) + 1
        return '%s_%d' % (prefix, cls.counts[prefix])

    def dense(self, units):
        params = self.shape[-1] * units + units
        self.shape = self.shape[:-1] + (units,)
        self.layers.append((self.uid('dense'), 'Dense', self.shape, params))

    def conv(self, filters):
        params = 3 * 3 * self.shape[-1] * filters + filters
        self.shape = self.shape[:-1] + (filters,)
        self.layers.append((self.uid('conv2d'), 'Conv2D', self.shape, params))

    def pool(self):
        self.shape = (None, self.shape[1] // 2, self.shape[2] // 2, self.shape[3])
        self.layers.append((self.uid('max_pooling2d'), 'MaxPooling2D', self.shape, 0))

    def flatten(self):
        n = 1
        for d in self.shape[1:]:
            n *= d
        self.shape = (None, n)
        self.layers.append((self.uid('flatten'), 'Flatten', self.shape, 0))


def main():
    lines = []
    Stack.uid('dense'), Stack.uid('dense')  # the notebook's unseen cells made dense_1, dense_2

    m = Stack([100]); m.dense(1); print_summary(m.layers, lines)
    lines.append("<Tensor 'sequential_2/dense_3/Sigmoid' shape=(1, 1) dtype=float32>")
    m = Stack([100]); m.dense(100); m.dense(1); print_summary(m.layers, lines)
    m = Stack([100]); m.dense(100); m.dense(10); print_summary(m.layers, lines)

    vgg = Stack([224, 224, 3])
    for filters in (64, 128):
        vgg.conv(filters); vgg.conv(filters); vgg.pool()
    print_summary(vgg.layers, lines)
    lines.append(str((1,) + vgg.shape[1:]))
    for _ in range(4):
        vgg.conv(256)
    vgg.pool()
    print_summary(vgg.layers, lines)
    lines.append(str(vgg.shape))
    for _ in range(2):
        for _ in range(4):
            vgg.conv(512)
        vgg.pool()
    print_summary(vgg.layers, lines)
    lines.append(str(vgg.shape))
    vgg.flatten()
    lines.append(str(vgg.shape[1] == 7 * 7 * 512))
    vgg.dense(4096)
    print_summary(vgg.layers, lines)
    vgg.dense(4096); vgg.dense(1000)
    print_summary(vgg.layers, lines)

    check_against_notebook(lines)
    tmp = OUT + '.tmp'
    with open(tmp, 'w') as f:
        f.write('\n'.join(lines) + '\n')
    os.replace(tmp, OUT)
    print('wrote', OUT, len(lines), 'lines')


def check_against_notebook(lines):
    """Every summary line of the notebook appears in order (the export keeps trailing spaces)."""
    text = open(NOTEBOOK, encoding='utf-8').read().split('\n')
    shown = [l for l in text if l.startswith(('___', 'Layer (type)', 'Total params', 'Trainable params',
                                               'Non-trainable')) or ' (Dense) ' in l or ' (Conv2D) ' in l
             or ' (MaxPooling2 ' in l]
    # Truncated blocks end with a short '__________' line: a prefix of a rule.
    pos = 0
    for line in shown:
        while pos < len(lines) and not (lines[pos] == line or (set(line) == {'_'} and lines[pos].startswith(line))):
            pos += 1
        if pos == len(lines):
            raise SystemExit('notebook line not reproduced: %r' % line)
        pos += 1
    values = ['101', '10,201', '11,110', '260,160', '20,024,384', '122,788,928', '143,667,240']
    for v in values:
        assert ('Total params: ' + v) in lines, v
    print('all %d summary lines of the notebook reproduced in order' % len(shown))


main()
