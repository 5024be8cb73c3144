"""Tiny models and data for the tasks beyond classification, shared by their core tests and
the wizard's task-by-task test: built from a config with random weights and data made at test
time (tests never download)."""

from pathlib import Path

import torch

from helpers import FILLER, NEGATIVE, POSITIVE, sentiment_rows

COLORS = {"red": (200, 30, 30), "blue": (30, 40, 200)}


def _t5_tokenizer(folder):
    """WordPiece over the test words, T5's specials (pad 0, eos 1, unk 2), eos after a text."""
    from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, processors
    from transformers import PreTrainedTokenizerFast

    letters = [chr(c) for c in range(ord("a"), ord("z") + 1)]
    words = sorted(set(POSITIVE + NEGATIVE + FILLER + ["summarize", ":"]))
    vocab_list = ["<pad>", "</s>", "<unk>"] + words + letters + [f"##{c}" for c in letters] + \
        list(".,!?'0123456789")
    vocab = {token: i for i, token in enumerate(dict.fromkeys(vocab_list))}
    tok = Tokenizer(models.WordPiece(vocab, unk_token="<unk>"))
    tok.normalizer = normalizers.BertNormalizer(lowercase=True)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.decoder = decoders.WordPiece()
    tok.post_processor = processors.TemplateProcessing(
        single="$A </s>", pair="$A </s> $B </s>", special_tokens=[("</s>", 1)])
    fast = PreTrainedTokenizerFast(tokenizer_object=tok, pad_token="<pad>", eos_token="</s>",
                                   unk_token="<unk>", model_max_length=512)
    fast.save_pretrained(folder)
    return fast


def build_tiny_t5(folder):
    from transformers import T5Config, T5ForConditionalGeneration, set_seed

    set_seed(0)
    tokenizer = _t5_tokenizer(folder)
    config = T5Config(vocab_size=len(tokenizer), d_model=32, d_kv=8, d_ff=64, num_layers=2,
                      num_decoder_layers=2, num_heads=4, relative_attention_num_buckets=8,
                      pad_token_id=0, eos_token_id=1, decoder_start_token_id=0)
    T5ForConditionalGeneration(config).save_pretrained(folder)
    return folder


def build_tiny_vit(folder: Path, num_labels: int = 5) -> Path:
    """A 2-layer ViT on 32x32 images with a head of another size than the data's classes (as
    an ImageNet checkpoint has), saved with its image processor."""
    from transformers import ViTConfig, ViTForImageClassification, ViTImageProcessor

    torch.manual_seed(0)
    config = ViTConfig(image_size=32, patch_size=8, hidden_size=32, num_hidden_layers=2,
                       num_attention_heads=2, intermediate_size=64, num_labels=num_labels)
    ViTForImageClassification(config).save_pretrained(folder)
    ViTImageProcessor(size={"height": 32, "width": 32}).save_pretrained(folder)
    return folder


def square(color: tuple, seed: int, size: tuple = (40, 36)):
    """A noisy square of one colour (sizes vary a little: the processor resizes)."""
    import numpy as np
    from PIL import Image

    rng = np.random.default_rng(seed)
    pixels = np.clip(np.array(color) + rng.normal(0, 25, (size[1], size[0], 3)), 0, 255)
    return Image.fromarray(pixels.astype("uint8"))


def image_folder(root: Path, per_class: int = 16, classes=("red", "blue")) -> Path:
    for c, name in enumerate(classes):
        (root / name).mkdir(parents=True, exist_ok=True)
        for i in range(per_class):
            suffix = ".png" if i % 2 else ".jpg"
            square(COLORS[name], seed=100 * c + i, size=(36 + i % 5, 32 + i % 3)).save(
                root / name / f"{name}_{i:02d}{suffix}")
    return root


def summary_rows(n, seed=0):
    """(article, summary): a sentence and 'it was <its sentiment word>'."""
    rows = []
    for text, _ in sentiment_rows(n, seed):
        word = next(w for w in text.split() if w in POSITIVE + NEGATIVE)
        rows.append((text, f"it was {word}"))
    return rows
