"""The main window: a step list on the left, the current page, and a Back/Next bar that is
enabled only when the page is complete."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QFrame, QHBoxLayout, QLabel, QListWidget, QListWidgetItem,
                               QMainWindow, QMessageBox, QPushButton, QStackedWidget,
                               QVBoxLayout, QWidget)

from pft_desktop import __version__
from pft_desktop.ui.pages.base import Pending
from pft_desktop.ui.state import AppState


class MainWindow(QMainWindow):
    def __init__(self, parent=None):
        super().__init__(parent)
        from pft_desktop.ui.pages.data_page import DataPage
        from pft_desktop.ui.pages.hyper_page import HyperparametersPage
        from pft_desktop.ui.pages.model_page import ModelPage
        from pft_desktop.ui.pages.results_page import ResultsPage
        from pft_desktop.ui.pages.task_page import TaskPage
        from pft_desktop.ui.pages.train_page import TrainPage

        self.setWindowTitle("pft-desktop")
        self.state = AppState(self)
        self.pages = [ModelPage(self.state), DataPage(self.state), TaskPage(self.state),
                      HyperparametersPage(self.state), TrainPage(self.state),
                      ResultsPage(self.state)]
        self.model_page, self.data_page, self.task_page, self.hyper_page, self.train_page, \
            self.results_page = self.pages

        self.steps = QListWidget()
        self.steps.setObjectName("steps")
        self.steps.setFixedWidth(200)
        for number, page in enumerate(self.pages, 1):
            self.steps.addItem(QListWidgetItem(f"{number}  {page.title}"))
        self.steps.currentRowChanged.connect(self._step_clicked)
        brand = QLabel("pft-desktop")
        brand.setObjectName("brand")
        side = QWidget()
        side.setStyleSheet("background: #1f2933;")
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.setSpacing(0)
        side_layout.addWidget(brand)
        side_layout.addWidget(self.steps, 1)

        self.stack = QStackedWidget()
        for page in self.pages:
            self.stack.addWidget(page)
            page.completeChanged.connect(self.update_navigation)

        self.problem = QLabel()
        self.problem.setObjectName("problem")
        self.problem.setWordWrap(True)
        self.back = QPushButton("Back")
        self.back.clicked.connect(lambda: self.go(self.stack.currentIndex() - 1))
        self.next = QPushButton("Next")
        self.next.setObjectName("primary")
        self.next.clicked.connect(lambda: self.go(self.stack.currentIndex() + 1))
        nav = QFrame()
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
        self.train_page.run_finished.connect(lambda: self.go(5))
        self.results_page.run_opened.connect(self._run_opened)
        self.results_page.fine_tune_requested.connect(self._fine_tune)
        self.resize(1180, 780)
        geometry = QSettings("pft-desktop", "pft-desktop").value("geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        self.go(0)

    def _menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        for text, shortcut, slot in (
                ("&Open config…", QKeySequence.StandardKey.Open, self.hyper_page.load_config),
                ("&Save config…", QKeySequence.StandardKey.Save, self.hyper_page.save_config),
                ("Open &run folder…", None, self.results_page.open_run),
                ("&Quit", QKeySequence.StandardKey.Quit, self.close)):
            action = QAction(text, self)
            if shortcut is not None:
                action.setShortcut(shortcut)
            action.triggered.connect(slot)
            file_menu.addAction(action)
        help_menu = self.menuBar().addMenu("&Help")
        about = QAction("&About pft-desktop", self)
        about.triggered.connect(lambda: QMessageBox.about(
            self, "About pft-desktop", f"pft-desktop {__version__}\nFine-tune pretrained "
            "transformer models on your own machine."))
        help_menu.addAction(about)

    def current_page(self):
        return self.pages[self.stack.currentIndex()]

    def go(self, index: int) -> None:
        if not 0 <= index < len(self.pages):
            return
        current = self.stack.currentIndex()
        if index > current and self.current_page().problems():
            return
        if index != current:
            self.current_page().leave()
        self.stack.setCurrentIndex(index)
        self.pages[index].enter()
        self.steps.blockSignals(True)
        self.steps.setCurrentRow(index)
        self.steps.blockSignals(False)
        self.update_navigation()

    def _step_clicked(self, row: int) -> None:
        current = self.stack.currentIndex()
        if row <= current or all(not self.pages[i].problems() for i in range(current, row)):
            self.go(row)
        else:
            self.steps.blockSignals(True)
            self.steps.setCurrentRow(current)
            self.steps.blockSignals(False)

    def update_navigation(self) -> None:
        index = self.stack.currentIndex()
        problems = self.current_page().problems()
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
        self.go(0)

    def _run_opened(self, run_dir: str) -> None:
        """A past run: redraw its charts from events.jsonl and show its results."""
        self.train_page.clear()
        self.train_page.replay(run_dir)
        self.train_page.offer_resume()
        self.stack.setCurrentIndex(5)
        self.results_page.enter()
        self.steps.blockSignals(True)
        self.steps.setCurrentRow(5)
        self.steps.blockSignals(False)
        self.update_navigation()

    def closeEvent(self, event) -> None:
        if self.train_page.is_training():
            box = QMessageBox(QMessageBox.Icon.Question, "Training is running",
                              "A run is still training. Keep it running in the background "
                              "(open its folder later with File > Open run folder), or stop it "
                              "now? Stopping saves a checkpoint you can resume.", parent=self)
            keep = box.addButton("Keep training", QMessageBox.ButtonRole.AcceptRole)
            stop = box.addButton("Stop and save", QMessageBox.ButtonRole.DestructiveRole)
            box.addButton(QMessageBox.StandardButton.Cancel)
            box.exec()
            if box.clickedButton() not in (keep, stop):
                event.ignore()
                return
            if box.clickedButton() is stop:
                self.train_page.stop_and_wait()
            else:
                self.train_page.session.detach()
        for page in self.pages:
            shutdown = getattr(page, "shutdown", None)
            if shutdown:
                shutdown()
        QSettings("pft-desktop", "pft-desktop").setValue("geometry", self.saveGeometry())
        super().closeEvent(event)
