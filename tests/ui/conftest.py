import pytest

from wizard_helpers import close_window


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("PFT_DESKTOP_RUNS_DIR", str(tmp_path / "runs"))
    from pft_desktop.ui.app import create_app
    from pft_desktop.ui.main_window import MainWindow

    create_app()
    win = MainWindow()
    win.show()
    yield win
    close_window(win)
