"""Paths are checked before any work starts; a stalled run is noticed; a hub token never ends
up in anything the app writes."""

import json
import os

import pytest

from helpers import classification_config, sentiment_rows, write_csv
from pft_desktop.core.errors import UserError
from pft_desktop.core.recipe import run_training
from pft_desktop.core.rundir import RunFolder, check_new_folder, process_started


# the mixed-script name runs by default; the other two are the same path with the slow tests
@pytest.mark.parametrize("name", [pytest.param("with spaces in it", marks=pytest.mark.slow),
                                  "训练 運行 تدريب",
                                  pytest.param("émigré-ñ", marks=pytest.mark.slow)])
def test_runs_and_exports_live_in_folders_with_any_letters(tmp_path, tiny_encoder, name):
    from pft_desktop.core.export import export_run

    data = write_csv(tmp_path / f"{name}.csv", ["review", "sentiment"], sentiment_rows(40))
    outcome = run_training(classification_config(tiny_encoder, data, max_steps=2),
                           tmp_path / name / "run")
    assert outcome.status == "finished", outcome
    assert export_run(tmp_path / name / "run", tmp_path / name / "export", "merged").is_dir()


def test_a_name_too_long_for_the_file_system_is_refused_before_any_work(tmp_path,
                                                                        tiny_encoder):
    data = write_csv(tmp_path / "d.csv", ["review", "sentiment"], sentiment_rows(40))
    for length in (250, 255, 300):
        outcome = run_training(classification_config(tiny_encoder, data, max_steps=2),
                               tmp_path / ("r" * length))
        assert outcome.error.kind == "path_too_long", outcome.error
        assert "Choose a shorter name" in outcome.error.fix
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.csv"]  # nothing was made
    assert check_new_folder(tmp_path / ("r" * 200)).name == "r" * 200


def test_a_run_without_steps_for_far_longer_than_usual_is_stalled(tmp_path):
    from pft_desktop.core.config import RunConfig

    folder = RunFolder.create(tmp_path / "run", RunConfig())
    me = os.getpid()
    folder.set_status("running", pid=me, pid_started=process_started(me))
    start = process_started(me)  # steps of the process that trains now
    folder.events_file.write_text("".join(
        json.dumps({"type": "step", "step": s, "time": start + s}) + "\n" for s in range(1, 21)))
    assert folder.stalled_for(now=start + 25) == 0.0          # a little slow: fine
    assert folder.stalled_for(now=start + 20 + 600) == 600.0  # ten minutes without a step
    # Resumed: the steps are an earlier process's; this one has made none yet (it loads).
    folder.events_file.write_text("".join(
        json.dumps({"type": "step", "step": s, "time": start - 1000 + s}) + "\n"
        for s in range(1, 21)))
    assert folder.is_live() and folder.stalled_for(now=start + 600) == 0.0


def test_a_hub_token_is_never_written_anywhere(tmp_path, tiny_encoder, monkeypatch):
    from pft_desktop.core.export import export_run

    token = "hf_PLANTEDtokenFORtestsONLY1234567890"
    monkeypatch.setenv("HF_TOKEN", token)
    monkeypatch.setenv("HUGGING_FACE_HUB_TOKEN", token)
    data = write_csv(tmp_path / "d.csv", ["review", "sentiment"], sentiment_rows(40))
    config = classification_config(tiny_encoder, data, max_steps=2)
    config.method.kind = "lora"
    assert run_training(config, tmp_path / "run").status == "finished"
    export_run(tmp_path / "run", tmp_path / "adapter", "adapter")
    export_run(tmp_path / "run", tmp_path / "merged", "merged")
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert len(written) > 20
    for path in written:
        assert token.encode() not in path.read_bytes(), path


def test_predict_on_a_folder_that_is_not_a_trained_model_says_why(tmp_path, tiny_encoder):
    from pft_desktop.core.predict import Predictor

    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "x.txt").write_text("hello")
    with pytest.raises(UserError) as caught:
        Predictor(tmp_path / "notes")
    assert caught.value.kind == "incomplete_model" and "config.json" in caught.value.message
    masked = Predictor(tiny_encoder)  # a masked-LM checkpoint fills in masks
    assert "fill" in masked("the film was [MASK] .")


def test_a_run_records_absolute_paths_for_a_relative_model_and_data(tmp_path, tiny_encoder,
                                                                    monkeypatch):
    import shutil

    from pft_desktop.core.predict import Predictor

    shutil.copytree(tiny_encoder, tmp_path / "enc")
    write_csv(tmp_path / "d.csv", ["review", "sentiment"], sentiment_rows(40))
    monkeypatch.chdir(tmp_path)
    config = classification_config("enc", "d.csv", max_steps=2)
    assert run_training(config, "run").status == "finished"
    saved = RunFolder(tmp_path / "run").load_config()
    assert saved.model.name_or_path == str(tmp_path / "enc")
    assert saved.data.train_file == str(tmp_path / "d.csv")
    monkeypatch.chdir("/")
    assert Predictor(tmp_path / "run")("a great film")["label"] in ("negative", "positive")


def test_training_warns_first_when_checkpoints_and_an_export_may_not_fit(tmp_path, monkeypatch):
    import shutil
    from collections import namedtuple

    from pft_desktop.core.config import RunConfig
    from pft_desktop.core.recipe import free_space_warning

    usage = namedtuple("usage", "total used free")
    config = RunConfig()
    config.method.kind = "full"
    monkeypatch.setattr(shutil, "disk_usage", lambda path: usage(10**12, 0, 10**12))
    assert free_space_warning(tmp_path, 400 * 2**20, config) == ""
    monkeypatch.setattr(shutil, "disk_usage", lambda path: usage(10**12, 0, 2**30))
    text = free_space_warning(tmp_path, 400 * 2**20, config)
    assert "Only 1.0 GB is free" in text and "save_total_limit" in text
    config.method.kind = "lora"  # small checkpoints: the same disk is enough
    assert free_space_warning(tmp_path, 400 * 2**20, config) == ""
