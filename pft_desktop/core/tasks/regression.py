"""Regression: one number per text or per pair of texts (a score, a rating, the similarity of
two sentences as in STS-B).

Targets are trained as they are, not rescaled: a standardised target would make the saved model
predict standardised values, and a plain ``transformers`` load of the export (or its pipeline)
would then be in the wrong units unless every user converted back. Scores and ratings (0-5,
1-10) train well unscaled, as transformers' own STS-B recipe does; the report warns when the
targets are far from that range and says how to rescale them in the file.
"""

from __future__ import annotations

import math

import numpy as np

from pft_desktop.core.data import DataReport, Table, counted, require_columns, token_length_summary
from pft_desktop.core.errors import UserError
from pft_desktop.core.messages import joined, message
from pft_desktop.core.tasks import onnx_usage
from pft_desktop.core.tasks.base import (PROBE_TEXTS, PreparedData, Role, Task, TryField,
                                         WithoutLength, distinct_columns, uses_text_pair)
from pft_desktop.core.tasks.classification import LENGTH_SAMPLE, check_rows_kept
from pft_desktop.core.tasks.pairs import (FIRST_NAMES, SECOND_NAMES, guess_pair_columns,
                                          probe_pairs, same_text_warning)

TARGET_NAMES = ("score", "similarity", "similarity_score", "relatedness_score", "relatedness",
                "rating", "stars", "target", "label", "value", "y", "gold_score")
MISSING = ("", "nan", "na", "n/a", "null", "none")  # read as a blank target (lower case)
DECIMAL_COMMA = r"[+-]?\d*,\d+"
SCATTER_POINTS = 2000     # the Results page's scatter plot
FEW_VALIDATION_ROWS = 10  # fewer: correlations on them mean little
LARGE_TARGETS = 100.0     # |mean| or spread above this: warn (see the module docstring)
EXACT_COUNTS = 20         # at most this many distinct whole-number targets: count each value

TEXT = Role("text_column", "Text", "The text to score (the first text of a pair).",
            names=FIRST_NAMES)
PAIR = Role("text_pair_column", "Second text", "An optional second text, scored together with "
            "the first (the similarity of two sentences).", required=False, names=SECOND_NAMES)
TARGET = Role("label_column", "Score", "The number to predict for each row (a score, a rating, "
              "a similarity).", names=TARGET_NAMES, shape="number")


class RegressionTask(Task):
    """A number per text (or per pair of texts), learned with a mean squared error."""

    name = "regression"
    title = "Regression (a number per text)"
    description = ("Predict a number for each text or pair of texts: a score, a rating, how "
                   "similar two sentences are. Needs a text column and a numeric column; a "
                   "second text column makes it a pair task (STS-B style).")
    roles = (TEXT, PAIR, TARGET)
    counts_title = "Targets (training rows)"
    auto_class = "AutoModelForSequenceClassification"
    onnx = True
    peft_task_type = "SEQ_CLS"
    word_embeddings_optional = True
    # Pearson, not RMSE: the recipe takes any metric not ending in "loss" as higher-is-better.
    default_best_metric = "eval_pearson"
    pipeline_tag = "text-classification"  # transformers' pipeline returns the raw value
    model_hint = "Choose an encoder such as BERT or RoBERTa, or a decoder with a classification " \
                 "head (Llama, Qwen, GPT-2)."

    def claims(self, model_config: dict) -> bool:
        return super().claims(model_config) and model_config.get("problem_type") == "regression"

    def model_kwargs(self, label_names: list, extra: dict) -> dict:
        return {"num_labels": 1, "problem_type": "regression"}

    def guess(self, table: Table) -> dict[str, str]:
        guess = guess_pair_columns(table, self.roles)
        texts = {guess["text_column"], guess["text_pair_column"]}
        guess["label_column"] = _target_column(table, texts) or \
            _decimal_comma_column(table, texts)  # "3,5" is not a number to the shape guess
        return guess

    def headline(self, metrics: dict) -> str:
        if metrics.get("eval_pearson") is None:
            return super().headline(metrics)
        return (f"Pearson {metrics['eval_pearson']:.3f}, Spearman "
                f"{metrics.get('eval_spearman', 0):.3f}; RMSE {metrics.get('eval_rmse', 0):.4g}, "
                f"MAE {metrics.get('eval_mae', 0):.4g} on the validation rows.")

    # -- data -------------------------------------------------------------------------------
    def prepare(self, config, train: Table, validation: Table | None, tokenizer) -> PreparedData:
        d = config.data
        report = DataReport(rows_read=len(train))
        require_columns(train, self.columns(config))
        roles = {"text": d.text_column, "label": d.label_column}
        if d.text_pair_column:
            roles["pair"] = d.text_pair_column
        distinct_columns(roles)
        report.notes += train.notes
        report.warnings += train.warnings
        raw = train.dataset.select_columns(list(dict.fromkeys(roles.values()))).to_pandas()
        frame = _rows(train, raw, roles, report)
        check_rows_kept(train, raw, roles, len(frame))
        if "pair" in frame:
            report.warnings += same_text_warning(frame, train.path.name)
        if d.max_rows and len(frame) > d.max_rows:
            frame = frame.sample(n=d.max_rows, random_state=config.training.seed)
            report.notes.append(message("data.row_limit", rows=d.max_rows))
        if len(frame) < 2:
            raise UserError("too_few_examples", message(
                "error.too_few_rows", file=train.path.name,
                rows=counted(len(frame), "usable row")), message("fix.too_few_scores"))
        report.warnings += target_warnings(frame["labels"], d.label_column)
        if validation is not None:
            val_frame = self._validation_frame(config, validation, report)
            train_frame = frame
        else:
            train_frame, val_frame = random_split(frame, d.validation_split,
                                                  config.training.seed, report)
        report.rows_kept = len(train_frame) + len(val_frame)
        report.train_rows, report.validation_rows = len(train_frame), len(val_frame)
        if 0 < len(val_frame) < FEW_VALIDATION_ROWS:
            report.warnings.append(message("data.few_validation_scores",
                                           rows=counted(len(val_frame), "validation row")))
        targets = train_frame["labels"].to_numpy(dtype=float)
        report.counts_name = "Targets"
        report.label_counts = target_counts(targets)
        stats = target_stats(targets)
        report.notes.append(message(
            "data.targets", column=d.label_column, min=_short(stats["min"]),
            max=_short(stats["max"]), mean=_short(stats["mean"]), std=_short(stats["std"])))
        if max(abs(stats["mean"]), stats["std"]) > LARGE_TARGETS:
            report.warnings.append(message("data.large_targets", mean=_short(stats["mean"]),
                                           std=_short(stats["std"])))
        import pandas as pd

        max_length = config.task.max_length
        sample = pd.concat([train_frame, val_frame]).head(LENGTH_SAMPLE)
        lengths = tokenizer(list(sample["text"]), list(sample["pair"]) if "pair" in sample
                            else None, truncation=False)["input_ids"]
        report.token_lengths = token_length_summary([len(x) for x in lengths], max_length)
        return PreparedData(
            train=_tokenize(train_frame, tokenizer, max_length, report.rows_kept),
            validation=_tokenize(val_frame, tokenizer, max_length, report.rows_kept)
            if len(val_frame) else None,
            report=report, validation_texts=list(val_frame["text"].head(5)),
            extra={"target_stats": stats})

    def _validation_frame(self, config, table: Table, report: DataReport):
        d = config.data
        guess = {}
        mapping = {}
        for role, field, wanted in (("text", "text_column", d.validation_text_column
                                     or d.text_column), ("label", "label_column", d.label_column),
                                    ("pair", "text_pair_column", d.text_pair_column)):
            if role == "pair" and not wanted:
                continue
            if wanted in table.columns:
                mapping[role] = wanted
                continue
            guess = guess or self.guess(table)
            fallback = guess[field]
            if not fallback:
                require_columns(table, {f"{role} column": wanted})
            report.notes.append(message("data.validation_column", wanted=wanted,
                                        fallback=fallback))
            mapping[role] = fallback
        distinct_columns(mapping)
        found = DataReport()
        raw = table.dataset.select_columns(list(mapping.values())).to_pandas()
        frame = _rows(table, raw, mapping, found)
        check_rows_kept(table, raw, mapping, len(frame))
        for reason, count in found.dropped.items():
            report.drop(message("drop.in_validation_file", reason=reason), count)
        report.notes += table.notes + found.notes
        report.warnings += table.warnings
        if not len(frame):
            raise UserError("empty_validation", message("error.empty_validation",
                                                        file=table.path.name),
                            message("fix.empty_validation_scores"))
        report.rows_read += len(table)
        return frame

    def collator(self, tokenizer):
        from transformers import DataCollatorWithPadding

        return WithoutLength(DataCollatorWithPadding(tokenizer))

    # -- metrics ----------------------------------------------------------------------------
    def compute_metrics(self):
        def compute(prediction):
            self.remember_predictions(prediction)
            values = prediction.predictions
            values = values[0] if isinstance(values, tuple) else values
            return regression_metrics(prediction.label_ids, values)
        return compute

    def final_metrics(self, trainer, data: PreparedData, metrics: dict) -> dict:
        if data.validation is None:
            return metrics
        output = self.final_predictions(trainer, data.validation)
        values = output.predictions[0] if isinstance(output.predictions, tuple) \
            else output.predictions
        true = np.asarray(output.label_ids, dtype=float).ravel()
        predicted = np.asarray(values, dtype=float).ravel()
        keep = scatter_rows(len(true))
        # Unrounded: rounding ties near-equal predictions and changes their ranks.
        return {**metrics, "scatter": {"true": true[keep].tolist(),
                                       "predicted": predicted[keep].tolist()}}

    def final_warnings(self, metrics: dict) -> list[str]:
        scatter = metrics.get("scatter") or {}
        true = np.asarray(scatter.get("true") or [], dtype=float)
        predicted = np.asarray(scatter.get("predicted") or [], dtype=float)
        if len(true) < 2 or true.std() == 0 or predicted.std() > 1e-3 * true.std():
            return []
        return [f"The model predicts about {_short(predicted.mean())} for every validation row: "
                "it has not learned how the targets differ. Train longer or with another "
                "learning rate, or check the target column."]

    # -- using the model --------------------------------------------------------------------
    def inputs(self, info: dict) -> list:
        fields = super().inputs(info)
        if uses_text_pair(info):
            fields.append(TryField("pair", "Second text", "The second text of the pair"))
        return fields

    def predict(self, model, tokenizer, info: dict, inputs: dict) -> dict:
        import torch

        pair = inputs.get("pair") or None
        batch = tokenizer(inputs["text"], pair, truncation=True,
                          max_length=info.get("max_length") or 512, return_tensors="pt")
        with torch.no_grad():
            value = model(**batch).logits[0, 0].item()
        return {"value": float(value)}

    def describe(self, result: dict, inputs: dict) -> str:
        if "value" not in result:
            return super().describe(result, inputs)
        texts = [inputs.get("text", "")] + ([inputs["pair"]] if inputs.get("pair") else [])
        return "\t".join([f"{result['value']:.6g}", *texts])

    def probe(self, model, tokenizer, info: dict) -> list:
        """The predicted value per probe text (per pair, for a pair model), divided by the
        targets' magnitude when it is above 1: the export check's tolerance (1e-4) is absolute,
        and float32 rounding grows with the value (a LoRA merge moves 250,000 by about 0.1)."""
        import torch

        stats = info.get("target_stats") or {}
        scale = max(1.0, abs(stats.get("mean", 0.0)), stats.get("std", 0.0))
        given = probe_pairs() if uses_text_pair(info) else [(text, None) for text in PROBE_TEXTS]
        rows = []
        with torch.no_grad():
            for first, second in given:  # one at a time: no padding side to agree on
                logits = model(**tokenizer(first, second, return_tensors="pt")).logits[0]
                rows.append([float(logits[0]) / scale])
        return rows

    def onnx_snippet(self, info: dict, file: str) -> str:
        return (onnx_usage.text_head(file) + onnx_usage.text_run(uses_text_pair(info)) +
                "print(float(logits[0]))  # in the training file's units")

    def loading_snippet(self, kind: str, info: dict) -> str:
        stats = info.get("target_stats") or {}
        units = (f"  # in the training file's units ({_short(stats['min'])} to "
                 f"{_short(stats['max'])} there)" if stats else "")
        example = ("\"First text\", \"Second text\"" if uses_text_pair(info)
                   else "\"Your text here\"")
        if kind == "adapter":
            return ("from peft import AutoPeftModelForSequenceClassification\n"
                    "from transformers import AutoTokenizer\n"
                    "model = AutoPeftModelForSequenceClassification.from_pretrained(\".\", "
                    "num_labels=1, problem_type=\"regression\")\n"
                    "tokenizer = AutoTokenizer.from_pretrained(\".\")\n"
                    f"batch = tokenizer({example}, return_tensors=\"pt\")\n"
                    f"print(model(**batch).logits[0, 0].item()){units}")
        given = "{\"text\": \"First text\", \"text_pair\": \"Second text\"}" \
            if uses_text_pair(info) \
            else "\"Your text here\""
        return ("from transformers import pipeline\n"
                "score = pipeline(\"text-classification\", model=\".\")  # no sigmoid: "
                "problem_type is regression\n"
                f"print(score({given})){units}")


# -- reading the targets ---------------------------------------------------------------------

def _rows(table: Table, raw, roles: dict[str, str], report: DataReport):
    """The mapped columns as text, pair and float ``labels``: rows with an empty text or a blank
    target dropped and counted, a target that is not a number refused by row."""
    frame = raw[list(roles.values())].fillna("").astype(str)
    frame.columns = list(roles)
    for role in ("text", "pair"):
        if role in frame:
            empty = frame[role].str.strip() == ""
            report.drop(message("drop.empty", column=roles[role]), int(empty.sum()))
            frame = frame[~empty]
    targets, notes = read_targets(frame["label"], roles["label"], table.path.name)
    report.notes += notes
    blank = targets.isna()
    report.drop(message("drop.no_number", column=roles["label"]), int(blank.sum()))
    frame = frame[~blank].drop(columns="label")
    frame["labels"] = targets[~blank].astype(float)
    report.duplicates += int(frame.duplicated().sum())
    return frame.reset_index(drop=True)


def read_targets(cells, column: str, file_name: str):
    """The cells (strings, indexed by data row - 1) as floats, NaN where blank or NA; notes for
    the report. Decimal commas ('3,5') are read when the whole column writes decimals that way;
    anything else that is not a finite number is refused, naming its row."""
    import pandas as pd

    text = cells.astype(str).str.strip()
    missing = text.str.lower().isin(MISSING)
    numbers = pd.to_numeric(text.where(~missing), errors="coerce").astype(float)
    bad = ~missing & ~np.isfinite(numbers.fillna(np.inf))
    comma = bad & text.str.fullmatch(DECIMAL_COMMA)
    other = bad & ~comma
    if other.any():
        _refuse(text, other, column, file_name, "", message("fix.not_a_number"))
    if not comma.any():
        return numbers, []
    with_point = ~missing & ~bad & text.str.contains(".", regex=False)
    if with_point.any():
        _refuse(text, comma, column, file_name,
                message("why.mixed_decimals", example=text[with_point].iloc[0]),
                message("fix.mixed_decimals"))
    if text[comma].str.fullmatch(r"[+-]?\d{1,3},\d{3}").all():
        _refuse(text, comma, column, file_name, message("why.thousands"),
                message("fix.thousands"))
    numbers[comma] = pd.to_numeric(text[comma].str.replace(",", ".", regex=False))
    example = text[comma].iloc[0]
    return numbers, [message("data.decimal_commas", column=column, file=file_name,
                             example=example, value=f"{float(example.replace(',', '.')):g}")]


def _refuse(text, bad, column: str, file_name: str, why: str, fix: str):
    rows = text[bad]
    first_row, first = int(rows.index[0]) + 1, rows.iloc[0]
    shown = [message("where.value_in_row", value=value, row=int(i) + 1)
             for i, value in rows.iloc[1:6].items()]
    more = message("data.other_rows_more" if len(rows) > 6 else "data.other_rows",
                   rows=counted(len(rows) - 1, "other row"), shown=joined(shown)) \
        if len(rows) > 1 else ""
    what = f"'{first}'" if first else message("where.empty_value")
    raise UserError("not_a_number", message(
        "error.not_a_number_why" if why else "error.not_a_number", column=column,
        file=file_name, row=first_row, what=what, why=why, more=more), fix)


def _target_column(table: Table, taken: set) -> str:
    """The numeric column to predict: one named like a target, else the most varied numeric
    column that is not a row number or an id."""
    from pft_desktop.core.data import column_shapes

    shapes = column_shapes(table.dataset)
    numeric = [name for name in table.columns if name not in taken
               and not shapes[name].mostly_blank and shapes[name].numeric_share >= 0.95]
    lower = {name.lower(): name for name in numeric}
    named = next((lower[known] for known in TARGET_NAMES if known in lower), "")
    if named:
        return named
    plain = [name for name in numeric if not _row_number(table, name)]
    return max(plain, key=lambda name: shapes[name].distinct, default="")


def _row_number(table: Table, name: str) -> bool:
    """An id or index column: named so, or whole numbers counting up by one."""
    if name.lower() in ("id", "idx", "index", "row", "#") or name.lower().endswith("_id"):
        return True
    head = table.dataset.select(range(min(200, len(table))))[name]
    try:
        values = [float(value) for value in head]
    except (TypeError, ValueError):
        return False
    steps = {b - a for a, b in zip(values, values[1:])}
    return len(values) > 2 and steps == {1.0}


def _decimal_comma_column(table: Table, taken: set) -> str:
    """A column whose first rows are numbers written with decimal commas, named like a target
    first."""
    head = table.dataset.select(range(min(2000, len(table)))).to_pandas()
    found = []
    for name in head.columns:
        if name in taken:
            continue
        cells = head[name].fillna("").astype(str).str.strip()
        cells = cells[cells != ""]
        if len(cells) and cells.str.fullmatch(r"[+-]?\d+(,\d+)?").mean() >= 0.95 and \
                cells.str.contains(",", regex=False).any():
            found.append(name)
    return min(found, key=lambda name: name.lower() not in TARGET_NAMES, default="")


def target_warnings(targets, column: str) -> list[str]:
    distinct = np.unique(targets.to_numpy(dtype=float))
    if len(distinct) == 1:
        return [message("data.one_target", column=column, value=_short(distinct[0]))]
    if len(distinct) == 2 and all(float(v).is_integer() for v in distinct):
        return [message("data.two_targets", column=column, first=_short(distinct[0]),
                        second=_short(distinct[1]))]
    return []


def target_stats(targets) -> dict:
    return {"min": float(targets.min()), "max": float(targets.max()),
            "mean": float(targets.mean()), "median": float(np.median(targets)),
            "std": float(targets.std())}


def target_counts(targets) -> dict[str, int]:
    """The data report's bar chart: each value when there are few whole numbers (ratings),
    else ten equal-width bins."""
    distinct, counts = np.unique(targets, return_counts=True)
    if len(distinct) <= EXACT_COUNTS and all(float(v).is_integer() for v in distinct):
        return {_short(v): int(n) for v, n in zip(distinct, counts)}
    counts, edges = np.histogram(targets, bins=10)
    for digits in range(3, 10):  # enough digits that no two bins read the same
        names = [f"{_short(a, digits)} to {_short(b, digits)}"
                 for a, b in zip(edges[:-1], edges[1:])]
        if len(set(names)) == len(names):
            break
    return {name: int(n) for name, n in zip(names, counts)}


def _short(value: float, digits: int = 3) -> str:
    value = float(value)
    if abs(value) >= 10 ** digits:
        return f"{value:,.0f}"
    return f"{value:.{digits}g}"


def random_split(frame, share: float, seed: int, report: DataReport):
    if share <= 0:
        report.warnings.append(message("data.no_validation"))
        return frame, frame.iloc[0:0]
    take = min(len(frame) - 1, max(1, int(round(len(frame) * share))))
    held = np.zeros(len(frame), dtype=bool)
    held[np.random.default_rng(seed).permutation(len(frame))[:take]] = True
    return frame[~held].reset_index(drop=True), frame[held].reset_index(drop=True)


def _tokenize(frame, tokenizer, max_length: int, of_rows: int):
    """Rows tokenized as batches are read, not before training (core.lazy_tokens); the scores
    as float32, the dtype of the model's mean squared error. ``of_rows``: training and
    validation rows together, which decide whether batches are grouped by tokens."""
    from pft_desktop.core.lazy_tokens import tokenize_on_read

    columns = ["text", "labels"] + (["pair"] if "pair" in frame else [])
    rows = frame[columns].astype({"labels": "float32"})
    return tokenize_on_read(rows, tokenizer, max_length, of_rows=of_rows)


# -- metrics ---------------------------------------------------------------------------------

def regression_metrics(true, predicted) -> dict:
    """MAE, RMSE, Pearson and Spearman (Pearson of the ranks, ties given their average rank)."""
    true = np.asarray(true, dtype=float).ravel()
    predicted = np.asarray(predicted, dtype=float).ravel()
    if not len(true):
        return {}
    error = predicted - true
    return {"mae": float(np.abs(error).mean()), "rmse": float(np.sqrt((error ** 2).mean())),
            "pearson": pearson(true, predicted),
            "spearman": pearson(average_ranks(true), average_ranks(predicted))}


def pearson(a, b) -> float:
    """The correlation coefficient; 0 when either side does not vary (it is undefined there,
    and a NaN would break choosing the best checkpoint)."""
    a = np.asarray(a, dtype=float) - np.mean(a)
    b = np.asarray(b, dtype=float) - np.mean(b)
    scale = math.sqrt(float((a * a).sum()) * float((b * b).sum()))
    if not scale or not math.isfinite(scale):
        return 0.0
    return float(np.clip((a * b).sum() / scale, -1.0, 1.0))


def average_ranks(values) -> np.ndarray:
    """Ranks from 1, tied values sharing the mean of the ranks they span."""
    values = np.asarray(values, dtype=float)
    ranks = np.empty(len(values))
    ranks[np.argsort(values, kind="mergesort")] = np.arange(1, len(values) + 1)
    _, group, size = np.unique(values, return_inverse=True, return_counts=True)
    return (np.bincount(group, weights=ranks) / size)[group]


def scatter_rows(count: int) -> np.ndarray:
    """At most SCATTER_POINTS row indices, spread evenly over the validation rows."""
    if count <= SCATTER_POINTS:
        return np.arange(count)
    return np.unique(np.linspace(0, count - 1, SCATTER_POINTS).round().astype(int))
