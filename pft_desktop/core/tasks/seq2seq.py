"""Sequence to sequence (translation, summarization) on encoder-decoder models: T5, BART,
Marian and their families.

The source (after an optional task prefix such as T5's 'summarize: ') goes to the encoder, the
target is the decoder's labels. During training the validation loss is the metric; at the end
a bounded sample of validation rows is generated greedily and scored with ROUGE (rouge-score)
and BLEU (sacrebleu), both computed locally.
"""

from __future__ import annotations

import re

from pft_desktop.core.data import (
    DataReport,
    Table,
    column_shapes,
    counted,
    require_columns,
    token_length_summary,
)
from pft_desktop.core.errors import UserError
from pft_desktop.core.messages import message
from pft_desktop.core.tasks.base import (PROBE_TEXTS, PreparedData, Role, Task, TryField,
                                         WithoutLength, clean_rows, distinct_columns)

IGNORE = -100
LENGTH_SAMPLE = 5000      # rows whose untruncated source length the report summarizes
GENERATED_ROWS = 200      # validation rows generated for ROUGE/BLEU at the end of a run
EXAMPLES = 5              # (source, target, generated) kept in the metrics
EXAMPLE_CHARS = 500       # each cut to this many characters
CUT_TARGETS_WARN = 0.05   # warn when more targets than this share are cut
T5_TYPES = ("t5", "mt5", "umt5", "longt5")
# Seq2seq heads that read speech or audio, not text: refused with a reason.
NOT_TEXT = ("audio", "speech", "asr", "voxtral", "whisper", "transcribe", "flamingo")

SOURCE_NAMES = ("source", "src", "input", "inputs", "article", "document", "text", "dialogue",
                "original", "passage", "question", "prompt")
TARGET_NAMES = ("target", "tgt", "output", "outputs", "summary", "highlights", "abstract",
                "translation", "reference", "headline", "title", "answer", "response")
# Language codes that name translation columns ("en"/"de", "translation.en", "eng_Latn");
# "id" and "no" are left out: they name other columns far more often.
LANGUAGES = set("af ar bg bn ca cs cy da de el en es et eu fa fi fr ga gl he hi hr hu hy is it "
                "ja ka kk ko lt lv mk ml mr ms mt nb nl nn pl pt ro ru sk sl sq sr sv sw ta te "
                "th tl tr uk ur uz vi zh eng deu fra spa ita por nld rus zho jpn kor arb hin tur "
                "pol ukr ces swe".split())
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")

SOURCE = Role("source_column", "Source", "The text to translate or summarize (the model's "
              "input).", names=SOURCE_NAMES)
TARGET = Role("target_column", "Target", "The translation or summary the model should learn "
              "to write.", names=TARGET_NAMES)


class Seq2SeqTask(Task):
    """An encoder reads the source, a decoder learns to write the target."""

    name = "seq2seq"
    title = "Translation / summarization (sequence to sequence)"
    description = ("Teach an encoder-decoder model (T5, BART, Marian…) to turn a source text "
                   "into a target text: a translation, a summary, a rewrite. Needs a source and "
                   "a target column; T5 models also want a task prefix such as 'summarize: '.")
    roles = (SOURCE, TARGET)
    settings = ("max_length", "max_target_length", "source_prefix")
    max_length_label = "Max source length"
    lengths_title = "Source tokens"
    auto_class = "AutoModelForSeq2SeqLM"
    peft_task_type = "SEQ_2_SEQ_LM"
    # No "freeze": the only head of these models is lm_head, tied to the shared embeddings, and
    # the top layers methods.freeze_backbone unfreezes are the encoder's, not the decoder's.
    methods = ("full", "lora", "qlora-4bit", "qlora-8bit")
    default_best_metric = "eval_loss"
    perplexity = False
    pipeline_tag = "text2text-generation"
    model_hint = ("Choose an encoder-decoder model: T5 or Flan-T5, mT5, BART, Marian (opus-mt), "
                  "Pegasus, M2M100/NLLB. For a decoder such as GPT-2, Llama or Qwen, use causal "
                  "language model fine-tuning with prompt and response columns instead.")

    def __init__(self):
        self.model_type = ""
        self.max_source_length = 512
        self.validation_pairs: list[tuple[str, str]] = []  # sampled for generation at the end
        self.generation_warnings: list[str] = []

    # -- the model --------------------------------------------------------------------------
    def check_model(self, info) -> None:
        self.model_type = info.model_type
        if self.fits(info.heads) and not any(w in info.model_type for w in NOT_TEXT):
            return
        if self.fits(info.heads):
            what = "reads speech or audio, not text"
        elif "AutoModelForCausalLM" in info.heads and not info.is_encoder:
            what = "is a decoder only (no encoder)"
        else:
            what = "has no decoder"
        raise UserError("unsupported_task", f"{info.architecture} ({info.model_type}) {what}: "
                        "seq2seq needs an encoder-decoder model (T5, BART, Marian).",
                        self.model_hint)

    def claims(self, model_config: dict) -> bool:
        from pft_desktop.core.models import auto_class_tables

        seq2seq = auto_class_tables()["MODEL_FOR_SEQ_TO_SEQ_CAUSAL_LM_MAPPING_NAMES"]
        return model_config.get("model_type") in seq2seq and any(
            str(name).endswith(("ForConditionalGeneration", "MTModel", "ForSeq2SeqLM"))
            for name in model_config.get("architectures") or [])

    def problems(self, config) -> list[str]:
        found = super().problems(config)
        if config.method.kind not in self.methods:
            found.append(f"method.kind = {config.method.kind!r} is not offered for seq2seq: a "
                         "seq2seq model's only head is its output layer, tied to the word "
                         "embeddings, so there is no separate head to train. Use lora or full.")
        return found

    def headline(self, metrics: dict) -> str:
        if metrics.get("eval_rougeL") is None:
            return super().headline(metrics)
        return (f"ROUGE-L {metrics['eval_rougeL']:.1f}, BLEU {metrics.get('eval_bleu', 0):.1f} "
                f"on {metrics.get('eval_generation_rows', 0)} validation rows (greedy).")

    # -- the data ---------------------------------------------------------------------------
    def guess(self, table: Table) -> dict[str, str]:
        """Known names first (source/target, article/summary, src/tgt), then names starting
        like them, then two language codes (en, de: the first is the source), then the
        longest texts (the source) and the next longest (the target)."""
        shapes = column_shapes(table.dataset)
        usable = [c for c in table.columns if not shapes[c].mostly_blank
                  and shapes[c].numeric_share < 0.95]
        chosen: dict[str, str] = {}

        def free():
            return [c for c in usable if c not in chosen.values()]

        def score(column):
            return shapes[column].mean_length * shapes[column].distinct_share

        for role in self.roles:
            lower = {c.lower(): c for c in free()}
            found = next((lower[n] for n in role.names if n in lower), "")
            starts = [c for c in free() if c.lower().startswith(role.names[:2])]
            if found or starts:
                chosen[role.field] = found or max(starts, key=score)
        languages = [c for c in free() if _language_code(c)]
        for role in self.roles:
            if role.field not in chosen and languages:
                chosen[role.field] = languages.pop(0)
        for role in self.roles:
            if role.field not in chosen and free():
                chosen[role.field] = max(free(), key=score)
        return {role.field: chosen.get(role.field, "") for role in self.roles}

    def read_data(self, config, info, sink=lambda event: None):
        self.model_type = info.model_type or self.model_type
        return super().read_data(config, info, sink)

    def prepare(self, config, train: Table, validation: Table | None, tokenizer) -> PreparedData:
        import numpy as np

        d, t = config.data, config.task
        self.max_source_length = t.max_length
        if tokenizer.pad_token is None:
            tokenizer.pad_token = tokenizer.eos_token or tokenizer.unk_token
        report = DataReport(rows_read=len(train), notes=list(train.notes),
                            warnings=list(train.warnings))
        require_columns(train, self.columns(config))
        distinct_columns({"source": d.source_column, "target": d.target_column})
        frame = _clean(train, d.source_column, d.target_column, report, "")
        if d.max_rows and len(frame) > d.max_rows:
            frame = frame.sample(n=d.max_rows, random_state=config.training.seed)
            report.notes.append(message("data.row_limit", rows=d.max_rows))
        if validation is not None:
            val_frame = self._validation_frame(config, validation, report)
        elif d.validation_split > 0 and len(frame) >= 2:
            order = np.random.default_rng(config.training.seed).permutation(len(frame))
            take = max(1, int(round(len(frame) * d.validation_split)))
            val_frame = frame.iloc[order[:take]].reset_index(drop=True)
            frame = frame.iloc[order[take:]].reset_index(drop=True)
        else:
            val_frame = frame.iloc[0:0]
            report.warnings.append(message("data.no_validation_seq2seq"))
        report.warnings += _same_text_warning(frame, d.source_column, d.target_column)
        prefix = t.source_prefix
        report.notes += [message("data.source_prefix", prefix=repr(prefix))] if prefix else []
        if not prefix.strip() and (self.model_type in T5_TYPES or "T5" in
                                   type(tokenizer).__name__):
            report.warnings.append(message("data.t5_prefix", model=self.model_type or "T5"))
        encoder = _Encoder(tokenizer, prefix, t.max_length, t.max_target_length)
        if not encoder.adds_eos:
            report.notes.append(message("data.eos_added"))
        train_set, train_targets = encoder(frame)
        val_set, val_targets = encoder(val_frame)
        report.train_rows, report.validation_rows = len(train_set), len(val_set)
        report.rows_kept = report.train_rows + report.validation_rows
        sample = list(frame["source"].head(LENGTH_SAMPLE)) + \
            list(val_frame["source"].head(max(0, LENGTH_SAMPLE - len(frame))))
        sources = tokenizer([prefix + s for s in sample], truncation=False)["input_ids"]
        report.token_lengths = token_length_summary([len(x) for x in sources], t.max_length)
        targets = train_targets + val_targets
        report.token_lengths["target"] = token_length_summary(targets, t.max_target_length)
        report.notes.append(_target_line(targets, t.max_target_length))
        cut = sum(n > t.max_target_length for n in targets)
        if cut > CUT_TARGETS_WARN * len(targets):
            report.warnings.append(message(
                "data.targets_cut", targets=counted(cut, "target"), total=len(targets),
                max_target=t.max_target_length, p95=report.token_lengths["target"]["p95"]))
        rng = np.random.default_rng(config.training.seed)
        keep = sorted(rng.permutation(len(val_frame))[:GENERATED_ROWS]) if len(val_frame) else []
        self.validation_pairs = [(val_frame["source"][i], val_frame["target"][i]) for i in keep]
        return PreparedData(train=train_set, validation=val_set if len(val_set) else None,
                            report=report, validation_texts=list(val_frame["source"].head(5)),
                            extra={"source_prefix": prefix,
                                   "max_target_length": t.max_target_length})

    def _validation_frame(self, config, table: Table, report: DataReport):
        d = config.data
        guess = self.guess(table)
        names = []
        for role, wanted in (("source", d.source_column), ("target", d.target_column)):
            if wanted in table.columns:
                names.append(wanted)
                continue
            fallback = guess[f"{role}_column"]
            if not fallback:
                require_columns(table, {f"{role} column": wanted})
            report.notes.append(message(f"data.validation_{role}_column", wanted=wanted,
                                        fallback=fallback))
            names.append(fallback)
        distinct_columns({"source": names[0], "target": names[1]})
        val_report = DataReport()
        frame = _clean(table, names[0], names[1], val_report, " (validation file)")
        for reason, count in val_report.dropped.items():
            report.drop(reason, count)
        report.notes += table.notes
        report.warnings += table.warnings
        report.rows_read += len(table)
        return frame

    def collator(self, tokenizer):
        from transformers import DataCollatorForSeq2Seq

        return WithoutLength(DataCollatorForSeq2Seq(tokenizer, label_pad_token_id=IGNORE,
                                                    padding=True))

    # -- metrics ----------------------------------------------------------------------------
    def final_metrics(self, trainer, data: PreparedData, metrics: dict) -> dict:
        """Greedy generation on up to GENERATED_ROWS validation rows, scored with ROUGE and
        BLEU (the Trainer's own evaluation gives the loss only)."""
        self.generation_warnings = []
        if not self.validation_pairs:
            return metrics
        model, tokenizer = trainer.model, trainer.processing_class
        sources = [source for source, _ in self.validation_pairs]
        targets = [target for _, target in self.validation_pairs]
        generated = generate(model, tokenizer, [data.extra.get("source_prefix", "") + s
                                                for s in sources],
                             max_length=self.max_source_length,
                             max_new_tokens=data.extra.get("max_target_length", 128),
                             batch_size=trainer.args.per_device_eval_batch_size)
        scores = text_metrics(generated, targets)
        empty = sum(not text.strip() for text in generated)
        if empty:
            self.generation_warnings.append(
                f"The model wrote nothing for {empty} of {len(generated)} validation rows: it "
                "has not learned to write targets yet. Train longer or with a higher learning "
                "rate.")
        elif len(generated) > 2 and len(set(generated)) == 1:
            self.generation_warnings.append(
                f"The model writes the same text for every validation row ({generated[0][:60]!r}"
                "): it has not learned to use the source. Train longer or check the columns.")
        examples = [{"source": _cut(s), "target": _cut(t), "generated": _cut(g)}
                    for s, t, g in list(zip(sources, targets, generated))[:EXAMPLES]]
        return {**metrics, **{f"eval_{k}": v for k, v in scores.items()},
                "eval_generation_rows": len(generated), "examples": examples}

    def final_warnings(self, metrics: dict) -> list[str]:
        return list(self.generation_warnings)

    # -- using the model --------------------------------------------------------------------
    def run_info(self) -> dict:
        return {"num_beams": 1}

    def inputs(self, info: dict) -> list:
        return [TryField("text", "Source text", "Type a text to translate or summarize and "
                         "press Enter", multiline=True),
                TryField("max_new_tokens", "Max new tokens", str(_settings(info)[1]),
                         required=False),
                TryField("num_beams", "Beams", str(info.get("num_beams") or 1), required=False)]

    def predict(self, model, tokenizer, info: dict, inputs: dict) -> dict:
        prefix, max_target, max_length = _settings(info)
        try:
            max_new = _whole(inputs.get("max_new_tokens"), max_target, "Max new tokens")
            beams = _whole(inputs.get("num_beams"), info.get("num_beams") or 1, "Beams")
        except ValueError as exc:
            return {"error": str(exc)}
        text = generate(model, tokenizer, [prefix + inputs["text"]], max_length=max_length,
                        max_new_tokens=max_new, num_beams=beams)[0]
        return {"text": text}

    def probe(self, model, tokenizer, info: dict) -> list:
        """Probabilities over the vocabulary at the first three decoder steps for a fixed
        source, with a fixed decoder input (teacher forcing): no generation, so no search
        settings, and the same numbers for the same weights."""
        import torch

        prefix, _, max_length = _settings(info)
        batch = tokenizer(prefix + PROBE_TEXTS[0], return_tensors="pt", truncation=True,
                          max_length=max_length)
        start = _decoder_start(model, tokenizer)
        follow = tokenizer(text_target=PROBE_TEXTS[1], add_special_tokens=False)["input_ids"]
        follow = (list(follow) + [tokenizer.eos_token_id or start] * 2)[:2]
        decoder_input_ids = torch.tensor([[start] + follow])
        with torch.no_grad():
            logits = model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"],
                           decoder_input_ids=decoder_input_ids).logits[0]
        return logits.float().softmax(-1).tolist()

    def card_pipeline_tag(self, info: dict) -> str:
        prefix = _settings(info)[0].strip().lower()
        if prefix.startswith("summarize"):
            return "summarization"
        if prefix.startswith("translate"):
            return "translation"
        return self.pipeline_tag

    def loading_snippet(self, kind: str, info: dict) -> str:
        prefix, max_target, _ = _settings(info)
        loader = ("from peft import AutoPeftModelForSeq2SeqLM as Model\n" if kind == "adapter"
                  else "from transformers import AutoModelForSeq2SeqLM as Model\n")
        return (loader + "from transformers import AutoTokenizer\n"
                "model = Model.from_pretrained(\".\")\n"
                "tokenizer = AutoTokenizer.from_pretrained(\".\")\n"
                f"inputs = tokenizer({prefix + 'Your text here'!r}, return_tensors=\"pt\")\n"
                f"output = model.generate(**inputs, max_new_tokens={max_target}, num_beams=1)\n"
                "print(tokenizer.decode(output[0], skip_special_tokens=True))")


# -- data helpers ------------------------------------------------------------------------------
def _language_code(column: str) -> bool:
    """'en', 'de-DE', 'translation.fr', 'eng_Latn': a column named by a language."""
    name = column.rsplit(".", 1)[-1].lower()
    return re.split(r"[-_]", name)[0] in LANGUAGES and len(name) <= 8


def _clean(table: Table, source: str, target: str, report: DataReport, where: str):
    """The rows with both a source and a target, as columns source/target; refuse a mapping
    that keeps (almost) none, naming the emptiest column."""
    raw = table.dataset.to_pandas()
    own = DataReport()
    frame = clean_rows(raw, [source, target], own)
    report.duplicates += own.duplicates
    for reason, count in own.dropped.items():
        report.drop(message("drop.in_validation_file", reason=reason) if where else reason,
                    count)
    if len(raw) and (not len(frame) or (len(raw) >= 20 and len(frame) < 0.05 * len(raw))):
        blanks = {column: int((raw[column].fillna("").astype(str).str.strip() == "").sum())
                  for column in (source, target)}
        emptiest = max(blanks, key=blanks.get)
        raise UserError("invalid_mapping", message(
            "error.few_pairs_one" if len(frame) == 1 else "error.few_pairs",
            rows=counted(len(frame), "row"), read=len(raw), file=table.path.name,
            column=emptiest, empty=counted(blanks[emptiest], "row")),
            message("fix.few_pairs"))
    frame.columns = ["source", "target"]
    return frame


def _same_text_warning(frame, source: str, target: str) -> list[str]:
    same = int((frame["source"].str.strip() == frame["target"].str.strip()).sum())
    if not len(frame) or same <= len(frame) / 2:
        return []
    return [message("data.target_is_source", same=same, rows=len(frame), target=target,
                    source=source)]


def _target_line(lengths: list[int], max_target: int) -> str:
    if not lengths:
        return message("data.no_targets")
    cut = sum(n > max_target for n in lengths)
    ordered = sorted(lengths)
    return message("data.target_tokens" if cut == 1 else "data.target_tokens_cut",
                   median=ordered[len(ordered) // 2], max=ordered[-1],
                   targets=counted(cut, "target"), share=cut / len(lengths),
                   max_target=max_target)


class _Encoder:
    """Sources tokenized with truncation at max_length; targets tokenized whole (to count the
    ones cut), then cut to max_target_length."""

    def __init__(self, tokenizer, prefix: str, max_length: int, max_target_length: int):
        self.tokenizer, self.prefix = tokenizer, prefix
        self.max_length, self.max_target = max_length, max_target_length
        self.eos = tokenizer.eos_token_id
        self.specials = set(tokenizer.all_special_ids)
        # mBART ends targets with "</s> lang_code": any eos counts.
        self.adds_eos = self.eos is None or self.eos in tokenizer(text_target="a")["input_ids"]

    def __call__(self, frame):
        import datasets

        if not len(frame):
            return datasets.Dataset.from_dict({"input_ids": [], "attention_mask": [],
                                               "labels": [], "length": []}), []
        encoded = self.tokenizer([self.prefix + s for s in frame["source"]], truncation=True,
                                 max_length=self.max_length)
        targets = self.tokenizer(text_target=list(frame["target"]))["input_ids"]
        if not self.adds_eos:
            targets = [list(ids) + [self.eos] for ids in targets]
        labels = [self._cut(ids) for ids in targets]
        return datasets.Dataset.from_dict({
            "input_ids": encoded["input_ids"], "attention_mask": encoded["attention_mask"],
            "labels": labels,
            "length": [len(a) + len(b) for a, b in zip(encoded["input_ids"], labels)],
        }), [len(ids) for ids in targets]

    def _cut(self, ids: list) -> list:
        """Cut the text, keep the special tokens that end it (as the tokenizer's own
        truncation does)."""
        ids = list(ids)
        if len(ids) <= self.max_target:
            return ids
        tail = 0
        while tail < min(2, len(ids)) and ids[len(ids) - 1 - tail] in self.specials:
            tail += 1
        keep = max(0, self.max_target - tail)
        return ids[:keep] + ids[len(ids) - tail:]


# -- generation and metrics --------------------------------------------------------------------
def _settings(info: dict) -> tuple[str, int, int]:
    """(source prefix, max target length, max source length) of a trained model."""
    task = (info.get("config") or {}).get("task") or {}
    prefix = info.get("source_prefix", task.get("source_prefix", "")) or ""
    return (prefix, int(info.get("max_target_length") or task.get("max_target_length") or 128),
            int(info.get("max_length") or task.get("max_length") or 512))


def _whole(value, default: int, label: str) -> int:
    if value is None or str(value).strip() == "":
        return int(default)
    try:
        number = int(str(value).strip())
    except ValueError:
        raise ValueError(f"{label} must be a whole number, not {value!r}.") from None
    if not 1 <= number <= 4096:
        raise ValueError(f"{label} must be between 1 and 4096, not {number}.")
    return number


def _decoder_start(model, tokenizer) -> int:
    for config in (getattr(model, "generation_config", None), model.config):
        start = getattr(config, "decoder_start_token_id", None)
        if start is not None:
            return int(start)
    return int(tokenizer.pad_token_id if tokenizer.pad_token_id is not None
               else tokenizer.eos_token_id)


def generate(model, tokenizer, texts: list[str], max_length: int, max_new_tokens: int,
             num_beams: int = 1, batch_size: int = 16) -> list[str]:
    """Generated text for each source (already prefixed), greedy unless num_beams > 1;
    batches sorted by length waste the least padding."""
    import torch

    device = next(model.parameters()).device
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    out = [""] * len(texts)
    was_training = model.training
    model.eval()
    with torch.no_grad():
        for first in range(0, len(order), max(1, batch_size)):
            chunk = order[first:first + max(1, batch_size)]
            batch = tokenizer([texts[i] for i in chunk], return_tensors="pt", padding=True,
                              truncation=True, max_length=max_length)
            ids = model.generate(input_ids=batch["input_ids"].to(device),
                                 attention_mask=batch["attention_mask"].to(device),
                                 max_new_tokens=max_new_tokens, num_beams=num_beams,
                                 do_sample=False)
            for i, text in zip(chunk, tokenizer.batch_decode(ids, skip_special_tokens=True)):
                out[i] = text.strip()
    model.train(was_training)
    return out


class _UnicodeTokenizer:
    """Words of any script, CJK characters one by one: rouge-score's own tokenizer keeps only
    a-z and 0-9, which scores every non-Latin text 0."""

    def tokenize(self, text: str) -> list[str]:
        return re.findall(CJK.pattern + r"|\w+", text.lower())


def text_metrics(generated: list[str], references: list[str]) -> dict:
    """ROUGE-1/2/L F-measures (rouge-score, with stemming) and corpus BLEU (sacrebleu), all on
    a 0-100 scale, computed locally."""
    import sacrebleu
    from rouge_score import rouge_scorer

    latin = sum(bool(re.search(r"[a-z0-9]", r.lower())) for r in references)
    tokenizer = None if latin >= len(references) / 2 else _UnicodeTokenizer()
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True,
                                      tokenizer=tokenizer)
    totals = {"rouge1": 0.0, "rouge2": 0.0, "rougeL": 0.0}
    for hypothesis, reference in zip(generated, references):
        for name, score in scorer.score(reference, hypothesis).items():
            totals[name] += score.fmeasure
    n = max(1, len(references))
    cjk = sum(bool(CJK.search(r)) for r in references) > len(references) / 2
    bleu = sacrebleu.corpus_bleu(generated, [references], tokenize="zh" if cjk else "13a")
    return {**{name: round(100 * total / n, 4) for name, total in totals.items()},
            "bleu": round(float(bleu.score), 4)}


def _cut(text: str) -> str:
    return text if len(text) <= EXAMPLE_CHARS else text[:EXAMPLE_CHARS - 1] + "…"
