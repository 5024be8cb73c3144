"""The README.md model card written into every export: what the model is and how to load it."""

from __future__ import annotations

import json
from pathlib import Path

from pft_desktop import __version__
from pft_desktop.core.data import counted


def model_card(run_info: dict, metrics: dict, kind: str) -> str:
    config = run_info.get("config", {})
    report = run_info.get("data_report", {})
    from pft_desktop.core.tasks import get_task

    task, label_names = run_info.get("task", ""), run_info.get("label_names", [])
    spec = get_task(task or "classification")
    lines = [
        "---", f"base_model: {run_info.get('base_model_source', '')}",
        f"library_name: {'peft' if kind == 'adapter' else 'transformers'}",
        f"pipeline_tag: {spec.card_pipeline_tag(run_info)}",
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
              spec.loading_snippet(kind, run_info), "```", ""]
    return "\n".join(lines)
