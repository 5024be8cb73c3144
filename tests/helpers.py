"""Shared helpers: tiny models built from configs (random weights, tokenizers made here), small
data files, and the real all-MiniLM-L6-v2 when its package is installed. Nothing downloads."""

from __future__ import annotations

import csv
import os
import random
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_NO_ADVISORY_WARNINGS", "1")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"

POSITIVE = ["good", "great", "fine", "lovely", "superb", "happy", "warm", "bright", "fun", "best"]
NEGATIVE = ["bad", "awful", "poor", "dull", "boring", "sad", "cold", "dark", "weak", "worst"]
FILLER = ["the", "film", "was", "a", "movie", "and", "very", "plot", "story", "it", "this",
          "acting", "quite", "really", "so", "of", "is", "cast", "end", "music", "what", "why",
          "how", "answer", "question", "yes", "no", "one", "two", "three", "color", "sky",
          "blue", "red", "green", "name", "my", "your", "hello", "world"]


def sentiment_rows(n: int, seed: int = 0) -> list[tuple[str, str]]:
    """Short sentences whose label is carried by one sentiment word."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        positive = i % 2 == 0
        word = rng.choice(POSITIVE if positive else NEGATIVE)
        words = rng.sample(FILLER, rng.randint(2, 8)) + [word]
        rng.shuffle(words)
        rows.append((" ".join(words), "positive" if positive else "negative"))
    return rows


def write_csv(path: Path, header: list[str], rows, delimiter: str = ",",
              encoding: str = "utf-8") -> Path:
    with open(path, "w", newline="", encoding=encoding) as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        if header:
            writer.writerow(header)
        writer.writerows(rows)
    return path


def _wordpiece_tokenizer(folder: Path):
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors
    from transformers import PreTrainedTokenizerFast

    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    letters = [chr(c) for c in range(ord("a"), ord("z") + 1)]
    vocab_list = specials + sorted(set(POSITIVE + NEGATIVE + FILLER)) + letters + \
        [f"##{c}" for c in letters] + list(".,!?'0123456789")
    vocab = {token: i for i, token in enumerate(dict.fromkeys(vocab_list))}
    tok = Tokenizer(models.WordPiece(vocab, unk_token="[UNK]"))
    tok.normalizer = normalizers.BertNormalizer(lowercase=True)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B:1 [SEP]:1",
        special_tokens=[("[CLS]", vocab["[CLS]"]), ("[SEP]", vocab["[SEP]"])])
    fast = PreTrainedTokenizerFast(tokenizer_object=tok, unk_token="[UNK]", pad_token="[PAD]",
                                   cls_token="[CLS]", sep_token="[SEP]", mask_token="[MASK]",
                                   model_max_length=512)
    fast.save_pretrained(folder)
    return fast


def _bpe_tokenizer(folder: Path, chat_template: bool):
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=400, special_tokens=["<|endoftext|>", "<|pad|>"],
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    corpus = [" ".join(POSITIVE + NEGATIVE + FILLER)] * 3 + [s for s, _ in sentiment_rows(200)]
    tok.train_from_iterator(corpus, trainer)
    fast = PreTrainedTokenizerFast(tokenizer_object=tok, eos_token="<|endoftext|>",
                                   bos_token="<|endoftext|>", unk_token="<|endoftext|>",
                                   model_max_length=512)
    if chat_template:
        fast.chat_template = ("{% for m in messages %}<{{ m['role'] }}>{{ m['content'] }}"
                              "{% if m['role'] == 'assistant' %}<|endoftext|>{% endif %}"
                              "{% endfor %}{% if add_generation_prompt %}<assistant>{% endif %}")
    fast.save_pretrained(folder)
    return fast


def chatml_tokenizer(folder: Path):
    """A byte-level BPE tokenizer with ChatML's turn tokens and template (Qwen-style)."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    from pft_desktop.core.chat import TEMPLATES

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    specials = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
    trainer = trainers.BpeTrainer(vocab_size=400, special_tokens=specials,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    tok.train_from_iterator([" ".join(POSITIVE + NEGATIVE + FILLER)] * 3, trainer)
    fast = PreTrainedTokenizerFast(tokenizer_object=tok, eos_token="<|endoftext|>",
                                   pad_token="<|endoftext|>", model_max_length=512,
                                   additional_special_tokens=specials[1:])
    fast.chat_template = TEMPLATES["chatml"]
    fast.save_pretrained(folder)
    return fast


def build_tiny_encoder(folder: Path) -> Path:
    from transformers import BertConfig, BertForMaskedLM, set_seed

    set_seed(0)
    tokenizer = _wordpiece_tokenizer(folder)
    config = BertConfig(vocab_size=len(tokenizer), hidden_size=32, num_hidden_layers=2,
                        num_attention_heads=2, intermediate_size=64,
                        max_position_embeddings=128, pad_token_id=tokenizer.pad_token_id)
    BertForMaskedLM(config).save_pretrained(folder)
    return folder


def build_tiny_decoder(folder: Path, chat_template: bool = False) -> Path:
    from transformers import LlamaConfig, LlamaForCausalLM, set_seed

    set_seed(0)
    tokenizer = _bpe_tokenizer(folder, chat_template)
    config = LlamaConfig(vocab_size=len(tokenizer), hidden_size=32, intermediate_size=64,
                         num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
                         max_position_embeddings=256, eos_token_id=tokenizer.eos_token_id,
                         bos_token_id=tokenizer.bos_token_id, tie_word_embeddings=False)
    LlamaForCausalLM(config).save_pretrained(folder)
    return folder


def build_chatml_decoder(folder: Path) -> Path:
    """A tiny Llama whose tokenizer ends turns with <|im_end|>, not its end token: the case
    where a chat export must add the end of turn to the stop tokens."""
    from transformers import LlamaConfig, LlamaForCausalLM, set_seed

    tokenizer = chatml_tokenizer(folder)
    set_seed(0)
    LlamaForCausalLM(LlamaConfig(vocab_size=len(tokenizer), hidden_size=32,
                                 intermediate_size=64, num_hidden_layers=2,
                                 num_attention_heads=4, num_key_value_heads=2,
                                 eos_token_id=tokenizer.eos_token_id)).save_pretrained(folder)
    return folder


def classification_config(model: Path, data: Path, **training):
    from pft_desktop.core.config import RunConfig

    config = RunConfig()
    config.model.name_or_path = str(model)
    config.data.train_file = str(data)
    config.data.text_column, config.data.label_column = "review", "sentiment"
    config.data.validation_split = 0.25
    config.task.max_length = 32
    config.method.kind = "full"
    config.training.epochs = 1
    config.training.batch_size = 8
    config.training.learning_rate = 1e-3
    for key, value in training.items():
        setattr(config.training, key, value)
    return config


def fails_cleanly(capsys, argv, *needles) -> str:
    """Run the command line and check it failed the way a person should see a failure: exit 1,
    a message and a fix, no traceback, and every needle in what it printed."""
    from pft_desktop.cli import main

    code = main(argv)
    err = capsys.readouterr().err
    assert code == 1, err
    assert "Error: " in err and "Fix: " in err and "Traceback" not in err
    for needle in needles:
        assert needle in err, f"{needle!r} not in {err!r}"
    return err
