"""Multi-label text classification: any number of labels per text (none included).

Labels come from one column whose cells hold several labels separated by a delimiter (given,
or detected among , ; | and whitespace), JSON lists (a JSON Lines list column), or from several
0/1 columns, one per label. The model has one sigmoid output per label; the decision threshold
is chosen on the validation rows at the end and saved with the model, so predict uses it.
"""

from __future__ import annotations

import json
from collections import Counter

import numpy as np

from pft_desktop.core.data import (LABEL_NAMES, TEXT_NAMES, DataReport, Table, column_shapes,
                                   counted, require_columns, token_length_summary)
from pft_desktop.core.errors import UserError
from pft_desktop.core.messages import joined, message
from pft_desktop.core.multi_label_data import (LabelColumns, SeparatedLabels, filled_cells,
                                               is_binary_column, label_column_score,
                                               require_label_columns)
from pft_desktop.core.tasks import onnx_usage
from pft_desktop.core.tasks.base import (PROBE_TEXTS, PreparedData, Role, Task, WithoutLength,
                                         uses_text_pair)
from pft_desktop.core.tasks.classification import (LENGTH_SAMPLE, _some, check_rows_kept,
                                                   header_like_labels,
                                                   labels_differing_in_case)

GUESS_ROWS = 2000
THRESHOLDS = np.round(np.arange(0.05, 0.951, 0.05), 2)
LABEL_WORDS = LABEL_NAMES + ("tags", "tag", "topics", "topic", "categories", "genres", "genre",
                             "keywords")

TEXT = Role("text_column", "Text", "The text to label.", names=TEXT_NAMES)
LABELS = Role("label_column", "Labels", "The labels of each row in one column, separated by a "
              "delimiter ('sports;politics'), or JSON lists; an empty cell means no label. "
              "Leave it empty when the labels are 0/1 columns.", required=False,
              names=LABEL_WORDS, shape="label")
LABEL_COLUMNS = Role("label_columns", "Label columns (0/1)", "Several columns, one per label, "
                     "holding 1 (or true, yes) where the label applies and 0 where it does "
                     "not; used instead of a labels column.", required=False, shape="label")


class MultiLabelTask(Task):
    """Several labels per text, each one decided on its own (a sigmoid per label)."""

    name = "multi-label"
    title = "Multi-label classification"
    description = ("Give each text every label that applies, or none (topics, tags, genres). "
                   "Needs a text column and either one column of separated labels or one 0/1 "
                   "column per label.")
    roles = (TEXT, LABELS, LABEL_COLUMNS)
    counts_title = "Labels (training rows)"
    data_settings = ("label_delimiter",)
    auto_class = "AutoModelForSequenceClassification"
    onnx = True
    peft_task_type = "SEQ_CLS"
    word_embeddings_optional = True
    default_best_metric = "eval_f1_micro"
    pipeline_tag = "text-classification"
    model_hint = "Choose an encoder such as BERT or RoBERTa, or a decoder with a classification " \
                 "head (Llama, Qwen, GPT-2)."
    problem_type = "multi_label_classification"

    def claims(self, model_config: dict) -> bool:
        return super().claims(model_config) and \
            model_config.get("problem_type") == self.problem_type

    def model_kwargs(self, label_names: list, extra: dict) -> dict:
        if not label_names:
            return {"problem_type": self.problem_type}
        return {"num_labels": len(label_names), "id2label": dict(enumerate(label_names)),
                "label2id": {name: i for i, name in enumerate(label_names)},
                "problem_type": self.problem_type}

    def problems(self, config) -> list[str]:
        d, found = config.data, []
        if not d.text_column:
            found.append("data.text_column is empty for multi-label: name the text column.")
        if not d.label_column and not d.label_columns:
            found.append("data.label_column and data.label_columns are both empty for "
                         "multi-label: name the column of separated labels, or the 0/1 "
                         "columns (one per label).")
        return found

    def headline(self, metrics: dict) -> str:
        if metrics.get("eval_f1_micro") is None:
            return super().headline(metrics)
        text = (f"Micro F1 {metrics['eval_f1_micro']:.3f}, macro F1 "
                f"{metrics.get('eval_f1_macro', 0):.3f} at threshold 0.5 on the validation rows")
        if metrics.get("threshold") is not None:
            text += (f"; {metrics.get('eval_f1_micro_at_threshold', 0):.3f} at the threshold "
                     f"chosen on them ({metrics['threshold']:.2f}), which predict uses")
        return text + "."

    # -- data -------------------------------------------------------------------------------
    def guess(self, table: Table) -> dict:
        """0/1 columns when the file has two or more; otherwise a column named like labels, or
        the one whose cells split into repeated labels. The text: by name, then long and
        varied values."""
        from pft_desktop.core.data import _text_score

        head = table.dataset.select(range(min(GUESS_ROWS, len(table)))).to_dict()
        shapes = column_shapes(table.dataset, GUESS_ROWS)
        usable = [c for c in table.columns if not shapes[c].mostly_blank]
        by_name = {c.lower(): c for c in usable}
        text = next((by_name[n] for n in TEXT.names if n in by_name), "")
        binary = [c for c in usable if c != text and is_binary_column(head[c])]
        if len(binary) >= 2:
            rest = [c for c in usable if c not in binary]
            text = text or max(rest, key=lambda c: _text_score(shapes[c]), default="")
            return {"text_column": text, "label_column": "", "label_columns": binary}
        label = next((by_name[n] for n in LABEL_WORDS if n in by_name and by_name[n] != text),
                     "")
        if not label:
            fits = [(score, c) for c in usable if c != text and shapes[c].numeric_share < 0.95
                    for score in [label_column_score(filled_cells(head[c]))] if score is not None]
            label = max(fits)[1] if fits else ""
        if not text:
            rest = [c for c in usable if c != label]
            text = max(rest, key=lambda c: _text_score(shapes[c]), default="")
        return {"text_column": text, "label_column": label, "label_columns": []}

    def prepare(self, config, train: Table, validation: Table | None, tokenizer) -> PreparedData:
        from pft_desktop.core.tasks.causal_lm import ensure_pad_token

        d = config.data
        ensure_pad_token(tokenizer)  # decoders with a classification head
        report = DataReport(rows_read=len(train), notes=list(train.notes),
                            warnings=list(train.warnings))
        columns = list(d.label_columns)
        if columns and d.label_column:
            report.notes.append(message("data.label_column_unused", column=d.label_column,
                                        columns=_some(columns)))
        label_source = columns or [d.label_column]
        require_columns(train, {"text column": d.text_column})
        require_label_columns(train, label_source)
        twice = [c for c in dict.fromkeys(label_source) if label_source.count(c) > 1]
        if d.text_column in label_source or twice:
            raise UserError("invalid_mapping", message(
                "error.text_as_labels", column=d.text_column) if not twice else message(
                "error.label_column_twice", column=twice[0]), message("fix.label_columns_once"))
        raw = train.dataset.to_pandas()
        frame = _clean(raw, d.text_column, label_source, report)
        check_rows_kept(train, raw, {"text": d.text_column}, len(frame))
        if columns:
            reader = LabelColumns(train.path.name, columns)
        else:
            reader = SeparatedLabels(train.path.name, d.label_column, d.label_delimiter)
            report.warnings += header_like_labels(train, d.label_column,
                                                  frame[d.label_column].astype(str))
        rows = reader.read(frame, report)
        if d.max_rows and len(frame) > d.max_rows:
            keep = np.random.default_rng(config.training.seed).choice(len(frame), d.max_rows,
                                                                      replace=False)
            frame, rows = frame.iloc[sorted(keep)].reset_index(drop=True), \
                [rows[i] for i in sorted(keep)]
            report.notes.append(message("data.row_limit", rows=d.max_rows))
        label_names = reader.names(rows)
        if not any(rows):
            raise UserError("no_labels", message(
                "error.no_labels_column", file=train.path.name, column=d.label_column)
                if not columns else message("error.no_labels_columns", file=train.path.name,
                                            columns=_some(columns)),
                message("fix.no_labels"))
        _check_labels(rows, label_names, reader, report)
        texts = list(frame[d.text_column])
        if validation is not None:
            val_texts, val_rows = self._validation(config, validation, reader, label_names,
                                                   report)
            train_texts, train_rows = texts, rows
        else:
            train_part, val_part = _split(rows, d.validation_split, config.training.seed, report)
            train_texts, train_rows = [texts[i] for i in train_part], [rows[i] for i in train_part]
            val_texts, val_rows = [texts[i] for i in val_part], [rows[i] for i in val_part]
        report.train_rows, report.validation_rows = len(train_texts), len(val_texts)
        report.rows_kept = report.train_rows + report.validation_rows
        counts = Counter(label for row in train_rows for label in row)
        report.label_counts = {name: counts.get(name, 0) for name in label_names}
        max_length = config.task.max_length
        sample = (train_texts + val_texts)[:LENGTH_SAMPLE]
        lengths = tokenizer(sample, truncation=False)["input_ids"]
        report.token_lengths = token_length_summary([len(x) for x in lengths], max_length)
        return PreparedData(
            train=_tokenize(train_texts, train_rows, label_names, tokenizer, max_length,
                            len(train_texts) + len(val_texts)),
            validation=_tokenize(val_texts, val_rows, label_names, tokenizer, max_length,
                                 len(train_texts) + len(val_texts)) if val_texts else None,
            report=report, label_names=label_names, validation_texts=val_texts[:5],
            extra={"label_source": "columns" if columns else "delimited",
                   "label_delimiter": getattr(reader, "delimiter", "")})

    def _validation(self, config, table: Table, reader, label_names: list, report: DataReport):
        d = config.data
        text = d.validation_text_column or d.text_column
        if text not in table.columns:
            fallback = self.guess(table)["text_column"]
            require_columns(table, {"text column": fallback or text})
            report.notes.append(message("data.validation_text_column", wanted=text,
                                        fallback=fallback))
            text = fallback
        source = reader.columns
        require_label_columns(table, source)
        val_report = DataReport()
        frame = _clean(table.dataset.to_pandas(), text, source, val_report)
        for reason, count in val_report.dropped.items():
            report.drop(message("drop.in_validation_file", reason=reason), count)
        rows = reader.with_file(table.path.name).read(frame, val_report)
        report.warnings += val_report.warnings
        known = set(label_names)
        unknown = Counter(label for row in rows for label in row if label not in known)
        if unknown:
            report.warnings.append(message(
                "data.unseen_multi_labels", file=table.path.name,
                labels=counted(len(unknown), "label"),
                names=_some(f"{n} ({c:,})" for n, c in unknown.most_common())))
            rows = [[label for label in row if label in known] for row in rows]
        if not len(frame):
            raise UserError("empty_validation", message("error.empty_validation",
                                                        file=table.path.name),
                            message("fix.empty_validation_texts"))
        report.rows_read += len(table)
        return list(frame[text]), rows

    # -- model ------------------------------------------------------------------------------
    def collator(self, tokenizer):
        from transformers import DataCollatorWithPadding

        return WithoutLength(DataCollatorWithPadding(tokenizer))

    def compute_metrics(self):
        def compute(prediction):
            self.remember_predictions(prediction)
            logits = prediction.predictions
            logits = logits[0] if isinstance(logits, tuple) else logits
            truth = np.asarray(prediction.label_ids) > 0.5
            return scores(truth, _sigmoid(np.asarray(logits)) >= 0.5)
        return compute

    def final_metrics(self, trainer, data: PreparedData, metrics: dict) -> dict:
        """Choose the threshold on the validation rows (saved with the model for predict) and
        add the per-label table at that threshold."""
        if data.validation is None:
            return metrics
        output = self.final_predictions(trainer, data.validation)
        logits = output.predictions[0] if isinstance(output.predictions, tuple) \
            else output.predictions
        truth = np.asarray(output.label_ids) > 0.5
        probabilities = _sigmoid(np.asarray(logits, dtype=np.float64))
        threshold, best = best_threshold(truth, probabilities)
        data.extra["threshold"] = threshold  # written into pft_run.json by save_model
        return {**metrics, "threshold": threshold, "eval_f1_micro_at_threshold": best,
                "per_class": per_label(truth, probabilities >= threshold, data.label_names)}

    def final_warnings(self, metrics: dict) -> list[str]:
        table = metrics.get("per_class") or {}
        if table and not any(row["f1"] for row in table.values() if row["support"]):
            return ["The model finds none of the labels of the validation rows, whatever the "
                    "threshold: it has not learned them yet. Train longer or with another "
                    "learning rate, or check the labels."]
        return []

    # -- using the model --------------------------------------------------------------------
    def predict(self, model, tokenizer, info: dict, inputs: dict) -> dict:
        import torch

        batch = tokenizer(inputs["text"], truncation=True,
                          max_length=info.get("max_length") or 512, return_tensors="pt")
        with torch.no_grad():
            row = model(**batch).logits.float().sigmoid()[0].tolist()
        names = model.config.id2label
        probabilities = {names[i]: round(p, 6) for i, p in enumerate(row)}
        threshold = float(info.get("threshold") or 0.5)
        chosen = sorted((n for n, p in probabilities.items() if p >= threshold),
                        key=probabilities.get, reverse=True)
        return {"labels": chosen, "probabilities": probabilities}

    def describe(self, result: dict, inputs: dict) -> str:
        if "labels" not in result:
            return super().describe(result, inputs)
        shown = ", ".join(f"{k} {v:.3f}" for k, v in sorted(
            result["probabilities"].items(), key=lambda item: -item[1]))
        return f"{', '.join(result['labels']) or '(no label)'}\t({shown})\t{inputs.get('text')}"

    def probe(self, model, tokenizer, info: dict) -> list:
        import torch

        rows = []
        with torch.no_grad():
            for text in PROBE_TEXTS:  # one at a time: no padding side to agree on
                logits = model(**tokenizer(text, return_tensors="pt")).logits[0]
                rows.append(logits.float().sigmoid().tolist())
        return rows

    def onnx_snippet(self, info: dict, file: str) -> str:
        labels = dict(enumerate(info.get("label_names") or []))
        threshold = float(info.get("threshold") or 0.5)
        return (onnx_usage.text_head(file) + f"labels = {labels!r}\n" +
                onnx_usage.text_run(uses_text_pair(info)) +
                "probabilities = 1 / (1 + np.exp(-logits))  # one independent score per label\n"
                f"print([labels[i] for i, p in enumerate(probabilities) if p >= {threshold}])")

    def loading_snippet(self, kind: str, info: dict) -> str:
        labels = info.get("label_names") or []
        threshold = float(info.get("threshold") or 0.5)
        if kind == "adapter":
            load = ("from peft import AutoPeftModelForSequenceClassification\n"
                    "model = AutoPeftModelForSequenceClassification.from_pretrained(\".\", "
                    f"num_labels={len(labels)}, id2label={json.dumps(dict(enumerate(labels)))}, "
                    f"problem_type=\"{self.problem_type}\")\n")
        else:
            load = ("from transformers import AutoModelForSequenceClassification\n"
                    "model = AutoModelForSequenceClassification.from_pretrained(\".\")\n")
        return ("import torch\n" + load +
                "from transformers import AutoTokenizer\n"
                "tokenizer = AutoTokenizer.from_pretrained(\".\")\n"
                f"threshold = {threshold}  # chosen on the validation rows (pft_run.json)\n"
                "with torch.no_grad():\n"
                "    logits = model(**tokenizer(\"Your text here\", return_tensors=\"pt\"))"
                ".logits[0]\n"
                "probabilities = torch.sigmoid(logits)  # one independent score per label\n"
                "print([model.config.id2label[i] for i, p in enumerate(probabilities) "
                "if p >= threshold])")


def _clean(raw, text: str, label_columns: list[str], report: DataReport):
    """Rows with their text (an empty text is dropped; empty labels mean no label). The index
    stays the file's data row, for messages."""
    frame = raw[[text] + label_columns].fillna("").astype(str)
    empty = frame[text].str.strip() == ""
    report.drop(message("drop.empty", column=text), int(empty.sum()))
    frame = frame[~empty].copy()
    report.duplicates += int(frame.duplicated().sum())
    return frame


def _check_labels(rows, label_names: list, reader, report: DataReport) -> None:
    """Notes on labels per row, warnings on rare labels and on data that is not multi-label."""
    per_row = Counter(min(len(row), 3) for row in rows)
    words = {0: message("labels.none"), 1: "1", 2: "2", 3: message("labels.three_or_more")}
    report.notes.append(message(
        "data.labels_per_row", average=f"{sum(map(len, rows)) / max(1, len(rows)):.2f}",
        counts=joined([message("data.labels_in_rows", labels=words[k],
                               rows=counted(per_row[k], "row")) for k in sorted(per_row)])))
    if per_row.get(0):
        report.notes.append(message(
            "data.unlabeled_row" if per_row[0] == 1 else "data.unlabeled_rows",
            rows=counted(per_row[0], "row"), where=reader.unlabeled_where()))
    if set(per_row) == {1} and len(label_names) > 1:
        report.warnings.append(message("data.one_label_per_row"))
    if len(label_names) == 1:
        report.warnings.append(message("data.only_one_label", label=label_names[0]))
    if len(label_names) > max(50, len(rows) // 2):
        report.warnings.append(message("data.many_labels", labels=len(label_names),
                                       rows=counted(len(rows), "row")))
    counts = Counter(label for row in rows for label in row)
    for n, what in ((0, "no_example"), (1, "single_example")):
        rare = [name for name in label_names if counts.get(name, 0) == n]
        if rare:
            report.warnings.append(message(
                f"data.label_{what}" + ("" if len(rare) == 1 else "s"),
                labels=counted(len(rare), "label"), names=_some(rare)))
    import pandas as pd

    report.warnings += labels_differing_in_case(pd.Series(label_names, dtype=object),
                                                reader.file_name)


def _split(rows, share: float, seed: int, report: DataReport):
    """Random rows for validation, holding back rows whose labels would leave training with
    no example (or put more than their share of a label into validation)."""
    if share <= 0 or len(rows) < 2:
        report.warnings.append(message("data.no_validation_threshold"))
        return list(range(len(rows))), []
    counts = Counter(label for row in rows for label in row)
    wanted = max(1, int(round(len(rows) * share)))
    caps = {name: min(n - 1, max(1, int(round(n * share)))) for name, n in counts.items()}
    taken, held = Counter(), set()  # a set: "not yet held" was a list scan, 8 s at 300k rows
    order = np.random.default_rng(seed).permutation(len(rows)).tolist()
    for limit in (caps, {name: n - 1 for name, n in counts.items()}):
        for i in order:
            if len(held) >= wanted:
                break
            if i not in held and all(taken[label] < limit[label] for label in rows[i]):
                held.add(i)
                taken.update(rows[i])
    return [i for i in range(len(rows)) if i not in held], sorted(held)


def _tokenize(texts, rows, label_names, tokenizer, max_length: int, of_rows: int):
    """Texts and their labels as one float32 0/1 list each, tokenized as batches are read,
    not before training (core.lazy_tokens); ``of_rows``: training and validation rows
    together, which decide whether batches are grouped by tokens."""
    import pandas as pd

    from pft_desktop.core.lazy_tokens import tokenize_on_read

    index = {name: i for i, name in enumerate(label_names)}
    hot = np.zeros((len(rows), len(label_names)), dtype=np.float32)
    for r, row in enumerate(rows):
        hot[r, [index[label] for label in row]] = 1.0
    frame = pd.DataFrame({"text": list(texts), "labels": list(hot)})
    return tokenize_on_read(frame, tokenizer, max_length, of_rows=of_rows)


# -- metrics ------------------------------------------------------------------------------------

def _sigmoid(logits):
    return 1.0 / (1.0 + np.exp(-np.clip(logits, -60, 60)))


def _counts(truth, predicted):
    true_pos = (truth & predicted).sum(axis=0).astype(float)
    return true_pos, predicted.sum(axis=0).astype(float), truth.sum(axis=0).astype(float)


def _ratio(a, b):
    return np.divide(a, b, out=np.zeros_like(np.asarray(a, dtype=float)), where=np.asarray(b) > 0)


def _f1(precision, recall):
    return _ratio(2 * precision * recall, precision + recall)


def scores(truth, predicted) -> dict:
    """Micro and macro precision, recall and F1, and subset accuracy (every label of a row
    right). Macro averages over labels present in the truth or the predictions."""
    true_pos, guessed, support = _counts(truth, predicted)
    micro_p, micro_r = _ratio(true_pos.sum(), guessed.sum()), _ratio(true_pos.sum(), support.sum())
    precision, recall = _ratio(true_pos, guessed), _ratio(true_pos, support)
    present = (support > 0) | (guessed > 0)

    def mean(values):
        return float(values[present].mean()) if present.any() else 0.0

    return {"f1_micro": float(_f1(micro_p, micro_r)), "f1_macro": mean(_f1(precision, recall)),
            "precision_micro": float(micro_p), "recall_micro": float(micro_r),
            "precision_macro": mean(precision), "recall_macro": mean(recall),
            "subset_accuracy": float((truth == predicted).all(axis=1).mean()) if len(truth)
            else 0.0}


def best_threshold(truth, probabilities) -> tuple[float, float]:
    """The threshold among 0.05, 0.10 ... 0.95 with the best micro F1 (the nearest to 0.5 among
    equals), and that F1."""
    found = [(scores(truth, probabilities >= t)["f1_micro"], -abs(t - 0.5), float(t))
             for t in THRESHOLDS]
    f1, _, threshold = max(found)
    return threshold, round(f1, 6)


def per_label(truth, predicted, label_names: list) -> dict:
    true_pos, guessed, support = _counts(truth, predicted)
    precision, recall = _ratio(true_pos, guessed), _ratio(true_pos, support)
    f1 = _f1(precision, recall)
    return {name: {"precision": round(float(precision[i]), 4),
                   "recall": round(float(recall[i]), 4), "f1": round(float(f1[i]), 4),
                   "support": int(support[i])} for i, name in enumerate(label_names)}
