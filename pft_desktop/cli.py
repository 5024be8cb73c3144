"""The ``pft-desktop`` command: no arguments opens the app; subcommands work headless."""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
import time
from pathlib import Path

from pft_desktop.core.errors import UserError

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def _add_train_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument("--config", help="a run config (TOML or JSON) saved by the app or by hand")
    p.add_argument("--resume", metavar="RUN_DIR", help="continue a stopped or interrupted run")
    p.add_argument("--output", "-o", metavar="RUN_DIR", help="the new run's folder")
    p.add_argument("--model", help="local model folder or Hugging Face hub id")
    p.add_argument("--data", help="training data (CSV, TSV, JSONL, Parquet)")
    p.add_argument("--validation-data", help="separate validation file")
    p.add_argument("--task", choices=["classification", "causal-lm"])
    for role in ("text", "text-pair", "label", "prompt", "response"):
        p.add_argument(f"--{role}-column")
    p.add_argument("--method", choices=["full", "freeze", "lora", "qlora-4bit", "qlora-8bit"])
    p.add_argument("--epochs", type=float)
    p.add_argument("--max-steps", type=int)
    p.add_argument("--batch-size", type=int)
    p.add_argument("--learning-rate", type=float)
    p.add_argument("--max-length", type=int)
    p.add_argument("--seed", type=int)
    p.add_argument("--lora-r", type=int)
    p.add_argument("--eval-steps", type=int)
    p.add_argument("--max-rows", type=int, help="use at most this many training rows")
    p.add_argument("--save-config", metavar="FILE", help="write the resulting config and exit")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pft-desktop", description="Fine-tune pretrained transformer models on your own "
        "machine. Run without a command to open the app.")
    parser.add_argument("--screenshots", metavar="DIR",
                        help="render every wizard page to PNG files in DIR and exit")
    sub = parser.add_subparsers(dest="command")
    _add_train_flags(sub.add_parser("train", help="fine-tune a model (no window)"))
    pretrain = sub.add_parser("pretrain", help="pretrain on unlabeled text (no window)")
    pretrain.add_argument("--data", required=True, help="a data file or a folder of .txt files")
    pretrain.add_argument("--text-column", help="the column with the text (data files)")
    pretrain.add_argument("--output", "-o", metavar="RUN_DIR", required=True)
    start = pretrain.add_mutually_exclusive_group(required=True)
    start.add_argument("--model", help="continue pretraining this model (folder or hub id)")
    start.add_argument("--from-scratch", choices=["encoder", "decoder"],
                       help="a new model with a tokenizer trained on the data")
    pretrain.add_argument("--size", choices=["tiny", "small", "base"], default="small")
    pretrain.add_argument("--method", choices=["full", "lora"], default="full")
    pretrain.add_argument("--epochs", type=float, default=1.0)
    pretrain.add_argument("--max-steps", type=int, default=0)
    pretrain.add_argument("--batch-size", type=int, default=32)
    pretrain.add_argument("--learning-rate", type=float, default=5e-4)
    pretrain.add_argument("--max-length", type=int, default=128, help="block size in tokens")
    pretrain.add_argument("--vocab-size", type=int, default=0, help="new tokenizer's size "
                          "(0 = suggest from the corpus)")
    pretrain.add_argument("--mlm-probability", type=float, default=0.15)
    pretrain.add_argument("--max-rows", type=int, default=0)
    pretrain.add_argument("--eval-steps", type=int, default=0)
    pretrain.add_argument("--seed", type=int, default=42)
    export = sub.add_parser("export", help="export a run's model")
    export.add_argument("run_dir")
    kind = export.add_mutually_exclusive_group(required=True)
    kind.add_argument("--merged", metavar="OUT_DIR", help="full model with the adapter merged")
    kind.add_argument("--adapter", metavar="OUT_DIR", help="the LoRA adapter only")
    predict = sub.add_parser("predict", help="try a trained or exported model on text")
    predict.add_argument("model_dir")
    predict.add_argument("texts", nargs="+")
    predict.add_argument("--json", action="store_true", help="print JSON")
    inspect = sub.add_parser("inspect", help="describe a model folder or hub id")
    inspect.add_argument("model")
    inspect.add_argument("--json", action="store_true", help="print only JSON")
    check = sub.add_parser("check", help="check a config's model and data without training")
    check.add_argument("config")
    check.add_argument("--json", action="store_true", help="print the data report as JSON")
    download = sub.add_parser("download", help="download a hub model into the local cache")
    download.add_argument("model")
    download.add_argument("--json", action="store_true", help="print progress as JSON lines")
    serve = sub.add_parser("serve", help="answer predictions line by line on stdin (the app's "
                           "try-it box)")
    serve.add_argument("model_dir")
    return parser


def config_from_args(args):
    from pft_desktop.core.config import RunConfig

    config = RunConfig.load(args.config) if args.config else RunConfig()
    mapping = {
        ("model", "name_or_path"): args.model, ("data", "train_file"): args.data,
        ("data", "validation_file"): args.validation_data, ("task", "kind"): args.task,
        ("data", "text_column"): args.text_column,
        ("data", "text_pair_column"): args.text_pair_column,
        ("data", "label_column"): args.label_column, ("data", "prompt_column"): args.prompt_column,
        ("data", "response_column"): args.response_column, ("method", "kind"): args.method,
        ("training", "epochs"): args.epochs, ("training", "max_steps"): args.max_steps,
        ("training", "batch_size"): args.batch_size,
        ("training", "learning_rate"): args.learning_rate, ("task", "max_length"): args.max_length,
        ("training", "seed"): args.seed, ("method", "lora_r"): args.lora_r,
        ("training", "eval_steps"): args.eval_steps, ("data", "max_rows"): args.max_rows,
    }
    for (section, name), value in mapping.items():
        if value is not None:
            setattr(getattr(config, section), name, value)
    needed = ("text_column", "label_column") if config.task.kind == "classification" else \
        ("prompt_column", "response_column")
    if config.data.train_file and not all(getattr(config.data, name) for name in needed):
        _guess_mapping(config)
    return config


def _guess_mapping(config) -> None:
    """Flags left out: fill the column mapping from the file, and say so."""
    from pft_desktop.core.data import guess_columns, load_table

    table = load_table(config.data.train_file)
    guess = guess_columns(table, config.task.kind)
    for name, value in guess.items():
        if not getattr(config.data, name) and value:
            setattr(config.data, name, value)
            print(f"Using column '{value}' as {name.replace('_column', '').replace('_', ' ')} "
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


def cmd_train(args) -> int:
    if args.resume:
        run_dir, config = Path(args.resume), None
    else:
        config = config_from_args(args)
        if args.save_config:
            config.save(args.save_config)
            print(f"Config written to {args.save_config}", file=sys.stderr)
            return EXIT_OK
        if not args.output:
            raise UserError("missing_output", "No output folder was given for the run.",
                            "Add --output RUN_DIR (a new folder).")
        run_dir = Path(args.output)
        config.validate()
    outcome = run_with_progress(config, run_dir, resume=bool(args.resume))
    if outcome.error is not None:
        return EXIT_FAILED
    print(f"\n{outcome}\nRun folder: {outcome.run_dir}", file=sys.stderr)
    return EXIT_OK


def run_with_progress(config, run_dir: Path, resume: bool = False):
    """Train with a progress bar; the first Ctrl+C stops after the step and saves, a second
    aborts. A failure is printed with its fix and the log's path."""
    from pft_desktop.core.recipe import run_training

    stop = threading.Event()

    def on_interrupt(signum, frame):
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()
        print("\nStopping after the current step (press Ctrl+C again to abort)...",
              file=sys.stderr)

    previous = signal.signal(signal.SIGINT, on_interrupt)
    try:
        outcome = run_training(config, run_dir, sink=ProgressPrinter(), stop=stop,
                               resume=resume)
    finally:
        signal.signal(signal.SIGINT, previous)
    if outcome.error is not None:
        _print_error(outcome.error)
        if outcome.run_dir and (outcome.run_dir / "train.log").is_file():
            print(f"Full log: {outcome.run_dir / 'train.log'}", file=sys.stderr)
    return outcome


def pretrain_config(args):
    from pft_desktop.core.config import RunConfig

    config = RunConfig()
    config.task.kind, config.task.max_length = "pretrain", args.max_length
    config.model.name_or_path = args.model or ""
    config.pretrain.from_scratch = args.from_scratch or ""
    config.pretrain.size, config.pretrain.vocab_size = args.size, args.vocab_size
    config.pretrain.mlm_probability = args.mlm_probability
    config.data.train_file, config.data.max_rows = args.data, args.max_rows
    config.method.kind = args.method
    t = config.training
    t.epochs, t.max_steps, t.batch_size = args.epochs, args.max_steps, args.batch_size
    t.learning_rate, t.seed, t.eval_steps = args.learning_rate, args.seed, args.eval_steps
    if Path(args.data).is_dir():
        config.data.text_column = args.text_column or ""
    else:
        config.data.text_column = args.text_column or _guess_text_column(args.data)
    return config


def _guess_text_column(path: str) -> str:
    from pft_desktop.core.data import guess_columns, load_table

    column = guess_columns(load_table(path), "classification")["text_column"]
    print(f"Using column '{column}' as the text (set it with --text-column).", file=sys.stderr)
    return column


def cmd_pretrain(args) -> int:
    config = pretrain_config(args).validate()
    outcome = run_with_progress(config, Path(args.output))
    if outcome.error is not None:
        return EXIT_FAILED
    print(f"\n{outcome}\nThe pretrained model is in {outcome.run_dir / 'model'}; fine-tune it "
          f"with: pft-desktop train --model {outcome.run_dir / 'model'} ...", file=sys.stderr)
    return EXIT_OK


def cmd_export(args) -> int:
    from pft_desktop.core.export import export_run

    kind, out = ("merged", args.merged) if args.merged else ("adapter", args.adapter)
    started = time.monotonic()
    path = export_run(args.run_dir, out, kind, progress=lambda t: print(f"· {t}",
                                                                      file=sys.stderr))
    print(f"Exported the {kind} model to {path} in {time.monotonic() - started:.1f} s",
          file=sys.stderr)
    return EXIT_OK


def cmd_predict(args) -> int:
    from pft_desktop.core.predict import Predictor

    predictor = Predictor(args.model_dir)
    for text in args.texts:
        result = predictor(text)
        if args.json:
            print(json.dumps({"text": text, **result}))
        elif "fill" in result:
            for guesses in result["fill"]:
                print("  ".join(f"{g['token']} {g['score']:.3f}" for g in guesses))
        elif "error" in result:
            print(result["error"], file=sys.stderr)
        elif "label" in result:
            others = ", ".join(f"{k} {v:.3f}" for k, v in result["probabilities"].items())
            print(f"{result['label']}\t{result['score']:.3f}\t({others})\t{text}")
        else:
            print(result["text"])
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

    prepared = prepare(RunConfig.load(args.config))
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
    """Load once, then answer one JSON line per input line: {"text": ...} -> result."""
    from pft_desktop.core.predict import Predictor

    predictor = Predictor(args.model_dir)
    print(json.dumps({"type": "ready", "task": predictor.task}), flush=True)
    for line in sys.stdin:
        try:
            text = json.loads(line)["text"]
            print(json.dumps({"type": "result", "input": text, **predictor(text)}), flush=True)
        except Exception as exc:  # keep serving; report the problem for this input
            print(json.dumps({"type": "error", "message": str(exc)}), flush=True)
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command is None:
        from pft_desktop.ui.app import main as run_app

        return run_app(screenshots=args.screenshots)
    handlers = {"train": cmd_train, "export": cmd_export, "predict": cmd_predict,
                "inspect": cmd_inspect, "check": cmd_check, "download": cmd_download,
                "pretrain": cmd_pretrain,
                "serve": cmd_serve}
    try:
        return handlers[args.command](args)
    except UserError as error:
        if getattr(args, "json", False):
            print(json.dumps({"type": "error", **error.to_dict()}))
        _print_error(error)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print("\nInterrupted.", file=sys.stderr)
        return 130
