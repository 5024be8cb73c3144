"""Named entities (token classification): one tag per word, entities scored as seqeval does.

The data is a CoNLL-style file (token first, tag last, a blank line between sentences; no
columns to name), a table with a list of tokens and a list of tags per row (JSON Lines,
Parquet, or CSV with JSON lists), or a table with a text and its entities as character spans.
Tags in IOB1, IOB2, BIOES or BILOU are converted to IOB2. The model predicts a tag for each
word from the word's first sub-word token; the other sub-word tokens are left out of the loss
(label -100), so a fast tokenizer, which tells which word each token comes from, is needed.
"""

from __future__ import annotations

import numpy as np

from pft_desktop.core import token_data as td
from pft_desktop.core.data import TEXT_NAMES, DataReport, Table, counted, token_length_summary
from pft_desktop.core.errors import UserError
from pft_desktop.core.messages import known, message
from pft_desktop.core.tasks import onnx_usage
from pft_desktop.core.tasks.base import (PROBE_TEXTS, PreparedData, Role, Task, TryField,
                                         WithoutLength, load_tokenizer, uses_text_pair)

IGNORE = -100
SHAPE_ROWS = 200          # rows read to guess which column holds what
TOKENIZE_CHUNK = 1000     # sentences tokenized per call
FEW_ENTITIES = 5          # a type with fewer training entities than this is barely learned
EXAMPLES = ("tokens", "tags")  # the columns of a CoNLL file's preview

TOKENS = Role("tokens_column", "Tokens", "Each sentence's words, as a list ([\"EU\", "
              "\"rejects\", …]) or separated by spaces. A CoNLL-style file (token and tag per "
              "line) needs no columns.", required=False,
              names=("tokens", "words", "token", "word", "sentence"), shape="any")
TAGS = Role("tags_column", "Tags", "One tag per token: B-PER, I-PER, O… (IOB1, IOB2, BIOES "
            "or BILOU, detected and converted).", required=False,
            names=("tags", "ner_tags", "ner", "labels", "tag", "label", "iob", "bio"),
            shape="any")
TEXT = Role("text_column", "Text", "Instead of tokens and tags: the raw text, with its "
            "entities given as character spans.", required=False, names=TEXT_NAMES)
SPANS = Role("spans_column", "Entity spans", "The entities of the text as character spans: "
             "[[start, end, \"TYPE\"], …] or [{\"start\", \"end\", \"label\"}, …].",
             required=False, names=("spans", "entities", "annotations", "ner", "labels",
                                    "label", "entity"), shape="any")
FIELDS = ("tokens_column", "tags_column", "text_column", "spans_column")


class TokenClassificationTask(Task):
    """A tag for every word; entities are the runs of words their tags mark."""

    name = "token-classification"
    title = "Named entities (token classification)"
    description = ("Find the names of people, places, organisations or your own entity types "
                   "in text, word by word. Needs a CoNLL-style file (a token and its tag per "
                   "line), tokens and tags columns, or a text column with entity spans.")
    roles = (TOKENS, TAGS, TEXT, SPANS)
    counts_title = "Entities (training rows)"
    lengths_title = "Tokens per sentence"
    auto_class = "AutoModelForTokenClassification"
    onnx = True
    peft_task_type = "TOKEN_CLS"
    word_embeddings_optional = True
    default_best_metric = "eval_f1"
    pipeline_tag = "token-classification"
    model_hint = "Choose an encoder with a fast tokenizer, such as BERT, RoBERTa, DeBERTa, " \
                 "XLM-RoBERTa or all-MiniLM-L6-v2."

    def __init__(self):
        self.label_names: list[str] = []

    def model_kwargs(self, label_names: list, extra: dict) -> dict:
        if not label_names:
            return {}
        return {"num_labels": len(label_names), "id2label": dict(enumerate(label_names)),
                "label2id": {name: i for i, name in enumerate(label_names)}}

    def headline(self, metrics: dict) -> str:
        if metrics.get("eval_f1") is None:
            return super().headline(metrics)
        return (f"Entity F1 {metrics['eval_f1']:.3f} (precision "
                f"{metrics.get('eval_precision', 0):.3f}, recall "
                f"{metrics.get('eval_recall', 0):.3f}) on the validation sentences.")

    # -- settings and reading ---------------------------------------------------------------
    def problems(self, config) -> list[str]:
        d = config.data
        found = []
        if bool(d.tokens_column) != bool(d.tags_column):
            found.append("data.tokens_column and data.tags_column go together for "
                         "token-classification: name both (or neither, for a CoNLL-style "
                         "file or to guess them).")
        if d.spans_column and not d.text_column:
            found.append("data.spans_column needs data.text_column: name the column whose "
                         "text the spans point into.")
        if d.spans_column and d.tokens_column:
            found.append("data.tokens_column and data.spans_column are both set: map either "
                         "tokens and tags, or a text and its entity spans.")
        return found

    def preview(self, path: str, data):
        """A CoNLL-style file shows as one row per sentence: its tokens and tags."""
        if td.is_conll_file(path):
            return conll_table(path, td.read_conll(path, data.encoding))
        return super().preview(path, data)

    def guess(self, table: Table) -> dict[str, str]:
        if table.format == "conll":
            return {"tokens_column": "tokens", "tags_column": "tags", "text_column": "",
                    "spans_column": ""}
        return guess_columns(table)

    def read_data(self, config, info, sink=lambda event: None):
        from pft_desktop.core import events

        d = config.data
        tokenizer = word_tokenizer(info.path, config.model.trust_remote_code)
        train = self.read_sentences(d.train_file, d)
        validation = self.read_sentences(d.validation_file, d, validation=True) \
            if d.validation_file else None
        sink(events.make_event(events.STATUS, text="Tokenizing"))
        return self.prepare_sentences(config, train, validation, tokenizer), tokenizer

    def read_sentences(self, path: str, d, validation: bool = False) -> td.Sentences:
        """The sentences of a CoNLL-style file, or of a table's mapped (or guessed) columns."""
        from pft_desktop.core.data import load_table

        if td.is_conll_file(path):
            found = td.read_conll(path, d.encoding)
            ignored = [getattr(d, name) for name in FIELDS
                       if getattr(d, name) and getattr(d, name) not in EXAMPLES]
            if ignored:
                found.notes.append(f"{found.source} is a CoNLL-style file, read without "
                                   f"columns: the column settings ({', '.join(ignored)}) are "
                                   "not used.")
            return found
        table = load_table(path, encoding=d.encoding, delimiter=d.delimiter, header=d.header)
        return table_sentences(table, d, validation)

    def prepare(self, config, train: Table, validation: Table | None, tokenizer) -> PreparedData:
        d = config.data
        return self.prepare_sentences(
            config, table_sentences(train, d),
            table_sentences(validation, d, validation=True) if validation is not None else None,
            tokenizer)

    def prepare_sentences(self, config, train: td.Sentences, validation: td.Sentences | None,
                          tokenizer) -> PreparedData:
        """Check and report the sentences, convert their tags to IOB2, split off validation
        sentences when there is no validation file, and tokenize with aligned labels."""
        d = config.data
        report = DataReport(rows_read=train.rows_read)
        _absorb(report, train, "")
        if validation is not None:
            report.rows_read += validation.rows_read
            _absorb(report, validation, " (validation file)")
        scheme = td.detect_scheme(train.tags + (validation.tags if validation else []))
        train_tags = _convert(train, scheme, report)
        val_tags = _convert(validation, scheme, report) if validation is not None else []
        report.notes.append(message("data.tags" if scheme == "IOB2" else "data.tags_converted",
                                    scheme=known(td.SCHEMES[scheme])))
        report.duplicates += len(train.tokens) - len({(tuple(t), tuple(g)) for t, g in
                                                      zip(train.tokens, train_tags)})
        train_tokens = train.tokens
        rng = np.random.default_rng(config.training.seed)
        if d.max_rows and len(train_tokens) > d.max_rows:
            keep = sorted(rng.choice(len(train_tokens), size=d.max_rows, replace=False))
            train_tokens = [train_tokens[i] for i in keep]
            train_tags = [train_tags[i] for i in keep]
            report.notes.append(f"Using {d.max_rows:,} of the sentences (row limit).")
        if validation is not None:
            val_tokens = validation.tokens
        else:
            (train_tokens, train_tags), (val_tokens, val_tags) = _split(
                train_tokens, train_tags, d.validation_split, rng, report)
        counts = td.entity_counts(train_tags)
        if not counts:
            raise UserError("no_entities", f"The training sentences of {train.source} have no "
                            "entity: every tag is O.", "Check that the tags column holds the "
                            "entity tags (B-PER, I-PER…), or add annotated sentences.")
        types = sorted(set(counts) | set(td.entity_counts(val_tags)))
        report.warnings += _type_warnings(counts, types)
        report.counts_name = "Entities"
        report.label_counts = counts
        self.label_names = ["O"] + [f"{p}-{kind}" for kind in types for p in "BI"]
        label2id = {name: i for i, name in enumerate(self.label_names)}
        words = [len(t) for t in train_tokens + val_tokens]
        report.notes.append(message(
            "data.sentences", train=counted(len(train_tokens), "training sentence"),
            validation=counted(len(val_tokens), "validation sentence"),
            median=int(np.median(words)), max=max(words)))
        max_length = config.task.max_length
        train_set, lengths, cut, lost = tokenize(train_tokens, train_tags, label2id,
                                                 tokenizer, max_length)
        val_set, val_lengths, val_cut, val_lost = tokenize(val_tokens, val_tags, label2id,
                                                           tokenizer, max_length)
        report.token_lengths = token_length_summary(lengths + val_lengths, max_length)
        if cut or val_cut:
            report.warnings.append(
                f"{counted(cut + val_cut, 'sentence')} {'is' if cut + val_cut == 1 else 'are'} "
                f"longer than the maximum length ({max_length} tokens after sub-word "
                f"tokenization; the longest has {max(lengths + val_lengths):,}) and "
                f"{'was' if cut + val_cut == 1 else 'were'} cut, losing "
                f"{counted(lost + val_lost, 'entity', 'entities')} past the cut (left out of "
                "training and of the validation scores). Raise the maximum length to keep "
                "them whole.")
        report.train_rows, report.validation_rows = len(train_set), len(val_set)
        report.rows_kept = report.train_rows + report.validation_rows
        return PreparedData(
            train=train_set, validation=val_set if len(val_set) else None, report=report,
            label_names=list(self.label_names),
            validation_texts=[" ".join(tokens) for tokens in val_tokens[:5]],
            extra={"tag_scheme": scheme, "entity_types": types})

    # -- model ------------------------------------------------------------------------------
    def collator(self, tokenizer):
        from transformers import DataCollatorForTokenClassification

        return WithoutLength(DataCollatorForTokenClassification(tokenizer,
                                                                label_pad_token_id=IGNORE))

    def compute_metrics(self):
        def compute(prediction):
            self.remember_predictions(prediction)
            scores = self._scores(prediction.predictions, prediction.label_ids)
            return {key: scores[key] for key in ("precision", "recall", "f1", "accuracy")}
        return compute

    def _scores(self, logits, label_ids) -> dict:
        logits = logits[0] if isinstance(logits, tuple) else logits
        true, predicted = word_tags(np.asarray(label_ids), np.argmax(logits, axis=-1),
                                    self.label_names)
        return td.entity_scores(true, predicted)

    def final_metrics(self, trainer, data: PreparedData, metrics: dict) -> dict:
        if data.validation is None:
            return metrics
        output = self.final_predictions(trainer, data.validation)
        scores = self._scores(output.predictions, output.label_ids)
        return {**metrics, "per_class": scores["per_class"]}

    def final_warnings(self, metrics: dict) -> list[str]:
        support = sum(row.get("support", 0) for row in (metrics.get("per_class") or {}).values())
        if support and not metrics.get("eval_f1"):
            return ["The model found none of the validation entities (entity F1 0): it has not "
                    "learned to tag them yet. Train longer or with a higher learning rate, or "
                    "check the tags."]
        return []

    # -- using the model --------------------------------------------------------------------
    def load_processor(self, folder):
        return word_tokenizer(str(folder))

    def inputs(self, info: dict) -> list:
        return [TryField("text", "Text", "Type a sentence and press Enter: the entities "
                         "found are highlighted")]

    def predict(self, model, tokenizer, info: dict, inputs: dict) -> dict:
        import torch

        text = inputs.get("text") or ""
        words = td.split_words(text)
        if not words:
            return {"text": text, "entities": []}
        batch = tokenizer([w for w, _, _ in words], is_split_into_words=True, truncation=True,
                          max_length=info.get("max_length") or 512, return_tensors="pt")
        with torch.no_grad():
            probabilities = model(**batch).logits.float().softmax(-1)[0]
        first: dict[int, int] = {}
        for position, word in enumerate(batch.word_ids(0)):
            if word is not None:
                first.setdefault(word, position)
        names = model.config.id2label
        tags, scores = [], []
        for index in range(len(words)):  # words past the maximum length are O
            if index in first:
                row = probabilities[first[index]]
                best = int(row.argmax())
                tags.append(names[best])
                scores.append(float(row[best]))
            else:
                tags.append("O")
                scores.append(0.0)
        found = []
        for kind, a, b in td.entities(tags):
            start, end = words[a][1], words[b][2]
            found.append({"start": start, "end": end, "label": kind,
                          "score": round(sum(scores[a:b + 1]) / (b - a + 1), 6),
                          "text": text[start:end]})
        return {"text": text, "entities": found}

    def describe(self, result: dict, inputs: dict) -> str:
        if "entities" not in result:
            return super().describe(result, inputs)
        if not result["entities"]:
            return "(no entities found)"
        return "\n".join(f"{e['label']}: {e['text']}\t{e['score']:.3f}"
                         for e in result["entities"])

    def probe(self, model, tokenizer, info: dict) -> list:
        """A row of tag probabilities for every token of the probe texts."""
        import torch

        rows = []
        with torch.no_grad():
            for text in PROBE_TEXTS:  # one at a time: no padding side to agree on
                logits = model(**tokenizer(text, return_tensors="pt")).logits[0]
                rows += logits.float().softmax(-1).tolist()
        return rows

    def onnx_snippet(self, info: dict, file: str) -> str:
        labels = dict(enumerate(info.get("label_names") or []))
        return (onnx_usage.text_head(file) + f"labels = {labels!r}\n" +
                onnx_usage.text_run(uses_text_pair(info)) +
                "tokens = tokenizer.convert_ids_to_tokens(inputs[\"input_ids\"][0])\n"
                "print([(token, labels[int(tag)]) for token, tag in zip(tokens, "
                "logits.argmax(-1))])")

    def loading_snippet(self, kind: str, info: dict) -> str:
        labels = info.get("label_names") or []
        if kind == "adapter":
            return ("from peft import AutoPeftModelForTokenClassification\n"
                    "from transformers import AutoTokenizer, pipeline\n"
                    f"id2label = {dict(enumerate(labels))!r}\n"
                    "model = AutoPeftModelForTokenClassification.from_pretrained(\n"
                    "    \".\", num_labels=len(id2label), id2label=id2label,\n"
                    "    label2id={v: k for k, v in id2label.items()})\n"
                    "tokenizer = AutoTokenizer.from_pretrained(\".\")\n"
                    "ner = pipeline(\"token-classification\", model=model.merge_and_unload(), "
                    "tokenizer=tokenizer,\n               aggregation_strategy=\"simple\")\n"
                    "print(ner(\"Your text here\"))")
        return ("from transformers import pipeline\n"
                "ner = pipeline(\"token-classification\", model=\".\", "
                "aggregation_strategy=\"simple\")\n"
                "print(ner(\"Your text here\"))")


# -- reading tables ------------------------------------------------------------------------------

def conll_table(path, found: td.Sentences) -> Table:
    """A CoNLL-style file as the Data page shows it: a sentence per row, tokens and tags
    separated by spaces."""
    from pathlib import Path

    import datasets

    dataset = datasets.Dataset.from_dict({"tokens": [" ".join(t) for t in found.tokens],
                                          "tags": [" ".join(t) for t in found.tags]})
    return Table(Path(path), "conll", dataset, has_header=False, notes=list(found.notes),
                 warnings=list(found.warnings))


def _column_kind(values: list) -> str:
    """tags, ids (numbers in lists), spans, tokens (a list of words), text, or '' (empty)."""
    cells = [str(v).strip() for v in values if v is not None and str(v).strip()]
    if not cells:
        return ""
    if all(cell.startswith("[") for cell in cells):
        spans = [td.parse_spans(cell) for cell in cells]
        if all(s is not None for s in spans) and any(spans):
            return "spans"
        lists = [td.parse_list(cell) for cell in cells]
        if any(value is None for value in lists):
            return "text"
        items = [item for value in lists for item in value]
        if items and td.numeric_tags(lists):
            return "ids"
        if items and all(isinstance(i, str) and td.is_tag(i) for i in items):
            return "tags"
        return "tokens" if all(isinstance(i, str) for i in items) else "text"
    words = [cell.split() for cell in cells]
    if all(td.is_tag(w) for value in words for w in value) and \
            any(w != "O" for value in words for w in value):
        return "tags"
    return "text"


def _by_name(candidates: list[str], names: tuple) -> str:
    lower = {c.lower(): c for c in candidates}
    return next((lower[n] for n in names if n in lower), candidates[0] if candidates else "")


def guess_columns(table: Table) -> dict[str, str]:
    """Tokens and tags columns (lists of the same lengths), or a text column and a spans
    column, judged from the first rows; empty when neither fits."""
    head = table.dataset.select(range(min(SHAPE_ROWS, len(table)))).to_dict()
    kinds = {name: _column_kind(values) for name, values in head.items()}
    guess = dict.fromkeys(FIELDS, "")
    tag_columns = [c for c, k in kinds.items() if k == "tags"] + \
        [c for c, k in kinds.items() if k == "ids" and c.lower() in TAGS.names]
    for tags in sorted(tag_columns, key=lambda c: c.lower() not in TAGS.names):
        lengths = [len(td.parse_list(v) or []) for v in head[tags]]
        same = [c for c, k in kinds.items() if c != tags and k in ("tokens", "text", "tags")
                and sum(len(td.parse_list(v) or []) == n
                        for v, n in zip(head[c], lengths)) >= 0.8 * len(lengths)]
        if same:
            return {**guess, "tokens_column": _by_name(same, TOKENS.names), "tags_column": tags}
    spans = [c for c, k in kinds.items() if k == "spans"]
    texts = [c for c, k in kinds.items() if k in ("text", "tokens") and c not in spans]
    if spans and texts:
        named = _by_name(texts, TEXT.names)
        if named.lower() not in TEXT.names:  # no known name: the longest text
            named = max(texts, key=lambda c: sum(len(str(v or "")) for v in head[c]))
        return {**guess, "text_column": named, "spans_column": _by_name(spans, SPANS.names)}
    return guess


def table_sentences(table: Table, d, validation: bool = False) -> td.Sentences:
    """The sentences of a table's mapped columns, guessed when none is mapped (or, for a
    validation file, when the mapped ones are not in it)."""
    from pft_desktop.core.data import require_columns
    from pft_desktop.core.tasks.base import distinct_columns

    mapping = {name: getattr(d, name) for name in FIELDS}
    notes = []
    missing = [column for column in mapping.values() if column and column not in table.columns]
    if not (mapping["tokens_column"] or mapping["spans_column"]) or (validation and missing):
        guess = guess_columns(table)
        used = {key: value for key, value in guess.items() if value}
        if used:
            notes.append(f"Using column{'s' if len(used) > 1 else ''} " + " and ".join(
                f"'{v}' as {k.replace('_column', '')}" for k, v in used.items()) +
                f" of {table.path.name} (guessed; set them with " + " and ".join(
                    f"--{k.replace('_', '-')}" for k in used) + ").")
            mapping = guess
    distinct_columns(mapping)
    if mapping["tokens_column"] and mapping["tags_column"]:
        require_columns(table, {"tokens column": mapping["tokens_column"],
                                "tags column": mapping["tags_column"]})
        found = td.sentences_from_lists(table.path.name, table.dataset[mapping["tokens_column"]],
                                        table.dataset[mapping["tags_column"]],
                                        mapping["tokens_column"], mapping["tags_column"])
    elif mapping["text_column"] and mapping["spans_column"]:
        require_columns(table, {"text column": mapping["text_column"],
                                "spans column": mapping["spans_column"]})
        found = td.sentences_from_spans(table.path.name, table.dataset[mapping["text_column"]],
                                        table.dataset[mapping["spans_column"]],
                                        mapping["spans_column"])
    else:
        raise UserError("missing_column", f"{table.path.name} has no columns that look like "
                        "tokens and tags (a list of words and a list of tags per row) or like a "
                        "text and its entity spans. Its columns are: "
                        f"{', '.join(table.columns)}.", "Map the tokens and tags columns "
                        "(--tokens-column, --tags-column) or the text and spans columns "
                        "(--text-column, --spans-column); or use a CoNLL-style file (a token "
                        "and its tag per line, a blank line between sentences).")
    found.notes = list(table.notes) + notes + found.notes
    found.warnings = list(table.warnings) + found.warnings
    if not found.tokens:
        reasons = "; ".join(f"{k} ({n:,})" for k, n in found.dropped.items()) or "no rows"
        raise UserError("no_sentences", f"No usable sentence in {table.path.name}: {reasons}.",
                        "Check the column mapping and the format of the cells.")
    return found


# -- preparing -----------------------------------------------------------------------------------

def _absorb(report: DataReport, found: td.Sentences, where: str) -> None:
    report.notes += found.notes
    report.warnings += found.warnings
    for reason, count in found.dropped.items():
        report.drop(reason + where, count)


def _convert(found: td.Sentences, scheme: str, report: DataReport) -> list[list[str]]:
    """The sentences' tags in IOB2, with a warning for tags the scheme does not allow."""
    converted, repaired, first = [], 0, 0
    for number, tags in enumerate(found.tags, start=1):
        iob2, fixed = td.to_iob2(tags, scheme)
        converted.append(iob2)
        repaired += fixed
        first = first or (number if fixed else 0)
    if repaired:
        report.warnings.append(
            f"{counted(repaired, 'tag')} in {found.source} break{'s' if repaired == 1 else ''} "
            f"the {scheme} scheme (an entity begins with I- after O, after another type or "
            f"after an entity's end; first in sentence {first}: "
            f"{' '.join(found.tags[first - 1][:12])}); each was read as the start of an "
            "entity (B-), as conlleval reads it.")
    return converted


def _split(tokens: list, tags: list, share: float, rng, report: DataReport):
    if share <= 0:
        report.warnings.append("No validation data: entity scores cannot be computed and the "
                               "best checkpoint cannot be chosen.")
        return (tokens, tags), ([], [])
    take = int(round(len(tokens) * share))
    take = max(1, min(take, len(tokens) - 1)) if len(tokens) >= 2 else 0
    order = rng.permutation(len(tokens))
    held = set(order[:take].tolist())
    pick = (lambda rows, keep: [row for i, row in enumerate(rows) if (i in held) == keep])
    return (pick(tokens, False), pick(tags, False)), (pick(tokens, True), pick(tags, True))


def _type_warnings(counts: dict, types: list) -> list[str]:
    warnings = []
    unseen = [kind for kind in types if kind not in counts]
    if unseen:
        warnings.append(f"The entity type{'s' if len(unseen) > 1 else ''} "
                        f"{', '.join(unseen)} appear{'s' if len(unseen) == 1 else ''} only in "
                        "the validation sentences: the model cannot learn "
                        f"{'them' if len(unseen) > 1 else 'it'}, and its recall counts as 0. "
                        "Add training sentences with them.")
    rare = [f"{kind} ({n})" for kind, n in counts.items() if n < FEW_ENTITIES]
    if rare:
        warnings.append(f"{counted(len(rare), 'entity type')} ha{'s' if len(rare) == 1 else 've'}"
                        f" fewer than {FEW_ENTITIES} training entities ({', '.join(rare[:8])}"
                        f"{' and more' if len(rare) > 8 else ''}): too few to learn well.")
    return warnings


def tokenize(tokens: list, tags: list, label2id: dict, tokenizer, max_length: int):
    """Sub-word tokens with a label on each word's first token (the rest -100), cut at
    ``max_length``. Returns the dataset, every sentence's full length in tokens, how many were
    cut and how many entities the cuts lost."""
    import datasets

    rows: dict[str, list] = {"input_ids": [], "attention_mask": [], "labels": [], "length": []}
    lengths, cut, lost = [], 0, 0
    for begin in range(0, len(tokens), TOKENIZE_CHUNK):
        words, chunk_tags = tokens[begin:begin + TOKENIZE_CHUNK], tags[begin:begin +
                                                                        TOKENIZE_CHUNK]
        full = tokenizer(words, is_split_into_words=True, truncation=False)
        long = [i for i, ids in enumerate(full["input_ids"]) if len(ids) > max_length]
        short = tokenizer([words[i] for i in long], is_split_into_words=True, truncation=True,
                          max_length=max_length) if long else None
        where = {i: j for j, i in enumerate(long)}
        for i, sentence_tags in enumerate(chunk_tags):
            lengths.append(len(full["input_ids"][i]))
            encoding, row = (short, where[i]) if i in where else (full, i)
            word_ids = encoding.word_ids(row)
            labels, previous = [], None
            for word in word_ids:
                labels.append(IGNORE if word is None or word == previous
                              else label2id[sentence_tags[word]])
                previous = word
            if i in where:
                cut += 1
                kept = max((w for w in word_ids if w is not None), default=-1) + 1
                lost += sum(1 for _, _, last in td.entities(sentence_tags) if last >= kept)
            for key in encoding.keys():
                rows.setdefault(key, []).append(encoding[key][row])
            rows["labels"].append(labels)
            rows["length"].append(len(encoding["input_ids"][row]))
    rows = {key: value for key, value in rows.items() if len(value) == len(rows["labels"])}
    return datasets.Dataset.from_dict(rows), lengths, cut, lost


def word_tags(label_ids, predicted_ids, label_names: list) -> tuple[list, list]:
    """Per sentence, the true and predicted tags of the positions with a label (each word's
    first sub-word token)."""
    true, predicted = [], []
    for labels, guesses in zip(label_ids, predicted_ids):
        keep = labels != IGNORE
        true.append([label_names[i] for i in labels[keep]])
        predicted.append([label_names[i] if 0 <= i < len(label_names) else "O"
                          for i in guesses[keep]])
    return true, predicted


# -- the tokenizer -----------------------------------------------------------------------------

def word_tokenizer(path: str, trust_remote_code: bool = False):
    """The model's tokenizer, which must be a fast one (it maps tokens to words), set to
    tokenize pre-split words as it tokenizes running text (byte-level BPE tokenizers need a
    space before each word for that), with a pad token."""
    tokenizer = load_tokenizer(path, trust_remote_code)
    if not getattr(tokenizer, "is_fast", False):
        raise UserError("slow_tokenizer", f"The tokenizer of {path} is a slow (Python-only) "
                        f"tokenizer ({type(tokenizer).__name__}); named entities need a fast "
                        "tokenizer, which tells which word each sub-word token comes from.",
                        "Choose a model whose folder has a tokenizer.json (most BERT, RoBERTa, "
                        "DeBERTa and XLM-RoBERTa models do), or save one there with "
                        "AutoTokenizer.from_pretrained(folder).save_pretrained(folder) after "
                        "installing the tokenizers package.")
    if not _words_match_text(tokenizer):
        tokenizer = _with_space_before_words(tokenizer, path, trust_remote_code)
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token or tokenizer.unk_token
    return tokenizer


def _with_space_before_words(tokenizer, path: str, trust_remote_code: bool):
    """A byte-level BPE tokenizer (RoBERTa, GPT-2 and their kin) marks a word that follows a
    space; pre-split words need that space added, or every word looks like the start of a
    text. Reload it with add_prefix_space, or set it on its pre-tokenizer; unchanged if
    neither makes words tokenize as running text does."""
    from transformers import AutoTokenizer

    try:
        spaced = AutoTokenizer.from_pretrained(path, add_prefix_space=True,
                                               trust_remote_code=trust_remote_code)
    except Exception:  # noqa: BLE001 - a tokenizer class without the option
        spaced = None
    if spaced is not None and _words_match_text(spaced):
        return spaced
    spaced = spaced if spaced is not None else tokenizer
    pre_tokenizer = spaced.backend_tokenizer.pre_tokenizer
    if pre_tokenizer is not None and hasattr(pre_tokenizer, "add_prefix_space"):
        pre_tokenizer.add_prefix_space = True
        spaced.add_prefix_space = True
        if _words_match_text(spaced):
            return spaced
        pre_tokenizer.add_prefix_space = False
        spaced.add_prefix_space = False
    return tokenizer


def _words_match_text(tokenizer) -> bool:
    words = ["Probe", "words", "here"]
    try:
        split = tokenizer(words, is_split_into_words=True, add_special_tokens=False)
        joined = tokenizer(" " + " ".join(words), add_special_tokens=False)
    except Exception:  # noqa: BLE001 - some tokenizers refuse pre-split words without it
        return False
    return split["input_ids"] == joined["input_ids"] or \
        split["input_ids"] == tokenizer(" ".join(words), add_special_tokens=False)["input_ids"]
