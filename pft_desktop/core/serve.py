"""`pft-desktop serve`: one loaded model answering JSON lines, the Results page's try box.

A line {"text": ..., other inputs} is one prediction, answered by one result line (every task).
A chat line {"id", "messages", "settings", "model": "tuned" | "base"} is answered by
{"type": "token", "id", "token"} lines as the reply grows, then one {"type": "result", "id",
"model", "result": {"text", "stopped", "tokens", "seconds", "first_token_seconds"}}, or one
{"type": "error", "id", "message", "fix"}. A line {"stop": id} ends that reply early (it is
read while a reply is being generated). The server keeps serving after any error.
"""

from __future__ import annotations

import json
import queue
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterable

from pft_desktop.core.errors import UserError

MODELS = ("tuned", "base")


class ChatModels:
    """The run's model and, on request, its base model: for an adapter the same loaded model
    with the adapter switched off (no extra memory), else the model the run started from,
    loaded when first asked for (a full model's second copy costs as much memory again)."""

    def __init__(self, predictor):
        self.predictor = predictor
        self.base = None

    @property
    def is_adapter(self) -> bool:
        return hasattr(self.predictor.model, "disable_adapter")

    def base_name(self) -> str:
        from pft_desktop.core.models import display_name

        info = self.predictor.info
        source = info.get("base_model_source") or info.get("base_model") or ""
        return display_name(str(source)) if source else ""

    def use(self, which: str):
        """A context in which ``which`` ("tuned" or "base") is the model to generate with."""
        if which not in MODELS:
            raise UserError("invalid_request", f"model = {which!r} names no model here.",
                            "Ask for \"tuned\" (the run's model) or \"base\".")
        return self._using(which)

    @contextmanager
    def _using(self, which: str):
        if which == "tuned":
            yield self.predictor.model
        elif self.is_adapter:
            with self.predictor.model.disable_adapter():
                yield self.predictor.model
        else:
            yield self._loaded_base()

    def _loaded_base(self):
        if self.base is None:
            import torch
            import transformers

            info = self.predictor.info
            auto = getattr(transformers, self.predictor.spec.auto_class_for(info))
            try:
                self.base = auto.from_pretrained(base_model_folder(info),
                                                 dtype=torch.float32).eval()
            except UserError:
                raise
            except Exception as exc:
                raise UserError("base_model_failed", f"The base model could not be loaded "
                                f"({type(exc).__name__}: {str(exc)[:200]}).",
                                "Compare against it once it loads with transformers.") from None
        return self.base


def base_model_folder(info: dict) -> Path:
    """The folder of the model a run started from: where training read it, else the Hugging
    Face cache. Never downloaded here: a reply should not wait for gigabytes."""
    if info.get("from_scratch"):
        raise UserError("no_base_model", "This model was built from scratch: it has no base "
                        "model to compare with.", "Compare runs on the Runs page instead.")
    path = Path(str(info.get("base_model") or "")).expanduser()
    if str(info.get("base_model") or "") and (path / "config.json").is_file():
        return path
    source = str(info.get("base_model_source") or info.get("base_model") or "")
    if not source:
        raise UserError("no_base_model", "This model folder does not say which model it "
                        "started from.", "Open the run it came from to compare with its base.")
    from pft_desktop.core.models import cached_hub_models

    for model in cached_hub_models():
        if model.get("id") == source:
            return Path(model["path"])
    raise UserError("base_model_missing", f"The base model {source} is not on "
                    "this computer any more.", "Download it again (Model page), or compare "
                    "without it.")


def _unexpected(exc: Exception) -> UserError:
    text = f"{type(exc).__name__}: {str(exc)[:300]}"
    if "out of memory" in text.lower() or isinstance(exc, MemoryError):
        return UserError("out_of_memory", "The model ran out of memory while replying.",
                         "Lower max new tokens, or start a new chat (a shorter conversation).")
    return UserError("internal", f"The reply failed unexpectedly ({text}).",
                     "Try again; if it keeps failing, start a new chat.")


class Server:
    """Answers requests one at a time; a reader thread takes lines as they come, so that a
    stop line reaches the reply being generated."""

    def __init__(self, predictor, write: Callable[[dict], None]):
        self.predictor, self.write = predictor, write
        self.models = ChatModels(predictor)
        self.requests: queue.Queue = queue.Queue()
        self.cancelled: set = set()

    def ready_line(self) -> dict:
        p = self.predictor
        return {"type": "ready", "task": p.task, "inputs": [vars(f) for f in p.inputs()],
                "chat": bool(getattr(p.spec, "chat", False)),
                "base_model": self.models.base_name(),
                "base_is_adapter_off": self.models.is_adapter}

    def serve(self, lines: Iterable[str]) -> None:
        self.write(self.ready_line())
        threading.Thread(target=self._read, args=(lines,), daemon=True).start()
        while (line := self.requests.get()) is not None:
            self.answer(line)

    def _read(self, lines: Iterable[str]) -> None:
        try:
            for line in lines:
                if not line.strip():
                    continue
                try:
                    request = json.loads(line)
                except ValueError:
                    request = None
                if isinstance(request, dict) and set(request) == {"stop"}:
                    self.cancelled.add(_key(request["stop"]))
                else:
                    self.requests.put(line)
        finally:
            self.requests.put(None)

    def answer(self, line: str) -> None:
        try:
            request = json.loads(line)
            if isinstance(request, dict) and "messages" in request:
                self.chat(request)
                return
            inputs = request
            result = self.predictor(inputs)
            summary = self.predictor.spec.describe(result, inputs) if "error" not in result \
                else ""
            self.write({"type": "result", "input": inputs.get("text", ""), **result,
                        "summary": summary})
        except Exception as exc:  # keep serving; report the problem for this input
            self.write({"type": "error", "message": str(exc)})

    def chat(self, request: dict) -> None:
        from pft_desktop.core.chat_generate import GenerationSettings, generate_reply

        rid, which = request.get("id"), request.get("model", "tuned")
        try:
            if not getattr(self.predictor.spec, "chat", False):
                raise UserError("not_a_chat_model", f"This is a {self.predictor.task} model: "
                                "it does not chat.", "Send {\"text\": ...} for a prediction.")
            settings = GenerationSettings.from_dict(request.get("settings"))
            with self.models.use(which) as model:
                reply = generate_reply(
                    model, self.predictor.tokenizer, request["messages"], settings,
                    on_text=lambda piece: self.write({"type": "token", "id": rid,
                                                      "token": piece}),
                    cancel=lambda: _key(rid) in self.cancelled)
            self.write({"type": "result", "id": rid, "model": which,
                        "result": reply.to_dict()})
        except Exception as exc:  # keep serving; this request gets the message
            error = exc if isinstance(exc, UserError) else _unexpected(exc)
            self.write({"type": "error", "id": rid, "model": which, **error.to_dict()})


def _key(request_id) -> str:
    return json.dumps(request_id)
