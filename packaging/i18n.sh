#!/usr/bin/env bash
# Translations (Qt's own tools, from the virtual environment's PySide6):
#   bash packaging/i18n.sh update    list core's plain texts (packaging/i18n_core_strings.py), then
#                                    collect every tr()/translate()/QT_TRANSLATE_NOOP string of
#                                    pft_desktop into the .ts sources (new ones "unfinished")
#   bash packaging/i18n.sh compile   compile each .ts into the .qm the app loads
# Translate in between with pyside6-linguist (or any editor): keep {placeholders}, %n, & and
# HTML tags as they are. Both the .ts and the .qm are committed; the .qm ships in the wheel.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${PFT_VENV:-.venv}"
I18N=pft_desktop/assets/i18n
LANGS=(zh_CN)

case "${1:-}" in
    update)
        QT_QPA_PLATFORM=offscreen "$VENV/bin/python" packaging/i18n_core_strings.py
        mapfile -t sources < <(find pft_desktop -name '*.py' -not -path '*/__pycache__/*' | sort)
        for lang in "${LANGS[@]}"; do
            # No source locations: line numbers would change the .ts with every edit.
            "$VENV/bin/pyside6-lupdate" -locations none -no-obsolete "${sources[@]}" \
                -ts "$I18N/pft_desktop_$lang.ts"
        done
        ;;
    compile)
        for lang in "${LANGS[@]}"; do
            "$VENV/bin/pyside6-lrelease" -removeidentical "$I18N/pft_desktop_$lang.ts" \
                -qm "$I18N/pft_desktop_$lang.qm"
        done
        ;;
    *)
        echo "usage: bash packaging/i18n.sh update|compile" >&2
        exit 2
        ;;
esac
