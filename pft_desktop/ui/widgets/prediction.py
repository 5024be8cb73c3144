"""A prediction from the ``serve`` child process, as rich text: the Results page's try box and
the compare view's base-against-tuned row show answers the same way."""

from __future__ import annotations

from html import escape

ERROR_COLOUR = "#b91c1c"


def prediction_html(message: dict, bar_width: int = 30) -> str:
    """One ``result`` or ``error`` line of ``pft-desktop serve``: class probabilities as bars,
    mask guesses, or generated text. Empty for anything else (``ready``)."""
    kind = message.get("type")
    if kind == "error":
        return f"<span style='color:{ERROR_COLOUR}'>{escape(str(message.get('message')))}</span>"
    if kind != "result":
        return ""
    if "probabilities" in message:
        bars = "<br>".join(
            f"{escape(str(name))}: <span style='color:#2563eb'>{'█' * int(p * bar_width)}"
            f"</span> {p:.1%}"
            for name, p in sorted(message["probabilities"].items(), key=lambda x: -x[1]))
        return f"<b>{escape(str(message['label']))}</b> ({message['score']:.1%})<br>{bars}"
    if "fill" in message:
        guesses = " · ".join(f"{escape(str(g['token']))} {g['score']:.1%}"
                             for g in message["fill"][0])
        return f"<b>{escape(str(message['text']))}</b><br>Guesses: {guesses}"
    if "error" in message:
        return escape(str(message["error"]))
    return f"<b>Generated:</b> {escape(str(message.get('text', '')))}"
