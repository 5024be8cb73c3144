import pytest

from wizard_helpers import close_window


@pytest.fixture(autouse=True)
def private_qsettings(tmp_path_factory):
    """Window geometry and recent folders (QSettings) go to a temporary folder per test, never
    into the user's config."""
    from PySide6.QtCore import QSettings

    folder = str(tmp_path_factory.mktemp("qsettings"))
    for format_ in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(format_, QSettings.Scope.UserScope, folder)
        QSettings.setPath(format_, QSettings.Scope.SystemScope, folder)
    yield folder


@pytest.fixture(autouse=True)
def no_leftover_widgets(qapp):
    """Windows a test closed are deleted before the next test: left waiting for an event loop
    they pile up (thousands of widgets), and every theme switch then restyles all of them."""
    yield
    from PySide6.QtCore import QCoreApplication, QEvent

    for widget in qapp.topLevelWidgets():
        if not widget.isVisible():
            widget.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


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
