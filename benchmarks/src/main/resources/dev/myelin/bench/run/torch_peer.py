#!/usr/bin/python3
"""Time Myelin's benchmark workloads in PyTorch on the CPU.

Run by Myelin's `bench` command (dev.myelin.bench.run.TorchPeer), once per thread count, in an
interpreter whose OMP/OpenBLAS/MKL thread variables are already pinned. Reads a plan (a JSON list
of {"benchmark": JMH name, "params": {...}}) and writes one record per workload in JMH's JSON
layout, with params.backend = "pytorch" and params.threads = the thread count, so the report treats
PyTorch like one more column.

Times are microseconds per call, as a median of calls timed one by one, the usual way a PyTorch
step time is stated: after a time-boxed warm-up, every call of a time-boxed iteration is timed on
its own with time.perf_counter(), and the iteration's sample is the median of those times. The
score is the mean of the iteration samples, so JMH's error still applies. A mean over a whole
iteration (JMH's average-time mode, which Myelin's own columns use) would carry the slow tail of a
shared machine (stolen time, a descheduled worker thread) into the figure; the median does not.

Each workload uses the PyTorch call a user would write: out= variants where PyTorch has them,
PyTorch's own backward kernels (torch.ops.aten.*_backward) where they exist, torch.optim optimizers
with Myelin's hyperparameters, and nn.Sequential + Adam for training. Training is set up like
Myelin's TrainingBenchmark: the real Fashion-MNIST images when the data set is installed, Keras's
glorot_uniform weights and zero biases (torch.nn.Linear's own init draws non-zero biases),
F.cross_entropy on the logits, zero_grad(set_to_none=True). The values did not change the time of
a step measurably on a 2-core AMD EPYC; they are aligned so that the two columns differ in the
library only. An epoch gathers the shuffled set once and takes contiguous batches.
"""
import argparse
import gzip
import json
import os
import statistics
import struct
import sys
import time

import torch
import torch.nn.functional as F


def dims(text):
    rows, cols = text.lower().split("x")
    return int(rows), int(cols)


def randn(*shape):
    return torch.randn(*shape, generator=GEN, dtype=torch.float32)


def gemm(p):
    text = p["shape"].upper()
    flags = "NN"
    if ":" in text:
        text, flags = text.split(":")
    m, k, n = (int(v) for v in text.split("X"))
    a = randn(k, m).t() if flags[0] == "T" else randn(m, k)
    b = randn(n, k).t() if flags[1] == "T" else randn(k, n)
    c = torch.empty(m, n)
    return lambda: torch.mm(a, b, out=c)


def elementwise(p):
    x = randn(*dims(p["size"]))
    y = torch.empty_like(x)
    op = p["op"]
    if op == "relu":
        return lambda: torch.clamp_min(x, 0.0, out=y)
    if op == "sigmoid":
        return lambda: torch.sigmoid(x, out=y)
    if op == "tanh":
        return lambda: torch.tanh(x, out=y)
    if op == "softmax":
        return lambda: torch.softmax(x, dim=1)
    if op == "sum":
        return lambda: torch.sum(x)
    return None


SELU_SCALE = 1.0507009873554805
SELU_ALPHA = 1.6732632423543772


def forward_fn(name, x, y):
    table = {
        "linear": lambda: y.copy_(x),
        "step": lambda: torch.gt(x, 0, out=y),
        "sigmoid": lambda: torch.sigmoid(x, out=y),
        "tanh": lambda: torch.tanh(x, out=y),
        "relu": lambda: torch.clamp_min(x, 0.0, out=y),
        "leaky_relu": lambda: F.leaky_relu(x, 0.2),
        "elu": lambda: F.elu(x, 1.0),
        "selu": lambda: F.selu(x),
        "softplus": lambda: F.softplus(x),
        "softsign": lambda: F.softsign(x),
        "exponential": lambda: torch.exp(x, out=y),
    }
    return table.get(name)


def backward_fn(name, x, y, dy):
    aten = torch.ops.aten
    table = {
        "linear": lambda: dy.clone(),
        "step": lambda: torch.zeros_like(dy),
        "sigmoid": lambda: aten.sigmoid_backward(dy, y),
        "tanh": lambda: aten.tanh_backward(dy, y),
        "relu": lambda: aten.threshold_backward(dy, y, 0.0),
        "leaky_relu": lambda: aten.leaky_relu_backward(dy, x, 0.2, False),
        "elu": lambda: aten.elu_backward(dy, 1.0, 1.0, 1.0, True, y),
        "selu": lambda: aten.elu_backward(dy, SELU_ALPHA, SELU_SCALE, 1.0, True, y),
        "softplus": lambda: aten.softplus_backward(dy, x, 1.0, 20.0),
        "softsign": lambda: dy * (1 - y.abs()).square(),
        "exponential": lambda: dy * y,
    }
    return table.get(name)


def activation(p, backward):
    name = p["activation"]
    x = randn(*dims(p["size"]))
    y = torch.empty_like(x)
    fwd = forward_fn(name, x, y)
    if fwd is None:
        return None
    out = fwd()
    if not backward:
        return fwd
    y = out.float() if out.dtype != torch.float32 else out.clone()
    return backward_fn(name, x, y, randn(*x.shape))


def reduction(p):
    x = randn(*dims(p["size"]))
    axis = p["axis"]
    dim = {"ALL": None, "PER_ROW": 1, "PER_COLUMN": 0}[axis]
    kw = {} if dim is None else {"dim": dim}
    table = {
        "SUM": lambda: torch.sum(x, **kw),
        "MEAN": lambda: torch.mean(x, **kw),
        "MAX": lambda: torch.amax(x, **kw) if dim is not None else torch.max(x),
        "MIN": lambda: torch.amin(x, **kw) if dim is not None else torch.min(x),
        "SUM_ABS": lambda: torch.linalg.vector_norm(x, 1, **kw),
        "SUM_SQUARES": lambda: torch.linalg.vector_norm(x, 2, **kw).square(),
    }
    return table.get(p["reduction"])


def argmax(p):
    x = randn(*dims(p["size"]))
    return lambda: torch.argmax(x, dim=1)


def optimizer(p):
    w = torch.nn.Parameter(randn(*dims(p["size"])) * 0.05)
    w.grad = randn(*w.shape) * 1e-3
    lr, eps = 1e-3, 1e-7
    make = {
        "SGD": lambda: torch.optim.SGD([w], lr=lr),
        "MOMENTUM": lambda: torch.optim.SGD([w], lr=lr, momentum=0.9),
        "NESTEROV": lambda: torch.optim.SGD([w], lr=lr, momentum=0.9, nesterov=True),
        "RMSPROP": lambda: torch.optim.RMSprop([w], lr=lr, alpha=0.9, eps=eps),
        "ADAGRAD": lambda: torch.optim.Adagrad([w], lr=lr, eps=eps),
        "ADADELTA": lambda: torch.optim.Adadelta([w], lr=lr, rho=0.95, eps=eps),
        "ADAM": lambda: torch.optim.Adam([w], lr=lr, eps=eps),
        "ADAMAX": lambda: torch.optim.Adamax([w], lr=lr, eps=eps),
        "NADAM": lambda: torch.optim.NAdam([w], lr=lr, eps=eps),
    }.get(p["rule"])
    if make is None:
        return None
    opt = make()
    return opt.step


FASHION_MNIST = "/usr/share/datasets/fashion-mnist"
_fashion_mnist = []


def fashion_mnist_train():
    """Fashion-MNIST's 60,000 training images (pixels / 255, one row each) and labels; None when absent.

    Loaded once per process; the same files Myelin's TrainingBenchmark reads.
    """
    if not _fashion_mnist:
        images = os.path.join(FASHION_MNIST, "train-images-idx3-ubyte.gz")
        labels = os.path.join(FASHION_MNIST, "train-labels-idx1-ubyte.gz")
        if os.path.isfile(images) and os.path.isfile(labels):
            pixels = idx(images)
            x = torch.from_numpy(pixels.reshape(pixels.shape[0], -1).astype("float32") / 255.0)
            _fashion_mnist.append((x, torch.from_numpy(idx(labels).astype("int64"))))
        else:
            _fashion_mnist.append(None)
    return _fashion_mnist[0]


def idx(path):
    """An unsigned-byte IDX file as a numpy array of its shape."""
    import numpy
    with gzip.open(path, "rb") as f:
        data = f.read()
    zero, kind, ndim = struct.unpack(">HBB", data[:4])
    if zero != 0 or kind != 0x08:
        raise ValueError("%s: not an unsigned-byte IDX file" % path)
    shape = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    return numpy.frombuffer(data, dtype=numpy.uint8, offset=4 + 4 * ndim).reshape(shape)


def network(spec):
    """Dense ReLU layers as Keras builds them: glorot_uniform weights, zero biases."""
    sizes = [int(v) for v in spec.split("-")]
    layers = []
    for i in range(len(sizes) - 1):
        linear = torch.nn.Linear(sizes[i], sizes[i + 1])
        torch.nn.init.xavier_uniform_(linear.weight)  # the global generator, seeded in main()
        torch.nn.init.zeros_(linear.bias)
        layers.append(linear)
        if i < len(sizes) - 2:
            layers.append(torch.nn.ReLU())
    return torch.nn.Sequential(*layers), sizes[0], sizes[-1]


def training_data(inputs, classes, samples):
    """The first `samples` Fashion-MNIST training rows, as Myelin's TrainingBenchmark takes them;
    uniform random pixels and labels for another shape or without the data set."""
    real = fashion_mnist_train() if (inputs, classes) == (784, 10) else None
    if real is not None and real[0].shape[0] >= samples:
        return real[0][:samples].contiguous(), real[1][:samples].contiguous()
    return torch.rand(samples, inputs, generator=GEN), torch.randint(0, classes, (samples,), generator=GEN)


def training(p, epoch):
    model, inputs, classes = network(p["net"])
    batch = int(p["batch"])
    samples = int(p.get("samples", batch))
    x_all, y_all = training_data(inputs, classes, samples if epoch else batch)
    # foreach=False (the per-tensor loop) is torch 1.13's default on the CPU; named so that a newer
    # torch, whose default differs, times the same loop.
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7, foreach=False)

    def step(x, y):
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        opt.step()

    if not epoch:
        x, y = x_all[:batch], y_all[:batch]
        return lambda: step(x, y)

    def one_epoch():
        # One gather of the shuffled set, then contiguous batches (the last one may be short).
        order = torch.randperm(samples, generator=GEN)
        xs, ys = x_all.index_select(0, order), y_all.index_select(0, order)
        for start in range(0, samples, batch):
            step(xs[start:start + batch], ys[start:start + batch])

    return one_epoch


BUILDERS = {
    "SgemmBenchmark.gemm": gemm,
    "ElementwiseBenchmark.run": elementwise,
    "ActivationBenchmark.forward": lambda p: activation(p, False),
    "ActivationBenchmark.backward": lambda p: activation(p, True),
    "ReductionBenchmark.reduce": reduction,
    "ArgmaxBenchmark.argmax": argmax,
    "OptimizerBenchmark.update": optimizer,
    "TrainingBenchmark.step": lambda p: training(p, False),
    "TrainingBenchmark.epoch": lambda p: training(p, True),
}


def short_name(benchmark):
    return ".".join(benchmark.split(".")[-2:])


TIMING = "per-call median"


def measure(fn, warmup_s, iterations, iteration_s):
    """Microseconds per call, one sample per time-boxed iteration after a time-boxed warm-up.

    Each call is timed on its own; an iteration's sample is the median of its calls' times.
    """
    end = time.perf_counter() + warmup_s
    while time.perf_counter() < end:
        fn()
    samples = []
    for _ in range(iterations):
        times = []
        end = time.perf_counter() + iteration_s
        while True:
            start = time.perf_counter()
            fn()
            now = time.perf_counter()
            times.append(now - start)
            if now >= end:
                break
        samples.append(statistics.median(times) * 1e6)
    return samples


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--plan", required=True)
    ap.add_argument("--threads", type=int, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--quick", action="store_true", help="0.6 s warm-up, 5 x 0.2 s iterations")
    args = ap.parse_args()
    # The same budget as the JMH runs: quick 2 x 0.3 s warm-up + 5 x 0.2 s; full 3 x 1 s + 5 x 1 s.
    warmup_s, iterations, iteration_s = (0.6, 5, 0.2) if args.quick else (3.0, 5, 1.0)
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    with open(args.plan) as f:
        plan = json.load(f)
    # "timing" tells the report how measure() takes its samples (dev.myelin.bench.report.PeerTiming).
    versions = {"torch": torch.__version__, "python": sys.version.split()[0],
                "torch_threads": torch.get_num_threads(), "timing": TIMING}
    try:
        import numpy
        versions["numpy"] = numpy.__version__
    except ImportError:
        pass
    records = []
    for w in plan:
        name = short_name(w["benchmark"])
        builder = BUILDERS.get(name)
        fn = builder(w["params"]) if builder else None
        if fn is None:
            print("pytorch: no equivalent of %s %s" % (name, w["params"]), file=sys.stderr)
            continue
        with torch.no_grad() if not name.startswith("TrainingBenchmark") else torch.enable_grad():
            samples = measure(fn, warmup_s, iterations, iteration_s)
        mean = sum(samples) / len(samples)
        print("pytorch %dt %-28s %-40s %12.1f us/call (mean of iteration medians)"
              % (args.threads, name, json.dumps(w["params"]), mean), file=sys.stderr)
        params = dict(w["params"])
        params["backend"] = "pytorch"
        params["threads"] = str(args.threads)
        records.append({
            "benchmark": w["benchmark"],
            "mode": "avgt",
            "threads": 1,
            "forks": 1,
            "warmupTime": "%g s" % warmup_s,
            "measurementIterations": iterations,
            "measurementTime": "%g s" % iteration_s,
            "params": params,
            "primaryMetric": {"score": mean, "scoreUnit": "us/op", "rawData": [samples]},
            "secondaryMetrics": {},
            "peer": versions,
        })
    with open(args.out, "w") as f:
        json.dump(records, f, indent=1)


GEN = torch.Generator().manual_seed(0)

if __name__ == "__main__":
    main()
