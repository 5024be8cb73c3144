"""Layers that compute only the tokens the head needs (core.needed_tokens): the same logits and
the same gradients as the unchanged model, for every head they are used with, with and without
padding; left alone where the head reads other positions."""

import copy

import pytest
import torch
import transformers

from pft_desktop.core.needed_tokens import FIRST_TOKEN_HEADS, use_needed_tokens

SMALL = dict(vocab_size=120, hidden_size=32, num_hidden_layers=3, num_attention_heads=4,
             intermediate_size=64, max_position_embeddings=64, hidden_dropout_prob=0.0,
             attention_probs_dropout_prob=0.0)


def tiny(config_class, head, attention="sdpa", **extra):
    config = getattr(transformers, config_class)(**SMALL, **extra)
    config._attn_implementation = attention
    torch.manual_seed(0)
    return getattr(transformers, head)(config)


def padded_batch(labels, padding="right"):
    torch.manual_seed(1)
    ids = torch.randint(5, 120, (4, 11))
    mask = torch.ones_like(ids)
    if padding == "right":  # three rows padded, one not
        mask[1, 7:], mask[2, 3:], mask[3, 10:] = 0, 0, 0
    elif padding == "left":  # the first position is padding: the head still reads it
        mask[1, :4], mask[2, :8] = 0, 0
    return {"input_ids": ids, "attention_mask": mask, "labels": labels}


def same_logits_and_gradients(plain, labels, train=False, padding="right", unpad=True):
    fast = copy.deepcopy(plain)
    assert use_needed_tokens(fast, leave_out_padding=unpad)
    for model in (plain, fast):
        model.train(train)
    batch = padded_batch(labels, padding)
    expected, got = plain(**batch), fast(**batch)
    torch.testing.assert_close(got.logits, expected.logits, atol=1e-5, rtol=1e-5)
    expected.loss.backward()
    got.loss.backward()
    compared = 0
    for (name, a), (_, b) in zip(plain.named_parameters(), fast.named_parameters()):
        if a.grad is not None:
            torch.testing.assert_close(b.grad, a.grad, atol=1e-5, rtol=1e-4, msg=name)
            compared += 1
    assert compared >= 14  # LoRA's 12 adapter matrices and the head at the least
    return fast


@pytest.mark.parametrize("config_class, head", [
    ("BertConfig", "BertForSequenceClassification"),
    ("RobertaConfig", "RobertaForSequenceClassification"),
    ("XLMRobertaConfig", "XLMRobertaForSequenceClassification"),
    ("ElectraConfig", "ElectraForSequenceClassification"),
    ("CamembertConfig", "CamembertForSequenceClassification"),
])
@pytest.mark.parametrize("attention", ["sdpa", "eager"])
def test_every_listed_head_gets_the_same_logits_and_gradients(config_class, head, attention):
    assert head in FIRST_TOKEN_HEADS
    extra = {"pad_token_id": 1} if "Bert" not in config_class else {}
    plain = tiny(config_class, head, attention, num_labels=3, **extra)
    fast = same_logits_and_gradients(plain, torch.tensor([0, 2, 1, 2]))
    layers = fast.base_model.encoder.layer
    assert all(type(layer).__name__.startswith("NeededTokens") for layer in layers)
    assert [layer.first_token_only for layer in layers] == [False, False, True]


@pytest.mark.parametrize("padding", ["none", "left"])
@pytest.mark.parametrize("attention", ["sdpa", "eager"])
def test_batches_without_padding_and_padded_on_the_left(padding, attention):
    plain = tiny("BertConfig", "BertForSequenceClassification", attention, num_labels=2)
    same_logits_and_gradients(plain, torch.tensor([0, 1, 1, 0]), padding=padding)


@pytest.mark.parametrize("padding", ["right", "left"])
def test_keeping_the_padding_computes_the_last_layer_for_the_first_token_alone(padding):
    plain = tiny("BertConfig", "BertForSequenceClassification", num_labels=2)
    fast = same_logits_and_gradients(plain, torch.tensor([0, 1, 1, 0]), padding=padding,
                                     unpad=False)
    layers = fast.bert.encoder.layer
    assert [layer.unpadded for layer in layers] == [False] * 3
    assert layers[-1].first_token_only


def test_regression_and_multi_label_heads_too():
    same_logits_and_gradients(tiny("BertConfig", "BertForSequenceClassification", num_labels=1),
                              torch.tensor([0.5, -1.0, 2.0, 0.0]))
    multi = tiny("BertConfig", "BertForSequenceClassification", num_labels=3,
                 problem_type="multi_label_classification")
    same_logits_and_gradients(multi, torch.tensor([[1., 0., 1.], [0., 0., 1.], [1., 1., 0.],
                                                   [0., 0., 0.]]))


def test_with_lora_adapters_and_gradient_checkpointing_in_training_mode():
    from peft import LoraConfig, get_peft_model

    plain = tiny("BertConfig", "BertForSequenceClassification", num_labels=2)
    plain.gradient_checkpointing_enable()
    plain = get_peft_model(plain, LoraConfig(task_type="SEQ_CLS", r=4, lora_alpha=8,
                                             target_modules=["query", "value"]))
    for name, weight in plain.named_parameters():
        if "lora_B" in name:  # B starts at zero: give the adapters a gradient path to test
            torch.nn.init.normal_(weight, std=0.1)
    same_logits_and_gradients(plain, torch.tensor([0, 1, 1, 0]), train=True)


def test_the_saved_model_is_the_plain_one(tmp_path):
    model = tiny("BertConfig", "BertForSequenceClassification", num_labels=2)
    assert use_needed_tokens(model)
    model.save_pretrained(tmp_path)
    again = transformers.AutoModelForSequenceClassification.from_pretrained(tmp_path)
    assert type(again.bert.encoder.layer[-1]).__name__ == "BertLayer"
    again.eval(), model.eval()
    batch = padded_batch(None)
    inputs = {"input_ids": batch["input_ids"], "attention_mask": batch["attention_mask"]}
    torch.testing.assert_close(again(**inputs).logits, model(**inputs).logits)


@pytest.mark.parametrize("config_class, head", [
    ("BertConfig", "BertForTokenClassification"),     # reads every position
    ("BertConfig", "BertForQuestionAnswering"),
    ("DistilBertConfig", "DistilBertForSequenceClassification"),  # another layer design
])
def test_left_alone_where_the_head_reads_other_positions(config_class, head):
    if config_class == "DistilBertConfig":
        model = getattr(transformers, head)(transformers.DistilBertConfig(
            vocab_size=120, dim=32, n_layers=2, n_heads=4, hidden_dim=64))
    else:
        model = tiny(config_class, head)
    before = [type(m) for m in model.modules()]
    assert not use_needed_tokens(model)
    assert [type(m) for m in model.modules()] == before
