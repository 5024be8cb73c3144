"""The run library: every run under the runs folder (and run folders opened from elsewhere),
sortable and filterable, with what can be done to a run: open, compare, resume, train more,
start a new run from its config, export, rename, show its folder, delete (to the trash)."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QItemSelectionModel, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView,
                               QInputDialog, QLabel, QLineEdit, QMessageBox, QPushButton,
                               QTableView)

from pft_desktop.core.errors import UserError
from pft_desktop.core.models import human_bytes
from pft_desktop.core.rundir import STATUSES, RunFolder
from pft_desktop.core.runstore import RunStore, RunSummary
from pft_desktop.ui.i18n import core_parts
from pft_desktop.ui.library_reader import LibraryReader, move_to_trash
from pft_desktop.ui.pages.base import WizardPage
from pft_desktop.ui.run_table import (COLUMN, RunFilter, RunTableModel, StatusDelegate,
                                     status_word)

REFRESH_MS = 3000  # summaries are cached per folder: a refresh re-reads only what changed


class RunsPage(WizardPage):
    title = QT_TRANSLATE_NOOP("RunsPage", "Runs")
    subtitle = QT_TRANSLATE_NOOP("RunsPage", "Every run you have trained, newest first. Open one "
                                 "to see its charts and results; select two or more to compare "
                                 "them.")
    open_requested = Signal(str)
    compare_requested = Signal(list)
    new_run_requested = Signal(str)
    resume_requested = Signal(str)
    train_more_requested = Signal(str)
    export_requested = Signal(str)
    settings_requested = Signal()
    renamed = Signal(str, str)
    deleted = Signal(list)

    def __init__(self, state, parent=None):
        super().__init__(state, parent)
        self.store = RunStore()
        self.table_model = RunTableModel(self)
        self.filter = RunFilter(self)
        self.filter.setSourceModel(self.table_model)
        self._build()
        self.reader = LibraryReader(self)
        self.reader.read.connect(self._show_runs)
        self.reader.failed.connect(self._unreadable)
        self.timer = QTimer(self)  # while shown, the library is read again in the background
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.refresh_in_background)

    # -- layout -----------------------------------------------------------------------------
    def _build(self) -> None:
        bar = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search by name"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._filter_changed)
        self.status_filter = self._combo(self.tr("All statuses"), [
            (status_word(status), status) for status in STATUSES])
        self.model_filter = self._combo(self.tr("All models"), [])
        self.task_filter = self._combo(self.tr("All tasks"), [])
        self.count = QLabel()
        self.count.setObjectName("hint")
        bar.addWidget(self.search, 2)
        for combo in (self.status_filter, self.model_filter, self.task_filter):
            bar.addWidget(combo, 1)
        bar.addWidget(self.count)
        self.content.addLayout(bar)

        self.table = QTableView()
        self.table.setObjectName("runTable")
        self.table.setModel(self.filter)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(COLUMN["started"], Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setItemDelegateForColumn(COLUMN["status"], StatusDelegate(self.table))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COLUMN["name"], QHeaderView.ResizeMode.Stretch)
        header.setHighlightSections(False)
        header.setResizeContentsPrecision(60)  # fit the columns to the first rows, not all 500
        self.table.setMinimumHeight(300)
        self.table.activated.connect(lambda _: self.open_selected())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_actions())
        self.content.addWidget(self.table, 1)

        self.empty_note = QLabel()
        self.empty_note.setObjectName("hint")
        self.empty_note.setWordWrap(True)
        self.content.addWidget(self.empty_note)
        self._build_actions()
        self.root_note = QLabel()
        self.root_note.setObjectName("hint")
        self.root_note.setTextFormat(Qt.TextFormat.RichText)
        self.root_note.linkActivated.connect(lambda _: self.settings_requested.emit())
        self.content.addWidget(self.root_note)

    def _combo(self, everything: str, choices: list[tuple[str, str]]) -> QComboBox:
        combo = QComboBox()
        combo.addItem(everything, "")
        for text, value in choices:
            combo.addItem(text, value)
        combo.currentIndexChanged.connect(self._filter_changed)
        return combo

    def _build_actions(self) -> None:
        """Buttons under the table; the same actions are the table's context menu, with
        Enter (open), F2 (rename) and Delete as keys."""
        row = QHBoxLayout()
        self.actions: dict[str, QAction] = {}
        self.buttons: dict[str, QPushButton] = {}
        specs = (("open", self.tr("Open"), self.open_selected, None),
                 ("compare", self.tr("Compare"), self.compare_selected, None),
                 ("resume", self.tr("Resume"), lambda: self._emit_one(self.resume_requested),
                  None),
                 ("train_more", self.tr("Train more…"), lambda: self._emit_one(
                     self.train_more_requested), None),
                 ("new_run", self.tr("New run from this config"), lambda: self._emit_one(
                     self.new_run_requested), None),
                 ("export", self.tr("Export…"), lambda: self._emit_one(self.export_requested),
                  None),
                 ("rename", self.tr("Rename…"), self.rename_selected,
                  QKeySequence(Qt.Key.Key_F2)),
                 ("show_folder", self.tr("Open folder"), self.show_folder, None),
                 ("delete", self.tr("Delete…"), self.delete_selected,
                  QKeySequence(QKeySequence.StandardKey.Delete)))
        tips = {"resume": self.tr("Continue a stopped or interrupted run from its last "
                                  "checkpoint."),
                "train_more": self.tr("A new run that starts from this finished run's weights."),
                "new_run": self.tr("Fill the wizard with this run's settings, to change and "
                                   "train again."),
                "export": self.tr("Open the run's results, where it exports."),
                "delete": self.tr("Move the run's folder to the trash.")}
        for key, text, slot, shortcut in specs:
            action = QAction(text, self)
            action.triggered.connect(slot)
            if shortcut is not None:
                action.setShortcut(shortcut)
                action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.table.addAction(action)
            self.actions[key] = action
            button = QPushButton(text)
            button.setToolTip(tips.get(key, ""))
            button.clicked.connect(action.trigger)
            if key == "open":
                button.setObjectName("primary")
            if key == "delete":
                button.setObjectName("danger")
            self.buttons[key] = button
            if key == "rename":
                row.addStretch(1)
            row.addWidget(button)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.content.addLayout(row)
        self._update_actions()

    # -- reading the library ----------------------------------------------------------------
    def enter(self) -> None:
        self.reload()
        self.table.setFocus()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.timer.start()

    def hideEvent(self, event) -> None:
        super().hideEvent(event)
        self.timer.stop()

    def reload(self) -> None:
        """Read the library again now (unchanged runs come from their cached summary); the
        selection stays."""
        self.reader.read_now()

    def refresh_in_background(self) -> None:
        self.reader.read_in_background()

    def _unreadable(self, error: str) -> None:
        self.empty_note.setVisible(True)
        self.empty_note.setText(self.tr("The runs folder {folder} could not be read: {error}")
                                .format(folder=RunStore().root, error=error))

    def _show_runs(self, store: RunStore, runs: list[RunSummary]) -> None:
        self.store = store
        chosen = {run.path for run in self.selected()}
        rebuilt = self.table_model.set_runs(runs)
        self._fill_choices(self.model_filter, self.tr("All models"),
                           sorted({r.model for r in runs}))
        self._fill_choices(self.task_filter, self.tr("All tasks"), sorted({r.task for r in runs}))
        if rebuilt:
            self.select_paths(chosen)
        self._show_counts()
        self._update_actions()

    def _fill_choices(self, combo: QComboBox, everything: str, values: list[str]) -> None:
        wanted = [""] + [value for value in values if value]
        if [combo.itemData(i) for i in range(combo.count())] == wanted:
            return
        chosen = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(everything, "")
        for value in wanted[1:]:
            combo.addItem(value, value)
        combo.setCurrentIndex(max(combo.findData(chosen), 0))
        combo.blockSignals(False)
        if combo.currentData() != chosen:
            self._filter_changed()

    def _show_counts(self) -> None:
        total, shown = self.table_model.rowCount(), self.filter.rowCount()
        self.count.setText(self.tr("{shown:,} of {total:,} runs").format(shown=shown, total=total)
                           if shown != total else self.tr("1 run") if total == 1 else
                           self.tr("{total:,} runs").format(total=total))
        size = sum(run.size_bytes for run in self.table_model.runs)
        self.root_note.setText(self.tr("Runs folder: {folder} · {size} in all · "
                                       "<a href='settings'>Change…</a>").format(
            folder=self.store.root, size=human_bytes(size)))
        self.empty_note.setVisible(total == 0 or shown == 0)
        self.empty_note.setText(
            self.tr("No runs yet. Runs you train appear here, and so do run folders you open "
                    "with File > Open run folder.") if total == 0 else
            self.tr("No run matches the search and filters."))

    def _filter_changed(self, *_) -> None:
        self.filter.set_filter(self.status_filter.currentData() or "",
                               self.model_filter.currentData() or "",
                               self.task_filter.currentData() or "", self.search.text())
        self._show_counts()
        self._update_actions()

    # -- selection ----------------------------------------------------------------------------
    def selected(self) -> list[RunSummary]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self.filter.run_at(row) for row in rows]

    def select_paths(self, paths) -> None:
        """Select the runs with these folder paths (those still listed); the keyboard's place
        goes with them."""
        selection = self.table.selectionModel()
        selection.clearSelection()
        flags = QItemSelectionModel.SelectionFlag.Select | \
            QItemSelectionModel.SelectionFlag.Rows
        for row in range(self.filter.rowCount()):
            if self.filter.run_at(row).path in paths:
                index = self.filter.index(row, 0)
                selection.select(index, flags)
                selection.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.NoUpdate)

    def _update_actions(self) -> None:
        runs = self.selected()
        one = runs[0] if len(runs) == 1 else None
        live = any(run.status == "running" for run in runs)
        resumable = one is not None and one.status in ("stopped", "interrupted") and \
            RunFolder(one.path).latest_checkpoint() is not None
        has_model = one is not None and RunFolder(one.path).model_dir.is_dir()
        enabled = {"open": one is not None, "compare": len(runs) >= 2, "resume": resumable,
                   "train_more": one is not None and one.status == "finished" and has_model,
                   "new_run": one is not None, "export": has_model and not live,
                   "rename": one is not None and not live, "show_folder": one is not None,
                   "delete": bool(runs) and not live}
        for key, on in enabled.items():
            self.actions[key].setEnabled(on)
            self.buttons[key].setEnabled(on)
        self.buttons["delete"].setToolTip(self.tr("A run that is training cannot be deleted; "
                                                  "stop it first.") if live else
                                          self.tr("Move the run's folder to the trash."))

    def _emit_one(self, signal) -> None:
        runs = self.selected()
        if len(runs) == 1:
            signal.emit(runs[0].path)

    # -- actions ------------------------------------------------------------------------------
    def open_selected(self) -> None:
        self._emit_one(self.open_requested)

    def compare_selected(self) -> None:
        runs = self.selected()
        if len(runs) >= 2:
            self.compare_requested.emit([run.path for run in runs])

    def show_folder(self) -> None:
        runs = self.selected()
        if len(runs) == 1:
            QDesktopServices.openUrl(QUrl.fromLocalFile(runs[0].path))

    def rename_selected(self) -> None:
        runs = self.selected()
        if len(runs) != 1:
            return
        old = runs[0]
        name, ok = QInputDialog.getText(self, self.tr("Rename run"), self.tr(
                                        "New name for the run (its folder is renamed):"),
                                        QLineEdit.EchoMode.Normal,
                                        old.name)
        if ok and name.strip() and name.strip() != old.name:
            self.rename(old.path, name)

    def rename(self, path: str, name: str) -> bool:
        try:
            renamed = self.store.rename(RunFolder(path), name)
        except UserError as error:
            QMessageBox.warning(self, self.tr("Could not rename the run"),
                                "{} {}".format(*core_parts(error.to_dict())))
            return False
        except OSError as error:
            QMessageBox.warning(self, self.tr("Could not rename the run"), str(error))
            return False
        self.renamed.emit(path, str(renamed.path))
        self.reload()
        self.select_paths({str(renamed.path)})
        return True

    def delete_selected(self) -> None:
        runs = self.selected()
        if not runs or any(run.status == "running" for run in runs):
            return
        names = ", ".join(run.name for run in runs[:4]) + (
            self.tr(" and {count} more").format(count=len(runs) - 4) if len(runs) > 4 else "")
        size = human_bytes(sum(run.size_bytes for run in runs))
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Delete runs") if len(runs) > 1
                          else self.tr("Delete run"), self.tr(
                              "Move {names} ({size}) to the trash? You can restore it from "
                              "there.").format(names=names, size=size), parent=self)
        delete = box.addButton(self.tr("Move to trash"), QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setObjectName("deleteRunsQuestion")
        box.exec()
        if box.clickedButton() is delete:
            self.delete([run.path for run in runs])

    def delete(self, paths: list[str]) -> list[str]:
        """Move run folders to the platform's trash (or, where there is none and the person
        agrees, delete them); returns the paths that went."""
        gone = []
        for path in paths:
            folder = RunFolder(path)
            if folder.is_live():
                QMessageBox.warning(self, self.tr("Run is training"), self.tr(
                    "{name} is training; stop it before deleting it.").format(name=folder.name))
                continue
            if not move_to_trash(folder.path) and not self._delete_for_good(folder):
                continue
            self.store.forget(folder)
            gone.append(str(folder.path))
        if gone:
            self.deleted.emit(gone)
        self.reload()
        return gone

    def _delete_for_good(self, folder: RunFolder) -> bool:
        answer = QMessageBox.question(
            self, self.tr("No trash for this folder"), self.tr(
                "{name} cannot be moved to the trash (there is none for its drive). Delete it "
                "for good?").format(name=folder.name),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel)
        if answer != QMessageBox.StandardButton.Yes:
            return False
        try:
            self.store.delete(folder)
        except (UserError, OSError) as error:
            QMessageBox.warning(self, self.tr("Could not delete the run"), str(error))
            return False
        return True

    def shutdown(self) -> None:
        self.timer.stop()
        self.reader.shutdown()

    def run_paths(self) -> list[str]:
        return [run.path for run in self.table_model.runs]
