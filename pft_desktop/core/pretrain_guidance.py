"""What to expect from pretraining, said before it starts: the app's time estimate set
against what benchmarks/bench_pretrain_pays.py measured (README, "The claim, measured on this
machine"), so nobody spends an afternoon on a pretraining that cannot pay."""

from __future__ import annotations

# SST-2 dev accuracy after fine-tuning each starting point on LABELS labelled sentences (seed
# 0: the other seeds had not finished when this was written); the pretrainings' wall minutes
# on 2 CPU cores shared with other work. From benchmarks/bench_pretrain_pays.py's table
# (README); update both together.
MEASURED = {
    "labels": 500,
    "random": 0.552, "scratch": 0.509, "minilm": 0.794, "continued": 0.791,  # seed means
    "seeds": 3,
    # The larger standard deviation over seeds of the two compared starts (MiniLM as shipped
    # and continued): what a difference between them has to beat.
    "spread": 0.012,
    "scratch_minutes": 14, "continued_minutes": 17,
}
# Beyond this many hours on a CPU the estimate is at least not trivially small; it is still
# far below the GPU-hours a new encoder needs (the measured one had well under one hour).
CPU_HOURS_STILL_SMALL = 8.0
GPU_HOURS_TO_START_PAYING = 1.0


def duration_text(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 90 * 60:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


def pretraining_guidance(from_scratch: bool, seconds: float | None, device: str = "cpu",
                         measured: dict | None = None) -> str:
    """A few sentences on what this pretraining can be expected to give, from the estimated
    ``seconds`` (None: not known yet, before the data is checked) on ``device`` ('cpu' or a
    GPU) and the measured figures."""
    m = measured or MEASURED
    on = "a CPU" if device == "cpu" else "a GPU"
    parts = []
    if seconds:
        parts.append(f"Estimated pretraining time: about {duration_text(seconds)} on {on}.")
    figures = (f"measured on SST-2 with {m['labels']} labels, an encoder pretrained from "
               f"scratch here for {m['scratch_minutes']:.0f} min reached {m['scratch']:.3f} dev "
               f"accuracy, random weights {m['random']:.3f}, the pretrained all-MiniLM-L6-v2 "
               f"{m['minilm']:.3f}")
    if from_scratch:
        hours = (seconds or 0) / 3600
        if device == "cpu" and hours <= CPU_HOURS_STILL_SMALL:
            parts.append(f"From scratch on a CPU for this long, expect about what random weights "
                         f"give ({figures}). A new model needs a GPU for hours before it beats "
                         "random weights; on a CPU, continue pretraining a pretrained model on "
                         "your text instead.")
        elif device == "cpu":
            parts.append(f"Even this long on a CPU is a small budget for a new model: expect "
                         f"little over random weights ({figures}). From scratch needs a GPU for "
                         "hours.")
        elif hours < GPU_HOURS_TO_START_PAYING:
            parts.append("Under an hour of GPU time is short for a new model: expect little "
                         f"over random weights ({figures}).")
        else:
            parts.append("Hours on a GPU are where a new model starts to learn what transfers; "
                         "still compare it with fine-tuning a pretrained model directly "
                         f"({figures}).")
        return " ".join(parts)
    gain = m["continued"] - m["minilm"]
    # With one seed there is no spread to judge by: two points of accuracy stand in for it.
    margin = m["spread"] if m.get("seeds", 3) > 1 else 0.02
    vary = f"seeds vary by {m['spread']:.3f}" if m.get("seeds", 3) > 1 else "one seed"
    if gain > margin:
        parts.append("Continued pretraining of a pretrained model on your own domain's text is "
                     "what helps at this budget: measured on SST-2 with "
                     f"{m['labels']} labels, {m['continued_minutes']:.0f} min of it raised "
                     f"all-MiniLM-L6-v2 from {m['minilm']:.3f} to {m['continued']:.3f} dev "
                     "accuracy.")
    else:
        parts.append("Continuing a pretrained model on your own domain's text is the "
                     "pretraining that can help at this budget (from scratch cannot), but in "
                     f"our measurement on SST-2 with {m['labels']} labels, "
                     f"{m['continued_minutes']:.0f} min of it left all-MiniLM-L6-v2 where it "
                     f"was ({m['continued']:.3f} against {m['minilm']:.3f} as shipped, "
                     f"{vary}). It helps most when your text differs from what the model was "
                     "trained on, and with more steps.")
    return " ".join(parts)
