"""Library chatter that a person reads as errors, kept out of their terminal and run log.

transformers prints a "LOAD REPORT" table of MISSING/UNEXPECTED weights whenever a new head is
added to a pretrained model (every classification run, and every prediction from an adapter),
and libraries warn their callers' developers about deprecations (FutureWarning). pft-desktop
says in plain words which new layers it trains instead; real warnings and errors still show.
"""

from __future__ import annotations

import logging
import warnings


class _DropLoadReport(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return "LOAD REPORT" not in str(record.msg)


_FILTER = _DropLoadReport()


def quiet_libraries() -> None:
    """Silence the load report, developer-facing deprecation notices and weight-loading
    progress bars in this process. Safe to call more than once."""
    logger = logging.getLogger("transformers.modeling_utils")
    if _FILTER not in logger.filters:
        logger.addFilter(_FILTER)
    warnings.filterwarnings("ignore", category=FutureWarning)
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()  # "Loading weights" bars for a 1-second load


def new_layers_message(modules: list[str]) -> str:
    """One plain sentence for layers a checkpoint does not have (a new task head)."""
    shown = ", ".join(modules[:6]) + (f" and {len(modules) - 6} more" if len(modules) > 6 else "")
    return (f"Training new layers that the pretrained model does not have ({shown}): they start "
            "from random weights, as a new task head always does, and are saved with the "
            "model.")
