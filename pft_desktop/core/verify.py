"""Is an export what the run trained? A fresh process loads the export the way a user's own
code would (plain transformers, and peft for an adapter), runs a fixed probe, and its outputs
are compared with the run's own model on the same probe. Peers ship merges that load but
predict differently; an export that does not match is not called done.

    python -m pft_desktop.core.verify EXPORT_DIR     # prints the plain load's outputs as JSON
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from pft_desktop.core.errors import UserError

PROBE = ["The first probe sentence, plain and short.", "A second one: different words, "
         "numbers 1 2 3, and punctuation!", "ok"]
TOLERANCE = 1e-4  # on probabilities; merging in fp32 moves them by about 1e-6


def _auto_class(info: dict, adapter: bool):
    """The class a user's code would load this export with."""
    import peft
    import transformers

    if info.get("task") == "classification":
        name = "SequenceClassification"
    elif info.get("objective") == "mlm":
        name = "MaskedLM"
    else:
        name = "CausalLM"
    return getattr(peft, f"AutoPeftModelFor{name}") if adapter \
        else getattr(transformers, f"AutoModelFor{name}")


def _label_kwargs(info: dict) -> dict:
    labels = info.get("label_names") or []
    if info.get("task") != "classification" or not labels:
        return {}
    return {"num_labels": len(labels), "id2label": dict(enumerate(labels)),
            "label2id": {name: i for i, name in enumerate(labels)}}


def probe_outputs(model, tokenizer) -> list:
    """Probabilities of the probe: over the classes, or over the vocabulary at the last
    position (the next token or the last masked-LM prediction)."""
    import torch

    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    rows = []
    with torch.no_grad():
        for text in PROBE:  # one at a time: no padding side to agree on
            batch = tokenizer(text, return_tensors="pt")
            logits = model(**batch).logits
            logits = logits[0] if logits.dim() == 2 else logits[0, -1]
            rows.append(logits.float().softmax(-1).tolist())
    return rows


def plain_outputs(export_dir: str | Path) -> list:
    """Load the export as a user's code would, with nothing of pft-desktop's loader."""
    from transformers import AutoTokenizer

    from pft_desktop.core.library_noise import quiet_libraries

    quiet_libraries()
    export_dir = Path(export_dir)
    info = json.loads((export_dir / "pft_run.json").read_text(encoding="utf-8"))
    adapter = (export_dir / "adapter_config.json").is_file()
    model = _auto_class(info, adapter).from_pretrained(export_dir, **_label_kwargs(info))
    return probe_outputs(model.eval(), AutoTokenizer.from_pretrained(export_dir))


def verify_export(export_dir: Path, model_dir: Path) -> float:
    """Compare the export, loaded in a fresh process, with the run's model; returns the largest
    difference, or raises a UserError when they disagree."""
    from pft_desktop.core.predict import load_model_for_inference

    result = subprocess.run([sys.executable, "-m", "pft_desktop.core.verify", str(export_dir)],
                            capture_output=True, text=True, timeout=1800)
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["no output"])[-1]
        raise UserError("export_unloadable", f"The export could not be loaded back with plain "
                        f"transformers/peft ({last[:300]}).", "Export again; if it happens "
                        "again, report it with the run's train.log.")
    exported = json.loads(result.stdout.strip().splitlines()[-1])
    model, tokenizer, _ = load_model_for_inference(model_dir)
    expected = probe_outputs(model, tokenizer)
    worst = max(abs(a - b) for row_a, row_b in zip(exported, expected)
                for a, b in zip(row_a, row_b))
    if worst > TOLERANCE or len(exported) != len(expected):
        raise UserError("export_mismatch", f"The export predicts differently from the trained "
                        f"model (probabilities differ by up to {worst:.2g} on a fixed probe), so "
                        "it was not kept.", "Export the adapter instead, or report it with the "
                        "run's train.log.")
    return worst


if __name__ == "__main__":
    print(json.dumps(plain_outputs(sys.argv[1])))
