"""Chat data for causal-LM fine-tuning: every conversation layout, the chat template's
rendering with the learned tokens checked one by one, packing without attention across
examples, and a real run on a tiny decoder built from a config."""

import json

import pytest

from helpers import chatml_tokenizer

from pft_desktop.core import chat
from pft_desktop.core.config import RunConfig
from pft_desktop.core.data import load_table
from pft_desktop.core.errors import UserError
from pft_desktop.core.recipe import run_training
from pft_desktop.core.tasks import get_task
from pft_desktop.core.tasks.base import load_tokenizer

TASK = get_task("causal-lm")
CHAT = [{"role": "system", "content": "be brief"},
        {"role": "user", "content": "what color is the sky"},
        {"role": "assistant", "content": "the sky is blue"},
        {"role": "user", "content": "and the grass"},
        {"role": "assistant", "content": "the grass is green"}]


def write_jsonl(path, rows):
    path.write_text("\n".join(json.dumps(row) for row in rows) + "\n", encoding="utf-8")
    return path


def sharegpt(turns):
    speaker = {"system": "system", "user": "human", "assistant": "gpt"}
    return [{"from": speaker[t["role"]], "value": t["content"]} for t in turns]


def layouts(folder):
    """The same kind of conversations in each layout the task reads."""
    many = [dict(CHAT[i], content=f"{CHAT[i]['content']} {n}") if CHAT[i]["role"] == "user"
            else CHAT[i] for n in range(12) for i in range(len(CHAT))]
    conversations = [many[i:i + 5] for i in range(0, len(many), 5)]
    openai = write_jsonl(folder / "openai.jsonl", [{"messages": c} for c in conversations])
    share = folder / "sharegpt.json"
    share.write_text(json.dumps([{"conversations": sharegpt(c)} for c in conversations]))
    alpaca = write_jsonl(folder / "alpaca.jsonl", [
        {"instruction": f"name a color {n}", "input": "" if n % 2 else "in one word",
         "output": "blue"} for n in range(12)])
    csv = folder / "messages.csv"
    import csv as csv_module

    with csv.open("w", newline="", encoding="utf-8") as handle:
        writer = csv_module.writer(handle)
        writer.writerow(["id", "messages"])
        for n, c in enumerate(conversations):
            writer.writerow([n, json.dumps(c)])
    pairs = folder / "pairs.csv"
    pairs.write_text("prompt,response\n" + "".join(f"say {n},number {n}\n" for n in range(12)))
    return {"openai": openai, "sharegpt": share, "alpaca": alpaca, "csv": csv, "pairs": pairs}


def prepared(path, tokenizer, **task):
    table = load_table(path)
    config = RunConfig()
    config.task.kind = "causal-lm"
    config.data.validation_split = 0.0
    for key, value in TASK.guess(table).items():
        setattr(config.data, key, value)
    for key, value in task.items():
        setattr(config.task, key, value)
    return config, TASK.prepare(config, table, None, tokenizer)


def learned_runs(tokenizer, ids, labels):
    """The learned tokens as separate decoded stretches."""
    runs, current = [], []
    for token, label in zip(ids, labels):
        if label == chat.IGNORE:
            if current:
                runs.append(tokenizer.decode(current))
            current = []
        else:
            assert label == token  # a learned position predicts its own token
            current.append(token)
    if current:
        runs.append(tokenizer.decode(current))
    return runs


@pytest.mark.parametrize("layout,guessed", [
    ("openai", {"conversation_column": "messages"}),
    ("sharegpt", {"conversation_column": "conversations"}),
    ("csv", {"conversation_column": "messages"}),
    ("alpaca", {"prompt_column": "instruction", "input_column": "input",
                "response_column": "output"}),
    ("pairs", {"prompt_column": "prompt", "response_column": "response"}),
])
def test_each_layout_is_detected_and_its_replies_learned(tmp_path, tiny_chat_decoder, layout,
                                                         guessed):
    tokenizer = load_tokenizer(str(tiny_chat_decoder))
    config, data = prepared(layouts(tmp_path)[layout], tokenizer)
    for key, value in guessed.items():
        assert getattr(config.data, key) == value
    row = data.train[0]
    runs = learned_runs(tokenizer, row["input_ids"], row["labels"])
    if layout in ("openai", "sharegpt", "csv"):  # multi-turn stays multi-turn
        assert runs == ["the sky is blue<|endoftext|>", "the grass is green<|endoftext|>"]
        assert tokenizer.decode(row["input_ids"]).startswith("<system>be brief<user>")
    elif layout == "alpaca":
        assert runs == ["blue<|endoftext|>"]
        assert "in one word" in tokenizer.decode(data.train[0]["input_ids"]) or \
            "in one word" in tokenizer.decode(data.train[1]["input_ids"])
    else:
        assert len(runs) == 1 and runs[0].startswith("number ")
    assert data.report.example and any(learned for _, learned in data.report.example)


def test_masks_token_by_token_with_a_chatml_template(tmp_path):
    """Every token of each reply and its <|im_end|> is learned, nothing else; the newline
    after <|im_end|> and the next turn's header are not."""
    tokenizer = chatml_tokenizer(tmp_path)
    assert chat.end_of_turn_token(tokenizer) == "<|im_end|>"
    ids, labels = chat.tokenize_conversation(tokenizer, CHAT, max_length=512)
    im_end = tokenizer.convert_tokens_to_ids("<|im_end|>")
    expected = []
    for turn in CHAT:
        header = tokenizer(f"<|im_start|>{turn['role']}\n", add_special_tokens=False)
        body = tokenizer(turn["content"], add_special_tokens=False)["input_ids"] + [im_end]
        newline = tokenizer("\n", add_special_tokens=False)["input_ids"]
        learned = turn["role"] == "assistant"
        expected += [chat.IGNORE] * len(header["input_ids"])
        expected += body if learned else [chat.IGNORE] * len(body)
        expected += [chat.IGNORE] * len(newline)
    assert labels == expected
    assert chat.stop_token_ids(tokenizer) == sorted({tokenizer.eos_token_id, im_end})
    everything = chat.tokenize_conversation(tokenizer, CHAT, 512, train_on_prompt=True)
    assert everything[1] == everything[0] == ids


def test_a_template_whose_tokens_are_missing_is_refused(tiny_decoder):
    tokenizer = load_tokenizer(str(tiny_decoder))
    with pytest.raises(UserError) as error:
        chat.ensure_chat_template(tokenizer, "chatml")
    assert "<|im_start|>" in error.value.message and "'zephyr' or 'plain'" in error.value.fix
    assert "'plain'" in chat.ensure_chat_template(tokenizer, "")
    assert chat.end_of_turn_token(tokenizer) == "<|endoftext|>"


def test_the_model_without_a_template_gets_plain_and_learns_the_space(tmp_path, tiny_decoder):
    tokenizer = load_tokenizer(str(tiny_decoder))
    _, data = prepared(layouts(tmp_path)["openai"], tokenizer)
    row = data.train[0]
    assert learned_runs(tokenizer, row["input_ids"], row["labels"]) == [
        " the sky is blue<|endoftext|>", " the grass is green<|endoftext|>"]
    assert chat.render_prompt(tokenizer, CHAT[:2]).endswith("User: what color is the sky\n"
                                                            "Assistant:")


def test_bad_conversations_are_dropped_and_named(tmp_path, tiny_chat_decoder):
    tokenizer = load_tokenizer(str(tiny_chat_decoder))
    good = [{"messages": CHAT[1:3]}] * 6
    bad = [{"messages": [{"role": "narrator", "content": "x"}]},
           {"messages": "not json at all"},
           {"messages": [CHAT[1], CHAT[1], CHAT[2]]},
           {"messages": [CHAT[1]]}]
    path = write_jsonl(tmp_path / "mixed.jsonl", good + bad)
    config, data = prepared(path, tokenizer)
    assert data.report.train_rows == 6
    assert sum(data.report.dropped.values()) == 4
    assert any("Row 7" in warning and "narrator" in warning for warning in data.report.warnings)
    only_bad = write_jsonl(tmp_path / "bad.jsonl", bad[:1])
    with pytest.raises(UserError) as error:
        TASK.prepare(config, load_table(only_bad), None, tokenizer)
    assert "narrator" in error.value.message and error.value.fix


def test_packed_batches_give_the_loss_of_padded_ones(tmp_path, tiny_chat_decoder):
    """One packed row with restarting positions is the same computation as a padded batch:
    nothing attends across examples and no example's first token is predicted from the one
    before."""
    import torch
    from transformers import AutoModelForCausalLM

    tokenizer = load_tokenizer(str(tiny_chat_decoder))
    path = layouts(tmp_path)["openai"]
    _, padded_data = prepared(path, tokenizer)
    _, packed_data = prepared(path, tokenizer, packing=True, train_on_prompt=True)
    _, all_tokens = prepared(path, tokenizer, train_on_prompt=True)
    model = AutoModelForCausalLM.from_pretrained(tiny_chat_decoder, use_cache=False).eval()
    from pft_desktop.core.tasks.causal_lm import check_packing

    check_packing(model)  # Llama keeps packed examples apart
    collate = TASK.collator(tokenizer)
    rows = [all_tokens.train[i] for i in range(3)]
    padded = collate(rows)
    packed = collate([packed_data.train[i] for i in range(3)])
    assert packed["input_ids"].shape[0] == 1 and "attention_mask" not in packed
    assert packed["input_ids"].shape[1] == sum(len(r["input_ids"]) for r in rows)
    with torch.no_grad():
        loss_padded = model(**{k: v for k, v in padded.items()}).loss
        loss_packed = model(**packed).loss
    assert float(loss_packed) == pytest.approx(float(loss_padded), abs=1e-5)
    del padded_data


def test_a_conversation_run_with_packing_dora_and_neftune_finishes(tmp_path, tiny_chat_decoder):
    config = RunConfig()
    config.model.name_or_path = str(tiny_chat_decoder)
    config.data.train_file = str(layouts(tmp_path)["openai"])
    config.data.conversation_column = "messages"
    config.task.kind, config.task.max_length, config.task.packing = "causal-lm", 96, True
    config.task.system_prompt = "ignored: the rows have their own"
    config.method.kind, config.method.use_dora, config.method.use_rslora = "lora", True, True
    config.training.max_steps, config.training.batch_size = 4, 4
    config.training.neftune_noise_alpha = 5.0
    outcome = run_training(config, tmp_path / "run")
    assert outcome.status == "finished", outcome
    model_dir = tmp_path / "run" / "model"
    adapter = json.loads((model_dir / "adapter_config.json").read_text())
    assert adapter["use_dora"] and adapter["use_rslora"]
    report = json.loads((tmp_path / "run" / "data_report.json").read_text())
    assert any("packed" in note for note in report["notes"])
    assert any("<|endoftext|>" in note and "stops generation" in note
               for note in report["notes"])
    assert report["example"][1] == ["the sky is blue<|endoftext|>", True]


def test_packing_is_refused_for_a_model_that_lets_examples_see_each_other():
    """OPT builds its own positions from the attention mask, so packed examples would leak."""
    from transformers import OPTConfig, OPTForCausalLM

    from pft_desktop.core.tasks.causal_lm import check_packing

    model = OPTForCausalLM(OPTConfig(num_hidden_layers=2, hidden_size=32, ffn_dim=64,
                                     num_attention_heads=2, vocab_size=100,
                                     word_embed_proj_dim=32, bos_token_id=0, eos_token_id=1,
                                     pad_token_id=1))
    with pytest.raises(UserError) as error:
        check_packing(model)
    assert "OPTForCausalLM" in error.value.message and "Pack short examples" in error.value.fix
