"""Step 4: hyperparameters, as forms built from the config dataclasses, with presets and a
live memory and time estimate."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtWidgets import (QComboBox, QFrame, QGroupBox, QHBoxLayout, QInputDialog, QLabel,
                               QMessageBox, QPushButton, QToolButton, QVBoxLayout)

from pft_desktop.core.config import (MethodSettings, PreferenceSettings, PretrainSettings,
                                     ResourceSettings, RunConfig, TaskSettings,
                                     TrainingSettings)
from pft_desktop.core.errors import UserError
from pft_desktop.ui import recent
from pft_desktop.ui.estimates import batch_text, current_batch_plan, memory_text, time_text
from pft_desktop.ui.i18n import core_error, core_parts, core_text
from pft_desktop.ui.pages.base import WizardPage
from pft_desktop.ui.widgets.forms import ConfigForm

# Each preset sets the same fields, so the one that matches the current values can be shown
# (the defaults are "Balanced").
QT_TRANSLATE_NOOP("HyperparametersPage", "Quick test")
QT_TRANSLATE_NOOP("HyperparametersPage", "Balanced")
QT_TRANSLATE_NOOP("HyperparametersPage", "Thorough")
PRESETS = {
    "Quick test": {"epochs": 1.0, "max_steps": 30, "eval_steps": 10,
                   "early_stopping_patience": 0},
    "Balanced": {"epochs": 3.0, "max_steps": 0, "eval_steps": 0, "early_stopping_patience": 0},
    "Thorough": {"epochs": 6.0, "max_steps": 0, "eval_steps": 0, "early_stopping_patience": 2},
}
CUSTOM = QT_TRANSLATE_NOOP("HyperparametersPage", "Custom")
BASIC = ["epochs", "max_steps", "batch_size", "learning_rate", "eval_steps", "seed"]
LORA = ["lora_r", "lora_alpha", "lora_dropout", "lora_target_modules"]
ADVANCED_TRAINING = ["gradient_accumulation", "weight_decay", "warmup_ratio", "scheduler",
                     "max_grad_norm", "save_steps", "save_total_limit", "logging_steps",
                     "early_stopping_patience", "metric_for_best", "neftune_noise_alpha"]
ADVANCED_METHOD = ["trainable_top_layers", "train_word_embeddings", "use_dora", "use_rslora",
                   "gradient_checkpointing", "precision", "cpu_speedups"]
OPTIONAL_TRAINING = ["neftune_noise_alpha"]  # shown only for the tasks that name them
TASK_FIELDS = ["max_length", "max_target_length", "source_prefix", "doc_stride", "system_prompt",
               "chat_template", "train_on_prompt", "packing"]
PREFERENCE = ["method", "beta"]  # the [preference] section, for the tasks that read it
ADVANCED_PREFERENCE = ["simpo_gamma", "max_prompt_length"]
RESOURCES = ["processes", "devices", "strategy"]  # the [resources] section
ADVANCED_RESOURCES = ["keep_global_batch", "zero_stage", "fsdp_layer"]


class HyperparametersPage(WizardPage):
    title = QT_TRANSLATE_NOOP("HyperparametersPage", "Hyperparameters")
    subtitle = QT_TRANSLATE_NOOP("HyperparametersPage", "Sensible defaults are filled in; hover "
                                 "over any field for what it does. Presets set the length of the "
                                 "run.")

    def __init__(self, state, parent=None):
        super().__init__(state, parent)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Preset")))
        self.preset = QComboBox()
        for name in [*PRESETS, CUSTOM]:  # shown translated, known by the English name
            self.preset.addItem(self.tr(name), name)
        self.preset.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.preset.setToolTip(self.tr("Presets set the length of the run; 'Custom' means the "
                                       "values match no preset."))
        self.preset.currentIndexChanged.connect(
            lambda index: self.apply_preset(self.preset.itemData(index)))
        top.addWidget(self.preset)
        top.addStretch(1)
        for text, slot in ((self.tr("Load config…"), self.load_config),
                           (self.tr("Save config…"), self.save_config)):
            button = QPushButton(text)
            button.clicked.connect(slot)
            top.addWidget(button)
        self.cluster_button = QPushButton(self.tr("Export cluster job…"))
        self.cluster_button.setToolTip(self.tr(
            "Write these settings as a job for several machines: config.toml, an accelerate "
            "config, launch.sh for each machine and job.sbatch for Slurm, with a README. Each "
            "machine runs as many processes as 'Processes' says."))
        self.cluster_button.clicked.connect(lambda: self.export_cluster_job())
        top.addWidget(self.cluster_button)
        self.content.addLayout(top)

        self.basic = ConfigForm(TrainingSettings, BASIC)
        self.length = ConfigForm(TaskSettings, TASK_FIELDS)
        basic_box = QGroupBox(self.tr("Training"))
        basic_layout = QVBoxLayout(basic_box)
        basic_layout.addWidget(self.basic)
        basic_layout.addWidget(self.length)
        self.lora = ConfigForm(MethodSettings, LORA)
        self.lora_box = QGroupBox("LoRA")
        QVBoxLayout(self.lora_box).addWidget(self.lora)
        self.pretrain = ConfigForm(PretrainSettings, ["size", "vocab_size", "mlm_probability"])
        self.pretrain_note = QLabel()
        self.pretrain_note.setObjectName("hint")
        self.pretrain_note.setWordWrap(True)
        self.pretrain_box = QGroupBox(self.tr("Pretraining"))
        pretrain_layout = QVBoxLayout(self.pretrain_box)
        pretrain_layout.addWidget(self.pretrain)
        pretrain_layout.addWidget(self.pretrain_note)
        self.preference = ConfigForm(PreferenceSettings, PREFERENCE)
        self.preference_box = QGroupBox(self.tr("Preference"))
        QVBoxLayout(self.preference_box).addWidget(self.preference)
        self.resources = ConfigForm(ResourceSettings, RESOURCES)
        self.resources_box = QGroupBox(self.tr("Resources"))
        self.resources_box.setObjectName("resourcesGroup")
        QVBoxLayout(self.resources_box).addWidget(self.resources)
        row = QHBoxLayout()
        row.addWidget(basic_box, 1)
        row.addWidget(self.lora_box, 1)
        row.addWidget(self.pretrain_box, 1)
        row.addWidget(self.preference_box, 1)
        row.addWidget(self.resources_box, 1)
        self.content.addLayout(row)

        # A disclosure button rather than a checkable group box: a collapsed group box still
        # draws its empty frame.
        self.advanced_toggle = QToolButton()
        self.advanced_toggle.setObjectName("disclosure")
        self.advanced_toggle.setText(self.tr("Advanced settings"))
        self.advanced_toggle.setCheckable(True)
        self.advanced_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.advanced_toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.content.addWidget(self.advanced_toggle)
        self.advanced_box = QFrame()
        self.advanced_box.setObjectName("card")
        self.advanced_training = ConfigForm(TrainingSettings, ADVANCED_TRAINING)
        self.advanced_method = ConfigForm(MethodSettings, ADVANCED_METHOD)
        self.advanced_pretrain = ConfigForm(PretrainSettings, ["hidden_size", "num_layers",
                                                               "num_heads"])
        self.advanced_preference = ConfigForm(PreferenceSettings, ADVANCED_PREFERENCE)
        self.advanced_resources = ConfigForm(ResourceSettings, ADVANCED_RESOURCES)
        advanced = QHBoxLayout(self.advanced_box)
        advanced.addWidget(self.advanced_training, 1)
        advanced.addWidget(self.advanced_method, 1)
        advanced.addWidget(self.advanced_pretrain, 1)
        advanced.addWidget(self.advanced_preference, 1)
        advanced.addWidget(self.advanced_resources, 1)
        self.advanced_toggle.toggled.connect(self._show_advanced)
        self._show_advanced(False)
        self.content.addWidget(self.advanced_box)

        self.estimate = QLabel()
        self.estimate.setWordWrap(True)
        self.estimate.setObjectName("hint")
        self.content.addWidget(self.estimate)
        self.content.addStretch(1)
        for form in self.forms():
            form.changed.connect(self._edited)
        width = max(self.basic.label_width(), self.length.label_width())
        self.basic.set_label_width(width)
        self.length.set_label_width(width)

    def bindings(self):
        """Each form with the config section it edits."""
        config = self.state.config
        return [(self.basic, config.training), (self.advanced_training, config.training),
                (self.length, config.task), (self.lora, config.method),
                (self.advanced_method, config.method), (self.pretrain, config.pretrain),
                (self.advanced_pretrain, config.pretrain), (self.preference, config.preference),
                (self.advanced_preference, config.preference), (self.resources, config.resources),
                (self.advanced_resources, config.resources)]

    def forms(self):
        return [form for form, _ in self.bindings()]

    def _show_advanced(self, shown: bool) -> None:
        self.advanced_toggle.setArrowType(Qt.ArrowType.DownArrow if shown
                                          else Qt.ArrowType.RightArrow)
        self.advanced_box.setVisible(shown)
        self.advanced_training.setVisible(shown)
        self.advanced_method.setVisible(shown)
        self.advanced_pretrain.setVisible(shown and self.state.config.from_scratch)
        self.advanced_preference.setVisible(shown and self._reads_preference())
        self.advanced_resources.setVisible(shown and self.state.config.resources.processes > 1)

    def _reads_preference(self) -> bool:
        """Whether the chosen task reads the [preference] section (preference tuning)."""
        from pft_desktop.core.tasks import TASK_IDS, get_task

        kind = self.state.config.task.kind
        return kind in TASK_IDS and "preference" in get_task(kind).sections

    def _show_preference_rows(self) -> None:
        """SimPO's margin only for SimPO."""
        self.advanced_preference.set_row_visible(
            "simpo_gamma", self.state.config.preference.method == "simpo")

    def _show_resource_rows(self) -> None:
        """The strategy and its settings matter only with several processes; the ZeRO stage
        only for DeepSpeed, the FSDP layer only for FSDP."""
        resources = self.state.config.resources
        several = resources.processes > 1
        self.resources.set_row_visible("strategy", several)
        self.advanced_resources.set_row_visible("keep_global_batch", several)
        self.advanced_resources.set_row_visible("zero_stage",
                                                several and resources.strategy == "deepspeed")
        self.advanced_resources.set_row_visible("fsdp_layer",
                                                several and resources.strategy == "fsdp")
        self.advanced_resources.setVisible(several and self.advanced_toggle.isChecked())

    def enter(self) -> None:
        config = self.state.config
        for form, settings in self.bindings():
            form.load(settings)
        is_lora = config.method.kind in ("lora", "qlora-4bit", "qlora-8bit")
        self.lora_box.setVisible(is_lora)
        from pft_desktop.core.tasks import get_task

        task = get_task(config.task.kind)
        self.pretrain_box.setVisible("pretrain" in task.sections)
        self.preference_box.setVisible("preference" in task.sections)
        self._show_preference_rows()
        self._show_resource_rows()
        self.length.labels["max_length"].setText(core_text(task.max_length_label))
        for name in TASK_FIELDS:  # each task shows the settings it reads
            self.length.set_row_visible(name, name in task.settings)
        for name in ("size", "vocab_size"):
            self.pretrain.set_row_visible(name, config.from_scratch)
        encoder = config.pretrain.from_scratch == "encoder" or (
            not config.from_scratch and (self.state.model_info or {}).get("is_encoder"))
        self.pretrain.set_row_visible("mlm_probability", bool(encoder))
        self._show_advanced(self.advanced_toggle.isChecked())
        self._show_preset()
        for name in OPTIONAL_TRAINING:
            self.advanced_training.set_row_visible(name, name in task.training_settings)
        self.advanced_method.set_row_visible("trainable_top_layers",
                                             config.method.kind == "freeze")
        self.advanced_method.set_row_visible(
            "train_word_embeddings", config.method.kind == "full" and task.word_embeddings_optional)
        self._update_estimate()

    def leave(self) -> None:
        self._store()

    def _store(self) -> None:
        for form, settings in self.bindings():
            form.store(settings)

    def _edited(self) -> None:
        self._store()
        self._show_preference_rows()
        self._show_resource_rows()
        self._show_preset()
        self._update_estimate()
        self.completeChanged.emit()

    def matching_preset(self) -> str:
        training = self.state.config.training
        return next((name for name, values in PRESETS.items()
                     if all(getattr(training, key) == value for key, value in values.items())),
                    CUSTOM)

    def _show_preset(self) -> None:
        self.preset.blockSignals(True)
        self.preset.setCurrentIndex(self.preset.findData(self.matching_preset()))
        self.preset.blockSignals(False)

    def apply_preset(self, name: str) -> None:
        for key, value in PRESETS.get(name, {}).items():
            setattr(self.state.config.training, key, value)
        self.basic.load(self.state.config.training)
        self.advanced_training.load(self.state.config.training)
        self._show_preset()
        self._update_estimate()
        self.completeChanged.emit()

    def _update_estimate(self) -> None:
        self.pretrain_note.setText(self._pretrain_text())
        report = (self.state.report or {}).get("report", {})
        tokens = (report.get("token_lengths") or {}).get("mean", 0)
        if report.get("packed"):  # pretraining: every row is a full block
            tokens = report["packed"]["block_size"]
        self.estimate.setText("\n".join(filter(None, [
            memory_text(self.state), batch_text(self.state.config),
            time_text(self.state, report.get("train_rows", 0),
                      min(tokens, self.state.config.task.max_length))
        ])))

    def _pretrain_text(self) -> str:
        """Before a pretraining starts: the new model's size, a new head's notice, and what to
        expect from the time it will take (core.pretrain_guidance, from measured figures)."""
        config = self.state.config
        from pft_desktop.core.tasks import get_task

        if "pretrain" not in get_task(config.task.kind).sections:
            return ""
        from pft_desktop.core.models import display_name
        from pft_desktop.core.pretrain import new_head_notice
        from pft_desktop.core.pretrain_guidance import pretraining_guidance

        parts, info = [self._new_model_text()], self.state.model_info or {}
        if not config.from_scratch and info:
            parts.append(core_text(new_head_notice(
                info.get("architectures") or [], display_name(config.model.name_or_path),
                "mlm" if info.get("is_encoder") else "clm")))
        parts.append(core_text(pretraining_guidance(bool(config.from_scratch),
                                                    self._pretraining_seconds())))
        return "\n\n".join(part for part in parts if part)

    def _pretraining_seconds(self) -> float | None:
        """The whole pretraining's estimated time on this CPU, once the data check has packed
        the text into blocks (None before)."""
        from pft_desktop.core.estimate import (flop_seconds_per_step, planned_steps,
                                               pretraining_seconds_per_step)
        from pft_desktop.core.pretrain import architecture, positions_for

        config, checked = self.state.config, self.state.report or {}
        blocks = (checked.get("report", {}).get("packed") or {}).get("train_blocks")
        if not blocks:
            return None
        t, plan, block = config.training, current_batch_plan(config), config.task.max_length
        steps = planned_steps(blocks, t.batch_size, plan.accumulation, t.epochs, t.max_steps,
                              plan.processes)
        if config.from_scratch:
            vocab = config.pretrain.vocab_size or (checked.get("model") or {}).get(
                "vocab_size") or 8000
            params = architecture(config.pretrain).parameters(vocab, positions_for(block))
            return steps * pretraining_seconds_per_step(params, t.batch_size * plan.processes,
                                                        block)
        params = (self.state.model_info or {}).get("parameters")
        return steps * flop_seconds_per_step(params, params, t.batch_size * plan.processes,
                                                 block) if params else None

    def _new_model_text(self) -> str:
        """Parameters and time per epoch of a from-scratch model, from the size preset."""
        config = self.state.config
        if not config.from_scratch:
            return ""
        from pft_desktop.core.estimate import planned_steps, pretraining_seconds_per_step
        from pft_desktop.core.models import human_count
        from pft_desktop.core.pretrain import architecture, positions_for

        arch = architecture(config.pretrain)
        checked = self.state.report or {}
        vocab = config.pretrain.vocab_size or (checked.get("model") or {}).get("vocab_size") \
            or 8000
        block = config.task.max_length
        params = arch.parameters(vocab, positions_for(block))
        text = self.tr("A {size} {kind}: {layers} layers × {hidden} wide, {heads} heads, about "
                       "{parameters} parameters with a {vocab:,}-token vocabulary.").format(
            size=core_text(config.pretrain.size), kind=core_text(arch.kind), layers=arch.layers,
            hidden=arch.hidden, heads=arch.heads, parameters=human_count(params), vocab=vocab)
        blocks = (checked.get("report", {}).get("packed") or {}).get("train_blocks")
        if blocks:
            t, plan = config.training, current_batch_plan(config)
            steps = planned_steps(blocks, t.batch_size, plan.accumulation, 1.0,
                                  processes=plan.processes)
            seconds = steps * pretraining_seconds_per_step(params,
                                                           t.batch_size * plan.processes, block)
            text += self.tr(" One epoch is {steps:,} steps, roughly {minutes:.0f} min on a CPU "
                            "like this one.").format(steps=steps, minutes=seconds / 60)
        return text

    def problems(self) -> list[str]:
        from pft_desktop.core.launch import resource_problems

        return [core_text(problem) for problem in
                self.state.config.problems() + resource_problems(self.state.config)]

    # -- config files -----------------------------------------------------------------------
    def save_config(self) -> None:
        self._store()
        path = recent.save_file(self, "run_config", self.tr("Save run config"), "run.toml",
                                self.tr("Run config (*.toml *.json)"))
        if path:
            self.state.config.save(path)

    def export_cluster_job(self, target: str | None = None, machines: int | None = None):
        """Write the current settings as a cluster job (core.cluster_job), asking how many
        machines and where; returns the ClusterJob, or None when cancelled or refused."""
        from pft_desktop.core.cluster_job import export_cluster_job

        self._store()
        if machines is None:
            machines, ok = QInputDialog.getInt(
                self, self.tr("Export cluster job"), self.tr(
                    "How many machines train together? Each runs {processes} process(es) (the "
                    "Processes field).").format(processes=self.state.config.resources.processes),
                2, 1, 1024)
            if not ok:
                return None
        if target is None:
            target = recent.save_file(self, "cluster_job", self.tr("Export cluster job into a "
                                                                   "new folder"),
                                      "cluster-job", self.tr("Folder (*)"))
            if not target:
                return None
        try:
            job = export_cluster_job(self.state.config, target, machines)
        except UserError as error:
            QMessageBox.warning(self, self.tr("Could not export the cluster job"),
                                "{}\n\n{}".format(*core_parts(error.to_dict())))
            return None
        notes = "".join("\n\n" + self.tr("Note: {note}").format(note=core_text(note))
                        for note in job.notes)
        QMessageBox.information(
            self, self.tr("Cluster job written"), self.tr(
                "{job}\n\nStart it with 'sbatch job.sbatch' in that folder, or './launch.sh "
                "MACHINE_RANK MAIN_ADDRESS' on each machine; its README.md says how, and how to "
                "bring the run back into the app.").format(job=job) + notes)
        return job

    def load_config(self) -> None:
        path = recent.open_file(self, "run_config", self.tr("Load run config"),
                                self.tr("Run config (*.toml *.json)"))
        if not path:
            return
        try:
            self.state.config = RunConfig.load(path)
        except UserError as error:
            QMessageBox.warning(self, self.tr("Could not load the config"),
                                core_error(error.to_dict()))
            return
        self.state.model_info, self.state.report = None, None
        self.state.notify("model")
        self.enter()
