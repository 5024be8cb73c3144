"""The interface language: Qt translators for the app's own strings (assets/i18n, compiled from
the .ts sources by packaging/i18n.sh) and Qt's own dialogs, and the rendering of core's message
catalogue, which stays Qt-free (core.messages)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QFont

LANGUAGES = {"en": "English", "zh_CN": "简体中文"}
_installed: list[QTranslator] = []


def chosen_language() -> str:
    """PFT_LANGUAGE (tests, screenshots), then the settings' "language", then the system
    locale; always a key of LANGUAGES."""
    wanted = os.environ.get("PFT_LANGUAGE", "")
    if not wanted:
        from pft_desktop.core.settings import load_settings

        wanted = load_settings().get("language") or QLocale.system().name()
    if wanted in LANGUAGES:
        return wanted
    return "zh_CN" if wanted.lower().replace("-", "_").startswith("zh") else "en"


def install_translators(app, language: str | None = None) -> str:
    """Replace the translators this module installed with those of ``language`` (the chosen
    one by default) and return it. English needs none: the sources are English."""
    from pft_desktop.resources import asset_path

    language = language or chosen_language()
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    _use_font_for(app, language)
    if language == "en":
        return language
    qt_own = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
    for path in (qt_own / f"qtbase_{language}.qm",
                 asset_path("i18n", f"pft_desktop_{language}.qm")):
        if not path.is_file():  # Qt's own may be missing (a PySide6 without them)
            continue
        # Loaded from a copy in memory: QTranslator maps a file it loads by name, and a .qm
        # replaced while the app runs (an update, packaging/i18n.sh) then lost translations.
        translator = QTranslator(app)
        translator.data = path.read_bytes()  # the translator reads it for its whole life
        if translator.load(translator.data):
            app.installTranslator(translator)
            _installed.append(translator)
    return language


# On Linux the default UI font usually has no Chinese glyphs: Qt borrows them from a fallback
# font with taller metrics, and text in tabs and buttons sized for the default font was cut at
# the bottom (seen in the zh_CN screenshots). A Chinese UI font as the first family fixes both.
CHINESE_FONTS = ("Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei",
                 "Droid Sans Fallback")
_default_font = None


def _use_font_for(app, language: str) -> None:
    global _default_font
    if not sys.platform.startswith("linux"):
        return
    from PySide6.QtGui import QFontDatabase

    if _default_font is None:
        _default_font = app.font()
    font = QFont(_default_font)
    available = set(QFontDatabase.families())
    chinese = next((family for family in CHINESE_FONTS if family in available), None)
    if language == "zh_CN" and chinese:
        font.setFamilies([chinese, *_default_font.families()])
    app.setFont(font)


def core_text(text) -> str:
    """A text from core in the interface language: a catalogue message (core.messages, also
    inside another's parameters) is translated, anything else is shown as it came."""
    from pft_desktop.core.messages import Message

    if not isinstance(text, Message):  # a plain string core_strings.py may list
        return QCoreApplication.translate("core", str(text)) if text else ""
    params = {key: core_text(value) if isinstance(value, Message) else value
              for key, value in text.params.items()}  # names and numbers stay as they are
    return QCoreApplication.translate("core", text.template).format(**params)


def core_parts(error: dict) -> tuple[str, str]:
    """An error as core sends it ({"message", "fix"}, with their catalogue ids when they have
    them): its message and fix in the interface language."""
    from pft_desktop.core.messages import from_wire

    return core_text(from_wire(error, "message")), core_text(from_wire(error, "fix"))


def core_error(error: dict) -> str:
    """The same as one line."""
    return "{} {}".format(*core_parts(error)).strip()
