"""Single-label text classification, on one text column or a text pair."""

from __future__ import annotations

import json

import numpy as np

from pft_desktop.core.data import (
    FORMAT_CHOICE,
    LABEL_NAMES,
    PAIR_NAMES,
    TEXT_NAMES,
    DataReport,
    Table,
    counted,
    is_number,
    require_columns,
)
from pft_desktop.core.errors import UserError
from pft_desktop.core.messages import known, message
from pft_desktop.core.tasks import onnx_usage
from pft_desktop.core.tasks.base import (PROBE_TEXTS, PreparedData, Role, Task, TryField,
                                         WithoutLength, clean_rows, distinct_columns,
                                         uses_text_pair)

LENGTH_SAMPLE = 5000
KEEP_AT_LEAST = 0.05     # a mapping that keeps a smaller share of the rows read is refused
JUDGED_FROM_ROWS = 20    # ... once this many rows were read
NAMED_AT_MOST = 5        # values named in a message before "and N more"
MANY_CLASSES = 1000      # more classes than this: warn, even when each has examples
ROLE_NAMES = {"text": "text", "pair": "second text", "label": "label"}
ROLE_HOLDS = {"text": "the text", "pair": "the second text", "label": "the classes"}
ROLE_KEYS = {"text": "text_column", "pair": "text_pair_column", "label": "label_column"}


TEXT = Role("text_column", "Text", "The text to classify.", names=TEXT_NAMES)
LABEL = Role("label_column", "Label", "The class of each row (text or number).",
             names=LABEL_NAMES, shape="label")
PAIR = Role("text_pair_column", "Second text", "An optional second text, read together with "
            "the first (question and answer, premise and hypothesis).", required=False,
            names=PAIR_NAMES)


class ClassificationTask(Task):
    """One label per text (or per pair of texts)."""

    name = "classification"
    title = "Text classification"
    description = ("Assign one label to each text (sentiment, topic, intent). Needs a text and "
                   "a label column; a second text column makes it a pair task.")
    roles = (TEXT, PAIR, LABEL)
    counts_title = "Labels (training rows)"
    auto_class = "AutoModelForSequenceClassification"
    onnx = True
    peft_task_type = "SEQ_CLS"
    word_embeddings_optional = True
    default_best_metric = "eval_f1"
    pipeline_tag = "text-classification"
    model_hint = "Choose an encoder such as BERT or RoBERTa, or a decoder with a classification " \
                 "head (Llama, Qwen, GPT-2)."
    problem_types = (None, "single_label_classification")  # what claims() accepts

    def claims(self, model_config: dict) -> bool:
        return super().claims(model_config) and \
            model_config.get("problem_type") in self.problem_types

    def model_kwargs(self, label_names: list, extra: dict) -> dict:
        if not label_names:
            return {}
        return {"num_labels": len(label_names), "id2label": dict(enumerate(label_names)),
                "label2id": {name: i for i, name in enumerate(label_names)}}

    def headline(self, metrics: dict) -> str:
        if metrics.get("eval_accuracy") is None:
            return super().headline(metrics)
        return message("headline.accuracy", accuracy=metrics["eval_accuracy"],
                       f1=metrics.get("eval_f1", 0))

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
        import pandas as pd

        from pft_desktop.core.mapped_columns import MappedColumns
        from pft_desktop.core.token_lengths import LengthSource

        # The texts stay in the memory-mapped file; the frame holds each kept row's place in
        # the table ("row") and its label (core.mapped_columns).
        columns = MappedColumns(train.dataset, roles)
        kept = columns.clean(report)
        refuse_few_kept(train, columns.rows, columns.blank_counts(), roles, len(kept))
        frame = pd.DataFrame({"row": kept, "label": columns.values("label", kept)})
        frame["label"], label_notes = normalize_labels(frame["label"], train.path.name)
        report.notes += label_notes
        report.warnings += labels_differing_in_case(frame["label"], train.path.name)
        # A header read as data also makes a one-example "class": say the cause, not the
        # symptoms (a single-example class, very unbalanced classes).
        header_read_as_data = header_like_labels(train, roles["label"], frame["label"])
        report.warnings += header_read_as_data
        if d.max_rows and len(frame) > d.max_rows:
            frame = frame.sample(n=d.max_rows, random_state=config.training.seed)
            report.notes.append(message("data.row_limit", rows=d.max_rows))
        label_names = _label_order(frame["label"].unique())
        if len(label_names) < 2:
            raise UserError("one_label", message(
                "error.one_label", column=d.label_column, file=train.path.name,
                value=label_names[0] if label_names else "none"), message("fix.one_label"))
        if not header_read_as_data:
            report.warnings += check_class_sizes(frame["label"], d.label_column)
        if len(label_names) > max(50, len(frame) // 2):
            report.warnings.append(message("data.many_values", values=len(label_names),
                                           rows=len(frame)))
        elif len(label_names) > MANY_CLASSES:
            report.warnings.append(
                f"The label column '{d.label_column}' has {len(label_names):,} classes "
                f"(about {len(frame) / len(label_names):.1f} examples each): a model learns "
                "few of them from so few examples. Check that it is the label column, or "
                "merge rare classes.")
        label2id = {name: i for i, name in enumerate(label_names)}
        frame["labels"] = label_ids(frame["label"], label_names)

        if validation is not None:
            val_frame = self._validation_frame(config, validation, report, label2id)
            train_frame = frame
        else:
            train_frame, val_frame = _stratified_split(frame, d.validation_split,
                                                       config.training.seed, report)
        report.rows_kept = len(train_frame) + len(val_frame)
        report.train_rows, report.validation_rows = len(train_frame), len(val_frame)
        counts = train_frame["label"].value_counts()
        report.label_counts = {name: int(counts.get(name, 0)) for name in label_names}
        smallest = min(report.label_counts.values())
        if smallest < 0.05 * max(report.label_counts.values()) and not header_read_as_data:
            report.warnings.append(message("data.unbalanced"))
        max_length = config.task.max_length
        labels = np.full(columns.rows, -1, dtype=np.int64)
        labels[frame["row"].to_numpy()] = frame["labels"].to_numpy()
        rows = report.rows_kept
        train_set = _tokenize(columns.dataset(labels, train_frame["row"].to_numpy()),
                              tokenizer, max_length, rows)
        if validation is not None:
            val_set = _tokenize(val_frame, tokenizer, max_length, rows)
        elif len(val_frame):
            val_set = _tokenize(columns.dataset(labels, val_frame["row"].to_numpy()), tokenizer,
                                max_length, rows)
        else:
            val_set = None
        lengths = LengthSource(tokenizer, [part for part in (train_set, val_set)
                                           if part is not None], max_length,
                               config.training.seed)
        report.token_lengths = self.measure_lengths(lengths)
        return PreparedData(
            train=train_set, validation=val_set, report=report, label_names=label_names,
            validation_texts=val_set.raw_texts(range(min(5, len(val_set))))[0]
            if val_set is not None else [], lengths=lengths)

    def _validation_frame(self, config, table: Table, report: DataReport, label2id: dict):
        d = config.data
        guess = self.guess(table)
        mapping = {}
        for role, wanted in (("text", d.validation_text_column or d.text_column),
                             ("pair", d.text_pair_column), ("label", d.label_column)):
            if not wanted and role == "pair":
                continue
            if wanted in table.columns:
                mapping[role] = wanted
                continue
            fallback = guess[{"text": "text_column", "pair": "text_pair_column",
                              "label": "label_column"}[role]]
            if not fallback:
                require_columns(table, {f"{role} column": wanted})
            report.notes.append(f"The validation file has no column '{wanted}'; using "
                                f"'{fallback}' as its {role} column.")
            mapping[role] = fallback
        val_report = DataReport()
        raw = table.dataset.to_pandas()
        frame = clean_rows(raw, list(mapping.values()), val_report)
        check_rows_kept(table, raw, mapping, len(frame))
        frame.columns = list(mapping)
        report.notes += table.notes
        report.warnings += table.warnings
        report.warnings += header_like_labels(table, mapping["label"], frame["label"])
        for reason, count in val_report.dropped.items():
            report.drop(message("drop.in_validation_file", reason=reason), count)
        frame["label"], _ = normalize_labels(frame["label"].astype(str), table.path.name)
        unknown = ~frame["label"].isin(list(label2id))
        if unknown.any():
            report.drop(message("drop.unseen_label"), int(unknown.sum()))
            counts = frame.loc[unknown, "label"].value_counts()
            report.warnings.append(message(
                "data.unseen_label" if unknown.sum() == 1 else "data.unseen_labels",
                file=table.path.name, labels=counted(len(counts), "label"),
                names=_some(f"{name} ({n:,})" for name, n in counts.items())))
            frame = frame[~unknown]
        if not len(frame):
            raise UserError("empty_validation", f"No usable rows remain in {table.path.name}.",
                            "Check its label values match the training file's.")
        report.rows_read += len(table)
        frame["labels"] = label_ids(frame["label"], list(label2id))
        return frame.reset_index(drop=True)

    # -- model ------------------------------------------------------------------------------
    def collator(self, tokenizer):
        from transformers import DataCollatorWithPadding

        return WithoutLength(DataCollatorWithPadding(tokenizer))

    def compute_metrics(self):
        def compute(prediction):
            self.remember_predictions(prediction)
            logits = prediction.predictions
            logits = logits[0] if isinstance(logits, tuple) else logits
            return scalar_metrics(np.asarray(prediction.label_ids),
                                  np.argmax(logits, axis=-1), logits.shape[-1])
        return compute

    def final_metrics(self, trainer, data: PreparedData, metrics: dict) -> dict:
        if data.validation is None:
            return metrics
        output = self.final_predictions(trainer, data.validation)
        logits = output.predictions[0] if isinstance(output.predictions, tuple) \
            else output.predictions
        detail = detailed_report(np.asarray(output.label_ids), np.argmax(logits, axis=-1),
                                 data.label_names)
        return {**metrics, **detail}

    def final_warnings(self, metrics: dict) -> list[str]:
        return single_class_warning(metrics)

    # -- using the model --------------------------------------------------------------------
    def inputs(self, info: dict) -> list:
        fields = super().inputs(info)
        if uses_text_pair(info):
            fields.append(TryField("pair", "Second text", "The second text of the pair",
                                   required=False))
        return fields

    def predict(self, model, tokenizer, info: dict, inputs: dict) -> dict:
        import torch

        pair = inputs.get("pair") or None
        batch = tokenizer(inputs["text"], pair, truncation=True,
                          max_length=info.get("max_length") or 512, return_tensors="pt")
        with torch.no_grad():
            row = model(**batch).logits.softmax(-1)[0].tolist()
        names = model.config.id2label
        scores = {names[i]: round(p, 6) for i, p in enumerate(row)}
        best = max(scores, key=scores.get)
        return {"label": best, "score": scores[best], "probabilities": scores}

    def probe(self, model, tokenizer, info: dict) -> list:
        import torch

        rows = []
        with torch.no_grad():
            for text in PROBE_TEXTS:  # one at a time: no padding side to agree on
                logits = model(**tokenizer(text, return_tensors="pt")).logits[0]
                rows.append(logits.float().softmax(-1).tolist())
        return rows

    def onnx_snippet(self, info: dict, file: str) -> str:
        labels = dict(enumerate(info.get("label_names") or []))
        return (onnx_usage.text_head(file) + f"labels = {labels!r}\n" +
                onnx_usage.text_run(self.reads_pairs(info)) + onnx_usage.SOFTMAX)

    def reads_pairs(self, info: dict) -> bool:
        """Whether the trained model reads two texts at once."""
        return uses_text_pair(info)

    def loading_snippet(self, kind: str, info: dict) -> str:
        labels = info.get("label_names") or []
        if kind == "adapter":
            return ("from peft import AutoPeftModelForSequenceClassification\n"
                    "from transformers import AutoTokenizer\n"
                    "model = AutoPeftModelForSequenceClassification.from_pretrained(\".\", "
                    f"num_labels={len(labels)}, id2label={json.dumps(dict(enumerate(labels)))})\n"
                    "tokenizer = AutoTokenizer.from_pretrained(\".\")")
        return ("from transformers import pipeline\n"
                "classify = pipeline(\"text-classification\", model=\".\")\n"
                "print(classify(\"Your text here\", top_k=None))")


def check_rows_kept(table: Table, raw, roles: dict[str, str], kept: int) -> None:
    """Refuse a mapping that keeps almost none of the rows read (``raw``: a frame of them)."""
    read = len(raw)
    if read < JUDGED_FROM_ROWS or kept >= KEEP_AT_LEAST * read:
        return
    blanks = {role: int((raw[column].fillna("").astype(str).str.strip() == "").sum())
              for role, column in roles.items()}
    refuse_few_kept(table, read, blanks, roles, kept)


def refuse_few_kept(table: Table, read: int, blanks: dict[str, int], roles: dict[str, str],
                    kept: int) -> None:
    """Refuse a mapping that keeps almost none of the rows read, naming the columns whose empty
    cells (``blanks``: role -> count) dropped them: a nearly empty column (a spreadsheet's
    trailing one) mapped by mistake, or a header row that was not recognised."""
    if read < JUDGED_FROM_ROWS or kept >= KEEP_AT_LEAST * read:
        return
    emptiest = [role for role, count in blanks.items() if count >= read / 2] or \
        [role for role, count in blanks.items() if count]
    where = "; ".join(f"the {ROLE_NAMES[role]} column '{roles[role]}' is empty in "
                      f"{counted(blanks[role], 'row')}" for role in emptiest)
    raise UserError("invalid_mapping", f"The column mapping keeps only {kept:,} of the "
                    f"{counted(read, 'row')} of {table.path.name}: {where}.",
                    _remap_fix(table, roles, emptiest[0]))


def _remap_fix(table: Table, roles: dict[str, str], role: str) -> str:
    """Suggest the guessed column for the role, and the header switch when no header was used."""
    guess = ClassificationTask().guess(table)[ROLE_KEYS[role]]
    fix = f"Map the {ROLE_NAMES[role]} column to the column that holds {ROLE_HOLDS[role]}"
    if guess and guess not in roles.values():
        fix += f" ('{guess}' looks like it)"
    if not table.has_header and table.format == "csv":
        fix += (", or, if the first row of the file holds the column names, turn on 'First "
                f"row is a header' ({FORMAT_CHOICE})")
    return fix + "."


def check_class_sizes(labels, label_column: str) -> list[str]:
    """Refuse labels with fewer than two classes of two or more examples (nothing to tell apart
    or to hold out); warn about classes with a single example."""
    counts = labels.value_counts()
    usable = int((counts >= 2).sum())
    if usable < 2:
        listed = _some(f"{name} ({n:,})" for name, n in counts.items())
        raise UserError(
            "too_few_examples", message(
                "error.too_few_examples_one" if usable else "error.too_few_examples_none",
                column=label_column, classes=counted(len(counts), "class", "classes"),
                listed=listed), message("fix.too_few_examples"))
    single = sorted(str(name) for name, n in counts.items() if n == 1)
    if not single:
        return []
    return [message("data.single_example" if len(single) == 1 else "data.single_examples",
                    classes=counted(len(single), "class", "classes"), names=_some(single))]


def header_like_labels(table: Table, label_column: str, labels) -> list[str]:
    """Warn when labels look like column names: the header read as data (a file read without
    a header whose first row's label occurs nowhere else), or a header row repeated inside the
    data (the label column's own name as a label)."""
    warnings = []
    labels = labels.str.strip()
    repeated = int((labels == label_column).sum())
    if repeated:
        warnings.append(message(
            "data.header_repeated" if repeated == 1 else "data.headers_repeated",
            file=table.path.name, rows=counted(repeated, "row"), column=label_column))
    first = str(table.dataset[0][label_column] or "").strip() if len(table) else ""
    if not table.has_header and first and (labels == first).sum() == 1 and \
            _looks_like_name(table.dataset[0]):
        warnings.append(message("data.header_as_data", file=table.path.name, label=first,
                                where=known(FORMAT_CHOICE)))
    return warnings


def _looks_like_name(row: dict) -> bool:
    """A row of short, non-numeric cells, as a header row is (an example's text is longer)."""
    cells = [str(value or "").strip() for value in row.values()]
    filled = [cell for cell in cells if cell]
    return bool(filled) and all(len(cell) <= 40 and not is_number(cell) for cell in filled)


def _some(names, limit: int = NAMED_AT_MOST) -> str:
    """'a, b, c' or 'a, b, c, d, e and 3 more'; long values cut to 40 characters."""
    names = [str(name) if len(str(name)) <= 40 else f"{str(name)[:39]}…" for name in names]
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit:,} more" if len(names) > limit else "")


def single_class_warning(metrics: dict) -> list[str]:
    """A model that predicts one class for everything has learned nothing, whatever its
    accuracy on unbalanced data says."""
    matrix, names = metrics.get("confusion_matrix"), metrics.get("label_names") or []
    if not matrix or len(names) < 2:
        return []
    predicted = [sum(row[j] for row in matrix) for j in range(len(names))]
    used = [name for name, count in zip(names, predicted) if count]
    if len(used) == 1 and sum(1 for row in matrix if sum(row)) > 1:
        return [f"The model predicts '{used[0]}' for every validation row: it has not learned "
                "to tell the classes apart. Train longer or with another learning rate, or "
                "check the labels."]
    return []


def normalize_labels(labels, file_name: str) -> tuple[object, list[str]]:
    """Labels as classes: surrounding spaces removed, and numbers written as decimals read as
    the same class as whole numbers ('1.0' and '1' are class '1'). Returns notes for the
    report when a label changed."""
    labels = labels.astype(str).str.strip()
    distinct = list(labels.unique())
    numbers = _as_numbers(distinct)
    if numbers is None:
        return labels, []
    if all(value.is_integer() for value in numbers):
        canonical = {text: str(int(value)) for text, value in zip(distinct, numbers)}
        changed = sorted(text for text, new in canonical.items() if new != text)
        if not changed:
            return labels, []
        return labels.map(canonical), [
            f"The labels of {file_name} are whole numbers, some written as decimals "
            f"({_some(changed)}); they are read as the classes "
            f"{_some(sorted(set(canonical.values()), key=int))}."]
    return labels, [f"The labels of {file_name} are decimal numbers "
                    f"({_some(sorted(distinct, key=float))}); classification treats each "
                    "distinct value as a class, it does not predict numbers."]


def _as_numbers(values: list[str]) -> list[float] | None:
    """The values as finite floats, or None when any is not a number."""
    import math

    out = []
    for value in values:
        try:
            number = float(value)
        except ValueError:
            return None
        if not math.isfinite(number):
            return None
        out.append(number)
    return out


def labels_differing_in_case(labels, file_name: str) -> list[str]:
    """Warn about labels that differ only in case ('Spam' and 'spam'): they are kept as
    different classes, which is rarely what the person meant."""
    groups: dict[str, list[str]] = {}
    for label in labels.unique():
        groups.setdefault(str(label).casefold(), []).append(str(label))
    clashes = [sorted(group) for group in groups.values() if len(group) > 1]
    if not clashes:
        return []
    shown = "; ".join(" and ".join(f"'{name}'" for name in group) for group in clashes[:5])
    return [f"In {file_name}, labels differ only in upper and lower case ({shown}"
            f"{' and more' if len(clashes) > 5 else ''}); they are kept as different classes. If "
            "they are the same class, write them the same way in the file."]


def label_ids(labels, names: list[str]) -> np.ndarray:
    """Each label's place in ``names`` (every label is one of them), looked up by Arrow:
    Series.map with a dict took 0.77 s for a million rows, this 0.03 s."""
    import pyarrow as pa
    import pyarrow.compute as pc

    ids = pc.index_in(pa.array(labels, pa.large_string()), value_set=pa.array(names,
                                                                              pa.large_string()))
    if ids.null_count:
        raise ValueError("a label outside the label names")  # the callers dropped those
    return ids.to_numpy().astype(np.int64)


def _label_order(values) -> list[str]:
    values = [str(v) for v in values]
    try:
        return [str(v) for v in sorted(values, key=float)]
    except ValueError:
        return sorted(values)


def _stratified_split(frame, share: float, seed: int, report: DataReport):
    """Hold out ``share`` of each class's rows (at least one, never all). Positions in numpy
    rather than a groupby: half the memory and the time for 860,000 rows, the same rows."""
    if share <= 0:
        report.warnings.append(message("data.no_validation"))
        return frame, frame.iloc[0:0]
    rng = np.random.default_rng(seed)
    classes = frame["labels"].to_numpy()
    held_out = np.zeros(len(frame), dtype=bool)
    for value in np.unique(classes):  # in order, as groupby's groups
        rows = np.flatnonzero(classes == value)
        take = int(round(len(rows) * share))
        take = max(1, min(take, len(rows) - 1)) if len(rows) >= 2 else 0
        held_out[rng.choice(rows, size=take, replace=False)] = True
    return frame[~held_out].reset_index(drop=True), frame[held_out].reset_index(drop=True)


def _tokenize(rows, tokenizer, max_length: int, of_rows: int):
    """Rows (a frame, or a dataset from MappedColumns) tokenized as batches are read, not
    before training (core.lazy_tokens); ``of_rows``: training and validation rows together,
    which decide whether batches are grouped by tokens or characters."""
    from pft_desktop.core.lazy_tokens import tokenize_on_read

    return tokenize_on_read(rows, tokenizer, max_length, of_rows=of_rows)


def scalar_metrics(labels, predictions, num_labels: int) -> dict:
    """Accuracy and macro precision/recall/F1 (classes absent from both sides are skipped)."""
    precision, recall, f1, support = _per_class(labels, predictions, num_labels)
    present = (support > 0) | (np.bincount(predictions, minlength=num_labels) > 0)
    return {"accuracy": float((labels == predictions).mean()) if len(labels) else 0.0,
            "precision": float(precision[present].mean()) if present.any() else 0.0,
            "recall": float(recall[present].mean()) if present.any() else 0.0,
            "f1": float(f1[present].mean()) if present.any() else 0.0}


def _per_class(labels, predictions, num_labels: int):
    matrix = confusion_matrix(labels, predictions, num_labels)
    true_pos = np.diag(matrix).astype(float)
    predicted = matrix.sum(axis=0).astype(float)
    support = matrix.sum(axis=1).astype(float)
    precision = np.divide(true_pos, predicted, out=np.zeros_like(true_pos), where=predicted > 0)
    recall = np.divide(true_pos, support, out=np.zeros_like(true_pos), where=support > 0)
    total = precision + recall
    f1 = np.divide(2 * precision * recall, total, out=np.zeros_like(total), where=total > 0)
    return precision, recall, f1, support


def confusion_matrix(labels, predictions, num_labels: int):
    """Rows are true classes, columns predicted classes."""
    matrix = np.zeros((num_labels, num_labels), dtype=np.int64)
    np.add.at(matrix, (np.asarray(labels, dtype=int), np.asarray(predictions, dtype=int)), 1)
    return matrix


def detailed_report(labels, predictions, label_names: list[str]) -> dict:
    n = len(label_names)
    precision, recall, f1, support = _per_class(labels, predictions, n)
    return {
        "label_names": list(label_names),
        "confusion_matrix": confusion_matrix(labels, predictions, n).tolist(),
        "per_class": {name: {"precision": round(float(precision[i]), 4),
                             "recall": round(float(recall[i]), 4),
                             "f1": round(float(f1[i]), 4), "support": int(support[i])}
                      for i, name in enumerate(label_names)},
    }
