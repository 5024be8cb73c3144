"""`pft-desktop serve` on real tiny chat runs: streamed chat replies from the tuned model and
its base model, the try box's one-line predictions as before, a stop line that ends a reply,
and errors that come back as lines while the server keeps serving."""

import json
import subprocess
import sys
import threading

import pytest

from helpers import write_csv
from pft_desktop.core.chat_generate import GenerationSettings, generate_reply

HI = [{"role": "user", "content": "what color is the sky"}]


def chat_run(root, model, method, learning_rate):
    from pft_desktop.core.config import RunConfig
    from pft_desktop.core.recipe import run_training

    rows = [(f"what color is the {w}", f"the {w} is {c}")
            for w, c in zip(["sky", "sea", "grass", "sun"] * 5, ["blue", "red", "green"] * 7)]
    config = RunConfig()
    config.model.name_or_path = str(model)
    config.data.train_file = str(write_csv(root / "qa.csv", ["prompt", "response"], rows))
    config.data.prompt_column, config.data.response_column = "prompt", "response"
    config.task.kind, config.method.kind = "causal-lm", method
    config.training.max_steps, config.training.learning_rate = 3, learning_rate
    assert run_training(config, root / "run").status == "finished"
    return root / "run"


@pytest.fixture(scope="module")
def lora_chat_run(tmp_path_factory, tiny_chat_decoder):
    return chat_run(tmp_path_factory.mktemp("lora-chat"), tiny_chat_decoder, "lora", 5e-2)


@pytest.fixture(scope="module")
def full_chat_run(tmp_path_factory, tiny_chat_decoder):
    return chat_run(tmp_path_factory.mktemp("full-chat"), tiny_chat_decoder, "full", 5e-3)


def base_reply(base_folder, run, settings: GenerationSettings) -> str:
    """What the base model itself says, prompted with the run's tokenizer (its template)."""
    from transformers import AutoModelForCausalLM, AutoTokenizer

    model = AutoModelForCausalLM.from_pretrained(base_folder).eval()
    return generate_reply(model, AutoTokenizer.from_pretrained(run / "model"), HI,
                          settings).text


def chat_line(rid, model="tuned", **settings) -> str:
    return json.dumps({"id": rid, "model": model, "messages": HI,
                       "settings": {"max_new_tokens": 12, **settings}})


def test_serve_streams_the_tuned_and_the_base_reply_and_still_predicts(lora_chat_run,
                                                                       tiny_chat_decoder):
    lines = [chat_line(1), chat_line(2, "base"), chat_line(3, temperature=-1),
             json.dumps({"text": "what color is the sky"}), chat_line(4)]
    done = subprocess.run([sys.executable, "-m", "pft_desktop", "serve", str(lora_chat_run)],
                          input="\n".join(lines) + "\n", capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    out = [json.loads(line) for line in done.stdout.splitlines()]
    assert out[0]["type"] == "ready" and out[0]["chat"] and out[0]["base_is_adapter_off"]
    replies = {}
    for rid in (1, 2, 4):
        mine = [line for line in out if line.get("id") == rid]
        assert [line["type"] for line in mine][-1] == "result"
        assert len(mine) > 2 and all(line["type"] == "token" for line in mine[:-1])
        replies[rid] = result = mine[-1]["result"]
        assert "".join(line["token"] for line in mine[:-1]) == result["text"]
        assert result["stopped"] in ("length", "end_of_turn") and result["tokens"] >= 1
        assert 0 < result["first_token_seconds"] <= result["seconds"]
    assert replies[1] == {**replies[4], "seconds": replies[1]["seconds"],
                          "first_token_seconds": replies[1]["first_token_seconds"]}
    # the adapter switched off is the base model itself, which answers otherwise
    assert replies[2]["text"] != replies[1]["text"]
    assert replies[2]["text"] == base_reply(tiny_chat_decoder, lora_chat_run,
                                            GenerationSettings(max_new_tokens=12))
    error = next(line for line in out if line.get("id") == 3)
    assert error["type"] == "error" and "Temperature -1" in error["message"] and error["fix"]
    prediction = next(line for line in out if line.get("input") == "what color is the sky")
    assert prediction["type"] == "result" and "text" in prediction


def test_a_full_runs_base_model_loads_only_when_first_asked_for(full_chat_run,
                                                                tiny_chat_decoder):
    from pft_desktop.core.predict import Predictor
    from pft_desktop.core.serve import Server

    written = []
    server = Server(Predictor(full_chat_run), written.append)
    assert not server.ready_line()["base_is_adapter_off"]
    server.answer(chat_line(1))
    assert server.models.base is None and written[-1]["type"] == "result"
    tuned = written[-1]["result"]["text"]
    server.answer(chat_line(2, "base"))
    assert server.models.base is not None
    assert written[-1]["result"]["text"] != tuned
    assert written[-1]["result"]["text"] == base_reply(tiny_chat_decoder, full_chat_run,
                                                       GenerationSettings(max_new_tokens=12))
    server.models.base, server.predictor.info["base_model"] = None, "/nowhere/gone"
    server.predictor.info["base_model_source"] = "/nowhere/gone"
    server.answer(chat_line(3, "base"))
    assert written[-1]["type"] == "error" and written[-1]["id"] == 3
    assert "gone is not on this computer" in written[-1]["message"]
    server.answer(chat_line(4, "tuned"))  # and it keeps serving
    assert written[-1]["type"] == "result" and written[-1]["id"] == 4


def test_a_stop_line_ends_the_reply_being_generated(lora_chat_run):
    """The stop is read while the reply is generated: the reply ends "cancelled" long before
    its 200 tokens, and the next request is answered in full."""
    from pft_desktop.core.predict import Predictor
    from pft_desktop.core.serve import Server

    first_token, stop_read, written = threading.Event(), threading.Event(), []

    def write(message):
        written.append(message)
        if message.get("id") == 1 and message["type"] == "token" and not first_token.is_set():
            first_token.set()
            assert stop_read.wait(30)  # generation goes on once the stop has been read

    def lines():
        yield chat_line(1, max_new_tokens=200)
        assert first_token.wait(60)
        yield json.dumps({"stop": 1})
        stop_read.set()  # the reader asks for the next line after taking the stop
        yield chat_line(2, max_new_tokens=5)

    Server(Predictor(lora_chat_run), write).serve(lines())
    results = {m["id"]: m["result"] for m in written if m["type"] == "result"}
    assert results[1]["stopped"] == "cancelled" and results[1]["tokens"] < 20
    assert results[2]["stopped"] in ("length", "end_of_turn")


def test_a_lora_runs_base_model_is_its_own_weights_with_the_adapter_off(lora_chat_run):
    """No second copy in memory; and the adapter is back on for the next tuned reply."""
    from pft_desktop.core.predict import Predictor
    from pft_desktop.core.serve import Server

    written = []
    server = Server(Predictor(lora_chat_run), written.append)
    for rid, model in enumerate(("tuned", "base", "tuned")):
        server.answer(chat_line(rid, model))
    texts = [m["result"]["text"] for m in written if m["type"] == "result"]
    assert server.models.base is None
    assert texts[0] == texts[2] != texts[1]
