"""Conversations from a table, in the layouts chat data comes in: OpenAI-style ``messages``
(role/content), ShareGPT ``conversations`` (from/value), Alpaca (instruction/input/output) and
plain prompt/response columns. Every layout becomes the same list of {"role", "content"} turns,
so the chat template, the masks and the try box see one shape. Qt-free and torch-free.
"""

from __future__ import annotations

import json

from pft_desktop.core.errors import UserError
from pft_desktop.core.messages import message

CONVERSATION_NAMES = ("messages", "conversations", "conversation", "dialog", "dialogue", "chat",
                      "turns")
SYSTEM_NAMES = ("system", "system_prompt", "system_message")
INPUT_NAMES = ("input", "context")
ROLES = ("system", "user", "assistant")
# ShareGPT's speaker names (and common variants) -> the chat template's roles.
SPEAKERS = {"system": "system", "human": "user", "user": "user", "prompter": "user",
            "gpt": "assistant", "assistant": "assistant", "model": "assistant",
            "chatgpt": "assistant", "bing": "assistant", "bard": "assistant", "bot": "assistant"}
ROLE_KEYS = ("role", "from", "speaker", "author")
CONTENT_KEYS = ("content", "value", "text", "message")


def parse_turns(value, where: str) -> list[dict]:
    """A cell holding a conversation (a list, or its JSON text) as {"role", "content"} turns.
    ``where`` names the row for the message."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            raise UserError("bad_conversation", message(
                "error.not_json_turns", where=where, text=repr(value[:60])),
                message("fix.not_json_turns")) from None
    if hasattr(value, "tolist"):  # a numpy array from Parquet
        value = value.tolist()
    if not isinstance(value, (list, tuple)) or not value:
        raise UserError("bad_conversation", message("error.not_turns", where=where),
                        message("fix.not_turns"))
    turns = []
    for number, turn in enumerate(value, 1):
        if not isinstance(turn, dict):
            raise UserError("bad_conversation", message(
                "error.turn_not_pair", where=where, turn=number, text=repr(str(turn)[:60])),
                message("fix.turn_not_pair"))
        role_key = next((key for key in ROLE_KEYS if key in turn), None)
        content_key = next((key for key in CONTENT_KEYS if key in turn), None)
        if role_key is None or content_key is None:
            raise UserError("bad_conversation", message(
                "error.turn_keys", where=where, turn=number,
                keys=", ".join(map(str, turn)) or message("labels.none")),
                message("fix.turn_keys"))
        speaker = str(turn[role_key]).strip().lower()
        role = SPEAKERS.get(speaker)
        if role is None:
            raise UserError("bad_conversation", message(
                "error.turn_role", where=where, turn=number, role=repr(turn[role_key])),
                message("fix.turn_role"))
        content = turn[content_key]
        turns.append({"role": role, "content": "" if content is None else str(content)})
    return turns


def check_turns(turns: list[dict], where: str) -> list[dict]:
    """A trainable conversation: an optional system turn first, then user and assistant taking
    turns, with at least one assistant answer (the part that is learned)."""
    body = turns[1:] if turns and turns[0]["role"] == "system" else turns
    if any(turn["role"] == "system" for turn in body):
        raise UserError("bad_conversation", message("error.late_system_turn", where=where),
                        message("fix.late_system_turn"))
    if not any(turn["role"] == "assistant" and turn["content"].strip() for turn in body):
        raise UserError("bad_conversation", message("error.no_assistant_answer", where=where),
                        message("fix.no_assistant_answer"))
    for before, after in zip(body, body[1:]):
        if before["role"] == after["role"]:
            raise UserError("bad_conversation", message(
                "error.two_turns", where=where, role=before["role"]),
                message("fix.two_turns"))
    if body and body[0]["role"] != "user":
        raise UserError("bad_conversation", message("error.assistant_first", where=where),
                        message("fix.assistant_first"))
    return turns


def row_turns(row: dict, data, system_prompt: str, where: str) -> list[dict]:
    """One row of the table as a conversation, whichever layout ``data`` (DataSettings) maps."""
    system = _text(row.get(data.system_column)) if data.system_column else ""
    system = system or system_prompt
    if data.conversation_column:
        turns = parse_turns(row.get(data.conversation_column), where)
    else:
        prompt = _text(row.get(data.prompt_column))
        extra = _text(row.get(data.input_column)) if data.input_column else ""
        if extra:
            prompt = f"{prompt}\n\n{extra}" if prompt else extra
        turns = [{"role": "user", "content": prompt},
                 {"role": "assistant", "content": _text(row.get(data.response_column))}]
    if system and not (turns and turns[0]["role"] == "system"):
        turns = [{"role": "system", "content": system}] + turns
    return check_turns(turns, where)


def looks_like_conversation(values) -> bool:
    """Whether most sample cells hold lists of turns (for guessing the conversation column;
    a few broken rows do not hide it)."""
    good = bad = 0
    for value in values:
        if value is None or (isinstance(value, float) and value != value):
            continue
        try:
            parse_turns(value, "sample")
            good += 1
        except UserError:
            bad += 1
    return good > 0 and good >= bad


def layout_name(data) -> str:
    """The layout in words, for the data report."""
    if data.conversation_column:
        return message("layout.conversations", column=data.conversation_column)
    if data.input_column:
        return message("layout.alpaca")
    return message("layout.prompt_response")


def _text(value) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value).strip()
