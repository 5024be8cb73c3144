"""Data files made of records rather than lines of text: JSON Lines, JSON, Parquet and Excel
workbooks, read into datasets of strings. Nested records become ``a.b`` columns, lists their
JSON text, and a broken JSON line is named by its number."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

from pft_desktop.core.errors import UserError
from pft_desktop.core.files import (
    binary_kind,
    inner_suffix,
    open_bytes,
    quiet_datasets,
    read_head,
    refuse_binary,
    unreadable,
)


# -- JSON, JSON Lines and Parquet ----------------------------------------------------------------

def load_records(path: Path, fmt: str) -> tuple[object, list[str]]:
    """A JSON Lines, JSON or Parquet file as a dataset of strings. Nested records are flattened
    into ``a.b`` columns; lists become their JSON text."""
    import datasets

    notes = []
    if fmt == "json":
        head = read_head(path)
        kind = binary_kind(head)
        if kind:
            raise refuse_binary(path, kind)
    try:
        with quiet_datasets():
            dataset = datasets.load_dataset(fmt, data_files=str(path), split="train")
    except Exception as exc:
        if "corresponds to no data" in str(exc):
            raise UserError("empty_file", f"{path.name} holds no records.",
                            "Choose a file with data in it.") from None
        if fmt == "json":
            raise _explain_json(path, exc) from None
        raise unreadable(path, exc) from None
    try:
        dataset, note = _records_under_a_key(path, dataset)
    except Exception as exc:
        raise unreadable(path, exc) from None
    notes += note
    return _to_strings(path, dataset, notes), notes


def _records_under_a_key(path: Path, dataset):
    """A .json file such as {"data": [{...}, {...}]} reads as one row holding a list; the
    records are that list."""
    import datasets

    if len(dataset) != 1 or inner_suffix(path) != ".json":
        return dataset, []
    lists = [name for name, feature in dataset.features.items()
             if isinstance(feature, (datasets.List, datasets.LargeList)) and
             isinstance(feature.feature, dict)]
    if len(lists) != 1:
        return dataset, []
    with quiet_datasets():
        records = datasets.load_dataset("json", data_files=str(path), split="train",
                                        field=lists[0])
    return records, [f"{path.name} holds one object; its records were read from its "
                     f"'{lists[0]}' list ({len(records):,} records)."]


def _to_strings(path: Path, dataset, notes: list[str]):
    """Flatten nested records and make every column text: numbers as they are written,
    lists and other nested values as JSON."""
    import datasets

    nested = [name for name, feature in dataset.features.items() if isinstance(feature, dict)]
    if nested:
        dataset = dataset.flatten()
        notes.append(f"Nested fields of {path.name} became one column each, named "
                     f"'field.subfield' (from {', '.join(repr(n) for n in nested)}).")
    as_json = [name for name, feature in dataset.features.items()
               if not isinstance(feature, datasets.Value)]
    casts = {name: datasets.Value("string") for name, feature in dataset.features.items()
             if isinstance(feature, datasets.Value) and feature.dtype != "string"}
    if casts:
        dataset = dataset.cast(datasets.Features({**dataset.features, **casts}))
    if as_json:
        features = datasets.Features({name: datasets.Value("string") if name in as_json
                                      else feature for name, feature in dataset.features.items()})

        def dump(batch):
            return {name: [None if value is None else json.dumps(value, ensure_ascii=False,
                                                                  default=str)
                           for value in batch[name]] for name in as_json}

        dataset = dataset.map(dump, batched=True, features=features, desc="Reading lists")
        notes.append(f"In {path.name}, the list column{'s' if len(as_json) > 1 else ''} "
                     f"{', '.join(repr(n) for n in as_json)} "
                     f"{'are' if len(as_json) > 1 else 'is'} read as JSON text.")
    return dataset


def _explain_json(path: Path, exc: BaseException) -> UserError:
    """Find the first line that is not JSON and name it."""
    broken, first = 0, None
    try:
        with open_bytes(path) as handle:
            for number, raw in enumerate(handle, start=1):
                line = raw.decode("utf-8-sig" if number == 1 else "utf-8", "replace").strip()
                if not line:
                    continue
                try:
                    value = json.loads(line)
                except ValueError as error:
                    broken += 1
                    first = first or (number, str(error).split(":")[0])
                    continue
                if not isinstance(value, dict):
                    broken += 1
                    first = first or (number, f"it is {_json_kind(value)}")
    except OSError:
        pass
    if first is None or (broken and _whole_file_is_json(path)):
        return unreadable(path, exc)
    number, error = first
    more = f" ({broken:,} lines are broken in all)" if broken > 1 else ""
    return UserError("bad_json", f"{path.name} is not valid JSON Lines: line {number} is not "
                     f"a JSON object ({error}){more}.",
                     f"Fix or remove line {number} (each line must be one complete JSON object), "
                     "or export the file again.")


def _json_kind(value) -> str:
    if isinstance(value, bool) or value is None:
        return "true, false or null"
    return {int: "a number", float: "a number", str: "a string", list: "a list"}.get(
        type(value), type(value).__name__)


def _whole_file_is_json(path: Path) -> bool:
    try:
        with open_bytes(path) as handle:
            json.loads(handle.read().decode("utf-8-sig"))
        return True
    except (ValueError, OSError):
        return False


# -- Excel ---------------------------------------------------------------------------------------

def read_excel_rows(path: Path) -> tuple[list[list[str]], list[str]]:
    """The first worksheet's rows as strings (numbers written as a person would: 3, not 3.0),
    with a note when the workbook has more sheets."""
    try:
        import openpyxl
    except ImportError:
        raise UserError("unsupported_format", f"{path.name} is an Excel workbook and the "
                        "Excel reader (openpyxl) is not installed.", "Install it with "
                        "`pip install openpyxl`, or save the sheet as CSV (UTF-8).") from None
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:
        raise UserError("unreadable", f"{path.name} could not be opened as an Excel workbook "
                        f"({type(exc).__name__}: {str(exc)[:200]}).", "Open it in its "
                        "spreadsheet program and save it again as .xlsx, or as CSV (UTF-8).") \
            from None
    try:
        sheet, notes = book.worksheets[0], []
        if len(book.worksheets) > 1:
            others = ", ".join(repr(s.title) for s in book.worksheets[1:])
            notes.append(f"{path.name} has {len(book.worksheets)} sheets; the first, "
                         f"'{sheet.title}', was read (not {others}). To use another, move it "
                         "first or save it as CSV.")
        rows = [[_cell_text(value) for value in row]
                for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()
    while rows and not any(cell.strip() for cell in rows[-1]):
        rows.pop()
    return rows, notes


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.isoformat(sep=" ") if value.time() != datetime.time() \
            else value.date().isoformat()
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    return str(value)
