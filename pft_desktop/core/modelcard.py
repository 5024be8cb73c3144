"""The README.md model card written into every export: what the model is and how to load it."""

from __future__ import annotations

import json
from pathlib import Path

from pft_desktop import __version__
from pft_desktop.core.data import counted


def loading_snippet(task: str, kind: str, label_names: list[str]) -> str:
    if task == "classification" and kind == "adapter":
        labels = json.dumps(dict(enumerate(label_names)))
        return ("from peft import AutoPeftModelForSequenceClassification\n"
                "from transformers import AutoTokenizer\n"
                f"model = AutoPeftModelForSequenceClassification.from_pretrained(\".\", "
                f"num_labels={len(label_names)}, id2label={labels})\n"
                "tokenizer = AutoTokenizer.from_pretrained(\".\")")
    if task == "classification":
        return ("from transformers import pipeline\n"
                "classify = pipeline(\"text-classification\", model=\".\")\n"
                "print(classify(\"Your text here\", top_k=None))")
    if kind == "adapter":
        return ("from peft import AutoPeftModelForCausalLM\n"
                "from transformers import AutoTokenizer\n"
                "model = AutoPeftModelForCausalLM.from_pretrained(\".\")\n"
                "tokenizer = AutoTokenizer.from_pretrained(\".\")")
    return ("from transformers import pipeline\n"
            "generate = pipeline(\"text-generation\", model=\".\")\n"
            "print(generate(\"Your prompt here\", max_new_tokens=64)[0][\"generated_text\"])")


def model_card(run_info: dict, metrics: dict, kind: str) -> str:
    config = run_info.get("config", {})
    report = run_info.get("data_report", {})
    task, label_names = run_info.get("task", ""), run_info.get("label_names", [])
    lines = [
        "---", f"base_model: {run_info.get('base_model_source', '')}",
        f"library_name: {'peft' if kind == 'adapter' else 'transformers'}",
        f"pipeline_tag: {'text-classification' if task == 'classification' else 'text-generation'}",
        "tags:", "- pft-desktop", f"- {run_info.get('method', '')}", "---", "",
        f"# {run_info.get('base_model_source', 'Model')} fine-tuned with pft-desktop", "",
        f"- **Task:** {task}",
        f"- **Base model:** {run_info.get('base_model_source', '')}",
        f"- **Method:** {run_info.get('method', '')}"
        + (" (this folder holds the LoRA adapter only)" if kind == "adapter" else
           " (this folder holds the full model)"),
        f"- **Made with:** pft-desktop {__version__}",
    ]
    if run_info.get("parent_run"):  # "Train more": say where its starting weights came from
        lines.append(f"- **Continued from run:** `{Path(run_info['parent_run']).name}` "
                     "(this run started from that run's trained weights)")
    lines += [
        "",
        "## Data", "",
        f"- Training file: `{config.get('data', {}).get('train_file', '')}`",
        f"- Rows: {report.get('train_rows', 0)} train, {report.get('validation_rows', 0)} "
        f"validation ({report.get('rows_read', 0)} read)",
    ]
    for reason, count in (report.get("dropped") or {}).items():
        lines.append(f"- Dropped {counted(count, 'row')}: {reason}")
    if label_names:
        counts = report.get("label_counts") or {}
        lines.append("- Labels: " + ", ".join(f"{name} ({counts.get(name, '?')})"
                                              for name in label_names))
    lines += ["", "## Metrics", ""]
    scalars = {k: v for k, v in metrics.items() if isinstance(v, (int, float))}
    if scalars:
        lines += ["| metric | value |", "| --- | --- |"]
        lines += [f"| {k} | {v:.4f} |" if isinstance(v, float) else f"| {k} | {v} |"
                  for k, v in sorted(scalars.items())]
    else:
        lines.append("No evaluation was run.")
    lines += ["", "## Hyperparameters", "", "```toml"]
    for section in ("task", "method", "training"):
        lines.append(f"[{section}]")
        lines += [f"{key} = {json.dumps(value)}" for key, value in
                  sorted((config.get(section) or {}).items())]
    lines += ["```", "", "## Load it", "", "```python",
              loading_snippet(task, kind, label_names), "```", ""]
    return "\n".join(lines)
