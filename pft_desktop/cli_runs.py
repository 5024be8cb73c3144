"""The run library on the command line: ``runs`` (list, show, compare), ``stop``, ``--runs-root``,
and how a command finds the run it names (a folder path, or a run's name in the runs root).

Runs are read only through ``RunStore`` and ``RunFolder``, so the command line shows the same
statuses and summaries as the app.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import time
from pathlib import Path

from pft_desktop.core.errors import UserError
from pft_desktop.core.rundir import STATUSES

EXIT_OK, EXIT_FAILED = 0, 1
RUN_HELP = "a run folder, or a run's name in the runs root (a unique start of it will do)"


def add_runs_root_flag(parser: argparse.ArgumentParser, top: bool = False) -> None:
    """--runs-root before the subcommand, and again after it on the commands that use runs (the
    later one wins; SUPPRESS keeps a subcommand from resetting the global one)."""
    parser.add_argument("--runs-root", metavar="DIR", default=None if top else argparse.SUPPRESS,
                        help="where runs are found and where a run without --output is written "
                        "(default: $PFT_RUNS_ROOT, else the app's setting, else the user's data "
                        "folder)")


@contextlib.contextmanager
def use_runs_root(path: str | None):
    """Set $PFT_RUNS_ROOT for the command, so every reader of runs (core included) agrees; the
    old value comes back afterwards (main() also runs inside tests)."""
    if not path:
        yield
        return
    root = Path(path).expanduser().resolve()
    if root.exists() and not root.is_dir():
        raise UserError("runs_root_not_a_folder", f"--runs-root {path} is a file, not a folder.",
                        "Give a folder (it is created when the first run is written).")
    old = os.environ.get("PFT_RUNS_ROOT")
    os.environ["PFT_RUNS_ROOT"] = str(root)
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("PFT_RUNS_ROOT", None)
        else:
            os.environ["PFT_RUNS_ROOT"] = old


def find_run(ref: str):
    """The RunFolder a command line names: a folder path, or a name (or unique prefix) in the
    runs root."""
    from pft_desktop.core.runstore import RunStore

    text = str(ref)
    if (os.sep in text or "/" in text or text.startswith(".")) and not Path(text).expanduser() \
            .exists():
        raise UserError("run_not_found", f"There is no run folder {text}.",
                        "Check the path, or give a run name from `pft-desktop runs`.")
    return RunStore().find(text)


def new_run_folder(config, demo: bool = False) -> Path:
    """Where a run without --output goes: a new folder in the runs root named by date, time and
    model; its name is printed, since that is how later commands find it."""
    from pft_desktop.core.models import display_name
    from pft_desktop.core.runstore import RunStore

    label = "demo" if demo else display_name(config.model.name_or_path) \
        if config.model.name_or_path else f"new-{config.pretrain.from_scratch}"
    path = RunStore().new_run_dir(label)
    print(f"Run {path.name}, in {path.parent} (choose another folder with --output).",
          file=sys.stderr)
    return path


# -- the commands ----------------------------------------------------------------------------

def add_commands(sub) -> None:
    """`runs` (with `show` and `compare`) and `stop`."""
    runs = sub.add_parser("runs", help="list the runs in the runs root (show, compare: below)",
                          description="List the runs in the runs root, newest first.")
    add_runs_root_flag(runs)
    runs.add_argument("--json", action="store_true", help="print a JSON array, one object per "
                      "run with its status (default: a table)")
    runs.add_argument("--status", choices=STATUSES, help="only runs in this status "
                      "(default: all)")
    actions = runs.add_subparsers(dest="runs_command", metavar="{show,compare}")
    show = actions.add_parser("show", help="one run: summary, metrics, parent, config, error")
    show.add_argument("run", metavar="RUN", help=RUN_HELP)
    compare = actions.add_parser("compare", help="runs side by side: metrics and the config "
                                 "fields that differ")
    compare.add_argument("runs", metavar="RUN", nargs="+", help=RUN_HELP + "; two or more")
    for parser in (show, compare):
        add_runs_root_flag(parser)
        parser.add_argument("--json", action="store_true", default=argparse.SUPPRESS,
                            help="print JSON (default: text)")
    stop = sub.add_parser("stop", help="ask a running run to stop after its step and save")
    stop.add_argument("run", metavar="RUN", help=RUN_HELP)
    add_runs_root_flag(stop)
    stop.add_argument("--no-wait", action="store_true", help="return once the request is made "
                      "(default: wait until the run has stopped)")
    stop.add_argument("--timeout", type=float, default=300.0, metavar="SECONDS",
                      help="how long to wait for it (default: 300)")


def cmd_runs(args) -> int:
    if args.runs_command == "show":
        return _show(find_run(args.run), args.json)
    if args.runs_command == "compare":
        return _compare(args.runs, args.json)
    return _list(args)


def _list(args) -> int:
    from pft_desktop.core.runstore import RunStore

    store = RunStore()
    summaries = [s for s in store.summaries() if not args.status or s.status == args.status]
    if args.json:
        # One run a line: readable, and the C encoder (indent= takes the slow pure-Python one).
        print("[\n" + ",\n".join(json.dumps(s.to_dict()) for s in summaries) + "\n]"
              if summaries else "[]")
        return EXIT_OK
    if not summaries:
        which = f"{args.status} runs" if args.status else "runs"
        print(f"No {which} in {store.root}. Train one with `pft-desktop train`, or choose "
              "another folder with --runs-root.", file=sys.stderr)
        return EXIT_OK
    print(table(["NAME", "STARTED", "MODEL", "TASK", "METHOD", "STATUS", "STEPS", "BEST",
                 "DURATION", "SIZE"],
                [[s.name, when(s.started), s.model, s.task, s.method, s.status, _steps(s),
                  _best(s), clock(s.duration_s), size(s.size_bytes)] for s in summaries]))
    return EXIT_OK


def _steps(summary) -> str:
    if not summary.step:
        return "-"
    return f"{summary.step}/{summary.total_steps}" if summary.total_steps else str(summary.step)


def _best(summary) -> str:
    best = summary.best_value
    if best is None:
        best = summary.final_metrics.get(summary.best_metric)
    return "-" if best is None else f"{summary.best_metric.removeprefix('eval_')} {best:.4g}"


def _show(folder, as_json: bool) -> int:
    from pft_desktop.core.runstore import flatten, summarize

    summary = summarize(folder)
    try:
        config = folder.load_config().to_dict()
    except UserError:
        config = {}
    error = folder.status().get("error") or (
        {"kind": "", "message": summary.error, "fix": ""} if summary.error else None)
    if as_json:
        print(json.dumps({**summary.to_dict(), "config": config, "last_error": error}, indent=1))
        return EXIT_OK
    lines = [("Run", summary.name), ("Folder", summary.path),
             ("Status", summary.status + (f", step {_steps(summary)}" if summary.step else "")),
             ("Started", when(summary.started)),
             ("Model", f"{summary.model} ({summary.task}, {summary.method})"),
             ("Best", _best(summary)), ("Duration", clock(summary.duration_s)),
             ("Size", size(summary.size_bytes))]
    if summary.parent:
        lines.append(("Parent", f"{summary.parent} (trained more from its weights)"))
    if error:
        lines.append(("Error", error.get("message", "")))
        if error.get("fix"):
            lines.append(("Fix", error["fix"]))
    print("\n".join(f"{key:<10}{text}" for key, text in lines))
    if summary.final_metrics:
        print("\nFinal metrics")
        print(table(None, [[f"  {k}", value(v)] for k, v in summary.final_metrics.items()]))
    if config:
        from pft_desktop.core.config import RunConfig

        defaults = flatten(RunConfig().to_dict())
        changed = [[f"  {k}", value(v)] for k, v in flatten(config).items()
                   if defaults.get(k) != v]
        print(f"\nConfig: the settings that differ from the defaults (all: {folder.config_file})")
        print(table(None, changed) if changed else "  none")
    hint = _next_step(summary)
    if hint:
        print(f"\n{hint}")
    return EXIT_OK


def _next_step(summary) -> str:
    name = summary.name
    return {"running": f"Stop it: pft-desktop stop {name}",
            "stopped": f"Resume it: pft-desktop train --resume {name}",
            "interrupted": f"Resume it: pft-desktop train --resume {name}",
            "finished": f"Train more: pft-desktop train --more {name}; export: "
                        f"pft-desktop export {name} --merged DIR"}.get(summary.status, "")


def _compare(refs: list[str], as_json: bool) -> int:
    from pft_desktop.core.runstore import compare

    folders = [find_run(ref) for ref in refs]
    paths = [folder.path for folder in folders]
    twice = sorted({folder.name for folder in folders if paths.count(folder.path) > 1})
    if twice:
        raise UserError("same_run_twice", f"{', '.join(twice)} is given more than once.",
                        "Name each run to compare once.")
    result = compare(folders)
    if as_json:
        print(json.dumps(result, indent=1))
        return EXIT_OK
    names = [run["name"] for run in result["runs"]]
    rows = [[field] + [_summary_cell(run, field) for run in result["runs"]]
            for field in ("status", "model", "task", "method", "steps", "best", "duration")]
    rows.append(["final metrics"] + [""] * len(names))
    rows += [[f"  {metric}"] + [value(by_run.get(name)) for name in names]
             for metric, by_run in result["metrics"].items()]
    rows.append(["config that differs"] + [""] * len(names))
    rows += [[f"  {key}"] + [value(by_run.get(name)) for name in names]
             for key, by_run in result["config_diff"].items()]
    if not result["config_diff"]:
        rows.append(["  (none: the configs are the same)"] + [""] * len(names))
    print(table([""] + names, rows))
    return EXIT_OK


def _summary_cell(run: dict, field: str) -> str:
    from pft_desktop.core.runstore import RunSummary

    summary = RunSummary(**run)
    return {"steps": _steps, "best": _best,
            "duration": lambda s: clock(s.duration_s)}.get(field, lambda s: run[field])(summary)


def cmd_stop(args) -> int:
    """Ask the run's process (found by its folder) to stop after its step and save; wait for
    it unless --no-wait."""
    folder = find_run(args.run)
    state = folder.state()
    if state != "running":
        raise UserError("not_running", f"The run {folder.name} is not running: it is {state}.",
                        _not_running_fix(folder.name, state))
    folder.request_stop()
    if args.no_wait:
        print(f"Asked the run {folder.name} to stop after its current step and save. See when "
              f"it has: pft-desktop runs show {folder.name}", file=sys.stderr)
        return EXIT_OK
    print(f"Asked the run {folder.name} to stop after its current step and save; waiting...",
          file=sys.stderr)
    deadline = time.monotonic() + args.timeout
    try:
        while folder.state() == "running":
            if time.monotonic() > deadline:
                raise UserError("stop_timeout", f"The run {folder.name} is still running after "
                                f"{args.timeout:g} s; it will stop once its current step ends "
                                "(the request stays).", "Check later with `pft-desktop runs "
                                f"show {folder.name}`, or wait longer with --timeout.")
            time.sleep(0.2)
    except KeyboardInterrupt:
        print(f"\nStopped waiting; the run {folder.name} still stops after its current step.",
              file=sys.stderr)
        return 130
    return _report_stopped(folder)


def _not_running_fix(name: str, state: str) -> str:
    return {"finished": f"There is nothing to stop. Train it further with "
                        f"`pft-desktop train --more {name}`.",
            "stopped": f"It has already stopped; resume it with `pft-desktop train --resume "
                       f"{name}`.",
            "interrupted": "Its process ended without a last word; resume it from its last "
                           f"checkpoint with `pft-desktop train --resume {name}`.",
            }.get(state, f"See what happened with `pft-desktop runs show {name}`.")


def _report_stopped(folder) -> int:
    from pft_desktop.core.runstore import summarize

    summary = summarize(folder)
    if summary.status == "stopped":
        checkpoint = folder.latest_checkpoint()
        saved = f" and saved {checkpoint.name}" if checkpoint else ""
        print(f"The run {folder.name} stopped at step {_steps(summary)}{saved}. Resume it with: "
              f"pft-desktop train --resume {folder.name}", file=sys.stderr)
        return EXIT_OK
    if summary.status == "finished":
        print(f"The run {folder.name} finished before it could stop.", file=sys.stderr)
        return EXIT_OK
    raise UserError("stop_" + summary.status, f"The run {folder.name} ended as {summary.status}"
                    + (f": {summary.error}" if summary.error else "."),
                    f"See its log: {folder.log_file}")


# -- text ------------------------------------------------------------------------------------

def table(headers: list[str] | None, rows: list[list]) -> str:
    """Columns padded to their widest cell (the last one is not padded)."""
    lines = ([headers] if headers else []) + [[str(cell) for cell in row] for row in rows]
    widths = [max(len(line[i]) for line in lines) for i in range(len(lines[0]))]
    return "\n".join("  ".join(cell.ljust(width) for cell, width in zip(line, widths)).rstrip()
                     for line in lines)


def when(seconds: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(seconds)) if seconds else "-"


def clock(seconds: float) -> str:
    if not seconds:
        return "-"
    hours, rest = divmod(int(round(seconds)), 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


def size(count: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if count < 1000 or unit == "GB":
            return f"{count:.0f} {unit}" if unit == "B" or count >= 10 else f"{count:.1f} {unit}"
        count /= 1000
    return ""


def value(item) -> str:
    """A metric or config value as one cell."""
    if item is None:
        return "-"
    if isinstance(item, bool):
        return "true" if item else "false"
    if isinstance(item, float):
        return f"{item:.4g}"
    if isinstance(item, list):
        return ",".join(map(str, item)) or '""'
    return str(item) if item != "" else '""'


HANDLERS = {"runs": cmd_runs, "stop": cmd_stop}
