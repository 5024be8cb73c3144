"""Step 5: train in a child process and watch it live: loss (raw, smoothed, eval), learning
rate, grad norm, throughput, memory, progress and ETA, the log, Stop and Kill. A run found
training in the background (the library, File > Open run folder) shows here the same way."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, QTimer, QUrl, Signal
from PySide6.QtWidgets import (QDialog, QFrame, QGridLayout, QHBoxLayout, QLabel, QMessageBox,
                               QPlainTextEdit, QProgressBar, QPushButton, QSizePolicy,
                               QVBoxLayout, QWidget)

from pft_desktop.core.rundir import RunFolder
from pft_desktop.core.runstore import RunStore
from pft_desktop.ui.i18n import core_parts, core_text
from pft_desktop.ui.pages.base import Pending, WizardPage
from pft_desktop.ui.run_follower import LOG_NOISE
from pft_desktop.ui.trainer_thread import TrainingSession
from pft_desktop.ui.widgets.changes_since_start import ChangesSinceStart
from pft_desktop.ui.widgets.charts import PALETTE, LiveChart, LossChart, RewardChart

# Redrawing all five charts at once took 20-40 ms on a 2-core machine, enough to make the GUI
# stutter; each 50 ms tick redraws one chart instead: loss every other tick (10 Hz), the small
# charts in turn (2.5 Hz each).
REFRESH_MS = 50


def run_label(config) -> str:
    """The readable part of a new run folder's name: the model's short name."""
    from pft_desktop.core.models import display_name

    return display_name(config.model.name_or_path) if config.model.name_or_path else \
        f"new-{config.pretrain.from_scratch or 'model'}"


def clock(seconds) -> str:
    if seconds is None:
        return "–"
    seconds = int(seconds)
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


class TrainPage(WizardPage):
    title = QT_TRANSLATE_NOOP("TrainPage", "Train")
    subtitle = QT_TRANSLATE_NOOP("TrainPage", "Training runs in its own process: the window stays "
                                 "responsive, and Stop saves a checkpoint you can resume.")
    run_finished = Signal()

    def __init__(self, state, parent=None):
        super().__init__(state, parent)
        self._build()
        self.session = TrainingSession(self)
        self.session.started.connect(self._started)
        self.session.status_changed.connect(self._core_status)
        self.session.steps.connect(self._steps)
        self.session.evaluated.connect(self._evaluated)
        self.session.checkpoint_saved.connect(
            lambda e: self._status(self.tr("Checkpoint saved at step {step}").format(
                step=e["step"])))
        self.session.failed.connect(self._failed)
        self.session.rewound.connect(self._rewound)
        self.session.log_text.connect(self.log.appendPlainText)
        self.session.stalled.connect(self._stalled)
        self.session.stop_overdue.connect(self._stop_overdue)
        self.session.finished.connect(self._finished)
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.refresh)
        self.total_steps = 0
        self.last_step: dict = {}
        self._tick = 0

    def _build(self) -> None:
        top = QHBoxLayout()
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.start_button = QPushButton(self.tr("Start training"))
        self.start_button.setObjectName("primary")
        self.start_button.clicked.connect(self.start)
        self.resume_button = QPushButton(self.tr("Resume"))
        self.resume_button.clicked.connect(lambda: self.start(resume=True))
        self.resume_button.setVisible(False)
        self.stop_button = QPushButton(self.tr("Stop"))
        self.stop_button.clicked.connect(self.stop)
        self.stop_button.setEnabled(False)
        self.kill_button = QPushButton(self.tr("Kill"))
        self.kill_button.setObjectName("danger")
        self.kill_button.setToolTip(self.tr("End the process now; progress since the last "
                                            "checkpoint is lost."))
        self.kill_button.clicked.connect(self.kill)
        self.kill_button.setVisible(False)
        top.addWidget(self.summary, 1)
        for button in (self.resume_button, self.start_button, self.stop_button,
                       self.kill_button):
            top.addWidget(button)
        self.content.addLayout(top)
        self.folder_link = QLabel()
        self.folder_link.setObjectName("hint")
        self.folder_link.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.folder_link.setOpenExternalLinks(True)
        self.content.addWidget(self.folder_link)

        self.progress = QProgressBar()
        self.progress.setFormat(self.tr("%v / %m steps"))
        self.progress_text = QLabel(self.tr("Not started."))
        self.status_text = QLabel()
        self.status_text.setObjectName("hint")
        self.status_text.setWordWrap(True)
        # These change many times a second; fixed heights keep a new text from re-laying out
        # the whole page (part of what made the GUI timer late, bench_gui_latency.py).
        for label, lines in ((self.progress_text, 1), (self.status_text, 2)):
            label.setFixedHeight(label.fontMetrics().lineSpacing() * lines + 4)
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.content.addWidget(self.progress)
        self.content.addWidget(self.progress_text)
        self.content.addWidget(self.status_text)

        self.error_panel = QFrame()
        self.error_panel.setObjectName("errorPanel")
        error_layout = QHBoxLayout(self.error_panel)
        self.error_text = QLabel()
        self.error_text.setWordWrap(True)
        self.error_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        log_button = QPushButton(self.tr("Show full log"))
        log_button.clicked.connect(self.show_full_log)
        error_layout.addWidget(self.error_text, 1)
        error_layout.addWidget(log_button, 0, Qt.AlignmentFlag.AlignTop)
        self.error_panel.setVisible(False)
        self.content.addWidget(self.error_panel)
        self._build_warnings()

        self.loss_chart = LossChart()
        self.loss_chart.setMinimumHeight(250)
        self.loss_chart.setMaximumHeight(330)
        self.content.addWidget(self.loss_chart)
        grid = QGridLayout()
        self.lr_chart = LiveChart(self.tr("Learning rate"))
        self.lr_chart.add_series("lr", PALETTE["lr"])
        self.grad_chart = LiveChart(self.tr("Gradient norm"))
        self.grad_chart.add_series("grad", PALETTE["grad"])
        self.tps_chart = LiveChart(self.tr("Tokens per second"))
        self.tps_chart.add_series("tps", PALETTE["tps"])
        self.mem_chart = LiveChart(self.tr("Memory (GB)"))
        self.mem_chart.add_series("mem", PALETTE["mem"])
        for i, chart in enumerate((self.lr_chart, self.grad_chart, self.tps_chart,
                                   self.mem_chart)):
            chart.legend.setVisible(False)
            chart.setMinimumHeight(160)
            chart.setMaximumHeight(200)
            grid.addWidget(chart, 0, i)
        self.content.addLayout(grid)
        self._build_reward_charts()
        self.log = QPlainTextEdit()
        self.log.setReadOnly(True)
        self.log.setMaximumBlockCount(3000)
        self.log.setMaximumHeight(110)
        self.log.setPlaceholderText(self.tr("The run's log appears here as it is written."))
        self.content.addWidget(self.log)

    def _build_warnings(self) -> None:
        """Two amber panels: a live run that makes no progress (what is happening and the end
        of its log), and what differs now from when a run taken up or resumed started."""
        self.stall_panel = QFrame()
        self.stall_panel.setObjectName("warningPanel")
        layout = QVBoxLayout(self.stall_panel)
        self.stall_text = QLabel()
        self.stall_text.setObjectName("warning")
        self.stall_text.setWordWrap(True)
        self.stall_log = QPlainTextEdit()
        self.stall_log.setReadOnly(True)
        self.stall_log.setMaximumHeight(120)
        self.stall_log.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        layout.addWidget(self.stall_text)
        layout.addWidget(self.stall_log)
        self.stall_panel.setVisible(False)
        self.content.addWidget(self.stall_panel)
        self.changes = ChangesSinceStart()  # a run taken up or resumed: what differs now
        self.content.addWidget(self.changes)

    def _build_reward_charts(self) -> None:
        """Preference tuning's two charts, shown only for a run whose events carry rewards."""
        self.reward_row = QWidget()
        row = QHBoxLayout(self.reward_row)
        row.setContentsMargins(0, 0, 0, 0)
        self.margin_chart = RewardChart(self.tr("Reward margin"), self.tr("chosen - rejected"))
        self.accuracy_chart = RewardChart(self.tr("Reward accuracy"), self.tr("share of pairs"))
        for chart in self.reward_charts():
            chart.setMinimumHeight(160)
            chart.setMaximumHeight(200)
            row.addWidget(chart)
        self.reward_row.setVisible(False)
        self.content.addWidget(self.reward_row)

    def reward_charts(self):
        return [self.margin_chart, self.accuracy_chart]

    def shows_rewards(self) -> bool:
        return not self.reward_row.isHidden()

    def small_charts(self):
        charts = [self.lr_chart, self.grad_chart, self.tps_chart, self.mem_chart]
        return charts + self.reward_charts() if self.shows_rewards() else charts

    def charts(self):
        return [self.loss_chart, self.lr_chart, self.grad_chart, self.tps_chart,
                self.mem_chart, *self.reward_charts()]

    def _add_rewards(self, step: int, event: dict, prefix: str = "") -> None:
        """Reward margin and accuracy of a step (``prefix`` "eval_": of an evaluation)."""
        pairs = [(chart, event.get(prefix + key)) for chart, key in
                 zip(self.reward_charts(), ("reward_margin", "reward_accuracy"))]
        if all(value is None for _, value in pairs):
            return
        self.reward_row.setVisible(True)
        for chart, value in pairs:
            if value is not None:
                (chart.eval if prefix else chart.train).append(step, value)

    # -- running ----------------------------------------------------------------------------
    def enter(self) -> None:
        from pft_desktop.core.models import display_name

        config, report = self.state.config, (self.state.report or {}).get("report", {})
        if not report and self.state.run_dir is not None:  # a run opened from its folder
            report = RunFolder(self.state.run_dir).data_report()
        rows = report.get("train_rows")
        model = display_name(config.model.name_or_path) if config.model.name_or_path else \
            self.tr("new {kind}").format(kind=config.pretrain.from_scratch)
        self.summary.setText(
            f"<b>{model}</b> · {config.task.kind} · {config.method.kind} · "
            + (self.tr("{rows:,} training rows · ").format(rows=rows) if rows is not None else "")
            + self.tr("batch {batch} · lr {lr:g}").format(batch=config.training.batch_size,
                                                       lr=config.training.learning_rate))
        self._show_run_folder()

    def _show_run_folder(self) -> None:
        """The run's folder, as a link: runs live in a hidden per-user folder by default."""
        run_dir = self.state.run_dir
        self.folder_link.setVisible(run_dir is not None)
        if run_dir is not None:
            url = QUrl.fromLocalFile(str(run_dir)).toString()
            self.folder_link.setText(self.tr("Run folder: {link}").format(
                link=f"<a href=\"{url}\">{run_dir}</a>"))

    def is_training(self) -> bool:
        return self.session.is_running()

    def start(self, resume: bool = False) -> None:
        if self.session.is_running() or not self._confirm_parallel_run():
            return
        if not resume:
            self.state.run_dir = RunFolder.create(
                RunStore().new_run_dir(run_label(self.state.config)), self.state.config).path
        self.state.outcome = None
        self.clear()
        self._show_training()
        self.changes.show_for(self.state.run_dir if resume else None)
        self.progress_text.setText(self.tr("Starting the training process…"))
        self.session.start(self.state.run_dir, resume=resume)  # a resume shows what came before
        self.completeChanged.emit()

    def follow(self, run_dir) -> None:
        """Take up a run found training in the background: its charts from the first event,
        kept live; Stop (and, after a confirmation, Kill) work on it."""
        if self.session.is_running():
            return
        self.state.run_dir = Path(run_dir)
        self.state.outcome = None
        self.clear()
        self._show_training()
        self.changes.show_for(self.state.run_dir)
        self.progress_text.setText(self.tr("Following a run that trains in the background…"))
        self.session.attach(self.state.run_dir)
        if self.session.is_running():  # (it may have ended just now)
            self._status(self.tr("Following this run from its folder (it was started outside this "
                                 "window): its charts go on live, and Stop asks it to save and "
                                 "stop."))
        self.completeChanged.emit()

    def _show_training(self) -> None:
        self.error_panel.setVisible(False)
        self.stall_panel.setVisible(False)
        self.start_button.setEnabled(False)
        self.resume_button.setVisible(False)
        self.stop_button.setEnabled(True)
        self.stop_button.setText(self.tr("Stop"))
        self.kill_button.setVisible(False)
        self.status_text.setText("")
        self._show_run_folder()
        self.timer.start()

    def _confirm_parallel_run(self) -> bool:
        """Two trainings on the same cores slow each other far more than twice (measured about
        10x on 2 cores), so starting one beside a live run needs a yes."""
        others = RunStore().live_runs(exclude=self.state.run_dir)
        if not others:
            return True
        names = ", ".join(folder.path.name for folder in others[:3])
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Another run is training"),
                          self.tr("{names} is still training in the background. Two runs on the "
                                  "same processor slow each other down badly (about ten times on "
                                  "a 2-core machine). Start this one anyway?").format(names=names),
                          parent=self)
        start = box.addButton(self.tr("Start anyway"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setObjectName("parallelRunWarning")
        box.exec()
        return box.clickedButton() is start

    def stop(self) -> None:
        self.session.stop()
        self.stop_button.setEnabled(False)
        self.stop_button.setText(self.tr("Stopping…"))
        self._status(self.tr("Stopping after the current step, then saving…"))

    def stop_and_wait(self, seconds: int = 60) -> None:
        self.session.stop()
        if not self.session.wait(seconds * 1000):
            self.session.kill()
            self.session.wait(5000)

    def kill(self) -> None:
        """Kill the child launched here at once; a run found in the background only after the
        person confirms (its process was started elsewhere)."""
        if self.session.launched_here():
            self.session.kill()
            return
        answer = QMessageBox.question(
            self, self.tr("Kill this run?"), self.tr(
                "This run was started outside this window. Kill its training process now? "
                "Progress since its last checkpoint is lost."),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel)
        if answer == QMessageBox.StandardButton.Yes:
            problem = self.session.kill_found()
            if problem:
                QMessageBox.warning(self, self.tr("Could not kill the run"), problem)

    def _stop_overdue(self) -> None:
        self.kill_button.setVisible(True)
        self._status(self.tr("The run has not stopped yet (a long step or evaluation). Wait, or "
                             "Kill it: progress since the last checkpoint would be lost."))

    def clear(self) -> None:
        self._clear_charts()
        self.log.clear()
        self.stall_panel.setVisible(False)  # (another run is shown next)

    def _rewound(self) -> None:
        """A resume redid steps: the run is drawn again from its first event, as one run (an
        earlier process's error is not this run's)."""
        self._clear_charts()
        self.error_panel.setVisible(False)

    def _clear_charts(self) -> None:
        for chart in self.charts():
            chart.clear_data()
        self.reward_row.setVisible(False)  # until the next run's events carry rewards
        self.total_steps, self.last_step, self._tick = 0, {}, 0
        self.progress.setValue(0)

    def _started(self, event: dict) -> None:
        self.total_steps = event.get("total_steps") or 0
        self.progress.setMaximum(max(self.total_steps, 1))
        device = event.get("device", {})
        precision = event.get("precision")
        if "bf16_matmul" in (event.get("cpu_speedups") or ()):  # core.cpu_matmul
            precision = self.tr("{precision} with bf16 matrix products").format(
                precision=precision)
        self._status(self.tr("Training on {device} ({precision}): {trainable:,} of {total:,} "
                             "parameters trainable.").format(
            device=device.get("name", "?"), precision=precision,
            trainable=event.get("trainable_parameters", 0),
            total=event.get("total_parameters", 0)))

    def _core_status(self, text: str) -> None:
        """A status line from the run (core's words), in the interface language."""
        self._status(core_text(text))

    def _status(self, text: str) -> None:
        self.status_text.setText(text)

    def _steps(self, batch: list[dict]) -> None:
        """The step events of one read, added to the charts' buffers column by column (a run
        logging thousands of steps a second stays cheap to follow)."""
        self.last_step = batch[-1]
        if not self.stall_panel.isHidden():
            self.stall_panel.setVisible(False)  # progress again
        self.loss_chart.add_train_many([(e["step"], e["loss"]) for e in batch
                                        if e.get("loss") is not None])
        for chart, key, scale in ((self.lr_chart, "learning_rate", 1.0),
                                  (self.grad_chart, "grad_norm", 1.0),
                                  (self.tps_chart, "tokens_per_second", 1.0),
                                  (self.mem_chart, "memory_bytes", 2.0 ** -30)):
            pairs = [(e["step"], e[key] * scale) for e in batch if e.get(key) is not None]
            if pairs:
                next(iter(chart.series.values())).extend(*zip(*pairs))
        for event in batch:
            if "reward_margin" in event or "reward_accuracy" in event:
                self._add_rewards(event["step"], event)
        totals = [e["max_steps"] for e in batch if e.get("max_steps")]
        if totals and totals[-1] != self.total_steps:
            self.total_steps = totals[-1]
            self.progress.setMaximum(self.total_steps)

    def _evaluated(self, event: dict) -> None:
        if event.get("eval_loss") is not None and not event.get("final"):
            self.loss_chart.add_eval(event["step"], event["eval_loss"])
        if not event.get("final"):
            self._add_rewards(event["step"], event, prefix="eval_")
        keys = [k for k, v in event.items() if k.startswith("eval_") and isinstance(v, float)
                and not k.endswith(("runtime", "per_second"))]
        if "eval_reward_margin" in event:  # preference runs log a dozen figures: the main ones
            keys = [k for k in ("eval_loss", "eval_reward_accuracy", "eval_reward_margin")
                    if k in keys]
        shown = ", ".join(f"{k[5:]} {event[k]:.4f}" for k in keys)
        self._status(self.tr("Evaluation at step {step}: {shown}").format(step=event["step"],
                                                                           shown=shown))

    def refresh(self, everything: bool = False) -> None:
        """Timer-driven redraw: one chart per tick (all with ``everything``) and the progress
        line. (The log's new lines come from the session's follower.)"""
        self._tick += 1
        if everything:
            for chart in self.charts():
                chart.refresh()
        elif self._tick % 2:
            self.loss_chart.refresh()
        else:
            small = self.small_charts()
            small[(self._tick // 2) % len(small)].refresh()
        step = self.last_step
        if step:
            self.progress.setValue(min(step["step"], self.progress.maximum()))
            loss = self.tr(" · loss {loss:.4f}").format(loss=step["loss"]) \
                if step.get("loss") is not None else ""
            self.progress_text.setText(self.tr(
                "Step {step} of {total} · epoch {epoch:.2f}{loss} · elapsed {elapsed} · "
                "ETA {eta}").format(step=step["step"], total=self.total_steps,
                                    epoch=step["epoch"], loss=loss,
                                    elapsed=clock(step.get("elapsed_s")),
                                    eta=clock(step.get("eta_s"))))

    def _failed(self, event: dict) -> None:
        message, fix = core_parts(event)
        if "message" not in event:
            message = self.tr("The run failed.")
        self.error_text.setText(f"<b>{message}</b><br>{fix}")
        self.error_panel.setVisible(True)

    def _stalled(self, seconds: float) -> None:
        """A live run with no step for far longer than its steps take (a hung data loader, a
        deadlocked device): say so, with the end of its log, instead of a bar that just
        waits. Hidden again when steps come."""
        if not seconds or not self.session.is_running():
            self.stall_panel.setVisible(False)
            return
        minutes = max(int(seconds // 60), 1)
        step = self.last_step.get("step")
        head = self.tr("<b>No progress for 1 minute.</b>") if minutes == 1 else \
            self.tr("<b>No progress for {minutes} minutes.</b>").format(minutes=minutes)
        body = self.tr(
            " The run's process is alive but has made no step since step {step}, far longer "
            "than its steps have been taking. It may be stuck (a hung data loader, a "
            "deadlocked device). Wait a little longer, or Stop it (it saves a checkpoint you "
            "can resume); Kill is offered if it does not stop. The end of its log:").format(
            step=step) if step else self.tr(
            " The run's process is alive but has made no step, far longer than its steps have "
            "been taking. It may be stuck (a hung data loader, a deadlocked device). Wait a "
            "little longer, or Stop it (it saves a checkpoint you can resume); Kill is offered "
            "if it does not stop. The end of its log:")
        self.stall_text.setText(head + body)
        tail = [line for line in RunFolder(self.session.run_dir).log_tail(30)
                if not any(noise in line for noise in LOG_NOISE)][-10:]
        self.stall_log.setPlainText("\n".join(tail) or self.tr("(The log is empty.)"))
        self.stall_panel.setVisible(True)

    def _finished(self, outcome: dict) -> None:
        self.timer.stop()
        self.stall_panel.setVisible(False)
        self.refresh(everything=True)
        self.state.outcome = outcome
        self.start_button.setEnabled(True)
        self.stop_button.setEnabled(False)
        self.stop_button.setText(self.tr("Stop"))
        self.kill_button.setVisible(False)
        status = outcome["status"]
        if outcome.get("error") and not self.error_panel.isVisible():
            self._failed(outcome["error"])
        self.offer_resume(status)
        self._status({"finished": self.tr("Training finished. Next: results and export."),
                      "stopped": self.tr("Stopped and saved. Resume it, or look at the "
                                         "results."),
                      "interrupted": self.tr("The run ended without saving: resume it from its "
                                             "last checkpoint, or train again.")}.get(
            status, self.tr("The run did not finish: see the message above.")))
        self.state.notify("run")
        self.completeChanged.emit()
        if status == "finished":
            self.run_finished.emit()

    def _show_ended(self, status: str) -> None:
        """The progress line of a run that is over: where it ended, no ETA."""
        step = self.last_step
        if not step:
            self.progress_text.setText(self.tr("No training step was recorded."))
            return
        how = {"finished": self.tr("Finished"), "stopped": self.tr("Stopped"),
               "failed": self.tr("Failed"), "diverged": self.tr("Diverged"),
               "interrupted": self.tr("Interrupted")}.get(status, self.tr("Ended"))
        self.progress_text.setText(self.tr(
            "{how} at step {step} of {total} · epoch {epoch:.2f} · elapsed {elapsed}").format(
            how=how, step=step["step"], total=self.total_steps, epoch=step["epoch"],
            elapsed=clock(step.get("elapsed_s"))))

    def offer_resume(self, status: str | None = None) -> None:
        """Show what can be done with the current run: Resume (the primary action) for a run
        that ended early and left a checkpoint; nothing while it trains in the background.
        ``status`` is how the run just ended; by default the folder's recorded status."""
        if self.state.run_dir is None:
            return
        folder = RunFolder(self.state.run_dir)
        status = status or folder.state()
        live = folder.is_live() and not self.session.is_running()
        if live:
            self._status(self.tr("This run is still training in the background; its charts show "
                                 "the events written so far."))
            self.progress_text.setText(self.tr("Training in the background."))
        elif not self.session.is_running():
            self._show_ended(status)
        resumable = (status in ("stopped", "failed", "interrupted") and not live
                     and folder.latest_checkpoint() is not None
                     and not self.session.is_running())
        self.resume_button.setVisible(resumable)
        self.start_button.setEnabled(not live and not self.session.is_running())
        self.start_button.setText(self.tr("Start over") if resumable else
                                  self.tr("Train again") if status in ("finished", "failed") and
                                  self.state.outcome is not None else self.tr("Start training"))
        self.start_button.setToolTip(self.tr("A new run from the beginning, with the same "
                                             "settings.") if resumable else "")
        # One primary (blue) button: Resume when a run can go on, else Start.
        for button, primary in ((self.resume_button, resumable),
                                (self.start_button, not resumable)):
            button.setObjectName("primary" if primary else "")
            button.style().unpolish(button)
            button.style().polish(button)
        self._show_run_folder()

    def _run_is_live(self) -> bool:
        return self.state.run_dir is not None and not self.session.is_running() and \
            RunFolder(self.state.run_dir).is_live()

    def problems(self) -> list[str]:
        if self.session.is_running():
            return [Pending(self.tr("Training is running…"))]
        if self._run_is_live():
            return [Pending(self.tr("This run is still training in the background; its results "
                                    "come when it finishes."))]
        outcome = self.state.outcome
        if outcome is None:
            return [Pending(self.tr("Start training to continue."))]
        if outcome["status"] == "interrupted":
            return [self.tr("The run was interrupted before it finished; resume it or train "
                            "again.")]
        if outcome["status"] not in ("finished", "stopped"):
            return [self.tr("The run failed; fix the problem above and train again.")]
        return []

    # -- history ----------------------------------------------------------------------------
    def replay(self, run_dir) -> None:
        """Redraw a run that is over from its folder alone: charts, its error if it failed,
        and its log."""
        self.session.replay(run_dir)
        self.changes.show_for(run_dir)
        self.refresh(everything=True)

    def show_full_log(self) -> None:
        if self.state.run_dir is None:
            return
        dialog = QDialog(self)
        dialog.setWindowTitle(self.tr("Full log"))
        dialog.resize(900, 600)
        view = QPlainTextEdit()
        view.setReadOnly(True)
        parts = []
        for name in ("train.log", "console.log"):
            path = Path(self.state.run_dir) / name
            if path.is_file():
                parts.append(f"===== {name} =====\n" + path.read_text("utf-8", "replace"))
        view.setPlainText("\n".join(parts) or self.tr("The log is empty."))
        QVBoxLayout(dialog).addWidget(view)
        dialog.show()
        self.log_dialog = dialog

    def shutdown(self) -> None:
        self.timer.stop()
