"""Pieces of the Python an ONNX export's README shows: open the file in onnxruntime, encode one
input, run it. Each exporting task writes its own answer from them (``Task.onnx_snippet``)."""

from __future__ import annotations

SOFTMAX = ("probabilities = np.exp(logits - logits.max())\n"
           "probabilities /= probabilities.sum()\n"
           "print(labels[int(probabilities.argmax())], float(probabilities.max()))")


def session(file: str) -> str:
    """The onnxruntime session and the input names it takes."""
    return (f"session = ort.InferenceSession(\"{file}\")\n"
            "wanted = [i.name for i in session.get_inputs()]\n")


def text_head(file: str) -> str:
    """Imports, the session and the exported tokenizer."""
    return ("import numpy as np\nimport onnxruntime as ort\n"
            "from transformers import AutoTokenizer\n" + session(file) +
            "tokenizer = AutoTokenizer.from_pretrained(\".\")\n")


def text_run(pair: bool) -> str:
    """One text (or pair) encoded and run; leaves the first row's ``logits``."""
    text = "\"First text\", \"Second text\"" if pair else "\"Your text here\""
    return (f"inputs = tokenizer({text}, return_tensors=\"np\")\n"
            "logits = session.run(None, {k: inputs[k] for k in wanted})[0][0]\n")
