"""The main window: the run library and the wizard's steps on the left, the current page, and
a Back/Next bar (wizard pages only) that is enabled only when the page is complete."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QFrame, QHBoxLayout, QLabel, QListWidget, QListWidgetItem,
                               QMainWindow, QMessageBox, QPushButton, QStackedWidget,
                               QVBoxLayout, QWidget)

from pft_desktop import __version__
from pft_desktop.core.errors import UserError
from pft_desktop.core.rundir import RunFolder
from pft_desktop.ui.accessible import name_form_fields
from pft_desktop.ui.diagnostics_dialog import show_diagnostics
from pft_desktop.ui.i18n import core_parts
from pft_desktop.ui.notify import DesktopNotifier, run_notice
from pft_desktop.ui.pages.base import Pending
from pft_desktop.ui.state import AppState

TRAIN, RESULTS = 4, 5  # wizard steps the library jumps to


class MainWindow(QMainWindow):
    def __init__(self, parent=None):
        super().__init__(parent)
        from pft_desktop.ui.pages.compare_page import ComparePage
        from pft_desktop.ui.pages.data_page import DataPage
        from pft_desktop.ui.pages.hyper_page import HyperparametersPage
        from pft_desktop.ui.pages.model_page import ModelPage
        from pft_desktop.ui.pages.results_page import ResultsPage
        from pft_desktop.ui.pages.runs_page import RunsPage
        from pft_desktop.ui.pages.task_page import TaskPage
        from pft_desktop.ui.pages.train_page import TrainPage

        self.setWindowTitle("pft-desktop")
        self.state = AppState(self)
        # The task before the data: it decides which columns the Data page asks for.
        self.pages = [ModelPage(self.state), TaskPage(self.state), DataPage(self.state),
                      HyperparametersPage(self.state), TrainPage(self.state),
                      ResultsPage(self.state)]
        self.model_page, self.task_page, self.data_page, self.hyper_page, self.train_page, \
            self.results_page = self.pages
        self.runs_page, self.compare_page = RunsPage(self.state), ComparePage(self.state)
        self._last_step = 0  # the wizard step shown before the library
        self.notifier = DesktopNotifier(self)
        self.notifier.activated.connect(self._bring_to_front)

        self.steps = QListWidget()
        self.steps.setObjectName("steps")
        self.steps.setFixedWidth(200)
        for number, page in enumerate(self.pages, 1):
            self.steps.addItem(QListWidgetItem(f"{number}  {page.display_title()}"))
        self.steps.currentRowChanged.connect(self._step_clicked)
        brand = QLabel("pft-desktop")
        brand.setObjectName("brand")
        self.runs_button = QPushButton(self.tr("Runs"))
        self.runs_button.setObjectName("sideLink")
        self.runs_button.setCheckable(True)
        self.runs_button.setToolTip(self.tr("Every run you have trained (Ctrl+R)"))
        self.runs_button.clicked.connect(self.show_library)
        caption = QLabel(self.tr("NEW RUN"))
        caption.setObjectName("sideCaption")
        side = QWidget()
        side.setStyleSheet("background: #1f2933;")
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.setSpacing(0)
        side_layout.addWidget(brand)
        side_layout.addWidget(self.runs_button)
        side_layout.addWidget(caption)
        side_layout.addWidget(self.steps, 1)

        self.stack = QStackedWidget()
        for page in self.pages:
            self.stack.addWidget(page)
            page.completeChanged.connect(self.update_navigation)
        self.stack.addWidget(self.runs_page)
        self.stack.addWidget(self.compare_page)

        self.problem = QLabel()
        self.problem.setObjectName("problem")
        self.problem.setWordWrap(True)
        self.back = QPushButton(self.tr("Back"))
        self.back.clicked.connect(lambda: self.go(self.wizard_index - 1))
        self.next = QPushButton(self.tr("Next"))
        self.next.setObjectName("primary")
        self.next.clicked.connect(lambda: self.go(self.wizard_index + 1))
        nav = self.nav = QFrame()
        nav.setObjectName("navBar")
        nav_layout = QHBoxLayout(nav)
        nav_layout.setContentsMargins(24, 10, 24, 10)
        nav_layout.addWidget(self.problem, 1)
        nav_layout.addWidget(self.back)
        nav_layout.addWidget(self.next)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.setSpacing(0)
        right_layout.addWidget(self.stack, 1)
        right_layout.addWidget(nav)
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(side)
        layout.addWidget(right, 1)
        self.setCentralWidget(central)
        self._menus()
        self.state.changed.connect(lambda _: self.update_navigation())
        self.train_page.run_finished.connect(lambda: self.go(RESULTS))
        self.train_page.session.finished.connect(self._run_ended)
        self.results_page.run_opened.connect(self._run_opened)
        self.results_page.fine_tune_requested.connect(self._fine_tune)
        self.results_page.same_from_base_requested.connect(
            lambda path, base: self.new_run_from(path, base=base))
        self._connect_library()
        self._keyboard()
        self.resize(1180, 780)
        self._restore_window()
        self.go(0)

    def _menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        for text, keys, slot in (
                (self.tr("&Open config…"), (QKeySequence.StandardKey.Open,),
                 self.hyper_page.load_config),
                (self.tr("&Save config…"), (QKeySequence.StandardKey.Save,),
                 self.hyper_page.save_config),
                (self.tr("Open &run folder…"), (), lambda: self.results_page.open_run()),
                (None, None, None),
                (self.tr("Se&ttings…"), (QKeySequence.StandardKey.Preferences, "Ctrl+,"),
                 self.open_settings),
                (self.tr("&Quit"), (QKeySequence.StandardKey.Quit, "Ctrl+Q"), self.close)):
            if text is None:
                file_menu.addSeparator()
                continue
            action = QAction(text, self)
            action.setShortcuts(_shortcuts(*keys))
            action.triggered.connect(slot)
            file_menu.addAction(action)
        go_menu = self.menuBar().addMenu(self.tr("&Go"))
        for text, keys, slot in (
                (self.tr("&Back"), ("Alt+Left", "Ctrl+PgUp"), lambda: _press(self.back)),
                (self.tr("&Next"), ("Alt+Right", "Ctrl+PgDown"), lambda: _press(self.next)),
                (self.tr("&Start training"), ("Ctrl+Return", "Ctrl+Enter"), self.start_training)):
            action = QAction(text, self)
            action.setShortcuts([QKeySequence(key) for key in keys])
            action.triggered.connect(slot)
            go_menu.addAction(action)
        runs_menu = self.menuBar().addMenu(self.tr("&Runs"))
        library = QAction(self.tr("Run &library"), self)
        library.setShortcut(QKeySequence("Ctrl+R"))
        library.triggered.connect(self.show_library)
        runs_menu.addAction(library)
        refresh = QAction(self.tr("&Refresh the list"), self)
        refresh.setShortcuts(_shortcuts(QKeySequence.StandardKey.Refresh, "F5"))
        refresh.triggered.connect(self.refresh_library)
        runs_menu.addAction(refresh)
        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        diagnostics = QAction(self.tr("&Diagnostics…"), self)
        diagnostics.triggered.connect(lambda: show_diagnostics(self))
        help_menu.addAction(diagnostics)
        about = QAction(self.tr("&About pft-desktop"), self)
        about.triggered.connect(lambda: QMessageBox.about(
            self, self.tr("About pft-desktop"), f"pft-desktop {__version__}\n" + self.tr(
                "Fine-tune pretrained transformer models on your own machine.")))
        help_menu.addAction(about)

    def _keyboard(self) -> None:
        """Tab goes from the side panel into the page, then to Back and Next; every form field
        gets its label as accessible name (pages build more forms later: see go())."""
        for button in (self.runs_button, self.back, self.next):
            button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        QWidget.setTabOrder(self.runs_button, self.steps)
        QWidget.setTabOrder(self.back, self.next)
        for page in [*self.pages, self.runs_page, self.compare_page]:
            name_form_fields(page)

    def start_training(self) -> None:
        """Ctrl+Return: start the run from the Train page, or from the Hyperparameters page
        once it is complete (the Train page shows it starting)."""
        if self.stack.currentWidget() is self.hyper_page and not self.hyper_page.problems():
            self.go(TRAIN)
        if self.stack.currentWidget() is self.train_page:
            _press(self.train_page.start_button)

    def refresh_library(self) -> None:
        """F5: read the runs folder again (and show the library)."""
        if self.stack.currentWidget() is not self.runs_page:
            self.show_library()
        else:
            self.runs_page.reload()

    def _restore_window(self) -> None:
        """The size, place and state the window had when it was last closed (QSettings)."""
        stored = QSettings("pft-desktop", "pft-desktop")
        geometry, state = stored.value("window/geometry"), stored.value("window/state")
        if geometry is not None:
            self.restoreGeometry(geometry)
        if state is not None:
            self.restoreState(state)

    def _save_window(self) -> None:
        stored = QSettings("pft-desktop", "pft-desktop")
        stored.setValue("window/geometry", self.saveGeometry())
        stored.setValue("window/state", self.saveState())

    def current_page(self):
        return self.stack.currentWidget()

    def in_wizard(self) -> bool:
        return self.stack.currentWidget() in self.pages

    @property
    def wizard_index(self) -> int:
        """The wizard step shown, or the one the wizard returns to from the library."""
        widget = self.stack.currentWidget()
        return self.pages.index(widget) if widget in self.pages else self._last_step

    def go(self, index: int) -> None:
        """Show a wizard step: forward only past complete pages."""
        if not 0 <= index < len(self.pages):
            return
        current = self.wizard_index
        if self.in_wizard():
            if index > current and self.pages[current].problems():
                return
            if index != current:
                self.pages[current].leave()
        self._show_step(index)

    def _show_step(self, index: int, enter: bool = True) -> None:
        self.stack.setCurrentIndex(index)
        if enter:
            self.pages[index].enter()
        name_form_fields(self.pages[index])  # forms a page built on entering
        self.steps.blockSignals(True)
        self.steps.setCurrentRow(index)
        self.steps.blockSignals(False)
        self.runs_button.setChecked(False)
        self.update_navigation()

    def _show_side_page(self, page) -> None:
        """The library or the compare view: outside the wizard, which keeps its place."""
        if self.in_wizard():
            self._last_step = self.wizard_index
            self.pages[self._last_step].leave()
        self.stack.setCurrentWidget(page)
        self.steps.blockSignals(True)
        self.steps.setCurrentRow(-1)  # so that a click on any step, even the last one, shows it
        self.steps.blockSignals(False)
        self.runs_button.setChecked(True)
        self.update_navigation()

    def show_library(self) -> None:
        self._show_side_page(self.runs_page)
        self.runs_page.enter()

    def show_compare(self, paths: list[str]) -> None:
        problem = self.compare_page.show_runs(paths)
        if problem:
            QMessageBox.warning(self, self.tr("Cannot compare"), problem)
            return
        self._show_side_page(self.compare_page)

    def _step_clicked(self, row: int) -> None:
        if row < 0:
            return
        current = self.wizard_index
        if row <= current or all(not self.pages[i].problems() for i in range(current, row)):
            self.go(row)
        else:
            self.steps.blockSignals(True)
            self.steps.setCurrentRow(current if self.in_wizard() else -1)
            self.steps.blockSignals(False)

    def update_navigation(self) -> None:
        index = self.wizard_index
        self.nav.setVisible(self.in_wizard())
        problems = self.pages[index].problems()
        first = problems[0] if problems else ""
        self.problem.setText(first)
        pending = isinstance(first, Pending)
        if self.problem.property("pending") != pending:  # re-polish only on a change
            self.problem.setProperty("pending", pending)
            self.problem.style().unpolish(self.problem)
            self.problem.style().polish(self.problem)
        self.back.setEnabled(index > 0 and not self.train_page.is_training())
        self.next.setVisible(index < len(self.pages) - 1)
        self.next.setEnabled(not problems)
        reachable = True
        for i, page in enumerate(self.pages):
            item = self.steps.item(i)
            flags = item.flags()
            item.setFlags(flags | Qt.ItemFlag.ItemIsEnabled if reachable
                          else flags & ~Qt.ItemFlag.ItemIsEnabled)
            reachable = reachable and (i < index or not page.problems())

    def _fine_tune(self, base: str) -> None:
        self.stack.setCurrentIndex(0)
        self.model_page.folder.set_text(base)
        self.model_page.choose(base)
        self._show_step(0)

    def _run_opened(self, run_dir: str) -> None:
        """A run from its folder: one still training is followed live on the Train page
        (charts from its first event); any other shows its charts and results."""
        folder = RunFolder(run_dir)
        session = self.train_page.session
        if session.is_running() and Path(session.run_dir).resolve() == folder.path:
            self._show_step(TRAIN)  # already followed here
            return
        if session.is_running():
            session.detach()  # that run goes on in the background; the library lists it
        self.train_page.clear()
        if folder.is_live():
            self.train_page.follow(folder.path)
            self._show_step(TRAIN)
            return
        self.train_page.replay(run_dir)
        self.train_page.offer_resume()
        self._show_step(RESULTS)

    # -- the library --------------------------------------------------------------------------
    def _connect_library(self) -> None:
        runs = self.runs_page
        runs.open_requested.connect(self.results_page.open_run)
        runs.compare_requested.connect(self.show_compare)
        runs.new_run_requested.connect(lambda path: self.new_run_from(path))
        runs.train_more_requested.connect(lambda path: self.new_run_from(path, more=True))
        runs.resume_requested.connect(self.resume_run)
        runs.export_requested.connect(self.export_run)
        runs.settings_requested.connect(self.open_settings)
        runs.renamed.connect(self._run_renamed)
        runs.deleted.connect(self._runs_deleted)
        self.compare_page.back_requested.connect(self.show_library)

    def new_run_from(self, run_dir: str, more: bool = False, base: str | None = None) -> None:
        """Fill the wizard with a run's settings ("New run from this config"), with a new
        run that starts from its weights ("Train more"), or with its settings on another
        base model (the plain base, to see what a pretraining step gained); the pages check
        them again."""
        from pft_desktop.core.runstore import train_more_config

        folder = RunFolder(run_dir)
        try:
            config = train_more_config(folder) if more else folder.load_config()
        except UserError as error:
            QMessageBox.warning(self, self.tr("Cannot start from this run"),
                                "{} {}".format(*core_parts(error.to_dict())))
            return
        if self.train_page.session.is_running():
            self.train_page.session.detach()  # it goes on; the library lists it
        self.train_page.clear()
        if base:
            config.model.name_or_path = base
        self.state.config = config
        self.state.model_info = self.state.report = None
        self.state.run_dir = self.state.outcome = None
        source = config.model.name_or_path
        self.model_page.folder.set_text(source if source and Path(source).is_dir() else "")
        self.state.notify("model")
        self._show_step(0)

    def resume_run(self, run_dir: str) -> None:
        self.results_page.open_run(run_dir)
        if self.state.run_dir is None or self.train_page.session.is_running():
            return
        self._show_step(TRAIN)
        self.train_page.start(resume=True)

    def export_run(self, run_dir: str) -> None:
        self.results_page.open_run(run_dir)
        if self.stack.currentWidget() is self.results_page:
            self.results_page.export_merged.setFocus()

    def _run_renamed(self, old: str, new: str) -> None:
        if self.state.run_dir is not None and Path(self.state.run_dir) == Path(old):
            self.state.run_dir = Path(new)

    def _runs_deleted(self, paths: list[str]) -> None:
        if self.state.run_dir is not None and str(self.state.run_dir) in paths:
            self.state.run_dir = self.state.outcome = None
            self.train_page.clear()
            self.results_page.server.cancel()
            self.results_page.served_dir = None
            self.update_navigation()

    def open_settings(self) -> None:
        from pft_desktop.ui.settings_dialog import SettingsDialog

        if SettingsDialog(self).exec():
            self.runs_page.reload()

    # -- when a run ends ----------------------------------------------------------------------
    def _run_ended(self, outcome: dict) -> None:
        """A desktop notification when a followed run ends while the window is not in front."""
        name = Path(self.train_page.session.run_dir or "run").name
        notice = run_notice(outcome, name, self.isActiveWindow())
        if notice is not None:
            self.notifier.show(*notice)

    def _bring_to_front(self) -> None:
        self.showNormal()
        self.raise_()
        self.activateWindow()

    def closeEvent(self, event) -> None:
        if self.train_page.is_training():
            box = QMessageBox(QMessageBox.Icon.Question, self.tr("Training is running"),
                              self.tr("A run is still training. Keep it running in the "
                                      "background (the Runs page lists it next time; open it to "
                                      "follow it again), or stop it now? Stopping saves a "
                                      "checkpoint you can resume."), parent=self)
            box.setObjectName("closeWhileTraining")
            keep = box.addButton(self.tr("Keep training"), QMessageBox.ButtonRole.AcceptRole)
            stop = box.addButton(self.tr("Stop and save"), QMessageBox.ButtonRole.DestructiveRole)
            box.addButton(QMessageBox.StandardButton.Cancel)
            box.exec()
            if box.clickedButton() not in (keep, stop):
                event.ignore()
                return
            if box.clickedButton() is stop:
                self.train_page.stop_and_wait()
            else:
                self.train_page.session.detach()
        for page in [*self.pages, self.runs_page, self.compare_page]:
            shutdown = getattr(page, "shutdown", None)
            if shutdown:
                shutdown()
        self.train_page.session.shutdown()  # no warm runner outlives the window
        self.notifier.shutdown()
        self._save_window()
        super().closeEvent(event)


def _shortcuts(*keys) -> list[QKeySequence]:
    """The platform's standard keys with ours added where it has none (Preferences is Ctrl+,
    only on macOS; Quit has no key on Windows)."""
    found: list[QKeySequence] = []
    for key in keys:
        sequences = (QKeySequence.keyBindings(key) if isinstance(key, QKeySequence.StandardKey)
                     else [QKeySequence(key)])
        found += [sequence for sequence in sequences if sequence not in found]
    return found


def _press(button: QPushButton) -> None:
    """A shortcut for a button does what a click would, only while the button can be clicked."""
    if button.isVisible() and button.isEnabled():
        button.click()
