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

TOLERANCE = 1e-4  # on probabilities; merging in fp32 moves them by about 1e-6


def plain_outputs(export_dir: str | Path) -> list:
    """Load the export as a user's code would (the task's auto class, or peft's), with nothing
    of pft-desktop's loader, and run the task's probe. peft is imported for adapters only: a
    merged folder loads without it, as the user's code will, and importing it (with
    bitsandbytes) costs about 4.5 s of the check on 2 cores."""
    import transformers

    from pft_desktop.core.library_noise import quiet_libraries
    from pft_desktop.core.tasks import get_task

    quiet_libraries()
    export_dir = Path(export_dir)
    info = json.loads((export_dir / "pft_run.json").read_text(encoding="utf-8"))
    task = get_task(info.get("task") or "classification")
    auto = task.auto_class_for(info)
    if (export_dir / "adapter_config.json").is_file():
        import peft

        # peft has no class for every head (images): AutoPeftModel reads it from the adapter
        loader = getattr(peft, auto.replace("AutoModelFor", "AutoPeftModelFor"),
                         peft.AutoPeftModel)
    else:
        loader = getattr(transformers, auto)
    model = loader.from_pretrained(export_dir, **task.model_kwargs(info.get("label_names")
                                                                  or [], info))
    return task.probe(model.eval(), task.load_processor(export_dir), info)


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
    from pft_desktop.core.tasks import get_task

    model, tokenizer, info = load_model_for_inference(model_dir)
    expected = get_task(info["task"]).probe(model, tokenizer, info)
    worst = max((abs(a - b) for row_a, row_b in zip(exported, expected)
                 for a, b in zip(row_a, row_b)), default=0.0)
    if worst > TOLERANCE or len(exported) != len(expected):
        raise UserError("export_mismatch", f"The export predicts differently from the trained "
                        f"model (probabilities differ by up to {worst:.2g} on a fixed probe), so "
                        "it was not kept.", "Export the adapter instead, or report it with the "
                        "run's train.log.")
    return worst


if __name__ == "__main__":
    print(json.dumps(plain_outputs(sys.argv[1])))
