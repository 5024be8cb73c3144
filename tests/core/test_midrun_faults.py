"""Faults in the middle of a real run on a tiny model: the disk fills while a checkpoint is
written, the data file is deleted or replaced while the run trains. Each ends the way a person
can act on: a clear message, nothing half-written taken as complete, advice that is true."""

import errno

import pytest

from helpers import classification_config, sentiment_rows, write_csv
from pft_desktop.core import events, provenance
from pft_desktop.core.recipe import run_training
from pft_desktop.core.rundir import CHECKPOINT_COMPLETE, RunFolder


def disk_fills_while_writing(monkeypatch, checkpoint: str, error: Exception) -> None:
    """The weights of ``checkpoint`` are cut short (part of the file written) and the write
    fails as a full disk does; every other write goes through."""
    import transformers.modeling_utils as modeling_utils

    real_save = modeling_utils.safe_save_file

    def save(tensors, filename, *args, **kwargs):
        if f"/{checkpoint}/" in str(filename).replace("\\", "/"):
            with open(filename, "wb") as handle:
                handle.write(b"\x00" * 512)  # what fitted before the disk was full
            raise error
        return real_save(tensors, filename, *args, **kwargs)

    monkeypatch.setattr(modeling_utils, "safe_save_file", save)


def no_space() -> OSError:
    return OSError(errno.ENOSPC, "No space left on device")


def checkpoint_config(data, **training):
    config = classification_config(data.parent / "missing", data, max_steps=6, save_steps=2,
                                   **training)
    config.data.validation_split = 0.0  # no evaluation: the faults are about the writes
    return config


@pytest.fixture
def config(tiny_encoder, sentiment_csv):
    config = checkpoint_config(sentiment_csv)
    config.model.name_or_path = str(tiny_encoder)
    return config


def test_disk_full_during_a_checkpoint_fails_clearly_and_resumes_from_the_last_whole_one(
        tmp_path, config, monkeypatch):
    disk_fills_while_writing(monkeypatch, "checkpoint-4", no_space())
    outcome = run_training(config, tmp_path / "run")
    folder = RunFolder(tmp_path / "run")
    assert outcome.status == "failed" and folder.state() == "failed"
    error = outcome.error
    assert error.kind == "no_disk_space", error
    assert "disk filled up" in error.message and "report" not in str(error).lower()
    assert "Free some disk space" in error.fix and f"--resume {folder.path}" in error.fix
    said = [e for e in events.read_events(folder.events_file) if e["type"] == events.ERROR]
    assert said[-1]["kind"] == "no_disk_space"
    assert "Traceback" in folder.log_file.read_text()  # the details, for whoever looks
    # The half-written checkpoint is there, but never taken for a complete one.
    torn = folder.checkpoints / "checkpoint-4"
    assert torn.is_dir() and not (torn / CHECKPOINT_COMPLETE).exists()
    assert folder.latest_checkpoint().name == "checkpoint-2"
    assert (folder.latest_checkpoint() / CHECKPOINT_COMPLETE).is_file()

    monkeypatch.undo()  # space was freed: the advice works
    resumed = run_training(None, folder.path, resume=True)
    assert resumed.status == "finished", resumed.error
    started = [e for e in events.read_events(folder.events_file) if e["type"] == "started"]
    assert started[-1]["resumed_from"].endswith("checkpoint-2")
    assert [e["step"] for e in folder.timeline() if e["type"] == "step"] == list(range(1, 7))
    assert (folder.model_dir / "model.safetensors").is_file()


@pytest.mark.parametrize("error", [
    no_space(),
    # safetensors reports a full disk in its own words, not as an OSError.
    RuntimeError('Error while serializing: IoError(Os { code: 28, kind: StorageFull, '
                 'message: "No space left on device" })'),
], ids=["OSError", "safetensors"])
def test_disk_full_at_the_first_checkpoint_does_not_offer_a_resume(tmp_path, config,
                                                                    monkeypatch, error):
    disk_fills_while_writing(monkeypatch, "checkpoint-2", error)
    outcome = run_training(config, tmp_path / "run")
    folder = RunFolder(tmp_path / "run")
    assert outcome.status == "failed" and outcome.error.kind == "no_disk_space"
    assert folder.latest_checkpoint() is None
    assert "--resume" not in outcome.error.fix and "Nothing was saved yet" in outcome.error.fix
    assert "report" not in str(outcome.error).lower()


def test_deleting_the_data_mid_run_leaves_the_run_unaffected_and_is_noticed(
        tmp_path, tiny_encoder, sentiment_csv):
    original = provenance.file_fingerprint(sentiment_csv)
    gone = []

    def sink(event):
        if event["type"] == "step" and event["step"] == 1:
            sentiment_csv.unlink()  # the data was read before training started
            gone.append(True)

    config = classification_config(tiny_encoder, sentiment_csv, max_steps=6)
    outcome = run_training(config, tmp_path / "run", sink=sink)
    folder = RunFolder(tmp_path / "run")
    assert gone and outcome.status == "finished", outcome.error
    assert "eval_accuracy" in folder.metrics() and (folder.model_dir /
                                                    "model.safetensors").is_file()
    recorded = folder.provenance()["data"]["train_file"]
    assert recorded == original  # the file as it was read: size, modification time, hash
    changes = folder.changes_since_start()
    assert len(changes) == 1 and "reviews.csv changed since the run started" in changes[0]
    assert "missing now" in changes[0]


def test_data_replaced_mid_run_is_named_when_the_run_resumes(tmp_path, tiny_encoder,
                                                             sentiment_csv):
    folder = RunFolder(tmp_path / "run")

    def sink(event):
        if event["type"] == "step" and event["step"] == 1:
            write_csv(sentiment_csv, ["review", "sentiment"], sentiment_rows(200, seed=7))
        if event["type"] == "step" and event["step"] == 2:
            folder.request_stop()

    config = classification_config(tiny_encoder, sentiment_csv, max_steps=6)
    assert run_training(config, folder.path, sink=sink).status == "stopped"
    before = folder.provenance()
    now = provenance.record(folder.load_config())
    assert any("reviews.csv changed" in text for text in provenance.differences(before, now))

    said = []
    resumed = run_training(None, folder.path, resume=True, sink=said.append)
    assert resumed.status == "finished", resumed.error
    warnings = [e["text"] for e in said if e["type"] == events.WARNING]
    assert any("reviews.csv changed since the run started" in text for text in warnings)
    assert any("trains on different data" in text for text in warnings)


def test_resuming_after_the_data_was_deleted_fails_clearly(tmp_path, tiny_encoder,
                                                           sentiment_csv):
    folder = RunFolder(tmp_path / "run")

    def sink(event):
        if event["type"] == "step" and event["step"] == 2:
            sentiment_csv.unlink()
            folder.request_stop()

    config = classification_config(tiny_encoder, sentiment_csv, max_steps=6)
    assert run_training(config, folder.path, sink=sink).status == "stopped"
    resumed = run_training(None, folder.path, resume=True)
    assert resumed.status == "failed" and resumed.error.kind != "internal", resumed.error
    assert "reviews.csv" in str(resumed.error)
    assert folder.latest_checkpoint() is not None  # nothing of the run was lost


def test_reopening_a_run_does_not_reread_an_unchanged_data_file(tmp_path, tiny_encoder,
                                                                sentiment_csv, monkeypatch):
    config = classification_config(tiny_encoder, sentiment_csv, max_steps=2)
    assert run_training(config, tmp_path / "run").status == "finished"

    def no_hashing(path):
        raise AssertionError("an unchanged file was hashed again")

    monkeypatch.setattr(provenance, "file_fingerprint", no_hashing)
    assert RunFolder(tmp_path / "run").changes_since_start() == []
