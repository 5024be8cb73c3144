"""Dark mode: the setting, the desktop's colour scheme and PFT_THEME switch the application's
palette and style sheet at once, without a restart."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from pft_desktop.resources import style_sheet
from pft_desktop.ui.theme import app_theme, apply_theme, chosen_theme


def window_lightness() -> int:
    return QApplication.instance().palette().color(QPalette.ColorRole.Window).lightness()


@pytest.fixture
def app(qapp, monkeypatch):
    monkeypatch.delenv("PFT_THEME", raising=False)
    from pft_desktop.ui.app import create_app

    create_app()
    yield qapp
    monkeypatch.delenv("PFT_THEME", raising=False)
    apply_theme("light")  # the next test starts light, as the app does by default


def test_dark_theme_switches_palette_and_style_sheet(app):
    assert apply_theme("dark") is True
    assert window_lightness() < 60
    text = app.palette().color(QPalette.ColorRole.WindowText).lightness()
    assert text > 180, "text must stay readable on the dark window"
    assert app.styleSheet() == style_sheet(dark=True) != style_sheet()
    import pyqtgraph as pg

    assert pg.getConfigOption("background") != "w"
    assert apply_theme("light") is False
    assert window_lightness() > 200
    assert app.styleSheet() == style_sheet()


def test_the_saved_setting_is_applied_live(app):
    from pft_desktop.core.settings import save_settings

    save_settings(theme="dark")
    apply_theme()  # what the settings dialog calls after saving
    assert app_theme().dark and window_lightness() < 60


def test_system_follows_the_desktops_colour_scheme(app):
    theme = app_theme()
    apply_theme("system")
    changes = []
    theme.changed.connect(changes.append)
    theme.scheme_changed(Qt.ColorScheme.Dark)
    assert window_lightness() < 60 and app.styleSheet() == style_sheet(dark=True)
    theme.scheme_changed(Qt.ColorScheme.Light)
    assert window_lightness() > 200
    assert changes == [True, False]
    apply_theme("light")  # a fixed choice ignores the desktop
    theme.scheme_changed(Qt.ColorScheme.Dark)
    assert window_lightness() > 200


def test_pft_theme_overrides_the_setting(app, monkeypatch):
    monkeypatch.setenv("PFT_THEME", "dark")
    assert chosen_theme("light") == "dark"
    assert apply_theme("light") is True
    monkeypatch.setenv("PFT_THEME", "purple")  # not a theme: the setting decides
    assert chosen_theme("light") == "light"


def test_meaningful_text_colours_stay_readable_on_dark(app):
    from pft_desktop.ui.theme import readable, text_colour

    apply_theme("light")
    assert text_colour("error") == readable("#b91c1c") == "#b91c1c"
    apply_theme("dark")
    window = app.palette().color(QPalette.ColorRole.Window)
    for kind in ("error", "warning", "ok", "muted", "accent", "text"):
        assert QColor(text_colour(kind)).lightness() - window.lightness() > 90, kind
    assert readable("#1d4ed8") == "#60a5fa" and readable("#123456") == "#123456"


def test_the_app_starts_in_the_saved_theme(app):
    from pft_desktop.core.settings import save_settings
    from pft_desktop.ui.app import create_app

    save_settings(theme="dark")
    create_app()
    assert window_lightness() < 60 and app.styleSheet() == style_sheet(dark=True)


@pytest.mark.parametrize("dark", [False, True])
def test_a_disabled_primary_button_looks_disabled(app, dark):
    """Start training greys out during a run: its disabled face must be far from its enabled
    blue (in the dark theme a dark blue read as a button still waiting to be pressed)."""
    from PySide6.QtWidgets import QPushButton

    apply_theme("dark" if dark else "light")

    def face(button) -> QColor:  # the fill just inside the border, left of the text
        button.resize(160, 36)
        button.ensurePolished()
        return button.grab().toImage().pixelColor(6, 18)

    primary, plain = QPushButton("Start training"), QPushButton("Start training")
    primary.setObjectName("primary")
    enabled = face(primary)
    primary.setEnabled(False)
    plain.setEnabled(False)
    disabled = face(primary)
    assert enabled.hsvSaturation() > 150
    assert disabled.hsvSaturation() < enabled.hsvSaturation() * 0.7, disabled.name()
    if dark:  # grey, like every other disabled button there
        assert disabled == face(plain), (disabled.name(), face(plain).name())
    primary.deleteLater()
    plain.deleteLater()
