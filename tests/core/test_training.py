"""The real Trainer on tiny models: events, metrics, seeds, stop and resume, methods."""

import json
import threading

import pytest
from safetensors.torch import load_file

from helpers import classification_config
from pft_desktop.core import events
from pft_desktop.core.recipe import run_training
from pft_desktop.core.rundir import RunFolder


def types(run_dir):
    return [e["type"] for e in events.read_events(run_dir)]


def test_full_fine_tuning_learns_and_writes_a_complete_run(tmp_path, tiny_encoder,
                                                           sentiment_csv):
    config = classification_config(tiny_encoder, sentiment_csv, epochs=10, learning_rate=3e-3)
    outcome = run_training(config, tmp_path / "run")
    assert outcome.status == "finished", outcome
    folder = RunFolder(tmp_path / "run")
    metrics = folder.metrics()
    assert metrics["eval_accuracy"] >= 0.9 and metrics["eval_f1"] >= 0.9
    assert metrics["label_names"] == ["negative", "positive"]
    assert sum(map(sum, metrics["confusion_matrix"])) == 40
    assert set(metrics["per_class"]) == {"negative", "positive"}
    kinds = types(folder.path)
    assert kinds[0] == "status" and kinds[-1] == "finished"
    for kind in ("data_report", "started", "step", "eval", "checkpoint"):
        assert kind in kinds
    steps = [e for e in events.read_events(folder.path) if e["type"] == "step"]
    assert len(steps) == 150  # 120 train rows / batch 8 = 15 steps per epoch, 10 epochs
    first = steps[0]
    for key in ("loss", "learning_rate", "grad_norm", "tokens_per_second", "memory_bytes",
                "epoch", "eta_s"):
        assert first[key] is not None, key
    assert steps[-1]["loss"] < steps[0]["loss"]
    # Steps of a few milliseconds: their times are kept to the millisecond (the measured
    # seconds per step that later estimates learn from are differences of these).
    assert any(round(e["elapsed_s"], 2) != e["elapsed_s"] for e in steps)
    assert folder.status()["status"] == "finished"
    assert (folder.model_dir / "model.safetensors").is_file()
    assert json.loads((folder.model_dir / "config.json").read_text())["id2label"] == {
        "0": "negative", "1": "positive"}
    assert "Training" in folder.log_file.read_text()


def test_the_final_report_reads_the_final_evaluation_instead_of_predicting_again(
        tmp_path, tiny_encoder, sentiment_csv, monkeypatch):
    """The per-label table and confusion matrix come from the closing evaluation's predictions:
    a second pass over every validation row took as long as the evaluation itself."""
    from transformers import Trainer

    passes = []
    loop = Trainer.evaluation_loop
    monkeypatch.setattr(Trainer, "evaluation_loop",
                        lambda self, *a, **k: passes.append(k.get("description")) or
                        loop(self, *a, **k))
    config = classification_config(tiny_encoder, sentiment_csv, max_steps=6)
    assert run_training(config, tmp_path / "run").status == "finished"
    metrics = RunFolder(tmp_path / "run").metrics()
    evaluations = [e for e in events.read_events(tmp_path / "run") if e["type"] == "eval"]
    assert len(passes) == len(evaluations) and "Prediction" not in passes
    confusion = metrics["confusion_matrix"]
    assert sum(map(sum, confusion)) == 40
    right = sum(confusion[i][i] for i in range(len(confusion)))
    assert metrics["eval_accuracy"] == pytest.approx(right / 40)  # the final weights' answers


def test_same_seed_gives_the_same_run(tmp_path, tiny_encoder, sentiment_csv):
    losses = []
    for name in ("a", "b"):
        config = classification_config(tiny_encoder, sentiment_csv, max_steps=6)
        run_training(config, tmp_path / name)
        losses.append([e["loss"] for e in events.read_events(tmp_path / name)
                       if e["type"] == "step"])
    assert losses[0] == losses[1] and len(losses[0]) == 6


def test_stop_ends_after_the_step_saves_and_resumes(tmp_path, tiny_encoder, sentiment_csv):
    stop = threading.Event()

    def sink(event):
        if event["type"] == "step" and event["step"] == 3:
            stop.set()

    config = classification_config(tiny_encoder, sentiment_csv, max_steps=40)
    outcome = run_training(config, tmp_path / "run", sink=sink, stop=stop)
    folder = RunFolder(tmp_path / "run")
    assert outcome.status == "stopped" and folder.status()["status"] == "stopped"
    stopped_at = [e["step"] for e in events.read_events(folder.path) if e["type"] == "step"][-1]
    assert stopped_at in (3, 4)  # the request lands during step 3's log: step 3 or 4 is last
    assert folder.latest_checkpoint().name == f"checkpoint-{stopped_at}"
    assert (folder.model_dir / "model.safetensors").is_file()

    resumed = run_training(None, tmp_path / "run", resume=True)
    assert resumed.status == "finished"
    steps = [e["step"] for e in events.read_events(folder.path) if e["type"] == "step"]
    assert steps == list(range(1, 41))
    started = [e for e in events.read_events(folder.path) if e["type"] == "started"]
    assert started[-1]["resumed_from"].endswith(f"checkpoint-{stopped_at}")
    # The clock goes on from the checkpoint instead of restarting at zero.
    all_steps = [e for e in events.read_events(folder.path) if e["type"] == "step"]
    before = next(e for e in all_steps if e["step"] == stopped_at)["elapsed_s"]
    after = next(e for e in all_steps if e["step"] == stopped_at + 1)["elapsed_s"]
    assert after > before > 0


@pytest.mark.parametrize("rows, batch, accumulation, epochs", [(97, 8, 3, 1.5), (120, 7, 1, 2.0)])
def test_the_planned_step_total_is_the_trainers(tmp_path, tiny_encoder, rows, batch,
                                                accumulation, epochs):
    """The progress bar's total comes from the first event and must not jump later."""
    from helpers import sentiment_rows, write_csv

    data = write_csv(tmp_path / "d.csv", ["review", "sentiment"], sentiment_rows(rows))
    config = classification_config(tiny_encoder, data, epochs=epochs, batch_size=batch,
                                   gradient_accumulation=accumulation, eval_steps=1000)
    config.data.validation_split = 0.0
    assert run_training(config, tmp_path / "run").status == "finished"
    found = list(events.read_events(tmp_path / "run"))
    planned = next(e for e in found if e["type"] == "started")["total_steps"]
    steps = [e for e in found if e["type"] == "step"]
    assert {e["max_steps"] for e in steps} == {planned}
    assert steps[-1]["step"] == planned


def test_the_log_says_in_plain_words_which_new_layers_train(tmp_path, tiny_encoder,
                                                            sentiment_csv):
    config = classification_config(tiny_encoder, sentiment_csv, max_steps=2)
    assert run_training(config, tmp_path / "run").status == "finished"
    log = RunFolder(tmp_path / "run").log_file.read_text()
    assert "LOAD REPORT" not in log and "MISSING" not in log and "FutureWarning" not in log
    said = [e["text"] for e in events.read_events(tmp_path / "run") if e["type"] == "status"]
    assert sum("Training new layers" in text and "classifier" in text for text in said) == 1


def test_early_stopping_ends_a_run_that_does_not_improve(tmp_path, tiny_encoder,
                                                         sentiment_csv):
    config = classification_config(tiny_encoder, sentiment_csv, epochs=20, learning_rate=1e-9,
                                   early_stopping_patience=1, metric_for_best="eval_loss")
    run_training(config, tmp_path / "run")
    evals = [e for e in events.read_events(tmp_path / "run") if e["type"] == "eval"
             and not e.get("final")]
    assert len(evals) < 20


def _weights(path):
    return load_file(str(path))


def test_freeze_trains_only_head_and_top_layer(tmp_path, tiny_encoder, sentiment_csv):
    config = classification_config(tiny_encoder, sentiment_csv, max_steps=5)
    config.method.kind = "freeze"
    config.method.trainable_top_layers = 1
    run_training(config, tmp_path / "run")
    before = _weights(tiny_encoder / "model.safetensors")
    after = _weights(tmp_path / "run" / "model" / "model.safetensors")
    changed = {name for name, value in after.items()
               if name in before and not before[name].equal(value)}
    assert any(name.startswith("bert.encoder.layer.1.") for name in changed)
    assert not any(name.startswith(("bert.encoder.layer.0.", "bert.embeddings"))
                   for name in changed)


@pytest.mark.parametrize("train_word_embeddings", [False, True])
def test_full_fine_tuning_can_leave_the_word_embeddings(tmp_path, tiny_encoder, sentiment_csv,
                                                        train_word_embeddings):
    """Classification can leave the word embeddings as pretrained (half the step time on a CPU
    for a small encoder); everything else, position embeddings included, still trains."""
    config = classification_config(tiny_encoder, sentiment_csv, max_steps=3)
    config.method.kind = "full"
    config.method.train_word_embeddings = train_word_embeddings
    run_training(config, tmp_path / "run")
    before = _weights(tiny_encoder / "model.safetensors")
    after = _weights(tmp_path / "run" / "model" / "model.safetensors")
    changed = {name for name, value in after.items()
               if name in before and not before[name].equal(value)}
    word = "bert.embeddings.word_embeddings.weight"
    assert (word in changed) is train_word_embeddings
    assert "bert.embeddings.position_embeddings.weight" in changed
    assert any(name.startswith("bert.encoder.layer.0.") for name in changed)
    started = next(e for e in events.read_events(tmp_path / "run") if e["type"] == "started")
    frozen = started["total_parameters"] - started["trainable_parameters"]
    assert frozen == (0 if train_word_embeddings else before[word].numel())


def test_lora_saves_an_adapter_and_leaves_base_weights(tmp_path, tiny_encoder, sentiment_csv):
    config = classification_config(tiny_encoder, sentiment_csv, max_steps=5)
    config.method.kind = "lora"
    config.method.lora_r = 4
    run_training(config, tmp_path / "run")
    model_dir = tmp_path / "run" / "model"
    adapter = _weights(model_dir / "adapter_model.safetensors")
    assert any("lora_A" in name for name in adapter)
    assert any("classifier" in name for name in adapter)  # the new head is saved too
    assert not (model_dir / "model.safetensors").exists()
    assert json.loads((model_dir / "adapter_config.json").read_text())["r"] == 4
    started = next(e for e in events.read_events(tmp_path / "run") if e["type"] == "started")
    assert 0 < started["trainable_parameters"] < started["total_parameters"] / 4


def _chat_config(model, data, method: str, steps: int):
    """A prompt/response causal-LM run on the tiny chat decoder."""
    from pft_desktop.core.config import RunConfig

    config = RunConfig()
    config.model.name_or_path, config.data.train_file = str(model), str(data)
    config.data.prompt_column, config.data.response_column = "prompt", "response"
    config.task.kind, config.task.max_length = "causal-lm", 64
    config.method.kind = method
    config.training.max_steps, config.training.learning_rate = steps, 5e-3
    return config


def test_causal_lm_learns_responses_only(tmp_path, tiny_chat_decoder, qa_csv):
    config = _chat_config(tiny_chat_decoder, qa_csv, "lora", steps=12)
    outcome = run_training(config, tmp_path / "run")
    assert outcome.status == "finished", outcome
    metrics = RunFolder(tmp_path / "run").metrics()
    assert metrics["eval_perplexity"] == pytest.approx(2.718281828 ** metrics["eval_loss"],
                                                       rel=1e-6)
    report = json.loads((tmp_path / "run" / "data_report.json").read_text())
    assert any("chat template" in note for note in report["notes"])


def test_full_language_modelling_trains_its_word_embeddings(tmp_path, tiny_chat_decoder, qa_csv):
    """A language model's word embeddings are its vocabulary (often tied to the output layer):
    full fine-tuning always trains them."""
    config = _chat_config(tiny_chat_decoder, qa_csv, "full", steps=2)
    assert run_training(config, tmp_path / "run").status == "finished"
    before = _weights(tiny_chat_decoder / "model.safetensors")
    after = _weights(tmp_path / "run" / "model" / "model.safetensors")
    word = next(name for name in before if name.endswith("embed_tokens.weight"))
    assert not before[word].equal(after[word])


def test_causal_lm_masks_prompt_tokens(tiny_chat_decoder, qa_csv):
    from pft_desktop.core.config import RunConfig
    from pft_desktop.core.data import load_table
    from pft_desktop.core.recipe import load_tokenizer
    from pft_desktop.core.tasks import get_task
    from pft_desktop.core.tasks.causal_lm import format_prompt

    config = RunConfig()
    config.data.prompt_column, config.data.response_column = "prompt", "response"
    config.task.max_length = 64
    tokenizer = load_tokenizer(str(tiny_chat_decoder))
    data = get_task("causal-lm").prepare(config, load_table(qa_csv), None, tokenizer)
    row = data.train[0]
    masked = row["labels"].count(-100)
    prefix = format_prompt(tokenizer, "x")
    assert prefix.startswith("<user>x") and prefix.endswith("<assistant>")
    assert 0 < masked < len(row["labels"])
    learned = tokenizer.decode([t for t in row["labels"] if t != -100])
    assert learned.startswith("the ") and learned.endswith("<|endoftext|>")
