"""An Ollama Modelfile for an exported GGUF file: FROM, the chat template in Go template
syntax, the stop tokens, and the default system prompt.

The TEMPLATE is not picked from a list of known formats: the model's own Jinja chat template
renders conversations of sentinel messages, and the text around each sentinel becomes the Go
template's text around ``{{ .Content }}``. The pieces found are then checked by writing other
conversations with them and comparing with the Jinja template's own output; a template that
is not a plain sequence of turns (one that folds the system prompt into the first user turn,
say) gets no TEMPLATE and a comment saying why, rather than a wrong one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pft_desktop.core.errors import UserError

ROLES = ("system", "user", "assistant")
CONTENT = "{{ .Content }}"
_SENTINEL = "\u2063{}\u2063"  # invisible separators around a word no conversation contains
_CHECKS = [  # (turns, generation prompt): conversations the pieces must write as Jinja does
    ([("user", "Hello there")], True),
    ([("user", "Hi"), ("assistant", "Hello! How can I help?"), ("user", "Why\nnot?")], True),
    ([("system", "Be brief."), ("user", "Hi"), ("assistant", "Hey."), ("user", "Bye"),
      ("assistant", "Bye!")], False),
    ([("system", "Answer in French."), ("user", "Hello")], True),
]


@dataclass
class ChatPieces:
    """A chat template as text pieces: ``head`` once, then each message as its role's
    (before, after) around the content, then ``generation`` to prompt the reply."""

    head: str = ""
    roles: dict = field(default_factory=dict)
    generation: str = ""
    default_system: str | None = None  # written when a conversation has no system turn

    def write(self, turns: list[tuple[str, str]], generation: bool) -> str:
        """The conversation written with these pieces (what the Go template does, except
        that Ollama leaves a last assistant message open, for it to be continued)."""
        if self.default_system is not None and (not turns or turns[0][0] != "system"):
            turns = [("system", self.default_system), *turns]
        text = self.head + "".join(self.roles[role][0] + content + self.roles[role][1]
                                   for role, content in turns)
        return text + (self.generation if generation else "")


def _message(role: str, content: str) -> dict:
    return {"role": role, "content": content}


def chat_pieces(tokenizer) -> tuple[ChatPieces | None, str]:
    """The tokenizer's chat template as pieces, or None and the reason it cannot be."""
    from pft_desktop.core.chat import render

    if not getattr(tokenizer, "chat_template", None):
        return None, "this model has no chat template, so prompts are passed as they are"
    u1, a1, u2, s1 = (_SENTINEL.format(word) for word in ("U1", "A1", "U2", "S1"))
    try:
        one = render(tokenizer, [_message("user", u1)])
        two = render(tokenizer, [_message("user", u1), _message("assistant", a1)])
        three = render(tokenizer, [_message("user", u1), _message("assistant", a1),
                                   _message("user", u2)])
        prompt = render(tokenizer, [_message("user", u1)], generation_prompt=True)
    except UserError as error:
        return None, f"the chat template failed on a plain conversation ({error.message})"
    if not (three.startswith(two) and two.startswith(one) and prompt.startswith(one)):
        return None, "the chat template rewrites earlier turns as a conversation grows"
    pieces = ChatPieces(generation=prompt[len(one):])
    pieces.roles["user"] = _split(three[len(two):], u2)
    pieces.roles["assistant"] = _split(two[len(one):], a1)
    if None in pieces.roles.values():
        return None, "the chat template does not write each message once, as it is given"
    first_user = pieces.roles["user"][0] + u1 + pieces.roles["user"][1]
    if not one.endswith(first_user):
        return None, "the chat template writes the first user turn differently from the others"
    pieces.head = one[:len(one) - len(first_user)]
    try:
        with_system = render(tokenizer, [_message("system", s1), _message("user", u1)])
    except UserError:
        with_system = None  # the template takes no system prompt: none is written either
    if with_system is not None and not _add_system(pieces, with_system, first_user, s1):
        return None, "the chat template does not write the system prompt as a turn of its own"
    return _checked(tokenizer, pieces)


def _add_system(pieces: ChatPieces, text: str, first_user: str, sentinel: str) -> bool:
    """Find the system turn in ``text`` (a system and a user message). A template that writes
    a default system turn when there is none (Qwen2.5's) had it in ``head``: it becomes
    ``default_system``, which the Modelfile's SYSTEM gives Ollama to put in its place."""
    split = _split(text[:len(text) - len(first_user)], sentinel) \
        if text.endswith(first_user) else None
    if split is None:
        return False
    before, after = split
    if before.startswith(pieces.head):
        pieces.roles["system"] = (before[len(pieces.head):], after)
        return True
    head = pieces.head
    if len(head) < len(before) + len(after) or not (head.startswith(before) and
                                                    head.endswith(after)):
        return False
    pieces.roles["system"] = (before, after)
    pieces.default_system = head[len(before):len(head) - len(after)]
    pieces.head = ""
    return True


def _split(piece: str, sentinel: str) -> tuple[str, str] | None:
    """The text before and after the one sentinel in ``piece``, or None."""
    if piece.count(sentinel) != 1:
        return None
    before, after = piece.split(sentinel)
    return before, after


def _checked(tokenizer, pieces: ChatPieces) -> tuple[ChatPieces | None, str]:
    """The pieces, if they write every check conversation as the Jinja template does and
    hold nothing Go or the Modelfile would read as syntax."""
    from pft_desktop.core.chat import render

    for turns, generation in _CHECKS:
        if any(role not in pieces.roles for role, _ in turns):
            continue
        expected = render(tokenizer, [_message(role, text) for role, text in turns],
                          generation_prompt=generation)
        if pieces.write(turns, generation) != expected:
            return None, "the chat template's turns depend on more than their role and text"
    texts = [pieces.head, pieces.generation, *(p for pair in pieces.roles.values() for p in pair)]
    if any(mark in text for text in texts for mark in ("{{", "}}", '"""')):
        return None, "the chat template writes text that Go templates would read as syntax"
    return pieces, ""


def go_template(pieces: ChatPieces, drop_head: str = "") -> str:
    """Ollama's messages form: each message by role, the last assistant message left open
    (Ollama continues it), and the generation prompt after a last user or system message.
    ``drop_head`` is removed from the start (a start token llama.cpp adds by itself)."""
    head = pieces.head[len(drop_head):] if drop_head and pieces.head.startswith(drop_head) \
        else pieces.head
    branches = []
    for role in ROLES:
        if role not in pieces.roles:
            continue
        before, after = pieces.roles[role]
        close = f"{{{{ if not $last }}}}{after}{{{{ end }}}}" if role == "assistant" and after \
            else after
        branches.append(f'if eq .Role "{role}" }}}}{before}{CONTENT}{close}')
    return (f"{head}{{{{ range $i, $_ := .Messages }}}}\n"
            "{{- $last := eq (len (slice $.Messages $i)) 1 }}\n"
            "{{- " + "{{ else ".join(branches) + "{{ end }}\n"
            f'{{{{- if and $last (ne .Role "assistant") }}}}{pieces.generation}{{{{ end }}}}\n'
            "{{- end }}")


def _quoted(text: str) -> str | None:
    return None if '"""' in text else f'"""{text}"""'


def modelfile_text(tokenizer, gguf_name: str, system: str = "", adds_bos: bool = False) -> str:
    """The Modelfile for ``gguf_name`` beside it: FROM, TEMPLATE (when the chat template can
    be written in Go), SYSTEM (when a default system prompt is given) and a stop line for
    every token that ends generation (end of sequence and end of turn)."""
    from pft_desktop.core.chat import stop_token_ids

    lines = ["# Ollama Modelfile written by pft-desktop. Create the model with:",
             f"#   ollama create {gguf_name.rsplit('.', 1)[0]} -f Modelfile",
             f"FROM ./{gguf_name}"]
    pieces, why = chat_pieces(tokenizer)
    if pieces is None:
        lines.append(f"# No TEMPLATE: {why}.")
    else:
        start = tokenizer.bos_token if adds_bos and tokenizer.bos_token else ""
        lines.append(f"TEMPLATE {_quoted(go_template(pieces, start))}")
    if not system.strip() and pieces is not None and pieces.default_system:
        lines.append("# The chat template's own default system prompt (Ollama writes it "
                     "only when told):")
        system = pieces.default_system
    if system.strip():
        if pieces is not None and "system" not in pieces.roles:
            lines.append("# No SYSTEM: the chat template takes no system prompt.")
        elif _quoted(system) is None:
            lines.append('# No SYSTEM: the default system prompt contains """.')
        else:
            lines.append(f"SYSTEM {_quoted(system)}")
    try:
        ids = stop_token_ids(tokenizer)
    except UserError:  # a template that fails on a plain conversation: the end token only
        ids = [tokenizer.eos_token_id] if tokenizer.eos_token_id is not None else []
    for token in tokenizer.convert_ids_to_tokens(ids):
        if token and not any(mark in token for mark in ('"', "\\", "\n")):
            lines.append(f'PARAMETER stop "{token}"')
    return "\n".join(lines) + "\n"
