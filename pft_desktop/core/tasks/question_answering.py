"""Extractive question answering: the model marks where in a context the answer starts and ends.

Data is SQuAD-style JSON (v1, or v2 with unanswerable questions) or a table with question,
context and answer columns (the answer's start optional: it is found in the context). Contexts
longer than the window are read in overlapping windows (``task.doc_stride`` tokens shared);
a window without the answer learns to point at the CLS token, which is also how a model trained
with unanswerable questions says "no answer".

Exact match and F1 are SQuAD's, computed on answers put back together from every window of a
question. They are computed at every evaluation, by a closure that holds the validation
windows (the Trainer gives compute_metrics only the logits and labels, in the order of its
evaluation sampler; the closure finds that order and checks it against the labels).
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, field, replace

from pft_desktop.core.data import DataReport, Table, counted, require_columns, token_length_summary
from pft_desktop.core.errors import UserError
from pft_desktop.core.messages import known, message
from pft_desktop.core.qa_data import SQUAD_COLUMNS, is_squad_file
from pft_desktop.core.tasks import onnx_usage
from pft_desktop.core.tasks.base import (PreparedData, Role, Task, TryField, WithoutLength,
                                         distinct_columns, load_tokenizer)

log = logging.getLogger("pft_desktop")

N_BEST = 20              # start and end candidates per window
MAX_ANSWER_TOKENS = 30   # longest answer considered, in tokens
LENGTH_SAMPLE = 5000     # contexts tokenized for the length histogram
EXAMPLES_SHOWN = 20      # validation questions kept with the final metrics
PROBE_QUESTION = "What colour is the sky on a clear day?"
PROBE_CONTEXT = ("On a clear day the sky is blue, the grass in the park is green and the "
                 "old bridge over the river is painted red.")

QUESTION = Role("question_column", "Question", "The question asked about the context.",
                names=("question", "questions", "query", "q"))
CONTEXT = Role("context_column", "Context", "The passage that holds the answer; long ones are "
               "read in overlapping windows.",
               names=("context", "passage", "paragraph", "document", "text", "article", "story"))
ANSWER = Role("answer_column", "Answer", "The answer, copied from the context; empty for an "
              "unanswerable question. A JSON list of answers, or {\"text\": [...], "
              "\"answer_start\": [...]} as datasets' SQuAD has it, works too.",
              names=("answers.text", "answer", "answers", "answer_text", "answer.text", "a"))
ANSWER_START = Role("answer_start_column", "Answer start", "The answer's character position in "
                    "the context (optional: without it the answer is found in the context, at "
                    "its first occurrence).", required=False,
                    names=("answers.answer_start", "answer_start", "answer.answer_start", "start",
                           "answer_start_char", "start_char", "char_start"), shape="any")


@dataclass
class Evaluation:
    """The validation questions and their windows, for putting answers back together from the
    logits of every window (and for finding the order the Trainer evaluated them in)."""

    questions: list
    contexts: list
    answers: list            # every gold answer text per question ([] when unanswerable)
    example: object          # window -> question (numpy)
    cls: object              # window -> its CLS index (numpy)
    offsets: list            # window -> (tokens, 2) character offsets, -1 off the context
    lengths: list            # window -> tokens
    starts: object           # window -> start label (numpy)
    ends: object
    allow_null: bool
    training: object = None  # TrainingSettings: which sample is evaluated during training
    last: dict | None = None  # the answers of the last evaluation of every window
    sample: list | None = None  # the windows of that sample, once known

    def rows_for(self, labels) -> list | None:
        """The windows behind the rows of an evaluation, in the order the Trainer evaluated
        them (shortest first, over all windows or over its fixed sample), checked against the
        start/end labels that came with them; None when no order fits."""
        import numpy as np

        starts, ends = (np.asarray(labels[0]).reshape(-1), np.asarray(labels[1]).reshape(-1))
        everything = list(range(len(self.lengths)))
        for subset in (everything, self._sample()):
            if len(subset) != len(starts):
                continue
            for rows in (sorted(subset, key=self.lengths.__getitem__), subset):
                if (self.starts[rows] == starts).all() and (self.ends[rows] == ends).all():
                    return rows
        return None

    def _sample(self) -> list:
        """The windows the recipe evaluates during training (its own choice, asked of it)."""
        import datasets

        from pft_desktop.core.recipe import evaluation_sample

        if self.sample is None and self.training is not None:
            index = datasets.Dataset.from_dict({"window": list(range(len(self.lengths)))})
            self.sample = list(evaluation_sample(index, self.training)["window"])
        return self.sample or []


@dataclass
class QuestionData(PreparedData):
    evaluation: Evaluation | None = field(default=None, repr=False)


class QuestionAnsweringTask(Task):
    """Find the answer to a question in a passage."""

    name = "question-answering"
    title = "Question answering (extractive)"
    description = ("Find the answer to a question in a passage of text (SQuAD style), or say "
                   "there is none. Needs question, context and answer columns, or a "
                   "SQuAD-style JSON file.")
    roles = (QUESTION, CONTEXT, ANSWER, ANSWER_START)
    counts_title = "Questions (training)"
    settings = ("max_length", "doc_stride")
    max_length_label = "Window length"
    lengths_title = "Context tokens"
    auto_class = "AutoModelForQuestionAnswering"
    onnx = True
    peft_task_type = "QUESTION_ANS"
    word_embeddings_optional = True
    default_best_metric = "eval_f1"
    pipeline_tag = "question-answering"
    model_hint = "Choose an encoder such as BERT, RoBERTa, DistilBERT, ELECTRA or DeBERTa."

    def headline(self, metrics: dict) -> str:
        if metrics.get("eval_f1") is None or math.isnan(metrics["eval_f1"]):
            return super().headline(metrics)
        return (f"Exact match {metrics.get('eval_exact_match', 0):.1%}, F1 "
                f"{metrics['eval_f1']:.1%} on the validation questions.")

    # -- data -------------------------------------------------------------------------------
    def preview(self, path: str, data):
        return self._load(path, data)

    def _load(self, path: str, data) -> Table:
        from pft_desktop.core.data import load_table
        from pft_desktop.core.qa_data import load_squad

        if is_squad_file(path):
            return load_squad(path)
        return load_table(path, encoding=data.encoding, delimiter=data.delimiter,
                          header=data.header)

    def guess(self, table: Table) -> dict[str, str]:
        if table.format == "squad" or is_squad_file(table.path):
            return dict(SQUAD_COLUMNS)
        from pft_desktop.core.data import guess_roles

        # Names first; then by content: the longest text is the context, the column whose
        # values sit inside it the answer, the other text the question.
        chosen = guess_roles(table, [replace(role, required=False) for role in self.roles])
        if chosen["answer_column"].endswith(".text") and not chosen["answer_start_column"]:
            start = chosen["answer_column"][:-5] + ".answer_start"
            chosen["answer_start_column"] = start if start in table.columns else ""
        return _guess_by_content(table, chosen)

    def problems(self, config) -> list[str]:
        found = [] if is_squad_file(config.data.train_file) else super().problems(config)
        t = config.task
        if t.doc_stride >= t.max_length - 8:
            found.append(f"task.doc_stride ({t.doc_stride}) must be well below task.max_length "
                         f"({t.max_length}): windows share that many tokens, and the question "
                         "takes room too. A quarter of the window is usual.")
        return found

    def read_data(self, config, info, sink=lambda event: None):
        from pft_desktop.core import events

        d = config.data
        train = self._load(d.train_file, d)
        validation = self._load(d.validation_file, d) if d.validation_file else None
        tokenizer = load_tokenizer(info.path, config.model.trust_remote_code)
        sink(events.make_event(events.STATUS, text="Tokenizing"))
        return self.prepare(config, train, validation, tokenizer), tokenizer

    def _mapping(self, data, table: Table, report: DataReport | None = None) -> dict:
        """Role -> this table's column: the configured names (SQuAD files: their own), a
        datasets-style answers column read as its text and start, and for a validation file
        (``report`` given) the guess where a configured name is missing."""
        mapping = {role.field: getattr(data, role.field) for role in self.roles}
        if table.format == "squad":
            return {key: value if value in table.columns else SQUAD_COLUMNS[key]
                    for key, value in mapping.items()}
        answer = mapping["answer_column"]
        if answer and answer not in table.columns and f"{answer}.text" in table.columns:
            mapping["answer_column"] = f"{answer}.text"
            if not mapping["answer_start_column"] and \
                    f"{answer}.answer_start" in table.columns:
                mapping["answer_start_column"] = f"{answer}.answer_start"
        if answer and answer in table.ignored_columns:  # dropped by the reader: all empty
            raise UserError("no_answers", message("error.answer_column_empty", column=answer,
                                                  file=table.path.name),
                            message("fix.no_answers"))
        if report is not None:
            guess = self.guess(table)
            for key, value in mapping.items():
                if not value or value in table.columns:
                    continue
                if guess[key]:
                    report.notes.append(message("data.file_column_guessed",
                                                file=table.path.name, wanted=value,
                                                fallback=guess[key]))
                    mapping[key] = guess[key]
                elif key == "answer_start_column":
                    report.notes.append(message("data.no_answer_start", file=table.path.name,
                                                wanted=value))
                    mapping[key] = ""
        require_columns(table, mapping)
        distinct_columns({key.replace("_column", ""): value for key, value in mapping.items()})
        return mapping

    def prepare(self, config, train: Table, validation: Table | None, tokenizer) -> PreparedData:
        from pft_desktop.core.qa_data import read_questions, split_by_context
        from pft_desktop.core.tasks.causal_lm import ensure_pad_token

        d, max_length, stride = config.data, config.task.max_length, config.task.doc_stride
        check_tokenizer(tokenizer)
        ensure_pad_token(tokenizer)
        tokenizer.padding_side = "right"  # start/end labels index the unpadded windows
        report = DataReport(rows_read=len(train), notes=list(train.notes),
                            warnings=list(train.warnings))
        frame = read_questions(train, self._mapping(d, train), report)
        report.duplicates = int(frame.duplicated(["question", "context", "answer"]).sum())
        if d.max_rows and len(frame) > d.max_rows:
            frame = frame.sample(n=d.max_rows, random_state=config.training.seed)
            report.notes.append(message("data.question_limit", questions=d.max_rows))
        if validation is not None:
            report.rows_read += len(validation)
            report.notes += validation.notes
            report.warnings += validation.warnings
            val_frame = read_questions(validation, self._mapping(d, validation, report), report)
        else:
            frame, val_frame = split_by_context(frame, d.validation_split, config.training.seed)
            _say_split(report, d.validation_split, val_frame)
        frame = _fit_questions(frame, tokenizer, max_length, stride, report, "training")
        if len(val_frame):
            val_frame = _fit_questions(val_frame, tokenizer, max_length, stride, report,
                                       "validation")
        _check_unanswerable(frame, val_frame, report)
        train_set = encode_windows(frame, tokenizer, max_length, stride, keep_offsets=False)
        val_set = encode_windows(val_frame, tokenizer, max_length, stride, keep_offsets=True) \
            if len(val_frame) else None
        evaluation = None
        if val_set is not None:
            val_set, evaluation = _evaluation(val_set, val_frame, bool(
                (frame["answer_start"] < 0).any() or (val_frame["answer_start"] < 0).any()))
            evaluation.training = config.training
        report.rows_kept = len(frame) + len(val_frame)
        report.train_rows, report.validation_rows = len(frame), len(val_frame)
        unanswerable = int((frame["answer_start"] < 0).sum())
        report.counts_name = "Questions"
        report.label_counts = {"answerable": len(frame) - unanswerable,
                               "unanswerable": unanswerable}
        _report_windows(report, frame, val_frame, train_set, evaluation, tokenizer, max_length,
                        stride)
        train_set = train_set.remove_columns(["example"])
        allow_null = evaluation.allow_null if evaluation else unanswerable > 0
        self._evaluation = evaluation
        return QuestionData(
            train=train_set, validation=val_set, report=report,
            validation_texts=list(val_frame["question"].head(5)),
            extra={"unanswerable": allow_null, "doc_stride": stride,
                   "max_answer_tokens": MAX_ANSWER_TOKENS},
            evaluation=evaluation)

    # -- model ------------------------------------------------------------------------------
    def load_model(self, path: str, data: PreparedData, tokenizer=None, **kwargs):
        """The model with a new answer head; refused when transformers leaves its backbone
        behind (Llama-family classes for question answering expect their layers under
        'transformer.', while the checkpoints name them 'model.': every weight would start
        random, and an adapter would load onto a random base)."""
        from transformers import AutoModelForQuestionAnswering

        wanted = kwargs.pop("output_loading_info", False)
        model, loading = AutoModelForQuestionAnswering.from_pretrained(
            path, output_loading_info=True, **kwargs)
        lost = [key for key in loading.get("missing_keys", ())
                if not key.startswith("qa_outputs.")]
        if len(lost) > len(model.state_dict()) / 2:
            raise UserError("backbone_not_loaded", f"transformers builds "
                            f"{type(model).__name__} without the pretrained weights of {path} "
                            f"({len(lost)} of its weights, such as '{lost[0]}', are not in the "
                            "checkpoint under that name), so training would start from random "
                            "weights.", "Choose an encoder such as BERT, RoBERTa, DistilBERT or "
                            "DeBERTa for question answering.")
        return (model, loading) if wanted else model

    def collator(self, tokenizer):
        from transformers import DataCollatorWithPadding

        return WithoutLength(DataCollatorWithPadding(tokenizer))

    def compute_metrics(self):
        evaluation = getattr(self, "_evaluation", None)
        if evaluation is None:
            return None

        def compute(prediction):
            return _scores(evaluation, prediction.predictions, prediction.label_ids)
        return compute

    def final_metrics(self, trainer, data: PreparedData, metrics: dict) -> dict:
        evaluation = getattr(data, "evaluation", None)
        if evaluation is None or data.validation is None:
            return metrics
        if evaluation.last is None:  # the final evaluation did not compute the answers
            output = trainer.predict(data.validation)
            metrics = {**metrics, **{f"eval_{k}": v for k, v in _scores(
                evaluation, output.predictions, output.label_ids).items()}}
        answers = evaluation.last or {}
        examples = [{"question": evaluation.questions[q],
                     "answer": (evaluation.answers[q] or [""])[0], "predicted": answers[q]}
                    for q in sorted(answers)[:EXAMPLES_SHOWN]]  # kept in metrics.json
        return {**metrics, "examples": examples}

    def final_warnings(self, metrics: dict) -> list[str]:
        if metrics.get("eval_no_answer_accuracy") == 1.0 and \
                metrics.get("eval_has_answer_f1") == 0.0:
            return ["The model answers 'no answer' to every validation question: it has not "
                    "learned to find answers yet. Train longer or with another learning rate."]
        return []

    # -- using the model --------------------------------------------------------------------
    def inputs(self, info: dict) -> list:
        return [TryField("question", "Question", "Ask a question about the context"),
                TryField("context", "Context", "Paste the passage that holds the answer",
                         multiline=True)]

    def predict(self, model, tokenizer, info: dict, inputs: dict) -> dict:
        question = str(inputs.get("question") or "").strip()
        context = str(inputs.get("context") or "")
        if not question or not context.strip():
            return {"error": "Give a question and a context (the passage the answer is in)."}
        return answer_question(model, tokenizer, question, context,
                               max_length=info.get("max_length") or 384,
                               stride=info.get("doc_stride", 64),
                               allow_null=bool(info.get("unanswerable")),
                               max_tokens=info.get("max_answer_tokens") or MAX_ANSWER_TOKENS)

    def describe(self, result: dict, inputs: dict) -> str:
        if "error" in result:
            return result["error"]
        return f"{result['answer'] or '(no answer)'}\t{result['score']:.3f}"

    def probe(self, model, tokenizer, info: dict) -> list:
        """Probabilities of each token being the answer's start (first row) and end (second),
        for a fixed question and context."""
        import torch

        batch = tokenizer(PROBE_QUESTION, PROBE_CONTEXT, return_tensors="pt")
        with torch.no_grad():
            output = model(**batch)
        return [output.start_logits[0].float().softmax(-1).tolist(),
                output.end_logits[0].float().softmax(-1).tolist()]

    def onnx_snippet(self, info: dict, file: str) -> str:
        return (onnx_usage.text_head(file) + "question, context = \"Your question?\", \"The "
                "passage that holds the answer.\"\ninputs = tokenizer(question, context, "
                f"truncation=\"only_second\", max_length={info.get('max_length') or 384}, "
                "return_tensors=\"np\")\n"
                "start_logits, end_logits = session.run(None, {k: inputs[k] for k in wanted})\n"
                "start, end = int(start_logits[0].argmax()), int(end_logits[0].argmax())\n"
                "print(tokenizer.decode(inputs[\"input_ids\"][0, start:end + 1]))")

    def loading_snippet(self, kind: str, info: dict) -> str:
        """Plain model code: transformers 5 removed pipeline("question-answering") (4.x has it,
        and the card says so)."""
        if kind == "adapter":
            load = ("from peft import AutoPeftModelForQuestionAnswering\n"
                    "from transformers import AutoTokenizer\n"
                    "model = AutoPeftModelForQuestionAnswering.from_pretrained(\".\")\n")
        else:
            load = ("from transformers import AutoModelForQuestionAnswering, AutoTokenizer\n"
                    "model = AutoModelForQuestionAnswering.from_pretrained(\".\")\n")
        empty = "  # empty: no answer in the context" if info.get("unanswerable") else ""
        return (f"import torch\n{load}"
                "tokenizer = AutoTokenizer.from_pretrained(\".\")\n"
                "question, context = \"Your question?\", \"The passage that holds the answer.\"\n"
                "inputs = tokenizer(question, context, truncation=\"only_second\", "
                f"max_length={info.get('max_length') or 384}, return_tensors=\"pt\")\n"
                "with torch.no_grad():\n"
                "    output = model(**inputs)\n"
                "start, end = int(output.start_logits.argmax()), int(output.end_logits.argmax())\n"
                "print(tokenizer.decode(inputs[\"input_ids\"][0, start:end + 1], "
                f"skip_special_tokens=True)){empty}\n"
                "# transformers 4.x also has pipeline(\"question-answering\", model=\".\"), which "
                "reads long contexts in windows")


# -- data helpers ----------------------------------------------------------------------------------

def check_tokenizer(tokenizer) -> None:
    if not getattr(tokenizer, "is_fast", False):
        raise UserError("slow_tokenizer", "Question answering needs a fast tokenizer (one that "
                        "maps every token back to its characters), and this model's tokenizer "
                        f"({type(tokenizer).__name__}) is not one.", "Choose a model whose "
                        "folder has a tokenizer.json, or convert its tokenizer with "
                        "transformers (AutoTokenizer.from_pretrained(..., use_fast=True)) and "
                        "save it into the model folder.")


def _guess_by_content(table: Table, chosen: dict) -> dict:
    """Fill the required roles the names did not: the longest text is the context, the column
    whose values are found inside it the answer, the longest remaining text the question."""
    from pft_desktop.core.data import column_shapes

    shapes = column_shapes(table.dataset)
    free = [c for c in table.columns if c not in chosen.values()
            and not shapes[c].mostly_blank and shapes[c].numeric_share < 0.5]
    if not chosen["context_column"] and free:
        chosen["context_column"] = max(free, key=lambda c: shapes[c].mean_length)
        free.remove(chosen["context_column"])
    if not chosen["answer_column"] and free and chosen["context_column"]:
        head = table.dataset.select(range(min(200, len(table)))).to_dict()
        contexts = [str(v or "") for v in head[chosen["context_column"]]]

        def inside(column):
            pairs = [(str(v or "").strip(), c) for v, c in zip(head[column], contexts)]
            pairs = [(v, c) for v, c in pairs if v]
            return sum(v in c for v, c in pairs) / max(1, len(pairs))

        best = max(free, key=inside)
        if inside(best) >= 0.5:
            chosen["answer_column"] = best
            free.remove(best)
    if not chosen["question_column"] and free:
        chosen["question_column"] = max(free, key=lambda c: shapes[c].mean_length)
    return chosen


def _say_split(report: DataReport, share: float, val_frame) -> None:
    if share <= 0:
        report.warnings.append(message("data.no_validation_qa"))
    elif not len(val_frame):
        report.warnings.append(message("data.too_few_questions"))
    else:
        report.notes.append(message(
            "data.questions_held_out", questions=counted(len(val_frame), "question"),
            contexts=counted(val_frame["context"].nunique(), "context")))


def _fit_questions(frame, tokenizer, max_length: int, stride: int, report: DataReport,
                   which: str):
    """Leave out questions too long to share a window with the context (the window holds the
    whole question, the special tokens, and more context tokens than the overlap)."""
    lengths = [len(ids) for ids in tokenizer(list(frame["question"]),
                                             add_special_tokens=False)["input_ids"]]
    room = max_length - tokenizer.num_special_tokens_to_add(pair=True) - stride - 1
    too_long = [i for i, n in enumerate(lengths) if n > room]
    if not too_long:
        return frame
    if len(too_long) == len(frame):
        raise UserError("window_too_small", message(
            "error.window_too_small", which=known(which), max_length=max_length, stride=stride,
            shortest=min(lengths)), message("fix.window_too_small"))
    first = str(frame["question"].iloc[too_long[0]])
    report.drop(message("drop.question_too_long", which=known(which)), len(too_long))
    report.warnings.append(message(
        "data.question_too_long" if len(too_long) == 1 else "data.questions_too_long",
        questions=counted(len(too_long), f"{which} question"), max_length=max_length,
        stride=stride, longest=max(lengths), first=first[:60]))
    return frame.drop(frame.index[too_long]).reset_index(drop=True)


def _check_unanswerable(frame, val_frame, report: DataReport) -> None:
    unanswerable = int((frame["answer_start"] < 0).sum())
    if unanswerable == len(frame):
        raise UserError("no_answers", message(
            "error.all_unanswerable", questions=counted(len(frame), "training question")),
            message("fix.no_answers"))
    total = unanswerable + int((val_frame["answer_start"] < 0).sum())
    if total:
        report.notes.append(message("data.unanswerable",
                                    questions=counted(total, "unanswerable question")))
    if unanswerable > len(frame) / 2:
        report.warnings.append(message("data.mostly_unanswerable", unanswerable=unanswerable,
                                       questions=len(frame), share=unanswerable / len(frame)))


def encode_windows(frame, tokenizer, max_length: int, stride: int, keep_offsets: bool):
    """Question and context tokenized into overlapping windows of the context, with the answer's
    start and end token in each window (the CLS token where the window does not hold the whole
    answer, or the question has none), the ``length`` the Trainer groups by, the question each
    window belongs to (``example``) and, for validation, each token's characters in the context
    (-1 off the context) and the CLS index."""
    import datasets
    import numpy as np

    source = datasets.Dataset.from_dict({
        "question": list(frame["question"]), "context": list(frame["context"]),
        "answer_end": [int(s) + len(a) if s >= 0 else -1
                       for s, a in zip(frame["answer_start"], frame["answer"])],
        "answer_start": [int(s) for s in frame["answer_start"]]})
    cls_id = tokenizer.cls_token_id

    def encode(batch, indices):
        encoded = tokenizer(batch["question"], batch["context"], truncation="only_second",
                            max_length=max_length, stride=stride, return_overflowing_tokens=True,
                            return_offsets_mapping=True)
        owners = encoded.pop("overflow_to_sample_mapping")
        all_offsets = encoded.pop("offset_mapping")
        out = {"start_positions": [], "end_positions": [], "example": [], "length": []}
        if keep_offsets:
            out.update(cls_index=[], offset_start=[], offset_end=[])
        for w, ids in enumerate(encoded["input_ids"]):
            owner = owners[w]
            cls = ids.index(cls_id) if cls_id is not None and cls_id in ids else 0
            sequence = np.array(encoded.sequence_ids(w), dtype=float)
            offsets = np.array(all_offsets[w], dtype=np.int64).reshape(-1, 2)
            offsets[sequence != 1] = -1
            start, end = _answer_tokens(offsets, batch["answer_start"][owner],
                                        batch["answer_end"][owner], cls)
            out["start_positions"].append(start)
            out["end_positions"].append(end)
            out["example"].append(indices[owner])
            out["length"].append(len(ids))
            if keep_offsets:
                out["cls_index"].append(cls)
                out["offset_start"].append(offsets[:, 0].tolist())
                out["offset_end"].append(offsets[:, 1].tolist())
        return {**encoded, **out}

    return source.map(encode, batched=True, with_indices=True, remove_columns=source.column_names,
                      desc="Tokenizing")


def _answer_tokens(offsets, start_char: int, end_char: int, cls: int) -> tuple[int, int]:
    """The first and last token of the answer in one window, or (cls, cls)."""
    import numpy as np

    context = np.flatnonzero(offsets[:, 0] >= 0)
    if start_char < 0 or not len(context) or offsets[context[0], 0] > start_char or \
            offsets[context[-1], 1] < end_char:
        return cls, cls
    start = context[np.flatnonzero(offsets[context, 0] <= start_char)[-1]]
    end = context[np.flatnonzero(offsets[context, 1] >= end_char)[0]]
    return int(start), int(end)


def _evaluation(val_set, val_frame, allow_null: bool):
    """The validation windows without their side columns (what the model sees) and the
    Evaluation that turns their logits into answers."""
    import numpy as np

    side = val_set.select_columns(["example", "cls_index", "offset_start", "offset_end",
                                   "length", "start_positions", "end_positions"]).to_dict()
    evaluation = Evaluation(
        questions=list(val_frame["question"]), contexts=list(val_frame["context"]),
        answers=list(val_frame["answers"]), example=np.asarray(side["example"]),
        cls=np.asarray(side["cls_index"]),
        offsets=[np.stack([np.asarray(s), np.asarray(e)], axis=1)
                 for s, e in zip(side["offset_start"], side["offset_end"])],
        lengths=list(side["length"]), starts=np.asarray(side["start_positions"]),
        ends=np.asarray(side["end_positions"]), allow_null=allow_null)
    return val_set.remove_columns(["example", "cls_index", "offset_start", "offset_end"]), \
        evaluation


def _report_windows(report: DataReport, frame, val_frame, train_set, evaluation, tokenizer,
                    max_length: int, stride: int) -> None:
    """Context lengths in tokens, and how many contexts need more than one window."""
    import numpy as np
    import pandas as pd

    contexts = pd.concat([frame["context"], val_frame["context"]]).drop_duplicates()
    sample = list(contexts.head(LENGTH_SAMPLE))
    lengths = [len(ids) for ids in tokenizer(sample, add_special_tokens=False)["input_ids"]]
    report.token_lengths = {**token_length_summary(lengths, max_length),
                            "truncated_share": 0.0}  # long contexts are windowed, not cut
    windows = pd.Series(np.bincount(train_set["example"], minlength=len(frame)),
                        index=frame["context"].to_numpy())
    if evaluation is not None:
        counts = pd.Series(np.bincount(evaluation.example, minlength=len(val_frame)),
                           index=val_frame["context"].to_numpy())
        windows = pd.concat([windows, counts])
    per_context = windows.groupby(level=0).max()
    several = int((per_context > 1).sum())
    report.notes.append(message(
        "data.windows", several=several, contexts=counted(len(per_context), "context"),
        max_length=max_length, stride=stride,
        questions=counted(len(frame), "training question"),
        windows=counted(len(train_set), "training window")))
    if several > len(per_context) / 2 and max_length < 384:
        report.notes.append(message("data.long_contexts"))


def _scores(evaluation: Evaluation, predictions, label_ids) -> dict:
    """SQuAD exact match and F1 of one evaluation's logits."""
    import numpy as np

    from pft_desktop.core.qa_data import answers_from_logits, squad_scores

    start_logits, end_logits = (np.asarray(p) for p in predictions[:2])
    rows = evaluation.rows_for(label_ids)
    if rows is None:
        log.warning("The evaluated windows could not be matched with the validation questions; "
                    "exact match and F1 are not computed for this evaluation.")
        return {"exact_match": float("nan"), "f1": float("nan")}
    answers = answers_from_logits(start_logits, end_logits, evaluation, rows,
                                  evaluation.contexts, evaluation.allow_null, N_BEST,
                                  MAX_ANSWER_TOKENS)
    if len(rows) == len(evaluation.lengths):
        evaluation.last = answers
    return squad_scores(answers, evaluation.answers)


# -- predicting ------------------------------------------------------------------------------------

def answer_question(model, tokenizer, question: str, context: str, max_length: int,
                    stride: int, allow_null: bool, max_tokens: int = MAX_ANSWER_TOKENS) -> dict:
    """The answer to one question: the most probable span over every window of the context
    (probabilities of start and end, each a softmax over the window's context tokens, and the
    CLS token where "no answer" was learned), or "" when "no answer" is more probable."""
    import numpy as np
    import torch

    from pft_desktop.core.qa_data import best_span

    tokenizer.padding_side = "right"
    asked = len(tokenizer(question, add_special_tokens=False)["input_ids"])
    room = max_length - tokenizer.num_special_tokens_to_add(pair=True) - asked
    if room < 2:
        return {"error": f"The question is too long ({asked} tokens) for the model's windows "
                         f"of {max_length} tokens. Ask a shorter question."}
    batch = tokenizer(question, context, truncation="only_second", max_length=max_length,
                      stride=min(stride, room - 1), return_overflowing_tokens=True,
                      return_offsets_mapping=True, padding=True, return_tensors="pt")
    all_offsets = batch.pop("offset_mapping").numpy()
    batch.pop("overflow_to_sample_mapping", None)
    with torch.no_grad():
        output = model(**batch)
    starts = output.start_logits.float().numpy()
    ends = output.end_logits.float().numpy()
    best, null = None, np.inf
    cls_id = tokenizer.cls_token_id
    for w in range(len(starts)):
        ids = batch["input_ids"][w].tolist()
        cls = ids.index(cls_id) if cls_id is not None and cls_id in ids else 0
        sequence = np.array(batch.sequence_ids(w), dtype=float)
        offsets = all_offsets[w].astype(np.int64).copy()
        offsets[sequence != 1] = -1
        allowed = offsets[:, 0] >= 0
        if allow_null:
            allowed[cls] = True
        log_start = _log_softmax(np.where(allowed, starts[w], -np.inf))
        log_end = _log_softmax(np.where(allowed, ends[w], -np.inf))
        if allow_null:
            null = min(null, float(log_start[cls] + log_end[cls]))  # as the pipeline does
        span = best_span(log_start, log_end, offsets, N_BEST, max_tokens)
        if span is not None and (best is None or span[0] > best[0]):
            best = span
    if best is None or (allow_null and null > best[0]):
        return {"answer": "", "score": round(float(np.exp(null)) if allow_null else 0.0, 6),
                "start": 0, "end": 0, "context": context}
    score, start, end = best
    text = context[start:end]
    start += len(text) - len(text.lstrip())
    end -= len(text) - len(text.rstrip())
    return {"answer": context[start:end], "score": round(float(np.exp(score)), 6),
            "start": start, "end": end, "context": context}


def _log_softmax(values):
    import numpy as np

    top = np.max(values)
    shifted = values - top
    return shifted - np.log(np.sum(np.exp(shifted)))
