"""ONNX files of an encoder run (text classification, pairs, multi-label, regression, tagging,
extractive QA, image classification), each run in onnxruntime and compared with the PyTorch
model on the task's probe before it is kept, with an optional dynamically quantized int8 copy.

Written with torch's own exporter (``torch.onnx.export(dynamo=True)``), not Optimum's: the only
release of optimum-onnx (0.1.0) requires transformers < 4.58 and fails to import under
transformers 5 (huggingface/optimum-onnx#114). The folder has the layout Optimum's ORTModel
classes read (model.onnx, config.json, the tokenizer). torch's older TorchScript exporter is not
used: on all-MiniLM-L6-v2 its file's logits were 0.02 off for an input of another length.

The packages (onnx, onnxscript, onnxruntime: about 125 MB) are the optional extra ``[onnx]``.
"""

from __future__ import annotations

import contextlib
import json
import logging
import sys
from dataclasses import dataclass, field
from pathlib import Path

from pft_desktop.core.errors import UserError

PACKAGES = ("onnx", "onnxscript", "onnxruntime")
INSTALL = "pip install 'pft-desktop[onnx]'  (or: pip install onnx onnxscript onnxruntime)"
MODEL_FILE, INT8_FILE, DETAILS_FILE = "model.onnx", "model_int8.onnx", "onnx_export.json"
# Largest difference allowed between onnxruntime and PyTorch on the task's probe (probabilities;
# a regression's value over its targets' scale). fp32 is also held to it on the raw outputs of a
# padded batch (over max(1, the largest output)); measured: 2e-8 on all-MiniLM-L6-v2. int8 is
# quantization noise, so only the probe counts, loosely: 0.016 on all-MiniLM-L6-v2 after 40
# LoRA steps (over the 600 sample reviews: same label on all, median 0.0004, 99th percentile
# 0.0075, one review 0.16; benchmarks/bench_onnx.py), 2e-4 on the tests' tiny BERT.
FP32_TOLERANCE, INT8_TOLERANCE = 1e-4, 0.1
EXTERNAL_DATA_BYTES = 1_800_000_000  # protobuf's 2 GB limit: bigger weights go beside the file


def require_packages() -> None:
    """Refuse, naming the pip command, when a package the export needs is missing."""
    import importlib

    missing = []
    for name in PACKAGES:
        try:
            importlib.import_module(name)
        except ImportError:
            missing.append(name)
    if missing:
        raise UserError("missing_package", f"ONNX export needs {', '.join(missing)}, which "
                        f"{'is' if len(missing) == 1 else 'are'} not installed.",
                        f"Install the ONNX extra: {INSTALL}")


def onnx_tasks() -> list[str]:
    """The tasks whose models export to ONNX (each says so: ``Task.onnx``)."""
    from pft_desktop.core.tasks import all_tasks

    return [task.name for task in all_tasks() if task.onnx]


def check_task(info: dict, model_dir: Path) -> str:
    from pft_desktop.core.tasks import TASK_IDS, get_task

    task = info.get("task") or ""
    spec = get_task(task) if task in TASK_IDS else None
    if spec is None or not spec.onnx:
        gguf = spec is not None and spec.auto_class_for(info) == "AutoModelForCausalLM"
        raise UserError("onnx_unsupported_task", f"The run in {model_dir.parent.name} trained a "
                        f"{task or 'model'} model; ONNX export covers the encoder tasks "
                        f"({', '.join(onnx_tasks())}).", "Export it as a merged folder or an "
                        "adapter instead" + ("; a causal language model also exports as GGUF."
                                             if gguf else "."))
    return task


class OnnxModel:
    """An ONNX file in onnxruntime behind the call a task's probe makes on a transformers model
    (``model(**inputs).logits``), so every task's probe runs on it unchanged."""

    def __init__(self, path: Path, threads: int = 0):
        import onnxruntime

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads  # 0: onnxruntime's choice
        self.session = onnxruntime.InferenceSession(str(path), options,
                                                    providers=["CPUExecutionProvider"])
        self.inputs = [i.name for i in self.session.get_inputs()]
        self.outputs = [o.name for o in self.session.get_outputs()]

    def feed(self, batch) -> dict:
        return {name: batch[name].numpy() if hasattr(batch[name], "numpy") else batch[name]
                for name in self.inputs}

    def __call__(self, **batch):
        from types import SimpleNamespace

        import torch

        results = self.session.run(None, self.feed(batch))
        return SimpleNamespace(**{name: torch.from_numpy(value)
                                  for name, value in zip(self.outputs, results)})

    def eval(self):
        return self

    @property
    def dtype(self):
        """Probes cast their inputs to the model's dtype; the exported graph takes float32."""
        import torch

        return torch.float32


@dataclass
class Source:
    """The merged model to export and what its ONNX files must reproduce: the run's own model's
    probe rows and its outputs on a padded batch (a traced-away attention mask shows there)."""

    model: object
    processor: object
    info: dict
    sample: dict
    expected_probe: list
    expected_batch: dict = field(default_factory=dict)

    @property
    def parameters(self) -> int:
        return sum(p.numel() for p in self.model.parameters())


def load_source(model_dir: Path) -> Source:
    """The run's model as predict loads it (an adapter on its base), probed, then merged."""
    import torch

    from pft_desktop.core.predict import load_model_for_inference
    from pft_desktop.core.tasks import get_task

    model, processor, info = load_model_for_inference(model_dir)
    task = get_task(info["task"])
    sample = task.onnx_sample(processor)
    with torch.no_grad():
        expected_probe = task.probe(model, processor, info)
        output = model(**sample)
    expected = {name: value.detach().float().numpy() for name, value in output.items()
                if isinstance(value, torch.Tensor)}
    if hasattr(model, "merge_and_unload"):  # a LoRA run
        model = model.merge_and_unload()
    return Source(model.eval(), processor, info, sample, expected_probe, expected)


def estimate_bytes(parameters: int, int8: bool) -> int:
    return parameters * 4 + (parameters + (8 << 20) if int8 else 0) + (32 << 20)


def write_onnx(source: Source, path: Path) -> None:
    import torch

    dims = {0: "batch"} if "pixel_values" in source.sample else {0: "batch", 1: "sequence"}
    names = list(source.expected_batch)
    try:
        with torch.no_grad(), contextlib.redirect_stdout(sys.stderr):
            torch.onnx.export(source.model, (), str(path), kwargs=source.sample,
                              input_names=list(source.sample), output_names=names,
                              dynamic_shapes={name: dims for name in source.sample},
                              dynamo=True, verbose=False,
                              external_data=_large(source))
    except Exception as exc:
        if isinstance(exc, UserError) or _is_disk_full(exc):
            raise
        architecture = (getattr(source.model.config, "architectures", None) or ["model"])[0]
        first = (str(exc).strip().splitlines() or [""])[0][:300]
        raise UserError("onnx_export_failed", f"torch could not turn {architecture} into ONNX "
                        f"({type(exc).__name__}: {first}).", "Export a merged model instead; "
                        "a newer torch may export this architecture.") from exc


def quantize_int8(source: Source, fp32: Path, path: Path) -> None:
    """Dynamic quantization: int8 weights for the matrix products, activations quantized on
    the fly; no calibration data is needed. Per channel: on two 40-step LoRA fine-tunes of
    all-MiniLM-L6-v2 it cut the 95th percentile of the probability error over the sample
    reviews 2-5x (to 0.0012 and 0.0014) and the probe's to 0.030 and 0.016 (from 0.035 and
    0.10), for about 0.1 ms a call; reduce_range (7-bit weights) flipped 3 of 600 labels."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    with _without_preprocessing_hint():
        quantize_dynamic(fp32, path, weight_type=QuantType.QInt8, per_channel=True,
                         use_external_data_format=_large(source))


def check_file(source: Source, path: Path, tolerance: float, batch: bool = True) -> float:
    """The largest difference between the file in onnxruntime and the run's model, on the
    task's probe (and, with ``batch``, on the padded batch); a UserError when it is above
    ``tolerance``."""
    import numpy as np

    from pft_desktop.core.tasks import get_task

    runner = OnnxModel(path)
    probe = get_task(source.info["task"]).probe(runner, source.processor, source.info)
    same_shape = [len(row) for row in probe] == [len(row) for row in source.expected_probe]
    worst = max((abs(a - b) for got, want in zip(probe, source.expected_probe)
                 for a, b in zip(got, want)), default=0.0)
    results = runner.session.run(None, runner.feed(source.sample)) if batch else []
    for name, got in zip(runner.outputs, results):
        want = source.expected_batch.get(name)
        if want is None or want.shape != got.shape:
            same_shape = False
            continue
        worst = max(worst, float(np.abs(got - want).max()) / max(1.0, float(np.abs(want).max())))
    if not same_shape or not worst <= tolerance:
        raise UserError("export_mismatch", f"The ONNX file {path.name} predicts differently "
                        f"from the trained model (outputs differ by up to {worst:.2g}, "
                        f"{tolerance:g} allowed) in onnxruntime, so nothing was kept.",
                        "Export a merged model instead, or report this with the run's "
                        "train.log.")
    return worst


def write_export(source: Source, staging: Path, int8: bool, progress) -> dict:
    """model.onnx (and model_int8.onnx), each checked; the tokenizer, config, details and a
    README go beside them. Returns the details."""
    import onnxruntime
    import torch

    files = {}
    progress("Writing model.onnx with torch's ONNX exporter")
    write_onnx(source, staging / MODEL_FILE)
    progress("Checking model.onnx in onnxruntime against the trained model")
    files[MODEL_FILE] = _file_entry(staging, MODEL_FILE,
                                    check_file(source, staging / MODEL_FILE, FP32_TOLERANCE),
                                    FP32_TOLERANCE)
    if int8:
        progress("Writing model_int8.onnx (dynamic int8 quantization)")
        quantize_int8(source, staging / MODEL_FILE, staging / INT8_FILE)
        progress("Checking model_int8.onnx in onnxruntime against the trained model")
        files[INT8_FILE] = _file_entry(staging, INT8_FILE,
                                       check_file(source, staging / INT8_FILE, INT8_TOLERANCE,
                                                  batch=False), INT8_TOLERANCE)
    for name, entry in files.items():
        progress(f"{name}: {entry['bytes'] / 2**20:.1f} MB, outputs within "
                 f"{entry['max_difference']:.2g} of the trained model's")
    source.model.config.save_pretrained(staging)
    source.processor.save_pretrained(staging)
    runner = OnnxModel(staging / MODEL_FILE)
    details = {"task": source.info["task"], "files": files, "inputs": runner.inputs,
               "outputs": runner.outputs, "opset": _opset(staging / MODEL_FILE),
               "exporter": f"torch.onnx.export(dynamo=True), torch {torch.__version__}",
               "checked_with": f"onnxruntime {onnxruntime.__version__}",
               "parameters": source.parameters}
    (staging / DETAILS_FILE).write_text(json.dumps(details, indent=2) + "\n", encoding="utf-8")
    (staging / "README.md").write_text(readme(source.info, details), encoding="utf-8")
    return details


def readme(info: dict, details: dict) -> str:
    files = details["files"]
    rows = "\n".join(f"| `{name}` | {entry['bytes'] / 2**20:.1f} MB | "
                     f"{entry['max_difference']:.2g} (allowed {entry['tolerance']:g}) |"
                     for name, entry in files.items())
    labels = info.get("label_names") or []
    return (f"# {info.get('task')} model in ONNX\n\n"
            f"Fine-tuned from `{info.get('base_model_source') or info.get('base_model')}` with "
            f"pft-desktop ({info.get('method')}), exported with "
            f"{details['exporter']} (opset {details['opset']}). Inputs: "
            f"{', '.join(details['inputs'])}; outputs: {', '.join(details['outputs'])}.\n\n"
            "Each file was run in onnxruntime and compared with the trained PyTorch model on a "
            "fixed probe (probabilities), model.onnx also on the raw outputs of a padded batch "
            "(relative to their size):\n\n| File | Size | Largest difference |\n|---|---|---|\n"
            f"{rows}\n\n" + (f"Labels: {', '.join(map(str, labels))}.\n\n" if labels else "") +
            "## Use it with onnxruntime\n\n```python\n" + _snippet(info, next(iter(files))) +
            "\n```\n\n`model_int8.onnx` (when present) loads the same way: about a quarter of "
            "the size and faster on a CPU, slightly less exact.\n\n## Or with Optimum\n\n"
            "Where optimum-onnx installs (its 0.1.0 needs transformers < 4.58; a text "
            "classifier was checked with it and transformers 4.57):\n\n```python\n"
            f"from optimum.onnxruntime import {_optimum_class(info)}\n"
            f"model = {_optimum_class(info)}.from_pretrained(\".\")  # file_name=\""
            f"{INT8_FILE}\": the int8 copy\n```\n")


def _optimum_class(info: dict) -> str:
    from pft_desktop.core.tasks import get_task

    auto = get_task(info.get("task") or "classification").auto_class_for(info)
    return auto.replace("AutoModelFor", "ORTModelFor")


def _snippet(info: dict, file: str) -> str:
    from pft_desktop.core.tasks import get_task

    return get_task(info["task"]).onnx_snippet(info, file)


def _file_entry(folder: Path, name: str, worst: float, tolerance: float) -> dict:
    size = sum(p.stat().st_size for p in folder.iterdir() if p.name.startswith(name))
    return {"bytes": size, "max_difference": worst, "tolerance": tolerance}


def _opset(path: Path) -> int:
    import onnx

    model = onnx.load(str(path), load_external_data=False)
    return next((o.version for o in model.opset_import if o.domain in ("", "ai.onnx")), 0)


def _large(source: Source) -> bool:
    return source.parameters * 4 > EXTERNAL_DATA_BYTES


def _is_disk_full(exc: BaseException) -> bool:
    from pft_desktop.core.errors import is_disk_full

    return is_disk_full(exc)


@contextlib.contextmanager
def _without_preprocessing_hint():
    """quantize_dynamic logs 'Please consider to run pre-processing' on the root logger; the
    preprocessing (shape inference) is for static quantization's calibration."""
    root = logging.getLogger()
    hint = lambda record: "pre-processing" not in record.getMessage()  # noqa: E731
    root.addFilter(hint)
    try:
        yield
    finally:
        root.removeFilter(hint)
