"""The command line: a full train/export/predict round trip, and every bad input the issue
lists, each failing with a paragraph that names the problem and the fix, exit code 1, and no
run folder left behind."""

import json
import shutil

import pytest

from helpers import fails_cleanly, sentiment_rows, write_csv
from pft_desktop.cli import main


MAPPED = ("--text-column", "review", "--label-column", "sentiment")


def train_args(model, data, out, *extra):
    return ["train", "--model", str(model), "--data", str(data), "--output", str(out),
            "--method", "full", "--max-steps", "4", "--batch-size", "8", "--max-length", "32",
            *extra]


def test_train_export_predict_round_trip(tmp_path, tiny_encoder, sentiment_csv, capsys):
    run = tmp_path / "run"
    assert main(train_args(tiny_encoder, sentiment_csv, run)) == 0
    err = capsys.readouterr().err
    assert "Using column 'review' as text" in err and "Run finished" in err
    assert main(["export", str(run), "--merged", str(tmp_path / "merged")]) == 0
    capsys.readouterr()
    assert main(["predict", str(tmp_path / "merged"), "the film was great", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["label"] in ("positive", "negative")
    assert sum(result["probabilities"].values()) == pytest.approx(1.0, abs=1e-4)


def test_saved_config_reproduces_the_flags(tmp_path, tiny_encoder, sentiment_csv):
    saved = tmp_path / "run.toml"
    assert main(train_args(tiny_encoder, sentiment_csv, tmp_path / "x", "--learning-rate",
                           "0.001", "--save-config", str(saved))) == 0
    assert not (tmp_path / "x").exists()
    assert main(["train", "--config", str(saved), "--output", str(tmp_path / "run")]) == 0
    from pft_desktop.core.config import RunConfig

    assert RunConfig.load(tmp_path / "run" / "config.toml") == RunConfig.load(saved)


def _fails_cleanly(argv, out, capsys, *needles):
    err = fails_cleanly(capsys, argv, *needles)
    assert not out.exists(), "a failed start must not leave a run folder"
    return err


def test_missing_file(tmp_path, tiny_encoder, capsys):
    _fails_cleanly(train_args(tiny_encoder, tmp_path / "nope.csv", tmp_path / "run"),
                   tmp_path / "run", capsys, "does not exist")


def test_empty_file(tmp_path, tiny_encoder, capsys):
    data = tmp_path / "empty.csv"
    data.write_text("")
    _fails_cleanly(train_args(tiny_encoder, data, tmp_path / "run"), tmp_path / "run", capsys,
                   "is empty")


def test_header_only(tmp_path, tiny_encoder, capsys):
    data = tmp_path / "h.csv"
    data.write_text("review,sentiment\n")
    _fails_cleanly(train_args(tiny_encoder, data, tmp_path / "run", *MAPPED),
                   tmp_path / "run", capsys, "header but no data rows")


def test_mapped_column_does_not_exist(tmp_path, tiny_encoder, sentiment_csv, capsys):
    _fails_cleanly(train_args(tiny_encoder, sentiment_csv, tmp_path / "run", "--text-column",
                              "body", "--label-column", "sentiment"),
                   tmp_path / "run", capsys, "'body'", "review, sentiment")


def test_one_label_only(tmp_path, tiny_encoder, capsys):
    data = write_csv(tmp_path / "d.csv", ["review", "sentiment"],
                     [(t, "pos") for t, _ in sentiment_rows(20)])
    _fails_cleanly(train_args(tiny_encoder, data, tmp_path / "run", *MAPPED),
                   tmp_path / "run", capsys, "only one value")


def test_undecodable_bytes(tmp_path, tiny_encoder, capsys):
    data = tmp_path / "d.csv"
    data.write_bytes(b"review,sentiment\n\x00\x01\x02\xff\xfe,1\n" * 5)
    _fails_cleanly(train_args(tiny_encoder, data, tmp_path / "run", *MAPPED),
                   tmp_path / "run", capsys, "binary data")


def test_forced_wrong_encoding(tmp_path, tiny_encoder, capsys):
    data = tmp_path / "d.csv"
    data.write_bytes("review,sentiment\ncafé “quoted”,pos\nbad,neg\n".encode("cp1252"))
    config = tmp_path / "c.toml"
    main(train_args(tiny_encoder, data, tmp_path / "x", "--text-column", "review",
                    "--label-column", "sentiment", "--save-config", str(config)))
    config.write_text(config.read_text().replace('encoding = ""', 'encoding = "utf-8"'))
    capsys.readouterr()
    _fails_cleanly(["train", "--config", str(config), "--output", str(tmp_path / "run")],
                   tmp_path / "run", capsys, "not valid utf-8")


def test_ragged_rows(tmp_path, tiny_encoder, capsys):
    data = tmp_path / "d.csv"
    data.write_text("review,sentiment\ngood film,pos\nbad, really bad,neg,extra\nok,pos\n")
    _fails_cleanly(train_args(tiny_encoder, data, tmp_path / "run", *MAPPED),
                   tmp_path / "run", capsys, "line 3 has 4 fields where the header has 2")


@pytest.mark.parametrize("remove, needle", [("model.safetensors", "the weights"),
                                            ("tokenizer.json", "a tokenizer")])
def test_incomplete_model_folder(tmp_path, tiny_encoder, sentiment_csv, capsys, remove, needle):
    model = tmp_path / "model"
    shutil.copytree(tiny_encoder, model)
    (model / remove).unlink()
    _fails_cleanly(train_args(model, sentiment_csv, tmp_path / "run"), tmp_path / "run", capsys,
                   needle)


def test_architecture_cannot_do_the_task(tmp_path, tiny_encoder, capsys):
    data = write_csv(tmp_path / "qa.csv", ["prompt", "response"], [("a", "b")] * 4)
    _fails_cleanly(train_args(tiny_encoder, data, tmp_path / "run", "--task", "causal-lm"),
                   tmp_path / "run", capsys, "cannot do causal-lm", "decoder model")


def test_hyperparameter_out_of_range(tmp_path, tiny_encoder, sentiment_csv, capsys):
    _fails_cleanly(train_args(tiny_encoder, sentiment_csv, tmp_path / "run", "--learning-rate",
                              "-0.5"),
                   tmp_path / "run", capsys, "training.learning_rate = -0.5 is out of range")


def test_existing_run_folder_is_not_overwritten(tmp_path, tiny_encoder, sentiment_csv, capsys):
    run = tmp_path / "run"
    run.mkdir()
    (run / "notes.txt").write_text("mine")
    assert main(train_args(tiny_encoder, sentiment_csv, run)) == 1
    assert "already exists" in capsys.readouterr().err
    assert [p.name for p in run.iterdir()] == ["notes.txt"]


def test_a_finished_run_is_not_trained_into_again(tmp_path, tiny_encoder, sentiment_csv,
                                                   capsys):
    run = tmp_path / "run"
    assert main(train_args(tiny_encoder, sentiment_csv, run)) == 0
    events_before = (run / "events.jsonl").read_text()
    capsys.readouterr()
    assert main(train_args(tiny_encoder, sentiment_csv, run)) == 1
    assert "already exists" in capsys.readouterr().err
    assert (run / "events.jsonl").read_text() == events_before


def test_no_disk_space_for_export(tmp_path, tiny_encoder, sentiment_csv, capsys, monkeypatch):
    import shutil as sh
    from collections import namedtuple

    assert main(train_args(tiny_encoder, sentiment_csv, tmp_path / "run")) == 0
    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(sh, "disk_usage", lambda path: usage(10**9, 10**9, 0))
    capsys.readouterr()
    _fails_cleanly(["export", str(tmp_path / "run"), "--merged", str(tmp_path / "out")],
                   tmp_path / "out", capsys, "Not enough disk space")


def test_an_unexpected_failure_is_a_message_and_the_traceback_goes_to_the_log(
        tmp_path, monkeypatch, capsys):
    """Every error through one door: no command ends in a traceback."""
    import pft_desktop.cli as cli

    monkeypatch.setattr(cli, "crash_log", lambda: tmp_path / "logs" / "pft-desktop.log")

    def broken(args):
        raise TypeError("an unforeseen bug")

    monkeypatch.setattr(cli, "cmd_inspect", broken)
    assert cli.main(["inspect", "anything"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "pft-desktop inspect failed unexpectedly (TypeError: an unforeseen bug)" in err
    assert str(tmp_path / "logs" / "pft-desktop.log") in err
    assert "Traceback" in (tmp_path / "logs" / "pft-desktop.log").read_text()


def test_chat_run_exports_gguf_files_and_a_modelfile(tmp_path, tiny_chat_decoder, capsys):
    """Conversations in, GGUF files out: one per type asked for, each read back before it is
    kept, and a Modelfile that ``ollama create`` takes as is."""
    turns = [[{"role": "user", "content": f"count to {n}"},
              {"role": "assistant", "content": " ".join(str(i) for i in range(n))}]
             for n in range(1, 25)]
    data = tmp_path / "chats.jsonl"
    data.write_text("".join(json.dumps({"messages": t}) + "\n" for t in turns))
    run = tmp_path / "run"
    assert main(["train", "--model", str(tiny_chat_decoder), "--data", str(data), "--task",
                 "causal-lm", "--method", "lora", "--max-steps", "2", "--output", str(run)]) == 0
    assert "conversation" in capsys.readouterr().err.lower()
    fails_cleanly(capsys, ["export", str(run), "--gguf", str(tmp_path / "g"), "--quant",
                           "q5_k"], "q5_k", "f16")
    fails_cleanly(capsys, ["export", str(run), "--merged", str(tmp_path / "m"), "--quant",
                           "f16"], "--quant", "--gguf")
    assert main(["export", str(run), "--gguf", str(tmp_path / "gguf"), "--quant",
                 "f16,q8_0"]) == 0
    err = capsys.readouterr().err
    assert "within" in err and "Exported the GGUF model" in err
    names = sorted(path.name for path in (tmp_path / "gguf").iterdir())
    assert names == ["Modelfile", "Modelfile.q8_0", "run-f16.gguf", "run-q8_0.gguf"]
    modelfile = (tmp_path / "gguf" / "Modelfile").read_text()
    assert "\nFROM ./run-f16.gguf\n" in modelfile and "TEMPLATE" in modelfile
    assert 'PARAMETER stop "<|endoftext|>"' in modelfile
