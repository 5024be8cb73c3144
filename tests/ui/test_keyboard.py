"""Without a mouse: the wizard is driven from the first page to the Train page with keys only
(Tab to a field, type, Enter, Alt+Right), form fields carry their labels as accessible names,
and the window comes back where it was closed."""

from PySide6.QtCore import QRect, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from pft_desktop.ui.widgets.forms import ConfigForm
from wizard_helpers import close_window

ALT, CTRL = Qt.KeyboardModifier.AltModifier, Qt.KeyboardModifier.ControlModifier


def press(window, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    """A key as a person types it: to whatever has the focus."""
    QTest.keyClick(QApplication.focusWidget() or window, key, modifier)


def tab_to(window, target: QWidget, limit: int = 150) -> None:
    """Press Tab until ``target`` has the focus, as a person would; fail if it never does."""
    for _ in range(limit):
        if QApplication.focusWidget() is target:
            return
        press(window, Qt.Key.Key_Tab)
    raise AssertionError(f"Tab never reaches {target!r}; it is at {QApplication.focusWidget()!r}")


def type_path(window, edit, path) -> None:
    tab_to(window, edit)
    QTest.keyClicks(edit, str(path))
    press(window, Qt.Key.Key_Return)


def test_keys_alone_take_the_wizard_to_the_train_page(qtbot, window, tiny_encoder,
                                                      sentiment_csv):
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    type_path(window, window.model_page.folder.edit, tiny_encoder)
    qtbot.waitUntil(window.next.isEnabled, timeout=60000)
    press(window, Qt.Key.Key_Right, ALT)
    assert window.current_page() is window.task_page
    button = window.task_page.task_buttons["classification"]
    if not button.isChecked():
        tab_to(window, button)
        press(window, Qt.Key.Key_Space)
    assert button.isChecked()
    press(window, Qt.Key.Key_PageDown, CTRL)
    assert window.current_page() is window.data_page
    type_path(window, window.data_page.file.edit, sentiment_csv)
    qtbot.waitUntil(lambda: not window.data_page.problems(), timeout=90000)
    press(window, Qt.Key.Key_Right, ALT)
    assert window.current_page() is window.hyper_page
    press(window, Qt.Key.Key_Left, ALT)  # and back again
    assert window.current_page() is window.data_page
    qtbot.waitUntil(window.next.isEnabled, timeout=90000)
    press(window, Qt.Key.Key_Right, ALT)
    assert window.current_page() is window.hyper_page
    qtbot.waitUntil(window.next.isEnabled, timeout=30000)
    press(window, Qt.Key.Key_Right, ALT)
    assert window.current_page() is window.train_page
    tab_to(window, window.train_page.start_button)  # reachable, and focusable
    tab_to(window, window.back)


def test_every_config_form_field_has_an_accessible_name(window):
    forms = window.findChildren(ConfigForm)
    assert len(forms) >= 3
    for form in forms:
        for name, editor in form.editors.items():
            assert editor.accessibleName().strip(), f"{name} has no accessible name"
            assert form.labels[name].buddy() is editor
            if editor.toolTip():
                assert editor.accessibleDescription()


def test_the_settings_dialog_fields_are_named_and_reachable_by_alt_letter(qtbot):
    from pft_desktop.ui.settings_dialog import SettingsDialog

    dialog = SettingsDialog()
    qtbot.addWidget(dialog)
    assert dialog.theme.accessibleName() == "Theme"
    assert dialog.hub_cache.accessibleName() == "Hub cache"
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    QTest.keyClick(QApplication.focusWidget() or dialog, Qt.Key.Key_T, ALT)
    assert QApplication.focusWidget() is dialog.theme


def test_standard_shortcuts_are_on_the_menus(window):
    keys = {action.text(): [s.toString() for s in action.shortcuts()]
            for menu in window.menuBar().findChildren(type(window.menuBar().addMenu("x")))
            for action in menu.actions()}
    assert "Ctrl+," in keys["Se&ttings…"] and "Ctrl+Q" in keys["&Quit"]
    assert "Alt+Left" in keys["&Back"] and "Alt+Right" in keys["&Next"]
    assert "Ctrl+Return" in keys["&Start training"] and "F5" in keys["&Refresh the list"]


def test_f5_shows_and_refreshes_the_library(qtbot, window):
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    press(window, Qt.Key.Key_F5)
    assert window.current_page() is window.runs_page


def test_window_geometry_comes_back_after_closing_and_reopening(qtbot, window):
    from pft_desktop.ui.main_window import MainWindow

    window.setGeometry(QRect(40, 50, 700, 520))  # the offscreen screen is 800 x 600
    placed = window.geometry()
    assert (placed.width(), placed.height()) == (700, 520)
    close_window(window)
    again = MainWindow()
    qtbot.addWidget(again)
    try:
        assert again.geometry() == placed
    finally:
        close_window(again)
