"""Chat templates: how a conversation is written as text for a model, which of its tokens are
learned, and which token ends the assistant's turn (and so must stop generation).

The model's own template (its tokenizer's ``chat_template``) is used whenever it has one, so a
tuned model is prompted the same way in training, in the try box and after export. A model
without one gets a template chosen in the settings; the templates offered here end the
assistant's turn with a token the vocabulary already has, so nothing is learned from untrained
embedding rows. Heavy imports stay inside the functions: the window imports this module.
"""

from __future__ import annotations

from pft_desktop.core.errors import UserError
from pft_desktop.core.messages import message

IGNORE = -100
DEFAULT_TEMPLATE = "plain"
TEMPLATES = {
    "chatml": ("{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\n' + "
               "message['content'] + '<|im_end|>' + '\n' }}{% endfor %}"
               "{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}"),
    "llama3": ("{% for message in messages %}{{ '<|start_header_id|>' + message['role'] + "
               "'<|end_header_id|>\n\n' + message['content'] + '<|eot_id|>' }}{% endfor %}"
               "{% if add_generation_prompt %}"
               "{{ '<|start_header_id|>assistant<|end_header_id|>\n\n' }}{% endif %}"),
    "zephyr": ("{% for message in messages %}{{ '<|' + message['role'] + '|>\n' + "
               "message['content'] + eos_token + '\n' }}{% endfor %}"
               "{% if add_generation_prompt %}{{ '<|assistant|>\n' }}{% endif %}"),
    "plain": ("{% for message in messages %}{% if message['role'] == 'system' %}"
              "{{ message['content'] + '\n\n' }}{% elif message['role'] == 'user' %}"
              "{{ 'User: ' + message['content'] + '\n' }}{% else %}"
              "{{ 'Assistant: ' + message['content'] + eos_token + '\n' }}{% endif %}"
              "{% endfor %}{% if add_generation_prompt %}{{ 'Assistant:' }}{% endif %}"),
}
# 'plain' prompts with "Assistant:" and writes "Assistant: reply": byte-level tokenizers fold the
# space into the reply's first token, which must fall inside the learned part.
# Tokens a template needs in the vocabulary (the others use the model's own end token).
TEMPLATE_TOKENS = {"chatml": ("<|im_start|>", "<|im_end|>"),
                   "llama3": ("<|start_header_id|>", "<|end_header_id|>", "<|eot_id|>")}
SENTINEL = "\u2063PFT\u2063"  # a reply no real data contains, to find where a turn ends


def ensure_chat_template(tokenizer, choice: str = "") -> str:
    """Give ``tokenizer`` the template to train with and say which in words: the chosen
    one, else the model's own, else the default. A template whose tokens the vocabulary lacks
    is refused (new embedding rows would start untrained)."""
    if not choice and getattr(tokenizer, "chat_template", None):
        return message("template.own")
    name = choice or DEFAULT_TEMPLATE
    if name not in TEMPLATES:
        raise UserError("invalid_config", message("error.unknown_template", name=repr(name)),
                        message("fix.unknown_template", templates=", ".join(TEMPLATES)))
    vocabulary = tokenizer.get_vocab()
    missing = [token for token in TEMPLATE_TOKENS.get(name, ()) if token not in vocabulary]
    if missing:
        raise UserError("template_tokens_missing", message(
            "error.template_tokens", name=name, tokens=", ".join(missing)),
            message("fix.template_tokens"))
    if tokenizer.eos_token is None:
        raise UserError("no_eos_token", message("error.no_eos_token"),
                        message("fix.no_eos_token"))
    tokenizer.chat_template = TEMPLATES[name]
    return message("template.chosen" if choice else "template.default", name=name)


def render(tokenizer, turns: list[dict], generation_prompt: bool = False) -> str:
    """The conversation as the model reads it. Template errors (a model whose template
    refuses a system turn, say) come back as a message, not a traceback."""
    try:
        return tokenizer.apply_chat_template(turns, tokenize=False,
                                             add_generation_prompt=generation_prompt)
    except Exception as exc:  # jinja2's TemplateError, or the template's raise_exception
        raise UserError("chat_template_failed", message("error.template_refused",
                                                        error=str(exc)[:200]),
                        message("fix.template_refused")) from None


def render_prompt(tokenizer, messages: list[dict]) -> str:
    """The text a reply is generated from: the conversation and the assistant's opening."""
    if not getattr(tokenizer, "chat_template", None):
        return tokenizer.apply_chat_template(messages, tokenize=False,
                                             add_generation_prompt=True,
                                             chat_template=_default_template(tokenizer))
    return render(tokenizer, messages, generation_prompt=True)


def _default_template(tokenizer) -> str:
    return TEMPLATES[DEFAULT_TEMPLATE] if tokenizer.eos_token else TEMPLATES["chatml"]


def end_of_turn_token(tokenizer) -> str | None:
    """The special token the template writes right after an assistant's reply (``<|im_end|>``,
    ``<|eot_id|>``, or the end-of-sequence token), or None when the turn ends in plain text."""
    text = render(tokenizer, [{"role": "user", "content": "Hi"},
                              {"role": "assistant", "content": SENTINEL}])
    after = text[text.index(SENTINEL) + len(SENTINEL):]
    specials = set(tokenizer.all_special_tokens) | {
        str(token) for token in getattr(tokenizer, "added_tokens_decoder", {}).values()
        if getattr(token, "special", False)}
    for token in sorted(specials, key=len, reverse=True):
        if token and after.lstrip(" ").startswith(token):
            return token
    return None


def stop_token_ids(tokenizer) -> list[int]:
    """Generation stops at the end-of-sequence token and at the template's end of turn."""
    ids = []
    if tokenizer.eos_token_id is not None:
        ids.append(int(tokenizer.eos_token_id))
    if getattr(tokenizer, "chat_template", None):
        token = end_of_turn_token(tokenizer)
        if token is not None:
            ids.append(int(tokenizer.convert_tokens_to_ids(token)))
    return sorted(set(ids))


def assistant_spans(tokenizer, turns: list[dict], text: str) -> list[tuple[int, int]]:
    """Character spans of ``text`` (the rendered conversation) that hold the assistant's
    replies and the end-of-turn token after each: the part that is learned.

    Each reply starts where the template's generation prompt for it ends and stops where the
    conversation rendered up to that reply ends (trailing whitespace between turns is not
    learned). A template that renders earlier turns differently once later ones follow (some
    drop past reasoning) is handled by finding the reply's text instead."""
    spans, cursor = [], 0
    for index, turn in enumerate(turns):
        if turn["role"] != "assistant":
            continue
        before = render(tokenizer, turns[:index], generation_prompt=True)
        upto = render(tokenizer, turns[:index + 1])
        if text.startswith(before) and text.startswith(upto) and len(upto) > len(before):
            start, end = len(before), len(upto)
        else:
            start = text.find(turn["content"], cursor)
            if start < 0:
                raise UserError("chat_template_failed", message("error.template_rewrites"),
                                message("fix.template_rewrites"))
            end = start + len(turn["content"])
            token = end_of_turn_token(tokenizer)
            if token and text[end:].lstrip(" ").startswith(token):
                end = text.index(token, end) + len(token)
        while end > start and text[end - 1].isspace():
            end -= 1
        spans.append((start, end))
        cursor = end
    return spans


def tokenize_conversation(tokenizer, turns: list[dict], max_length: int,
                          train_on_prompt: bool = False):
    """(input_ids, labels) of one conversation: labels are the ids on the assistant's replies
    (and their end-of-turn tokens), -100 elsewhere; every id when ``train_on_prompt``. Cut to
    ``max_length``; None when nothing learnable is left."""
    text = render(tokenizer, turns)
    spans = assistant_spans(tokenizer, turns, text)
    if getattr(tokenizer, "is_fast", False):
        encoded = tokenizer(text, add_special_tokens=False, return_offsets_mapping=True)
        ids = list(encoded["input_ids"])[:max_length]
        learned = [any(start <= begin < end for start, end in spans)
                   for begin, _ in list(encoded["offset_mapping"])[:max_length]]
    else:  # no character offsets: tokenize the pieces between span edges one by one
        ids, learned, edge = [], [], 0
        for start, end in spans + [(len(text), len(text))]:
            for piece, is_reply in ((text[edge:start], False), (text[start:end], True)):
                if piece:
                    piece_ids = tokenizer(piece, add_special_tokens=False)["input_ids"]
                    ids += piece_ids
                    learned += [is_reply] * len(piece_ids)
            edge = end
        ids, learned = ids[:max_length], learned[:max_length]
    labels = list(ids) if train_on_prompt else [
        token if is_reply else IGNORE for token, is_reply in zip(ids, learned)]
    if all(label == IGNORE for label in labels):
        return None
    return ids, labels


def highlighted_example(tokenizer, ids: list[int], labels: list[int]) -> list[tuple[str, bool]]:
    """The rendered example as (text, learned) pieces, for the data report to show which
    tokens the loss is on."""
    pieces = []
    for token, label in zip(ids, labels):
        text = tokenizer.decode([token])
        learned = label != IGNORE
        if pieces and pieces[-1][1] == learned:
            pieces[-1] = (pieces[-1][0] + text, learned)
        else:
            pieces.append((text, learned))
    return pieces
