"""Preference tuning on TRL (DPO, ORPO, SimPO) with the real trainers on a tiny decoder: pairs
read from text or conversations and written as chat fine-tuning writes them, bad rows counted,
reward margin and accuracy in the events, stop and resume, every method and training method."""

import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from safetensors.torch import load_file

from helpers import FILLER, build_chatml_decoder, write_csv
from pft_desktop.core import events
from pft_desktop.core.config import RunConfig
from pft_desktop.core.data import load_table
from pft_desktop.core.errors import UserError
from pft_desktop.core.recipe import load_tokenizer, run_training
from pft_desktop.core.rundir import RunFolder
from pft_desktop.core.tasks import get_task, task_of_folder, tasks_for

COLORS = ["blue", "red", "green"]


def pair_rows(n: int = 48) -> list[tuple[str, str, str]]:
    """A prompt, the answer to prefer (it names a color) and a worse one."""
    return [(f"what color is the {word}", f"the {word} is {COLORS[i % 3]}",
             f"no {word} bad awful") for i, word in enumerate((FILLER * 3)[:n])]


@pytest.fixture
def pairs_csv(tmp_path) -> Path:
    return write_csv(tmp_path / "pairs.csv", ["prompt", "chosen", "rejected"], pair_rows())


def preference_config(model, data, method="dpo", kind="lora", **training) -> RunConfig:
    config = RunConfig()
    config.model.name_or_path, config.data.train_file = str(model), str(data)
    config.data.prompt_column = "prompt"
    config.data.chosen_column, config.data.rejected_column = "chosen", "rejected"
    config.data.validation_split = 0.25
    config.task.kind, config.task.max_length = "preference", 64
    config.method.kind, config.preference.method = kind, method
    config.training.max_steps, config.training.batch_size = 4, 8
    config.training.learning_rate = 5e-3
    for key, value in training.items():
        setattr(config.training, key, value)
    return config


def prepare(config, path, tokenizer_path):
    config.task.kind = "preference"
    return get_task("preference").prepare(config, load_table(path), None,
                                          load_tokenizer(str(tokenizer_path)))


def of_type(run_dir, kind) -> list[dict]:
    return [e for e in events.read_events(run_dir) if e["type"] == kind]


# -- training ---------------------------------------------------------------------------------
def test_dpo_with_lora_learns_the_preference_and_reports_rewards(tmp_path, tiny_chat_decoder,
                                                                 pairs_csv):
    from pft_desktop.core.predict import Predictor

    outcome = run_training(preference_config(tiny_chat_decoder, pairs_csv), tmp_path / "run")
    assert outcome.status == "finished", outcome
    folder = RunFolder(tmp_path / "run")
    steps = of_type(folder.path, "step")
    assert [e["step"] for e in steps] == [1, 2, 3, 4]
    assert all(key in e for e in steps for key in events.REWARD_FIELDS)
    # The reference is the starting model (the adapter as it began): at step 1 the policy is
    # the reference, so every reward is 0.
    assert steps[0]["reward_margin"] == pytest.approx(0.0, abs=1e-6)
    assert steps[-1]["reward_margin"] > 0 and steps[-1]["reward_accuracy"] > 0.5
    evals = of_type(folder.path, "eval")
    assert evals and all("eval_reward_margin" in e and "eval_reward_accuracy" in e
                         for e in evals)
    metrics = folder.metrics()
    assert metrics["eval_reward_margin"] > 0 and metrics["eval_reward_accuracy"] > 0.5
    assert not any("/" in key for key in metrics)  # TRL's slashed names made plain
    assert "chosen answer gets the higher reward" in get_task("preference").headline(metrics)
    # The saved model is the tuned adapter alone: no copy of DPO's frozen reference.
    model_dir = folder.model_dir
    assert not (model_dir / "ref").exists()
    assert not any(".ref." in name for name in load_file(model_dir / "adapter_model.safetensors"))
    info = json.loads((model_dir / "pft_run.json").read_text())
    assert info["task"] == "preference" and info["preference_method"] == "dpo"
    assert info["is_adapter"] and info["stop_token_ids"]
    answer = Predictor(folder.path)("what color is the sky")
    assert isinstance(answer["text"], str)


def test_a_merged_preference_model_stops_at_the_end_of_turn(tmp_path, pairs_csv):
    """Exported like a chat run: generation_config.json stops at <|im_end|> too."""
    from transformers import GenerationConfig

    from pft_desktop.core.export import export_run

    model = build_chatml_decoder(tmp_path / "chatml")
    config = preference_config(model, pairs_csv, max_steps=1)
    assert run_training(config, tmp_path / "run").status == "finished"
    merged = export_run(tmp_path / "run", tmp_path / "merged", "merged")
    stops = GenerationConfig.from_pretrained(merged).eos_token_id
    tokenizer = load_tokenizer(str(merged))
    assert tokenizer.convert_tokens_to_ids("<|im_end|>") in stops
    assert tokenizer.eos_token_id in stops


@pytest.mark.parametrize("method, kind", [("simpo", "lora"), ("orpo", "full"),
                                          ("dpo", "freeze")])
def test_every_method_finishes_with_reward_events(tmp_path, tiny_chat_decoder, pairs_csv,
                                                  method, kind):
    config = preference_config(tiny_chat_decoder, pairs_csv, method=method, kind=kind)
    outcome = run_training(config, tmp_path / "run")
    assert outcome.status == "finished", outcome
    steps = of_type(tmp_path / "run", "step")
    assert len(steps) == 4 and all(s["tokens_per_second"] > 0 for s in steps)
    assert all(s["reward_margin"] is not None and 0 <= s["reward_accuracy"] <= 1
               for s in steps)
    assert "eval_reward_accuracy" in RunFolder(tmp_path / "run").metrics()
    saved = tmp_path / "run" / "model"
    if kind == "lora":
        assert (saved / "adapter_model.safetensors").is_file()
        return
    before = load_file(str(tiny_chat_decoder / "model.safetensors"))
    after = load_file(str(saved / "model.safetensors"))
    changed = {name for name in after if not before[name].equal(after[name])}
    if kind == "freeze":
        assert changed == {"lm_head.weight"}
    else:
        assert "model.layers.0.self_attn.q_proj.weight" in changed


def test_stop_saves_and_resume_goes_on_to_the_end(tmp_path, tiny_chat_decoder, pairs_csv):
    stop = threading.Event()

    def sink(event):
        if event["type"] == "step" and event["step"] == 2:
            stop.set()

    config = preference_config(tiny_chat_decoder, pairs_csv, max_steps=8)
    outcome = run_training(config, tmp_path / "run", sink=sink, stop=stop)
    folder = RunFolder(tmp_path / "run")
    assert outcome.status == "stopped"
    stopped_at = of_type(folder.path, "step")[-1]["step"]
    checkpoint = folder.latest_checkpoint()
    assert checkpoint.name == f"checkpoint-{stopped_at}"
    assert not (checkpoint / "ref").exists()  # the reference is rebuilt, not saved
    assert (folder.model_dir / "adapter_model.safetensors").is_file()

    resumed = run_training(None, folder.path, resume=True)
    assert resumed.status == "finished", resumed
    steps = of_type(folder.path, "step")
    assert [e["step"] for e in steps] == list(range(1, 9))
    assert all("reward_margin" in e for e in steps)
    assert of_type(folder.path, "started")[-1]["resumed_from"].endswith(checkpoint.name)


def test_dpo_after_chat_fine_tuning_measures_against_the_chat_tuned_model(
        tmp_path, tiny_chat_decoder, pairs_csv):
    """'Train more' from a chat run's adapter: the reference is that adapter (the starting
    policy), not the base model underneath, so the rewards start at 0."""
    chat = preference_config(tiny_chat_decoder, pairs_csv, max_steps=6, learning_rate=1e-2)
    chat.task.kind, chat.data.response_column = "causal-lm", "chosen"
    chat.data.chosen_column = chat.data.rejected_column = ""
    assert run_training(chat, tmp_path / "chat").status == "finished"
    config = preference_config(tiny_chat_decoder, pairs_csv, max_steps=2)
    config.model.start_from = str(tmp_path / "chat")
    assert run_training(config, tmp_path / "dpo").status == "finished"
    first = of_type(tmp_path / "dpo", "step")[0]
    assert first["reward_margin"] == pytest.approx(0.0, abs=1e-6)


def test_simpo_arguments_say_simpo_with_gamma_as_a_share_of_beta(tmp_path):
    from pft_desktop.core.tasks.preference_trainers import arguments

    config = RunConfig()
    config.preference.method, config.preference.beta = "simpo", 2.0
    config.preference.simpo_gamma = 0.5
    args = arguments(config, {"output_dir": str(tmp_path), "use_cpu": True})
    assert type(args).__name__ == "CPOConfig"
    assert (args.loss_type, args.cpo_alpha, args.beta) == ("simpo", 0.0, 2.0)
    assert args.simpo_gamma == pytest.approx(1.0)
    assert args.gradient_checkpointing is False and args.max_length == config.task.max_length


# -- data -------------------------------------------------------------------------------------
def _table(columns: dict, name: str = "pairs.csv"):
    import datasets

    from pft_desktop.core.data import Table

    return Table(Path(name), "csv", datasets.Dataset.from_dict(columns))


def test_columns_are_guessed_by_their_names():
    task = get_task("preference")
    rows = pair_rows(8)
    table = _table({"question": [r[0] for r in rows], "preferred": [r[1] for r in rows],
                    "dispreferred": [r[2] for r in rows], "system": ["be brief"] * 8})
    assert task.guess(table) == {"prompt_column": "question", "chosen_column": "preferred",
                                 "rejected_column": "dispreferred", "system_column": "system"}
    # TRL's implicit-prompt layout: whole conversations, no prompt column.
    conversation = [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}]
    table = _table({"chosen": [conversation] * 4, "rejected": [conversation[:1] + [
        {"role": "assistant", "content": "go away"}]] * 4})
    assert task.guess(table) == {"prompt_column": "", "chosen_column": "chosen",
                                 "rejected_column": "rejected", "system_column": ""}


def test_text_and_trl_conversational_layouts_give_the_same_tokens(tmp_path, tiny_chat_decoder):
    rows = pair_rows(6)
    text = write_csv(tmp_path / "text.csv", ["prompt", "chosen", "rejected"], rows)
    explicit, implicit = tmp_path / "explicit.jsonl", tmp_path / "implicit.jsonl"
    with open(explicit, "w") as one, open(implicit, "w") as other:
        for prompt, chosen, rejected in rows:
            user = [{"role": "user", "content": prompt}]
            one.write(json.dumps({"prompt": user,
                                  "chosen": [{"role": "assistant", "content": chosen}],
                                  "rejected": [{"role": "assistant", "content": rejected}]})
                      + "\n")
            other.write(json.dumps({
                "chosen": user + [{"role": "assistant", "content": chosen}],
                "rejected": user + [{"role": "assistant", "content": rejected}]}) + "\n")
    found = []
    for path in (text, explicit, implicit):
        config = preference_config(tiny_chat_decoder, path)
        config.data.validation_split = 0.0
        config.data.prompt_column = "" if path == implicit else "prompt"
        data = prepare(config, path, tiny_chat_decoder)
        found.append(data.train.select_columns(["prompt_ids", "chosen_ids",
                                                "rejected_ids"]).to_list())
    assert found[0] == found[1] == found[2] and len(found[0]) == 6


def test_pairs_are_written_as_chat_fine_tuning_learns_a_reply(tmp_path, tiny_chat_decoder,
                                                              pairs_csv):
    """The chosen answer's tokens are exactly the tokens causal-lm learns for that reply (its
    end-of-turn token included) after the same prompt."""
    config = preference_config(tiny_chat_decoder, pairs_csv)
    config.data.validation_split = 0.0
    pairs = prepare(config, pairs_csv, tiny_chat_decoder).train[0]
    config.task.kind = "causal-lm"
    config.data.response_column, config.data.chosen_column = "chosen", ""
    config.data.rejected_column = ""
    sft = get_task("causal-lm").prepare(config, load_table(pairs_csv), None,
                                        load_tokenizer(str(tiny_chat_decoder))).train[0]
    learned = [t for t in sft["labels"] if t != -100]
    assert pairs["chosen_ids"] == learned
    assert pairs["prompt_ids"] + pairs["chosen_ids"] == sft["input_ids"][:len(
        pairs["prompt_ids"]) + len(learned)]
    tokenizer = load_tokenizer(str(tiny_chat_decoder))
    assert tokenizer.decode(pairs["chosen_ids"]).endswith("<|endoftext|>")
    assert tokenizer.decode(pairs["prompt_ids"]).endswith("<assistant>")


def test_long_prompts_keep_their_end_and_the_settings_are_checked(tmp_path, tiny_chat_decoder):
    long_prompt = " ".join(FILLER) + " what color is the sky"
    data = write_csv(tmp_path / "long.csv", ["prompt", "chosen", "rejected"],
                     [(long_prompt, "the sky is blue", "no")] * 4)
    config = preference_config(tiny_chat_decoder, data)
    config.data.validation_split, config.preference.max_prompt_length = 0.0, 12
    prepared = prepare(config, data, tiny_chat_decoder)
    row = prepared.train[0]
    tokenizer = load_tokenizer(str(tiny_chat_decoder))
    assert len(row["prompt_ids"]) == 12
    assert tokenizer.decode(row["prompt_ids"]).endswith("sky<assistant>")
    assert any("cut to their last 12 tokens" in note for note in prepared.report.notes)
    config.preference.max_prompt_length = 64
    assert any("preference.max_prompt_length" in p for p in config.problems())


def test_bad_rows_are_dropped_counted_and_named(tmp_path, tiny_chat_decoder):
    rows = pair_rows(8) + [("what color is the sky", "", "no"),
                           ("what color is the sea", "the sea is blue", "the sea is blue"),
                           ("", "the sky is blue", "no")]
    data = write_csv(tmp_path / "some-bad.csv", ["prompt", "chosen", "rejected"], rows)
    config = preference_config(tiny_chat_decoder, data)
    config.data.validation_split = 0.0
    report = prepare(config, data, tiny_chat_decoder).report
    assert report.train_rows == 8 and report.rows_read == 11
    assert report.dropped == {"not a usable pair": 2,
                              "chosen and rejected answers are the same": 1}
    assert any("Row 9 has no chosen answer" in w for w in report.warnings)
    assert any("Row 10 has the same chosen and rejected answer" in w for w in report.warnings)


def test_no_usable_pair_is_a_clear_error(tmp_path, tiny_chat_decoder):
    data = write_csv(tmp_path / "all-bad.csv", ["prompt", "chosen", "rejected"],
                     [("what color is the sky", "blue", "blue")] * 3)
    config = preference_config(tiny_chat_decoder, data)
    with pytest.raises(UserError) as caught:
        prepare(config, data, tiny_chat_decoder)
    error = caught.value
    assert error.kind == "no_pairs"
    assert "None of the 3 rows of all-bad.csv" in error.message and "Row 1" in error.message
    assert "answers differ" in error.fix
    # A conversation that does not end with the assistant is named too.
    turns = json.dumps([{"role": "user", "content": "hi"}])
    data = write_csv(tmp_path / "no-answer.csv", ["chosen", "rejected"], [(turns, turns)])
    config.data.prompt_column = ""
    with pytest.raises(UserError) as caught:
        prepare(config, data, tiny_chat_decoder)
    assert "does not end with an assistant's answer" in caught.value.message


# -- the registry -----------------------------------------------------------------------------
def test_the_task_is_registered_for_decoders_and_cheap_to_import():
    assert "preference" in tasks_for(["AutoModelForCausalLM"])
    assert "preference" not in tasks_for(["AutoModelForSequenceClassification"])
    assert task_of_folder({"architectures": ["LlamaForCausalLM"]}) == "causal-lm"
    task = get_task("preference")
    assert task.chat and task.pipeline_tag == "text-generation"
    assert task.auto_class_for({}) == "AutoModelForCausalLM"
    assert "AutoPeftModelForCausalLM" in task.loading_snippet("adapter", {})
    config = RunConfig()
    config.model.name_or_path, config.data.train_file = "m", "d.csv"
    config.task.kind = "preference"
    assert any("data.chosen_column and data.rejected_column" in p for p in config.problems())
    code = ("import sys, pft_desktop.core.tasks.preference\n"
            "print([m for m in ('torch', 'transformers', 'trl', 'datasets') if m in sys.modules])")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "[]"
