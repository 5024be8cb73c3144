"""``pft-desktop doctor``: is this machine set up to fine-tune? One report for the person and for
bug reports: each check has a status (ok / warning / problem / skipped), a one-line finding, the
fix for what is wrong (the exact command where there is one) and the facts behind it.

This module holds the report and the Python and package checks; ``doctor_system`` checks disk
space, the hub and Qt, and ``doctor_torch`` the checks that import torch. Nothing heavy is
imported at module level: the CLI parser imports this module for every command.
"""

from __future__ import annotations

import os
import platform
import shlex
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

SCHEMA = 1
STATUSES = ("ok", "warning", "problem", "skipped")
CHECKS = {"python": "Python", "packages": "Packages", "torch": "PyTorch",
          "devices": "Devices", "bitsandbytes": "bitsandbytes 4-bit",
          "accelerate": "accelerate", "runs_folder": "Runs folder disk",
          "hub_cache": "Hub cache disk", "hub": "Hugging Face hub", "qt": "Qt platform"}
GIB = 1024 ** 3


@dataclass
class Check:
    """One line of the report. ``fix`` is set for warnings and problems."""

    title: str
    status: str
    finding: str
    fix: str | None = None
    facts: dict = field(default_factory=dict)


def gib(n: float) -> str:
    return f"{n / GIB:.1f} GiB"


def pip_install(specs: list[str], constraints: Path | None = None) -> str:
    """The pip command for this interpreter; with the constraints file, so that installing one
    package cannot pull another (torch, say) to an untested version."""
    return shlex.join([sys.executable, "-m", "pip", "install",
                       *(["-c", str(constraints)] if constraints else []), *specs])


# -- the report ---------------------------------------------------------------------------------
def run_doctor(constraints: str | Path | None = None, skip=(), progress=None) -> dict:
    """Every check, in CHECKS order, as one JSON-ready dict. The 4-bit check runs in a child
    process started first, so it overlaps the others. A check that fails is a problem in the
    report, never an exception."""
    from pft_desktop import __version__
    from pft_desktop.core import doctor_system, doctor_torch

    say = progress or (lambda text: None)
    found = find_constraints(constraints)
    four_bit = {}
    if "bitsandbytes" not in skip:
        worker = threading.Thread(target=lambda: four_bit.update(
            check=_safely(doctor_torch.check_bitsandbytes, found)), daemon=True)
        worker.start()
    functions = {"python": check_python, "packages": lambda: check_packages(found),
                 "torch": lambda: doctor_torch.check_torch(found),
                 "devices": doctor_torch.check_devices,
                 "accelerate": doctor_torch.check_accelerate,
                 "runs_folder": doctor_system.check_runs_folder,
                 "hub_cache": doctor_system.check_hub_cache, "hub": doctor_system.check_hub,
                 "qt": doctor_system.check_qt}
    checks = {}
    for key, title in CHECKS.items():
        if key in skip:
            checks[key] = Check(title, "skipped", "Skipped on request (--skip).")
            continue
        say(f"Checking {title}…")
        if key == "bitsandbytes":
            worker.join()
            checks[key] = four_bit["check"]
        else:
            checks[key] = _safely(functions[key])
        checks[key].title = title
    counts = {status: sum(c.status == status for c in checks.values()) for status in STATUSES}
    worst = next((s for s in ("problem", "warning") if counts[s]), "ok")
    return {"type": "doctor", "schema": SCHEMA, "pft_desktop": __version__,
            "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "status": worst, "counts": counts,
            "checks": {key: asdict(check) for key, check in checks.items()}}


def _safely(function, *args) -> Check:
    try:
        return function(*args)
    except Exception as exc:  # noqa: BLE001 - a broken check is a finding, not a crash
        return Check("", "problem", f"The check itself failed: {type(exc).__name__}: "
                     f"{str(exc)[:300]}", "Please report this with the output of "
                     "`pft-desktop doctor --json`.")


def in_order(report: dict) -> dict:
    """The report with its keys in the order ``run_doctor`` gives them (a trip through a Qt
    signal sorts dict keys)."""
    first = ["type", "schema", "pft_desktop", "created", "status", "counts", "checks"]
    ordered = {**{k: report[k] for k in first if k in report}, **report}
    if isinstance(report.get("counts"), dict):
        ordered["counts"] = {**{s: report["counts"][s] for s in STATUSES
                                if s in report["counts"]}, **report["counts"]}
    checks = report.get("checks", {})
    fields = ["title", "status", "finding", "fix", "facts"]
    ordered["checks"] = {key: {**{f: checks[key][f] for f in fields if f in checks[key]},
                               **checks[key]}
                         for key in [*[k for k in CHECKS if k in checks], *checks]}
    return ordered


def exit_code(report: dict) -> int:
    return 1 if report["counts"]["problem"] else 0


def report_text(report: dict) -> str:
    """The report as a person reads it in a terminal or an issue."""
    counts = report["counts"]
    lines = [f"pft-desktop {report['pft_desktop']} doctor: "
             f"{_plural(counts['problem'], 'problem')}, {_plural(counts['warning'], 'warning')}"
             + (f", {counts['skipped']} skipped" if counts["skipped"] else "")]
    for check in report["checks"].values():
        lines.append(f"  {check['status']:<8} {check['title']:<19} {check['finding']}")
        if check["fix"]:
            indent = "\n" + " " * 36
            lines.append(" " * 31 + "fix: " + check["fix"].replace("\n", indent))
    return "\n".join(lines)


def _plural(n: int, word: str) -> str:
    return f"{n or 'no'} {word}{'' if n == 1 else 's'}"


# -- Python and packages ------------------------------------------------------------------------
def check_python() -> Check:
    from importlib import metadata

    from packaging.specifiers import SpecifierSet

    version = platform.python_version()
    try:
        needed = metadata.metadata("pft-desktop")["Requires-Python"] or ""
    except metadata.PackageNotFoundError:
        needed = ">=3.10"
    facts = {"version": version, "implementation": platform.python_implementation(),
             "executable": sys.executable, "platform": platform.platform(),
             "machine": platform.machine(), "requires": needed}
    where = f"{platform.python_implementation()} {version} at {sys.executable}"
    if needed and version not in SpecifierSet(needed):
        return Check("", "problem", f"{where}: pft-desktop needs Python {needed}.",
                     f"Install a Python {needed} and create the environment with it.", facts)
    return Check("", "ok", f"{where} ({platform.system()} {platform.machine()}).", None, facts)


def find_constraints(given: str | Path | None = None) -> Path | None:
    """The tested versions: a file given (--constraints or $PFT_CONSTRAINTS), else the
    checkout's packaging/constraints.txt, else a copy inside the installed package."""
    explicit = given or os.environ.get("PFT_CONSTRAINTS")
    if explicit:
        return Path(explicit).expanduser()
    package = Path(__file__).resolve().parent.parent
    for path in (package.parent / "packaging" / "constraints.txt", package / "constraints.txt",
                 package / "assets" / "constraints.txt"):
        if path.is_file():
            return path
    return None


def read_pins(path: Path) -> dict[str, str]:
    """name (normalised) -> version for each ``name==version`` line that applies here."""
    from packaging.markers import Marker
    from packaging.utils import canonicalize_name

    pins = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        spec, _, marker = line.split("#")[0].partition(";")
        name, sep, version = spec.partition("==")
        if sep and (not marker.strip() or Marker(marker.strip()).evaluate()):
            pins[canonicalize_name(name.strip())] = version.strip()
    return pins


def installed_versions() -> dict[str, str]:
    from importlib import metadata

    from packaging.utils import canonicalize_name

    versions = {}
    for dist in metadata.distributions():
        name = dist.metadata["Name"]
        if name:
            versions.setdefault(canonicalize_name(name), dist.version)
    return versions


def check_packages(constraints: Path | None) -> Check:
    """Installed versions against pft-desktop's requirements (a problem when unmet) and the
    tested constraints (a warning when different; local labels such as +cu128 ignored)."""
    from importlib import metadata

    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name
    from packaging.version import InvalidVersion, Version

    installed = installed_versions()
    unmet = []
    try:
        requires = metadata.requires("pft-desktop") or []
    except metadata.PackageNotFoundError:
        requires = []
    for text in requires:
        req = Requirement(text)
        if req.marker and not req.marker.evaluate({"extra": ""}):
            continue
        have = installed.get(canonicalize_name(req.name))
        if have is None or not req.specifier.contains(have, prereleases=True):
            unmet.append(f"{req.name}{req.specifier} (installed: {have or 'none'})")
    facts = {"constraints": str(constraints) if constraints else None, "unmet": unmet,
             "differ": {}, "versions": {name: installed.get(canonicalize_name(name)) for name in
                                        ("torch", "transformers", "peft", "accelerate",
                                         "bitsandbytes", "datasets", "trl", "huggingface_hub",
                                         "pyside6-essentials", "pyqtgraph", "pft-desktop")}}
    if constraints is not None and not constraints.is_file():
        return Check("", "problem", f"The constraints file {constraints} does not exist.",
                     "Give an existing file to --constraints (or $PFT_CONSTRAINTS).", facts)
    pins = read_pins(constraints) if constraints else {}
    for name, pin in pins.items():
        have = installed.get(name)
        try:
            same = have is None or Version(have).public == Version(pin).public
        except InvalidVersion:
            same = have == pin
        if not same:
            facts["differ"][name] = {"installed": have, "tested": pin}
    if unmet:
        fixes = [req.split("(")[0].strip() for req in unmet]
        return Check("", "problem", f"pft-desktop's requirements are not met: "
                     f"{'; '.join(unmet)}.", pip_install(fixes, constraints), facts)
    differ = facts["differ"]
    if differ:
        shown = ", ".join(f"{name} {v['installed']} (tested {v['tested']})"
                          for name, v in list(differ.items())[:5])
        more = f" and {len(differ) - 5} more" if len(differ) > 5 else ""
        return Check("", "warning", f"{len(differ)} installed version"
                     f"{'s differ' if len(differ) > 1 else ' differs'} from the tested ones: "
                     f"{shown}{more}.", pip_install([f"{name}=={v['tested']}" for name, v in
                                                     differ.items()], constraints), facts)
    if constraints is None:
        return Check("", "skipped", "Requirements met; the tested versions (constraints.txt) "
                     "were not found, so versions were not compared with them.",
                     "Point at the file: pft-desktop doctor --constraints FILE (or set "
                     "PFT_CONSTRAINTS).", facts)
    return Check("", "ok", f"Requirements met, and the {len(pins)} pinned packages match the "
                 f"tested versions ({constraints}).", None, facts)
