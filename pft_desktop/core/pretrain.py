"""Pretraining inputs: unlabeled text corpora, tokenizers trained on them, and size presets
for new models (an encoder in the style of BERT, a decoder in the style of Llama)."""

from __future__ import annotations

import logging
import math
import re
from dataclasses import dataclass
from pathlib import Path

from pft_desktop.core.errors import UserError

log = logging.getLogger("pft_desktop")

# hidden, layers, heads for each kind and size
PRESETS = {
    "encoder": {"tiny": (128, 2, 2), "small": (256, 4, 4), "base": (768, 12, 12)},
    "decoder": {"tiny": (128, 2, 4), "small": (384, 6, 6), "base": (768, 12, 12)},
}
ENCODER_SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
DECODER_EOS = "<|endoftext|>"
DECODER_PAD = "<|pad|>"


@dataclass
class Architecture:
    kind: str
    hidden: int
    layers: int
    heads: int

    def parameters(self, vocab: int, positions: int) -> int:
        """Parameter count of the model this describes (exact for the configs built below)."""
        h, layers = self.hidden, self.layers
        if self.kind == "encoder":  # BertForMaskedLM, tied decoder weights
            layer = 4 * (h * h + h) + 2 * (h * 4 * h) + 4 * h + h + 4 * h  # attn, ffn, 2 norms
            embeddings = (vocab + positions + 2) * h + 2 * h
            head = h * h + h + 2 * h + vocab
            return embeddings + layers * layer + head
        kv = h  # no grouped-query attention in the presets
        intermediate = _llama_intermediate(h)
        layer = h * h * 2 + h * kv * 2 + 3 * h * intermediate + 2 * h
        return vocab * h * 2 + layers * layer + h  # untied embeddings and head, final norm


def _llama_intermediate(hidden: int) -> int:
    return int(math.ceil(hidden * 8 / 3 / 64) * 64)


def architecture(settings) -> Architecture:
    kind = settings.from_scratch or "encoder"
    hidden, layers, heads = PRESETS[kind][settings.size]
    return Architecture(kind, settings.hidden_size or hidden, settings.num_layers or layers,
                        settings.num_heads or heads)


def load_corpus(data_settings, seed: int = 42, notes: list | None = None):
    """The training texts as a ``datasets.Dataset`` with one ``text`` column: every non-blank
    line of a .txt file or of the .txt files in a folder, or a column of a data file. What the
    person should know (files skipped, rows left out) is appended to ``notes`` and logged."""
    from pft_desktop.core.data import TEXT_COLUMN, load_table, require_columns

    found = [] if notes is None else notes
    path = Path(data_settings.train_file).expanduser()
    if path.is_dir():
        corpus = _folder_corpus(path, data_settings.encoding, found)
    else:
        table = load_table(path, encoding=data_settings.encoding,
                           delimiter=data_settings.delimiter, header=data_settings.header)
        found += table.notes + table.warnings
        column = data_settings.text_column or \
            (TEXT_COLUMN if table.format == "txt" else "")
        if not column:
            raise UserError("missing_column", f"No text column is chosen for {path.name}. Its "
                            f"columns are: {', '.join(table.columns)}.",
                            "Choose the column that holds the text (--text-column).")
        require_columns(table, {"text_column": column})
        corpus = table.dataset.select_columns([column])
        if column != TEXT_COLUMN:
            corpus = corpus.rename_column(column, TEXT_COLUMN)
        corpus = corpus.filter(lambda row: bool((row[TEXT_COLUMN] or "").strip()))
    for note in found:
        log.info(note)
    return corpus


def _folder_corpus(path: Path, wanted_encoding: str, notes: list):
    """Every .txt file of a folder (and its subfolders); files that are not text are skipped
    with a note naming them."""
    from pft_desktop.core.data import load_lines, text_facts

    files, encodings, skipped = [], [], []
    for file in sorted(path.rglob("*.txt")):
        if not file.is_file() or file.stat().st_size == 0:
            continue
        try:
            encodings.append(text_facts(file, wanted_encoding).encoding)
            files.append(file)
        except UserError as exc:
            skipped.append((file, exc.message))
    if skipped:
        shown = "; ".join(f"{file.relative_to(path)} ({why})" for file, why in skipped[:5])
        more = f" and {len(skipped) - 5} more" if len(skipped) > 5 else ""
        notes.append(f"Skipped {len(skipped)} of the {len(files) + len(skipped)} .txt files in "
                     f"{path.name} that are not text: {shown}{more}.")
    if not files:
        raise UserError("no_text_files", f"The folder {path} holds no .txt files with text"
                        + (" (the ones there are not text)" if skipped else "") + ".",
                        "Choose a folder of plain-text files, or a data file with a text "
                        "column.")
    return load_lines(files, encodings)


def suggest_vocab_size(texts) -> int:
    """About half the distinct words, rounded to a thousand, between 2,000 and 32,000: enough
    for common words to be single tokens without a mostly-unused embedding table."""
    words = set()
    for text in texts:
        words.update(re.findall(r"\w+", text.lower()))
        if len(words) > 200_000:
            break
    return int(min(32000, max(2000, round(len(words) * 0.5, -3))))


def train_tokenizer(texts, kind: str, vocab_size: int, model_max_length: int):
    """A WordPiece tokenizer (encoder) or a byte-level BPE tokenizer (decoder), trained on
    ``texts`` with the ``tokenizers`` library and wrapped for transformers."""
    from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, \
        processors, trainers
    from transformers import PreTrainedTokenizerFast

    if kind == "encoder":
        tokenizer = Tokenizer(models.WordPiece(unk_token="[UNK]"))
        tokenizer.normalizer = normalizers.BertNormalizer(lowercase=True)
        tokenizer.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
        tokenizer.decoder = decoders.WordPiece()
        trainer = trainers.WordPieceTrainer(vocab_size=vocab_size,
                                            special_tokens=ENCODER_SPECIALS)
        tokenizer.train_from_iterator(texts, trainer)
        cls, sep = tokenizer.token_to_id("[CLS]"), tokenizer.token_to_id("[SEP]")
        tokenizer.post_processor = processors.TemplateProcessing(
            single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B:1 [SEP]:1",
            special_tokens=[("[CLS]", cls), ("[SEP]", sep)])
        return PreTrainedTokenizerFast(
            tokenizer_object=tokenizer, unk_token="[UNK]", pad_token="[PAD]", cls_token="[CLS]",
            sep_token="[SEP]", mask_token="[MASK]", model_max_length=model_max_length)
    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=vocab_size,
                                  special_tokens=[DECODER_EOS, DECODER_PAD],
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    tokenizer.train_from_iterator(texts, trainer)
    return PreTrainedTokenizerFast(
        tokenizer_object=tokenizer, bos_token=DECODER_EOS, eos_token=DECODER_EOS,
        unk_token=DECODER_EOS, pad_token=DECODER_PAD, model_max_length=model_max_length)


def build_model(arch: Architecture, tokenizer, positions: int):
    """A new model with random weights, sized by ``arch``, for ``tokenizer``'s vocabulary."""
    if arch.kind == "encoder":
        from transformers import BertConfig, BertForMaskedLM

        config = BertConfig(vocab_size=len(tokenizer), hidden_size=arch.hidden,
                            num_hidden_layers=arch.layers, num_attention_heads=arch.heads,
                            intermediate_size=4 * arch.hidden, max_position_embeddings=positions,
                            pad_token_id=tokenizer.pad_token_id)
        return BertForMaskedLM(config)
    from transformers import LlamaConfig, LlamaForCausalLM

    config = LlamaConfig(vocab_size=len(tokenizer), hidden_size=arch.hidden,
                         intermediate_size=_llama_intermediate(arch.hidden),
                         num_hidden_layers=arch.layers, num_attention_heads=arch.heads,
                         num_key_value_heads=arch.heads, max_position_embeddings=positions,
                         bos_token_id=tokenizer.bos_token_id, eos_token_id=tokenizer.eos_token_id,
                         pad_token_id=tokenizer.pad_token_id, tie_word_embeddings=False)
    return LlamaForCausalLM(config)


def positions_for(block_size: int) -> int:
    """Position table size: the block size rounded up to a multiple of 64 (at least 128)."""
    return max(128, int(math.ceil(block_size / 64) * 64))


# Class-name endings of checkpoints saved with a language-modelling head.
LM_HEAD_ARCHITECTURES = ("ForMaskedLM", "ForPreTraining", "ForCausalLM", "LMHeadModel",
                         "ForConditionalGeneration")


def new_head_notice(architectures: list, name: str, objective: str = "mlm") -> str:
    """What to say when continued pretraining must add a language-modelling head: the
    checkpoint was saved without one (a sentence-embedding model such as all-MiniLM-L6-v2 is
    saved as BertModel), so the head starts from random weights. "" when it has one, or when
    config.json names no architecture (nothing to go on)."""
    if not architectures or any(str(a).endswith(LM_HEAD_ARCHITECTURES) for a in architectures):
        return ""
    head = "masked-language-model" if objective == "mlm" else "next-word"
    return (f"{name} was saved without a {head} head ({', '.join(map(str, architectures))}, "
            "as sentence-embedding and base models are), so pretraining adds a new one with "
            "random weights: the loss starts near that of guessing among the whole "
            "vocabulary and the first steps mostly train the head. Fine-tuning afterwards "
            "keeps the encoder and drops the head.")
