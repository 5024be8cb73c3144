"""Errors a user can meet: a kind, a message that names the problem, and a suggested fix."""

from __future__ import annotations

from pft_desktop.core.messages import message


class UserError(Exception):
    """A problem with the user's input or machine, explained well enough to act on.

    ``kind`` is a short machine-readable tag (``missing_file``, ``out_of_memory`` ...) that the
    app uses to pick an icon or a follow-up action; ``message`` names the problem; ``fix`` says
    what to do about it.
    """

    def __init__(self, kind: str, message: str, fix: str = ""):
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.fix = fix

    def __str__(self) -> str:
        return f"{self.message} {self.fix}".strip()

    def to_dict(self) -> dict:
        """Message and fix, plus their catalogue ids (``message_id``, ``fix_id``) when they are
        core.messages entries, so the app can show them in its language."""
        from pft_desktop.core.messages import wire

        out = {"kind": self.kind, "message": self.message, "fix": self.fix}
        for key in ("message", "fix"):
            if wire(out[key]):
                out[f"{key}_id"] = wire(out[key])
        return out


def is_disk_full(exc: BaseException) -> bool:
    """A full disk, however the library that hit it reports it (an OSError with ENOSPC, or
    safetensors' and others' own errors that only say so in words), anywhere in the chain."""
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, OSError) and getattr(exc, "errno", None) == 28:
            return True
        if "no space left on device" in str(exc).lower():
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False


def explain_exception(exc: BaseException) -> UserError:
    """Turn an unexpected exception into a UserError, recognising the common failures."""
    if isinstance(exc, UserError):
        return exc
    text = f"{type(exc).__name__}: {exc}"
    lowered = text.lower()
    if "out of memory" in lowered or isinstance(exc, MemoryError):
        return UserError("out_of_memory", message("error.out_of_memory"),
                         message("fix.out_of_memory"))
    if is_disk_full(exc):
        return UserError("no_disk_space", message("error.no_disk_space"),
                         message("fix.no_disk_space"))
    return UserError("internal", message("error.internal", error=text.strip()[:500]),
                     message("fix.internal"))
