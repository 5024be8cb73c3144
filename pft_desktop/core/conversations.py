"""Conversations from a table, in the layouts chat data comes in: OpenAI-style ``messages``
(role/content), ShareGPT ``conversations`` (from/value), Alpaca (instruction/input/output) and
plain prompt/response columns. Every layout becomes the same list of {"role", "content"} turns,
so the chat template, the masks and the try box see one shape. Qt-free and torch-free.
"""

from __future__ import annotations

import json

from pft_desktop.core.errors import UserError

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
            raise UserError("bad_conversation", f"{where} is not a conversation: its text is "
                            f"not a JSON list of turns ({value[:60]!r}).",
                            'Write each conversation as a list like [{"role": "user", '
                            '"content": "…"}, {"role": "assistant", "content": "…"}], or map '
                            "prompt and response columns instead.") from None
    if hasattr(value, "tolist"):  # a numpy array from Parquet
        value = value.tolist()
    if not isinstance(value, (list, tuple)) or not value:
        raise UserError("bad_conversation", f"{where} is not a list of turns.",
                        'Write each conversation as a list of {"role": …, "content": …} turns.')
    turns = []
    for number, turn in enumerate(value, 1):
        if not isinstance(turn, dict):
            raise UserError("bad_conversation", f"{where}, turn {number} is not a "
                            f"role/content pair ({str(turn)[:60]!r}).",
                            'Write each turn as {"role": "user", "content": "…"}.')
        role_key = next((key for key in ROLE_KEYS if key in turn), None)
        content_key = next((key for key in CONTENT_KEYS if key in turn), None)
        if role_key is None or content_key is None:
            raise UserError("bad_conversation", f"{where}, turn {number} has the keys "
                            f"{', '.join(map(str, turn)) or 'none'}; a turn needs a role "
                            "(role or from) and a text (content or value).",
                            "Use the OpenAI layout (role/content) or ShareGPT's (from/value).")
        speaker = str(turn[role_key]).strip().lower()
        role = SPEAKERS.get(speaker)
        if role is None:
            raise UserError("bad_conversation", f"{where}, turn {number} has the role "
                            f"{turn[role_key]!r}, which is none of system, user, assistant "
                            "(or ShareGPT's human, gpt).", "Rename the role in the data.")
        content = turn[content_key]
        turns.append({"role": role, "content": "" if content is None else str(content)})
    return turns


def check_turns(turns: list[dict], where: str) -> list[dict]:
    """A trainable conversation: an optional system turn first, then user and assistant taking
    turns, with at least one assistant answer (the part that is learned)."""
    body = turns[1:] if turns and turns[0]["role"] == "system" else turns
    if any(turn["role"] == "system" for turn in body):
        raise UserError("bad_conversation", f"{where} has a system turn after the first turn.",
                        "Put the system prompt first, once per conversation.")
    if not any(turn["role"] == "assistant" and turn["content"].strip() for turn in body):
        raise UserError("bad_conversation", f"{where} has no assistant answer to learn.",
                        "Each conversation needs at least one non-empty assistant turn.")
    for before, after in zip(body, body[1:]):
        if before["role"] == after["role"]:
            raise UserError("bad_conversation", f"{where} has two {before['role']} turns in a "
                            "row.", "Let user and assistant take turns (merge the two).")
    if body and body[0]["role"] != "user":
        raise UserError("bad_conversation", f"{where} starts with the assistant.",
                        "Start each conversation with the user's turn (after the system "
                        "prompt).")
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
        return f"conversations (column '{data.conversation_column}')"
    if data.input_column:
        return "instruction / input / output (Alpaca)"
    return "prompt / response"


def _text(value) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value).strip()
