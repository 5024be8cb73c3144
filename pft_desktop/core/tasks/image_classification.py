"""Image classification: a folder with one subfolder per class, or a table of image paths and
labels, on a vision model (ViT, ConvNeXt, Swin families) with its own image processor.

Images are checked to open when the data is read and decoded a batch at a time while training
(core.images). Metrics, the stratified split and the label handling are text
classification's.
"""

from __future__ import annotations

from pathlib import Path

from pft_desktop.core.data import DataReport, Table, counted, guess_roles, require_columns
from pft_desktop.core.errors import UserError
from pft_desktop.core.messages import known, message
from pft_desktop.core.tasks import onnx_usage
from pft_desktop.core.tasks.base import (PreparedData, Role, TryField, WithoutLength,
                                         clean_rows, distinct_columns)
from pft_desktop.core.tasks.classification import (LABEL, ClassificationTask, _label_order,
                                                   _some, _stratified_split, normalize_labels)

IMAGE_NAMES = ("image", "image_path", "path", "file", "filename", "file_name", "filepath",
               "img", "picture", "photo")
IMAGE = Role("image_column", "Image", "Each image's file path, relative to the table's folder "
             "or absolute. A folder with one subfolder per class needs no columns.",
             names=IMAGE_NAMES)
IMAGE_LABEL = Role(LABEL.field, LABEL.label, "The class of each image (text or number).",
                   names=LABEL.names, shape="label")
FOLDER_FORMAT = "folder"  # the Table.format of a folder's preview


class ImageClassificationTask(ClassificationTask):
    """One class per image."""

    name = "image-classification"
    title = "Image classification"
    description = ("Assign one class to each image (product photos, scans, plants). Needs a "
                   "folder with one subfolder per class, or a table of image paths and labels.")
    roles = (IMAGE, IMAGE_LABEL)
    counts_title = "Images per class (training)"
    folder_choice = "Folder of images…"
    settings = ()
    auto_class = "AutoModelForImageClassification"
    # peft has no image task type: None, with the head kept trainable and saved by
    # core.methods (trains_head) and LoRA on the attention projections (lora_targets).
    peft_task_type = None
    trains_head = True
    methods = ("full", "freeze", "lora", "qlora-4bit", "qlora-8bit")
    default_best_metric = "eval_f1"
    pipeline_tag = "image-classification"
    model_hint = ("Choose a vision model with an image-classification head: ViT, DeiT, BEiT, "
                  "Swin or ConvNeXt (google/vit-base-patch16-224, facebook/convnext-tiny-224).")

    def model_kwargs(self, label_names: list, extra: dict) -> dict:
        if not label_names:
            return {}
        # A checkpoint's own head (ImageNet's 1,000 classes) is replaced by one of this size;
        # id2label sets the number of labels (num_labels beside it warns against the old map).
        return {"id2label": dict(enumerate(label_names)),
                "label2id": {name: i for i, name in enumerate(label_names)},
                "ignore_mismatched_sizes": True}

    def lora_targets(self, model) -> list[str]:
        """The attention's query and value projections (what peft uses for BERT; named
        q_proj/v_proj in transformers 5, query/value before), or, for convolutional models
        (ConvNeXt), every linear layer below the head."""
        import torch

        from pft_desktop.core.methods import head_names

        heads = tuple(head_names(model))
        names = {name.split(".")[-1] for name, module in model.named_modules()
                 if isinstance(module, torch.nn.Linear) and not name.startswith(heads)}
        for pair in (("q_proj", "v_proj"), ("query", "value")):
            if set(pair) <= names:
                return list(pair)
        return sorted(names)

    def headline(self, metrics: dict) -> str:
        return super().headline(metrics).replace("validation rows", "validation images")

    # -- data -------------------------------------------------------------------------------
    def problems(self, config) -> list[str]:
        if Path(config.data.train_file).expanduser().is_dir():
            return []  # one subfolder per class: no columns to name
        return super().problems(config)

    def preview(self, path: str, data):
        """A folder shows as its images, one row per file with its class folder."""
        if not Path(path).expanduser().is_dir():
            return super().preview(path, data)
        import datasets

        from pft_desktop.core.images import list_folder

        found = list_folder(path)
        root = found.source.resolve()
        dataset = datasets.Dataset.from_dict({
            "image": [str(Path(p).relative_to(root)) for p in found.paths],
            "label": list(found.labels)})
        return Table(found.source, FOLDER_FORMAT, dataset, has_header=True,
                     notes=[f"{counted(len(found.paths), 'image')} in "
                            f"{counted(len(set(found.labels)), 'class folder')}."],
                     warnings=found.warnings)

    def guess(self, table: Table) -> dict[str, str]:
        """The column whose values end like image files, else the usual guess."""
        guess = guess_roles(table, self.roles)
        head = table.dataset.select(range(min(200, len(table))))
        for column in table.columns:
            values = [str(v or "").strip().lower() for v in head[column]]
            filled = [v for v in values if v]
            if filled and sum(v.endswith(_suffixes()) for v in filled) >= 0.8 * len(filled):
                if guess["label_column"] == column:
                    guess["label_column"] = ""
                guess["image_column"] = column
                break
        return guess

    def read_data(self, config, info, sink=lambda event: None):
        from pft_desktop.core import events

        processor = load_image_processor(info.path, config.model.trust_remote_code)
        sink(events.make_event(events.STATUS, text="Checking the images"))
        return self.prepare_images(config, processor, sink), processor

    def prepare_images(self, config, processor, sink=lambda event: None) -> PreparedData:
        """Find and check the images, split them, and build the lazily decoded datasets."""
        import pandas as pd

        from pft_desktop.core.images import image_dataset, samples_per_class, size_note

        d = config.data
        train = self._images(config, d.train_file, "the training data", sink)
        report = DataReport(rows_read=train.files_read)
        report.notes += train.notes
        report.warnings += train.warnings
        _report_skipped(report, train, "the training data", "")
        frame = pd.DataFrame({"image": train.paths, "label": train.labels})
        if not len(frame):
            raise UserError("no_images", message("error.no_images", source=train.source.name),
                            message("fix.no_images"))
        frame["label"], label_notes = normalize_labels(frame["label"], train.source.name)
        report.notes += label_notes
        if d.max_rows and len(frame) > d.max_rows:
            frame = frame.sample(n=d.max_rows, random_state=config.training.seed)
            report.notes.append(message("data.image_limit", images=d.max_rows))
        label_names = _label_order(frame["label"].unique())
        if len(label_names) < 2:
            raise UserError("one_label", message("error.one_image_class",
                                                 source=train.source.name,
                                                 label=label_names[0]),
                            message("fix.one_image_class"))
        report.warnings += _check_class_sizes(frame["label"])
        label2id = {name: i for i, name in enumerate(label_names)}
        frame["labels"] = frame["label"].map(label2id)
        if d.validation_file:
            train_frame = frame.reset_index(drop=True)
            val_frame = self._validation_images(config, label2id, report, sink)
        else:
            train_frame, val_frame = _stratified_split(frame.reset_index(drop=True),
                                                       d.validation_split,
                                                       config.training.seed, report)
        report.rows_kept = len(train_frame) + len(val_frame)
        report.train_rows, report.validation_rows = len(train_frame), len(val_frame)
        counts = train_frame["label"].value_counts()
        report.counts_name = "Images per class"
        report.label_counts = {name: int(counts.get(name, 0)) for name in label_names}
        if min(report.label_counts.values()) < 0.05 * max(report.label_counts.values()):
            report.warnings.append(message("data.unbalanced"))
        sizes = dict(zip(train.paths, train.sizes))
        note = size_note([sizes[p] for p in train_frame["image"] if p in sizes], processor)
        if note:
            report.notes.append(note)
        samples = samples_per_class(train_frame["image"], train_frame["label"])
        report.samples = samples  # the Data page shows them as thumbnails
        report.notes.append(message("data.sample_images", samples="; ".join(
            f"{label}: {', '.join(Path(p).name for p in paths)}"
            for label, paths in samples.items())))
        return PreparedData(
            train=image_dataset(train_frame["image"], train_frame["labels"], processor),
            validation=image_dataset(val_frame["image"], val_frame["labels"], processor)
            if len(val_frame) else None,
            report=report, label_names=label_names,
            validation_texts=list(val_frame["image"].head(5)),
            extra={"samples": samples})

    def prepare(self, config, train, validation, tokenizer) -> PreparedData:
        raise NotImplementedError("image classification reads folders and tables of paths in "
                                  "read_data (prepare_images), not text tables")

    def _images(self, config, path: str, what: str, sink):
        """The checked images of a folder or a table."""
        from pft_desktop.core import events
        from pft_desktop.core.images import check_images, list_folder

        if Path(path).expanduser().is_dir():
            found = list_folder(path)
        else:
            found = self._table_images(config, path)

        def progress(done, total):
            if total >= 2000:
                sink(events.make_event(events.STATUS, text=f"Checking the images of {what} "
                                       f"({done:,} of {total:,})"))
        return check_images(found, progress)

    def _table_images(self, config, path: str):
        from pft_desktop.core.data import load_table
        from pft_desktop.core.images import MISSING, list_table

        d = config.data
        table = load_table(path, encoding=d.encoding, delimiter=d.delimiter, header=d.header)
        roles = {"image": d.image_column, "label": d.label_column}
        if not all(roles.values()):  # a validation table read with the training folder's
            guess = self.guess(table)  # settings: its columns are guessed
            roles = {"image": roles["image"] or guess["image_column"],
                     "label": roles["label"] or guess["label_column"]}
        require_columns(table, {"image column": roles["image"], "label column": roles["label"]})
        if not all(roles.values()):
            raise UserError("missing_column", message("error.image_columns",
                                                      file=table.path.name),
                            message("fix.image_columns"))
        distinct_columns(roles)
        report = DataReport()
        frame = clean_rows(table.dataset.to_pandas(), list(roles.values()), report)
        found = list_table(frame, roles["image"], roles["label"], table.path)
        for reason, count in report.dropped.items():
            found.skipped[reason] = [f"row with {reason}"] * count
        found.notes += table.notes
        found.warnings += table.warnings
        if not found.paths and found.skipped.get(MISSING):
            first = found.skipped[MISSING][0]
            raise UserError("missing_images", message(
                "error.missing_images", column=roles["image"], file=table.path.name,
                first=first), message("fix.missing_images", folder=str(table.path.parent)))
        return found

    def _validation_images(self, config, label2id: dict, report: DataReport, sink):
        import pandas as pd

        path = config.data.validation_file
        found = self._images(config, path, "the validation data", sink)
        report.rows_read += found.files_read
        report.notes += found.notes
        report.warnings += found.warnings
        _report_skipped(report, found, "the validation data", " (validation)")
        frame = pd.DataFrame({"image": found.paths, "label": found.labels})
        if len(frame):
            frame["label"], _ = normalize_labels(frame["label"], found.source.name)
        unknown = ~frame["label"].isin(list(label2id)) if len(frame) else None
        if unknown is not None and unknown.any():
            counts = frame.loc[unknown, "label"].value_counts()
            listed = _some(f"{name} ({n:,})" for name, n in counts.items())
            report.drop(message("drop.unseen_class"), int(unknown.sum()))
            report.warnings.append(message(
                "data.unseen_classes", source=found.source.name,
                classes=counted(len(counts), "class", "classes"), names=listed))
            frame = frame[~unknown]
        if not len(frame):
            raise UserError("empty_validation", message("error.empty_validation_images",
                                                        source=found.source.name),
                            message("fix.empty_validation_images"))
        frame["labels"] = frame["label"].map(label2id)
        return frame.reset_index(drop=True)

    # -- model ------------------------------------------------------------------------------
    def collator(self, tokenizer):
        from transformers import DefaultDataCollator

        return WithoutLength(DefaultDataCollator())

    def load_processor(self, folder):
        return load_image_processor(folder)

    # -- using the model --------------------------------------------------------------------
    def inputs(self, info: dict) -> list:
        return [TryField("image", "Image file", "Choose an image file")]

    def predict(self, model, tokenizer, info: dict, inputs: dict) -> dict:
        import torch

        from pft_desktop.core.images import open_rgb

        path = str(inputs.get("image") or "").strip()
        if not path:
            return {"error": "Choose an image file."}
        try:
            image = open_rgb(Path(path).expanduser())
        except UserError as exc:
            return {"error": exc.message}
        with torch.no_grad():
            pixels = tokenizer([image], return_tensors="pt")["pixel_values"]
            row = model(pixel_values=pixels.to(model.dtype)).logits.float().softmax(-1)[0]
        names = model.config.id2label
        scores = {names[i]: round(p, 6) for i, p in enumerate(row.tolist())}
        best = max(scores, key=scores.get)
        return {"label": best, "score": scores[best], "probabilities": scores}

    def describe(self, result: dict, inputs: dict) -> str:
        if "label" not in result:
            return super().describe(result, inputs)
        others = ", ".join(f"{k} {v:.3f}" for k, v in result["probabilities"].items())
        return f"{result['label']}\t{result['score']:.3f}\t({others})\t{inputs.get('image')}"

    def probe(self, model, tokenizer, info: dict) -> list:
        import torch

        from pft_desktop.core.images import probe_images

        with torch.no_grad():
            pixels = tokenizer(probe_images(), return_tensors="pt")["pixel_values"]
            logits = model(pixel_values=pixels.to(model.dtype)).logits
        return logits.float().softmax(-1).tolist()

    def onnx_sample(self, processor) -> dict:
        from pft_desktop.core.images import probe_images

        return dict(processor(probe_images(), return_tensors="pt"))

    def onnx_snippet(self, info: dict, file: str) -> str:
        labels = dict(enumerate(info.get("label_names") or []))
        return ("import numpy as np\nimport onnxruntime as ort\nfrom PIL import Image\n"
                "from transformers import AutoImageProcessor\n" + onnx_usage.session(file) +
                "processor = AutoImageProcessor.from_pretrained(\".\")\n"
                f"labels = {labels!r}\n"
                "inputs = processor(Image.open(\"photo.jpg\").convert(\"RGB\"), "
                "return_tensors=\"np\")\n"
                "logits = session.run(None, {k: inputs[k] for k in wanted})[0][0]\n"
                + onnx_usage.SOFTMAX)

    def loading_snippet(self, kind: str, info: dict) -> str:
        labels = info.get("label_names") or []
        if kind == "adapter":
            return ("from peft import AutoPeftModel\n"
                    "from transformers import AutoImageProcessor\n"
                    "model = AutoPeftModel.from_pretrained(\".\", "
                    f"id2label={dict(enumerate(labels))!r}, "
                    "ignore_mismatched_sizes=True)\n"
                    "processor = AutoImageProcessor.from_pretrained(\".\")")
        return ("from transformers import pipeline\n"
                "classify = pipeline(\"image-classification\", model=\".\")\n"
                "print(classify(\"photo.jpg\", top_k=None))")


def _suffixes() -> tuple:
    from pft_desktop.core.images import IMAGE_SUFFIXES

    return IMAGE_SUFFIXES


def _check_class_sizes(labels) -> list[str]:
    """Refuse fewer than two classes with two images or more (nothing to tell apart or hold
    out); warn about classes of a single image."""
    counts = labels.value_counts()
    if int((counts >= 2).sum()) < 2:
        raise UserError("too_few_examples", message(
            "error.too_few_images", listed=_some(f"{name} ({n:,})" for name, n in counts.items())),
            message("fix.too_few_images"))
    single = sorted(str(name) for name, n in counts.items() if n == 1)
    if not single:
        return []
    return [message("data.single_image" if len(single) == 1 else "data.single_images",
                    classes=counted(len(single), "class", "classes"), names=_some(single))]


def _report_skipped(report: DataReport, images, what: str, suffix: str) -> None:
    from pft_desktop.core.images import skipped_messages

    for reason, names in images.skipped.items():
        report.drop(message("drop.in_validation", reason=known(reason)) if suffix
                    else known(reason), len(names))
    notes, warnings = skipped_messages(images, what)
    report.notes += notes
    report.warnings += warnings


def load_image_processor(path, trust_remote_code: bool = False):
    """The model's image processor (resizing, normalization), or a UserError when the folder
    has none (a text model, or a vision checkpoint saved without it)."""
    from transformers import AutoImageProcessor

    folder = Path(path)
    if folder.is_dir() and not (folder / "preprocessor_config.json").is_file():
        raise UserError("no_image_processor", f"The model folder {folder.name} has no image "
                        "processor (preprocessor_config.json), which says how images are "
                        "resized and normalized for it.", "Choose a vision model saved with its "
                        "image processor (AutoImageProcessor.save_pretrained), such as a ViT, "
                        "ConvNeXt or Swin model from the hub.")
    try:
        return AutoImageProcessor.from_pretrained(str(path), trust_remote_code=trust_remote_code)
    except Exception as exc:  # noqa: BLE001 - transformers raises many types here
        raise UserError("no_image_processor", f"The image processor in {folder.name} could not "
                        f"be loaded ({type(exc).__name__}: {str(exc)[:200]}).", "Make sure the "
                        "folder holds the model's preprocessor_config.json, saved with the same "
                        "transformers.") from None
