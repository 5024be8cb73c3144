"""Image classification: a folder with one subfolder per class or a table of image paths, a tiny
ViT built from a config (random weights, a 5-class head like an ImageNet checkpoint's), trained
for a few steps with the real Trainer to tell red squares from blue ones; predict, export
(verified in a fresh process) and reload with plain transformers and peft."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import SimpleNamespace

import pytest
import torch

from helpers import fails_cleanly, write_csv
from task_models import COLORS, build_tiny_vit, image_folder, square
from pft_desktop.core.errors import UserError
from pft_desktop.core.tasks import get_task

TASK = "image-classification"


@pytest.fixture(scope="module")
def tiny_vit(tmp_path_factory) -> Path:
    return build_tiny_vit(tmp_path_factory.mktemp("tiny-vit"))


@pytest.fixture(scope="module")
def squares(tmp_path_factory) -> Path:
    return image_folder(tmp_path_factory.mktemp("squares") / "images")


def image_config(model: Path, data: Path, method: str = "full", **training):
    from pft_desktop.core.config import RunConfig

    config = RunConfig()
    config.task.kind = TASK
    config.model.name_or_path = str(model)
    config.data.train_file = str(data)
    config.data.validation_split = 0.25
    config.method.kind = method
    config.training.epochs = 1
    config.training.batch_size = 8
    config.training.learning_rate = 5e-3
    for key, value in training.items():
        setattr(config.training, key, value)
    return config


def read(config, model: Path):
    return get_task(TASK).read_data(config, SimpleNamespace(path=str(model)))


# -- data ----------------------------------------------------------------------------------------
def test_a_folder_of_class_subfolders_is_read_and_reported(tmp_path, tiny_vit):
    root = image_folder(tmp_path / "photos", per_class=8)
    (root / "red" / "notes.txt").write_text("not a picture")
    (root / "blue" / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"garbage" * 10)
    (root / "blue" / "nested").mkdir()
    square(COLORS["blue"], 7).save(root / "blue" / "nested" / "deep.webp")
    (root / "red" / ".DS_Store").write_bytes(b"\0\0")
    square(COLORS["red"], 9).save(root / "loose.jpg")

    data, processor = read(image_config(tiny_vit, root), tiny_vit)

    report = data.report
    assert type(processor).__name__.startswith("ViTImageProcessor")
    assert data.label_names == ["blue", "red"]
    assert report.rows_read == 8 + 9 + 3  # images, the nested one, and three left out
    assert report.dropped == {"not an image file": 1, "cannot be opened as an image": 1,
                              "not inside a class subfolder": 1}
    assert report.train_rows + report.validation_rows == report.rows_kept == 17
    assert report.label_counts == {"blue": 7, "red": 6}  # 25% of each class held out
    text = " ".join(report.lines())
    assert "red/notes.txt" in text and "blue/broken.png" in text and "loose.jpg" in text
    assert "Image sizes from" in text and "resizes them to 32×32" in text
    samples = data.extra["samples"]
    assert set(samples) == {"blue", "red"} and all(1 <= len(v) <= 3 for v in samples.values())
    assert all(Path(p).is_file() and Path(p).parent.name in ("red", "blue", "nested")
               for paths in samples.values() for p in paths)
    assert "Sample images: blue:" in text
    assert get_task(TASK).counts_title == "Images per class (training)"


def test_images_are_decoded_a_batch_at_a_time(tmp_path, tiny_vit, squares):
    data, _ = read(image_config(tiny_vit, squares), tiny_vit)
    train = data.train
    # Only paths are stored; pixels appear when a row is read.
    assert train.data.column_names == ["image", "labels", "length"]
    assert set(train.data.column("length").to_pylist()) == {1}
    row = train[0]
    assert set(row) == {"pixel_values", "labels"}
    assert tuple(row["pixel_values"].shape) == (3, 32, 32)
    batch = get_task(TASK).collator(None)([train[i] for i in range(4)])
    assert tuple(batch["pixel_values"].shape) == (4, 3, 32, 32)
    assert batch["labels"].dtype == torch.long


@pytest.mark.parametrize("layout, needle", [
    ("one", "has only one subfolder (red)"),
    ("loose", "has no subfolders but 3 images directly inside it"),
])
def test_a_folder_not_laid_out_by_class_is_refused(tmp_path, tiny_vit, layout, needle):
    root = tmp_path / "flat"
    if layout == "one":
        image_folder(root, per_class=3, classes=("red",))
    else:
        root.mkdir()
        for i in range(3):
            square(COLORS["red"], i).save(root / f"{i}.png")
    with pytest.raises(UserError) as caught:
        read(image_config(tiny_vit, root), tiny_vit)
    assert caught.value.kind == "too_few_classes"
    assert needle in caught.value.message and "one subfolder per class" in caught.value.message
    assert "flat/cats/" in caught.value.fix


def test_a_class_with_a_single_image_is_refused_when_nothing_is_left(tmp_path, tiny_vit):
    root = image_folder(tmp_path / "tiny", per_class=1)
    with pytest.raises(UserError, match="Fewer than two classes have two images"):
        read(image_config(tiny_vit, root), tiny_vit)


def test_a_table_of_paths_and_labels(tmp_path, tiny_vit, squares):
    rows = [(f"../squares/images/{name}/{name}_{i:02d}{'.png' if i % 2 else '.jpg'}", name)
            for name in ("red", "blue") for i in range(10)]
    rows[0] = (str(squares / "red" / "red_00.jpg"), "red")  # absolute paths work too
    rows += [("missing/a.jpg", "red"), ("missing/b.jpg", "blue"), ("", "red")]
    (tmp_path / "tables").mkdir()
    table = write_csv(tmp_path / "tables" / "photos.csv", ["file_path", "kind"], rows)
    (tmp_path / "squares").symlink_to(squares.parent)
    task = get_task(TASK)
    from pft_desktop.core.data import load_table

    guess = task.guess(load_table(table))
    assert guess == {"image_column": "file_path", "label_column": "kind"}
    config = image_config(tiny_vit, table)
    config.data.image_column, config.data.label_column = "file_path", "kind"
    assert task.problems(config) == []

    data, _ = read(config, tiny_vit)

    assert data.report.rows_read == 23 and data.report.rows_kept == 20
    assert data.report.dropped == {"image file not found": 2, "empty 'file_path'": 1}
    assert any("missing/a.jpg, missing/b.jpg" in w for w in data.report.warnings)
    assert data.label_names == ["blue", "red"]


def test_a_table_needs_its_columns_and_existing_files(tmp_path, tiny_vit):
    table = write_csv(tmp_path / "t.csv", ["image", "label"],
                      [(f"nowhere/{i}.jpg", "a" if i % 2 else "b") for i in range(6)])
    config = image_config(tiny_vit, table)
    assert "data.image_column and data.label_column are empty" in \
        get_task(TASK).problems(config)[0]
    config.data.image_column, config.data.label_column = "image", "label"
    with pytest.raises(UserError) as caught:
        read(config, tiny_vit)
    assert caught.value.kind == "missing_images"
    assert "nowhere/0.jpg" in caught.value.message and str(tmp_path) in caught.value.fix


def test_a_validation_folder_drops_classes_training_lacks(tmp_path, tiny_vit, squares):
    validation = image_folder(tmp_path / "val", per_class=3)
    (validation / "green").mkdir()
    square((30, 200, 30), 1).save(validation / "green" / "g.png")
    config = image_config(tiny_vit, squares)
    config.data.validation_file = str(validation)

    data, _ = read(config, tiny_vit)

    assert data.report.validation_rows == 6 and data.report.train_rows == 32
    assert data.report.dropped == {"validation class not seen in training": 1}
    assert any("green (1)" in w for w in data.report.warnings)


def test_a_model_without_an_image_processor_is_refused(tmp_path, tiny_vit, squares):
    import shutil

    model = tmp_path / "no-processor"
    shutil.copytree(tiny_vit, model)
    (model / "preprocessor_config.json").unlink()
    with pytest.raises(UserError) as caught:
        read(image_config(model, squares), model)
    assert caught.value.kind == "no_image_processor"
    assert "preprocessor_config.json" in caught.value.message


def test_the_task_is_offered_for_vision_models_only(tiny_vit, tiny_encoder):
    from pft_desktop.core.models import inspect_model
    from pft_desktop.core.tasks import task_of_folder

    assert TASK in inspect_model(tiny_vit).tasks
    with pytest.raises(UserError, match="cannot do image-classification"):
        get_task(TASK).check_model(inspect_model(tiny_encoder))
    assert task_of_folder({"architectures": ["ViTForImageClassification"]}) == TASK
    assert get_task(TASK).inputs({})[0].key == "image"


def test_a_folder_previews_as_images_and_classes(squares):
    from pft_desktop.core.config import DataSettings

    task = get_task(TASK)
    table = task.preview(str(squares), DataSettings())
    assert table.columns == ["image", "label"] and len(table) == 32
    assert table.dataset[0] == {"image": "blue/blue_00.jpg", "label": "blue"}
    assert task.guess(table) == {"image_column": "image", "label_column": "label"}


def test_lora_targets_fit_the_architecture():
    from transformers import (ConvNextConfig, ConvNextForImageClassification, ViTConfig,
                              ViTForImageClassification)

    task = get_task(TASK)
    vit = ViTForImageClassification(ViTConfig(image_size=32, patch_size=8, hidden_size=16,
                                              num_hidden_layers=1, num_attention_heads=2,
                                              intermediate_size=32))
    convnext = ConvNextForImageClassification(ConvNextConfig(
        num_channels=3, hidden_sizes=[8, 16], depths=[1, 1], num_stages=2, image_size=32))
    assert task.lora_targets(vit) in (["q_proj", "v_proj"], ["query", "value"])
    assert task.lora_targets(convnext) == ["pwconv1", "pwconv2"]  # no attention; not the head


# -- training, predict, export -------------------------------------------------------------------
@pytest.fixture(scope="module")
def full_run(tmp_path_factory, tiny_vit, squares):
    from pft_desktop.core.recipe import run_training

    root = tmp_path_factory.mktemp("full-run")
    outcome = run_training(image_config(tiny_vit, squares, max_steps=12), root / "run")
    assert outcome.status == "finished", outcome
    return root / "run", outcome.metrics


@pytest.fixture(scope="module")
def lora_run(tmp_path_factory, tiny_vit, squares):
    from pft_desktop.core.recipe import run_training

    root = tmp_path_factory.mktemp("lora-run")
    config = image_config(tiny_vit, squares, "lora", max_steps=12, learning_rate=2e-2)
    outcome = run_training(config, root / "run")
    assert outcome.status == "finished", outcome
    return root / "run", outcome.metrics


def test_full_training_learns_the_colours(full_run, squares):
    from pft_desktop.core.predict import Predictor

    run, metrics = full_run
    assert metrics["eval_accuracy"] == 1.0 and metrics["eval_f1"] == 1.0
    assert metrics["label_names"] == ["blue", "red"]
    assert metrics["confusion_matrix"] == [[4, 0], [0, 4]]
    assert metrics["per_class"]["red"]["support"] == 4
    log = (run / "train.log").read_text()
    assert "missing keys" not in log  # the best checkpoint was really loaded back
    info = json.loads((run / "model" / "pft_run.json").read_text())
    assert info["task"] == TASK and set(info["samples"]) == {"blue", "red"}
    assert (run / "model" / "preprocessor_config.json").is_file()
    predictor = Predictor(run)
    result = predictor({"image": str(squares / "red" / "red_03.png")})
    assert result["label"] == "red" and set(result["probabilities"]) == {"blue", "red"}
    assert sum(result["probabilities"].values()) == pytest.approx(1.0, abs=1e-4)
    line = predictor.spec.describe(result, {"image": "x.png"})
    assert line.startswith("red\t") and line.endswith("x.png")
    assert "error" in predictor({"image": str(squares.parent / "nothing.png")})
    assert "cannot be read" in predictor({"image": str(run / "config.toml")})["error"]


def test_a_merged_export_loads_in_a_plain_image_pipeline(tmp_path, full_run, squares):
    from transformers import pipeline

    from pft_desktop.core.export import export_run
    from pft_desktop.core.predict import Predictor

    run, _ = full_run
    out = export_run(run, tmp_path / "merged", "merged")
    card = (out / "README.md").read_text()
    assert "pipeline_tag: image-classification" in card and 'pipeline("image-classification"' \
        in card
    image = str(squares / "blue" / "blue_05.png")
    expected = Predictor(run)({"image": image})["probabilities"]
    classify = pipeline("image-classification", model=str(out))
    got = {r["label"]: r["score"] for r in classify(image, top_k=None)}
    assert got == pytest.approx(expected, abs=1e-4)


def test_freeze_trains_the_head_only(tmp_path, tiny_vit, squares):
    from pft_desktop.core.recipe import run_training

    config = image_config(tiny_vit, squares, "freeze", max_steps=2)
    outcome = run_training(config, tmp_path / "run")
    assert outcome.status == "finished", outcome
    events = [json.loads(line) for line in (tmp_path / "run" / "events.jsonl").open()]
    started = next(e for e in events if e["type"] == "started")
    assert started["trainable_parameters"] == 32 * 2 + 2  # the new 2-class head


def test_lora_keeps_the_new_head_and_exports_both_ways(tmp_path, lora_run, tiny_vit, squares):
    from peft import AutoPeftModel
    from transformers import AutoImageProcessor, AutoModelForImageClassification

    from pft_desktop.core.export import export_run
    from pft_desktop.core.images import open_rgb
    from pft_desktop.core.predict import Predictor

    run, metrics = lora_run
    assert metrics["eval_accuracy"] >= 0.75
    adapter_config = json.loads((run / "model" / "adapter_config.json").read_text())
    assert sorted(adapter_config["target_modules"]) in (["q_proj", "v_proj"], ["query", "value"])
    assert adapter_config["modules_to_save"] == ["classifier"]
    images = [str(squares / name / f"{name}_0{i}.png") for name in ("red", "blue")
              for i in (1, 3)]
    predictor = Predictor(run)
    expected = torch.tensor([[predictor({"image": p})["probabilities"][n]
                              for n in ("blue", "red")] for p in images])

    adapter = export_run(run, tmp_path / "adapter", "adapter")  # verified in a fresh process
    model = AutoPeftModel.from_pretrained(adapter, id2label={0: "blue", 1: "red"},
                                          ignore_mismatched_sizes=True).eval()  # the card's
    merged = export_run(run, tmp_path / "merged", "merged")
    plain = AutoModelForImageClassification.from_pretrained(merged).eval()
    assert plain.config.id2label == {0: "blue", 1: "red"}
    processor = AutoImageProcessor.from_pretrained(adapter)
    pixels = processor([open_rgb(p) for p in images], return_tensors="pt")["pixel_values"]
    with torch.no_grad():
        for loaded in (model, plain):
            assert torch.allclose(loaded(pixel_values=pixels).logits.softmax(-1), expected,
                                  atol=1e-4)
    assert "AutoPeftModel.from_pretrained" in (adapter / "README.md").read_text()


def build_tiny_family(folder: Path, family: str) -> Path:
    """A tiny ConvNeXt (no attention; its processor scales the shorter side and crops) or Swin
    with a 5-class head, saved with its image processor."""
    from transformers import (ConvNextConfig, ConvNextForImageClassification,
                              ConvNextImageProcessor, SwinConfig, SwinForImageClassification,
                              ViTImageProcessor)

    torch.manual_seed(0)
    if family == "convnext":
        config = ConvNextConfig(hidden_sizes=[8, 16], depths=[1, 1], num_stages=2, num_labels=5)
        ConvNextForImageClassification(config).save_pretrained(folder)
        ConvNextImageProcessor(size={"shortest_edge": 32}, crop_pct=0.875).save_pretrained(folder)
    else:
        SwinForImageClassification(SwinConfig(
            image_size=32, patch_size=4, embed_dim=8, depths=[1, 1], num_heads=[1, 2],
            window_size=4, num_labels=5)).save_pretrained(folder)
        ViTImageProcessor(size={"height": 32, "width": 32}).save_pretrained(folder)
    return folder


@pytest.mark.slow  # ViT covers the path in the default suite; these add the other families
@pytest.mark.parametrize("family, targets", [("convnext", ["pwconv1", "pwconv2"]),
                                             ("swin", ["q_proj", "v_proj"])])
def test_convnext_and_swin_train_with_lora_and_export(tmp_path, squares, family, targets):
    from pft_desktop.core.export import export_run
    from pft_desktop.core.recipe import run_training

    model = build_tiny_family(tmp_path / family, family)
    config = image_config(model, squares, "lora", max_steps=3)
    assert run_training(config, tmp_path / "run").status == "finished"
    out = export_run(tmp_path / "run", tmp_path / "adapter", "adapter")  # verified
    adapter_config = json.loads((out / "adapter_config.json").read_text())
    assert sorted(adapter_config["target_modules"]) in (targets, ["query", "value"])
    assert adapter_config["modules_to_save"] == ["classifier"]


@pytest.mark.skipif(importlib.util.find_spec("bitsandbytes") is None,
                    reason="bitsandbytes is not installed")
def test_qlora_trains_on_a_quantized_base_and_its_adapter_verifies(tmp_path, tiny_vit, squares):
    from pft_desktop.core.export import export_run
    from pft_desktop.core.recipe import run_training

    config = image_config(tiny_vit, squares, "qlora-4bit", max_steps=3)
    assert run_training(config, tmp_path / "run").status == "finished"
    out = export_run(tmp_path / "run", tmp_path / "adapter", "adapter")  # verified
    assert json.loads((out / "adapter_config.json").read_text())["modules_to_save"] == \
        ["classifier"]


def test_the_command_line_trains_from_a_table_with_guessed_columns(tmp_path, tiny_vit, squares,
                                                                   capsys):
    from pft_desktop.cli import main

    rows = [(str(path), path.parent.name) for path in sorted(squares.rglob("*.*"))]
    table = write_csv(tmp_path / "images.csv", ["picture", "kind"], rows)
    root = tmp_path / "runs"
    assert main(["train", "--task", TASK, "--data", str(table), "--model", str(tiny_vit),
                 "--max-steps", "3", "--batch-size", "8", "--runs-root", str(root)]) == 0
    err = capsys.readouterr().err
    assert "Using column 'picture' as image" in err and "Using column 'kind' as label" in err
    assert "Run finished" in err
    (run,) = [p for p in root.iterdir() if p.is_dir()]
    image = str(squares / "red" / "red_01.png")
    assert main(["predict", str(run), image, "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["input"] == {"image": image} and result["label"] in ("red", "blue")
    fails_cleanly(capsys, ["train", "--task", TASK, "--data", str(squares / "red"), "--model",
                           str(tiny_vit), "--runs-root", str(root)], "one subfolder per class")
