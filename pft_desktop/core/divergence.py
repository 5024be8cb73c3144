"""Is training going wrong? Fed each step's loss and gradient norm, it says when a run has
diverged (stop it) and when it looks stuck (say so, keep going).

Measured before this existed: full fine-tuning at learning rate 1.0 without clipping took the
loss from 0.69 to 238 within four steps; the run reported success and its export predicted one
class for everything.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass, field

BASELINE_STEPS = 5     # the loss "where it started": the median of the first steps
CLIMB_STEPS = 5        # diverged when this many steps in a row are far above the start
STUCK_AT_ZERO = 20     # a loss of exactly 0 for this many steps: nothing left to learn from
CONSTANT_STEPS = 50    # the identical loss for this many steps: nothing is changing


def climb_limit(start: float) -> float:
    """How far above its starting value a loss may climb before it counts as diverged:
    three times the start, and at least 2 nats above it (small starting losses wobble)."""
    return max(3.0 * start, start + 2.0)


@dataclass
class DivergenceWatch:
    """Feed it every logged step; ``diverged`` is a sentence once the run has gone wrong."""

    diverged: str = ""
    notes: list = field(default_factory=list)   # stuck-looking signs, each said once
    _first: list = field(default_factory=list)
    _high: int = 0
    _zero: int = 0
    _same: int = 0
    _last: float | None = None

    def feed(self, step: int, loss: float | None, grad_norm: float | None = None) -> str:
        """Returns the reason to stop ("" while all is well)."""
        if self.diverged:
            return self.diverged
        for name, value in (("loss", loss), ("gradient norm", grad_norm)):
            if value is not None and not math.isfinite(value):
                self.diverged = f"The {name} became {_word(value)} at step {step}."
                return self.diverged
        if loss is None:
            return ""
        if len(self._first) < BASELINE_STEPS:
            self._first.append(loss)
        else:
            start = statistics.median(self._first)
            self._high = self._high + 1 if loss > climb_limit(start) else 0
            if self._high >= CLIMB_STEPS:
                self.diverged = (f"The loss climbed from about {start:.3g} to {loss:.3g} and "
                                 f"stayed there for {CLIMB_STEPS} steps (step {step}).")
                return self.diverged
        self._zero = self._zero + 1 if loss == 0.0 else 0
        self._same = self._same + 1 if loss == self._last else 0
        self._last = loss
        if self._zero == STUCK_AT_ZERO:
            self._note(f"The loss has been exactly 0 for {STUCK_AT_ZERO} steps (step {step}): "
                       "the model may be predicting the labels from a leak in the data, or the "
                       "labels may all be the same.")
        elif self._same == CONSTANT_STEPS and loss != 0.0:
            self._note(f"The loss has not changed for {CONSTANT_STEPS} steps (step {step}): "
                       "the learning rate may be 0, or nothing is being trained.")
        return ""

    def _note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    def advice(self, learning_rate: float, max_grad_norm: float) -> str:
        """What to change, with the numbers of this run."""
        fix = (f"Start a new run with a lower learning rate (it was {learning_rate:g}; try "
               f"{learning_rate / 10:g})")
        if not max_grad_norm:
            fix += " and gradient clipping on (1.0)"
        return fix + ". The last checkpoint from before it went wrong is kept."


def _word(value: float) -> str:
    return "NaN" if math.isnan(value) else "infinite"
