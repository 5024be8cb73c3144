"""Uploading to the Hugging Face Hub, as far as it can be tested without a network: each
refusal (offline mode, HF_HUB_OFFLINE, no token, a bad id, an unreachable hub) is a clear
message, before any export work, and the files an upload sends are the export's, minus the
one holding this machine's paths."""

import pytest

from helpers import classification_config, fails_cleanly, sentiment_rows, write_csv
from pft_desktop.core import hub_env
from pft_desktop.core.errors import UserError
from pft_desktop.core.hub_upload import (check_can_upload, files_to_upload, upload_folder,
                                         upload_run)

UNREACHABLE = "http://127.0.0.1:9"  # nothing listens on the discard port


@pytest.fixture(scope="module")
def lora_run(tmp_path_factory, tiny_encoder):
    from pft_desktop.core.recipe import run_training

    root = tmp_path_factory.mktemp("upload-run")
    data = write_csv(root / "d.csv", ["review", "sentiment"], sentiment_rows(60))
    config = classification_config(tiny_encoder, data, max_steps=3, learning_rate=5e-3)
    config.method.kind = "lora"
    assert run_training(config, root / "run").status == "finished"
    return root / "run"


@pytest.fixture(scope="module")
def exports(lora_run, tmp_path_factory):
    """The run exported both ways, once for the module (each export is checked in a child)."""
    from pft_desktop.core.export import export_run

    root = tmp_path_factory.mktemp("upload-exports")
    return {kind: export_run(lora_run, root / kind, kind) for kind in ("adapter", "merged")}


@pytest.fixture
def hub(monkeypatch, tmp_path):
    """No network, no stored token, default settings: each test turns on what it needs."""
    from huggingface_hub import constants

    monkeypatch.setenv("PFT_SETTINGS_FILE", str(tmp_path / "settings.json"))
    monkeypatch.setenv("HF_ENDPOINT", UNREACHABLE)
    monkeypatch.setattr(constants, "ENDPOINT", UNREACHABLE)
    monkeypatch.setattr(constants, "HF_TOKEN_PATH", str(tmp_path / "no-token"))
    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", False)
    # the command line sets the offline variables from the settings: restored after each test,
    # and each test starts with nothing set by an earlier one, as a new process would
    for name in ("HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(hub_env, "_set_here", {})
    return monkeypatch


def test_the_apps_offline_mode_refuses_before_the_export(hub, lora_run, capsys):
    from pft_desktop.core.settings import save_settings

    save_settings(offline=True)
    hub.setenv("HF_TOKEN", "hf_not_a_real_token")
    with pytest.raises(UserError) as raised:
        check_can_upload()
    assert raised.value.kind == "offline_mode" and "File > Settings" in raised.value.fix
    fails_cleanly(capsys, ["upload", str(lora_run), "--repo", "someone/model"],
                  "Offline mode is on", "Turn offline mode off")
    assert not any(p.name.startswith(".upload-") for p in lora_run.iterdir())


def test_hf_hub_offline_refuses_with_the_switch_named(hub, lora_run, capsys):
    hub.setenv("HF_HUB_OFFLINE", "1")
    hub.setenv("HF_TOKEN", "hf_not_a_real_token")
    fails_cleanly(capsys, ["upload", str(lora_run), "--repo", "someone/model"],
                  "HF_HUB_OFFLINE is set", "Unset HF_HUB_OFFLINE")


def test_no_token_says_how_to_sign_in(hub, lora_run, capsys):
    with pytest.raises(UserError) as raised:
        check_can_upload()
    assert raised.value.kind == "no_token"
    err = fails_cleanly(capsys, ["upload", str(lora_run), "--repo", "someone/model"],
                        "No Hugging Face token", "hf auth login", "paste a token")
    assert "hf_" not in err


def test_a_bad_repository_id_is_refused_with_the_form_it_takes(hub, lora_run, capsys):
    hub.setenv("HF_TOKEN", "hf_not_a_real_token")
    fails_cleanly(capsys, ["upload", str(lora_run), "--repo", "my model!"],
                  "'my model!' is not a Hugging Face repository id", "your-user-name/")


def test_an_unreachable_hub_is_a_message_and_the_token_is_never_shown(hub, exports, capsys):
    secret = "hf_SecretValueThatMustNotLeak"
    hub.setenv("HF_TOKEN", secret)
    with pytest.raises(UserError) as raised:
        upload_folder(exports["adapter"], "someone/model")
    error = raised.value
    assert error.kind == "hub_unreachable" and UNREACHABLE in error.message
    assert "internet connection" in error.fix and secret not in str(error)
    err = fails_cleanly(capsys, ["upload", str(exports["adapter"]), "--repo", "someone/model"],
                        "could not be reached")
    assert secret not in err


@pytest.mark.slow
def test_a_run_is_exported_into_itself_then_uploaded_and_the_copy_removed(hub, lora_run):
    hub.setenv("HF_TOKEN", "hf_not_a_real_token")
    with pytest.raises(UserError) as raised:
        upload_run(lora_run, "someone/model", adapter=True)
    assert raised.value.kind == "hub_unreachable"
    assert not any(p.name.startswith(".upload-") for p in lora_run.iterdir())


@pytest.mark.parametrize("kind", ["adapter", "merged"])
def test_the_upload_sends_the_export_with_its_card_and_not_the_local_paths(exports, kind):
    export = exports[kind]
    (export / ".partial-leftover").write_text("x")
    sent = files_to_upload(export)
    on_disk = {p.name for p in export.iterdir()}
    assert "pft_run.json" in on_disk and "pft_run.json" not in sent
    assert ".partial-leftover" not in sent
    assert set(sent) == on_disk - {"pft_run.json", ".partial-leftover"}
    assert "README.md" in sent
    weights = "adapter_model.safetensors" if kind == "adapter" else "model.safetensors"
    assert weights in sent and ("adapter_config.json" in sent) == (kind == "adapter")


def test_a_folder_that_is_not_an_export_is_refused(hub, tmp_path):
    hub.setenv("HF_TOKEN", "hf_not_a_real_token")
    (tmp_path / "notes").mkdir()
    with pytest.raises(UserError) as raised:
        upload_folder(tmp_path / "notes", "someone/model")
    assert raised.value.kind == "not_an_export"
