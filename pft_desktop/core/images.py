"""Images for image classification: found in a folder with one subfolder per class or listed in
a table, checked to open (the header and the file's structure, not the pixels), and served by a
dataset that decodes and processes them a batch at a time, so a large folder is never decoded
up front.

Pillow only (no torchvision): the model's own image processor resizes and normalizes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pft_desktop.core.data import counted
from pft_desktop.core.errors import UserError
from pft_desktop.core.messages import known, message

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".bmp", ".gif", ".webp")
SHOWN = 3                 # file names named in a message before "and N more"
SAMPLES_PER_CLASS = 3     # sample images per class for the data report's thumbnails
NOT_IMAGE = "not an image file"
UNREADABLE = "cannot be opened as an image"
MISSING = "image file not found"
OUTSIDE = "not inside a class subfolder"


@dataclass
class ImageList:
    """Images found in one source (a folder or a table): absolute paths with their class, and
    the files left out, by reason."""

    source: Path
    paths: list = field(default_factory=list)
    labels: list = field(default_factory=list)
    sizes: list = field(default_factory=list)     # (width, height), once checked
    skipped: dict = field(default_factory=dict)   # reason -> names (relative to the source)
    notes: list = field(default_factory=list)
    warnings: list = field(default_factory=list)

    def skip(self, reason: str, name: str) -> None:
        self.skipped.setdefault(reason, []).append(name)

    @property
    def files_read(self) -> int:
        return len(self.paths) + sum(len(names) for names in self.skipped.values())


def is_image_name(path: Path) -> bool:
    return path.suffix.lower() in IMAGE_SUFFIXES


def _hidden(path: Path, root: Path) -> bool:
    """.DS_Store, ._ files, .git: what file managers and tools leave beside the images."""
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def list_folder(folder: str | Path) -> ImageList:
    """The images of a folder with one subfolder per class (nested folders inside a class
    belong to it). Nothing is opened here; refuses a folder that is not laid out by class."""
    root = Path(folder).expanduser()
    if not root.is_dir():
        raise UserError("missing_file", message("error.image_folder_missing", path=str(root)),
                        message("fix.image_folder_missing"))
    found = ImageList(root)
    classes = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
    loose = sorted(p for p in root.iterdir() if p.is_file() and not p.name.startswith("."))
    for path in loose:
        if is_image_name(path):
            found.skip(OUTSIDE, path.name)
    if len(classes) < 2:
        _refuse_layout(root, classes, [p for p in loose if is_image_name(p)])
    empty = []
    for folder_of_class in classes:
        files = sorted(p for p in folder_of_class.rglob("*") if p.is_file()
                       and not _hidden(p, root))
        images = [p for p in files if is_image_name(p)]
        for path in files:
            if not is_image_name(path):
                found.skip(NOT_IMAGE, str(path.relative_to(root)))
        if not images:
            empty.append(folder_of_class.name)
        found.paths += [str(p.resolve()) for p in images]
        found.labels += [folder_of_class.name] * len(images)
    if empty:
        found.warnings.append(message(
            "data.empty_class_folder" if len(empty) == 1 else "data.empty_class_folders",
            folders=counted(len(empty), "class folder"), root=root.name, names=some(empty)))
    return found


def _refuse_layout(root: Path, classes: list[Path], loose_images: list[Path]) -> None:
    fix = ("Put each class's images in a subfolder named after the class (for example "
           f"{root.name}/cats/ and {root.name}/dogs/), with at least two classes; or list the "
           "images in a CSV with an image path column and a label column.")
    if classes:
        held = f"only one subfolder ({classes[0].name})"
    else:
        held = "no subfolders"
        if loose_images:
            held += f" but {counted(len(loose_images), 'image')} directly inside it"
    raise UserError("too_few_classes", f"The image folder {root.name} has {held}: image "
                    "classification reads one subfolder per class, and needs at least two "
                    "classes to tell apart.", fix)


def list_table(rows, image_column: str, label_column: str, table_path: Path) -> ImageList:
    """The images a table lists (``rows``: a frame of its image and label columns, blanks
    already dropped). Paths are relative to the table's folder, or absolute; files that do not
    exist are left out and named."""
    found = ImageList(table_path)
    base = table_path.expanduser().resolve().parent
    for image, label in zip(rows[image_column], rows[label_column]):
        path = Path(str(image).strip()).expanduser()
        path = path if path.is_absolute() else base / path
        if path.is_file():
            found.paths.append(str(path.resolve()))
            found.labels.append(label)
        else:
            found.skip(MISSING, str(image).strip())
    return found


def check_images(images: ImageList, progress=lambda done, total: None) -> ImageList:
    """Keep the images that open: the header is read and the file's structure verified (PNG
    chunks and checksums, GIF frames), without decoding the pixels (about 0.1 ms a JPEG, 1 ms a
    PNG). A file damaged beyond that is named when a batch decodes it."""
    from PIL import Image

    kept = ImageList(images.source, skipped={k: list(v) for k, v in images.skipped.items()},
                     notes=list(images.notes), warnings=list(images.warnings))
    for i, (path, label) in enumerate(zip(images.paths, images.labels)):
        try:
            with Image.open(path) as image:
                size = image.size
                image.verify()
        except Exception as exc:  # noqa: BLE001 - Pillow raises many types for bad files
            kept.skip(UNREADABLE, f"{_name(path, images.source)} ({type(exc).__name__})")
            continue
        kept.paths.append(path)
        kept.labels.append(label)
        kept.sizes.append(size)
        if i % 500 == 0:
            progress(i, len(images.paths))
    return kept


def _name(path: str, source: Path) -> str:
    root = source if source.is_dir() else source.parent
    try:
        return str(Path(path).relative_to(root.resolve()))
    except ValueError:
        return path


def skipped_messages(images: ImageList, what: str) -> tuple[list[str], list[str]]:
    """(notes, warnings) naming a few of the files left out, per reason."""
    notes, warnings = [], []
    what = known(what)
    for reason, names in images.skipped.items():
        plural = "" if len(names) == 1 else "s"
        if reason == NOT_IMAGE:
            notes.append(message("data.not_image" + plural, files=counted(len(names), "file"),
                                 what=what, suffixes=", ".join(IMAGE_SUFFIXES),
                                 names=some(names)))
        elif reason == OUTSIDE:
            warnings.append(message("data.outside_image" + plural,
                                    images=counted(len(names), "image"), what=what,
                                    names=some(names)))
        elif reason == UNREADABLE:
            warnings.append(message("data.unreadable_image" + plural,
                                    files=counted(len(names), "file"), what=what,
                                    names=some(names)))
        elif reason == MISSING:
            warnings.append(message("data.missing_image" + plural,
                                    paths=counted(len(names), "image path"), what=what,
                                    names=some(names)))
    return notes, warnings


def some(names, limit: int = SHOWN) -> str:
    names = [str(name) for name in names]
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit:,} more" if len(names) > limit else "")


def samples_per_class(paths, labels, per_class: int = SAMPLES_PER_CLASS) -> dict:
    """A few image paths of each class (the data report's thumbnails), in label order."""
    samples: dict[str, list[str]] = {}
    for path, label in zip(paths, labels):
        chosen = samples.setdefault(str(label), [])
        if len(chosen) < per_class:
            chosen.append(str(path))
    return dict(sorted(samples.items()))


def size_note(sizes: list, processor) -> str:
    """The range of image sizes and the size the processor makes of them."""
    if not sizes:
        return ""
    areas = sorted(sizes, key=lambda s: s[0] * s[1])
    small, middle, large = areas[0], areas[len(areas) // 2], areas[-1]
    target = processed_size(processor)
    text = (f"Image sizes from {small[0]}×{small[1]} to {large[0]}×{large[1]} (median "
            f"{middle[0]}×{middle[1]})")
    return text + (f"; the model's image processor resizes them to {target}." if target
                   else ".")


def processed_size(processor) -> str:
    """What the processor makes of an image ("224×224"), or "" when it does not say."""
    size = getattr(processor, "crop_size", None) if getattr(processor, "do_center_crop",
                                                            False) else None
    size = size or getattr(processor, "size", None) or {}

    def part(name):  # a dict in older transformers, a SizeDict in newer ones
        return size.get(name) if isinstance(size, dict) else getattr(size, name, None)

    if part("height") and part("width"):
        return f"{part('width')}×{part('height')}"
    if part("shortest_edge"):
        return f"{part('shortest_edge')} pixels on the shorter side"
    return ""


def open_rgb(path: str | Path):
    """An image file as RGB pixels, turned upright as its EXIF orientation says (phone photos),
    or a UserError naming the file."""
    from PIL import Image, ImageOps

    try:
        with Image.open(path) as image:
            image = ImageOps.exif_transpose(image)
            return image.convert("RGB")
    except FileNotFoundError:
        raise UserError("missing_file", f"The image {path} does not exist.",
                        "Check the path and choose the file again.") from None
    except Exception as exc:  # noqa: BLE001 - Pillow raises many types for bad files
        raise UserError("bad_image", f"The image {path} cannot be read ({type(exc).__name__}: "
                        f"{str(exc)[:160]}).", "Remove or replace the file (open it in an image "
                        "viewer to check it), then start again.") from None


class ProcessImages:
    """A dataset transform: decode a batch's image files and run the image processor, so only
    the images of the current batch are ever in memory."""

    def __init__(self, processor):
        self.processor = processor

    def __call__(self, batch: dict) -> dict:
        images = [open_rgb(path) for path in batch["image"]]
        pixels = self.processor(images, return_tensors="pt")["pixel_values"]
        return {"pixel_values": pixels, "labels": list(batch["labels"])}


def image_dataset(paths: list, labels: list, processor):
    """A datasets.Dataset of image paths, class ids and a constant ``length`` (the recipe's
    length-grouped sampler needs one; every image costs the same), decoded lazily."""
    import datasets

    dataset = datasets.Dataset.from_dict({"image": [str(p) for p in paths],
                                          "labels": [int(x) for x in labels],
                                          "length": [1] * len(paths)})
    dataset.set_transform(ProcessImages(processor))
    return dataset


def probe_images():
    """Three fixed 64×64 pictures (a colour gradient, its negative, a checkerboard) that
    core.verify feeds an export and the trained model alike."""
    import numpy as np
    from PIL import Image

    y, x = np.mgrid[0:64, 0:64]
    gradient = np.stack([x * 4, y * 4, (x + y) * 2], axis=-1).astype(np.uint8)
    checker = ((((x // 8) + (y // 8)) % 2) * 255).astype(np.uint8)
    return [Image.fromarray(gradient), Image.fromarray(255 - gradient),
            Image.fromarray(np.stack([checker, 255 - checker, checker], axis=-1))]
