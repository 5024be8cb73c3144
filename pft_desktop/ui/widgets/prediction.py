"""A prediction from the ``serve`` child process, as rich text: the Results page's try box and
the compare view's base-against-tuned row show answers the same way."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QCoreApplication

translate = QCoreApplication.translate  # the name pyside6-lupdate reads

ERROR_COLOUR = "#b91c1c"


def prediction_html(message: dict, bar_width: int = 30) -> str:
    """One ``result`` or ``error`` line of ``pft-desktop serve``: class probabilities as bars,
    mask guesses, or generated text. Empty for anything else (``ready``)."""
    kind = message.get("type")
    if kind == "error":
        from pft_desktop.ui.i18n import core_text

        text = core_text(message["message"]) if message.get("message") else \
            str(message.get("message"))
        return f"<span style='color:{ERROR_COLOUR}'>{escape(text)}</span>"
    if kind != "result":
        return ""
    if "probabilities" in message and "label" in message:
        bars = "<br>".join(
            f"{escape(str(name))}: <span style='color:#2563eb'>{'█' * int(p * bar_width)}"
            f"</span> {p:.1%}"
            for name, p in sorted(message["probabilities"].items(), key=lambda x: -x[1]))
        return f"<b>{escape(str(message['label']))}</b> ({message['score']:.1%})<br>{bars}"
    if "labels" in message and "probabilities" in message:  # several labels
        chosen = set(message["labels"])
        bars = "<br>".join(
            f"{'<b>' if name in chosen else ''}{escape(str(name))}"
            f"{'</b>' if name in chosen else ''}: <span style='color:#2563eb'>"
            f"{'█' * int(p * bar_width)}</span> {p:.1%}"
            for name, p in sorted(message["probabilities"].items(), key=lambda x: -x[1])[:12])
        names = ", ".join(escape(str(name)) for name in message["labels"]) or \
            translate("Prediction", "none")
        labels = translate("Prediction", "Labels: {names}").format(names=names)
        return f"<b>{labels}</b><br>{bars}"
    if "value" in message:
        return translate("Prediction", "<b>Predicted value:</b> {value:.4g}").format(
            value=message["value"])
    if "entities" in message:
        return entities_html(str(message.get("text", "")), message["entities"])
    if "answer" in message:
        answer = escape(str(message["answer"])) or \
            "<i>" + translate("Prediction", "no answer in the context") + "</i>"
        return translate("Prediction", "<b>Answer:</b> {answer} ({score:.1%})").format(
            answer=answer, score=message.get("score", 0))
    if "fill" in message:
        guesses = " · ".join(f"{escape(str(g['token']))} {g['score']:.1%}"
                             for g in message["fill"][0])
        guesses = translate("Prediction", "Guesses: {guesses}").format(guesses=guesses)
        return f"<b>{escape(str(message['text']))}</b><br>{guesses}"
    if "error" in message:
        return escape(str(message["error"]))
    if "text" in message:
        return translate("Prediction", "<b>Generated:</b> {text}").format(
            text=escape(str(message.get("text", ""))))
    return escape(str(message.get("summary", "")))


COLOURS = ("#dbeafe", "#dcfce7", "#fef3c7", "#fce7f3", "#ede9fe", "#cffafe", "#fee2e2")


def entities_html(text: str, entities: list[dict]) -> str:
    """The text with each entity highlighted and its type after it, one colour per type."""
    types = sorted({str(e.get("label", "")) for e in entities})
    colour = {name: COLOURS[i % len(COLOURS)] for i, name in enumerate(types)}
    out, at = [], 0
    for entity in sorted(entities, key=lambda e: e.get("start", 0)):
        start, end = int(entity.get("start", 0)), int(entity.get("end", 0))
        if start < at or end > len(text):
            continue
        label = str(entity.get("label", ""))
        out.append(escape(text[at:start]))
        out.append(f"<span style='background:{colour[label]}; color:#1f2933'>"  # light marks
                   f"{escape(text[start:end])} "
                   f"<b><small>{escape(label)}</small></b></span>")
        at = end
    out.append(escape(text[at:]))
    found = "".join(out) if entities else escape(text) + "<br><i>No entities found.</i>"
    return found
