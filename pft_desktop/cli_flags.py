"""Command-line flags generated from the run config dataclasses, plus ``--set SECTION.FIELD=VALUE``.

The dataclasses in core/config.py are the one source of truth: every field becomes a flag whose
help is the field's help and whose default is shown, grouped by config section, so a new field
reaches the command line without a change here. Values go through ``RunConfig.from_dict``, the
same coercion and type checks a config file gets; ranges and choices are checked by
``RunConfig.validate`` before training, as for a config file.
"""

from __future__ import annotations

import argparse
import difflib
from dataclasses import MISSING, fields

from pft_desktop.core.config import RunConfig
from pft_desktop.core.errors import UserError

# The short names the command line has always had; every other field is named after itself.
ALIASES = {("model", "name_or_path"): "model", ("data", "train_file"): "data",
           ("data", "validation_file"): "validation-data", ("task", "kind"): "task",
           ("method", "kind"): "method"}
TRUE, FALSE = ("true", "yes", "on", "1"), ("false", "no", "off", "0")
KIND_WORDS = {int: "a whole number", float: "a number", bool: "true or false"}


def config_fields() -> list[tuple[str, object]]:
    """(section, dataclass field) for every setting of a run, in config-file order."""
    sections = {spec.name: spec.default_factory for spec in fields(RunConfig)}
    return [(section, spec) for section in RunConfig.SECTIONS
            for spec in fields(sections[section])]


def flag_names() -> dict[tuple[str, str], str]:
    """The flag of each (section, field); a name two sections share gets its section prefixed."""
    names, taken = {}, set()
    for section, spec in config_fields():
        name = ALIASES.get((section, spec.name)) or spec.name.replace("_", "-")
        if name in taken:
            name = f"{section}-{name}"
        taken.add(name)
        names[(section, spec.name)] = "--" + name
    return names


def _default(spec):
    return spec.default if spec.default is not MISSING else spec.default_factory()


def _shown(value) -> str:
    if isinstance(value, bool):
        return "on" if value else "off"
    if value in ("", []):
        return "empty"
    return ",".join(value) if isinstance(value, list) else str(value)


def parse_text(spec, text: str):
    """A command-line string as the field's type; lists and strings stay text for the config's
    own coercion. Raises ValueError with the kind of value expected ("a whole number")."""
    kind = type(_default(spec))
    if kind is bool:
        if text.strip().lower() in TRUE + FALSE:
            return text.strip().lower() in TRUE
    elif kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    else:
        return text
    raise ValueError(KIND_WORDS[kind])


def _flag_type(spec):
    def parse(text: str):
        try:
            return parse_text(spec, text)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(f"{text!r} is not {exc}") from None
    parse.__name__ = type(_default(spec)).__name__  # argparse names it in its messages
    return parse


def _metavar(spec) -> str | None:
    choices = [c for c in spec.metadata.get("choices") or () if c]
    if choices:
        return "{" + ",".join(choices) + "}"
    kind = type(_default(spec))
    if spec.name.endswith("_file") or spec.name == "name_or_path":
        return "PATH"
    if spec.name.endswith("_column"):
        return "COLUMN"
    return {int: "N", float: "X", list: "A,B"}.get(kind, "TEXT")


def add_config_flags(parser: argparse.ArgumentParser, shown: RunConfig) -> None:
    """One flag per config field, in an argument group per section; ``shown`` supplies the
    defaults printed in the help. Every flag defaults to None, so a flag left out never
    overrides a --config file."""
    names = flag_names()
    groups = {}
    for section, spec in config_fields():
        if section not in groups:
            groups[section] = parser.add_argument_group(
                section, f"The [{section}] section of a config file; also "
                f"--set {section}.FIELD=VALUE.")
        key = f"{section}.{spec.name}"
        default = _shown(getattr(getattr(shown, section), spec.name))
        text = spec.metadata.get("help", "").replace("%", "%%")
        if (section, spec.name) in ALIASES:
            text += f" [{key}]"
        text += f" (default: {default})"
        kind = type(_default(spec))
        options = {"dest": key, "default": None, "help": text}
        if kind is bool:
            options["action"] = argparse.BooleanOptionalAction
        else:
            options.update(type=_flag_type(spec), metavar=_metavar(spec))
            if spec.metadata.get("choices"):
                options["choices"] = spec.metadata["choices"]
        groups[section].add_argument(names[(section, spec.name)], **options)
    parser.add_argument(
        "--set", action="append", default=[], metavar="SECTION.FIELD=VALUE",
        help="set any config field, for example --set training.save_steps=10 (a list as a,b; "
        "true/false for switches); applied after the flags, in order (default: none)")


def given_flags(args: argparse.Namespace) -> list[str]:
    """The config flags (and --set items) this command line gave, as the user wrote them."""
    given = [flag for (section, name), flag in flag_names().items()
             if getattr(args, f"{section}.{name}", None) is not None]
    return given + [f"--set {item}" for item in getattr(args, "set", [])]


def apply_flags(config: RunConfig, args: argparse.Namespace) -> RunConfig:
    """``config`` with the given flags, then each --set, applied; unset flags change nothing."""
    data = config.to_dict()
    for section, spec in config_fields():
        value = getattr(args, f"{section}.{spec.name}", None)
        if value is not None:
            data[section][spec.name] = value
    for item in getattr(args, "set", []):
        section, name, value = parse_setting(item)
        data[section][name] = value
    return RunConfig.from_dict(data)


def parse_setting(item: str) -> tuple[str, str, object]:
    """``section.field=value`` as (section, field, typed value), or a UserError naming the
    problem: no '=', an unknown section or field (with the nearest names), or a bad value."""
    key, sep, text = item.partition("=")
    key = key.strip()
    known = {f"{section}.{spec.name}": spec for section, spec in config_fields()}
    if not sep:
        raise UserError("invalid_setting", f"--set {item}: there is no '=' in it.",
                        "Write --set SECTION.FIELD=VALUE, for example "
                        "--set training.save_steps=10.")
    if key not in known:
        near = difflib.get_close_matches(key, known, n=3)
        section = key.partition(".")[0]
        same = [k.partition(".")[2] for k in known if k.startswith(section + ".")]
        hint = (f"Did you mean {' or '.join(near)}? " if near else "") + (
            f"The settings of [{section}] are: {', '.join(same)}." if same else
            f"The sections are: {', '.join(RunConfig.SECTIONS)}.")
        raise UserError("invalid_setting", f"--set {item}: the run config has no setting "
                        f"'{key}'.", hint)
    spec = known[key]
    try:
        value = parse_text(spec, text)
    except ValueError as exc:
        example = _default(spec)
        example = str(example).lower() if isinstance(example, bool) else example
        raise UserError("invalid_setting", f"--set {item}: {key} takes {exc}, and {text!r} is "
                        "not one.", f"Write for example --set {key}={example}.") from None
    section, _, name = key.partition(".")
    return section, name, value
