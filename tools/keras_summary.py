"""Captures Keras 3's model.summary() text for tests/summary_test.ts (tests/fixtures/keras_summary.txt).

The models are the ones the test builds with TensorFlow.js: the article's DeepNN before and after
training (Adam, SGD), and a branching functional model with a name too long for its column.

Usage (a venv with keras and tensorflow-cpu, e.g. pip install --retries 0 keras tensorflow-cpu):
    python tools/keras_summary.py > tests/fixtures/keras_summary.txt
"""
import io
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.pop("COLUMNS", None)  # a pipe's width, as in a notebook: 80 columns

import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras import layers  # noqa: E402


def deep_nn():
    return keras.Sequential(
        [
            keras.Input(shape=(10,)),
            layers.Dense(6, activation="relu", name="h1"),
            layers.Dropout(0.2, name="drop1"),
            layers.Dense(3, activation="relu", name="h2"),
            layers.Dropout(0.2, name="drop2"),
            layers.Dense(1, activation="sigmoid", name="output"),
        ],
        name="DeepNN",
    )


def trained(optimizer):
    model = deep_nn()
    model.compile(optimizer=optimizer, loss="binary_crossentropy")
    x = np.random.default_rng(0).random((30, 10)).astype("float32")
    y = (x[:, 0] > 0.5).astype("float32")
    model.fit(x, y, epochs=1, batch_size=10, verbose=0)
    return model


def two_heads():
    numeric = keras.Input(shape=(8,), name="numeric")
    category = keras.Input(shape=(4,), name="category")
    a = layers.Dense(16, activation="relu", name="numeric_features_dense_layer")(numeric)
    b = layers.Dense(4, name="category_embedding")(category)
    merged = layers.Concatenate(name="merge")([a, b])
    hidden = layers.Dense(8, activation="relu", name="hidden")(merged)
    churn = layers.Dense(1, activation="sigmoid", name="churn")(hidden)
    spend = layers.Dense(1, name="spend")(hidden)
    return keras.Model([numeric, category], [churn, spend], name="two_heads")


def three_way():
    inputs = [keras.Input(shape=(2,), name=n) for n in ("left", "middle", "right")]
    merged = layers.Concatenate(name="all_three")(inputs)
    out = layers.Dense(1, name="out")(merged)
    return keras.Model(inputs, out, name="three_way")


def text(model):
    lines = []
    model.summary(print_fn=lambda s, **_: lines.append(s))
    return "".join(lines).rstrip("\n")


cases = {
    "deepnn": deep_nn(),
    "deepnn-adam-trained": trained("adam"),
    "deepnn-sgd-trained": trained("sgd"),
    "two-heads": two_heads(),
    "three-way": three_way(),
}
out = io.StringIO()
out.write(f"# keras {keras.__version__}: model.summary(), captured by tools/keras_summary.py\n")
for name, model in cases.items():
    out.write(f"=== {name}\n{text(model)}\n")
sys.stdout.write(out.getvalue())
