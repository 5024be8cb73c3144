"""The Results page's "Upload to the Hub…": it opens a dialog with private checked, runs the
upload as a child process, and shows the refusal (offline mode) or the hub's failure as a
sentence with its fix, never a traceback. No network: the hub's address is unroutable."""

import pytest

from run_folders import make_run

UNREACHABLE = "http://127.0.0.1:9"


@pytest.fixture
def hub(tmp_path, monkeypatch):
    """Default settings, no stored token, the hub unreachable (for this process's children)."""
    monkeypatch.setenv("PFT_SETTINGS_FILE", str(tmp_path / "settings.json"))
    monkeypatch.setenv("HF_ENDPOINT", UNREACHABLE)
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf-home"))
    from pft_desktop.core import hub_env

    # huggingface_hub reads TRANSFORMERS_OFFLINE as HF_HUB_OFFLINE: an earlier test's offline
    # mode must not stay behind in either
    for name in ("HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(hub_env, "_set_here", {})


def _upload(qtbot, dialog, repo="someone/model") -> str:
    qtbot.keyClicks(dialog.repo, repo)
    assert dialog.upload.isEnabled()
    with qtbot.waitSignal(dialog.finished_upload, timeout=120000) as finished:
        dialog.upload.click()
    assert finished.args == [""]  # no URL: it failed
    text = dialog.status.text()
    assert "Upload failed" in text and "Traceback" not in text
    return text


def test_the_button_opens_the_dialog_private_and_it_reports_offline_mode(qtbot, window, hub,
                                                                         tmp_path):
    from pft_desktop.core.settings import save_settings

    run = make_run(tmp_path / "elsewhere", "a-finished-run", "finished", saved_model=True)
    page = window.results_page
    page.open_run(str(run.path))
    assert page.upload_hub.isVisible() and page.upload_hub.isEnabled()
    page.upload_hub.click()
    dialog = page.upload_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.private.isChecked()
    assert not dialog.upload.isEnabled()  # no repository id yet
    assert dialog.what.currentData() == "merged"
    save_settings(offline=True)
    text = _upload(qtbot, dialog)
    assert "Offline mode is on" in text and "File &gt; Settings" in text
    dialog.reject()


def test_a_pasted_token_is_used_and_an_unreachable_hub_is_said_plainly(qtbot, hub, tmp_path):
    from pft_desktop.ui.hub_upload_dialog import HubUploadDialog

    export = tmp_path / "export"  # what an export writes, as far as the upload looks
    export.mkdir()
    for name, text in (("README.md", "# a model\n"), ("config.json", "{}"),
                       ("pft_run.json", "{}")):
        (export / name).write_text(text)
    dialog = HubUploadDialog(export, is_adapter=False)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.token.setText("hf_pasted_but_not_real")
    dialog.private.setChecked(False)
    text = _upload(qtbot, dialog)
    # past the token check (the pasted token reached the child), stopped at the network
    assert "could not be reached" in text and "internet connection" in text
    assert "hf_pasted_but_not_real" not in text
    dialog.reject()
