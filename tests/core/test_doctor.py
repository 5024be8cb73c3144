"""pft-desktop doctor: every check reports this machine's real facts, and what is wrong (a pin
that differs, a 4-bit check that crashes or hangs, a full disk) becomes a finding with its fix,
never a crash of the doctor."""

import json
import os
import platform
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest

from pft_desktop.cli import main
from pft_desktop.core import doctor, doctor_system, doctor_torch
from pft_desktop.core.doctor import CHECKS, STATUSES

ACCELERATE_CONFIG = {"compute_environment": "LOCAL_MACHINE", "distributed_type": "MULTI_GPU",
                     "num_processes": 2, "mixed_precision": "bf16"}
ONLY_PYTHON = ["--skip", ",".join(key for key in CHECKS if key != "python")]


@pytest.fixture(scope="module")
def cli_run(tmp_path_factory):
    """One real `pft-desktop doctor --json`, as a bug report runs it, with its own runs root and
    HF_HOME (where accelerate looks for its default config, written here)."""
    home = tmp_path_factory.mktemp("hf_home")
    (home / "accelerate").mkdir()
    (home / "accelerate" / "default_config.yaml").write_text(
        "".join(f"{key}: {value}\n" for key, value in ACCELERATE_CONFIG.items()))
    runs = tmp_path_factory.mktemp("runs") / "not-yet"
    env = {k: v for k, v in os.environ.items() if k not in ("HF_HUB_CACHE", "PFT_CONSTRAINTS")}
    env.update(PFT_RUNS_ROOT=str(runs), HF_HOME=str(home))
    result = subprocess.run([sys.executable, "-m", "pft_desktop", "doctor", "--json"],
                            capture_output=True, text=True, env=env, timeout=600)
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1, result.stdout + result.stderr  # one object, one line
    return result, json.loads(lines[0]), runs, home


def test_report_has_every_check_and_the_machines_real_facts(cli_run):
    import psutil
    import torch

    result, report, runs, home = cli_run
    assert list(report) == ["type", "schema", "pft_desktop", "created", "status", "counts",
                            "checks"]
    assert list(report["checks"]) == list(CHECKS)
    for key, check in report["checks"].items():
        assert set(check) == {"title", "status", "finding", "fix", "facts"}, key
        assert check["status"] in STATUSES and check["finding"], key
        if check["status"] in ("warning", "problem"):
            assert check["fix"], f"{key} is {check['status']} without a fix"
    checks = report["checks"]
    python = checks["python"]["facts"]
    assert python["version"] == ".".join(map(str, sys.version_info[:3]))
    assert python["executable"] == sys.executable
    cpu = checks["devices"]["facts"]["cpu"]
    assert cpu["cores"] == os.cpu_count()
    assert cpu["ram_total_bytes"] == psutil.virtual_memory().total
    assert checks["torch"]["facts"]["version"] == torch.__version__
    assert checks["packages"]["facts"]["versions"]["transformers"] == \
        metadata.version("transformers")
    assert checks["runs_folder"]["facts"]["path"] == str(runs)
    assert checks["runs_folder"]["facts"]["measured_at"] == str(runs.parent)  # nearest existing
    assert checks["runs_folder"]["facts"]["free_bytes"] > 0
    assert checks["hub_cache"]["facts"]["path"] == str(home / "hub")
    assert checks["hub"]["status"] in ("ok", "warning", "skipped")  # offline is not a problem
    if checks["hub"]["status"] == "warning":
        assert checks["hub"]["finding"].startswith("offline")


def test_exit_code_is_one_exactly_when_a_check_is_a_problem(cli_run):
    result, report, _, _ = cli_run
    problems = [key for key, check in report["checks"].items() if check["status"] == "problem"]
    assert report["counts"]["problem"] == len(problems)
    assert result.returncode == (1 if problems else 0), problems
    assert report["status"] == ("problem" if problems else
                                "warning" if report["counts"]["warning"] else "ok")
    assert "· Checking Python" in result.stderr  # progress for the app's dialog


def test_accelerate_default_config_is_read_from_accelerates_own_location(cli_run):
    import torch

    _, report, _, home = cli_run
    check = report["checks"]["accelerate"]
    assert check["facts"]["config_file"] == str(home / "accelerate" / "default_config.yaml")
    assert check["facts"]["config"] == ACCELERATE_CONFIG
    gpus = torch.cuda.device_count() if torch.cuda.is_available() else 0
    assert check["status"] == ("warning" if gpus < 2 else "ok")
    assert "MULTI_GPU" in check["finding"]


def test_accelerate_without_a_config_says_none():
    check = doctor_torch.check_accelerate()
    exists = Path(check.facts["config_file"]).is_file()
    assert check.facts["exists"] == exists
    assert ("default config: none" in check.finding) == (not exists)


def test_bitsandbytes_check_reports_its_real_outcome_here(cli_run):
    import torch

    check = cli_run[1]["checks"]["bitsandbytes"]
    print(check["finding"])
    if platform.system() == "Darwin":
        assert check["status"] == "skipped"
        return
    facts = check["facts"]
    assert facts["version"] == metadata.version("bitsandbytes")
    assert facts["device"] == ("cuda" if torch.cuda.is_available() else "cpu")
    if facts.get("ok"):
        assert check["status"] == "ok"
        assert max(facts["forward_error"], facts["gradient_error"], facts["eval_error"],
                   facts["gradient_after_eval_error"]) < doctor_torch.FOUR_BIT_TOLERANCE
    else:
        assert check["status"] == "problem" and "LoRA" in check["fix"]


@pytest.mark.skipif(platform.system() == "Darwin", reason="no bitsandbytes on macOS")
def test_a_crashing_4bit_check_is_a_problem_not_a_crash(monkeypatch):
    segfault = [sys.executable, "-c", "import ctypes; ctypes.string_at(0)"]
    monkeypatch.setattr(doctor_torch, "four_bit_command", lambda: segfault)
    report = doctor.run_doctor(skip=[key for key in CHECKS if key != "bitsandbytes"])
    check = report["checks"]["bitsandbytes"]
    assert check["status"] == "problem", check
    assert "crashed (SIGSEGV)" in check["finding"]
    assert "LoRA" in check["fix"] and "pip install" in check["fix"]
    assert doctor.exit_code(report) == 1


@pytest.mark.skipif(platform.system() == "Darwin", reason="no bitsandbytes on macOS")
def test_a_hanging_4bit_check_is_stopped_and_reported(monkeypatch):
    monkeypatch.setattr(doctor_torch, "four_bit_command",
                        lambda: [sys.executable, "-c", "import time; time.sleep(60)"])
    check = doctor_torch.check_bitsandbytes(timeout=1)
    assert check.status == "problem"
    assert "hung: no answer within 1 s" in check.finding


def test_a_version_that_differs_from_the_constraints_is_a_warning_with_pip(tmp_path, capsys):
    torch_version = metadata.version("torch")
    numpy_version = metadata.version("numpy")
    constraints = tmp_path / "constraints.txt"
    constraints.write_text(f"# tested\ntorch=={torch_version.split('+')[0]}\n"
                           f"numpy=={numpy_version}\npeft==0.0.1\n")
    skip = ",".join(key for key in CHECKS if key != "packages")
    code = main(["doctor", "--json", "--constraints", str(constraints), "--skip", skip])
    check = json.loads(capsys.readouterr().out)["checks"]["packages"]
    assert code == 0  # a warning is not a problem
    assert check["status"] == "warning"
    # a local build label (+cpu, +cu128) is the same tested version
    assert check["facts"]["differ"] == {"peft": {"installed": metadata.version("peft"),
                                                 "tested": "0.0.1"}}
    assert "peft " + metadata.version("peft") + " (tested 0.0.1)" in check["finding"]
    assert check["fix"] == (f"{sys.executable} -m pip install -c {constraints} peft==0.0.1")


def test_constraints_are_found_in_the_checkout_and_missing_ones_are_said(tmp_path):
    import pft_desktop

    checkout = Path(pft_desktop.__file__).resolve().parent.parent
    if (checkout / "packaging" / "constraints.txt").is_file():
        assert doctor.find_constraints() == checkout / "packaging" / "constraints.txt"
    # the package alone, as a wheel installs it: no packaging/ folder beside it
    shutil.copytree(Path(pft_desktop.__file__).parent, tmp_path / "pft_desktop",
                    ignore=shutil.ignore_patterns("__pycache__"))
    code = ("from pft_desktop.core.doctor import find_constraints, check_packages\n"
            "c = check_packages(find_constraints())\nprint(c.status, '|', c.finding)")
    env = {k: v for k, v in os.environ.items() if k != "PFT_CONSTRAINTS"}
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           cwd=tmp_path, env=dict(env, PYTHONPATH=str(tmp_path)),
                           check=True).stdout
    assert shown.startswith("skipped |") and "were not found" in shown
    missing = doctor.check_packages(tmp_path / "nope.txt")
    assert missing.status == "problem" and "does not exist" in missing.finding


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc, a filesystem with no space")
def test_no_space_on_the_runs_root_is_a_problem_with_the_fix(capsys):
    skip = ",".join(key for key in CHECKS if key != "runs_folder")
    code = main(["--runs-root", "/proc/pft-desktop-runs", "doctor", "--skip", skip])
    text = capsys.readouterr().out
    assert code == 1
    assert "problem  Runs folder disk" in text and "0.0 GiB free" in text
    assert "fix: Free space there, or keep runs on a larger disk" in text
    assert "--runs-root DIR" in text


def test_the_text_report_and_exit_code_zero(capsys):
    assert main(["doctor", *ONLY_PYTHON]) == 0
    text = capsys.readouterr().out
    assert text.startswith("pft-desktop ") and "no problems, no warnings, 9 skipped" in text
    assert f"ok       Python              CPython {platform.python_version()}" in text


def test_an_unknown_check_to_skip_is_refused(capsys):
    assert main(["doctor", "--skip", "nonsense"]) == 1
    assert "--skip nonsense: no such check." in capsys.readouterr().err


def test_hf_hub_offline_is_honoured_without_contacting_the_hub(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_ENDPOINT", "http://192.0.2.1")  # TEST-NET: would time out
    check = doctor_system.check_hub(timeout=0.1)
    assert check.status == "skipped" and "HF_HUB_OFFLINE=1" in check.finding
    assert "seconds" not in check.facts  # no request was made


def test_importing_the_doctor_loads_no_ml_library_or_qt():
    code = ("import sys\nimport pft_desktop.cli, pft_desktop.core.doctor, "
            "pft_desktop.core.doctor_system, pft_desktop.core.doctor_torch\n"
            "print(','.join(m for m in ('torch', 'bitsandbytes', 'accelerate', 'PySide6') "
            "if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == ""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Qt's system libraries: Linux")
def test_qt_check_names_the_platform_and_what_a_window_needs():
    from pft_desktop import qt_platform

    offscreen = doctor_system.check_qt({"QT_QPA_PLATFORM": "offscreen"})
    assert offscreen.facts["platform"] == "offscreen"
    assert offscreen.facts["plugin"]["ok"] == qt_platform.check_plugin("offscreen").ok
    no_display = doctor_system.check_qt({"QT_QPA_PLATFORM": "xcb"})
    xcb = qt_platform.check_plugin("xcb")
    if xcb.ok:  # the libraries are there, but there is no X display to open a window on
        assert no_display.status == "warning" and "DISPLAY is not set" in no_display.finding
        assert "xvfb-run -a pft-desktop" in no_display.fix
    else:
        assert no_display.status == "problem" and no_display.fix
        assert " ".join(xcb.missing) in no_display.finding
