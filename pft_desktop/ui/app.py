"""Start the app: a QApplication, the style sheet, the main window. The first window appears
before any ML library is imported (they live in child processes)."""

from __future__ import annotations

import sys


def create_app(argv: list[str] | None = None):
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    app.setApplicationName("pft-desktop")
    app.setOrganizationName("pft-desktop")
    from PySide6.QtGui import QIcon

    from pft_desktop.resources import APP_ID, app_icon

    app.setWindowIcon(QIcon(str(app_icon())))
    app.setDesktopFileName(APP_ID)  # Wayland matches the window to the menu entry by this id
    from pft_desktop.ui.i18n import install_translators

    install_translators(app)  # PFT_LANGUAGE, else the settings' language, else the system's
    import pyqtgraph as pg

    from pft_desktop.core.hub_env import apply_to_process
    from pft_desktop.core.settings import load_settings
    from pft_desktop.ui.theme import apply_theme

    pg.setConfigOptions(antialias=True)
    settings = load_settings()
    apply_to_process(settings)  # offline mode and the hub cache, for this process and its children
    apply_theme(settings.get("theme"))  # palette, style sheet and chart colours; live from now on
    return app


def main(screenshots: str | None = None) -> int:
    from pft_desktop.qt_platform import problem_before_start

    problem = problem_before_start()  # Qt would abort with a hint that names one library only
    if problem:
        print(problem, file=sys.stderr)
        return 1
    app = create_app()
    from pft_desktop.ui.main_window import MainWindow

    window = MainWindow()
    window.show()
    window.train_page.session.keep_warm()  # a runner with its libraries imported, for Start
    if screenshots:
        from pft_desktop.ui.screenshots import take_screenshots

        return take_screenshots(window, screenshots)
    return app.exec()
