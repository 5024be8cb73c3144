"""Run configuration: typed dataclasses that fully describe one run.

They are the single source of truth: the command line fills them from flags, the wizard's forms
are built from their fields (``help`` becomes the tooltip), the runner receives them as a TOML
file, and the exported model card prints them. Constraints live in field metadata so that
validation, the UI's spin boxes and the docs agree.
"""

from __future__ import annotations

import difflib
import json
import math
import tomllib
from dataclasses import MISSING, asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from pft_desktop.core.errors import UserError

from pft_desktop.core.tasks import TASK_IDS as TASKS  # the registry's ids
from pft_desktop.core.tasks import get_task
SCRATCH_KINDS = ("", "encoder", "decoder")
SIZES = ("tiny", "small", "base")
# The config file format. A file whose schema_version (or version) is higher was written by
# a newer pft-desktop and is refused by name instead of being misread.
SCHEMA_VERSION = 1
VERSION_KEYS = ("schema_version", "version")
METHODS = ("full", "freeze", "lora", "qlora-4bit", "qlora-8bit")
PRECISIONS = ("auto", "fp32", "bf16", "fp16")
SCHEDULERS = ("linear", "cosine", "constant_with_warmup", "constant")


def option(default: Any, help: str, *, label: str = "", choices: tuple = (), minimum=None,
           maximum=None, advanced: bool = False, exclusive_min: bool = False, unset: str = ""):
    """A dataclass field whose metadata carries its help text, label and allowed range.

    ``unset`` says in words what the zero or empty value means ("from epochs", "off"), so a
    form shows that instead of a bare 0 or an empty box."""
    meta = {"help": help, "label": label, "choices": choices, "min": minimum, "max": maximum,
            "advanced": advanced, "exclusive_min": exclusive_min, "unset": unset}
    if isinstance(default, list):
        return field(default_factory=lambda: list(default), metadata=meta)
    return field(default=default, metadata=meta)


@dataclass
class ModelSettings:
    name_or_path: str = option(
        "", "A local Hugging Face model folder, or a model id on the Hugging Face hub "
        "(for example 'bert-base-uncased'), which is downloaded once and cached.",
        label="Model")
    revision: str = option("", "Hub revision (branch, tag or commit) to download; empty means "
                           "the default branch.", label="Revision", advanced=True)
    trust_remote_code: bool = option(
        False, "Run Python code shipped with the model. Only turn this on for models you trust.",
        label="Trust remote code", advanced=True)
    start_from: str = option(
        "", "A finished run (its folder) whose trained weights this run starts from: 'Train "
        "more'. Its adapter keeps training with LoRA; full weights are the starting point of "
        "any method. The base model and the labels must be the run's.", label="Start from run",
        advanced=True, unset="the pretrained model itself")


@dataclass
class DataSettings:
    train_file: str = option("", "The training data: a CSV, TSV, JSON Lines or Parquet file.",
                             label="Training file")
    validation_file: str = option(
        "", "Optional separate validation file. When empty, a share of the training file is "
        "held out instead.", label="Validation file")
    text_column: str = option("", "Column with the text (to classify, to score, or to learn "
                              "the language of).", label="Text column")
    text_pair_column: str = option(
        "", "Optional second text column for pair tasks (question/answer, premise/hypothesis).",
        label="Second text column")
    label_column: str = option("", "Column with the label: a class (text or number), several "
                               "separated labels for multi-label, a number for regression.",
                               label="Label column")
    prompt_column: str = option("", "Column with the prompt (what the model is given).",
                                label="Prompt column")
    response_column: str = option(
        "", "Column with the response the model should learn to write; the loss is computed "
        "on these tokens only.", label="Response column")
    label_delimiter: str = option(
        "", "Multi-label: the character between labels in one cell ('sports;politics'); empty "
        "means detect it (one of , ; | and space).", label="Label separator", advanced=True,
        unset="detect it")
    label_columns: list = option(
        [], "Multi-label: several 0/1 columns, one per label, instead of one column of "
        "separated labels.", label="Label columns (0/1)", advanced=True,
        unset="one label column")
    tokens_column: str = option(
        "", "Named entities: the column holding each sentence's tokens (a list, as JSON Lines "
        "files have it). A CoNLL-style file (token first, tag last) needs no column names.",
        label="Tokens column")
    tags_column: str = option(
        "", "Named entities: the column holding one tag per token (IOB1, IOB2 or BIOES, such "
        "as B-PER, I-PER, O).", label="Tags column")
    spans_column: str = option(
        "", "Named entities from a CSV: the column holding character spans of the text, as "
        "JSON [[start, end, \"TYPE\"], …] or [{\"start\":…, \"end\":…, \"label\":…}].",
        label="Entity spans column")
    question_column: str = option("", "Question answering: the column with the question.",
                                  label="Question column")
    context_column: str = option(
        "", "Question answering: the column with the passage the answer is found in.",
        label="Context column")
    answer_column: str = option(
        "", "Question answering: the column with the answer text, copied from the context "
        "(empty for an unanswerable question).", label="Answer column")
    answer_start_column: str = option(
        "", "Question answering: the column with the answer's character position in the "
        "context; empty means find the answer text in the context.",
        label="Answer start column", unset="find the answer in the context")
    source_column: str = option("", "Sequence to sequence: the text to translate or summarize.",
                                label="Source column")
    target_column: str = option("", "Sequence to sequence: the translation or summary to "
                                "learn.", label="Target column")
    conversation_column: str = option(
        "", "Chat: the column holding each conversation as a list of turns, OpenAI-style "
        "('messages' with role/content) or ShareGPT-style ('conversations' with from/value). "
        "Empty: prompt and response columns instead (Alpaca's instruction/input/output too).",
        label="Conversation column", unset="prompt and response columns")
    system_column: str = option(
        "", "Chat: an optional column with each row's system prompt; it overrides the "
        "default system prompt.", label="System prompt column", advanced=True, unset="none")
    input_column: str = option(
        "", "Chat, Alpaca layout: an optional column with extra input, put after the "
        "instruction (the prompt column) in the user's turn.", label="Input column",
        advanced=True, unset="none")
    chosen_column: str = option(
        "", "Preference tuning: the response people preferred (text, or a conversation whose "
        "last turn is the assistant's).", label="Chosen column")
    rejected_column: str = option(
        "", "Preference tuning: the response people rejected for the same prompt.",
        label="Rejected column")
    image_column: str = option(
        "", "Image classification from a table: the column with each image's path (relative "
        "to the table's folder, or absolute). A folder with one subfolder per class needs no "
        "columns.", label="Image column")
    validation_text_column: str = option(
        "", "Text column of the validation file, when it is named differently from the "
        "training file's. Empty means the same name, or the only text column there.",
        label="Validation text column", advanced=True)
    validation_split: float = option(
        0.1, "Share of the training rows held out for validation when there is no validation "
        "file (stratified by label for classification).", label="Validation share",
        minimum=0.0, maximum=0.5)
    max_rows: int = option(0, "Use at most this many training rows (0 = all). Handy for a quick "
                           "first run.", label="Row limit", minimum=0, advanced=True)
    delimiter: str = option("", "Field delimiter for CSV/TSV files; empty means detect it.",
                            label="Delimiter", advanced=True)
    encoding: str = option("", "Text encoding of the file; empty means detect it (UTF-8, UTF-8 "
                           "with BOM, then Windows-1252).", label="Encoding", advanced=True)
    header: str = option(
        "auto", "Whether the first row of a CSV/TSV file holds the column names: 'auto' detects "
        "it, 'yes' and 'no' decide. Spreadsheet exports whose first row ends in empty cells are "
        "detected too.", label="First row is a header", choices=("auto", "yes", "no"),
        advanced=True)


@dataclass
class TaskSettings:
    kind: str = option("classification", "What the model learns: " + "; ".join(
        f"'{task}'" for task in TASKS) + ". `pft-desktop tasks` describes each and the "
        "columns it reads.", label="Task", choices=TASKS)
    max_length: int = option(
        128, "Longest input in tokens; longer texts are truncated. Batches are padded only to "
        "their own longest text, so a generous value costs little. When pretraining, this is "
        "the block size: texts are joined and cut into blocks of exactly this many tokens.",
        label="Max length", minimum=8, maximum=32768)
    max_target_length: int = option(
        128, "Sequence to sequence: the longest target in tokens, in training and when "
        "generating.", label="Max target length", minimum=4, maximum=32768, advanced=True)
    source_prefix: str = option(
        "", "Sequence to sequence: text put before every source, as T5-style models expect "
        "('summarize: ', 'translate English to German: ').", label="Source prefix",
        advanced=True, unset="none")
    doc_stride: int = option(
        64, "Question answering: tokens shared by consecutive windows when a context is longer "
        "than the maximum length.", label="Context overlap", minimum=0, maximum=8192,
        advanced=True)
    system_prompt: str = option(
        "", "Chat: the system prompt of every conversation that has none of its own, in "
        "training and in the try box.", label="System prompt", unset="none")
    chat_template: str = option(
        "", "Chat: how conversations are written as text. Empty uses the model's own template "
        "(from its tokenizer); a model without one needs a choice: 'chatml' (Qwen-style "
        "<|im_start|> turns), 'llama3', 'zephyr' or 'plain' (User:/Assistant: lines).",
        label="Chat template", choices=("", "chatml", "llama3", "zephyr", "plain"),
        advanced=True, unset="the model's own")
    train_on_prompt: bool = option(
        False, "Chat: learn every token (system, user and assistant turns) instead of the "
        "assistant's turns only.", label="Train on all tokens", advanced=True)
    packing: bool = option(
        False, "Language modelling: pack several short examples into each row of a batch, "
        "with no attention across them, so no compute is spent on padding.",
        label="Pack short examples")


@dataclass
class MethodSettings:
    kind: str = option("lora", "How much of the model is trained: 'full' updates every weight; "
                       "'freeze' trains the head (and the top layers you choose); 'lora' trains "
                       "small adapter matrices; 'qlora-4bit'/'qlora-8bit' do LoRA on a quantized "
                       "model to save memory.", label="Method", choices=METHODS)
    lora_r: int = option(8, "LoRA rank: the size of the adapter matrices. 8-16 suits most "
                         "tasks; higher learns more and costs more.", label="LoRA rank",
                         minimum=1, maximum=1024)
    lora_alpha: int = option(16, "LoRA scaling; the adapter update is scaled by alpha/rank. "
                             "Twice the rank is a common choice.", label="LoRA alpha",
                             minimum=1, maximum=4096)
    lora_dropout: float = option(0.05, "Dropout on the adapter's input during training.",
                                 label="LoRA dropout", minimum=0.0, maximum=0.9)
    lora_target_modules: list = option(
        [], "Module names to adapt (for example q_proj, v_proj). Empty means the usual choice "
        "for this architecture.", label="LoRA target modules", advanced=True,
        unset="the usual layers for this architecture")
    use_dora: bool = option(
        False, "LoRA: weight-decomposed adapters (DoRA), learning magnitude and direction "
        "apart; often better at low ranks, slower per step.", label="DoRA", advanced=True)
    use_rslora: bool = option(
        False, "LoRA: scale the update by alpha/sqrt(rank) instead of alpha/rank (rank-"
        "stabilized), so high ranks keep learning.", label="rsLoRA", advanced=True)
    train_word_embeddings: bool = option(
        True, "Full fine-tuning for classification, tagging and question answering: train "
        "the word embeddings too. Turning it off leaves them as pretrained: they are about "
        "half of a small encoder's weights. Keep it on for a model whose embeddings were not "
        "well pretrained. Language modelling always trains them.",
        label="Train word embeddings", advanced=True)
    trainable_top_layers: int = option(
        0, "With 'freeze': also train this many of the top transformer layers besides the "
        "head.", label="Trainable top layers", minimum=0, maximum=1000, unset="head only")
    gradient_checkpointing: bool = option(
        False, "Recompute activations in the backward pass: much less memory, about 30% "
        "slower.", label="Gradient checkpointing", advanced=True)
    precision: str = option(
        "auto", "Number format for training: 'auto' uses bf16 on GPUs that support it and "
        "fp32 otherwise (on a CPU with bf16 instructions, fp32 with bf16 matrix products: see "
        "CPU speed-ups); fp16 needs a CUDA GPU.", label="Precision", choices=PRECISIONS,
        advanced=True)
    cpu_speedups: bool = option(
        True, "Training on a CPU: draw dropout masks with numpy's faster generator; in "
        "BERT-family classifiers, leave padding and the last layer's unread tokens out of the "
        "arithmetic; with precision 'auto' on a CPU with bf16 instructions, multiply matrices "
        "in bf16 with fp32 sums. Faster to the same "
        "accuracy (benchmarks/bench_time_to_accuracy.py); off trains as a plain Trainer "
        "script does, number for number.", label="CPU speed-ups", advanced=True)


@dataclass
class TrainingSettings:
    epochs: float = option(3.0, "Passes over the training data.", label="Epochs",
                           minimum=0.0, maximum=1000.0, exclusive_min=True)
    max_steps: int = option(0, "Stop after this many optimizer steps; overrides epochs when "
                            "above 0.", label="Max steps", minimum=0, unset="from epochs")
    batch_size: int = option(16, "Examples per step on the device.", label="Batch size",
                             minimum=1, maximum=4096)
    gradient_accumulation: int = option(
        1, "Add up gradients over this many batches before each update: a larger effective "
        "batch without more memory.", label="Gradient accumulation", minimum=1, maximum=1024,
        advanced=True)
    learning_rate: float = option(
        2e-4, "Step size of the optimizer. LoRA likes 1e-4 to 5e-4; full fine-tuning 1e-5 to "
        "5e-5. Pretraining starts at 1e-4 when it continues a pretrained model (a larger step "
        "overwrites what its weights know) and at 1e-3 for a new model from scratch.",
        label="Learning rate", minimum=0.0, maximum=1.0, exclusive_min=True)
    weight_decay: float = option(0.01, "L2-style decay applied by AdamW.", label="Weight decay",
                                 minimum=0.0, maximum=1.0, advanced=True)
    warmup_ratio: float = option(0.06, "Share of the steps spent ramping the learning rate "
                                 "up from zero.", label="Warmup share", minimum=0.0,
                                 maximum=0.99, advanced=True)
    scheduler: str = option("linear", "How the learning rate changes after warmup.",
                            label="Schedule", choices=SCHEDULERS, advanced=True)
    max_grad_norm: float = option(1.0, "Clip gradients to this norm (0 = no clipping).",
                                  label="Gradient clipping", minimum=0.0, advanced=True,
                                  unset="no clipping")
    eval_steps: int = option(0, "Evaluate every N steps (0 = once per epoch).",
                             label="Evaluate every", minimum=0, unset="once per epoch")
    eval_max_rows: int = option(
        2000, "Evaluate on at most this many validation rows during training (a fixed random "
        "sample; 0 = all). The final evaluation always uses every row.",
        label="Rows evaluated during training", minimum=0, advanced=True, unset="all rows")
    save_steps: int = option(0, "Save a checkpoint every N steps (0 = once per epoch). The "
                             "best checkpoint is always kept.", label="Checkpoint every",
                             minimum=0, advanced=True, unset="once per epoch")
    save_total_limit: int = option(2, "Keep at most this many checkpoints besides the best.",
                                   label="Checkpoints kept", minimum=1, advanced=True)
    logging_steps: int = option(1, "Report training loss every N steps.", label="Log every",
                                minimum=1, advanced=True)
    early_stopping_patience: int = option(
        0, "Stop when the chosen metric has not improved for this many evaluations (0 = off).",
        label="Early stopping patience", minimum=0, advanced=True, unset="off")
    metric_for_best: str = option(
        "", "Metric that picks the best checkpoint and drives early stopping, for example "
        "'eval_f1' or 'eval_loss'. Empty means eval_f1 for classification, eval_loss "
        "otherwise.", label="Best-model metric", advanced=True,
        unset="eval_f1 for classification, eval_loss otherwise")
    neftune_noise_alpha: float = option(
        0.0, "Language modelling: add uniform noise of this scale to the input embeddings "
        "while training (NEFTune; 5 is the paper's value), which often helps instruction "
        "tuning.", label="NEFTune noise", minimum=0.0, maximum=100.0, advanced=True,
        unset="off")
    seed: int = option(42, "Random seed: the same seed, data and settings give the same run.",
                       label="Seed", minimum=0)


@dataclass
class PretrainSettings:
    from_scratch: str = option(
        "", "Empty: continue pretraining the chosen model. 'encoder' (BERT-style, masked "
        "language modelling) or 'decoder' (Llama-style, next-token prediction): build a new "
        "model with random weights and a tokenizer trained on your text.",
        label="New model", choices=SCRATCH_KINDS)
    size: str = option("small", "Size preset of a new model: tiny (quick experiments), small, "
                       "or base (BERT-base sized; needs a GPU to train in reasonable time).",
                       label="Model size", choices=SIZES)
    vocab_size: int = option(0, "Vocabulary size of the tokenizer trained for a new model; 0 "
                             "suggests one from the size of the corpus.", label="Vocabulary size",
                             minimum=0, maximum=262144, unset="suggest from the corpus")
    mlm_probability: float = option(
        0.15, "Share of tokens an encoder learns to predict; of those, 80% are replaced by the "
        "mask token, 10% by a random token and 10% left as they are.", label="Masking rate",
        minimum=0.01, maximum=0.9)
    hidden_size: int = option(0, "Custom width of a new model (0 = from the size preset); a "
                              "multiple of the number of heads.", label="Hidden size",
                              minimum=0, maximum=8192, advanced=True, unset="from the size")
    num_layers: int = option(0, "Custom depth of a new model (0 = from the size preset).",
                             label="Layers", minimum=0, maximum=96, advanced=True,
                             unset="from the size")
    num_heads: int = option(0, "Custom attention heads of a new model (0 = from the size "
                            "preset).", label="Attention heads", minimum=0, maximum=128,
                            advanced=True, unset="from the size")


PREFERENCE_METHODS = ("dpo", "orpo", "simpo")


@dataclass
class PreferenceSettings:
    method: str = option(
        "dpo", "Preference tuning: 'dpo' (Direct Preference Optimization, against a frozen "
        "copy of the starting model), 'orpo' (odds-ratio, no reference model, learns the "
        "chosen answers at the same time) or 'simpo' (length-normalized, no reference model).",
        label="Preference method", choices=PREFERENCE_METHODS)
    beta: float = option(
        0.1, "How strongly the model is held to its reference (DPO) or how sharp the "
        "preference margin is (ORPO's lambda, SimPO's beta). 0.1 is the usual DPO value; "
        "SimPO uses about 2.", label="Beta", minimum=0.0, maximum=100.0, exclusive_min=True)
    simpo_gamma: float = option(
        0.5, "SimPO: the reward margin the chosen answer must win by, as a share of beta.",
        label="SimPO margin", minimum=0.0, maximum=10.0, advanced=True)
    max_prompt_length: int = option(
        0, "Preference tuning: cut prompts to this many tokens (from the left) so the "
        "answers keep room; 0 means half the maximum length.", label="Max prompt length",
        minimum=0, maximum=32768, advanced=True, unset="half the maximum length")


STRATEGIES = ("ddp", "fsdp", "deepspeed")


@dataclass
class ResourceSettings:
    devices: str = option(
        "", "Where training runs: empty picks the first GPU when there is one (every visible "
        "GPU with several processes), else the CPU; 'cpu'; or GPU indexes such as '0' or "
        "'0,1,2,3', as many as processes.", label="Devices", unset="automatic")
    processes: int = option(
        1, "Training processes, each with its own share of every batch (data parallel). More "
        "than one starts the run through accelerate's launcher, one process per listed GPU; "
        "on the CPU they share the cores.", label="Processes", minimum=1, maximum=1024)
    strategy: str = option(
        "ddp", "How several processes share the model: 'ddp' (each holds a full copy and "
        "gradients are averaged), 'fsdp' (parameters, gradients and optimizer state sharded "
        "across processes, for a model too big for one device) or 'deepspeed' (ZeRO; needs "
        "the deepspeed package). FSDP and DeepSpeed need GPUs.", label="Strategy",
        choices=STRATEGIES)
    zero_stage: int = option(
        2, "DeepSpeed ZeRO stage: 2 shards optimizer state and gradients, 3 shards the "
        "parameters too.", label="ZeRO stage", minimum=2, maximum=3, advanced=True)
    fsdp_layer: str = option(
        "", "FSDP: the model's layer class each shard wraps (for example 'LlamaDecoderLayer').",
        label="FSDP layer", advanced=True, unset="guessed from the model")
    keep_global_batch: bool = option(
        True, "With several processes, divide gradient accumulation by their number so the "
        "global batch (batch size x accumulation x processes) stays as planned for one "
        "(rounded, with a warning, when it does not divide).",
        label="Keep the global batch", advanced=True)


@dataclass
class RunConfig:
    model: ModelSettings = field(default_factory=ModelSettings)
    data: DataSettings = field(default_factory=DataSettings)
    task: TaskSettings = field(default_factory=TaskSettings)
    method: MethodSettings = field(default_factory=MethodSettings)
    training: TrainingSettings = field(default_factory=TrainingSettings)
    pretrain: PretrainSettings = field(default_factory=PretrainSettings)
    preference: PreferenceSettings = field(default_factory=PreferenceSettings)
    resources: ResourceSettings = field(default_factory=ResourceSettings)

    SECTIONS = ("model", "data", "task", "method", "training", "pretrain", "preference",
                "resources")

    @property
    def from_scratch(self) -> bool:
        return bool(self.pretrain.from_scratch) and self.task.kind in TASKS and \
            "pretrain" in get_task(self.task.kind).sections

    # -- validation -------------------------------------------------------------------------
    def problems(self) -> list[str]:
        """Every out-of-range or missing value, each as a sentence naming the field and a fix."""
        found = []
        for section in self.SECTIONS:
            found += _field_problems(section, getattr(self, section))
        if not self.model.name_or_path.strip() and not self.from_scratch:
            found.append("model.name_or_path is empty: choose a model folder or a hub id.")
        if not self.data.train_file.strip():
            found.append("data.train_file is empty: choose a training data file.")
        if self.task.kind in TASKS:
            found += get_task(self.task.kind).problems(self)
        if self.method.precision == "fp16" and self.method.kind.startswith("qlora-8"):
            found.append("method.precision = fp16 does not combine with 8-bit QLoRA: use auto.")
        return found

    def validate(self) -> "RunConfig":
        found = self.problems()
        if found:
            raise UserError("invalid_config", "The run settings have problems: "
                            + " ".join(found), "Correct the values named above and try again.")
        return self

    # -- (de)serialisation ------------------------------------------------------------------
    def to_dict(self) -> dict:
        return {section: asdict(getattr(self, section)) for section in self.SECTIONS}

    @classmethod
    def from_dict(cls, data: dict) -> "RunConfig":
        if not isinstance(data, dict):
            raise UserError("invalid_config", "The config is not a table of sections (it is a "
                            f"{type(data).__name__}).", "Write it as [section] tables with "
                            "key = value lines, or save a fresh config from the app.")
        data = dict(data)
        _check_version(data)
        unknown = sorted(set(data) - set(cls.SECTIONS))
        if unknown:
            raise UserError("invalid_config", f"Unknown config section(s): {', '.join(unknown)}."
                            " A newer pft-desktop may have written it.",
                            f"Use only these sections: {', '.join(cls.SECTIONS)}; or update "
                            "pft-desktop.")
        config = cls()
        for section in cls.SECTIONS:
            setattr(config, section, _section_from_dict(section, type(getattr(config, section)),
                                                         data.get(section, {})))
        return config

    def save(self, path: str | Path) -> Path:
        """Write the config as TOML or JSON (chosen by the suffix), keys sorted, atomically."""
        path = Path(path)
        if path.suffix == ".json":
            text = json.dumps(self.to_dict(), indent=2, sort_keys=True) + "\n"
        else:
            import tomli_w

            text = tomli_w.dumps(_sorted(self.to_dict()))
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
        return path

    @classmethod
    def load(cls, path: str | Path) -> "RunConfig":
        path = Path(path)
        if path.is_dir():
            raise UserError("missing_file", f"{path} is a folder, not a config file.",
                            "Choose the .toml file inside it (a run folder's is config.toml).")
        if not path.is_file():
            raise UserError("missing_file", f"The config file {path} does not exist.",
                            "Check the path, or save a config from the app first.")
        try:
            text = path.read_text(encoding="utf-8")
            data = json.loads(text) if path.suffix == ".json" else tomllib.loads(text)
        except (ValueError, UnicodeDecodeError) as exc:
            raise UserError("invalid_config", f"The config file {path} cannot be read: {exc}.",
                            "Fix the syntax, or save a fresh config from the app.") from None
        return cls.from_dict(data)


def _check_version(data: dict) -> None:
    """A config written by a newer pft-desktop says so with ``schema_version`` (or
    ``version``); refuse it by name rather than misread settings this version does not know."""
    for key in VERSION_KEYS:
        if key not in data:
            continue
        value = data.pop(key)
        if isinstance(value, bool) or not isinstance(value, (int, str)) or \
                not str(value).split(".")[0].isdigit():
            raise UserError("invalid_config", f"The config's {key} = {value!r} is not a version "
                            "number.", f"Write {key} = {SCHEMA_VERSION}, or remove it.")
        if int(str(value).split(".")[0]) > SCHEMA_VERSION:
            raise UserError("newer_config", f"This config was written by a newer pft-desktop "
                            f"({key} {value}; this version reads up to {SCHEMA_VERSION}).",
                            "Update pft-desktop (pip install -U pft-desktop), or save the "
                            "settings again from this version.")


def _sorted(value):
    if isinstance(value, dict):
        return {key: _sorted(value[key]) for key in sorted(value)}
    return value


def _section_from_dict(section: str, kind: type, values: dict):
    if not isinstance(values, dict):
        raise UserError("invalid_config", f"Config section [{section}] is not a table.",
                        "Write it as a [section] with key = value lines.")
    known = {f.name: f for f in fields(kind)}
    unknown = sorted(set(values) - set(known))
    if unknown:
        close = {name: difflib.get_close_matches(name, list(known), n=1) for name in unknown}
        hints = [f"'{name}' may be '{match[0]}'" for name, match in close.items() if match]
        raise UserError("invalid_config",
                        f"Unknown setting(s) in [{section}]: {', '.join(unknown)}"
                        + (f" ({'; '.join(hints)})" if hints else "") + ".",
                        f"Known settings there are: {', '.join(known)}.")
    converted = {}
    for name, value in values.items():
        converted[name] = _coerce(f"{section}.{name}", known[name], value)
    return kind(**converted)


def _coerce(where: str, spec, value):
    default = spec.default if spec.default is not MISSING else spec.default_factory()
    wanted = type(default)
    if wanted is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if wanted is list and isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    if not isinstance(value, wanted) or (wanted in (int, float) and isinstance(value, bool)):
        raise UserError("invalid_config", f"{where} = {value!r} should be "
                        f"{TYPE_WORDS.get(wanted, 'a ' + wanted.__name__)}.",
                        f"Write {TYPE_WORDS.get(wanted, 'a ' + wanted.__name__)}, for example "
                        f"{where.split('.')[-1]} = {_toml_value(default)}.")
    if wanted is list and not all(isinstance(item, str) for item in value):
        raise UserError("invalid_config", f"{where} = {value!r} should be a list of names.",
                        f'Write it as a list of quoted names, for example ["q_proj", "v_proj"].')
    return value


TYPE_WORDS = {int: "a whole number", float: "a number", bool: "true or false",
              str: "a quoted text", list: "a list"}


def _toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value)
    return repr(value)


def _field_problems(section: str, settings) -> list[str]:
    found = []
    for spec in fields(settings):
        value = getattr(settings, spec.name)
        meta = spec.metadata
        where = f"{section}.{spec.name} = {value!r}"
        if meta.get("choices") and value not in meta["choices"]:
            found.append(f"{where} is not one of {', '.join(meta['choices'])}: pick one of those.")
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            continue
        low, high = meta.get("min"), meta.get("max")
        if isinstance(value, float) and not math.isfinite(value):
            found.append(f"{where} is not a finite number: enter a number.")
        elif low is not None and (value < low or (meta.get("exclusive_min") and value <= low)):
            sign = "above" if meta.get("exclusive_min") else "at least"
            found.append(f"{where} is out of range: it must be {sign} {low}.")
        elif high is not None and value > high:
            found.append(f"{where} is out of range: it must be at most {high}.")
    return found


def field_help(settings_type: type) -> dict[str, dict]:
    """Metadata (help, label, choices, range) per field, for building forms and tooltips."""
    return {spec.name: dict(spec.metadata) for spec in fields(settings_type)}
