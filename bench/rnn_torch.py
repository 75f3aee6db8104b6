#!/usr/bin/python3
"""PyTorch's nn.LSTM / nn.GRU on the workload of bench/rnn-ops.ts (CPU, float32): batch 64, 100
steps, input 128, 256 units; forward, and forward + backward of sum(last output) w.r.t. the weights.

Usage: /usr/bin/python3 bench/rnn_torch.py [threads]   prints one JSON line of median milliseconds.
"""
import json
import statistics
import sys
import time

import torch

threads = int(sys.argv[1]) if len(sys.argv) > 1 else torch.get_num_threads()
torch.set_num_threads(threads)
B, T, I, U = 64, 100, 128, 256
torch.manual_seed(0)
x = torch.randn(B, T, I)


def median_ms(run, reps=7):
    run()
    samples = []
    for _ in range(reps):
        t0 = time.perf_counter()
        run()
        samples.append((time.perf_counter() - t0) * 1000)
    return statistics.median(samples)


result = {'threads': threads}
for name, cls in [('lstm', torch.nn.LSTM), ('gru', torch.nn.GRU)]:
    m = cls(I, U, batch_first=True)

    def forward():
        with torch.no_grad():
            m(x)

    def step():
        m.zero_grad()
        y, _ = m(x)
        y[:, -1].sum().backward()

    result[name] = {'forward_ms': median_ms(forward), 'train_step_ms': median_ms(step)}
print(json.dumps(result))
