"""The interface language: Qt translators for the app's own strings (assets/i18n, compiled from
the .ts sources by packaging/i18n.sh) and Qt's own dialogs, and the rendering of core's message
catalogue, which stays Qt-free (core.messages)."""

from __future__ import annotations

import os

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

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
    if language == "en":
        return language
    qt_own = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for name, folder in ((f"qtbase_{language}", qt_own),
                         (f"pft_desktop_{language}", str(asset_path("i18n")))):
        translator = QTranslator(app)
        if translator.load(name, folder):  # Qt's own may be missing (a wheel without them)
            app.installTranslator(translator)
            _installed.append(translator)
    return language


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
