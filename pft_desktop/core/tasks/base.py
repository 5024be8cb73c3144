"""What every task declares about itself, and the hooks the recipe, predict, export and the
app call. A task is one module: its columns, data checks, model class, metrics, predictor,
probe and model card all live there, so nothing outside ``core/tasks`` asks which task it is.

Class attributes are cheap to read (the app's window reads them without importing torch);
anything heavy is imported inside the hooks that need it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pft_desktop.core.data import DataReport, Table
from pft_desktop.core.errors import UserError
from pft_desktop.core.messages import message

ALL_METHODS = ("full", "freeze", "lora", "qlora-4bit", "qlora-8bit")


@dataclass(frozen=True)
class Role:
    """One column a task reads. ``field`` is the DataSettings field that holds the column's
    name; ``names`` are header names that suggest it; ``shape`` says what its values look like
    for guessing from the data (text: long and varied; label: few distinct values; number;
    any)."""

    field: str
    label: str
    help: str
    required: bool = True
    names: tuple = ()
    shape: str = "text"


@dataclass(frozen=True)
class TryField:
    """One input box of the try box (and one input of `predict`)."""

    key: str
    label: str
    placeholder: str = ""
    multiline: bool = False
    required: bool = True


@dataclass
class PreparedData:
    """Tokenized train and validation sets plus what the model and card need to know."""

    train: object
    validation: object
    report: DataReport
    label_names: list = field(default_factory=list)  # tasks with classes or tags
    validation_texts: list = field(default_factory=list)
    extra: dict = field(default_factory=dict)  # task-specific facts saved with the model
    lengths: object = None  # a token_lengths.LengthSource: rows the check counts in full


class Task:
    """One task. Subclasses set the attributes and fill in the hooks; the recipe calls them in
    order: check_model, prepare, load_model, trainer_arguments, collator, compute_metrics,
    build_trainer, final_metrics, trained_model."""

    name = ""            # the id on the command line and in config files
    title = ""           # the Task page's option
    description = ""     # one or two sentences under it: what it does, what data it needs
    roles: tuple = ()    # Role per column read, in the Data page's order
    counts_title = ""    # the data report's bar chart of report.label_counts ("" hides it)
    lengths_title = "Tokens per row"  # the data report's histogram of token lengths
    folder_choice = ""   # a button label when the data can be a folder ("Folder of images…")
    data_settings = ()   # DataSettings fields beside the columns on the Data page (a separator)
    settings = ("max_length",)  # the TaskSettings fields the Hyperparameters page shows
    training_settings = ()  # TrainingSettings fields only some tasks read (NEFTune)
    chat = False  # the try box is a multi-turn chat with generation settings
    onnx = False  # exports to ONNX for onnxruntime (core.onnx_export): the encoder heads
    max_length_label = "Max length"
    sections = ()        # further config sections the task reads (the pretrain section)
    defaults: dict = {}  # starting values that differ from the dataclasses' ("training.epochs")
    # Token length figures a check already found for exactly these inputs, and the check
    # cache's key of them (core.check_cache sets both before read_data): figures reported as
    # they are, without counting tokens again.
    known_lengths: dict | None = None
    check_key: str | None = None

    auto_class = ""      # transformers' AutoModelFor... class this task trains
    peft_task_type = ""
    methods = ALL_METHODS
    default_best_metric = "eval_loss"
    perplexity = False   # show perplexity beside the loss on the live charts
    model_hint = ""
    pipeline_tag = ""    # the model card's pipeline tag
    saves_merged = False  # save LoRA merged into the model (a base for later fine-tuning)
    trains_head = False  # LoRA: train and save the head in full (no peft task type does it)
    # Full fine-tuning may leave the word embeddings as pretrained (the setting
    # method.train_word_embeddings): the task predicts from the text, not over a vocabulary
    # whose output layer shares them.
    word_embeddings_optional = False

    # -- the model -------------------------------------------------------------------------
    def fits(self, heads: list[str]) -> bool:
        """Whether a model whose transformers heads are ``heads`` (auto-class names) can be
        trained for this task."""
        return self.auto_class in heads

    def check_model(self, info) -> None:
        if not self.fits(info.heads):
            can = ", ".join(info.tasks) or "none of the supported tasks"
            raise UserError("unsupported_task", f"{info.architecture} ({info.model_type}) cannot "
                            f"do {self.name} with transformers; it can do: {can}.",
                            self.model_hint)

    def load_model(self, path: str, data: PreparedData, tokenizer=None, **kwargs):
        import transformers

        return getattr(transformers, self.auto_class).from_pretrained(
            path, **self.model_kwargs(data.label_names, data.extra), **kwargs)

    def lora_targets(self, model) -> list[str]:
        """LoRA's default target modules for this task's models; empty means the usual
        choice for the architecture (core.methods)."""
        return []

    def auto_class_for(self, info: dict) -> str:
        """The auto class that loads a model this task trained (``info``: its run info)."""
        return self.auto_class

    def model_kwargs(self, label_names: list, extra: dict) -> dict:
        """Keyword arguments for ``from_pretrained`` that shape the head (labels, problem
        type), for training and for loading the result back."""
        return {}

    def claims(self, model_config: dict) -> bool:
        """Whether a model folder without pft-desktop's run info was trained for this task
        (its config.json's architectures and problem type)."""
        head = self.auto_class.replace("AutoModelFor", "For")
        return bool(head) and any(str(name).endswith(head)
                                  for name in model_config.get("architectures") or [])

    def folder_info(self, model_config: dict) -> dict:
        """What predicting with a model folder this task claims needs besides the task's
        name (for a masked-LM folder: that it fills in masked words)."""
        return {}

    # -- the data --------------------------------------------------------------------------
    def columns(self, config) -> dict[str, str]:
        """Role field -> the column mapped to it (empty when unset)."""
        return {role.field: getattr(config.data, role.field) for role in self.roles}

    def guess(self, table: Table) -> dict[str, str]:
        """A first guess at every role's column: a known name wins, then the shape."""
        from pft_desktop.core.data import guess_roles

        return guess_roles(table, self.roles)

    def problems(self, config) -> list[str]:
        """What is missing or contradictory in the settings, before any file is read."""
        missing = [role for role in self.roles if role.required
                   and not getattr(config.data, role.field)]
        if missing:
            names = " and ".join(f"data.{role.field}" for role in missing)
            what = " and the ".join(role.label.lower() for role in missing)
            verb = "is" if len(missing) == 1 else "are"
            return [f"{names} {verb} empty for {self.name}: name the {what} column"
                    f"{'' if len(missing) == 1 else 's'}."]
        return []

    def preview(self, path: str, data):
        """The Data page's table of the chosen file (``data``: DataSettings), in the window's
        worker thread: a core.data.Table, or a UserError."""
        from pft_desktop.core.data import load_table

        return load_table(path, encoding=data.encoding, delimiter=data.delimiter,
                          header=data.header)

    def read_data(self, config, info, sink=lambda event: None):
        """Read the data files, load the tokenizer and prepare the examples: (PreparedData,
        tokenizer). Tasks that read something other than tables override it."""
        from pft_desktop.core import events
        from pft_desktop.core.data import load_table

        d = config.data
        options = {"encoding": d.encoding, "delimiter": d.delimiter, "header": d.header}
        train = load_table(d.train_file, **options)
        validation = load_table(d.validation_file, **options) if d.validation_file else None
        tokenizer = load_tokenizer(info.path, config.model.trust_remote_code)
        sink(events.make_event(events.STATUS, text="Tokenizing"))
        return self.prepare(config, train, validation, tokenizer), tokenizer

    def prepare(self, config, train: Table, validation: Table | None, tokenizer) -> PreparedData:
        raise NotImplementedError

    def measure_lengths(self, source) -> dict:
        """The report's token length figures for ``source`` (a token_lengths.LengthSource):
        those a check already found, else from a sample (core.token_lengths)."""
        known = self.known_lengths
        if known and known.get("rows") == len(source):
            return dict(known)
        return source.first_figures()

    def collator(self, tokenizer):
        raise NotImplementedError

    # -- the trainer -----------------------------------------------------------------------
    def trainer_arguments(self, config, **common):
        """The trainer's arguments from the settings every task shares (``common``: keywords
        of transformers' TrainingArguments). A task whose trainer reads its own arguments class
        (TRL's DPOConfig, a subclass) returns that, with its own fields added."""
        from transformers import TrainingArguments

        return TrainingArguments(**common)

    def build_trainer(self, wrap, **parts):
        """The trainer for this task. ``wrap`` is the recipe's make_trainer: it gives any
        Trainer subclass length-grouped batches and checkpoints that resume exactly, so a task
        with its own trainer class wraps that. ``parts``: the Trainer's keyword arguments."""
        from transformers import Trainer

        return wrap(Trainer)(**parts)

    def trained_model(self, trainer):
        """The model to save once training is over; a trainer may hold helpers that are not
        part of the result (TRL's frozen reference adapter)."""
        return trainer.model

    # -- metrics ---------------------------------------------------------------------------
    def compute_metrics(self):
        return None

    def final_metrics(self, trainer, data: PreparedData, metrics: dict) -> dict:
        return metrics

    def remember_predictions(self, prediction) -> None:
        """Keep the latest evaluation's predictions (compute_metrics calls this): the last one
        is the final evaluation of every validation row, which the detailed report reads
        instead of predicting them all a second time."""
        self._last_predictions = prediction

    def final_predictions(self, trainer, dataset):
        """The final evaluation's predictions and label ids, taken once; a fresh pass when the
        latest evaluation did not cover these rows."""
        last, self._last_predictions = getattr(self, "_last_predictions", None), None
        if last is not None and last.label_ids is not None \
                and len(last.label_ids) == len(dataset):
            return last
        return trainer.predict(dataset)

    def final_warnings(self, metrics: dict) -> list[str]:
        """Signs in the final metrics that the model is not what it seems (it predicts a
        single class, say)."""
        return []

    def headline(self, metrics: dict) -> str:
        """One sentence for the Results page about the final metrics ("" for none)."""
        if metrics.get("eval_perplexity") is not None:
            return message("headline.perplexity", perplexity=metrics["eval_perplexity"])
        if metrics.get("eval_loss") is not None:
            return message("headline.loss", loss=metrics["eval_loss"])
        return ""

    # -- using the trained model -----------------------------------------------------------
    def load_processor(self, folder):
        """What turns inputs into model inputs: the tokenizer (image tasks: the image
        processor)."""
        from transformers import AutoTokenizer

        return AutoTokenizer.from_pretrained(folder)

    def run_info(self) -> dict:
        """Facts saved beside the trained model that loading it back needs."""
        return {}

    def predict(self, model, tokenizer, info: dict, inputs: dict) -> dict:
        """The try box's and `predict`'s answer for one input (``inputs`` keyed by the
        fields of ``inputs()``)."""
        raise NotImplementedError

    def describe(self, result: dict, inputs: dict) -> str:
        """One line of plain text for a prediction (`predict`'s output, the try box's
        fallback)."""
        if "label" in result and "probabilities" in result:
            others = ", ".join(f"{k} {v:.3f}" for k, v in result["probabilities"].items())
            return f"{result['label']}\t{result['score']:.3f}\t({others})\t{inputs.get('text')}"
        if "fill" in result:
            return "\n".join("  ".join(f"{g['token']} {g['score']:.3f}" for g in guesses)
                             for guesses in result["fill"])
        return str(result.get("text", result))

    def probe(self, model, tokenizer, info: dict) -> list:
        """Rows of numbers for a fixed input: an export must give the same as the run's own
        model (see core.verify)."""
        raise NotImplementedError

    def inputs(self, info: dict) -> list[TryField]:
        """The try box's input fields for a model trained with this task (``info``: the
        model's run info); `predict` takes the first as its text argument."""
        return [TryField("text", "Text", "Type some text and press Enter")]

    def loading_snippet(self, kind: str, info: dict) -> str:
        """Python that loads the export (``kind`` adapter or merged) and uses it."""
        head = self.auto_class.replace("AutoModelFor", "")
        if kind == "adapter":
            return (f"from peft import AutoPeftModelFor{head}\n"
                    "from transformers import AutoTokenizer\n"
                    f"model = AutoPeftModelFor{head}.from_pretrained(\".\")\n"
                    "tokenizer = AutoTokenizer.from_pretrained(\".\")")
        return ("from transformers import pipeline\n"
                f"run = pipeline(\"{self.card_pipeline_tag(info)}\", model=\".\")")

    def card_pipeline_tag(self, info: dict) -> str:
        return self.pipeline_tag

    # -- ONNX (tasks with ``onnx = True``) ---------------------------------------------------
    def onnx_sample(self, processor) -> dict:
        """A padded batch of probe inputs of different lengths: what an ONNX export is traced
        with and checked on."""
        return dict(processor(PROBE_TEXTS, padding=True, return_tensors="pt"))

    def onnx_snippet(self, info: dict, file: str) -> str:
        """Python that answers one input with the exported ONNX ``file`` in onnxruntime, as
        this task answers it (core.tasks.onnx_usage has the shared pieces)."""
        raise NotImplementedError


def uses_text_pair(info: dict) -> bool:
    """Whether a run (``info``: its run info) read a second text column beside the first."""
    return bool(((info.get("config") or {}).get("data") or {}).get("text_pair_column"))


def load_tokenizer(path: str, trust_remote_code: bool = False):
    """The model's tokenizer: through the class its folder declares where that is certain
    (core.tokenizer_class: no torch imported for a data check), else AutoTokenizer."""
    from pft_desktop.core.tokenizer_class import load_declared

    try:
        tokenizer = None if trust_remote_code else load_declared(path)
        if tokenizer is not None:
            return tokenizer
        from transformers import AutoTokenizer

        return AutoTokenizer.from_pretrained(path, trust_remote_code=trust_remote_code)
    except Exception as exc:
        raise UserError("bad_tokenizer", f"The tokenizer in {path} could not be loaded "
                        f"({type(exc).__name__}: {str(exc)[:200]}).",
                        "Make sure the folder holds the model's tokenizer files "
                        "(tokenizer.json or vocab files) saved with the same transformers.") \
            from None


PROBE_TEXTS = ["The first probe sentence, plain and short.", "A second one: different words, "
               "numbers 1 2 3, and punctuation!", "ok"]


def last_position_probe(model, tokenizer) -> list:
    """Probabilities over the vocabulary at the last position of each probe text (the next
    token, or a masked-LM's last prediction)."""
    import torch

    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    rows = []
    with torch.no_grad():
        for text in PROBE_TEXTS:  # one at a time: no padding side to agree on
            logits = model(**tokenizer(text, return_tensors="pt")).logits[0, -1]
            rows.append(logits.float().softmax(-1).tolist())
    return rows


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
        report.drop(message("drop.empty", column=name), int(empty.sum()))
        frame = frame[~empty]
    report.duplicates += int(frame.duplicated().sum())
    return frame.reset_index(drop=True)


def distinct_columns(roles: dict[str, str]) -> None:
    """Refuse one column mapped to two roles."""
    used = [column for column in roles.values() if column]
    if len(set(used)) < len(used):
        raise UserError("invalid_mapping", "The same column is mapped to two roles ("
                        + ", ".join(f"{k}: {v}" for k, v in roles.items() if v) + ").",
                        "Map a different column to each role.")
