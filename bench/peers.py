"""The bench's training runs in PyTorch, scikit-learn and Keras 3 on TensorFlow (the article's
own stack), for `deno task bench` (bench/training_bench.ts, bench/mnist_bench.ts).

The run (shapes, epochs, batch) comes from the bench as JSON, and its data from the bench's
files (raw little-endian float32: <dir>/<key>-x.f32, rows x features, and <dir>/<key>-y.f32), so
every peer trains the same network on the same numbers as the lib.

Prints one JSON object per peer on stdout:
  {"engine", "seconds": [...], "steps": optimiser steps run, "samples": rows seen,
   "layers": [[in, out], ...] read from the trained model, "dtype": its weights' dtype}
  or {"engine", "error": "not installed" | "<exception>"}
Usage: python3 peers.py '<run json>' --data DIR [--reps N] [--set debian|pip] [--job NAME]
  debian: Debian's python3-torch (jobs torch-1thread, torch) and python3-sklearn (sklearn);
  pip:    the bench venv's scikit-learn (sklearn), current PyTorch (torch), and Keras 3 with
          TensorFlow (keras). --job runs one of them (the bench runs each in its own process).
"""
import json
import os
import sys
import time
import warnings


def expected_steps(cfg):
    return -(-cfg["rows"] // cfg["batch"]) * cfg["epochs"]


def data(cfg, folder):
    import numpy as np
    x = np.fromfile(os.path.join(folder, f"{cfg['key']}-x.f32"), dtype="<f4")
    y = np.fromfile(os.path.join(folder, f"{cfg['key']}-y.f32"), dtype="<f4")
    return x.reshape(cfg["rows"], cfg["features"]), y


def binary(cfg):
    return cfg["outputs"] == 1


def torch_run(cfg, x, y, threads, reps):
    import torch
    from torch import nn
    if threads:
        torch.set_num_threads(threads)
    X = torch.from_numpy(x)
    Y = torch.from_numpy(y).reshape(-1, 1) if binary(cfg) else torch.from_numpy(y).long()
    times = []
    for _ in range(reps + 1):  # the first run warms up
        torch.manual_seed(0)
        layers, width = [], cfg["features"]
        for h in cfg["hidden"]:
            layers += [nn.Linear(width, h), nn.ReLU()]
            if cfg["dropout"]:
                layers.append(nn.Dropout(cfg["dropout"]))
            width = h
        layers.append(nn.Linear(width, cfg["outputs"]))
        if binary(cfg):
            layers.append(nn.Sigmoid())
        model = nn.Sequential(*layers)
        opt = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
        # CrossEntropyLoss is softmax + sparse categorical cross-entropy, as Keras's pair.
        loss_fn = nn.BCELoss() if binary(cfg) else nn.CrossEntropyLoss()
        done = seen = 0
        t0 = time.perf_counter()
        for _ in range(cfg["epochs"]):
            order = torch.randperm(cfg["rows"])
            for i in range(0, cfg["rows"], cfg["batch"]):
                idx = order[i:i + cfg["batch"]]
                opt.zero_grad()
                loss = loss_fn(model(X[idx]), Y[idx])
                loss.backward()
                opt.step()
                done += 1
                seen += len(idx)
        times.append(time.perf_counter() - t0)
    linears = [m for m in model if isinstance(m, nn.Linear)]
    return dict(seconds=times[1:], steps=done, samples=seen,
                layers=[[m.in_features, m.out_features] for m in linears],
                dtype=str(linears[0].weight.dtype).replace("torch.", ""))


def keras_run(cfg, x, y, reps):
    import keras
    yk = y if binary(cfg) else y.astype("int32")

    def build():
        keras.utils.set_random_seed(0)
        layers = [keras.Input((cfg["features"],))]
        for h in cfg["hidden"]:
            layers.append(keras.layers.Dense(h, activation="relu"))
            if cfg["dropout"]:
                layers.append(keras.layers.Dropout(cfg["dropout"]))
        layers.append(keras.layers.Dense(cfg["outputs"],
                                         activation="sigmoid" if binary(cfg) else "softmax"))
        model = keras.Sequential(layers)
        loss = "binary_crossentropy" if binary(cfg) else "sparse_categorical_crossentropy"
        model.compile(optimizer="adam", loss=loss, metrics=["accuracy"])
        return model

    build().fit(x, yk, batch_size=cfg["batch"], epochs=1, verbose=0)  # warm-up: graph tracing
    times = []
    for _ in range(reps):
        model = build()
        t0 = time.perf_counter()
        model.fit(x, yk, batch_size=cfg["batch"], epochs=cfg["epochs"], shuffle=True, verbose=0)
        times.append(time.perf_counter() - t0)
    done = int(model.optimizer.iterations.numpy())
    dense = [l for l in model.layers if isinstance(l, keras.layers.Dense)]
    # fit sees every row once per epoch (the last batch is short).
    seen = cfg["rows"] * cfg["epochs"] if done == expected_steps(cfg) else done * cfg["batch"]
    return dict(seconds=times, steps=done, samples=seen,
                layers=[list(map(int, l.kernel.shape)) for l in dense],
                dtype=str(dense[0].kernel.dtype))


def sklearn_run(cfg, x, y, reps):
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier
    labels = y.astype("int64")
    times = []
    for _ in range(reps + 1):  # the first run warms up
        # No early stopping, so no validation split, as every other peer.
        model = MLPClassifier(hidden_layer_sizes=tuple(cfg["hidden"]), batch_size=cfg["batch"],
                              max_iter=cfg["epochs"], solver="adam", random_state=0,
                              n_iter_no_change=cfg["epochs"] + 1, tol=0, early_stopping=False)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            t0 = time.perf_counter()
            model.fit(x, labels)
            times.append(time.perf_counter() - t0)
    per_epoch = -(-cfg["rows"] // cfg["batch"])
    return dict(seconds=times[1:], steps=model.n_iter_ * per_epoch, samples=int(model.t_),
                layers=[list(c.shape) for c in model.coefs_], dtype=str(model.coefs_[0].dtype))


def version(module):
    try:
        return __import__(module).__version__.split("+")[0]
    except Exception:
        return "?"


def main():
    cfg = json.loads(sys.argv[1])
    reps = int(sys.argv[sys.argv.index("--reps") + 1]) if "--reps" in sys.argv else 3
    folder = sys.argv[sys.argv.index("--data") + 1]
    which = sys.argv[sys.argv.index("--set") + 1] if "--set" in sys.argv else "debian"
    loaded = []

    def xy():
        if not loaded:
            loaded.append(data(cfg, folder))
        return loaded[0]

    only = sys.argv[sys.argv.index("--job") + 1] if "--job" in sys.argv else None
    if which == "pip":
        # Keras takes ~9 s per article run (per-step overhead): fewer repetitions there.
        jobs = [("sklearn", lambda: f"scikit-learn {version('sklearn')} pip MLPClassifier",
                 lambda: sklearn_run(cfg, *xy(), reps), "sklearn"),
                ("torch", lambda: f"pytorch {version('torch')} pip (default threads)",
                 lambda: torch_run(cfg, *xy(), 0, reps), "torch"),
                ("keras", lambda: f"keras {version('keras')} / tensorflow {version('tensorflow')} pip",
                 lambda: keras_run(cfg, *xy(), min(reps, 2)), "keras")]
    else:
        jobs = [("torch-1thread", lambda: f"pytorch {version('torch')} debian (1 thread)",
                 lambda: torch_run(cfg, *xy(), 1, reps), "torch"),
                ("torch", lambda: f"pytorch {version('torch')} debian (default threads)",
                 lambda: torch_run(cfg, *xy(), 0, reps), "torch"),
                ("sklearn", lambda: f"scikit-learn {version('sklearn')} debian MLPClassifier",
                 lambda: sklearn_run(cfg, *xy(), reps), "sklearn")]
    jobs = [(label, job, module) for name, label, job, module in jobs if only in (None, name)]
    for label, job, module in jobs:
        try:
            if module == "keras":
                os.environ.setdefault("KERAS_BACKEND", "tensorflow")
                os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
                __import__("tensorflow")
            __import__(module)
        except ImportError:
            name = {"torch": "pytorch", "sklearn": "scikit-learn", "keras": "keras/tensorflow"}[module]
            print(json.dumps({"engine": f"{name} ({which})", "peer": module,
                              "error": "not installed"}), flush=True)
            continue
        engine = label()
        try:
            print(json.dumps({"engine": engine, "peer": module, **job()}), flush=True)
        except Exception as e:  # a peer failing never fails the bench
            print(json.dumps({"engine": engine, "peer": module,
                              "error": f"{type(e).__name__}: {e}"}), flush=True)


if __name__ == "__main__":
    main()
