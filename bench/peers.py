"""The article's training run (and a larger one) in PyTorch, scikit-learn and Keras 3 on
TensorFlow (the article's own stack), for `deno task bench`.

Prints one JSON object per measurement on stdout:
  {"engine": ..., "run": ..., "seconds": [...], "steps": N} or {"engine": ..., "error": "not installed"}
Usage: python3 peers.py article|large [--reps N] [--set debian|pip]
  debian: Debian's python3-torch (1 thread and default threads) and python3-sklearn;
  pip:    a venv's current PyTorch and Keras 3 with the TensorFlow backend.
"""
import json
import sys
import time
import warnings

RUNS = {
    # DeepNN with 10 features: 1,000 rows, batch 30, 100 epochs -> 34 batches x 100 = 3,400 steps.
    "article": dict(rows=1000, features=10, hidden=(6, 3), epochs=100, batch=30, dropout=0.2),
    "large": dict(rows=100_000, features=100, hidden=(256, 128), epochs=3, batch=256, dropout=0.2),
}


def steps(cfg):
    return -(-cfg["rows"] // cfg["batch"]) * cfg["epochs"]


def data(cfg):
    import numpy as np
    rng = np.random.default_rng(0)
    x = rng.random((cfg["rows"], cfg["features"]), dtype=np.float32)
    y = rng.choice([1, 0], size=cfg["rows"]).astype(np.float32)
    return x, y


def torch_run(cfg, threads, reps):
    import torch
    from torch import nn
    if threads:
        torch.set_num_threads(threads)
    x, y = data(cfg)
    X, Y = torch.from_numpy(x), torch.from_numpy(y).reshape(-1, 1)
    h1, h2 = cfg["hidden"]
    times = []
    for _ in range(reps + 1):  # the first run warms up
        torch.manual_seed(0)
        model = nn.Sequential(
            nn.Linear(cfg["features"], h1), nn.ReLU(), nn.Dropout(cfg["dropout"]),
            nn.Linear(h1, h2), nn.ReLU(), nn.Dropout(cfg["dropout"]),
            nn.Linear(h2, 1), nn.Sigmoid())
        opt = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
        loss_fn = nn.BCELoss()
        t0 = time.perf_counter()
        for _ in range(cfg["epochs"]):
            order = torch.randperm(cfg["rows"])
            for i in range(0, cfg["rows"], cfg["batch"]):
                idx = order[i:i + cfg["batch"]]
                opt.zero_grad()
                loss = loss_fn(model(X[idx]), Y[idx])
                loss.backward()
                opt.step()
        times.append(time.perf_counter() - t0)
    return times[1:]


def keras_run(cfg, reps):
    import os
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import keras
    x, y = data(cfg)
    h1, h2 = cfg["hidden"]

    def build():
        keras.utils.set_random_seed(0)
        model = keras.Sequential([
            keras.Input((cfg["features"],)),
            keras.layers.Dense(h1, activation="relu"), keras.layers.Dropout(cfg["dropout"]),
            keras.layers.Dense(h2, activation="relu"), keras.layers.Dropout(cfg["dropout"]),
            keras.layers.Dense(1, activation="sigmoid")])
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        return model

    build().fit(x, y, batch_size=cfg["batch"], epochs=1, verbose=0)  # warm-up: graph tracing
    times = []
    for _ in range(reps):
        model = build()
        t0 = time.perf_counter()
        model.fit(x, y, batch_size=cfg["batch"], epochs=cfg["epochs"], shuffle=True, verbose=0)
        times.append(time.perf_counter() - t0)
    return times


def version(module):
    try:
        return __import__(module).__version__.split("+")[0]
    except Exception:
        return "?"


def sklearn_run(cfg, reps):
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier
    x, y = data(cfg)
    times = []
    for _ in range(reps + 1):
        model = MLPClassifier(hidden_layer_sizes=cfg["hidden"], batch_size=cfg["batch"],
                              max_iter=cfg["epochs"], solver="adam", random_state=0,
                              n_iter_no_change=cfg["epochs"] + 1, tol=0)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            t0 = time.perf_counter()
            model.fit(x, y)
            times.append(time.perf_counter() - t0)
    return times[1:]


def main():
    run = sys.argv[1]
    reps = int(sys.argv[sys.argv.index("--reps") + 1]) if "--reps" in sys.argv else 3
    cfg = RUNS[run]
    which = sys.argv[sys.argv.index("--set") + 1] if "--set" in sys.argv else "debian"
    if which == "pip":
        # Keras takes ~9 s per article run (per-step overhead): fewer repetitions there.
        jobs = [(lambda: f"pytorch {version('torch')} pip (default threads)",
                 lambda: torch_run(cfg, 0, reps), "torch"),
                (lambda: f"keras {version('keras')} / tensorflow {version('tensorflow')} pip",
                 lambda: keras_run(cfg, min(reps, 2)), "keras")]
    else:
        jobs = [(lambda: f"pytorch {version('torch')} debian (1 thread)",
                 lambda: torch_run(cfg, 1, reps), "torch"),
                (lambda: f"pytorch {version('torch')} debian (default threads)",
                 lambda: torch_run(cfg, 0, reps), "torch"),
                (lambda: f"scikit-learn {version('sklearn')} debian MLPClassifier",
                 lambda: sklearn_run(cfg, reps), "sklearn")]
    for label, job, module in jobs:
        try:
            if module == "keras":
                import os
                os.environ.setdefault("KERAS_BACKEND", "tensorflow")
                os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
                __import__("tensorflow")
            __import__(module)
        except ImportError:
            name = {"torch": "pytorch", "sklearn": "scikit-learn", "keras": "keras/tensorflow"}[module]
            print(json.dumps({"engine": f"{name} ({which})", "run": run, "error": "not installed"}),
                  flush=True)
            continue
        engine = label()
        try:
            print(json.dumps({"engine": engine, "run": run, "seconds": job(), "steps": steps(cfg)}), flush=True)
        except Exception as e:  # a peer failing never fails the bench
            print(json.dumps({"engine": engine, "run": run, "error": f"{type(e).__name__}: {e}"}), flush=True)


if __name__ == "__main__":
    main()
