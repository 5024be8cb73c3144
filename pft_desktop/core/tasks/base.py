"""What every task provides to the training recipe."""

from __future__ import annotations

from dataclasses import dataclass, field

from pft_desktop.core.data import DataReport, Table
from pft_desktop.core.errors import UserError


@dataclass
class PreparedData:
    """Tokenized train and validation sets plus what the model and card need to know."""

    train: object
    validation: object
    report: DataReport
    label_names: list = field(default_factory=list)  # classification only
    validation_texts: list = field(default_factory=list)


class Task:
    """One task. Subclasses fill in the hooks; the recipe calls them in order."""

    name = ""
    peft_task_type = ""
    default_best_metric = "eval_loss"

    def check_model(self, info) -> None:
        if self.name not in info.tasks:
            can = ", ".join(info.tasks) or "none of the supported tasks"
            raise UserError("unsupported_task", f"{info.architecture} ({info.model_type}) cannot "
                            f"do {self.name} with transformers; it can do: {can}.",
                            self.model_hint)

    model_hint = ""

    def columns(self, config) -> dict[str, str]:
        raise NotImplementedError

    def prepare(self, config, train: Table, validation: Table | None, tokenizer) -> PreparedData:
        raise NotImplementedError

    def load_model(self, path: str, data: PreparedData, **kwargs):
        raise NotImplementedError

    def collator(self, tokenizer):
        raise NotImplementedError

    def compute_metrics(self):
        return None

    def final_metrics(self, trainer, data: PreparedData, metrics: dict) -> dict:
        return metrics

    def final_warnings(self, metrics: dict) -> list[str]:
        """Signs in the final metrics that the model is not what it seems (it predicts a
        single class, say)."""
        return []


class WithoutLength:
    """Wraps a collator so the ``length`` column (kept for grouping by length) never reaches
    the model's forward."""

    def __init__(self, collator):
        self.collator = collator

    def __call__(self, features):
        return self.collator([{k: v for k, v in f.items() if k != "length"} for f in features])


def clean_rows(frame, columns: list[str], report: DataReport):
    """Drop rows with an empty mapped cell and count exact duplicates (kept, but reported)."""
    frame = frame[columns].fillna("")
    for name in columns:
        frame[name] = frame[name].astype(str)
        empty = frame[name].str.strip() == ""
        report.drop(f"empty '{name}'", int(empty.sum()))
        frame = frame[~empty]
    report.duplicates += int(frame.duplicated().sum())
    return frame.reset_index(drop=True)
