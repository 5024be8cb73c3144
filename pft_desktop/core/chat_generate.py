"""A chat reply from a decoder: the conversation written by its chat template, generated with
the person's settings, streamed as text while it grows, and ended at the template's end of
turn, a stop string, the token limit or a cancel.

One decoding of the generated tokens decides everything the person sees: the streamed pieces,
where a stop string cuts the reply, and the final text, so the pieces always join up to the
final text (nothing streamed is taken back). Heavy imports stay inside the functions.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable

from pft_desktop.core import chat
from pft_desktop.core.errors import UserError

END_OF_TURN, LENGTH, STOP_STRING, CANCELLED = "end_of_turn", "length", "stop_string", "cancelled"
MAX_NEW_TOKENS = 8192
MAX_STOP_STRINGS = 16
HELD = " \t\r\n\ufffd"  # held back until more follows: may vanish or change (cut bytes, spaces)


def _bad(message: str, fix: str) -> UserError:
    return UserError("invalid_generation_settings", message, fix)


@dataclass
class GenerationSettings:
    """How a reply is generated. temperature 0 takes the likeliest token every time."""

    temperature: float = 0.0
    top_p: float = 1.0
    max_new_tokens: int = 128
    stop: list[str] = field(default_factory=list)

    @classmethod
    def from_dict(cls, given: dict | None) -> "GenerationSettings":
        """Settings from a request, each checked, with a message naming the one that is
        wrong (an unknown name is refused: a typo would otherwise be silently ignored)."""
        if not isinstance(given, (dict, type(None))):
            raise _bad("The generation settings are not a JSON object.",
                       'Send for example {"temperature": 0.7, "max_new_tokens": 128}.')
        given = dict(given or {})
        unknown = sorted(set(given) - set(cls.__dataclass_fields__))
        if unknown:
            raise _bad(f"Unknown generation setting{'s' if len(unknown) > 1 else ''}: "
                       f"{', '.join(unknown)}.", "The settings are temperature, top_p, "
                       "max_new_tokens and stop.")
        settings = cls(**given)
        settings.check()
        return settings

    def check(self) -> None:
        t, p, n = self.temperature, self.top_p, self.max_new_tokens
        if isinstance(t, bool) or not isinstance(t, (int, float)) or not 0 <= t <= 10:
            raise _bad(f"Temperature {t!r} is not a number from 0 to 10.", "Use 0 for the "
                       "likeliest reply every time, or about 0.7 for varied replies.")
        if isinstance(p, bool) or not isinstance(p, (int, float)) or not 0 < p <= 1:
            raise _bad(f"Top-p {p!r} is not a number above 0 and at most 1.", "Use 1 to sample "
                       "from every token, or 0.9 to leave out the unlikely tail.")
        if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= MAX_NEW_TOKENS:
            raise _bad(f"Max new tokens {n!r} is not a whole number from 1 to "
                       f"{MAX_NEW_TOKENS:,}.", "Use for example 128 for a short reply.")
        if not isinstance(self.stop, list) or not all(isinstance(s, str) and s
                                                      for s in self.stop):
            raise _bad("The stop strings must be a list of non-empty texts.",
                       'Send for example ["\\nUser:"], or an empty list.')
        if len(self.stop) > MAX_STOP_STRINGS:
            raise _bad(f"{len(self.stop)} stop strings are more than {MAX_STOP_STRINGS}.",
                       "Keep the few that end a reply.")


@dataclass
class Reply:
    text: str
    stopped: str          # END_OF_TURN, LENGTH, STOP_STRING or CANCELLED
    tokens: int           # tokens generated, the end-of-turn token included
    seconds: float
    first_token_seconds: float | None = None

    def to_dict(self) -> dict:
        return {"text": self.text, "stopped": self.stopped, "tokens": self.tokens,
                "seconds": round(self.seconds, 3),
                "first_token_seconds": None if self.first_token_seconds is None
                else round(self.first_token_seconds, 3)}


class ReplyText:
    """The reply as text: decoded without special tokens, cut at the first stop string,
    leading spaces dropped (a template that prompts "Assistant:" is answered " Hi")."""

    def __init__(self, tokenizer, stop: list[str]):
        self.tokenizer, self.stop = tokenizer, stop

    def visible(self, ids: list[int]) -> tuple[str, bool]:
        """(text, whether a stop string cut it)."""
        raw = self.tokenizer.decode(ids, skip_special_tokens=True)
        cut = min((at for at in (raw.find(s) for s in self.stop) if at >= 0), default=-1)
        return (raw[:cut] if cut >= 0 else raw).lstrip(), cut >= 0

    def final(self, ids: list[int]) -> str:
        return self.visible(ids)[0].rstrip()

    def safe_length(self, text: str) -> int:
        """How much of ``text`` can be shown now: not a tail that may still become a stop
        string, nor trailing spaces or half a character."""
        held = len(text) - len(text.rstrip(HELD))
        for stop in self.stop:
            for k in range(min(len(stop) - 1, len(text)), held, -1):
                if text.endswith(stop[:k]):
                    held = k
                    break
        return len(text) - held


def _streamer(reply: ReplyText, on_text: Callable[[str], None], started: float):
    """A transformers streamer that hands on each new piece of the visible reply."""
    from transformers.generation.streamers import BaseStreamer

    class PieceStreamer(BaseStreamer):
        def __init__(self):
            self.ids: list[int] = []
            self.shown = ""
            self.prompt_seen = False
            self.first_token_at: float | None = None

        def put(self, value):
            if not self.prompt_seen:  # generate hands over the prompt first
                self.prompt_seen = True
                return
            if self.first_token_at is None:
                self.first_token_at = time.monotonic() - started
            self.ids += [int(token) for token in value.reshape(-1).tolist()]
            text, _ = reply.visible(self.ids)
            self._show(text[:reply.safe_length(text)])

        def end(self):
            self._show(reply.final(self.ids))

        def _show(self, text: str) -> None:
            # A decoding that changed what was already shown (rare) is left to the final text.
            if len(text) > len(self.shown) and text.startswith(self.shown):
                on_text(text[len(self.shown):])
                self.shown = text

    return PieceStreamer()


def _stopping(reply: ReplyText, prompt_length: int, cancel: Callable[[], bool]):
    """Stop once a stop string appears in the visible text, or when cancelled."""
    import torch
    from transformers import StoppingCriteria

    class StopWhen(StoppingCriteria):
        cancelled = False  # a cancel seen while generating (not one after the reply ended)

        def __call__(self, input_ids, scores, **kwargs):
            self.cancelled = self.cancelled or cancel()
            done = self.cancelled or bool(reply.stop) and reply.visible(
                input_ids[0, prompt_length:].tolist())[1]
            return torch.full((input_ids.shape[0],), done, dtype=torch.bool,
                              device=input_ids.device)

    return StopWhen()


def _position_limit(model) -> int | None:
    config = getattr(model, "config", None)
    for name in ("max_position_embeddings", "n_positions", "max_sequence_length"):
        value = getattr(config, name, None)
        if isinstance(value, int) and value > 0:
            return value
    return None


def check_messages(messages) -> list[dict]:
    """The conversation as a list of {"role", "content"} turns ending with the person's."""
    if not isinstance(messages, list) or not messages:
        raise UserError("invalid_messages", "The conversation is empty.",
                        "Send a list of messages such as [{\"role\": \"user\", \"content\": "
                        "\"Hello\"}].")
    for number, message in enumerate(messages, 1):
        if not isinstance(message, dict) or message.get("role") not in (
                "system", "user", "assistant") or not isinstance(message.get("content"), str):
            raise UserError("invalid_messages", f"Message {number} is not a {{\"role\", "
                            "\"content\"}} pair with role system, user or assistant.",
                            "Give each message a role and a text content.")
    if messages[-1]["role"] != "user":
        raise UserError("invalid_messages", "The conversation does not end with a user "
                        "message, so there is nothing to reply to.", "End it with the "
                        "person's message.")
    return [{"role": m["role"], "content": m["content"]} for m in messages]


def generate_reply(model, tokenizer, messages: list[dict], settings: GenerationSettings,
                   on_text: Callable[[str], None] | None = None,
                   cancel: Callable[[], bool] | None = None) -> Reply:
    """The model's reply to ``messages``. ``on_text`` receives the reply piece by piece as it
    is generated; ``cancel`` is asked every token and ends the reply early when it says so."""
    import torch

    started = time.monotonic()
    settings.check()
    messages = check_messages(messages)
    cancel = cancel or (lambda: False)
    if cancel():
        return Reply("", CANCELLED, 0, 0.0)
    prompt = chat.render_prompt(tokenizer, messages)
    batch = tokenizer(prompt, return_tensors="pt", add_special_tokens=False)
    length, limit = batch["input_ids"].shape[1], _position_limit(model)
    if limit and length >= limit:
        raise UserError("conversation_too_long", f"The conversation is {length:,} tokens, and "
                        f"the model reads at most {limit:,}.", "Start a new chat.")
    # Near the model's limit the reply gets the room left, and ends as cut by the limit.
    room = min(settings.max_new_tokens, limit - length) if limit else settings.max_new_tokens
    stop_ids = chat.stop_token_ids(tokenizer)
    reply = ReplyText(tokenizer, settings.stop)
    streamer = _streamer(reply, on_text or (lambda piece: None), started)
    sampling = {"do_sample": True, "temperature": float(settings.temperature),
                "top_p": float(settings.top_p)} if settings.temperature > 0 else \
        {"do_sample": False, "temperature": None, "top_p": None, "top_k": None}
    device = next(model.parameters()).device
    stopping = _stopping(reply, length, cancel)
    from transformers import StoppingCriteriaList

    with torch.inference_mode():
        output = model.generate(
            **{k: v.to(device) for k, v in batch.items()}, max_new_tokens=room,
            eos_token_id=stop_ids or None, streamer=streamer,
            pad_token_id=tokenizer.pad_token_id if tokenizer.pad_token_id is not None
            else (stop_ids or [None])[0],
            stopping_criteria=StoppingCriteriaList([stopping]),
            **sampling)
    ids = output[0, length:].tolist()
    _, cut = reply.visible(ids)
    stopped = CANCELLED if stopping.cancelled else STOP_STRING if cut else \
        END_OF_TURN if ids and ids[-1] in stop_ids else LENGTH
    return Reply(reply.final(ids), stopped, len(ids), time.monotonic() - started,
                 streamer.first_token_at)
