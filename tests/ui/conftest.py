import pytest


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("PFT_DESKTOP_RUNS_DIR", str(tmp_path / "runs"))
    from pft_desktop.ui.app import create_app
    from pft_desktop.ui.main_window import MainWindow

    create_app()
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    yield win
    win.train_page.session.kill()
    win.train_page.session.wait(10000)
    for page in win.pages:
        if hasattr(page, "shutdown"):
            page.shutdown()
