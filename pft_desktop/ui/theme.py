"""Light or dark: the application palette (Fusion) and style sheet, chosen by the setting
"theme" ("system", "light", "dark") and, for "system", by the desktop's colour scheme. Both are
followed live: a changed setting or a desktop switching to dark re-applies them at once.

Widgets that draw their own colours (the charts) listen for the palette change themselves."""

from __future__ import annotations

import os

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

THEMES = ("system", "light", "dark")
OVERRIDE = "PFT_THEME"  # for screenshots and tests: wins over the setting

Role, Group = QPalette.ColorRole, QPalette.ColorGroup
DARK = {Role.Window: "#181b20", Role.WindowText: "#e4e7eb", Role.Base: "#11151a",
        Role.AlternateBase: "#1b2026", Role.ToolTipBase: "#22272e", Role.ToolTipText: "#e4e7eb",
        Role.PlaceholderText: "#7b8794", Role.Text: "#e4e7eb", Role.Button: "#2b323b",
        Role.ButtonText: "#e4e7eb", Role.BrightText: "#ffffff", Role.Light: "#3a424c",
        Role.Midlight: "#2f3640", Role.Mid: "#262c34", Role.Dark: "#0d1014",
        Role.Shadow: "#000000", Role.Highlight: "#2563eb", Role.HighlightedText: "#ffffff",
        Role.Link: "#60a5fa", Role.LinkVisited: "#a78bfa"}
DARK_DISABLED = {Role.WindowText: "#6b7683", Role.Text: "#6b7683", Role.ButtonText: "#6b7683",
                 Role.Highlight: "#3a424c", Role.Base: "#1b1f24"}
# Text colours that carry meaning, (on light, on dark): the dark ones keep about 7:1 contrast
# on the dark window, where the light theme's red or brown would fall to 3:1.
TEXT_COLOURS = {"text": ("#1f2933", "#e4e7eb"), "muted": ("#52606d", "#9aa5b1"),
                "error": ("#b91c1c", "#f87171"), "warning": ("#b45309", "#fbbf24"),
                "ok": ("#15803d", "#4ade80"), "accent": ("#2563eb", "#60a5fa")}
# pyqtgraph's defaults for charts made from now on: (axis and text, background)
CHART_COLOURS = {False: ("#52606d", "w"), True: ("#9aa5b1", "#22272e")}


def chosen_theme(setting: str | None = None) -> str:
    """The theme asked for: PFT_THEME when it names one, else the setting, else "system"."""
    for choice in (os.environ.get(OVERRIDE), setting):
        choice = (choice or "").strip().lower()
        if choice in THEMES:
            return choice
    return "system"


def dark_palette() -> QPalette:
    palette = QPalette()
    for role, colour in DARK.items():
        palette.setColor(role, QColor(colour))
    for role, colour in DARK_DISABLED.items():
        palette.setColor(Group.Disabled, role, QColor(colour))
    return palette


def light_palette() -> QPalette:
    """Fusion's own light palette: what the app has always looked like."""
    return QStyleFactory.create("Fusion").standardPalette()


def is_dark() -> bool:
    """Whether the application's window is dark now (whatever made it so)."""
    return QApplication.palette().color(Role.Window).lightness() < 128


def text_colour(kind: str) -> str:
    """The colour for text of a kind ("error", "warning", "ok", "muted", "accent", "text") on
    the current theme, for rich text and item colours that a style sheet cannot reach."""
    return TEXT_COLOURS[kind][is_dark()]


def readable(colour: str) -> str:
    """A light theme's text colour as it should be on the current theme: its dark variant when
    the window is dark (unknown colours pass through)."""
    if not is_dark():
        return colour
    return _DARK_VARIANTS.get(colour.lower(), colour)


_DARK_VARIANTS = {light: dark for light, dark in TEXT_COLOURS.values()} | {
    "#1d4ed8": "#60a5fa", "#7b8794": "#9aa5b1"}


class Theme(QObject):
    """Keeps the application's look in line with the setting and the desktop."""

    changed = Signal(bool)  # dark

    def __init__(self, app: QApplication):
        super().__init__(app)
        self.app = app
        self.choice = "system"
        self.dark: bool | None = None
        QGuiApplication.styleHints().colorSchemeChanged.connect(self.scheme_changed)

    def apply(self, setting: str | None = None) -> bool:
        """Apply the theme the setting (or PFT_THEME) asks for; True when it is dark."""
        self.choice = chosen_theme(setting)
        if self.choice == "system":
            return self._show(QGuiApplication.styleHints().colorScheme()
                              == Qt.ColorScheme.Dark)
        return self._show(self.choice == "dark")

    def scheme_changed(self, scheme: Qt.ColorScheme) -> None:
        """The desktop switched between light and dark: follow it when the theme is "system"."""
        if self.choice == "system":
            self._show(scheme == Qt.ColorScheme.Dark)

    def _show(self, dark: bool) -> bool:
        if dark == self.dark:
            return dark
        import pyqtgraph as pg

        from pft_desktop.resources import style_sheet

        self.dark = dark
        if self.app.style().name().lower() != "fusion":
            self.app.setStyle("Fusion")  # native styles ignore much of a palette; Fusion follows
        self.app.setPalette(dark_palette() if dark else light_palette())
        self.app.setStyleSheet(style_sheet(dark))
        foreground, background = CHART_COLOURS[dark]
        pg.setConfigOptions(foreground=foreground, background=background)
        self.changed.emit(dark)
        return dark


_theme: Theme | None = None


def app_theme(app: QApplication | None = None) -> Theme:
    """The one Theme of the application (made on first use)."""
    global _theme
    app = app or QApplication.instance()
    if _theme is None or _theme.app is not app:
        _theme = Theme(app)
    return _theme


def apply_theme(setting: str | None = None) -> bool:
    """Apply the theme setting (read from the settings file when not given); True when dark."""
    if setting is None:
        from pft_desktop.core.settings import load_settings

        setting = load_settings().get("theme")
    return app_theme().apply(setting)
