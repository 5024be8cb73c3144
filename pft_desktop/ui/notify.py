"""A desktop notification when a followed run ends while the person looks elsewhere: the
decision is a plain function (tested without a tray); the tray icon only shows it."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QStyle, QSystemTrayIcon

# The ends worth interrupting someone for. "stopped" is not one: the person asked for it.
NOTICES = {"finished": "Training finished", "failed": "Training failed",
           "diverged": "Training diverged", "interrupted": "Training ended unexpectedly"}


def run_notice(outcome: dict, run_name: str, window_active: bool) -> tuple[str, str] | None:
    """(title, text) of the notification for a run that just ended, or None for no
    notification: the window is in front (the person sees it there), or the run ended the way
    the person asked (stopped)."""
    status = outcome.get("status", "")
    if window_active or status not in NOTICES:
        return None
    metrics = outcome.get("metrics") or {}
    error = outcome.get("error") or {}
    if status == "finished":
        if isinstance(metrics.get("eval_accuracy"), (int, float)):
            detail = f"accuracy {metrics['eval_accuracy']:.1%} on the validation rows"
        elif isinstance(metrics.get("eval_perplexity"), (int, float)):
            detail = f"validation perplexity {metrics['eval_perplexity']:.2f}"
        elif isinstance(metrics.get("eval_loss"), (int, float)):
            detail = f"validation loss {metrics['eval_loss']:.4f}"
        else:
            detail = "its model is saved"
        return NOTICES[status], f"{run_name}: {detail}. Results and export are ready."
    if status == "diverged":
        return NOTICES[status], (f"{run_name}: the loss stopped being a number. "
                                 f"{error.get('fix') or 'Try a lower learning rate.'}")
    message = error.get("message") or "The training process ended without finishing the run."
    return NOTICES[status], f"{run_name}: {message}"


class DesktopNotifier(QObject):
    """Shows a notice as a system tray message, where the desktop has a tray; clicking the
    icon or the message brings the window back."""

    activated = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.tray: QSystemTrayIcon | None = None
        self.shown: list[tuple[str, str]] = []

    @staticmethod
    def available() -> bool:
        return QSystemTrayIcon.isSystemTrayAvailable()

    def show(self, title: str, text: str) -> bool:
        """Show the message; False where there is no tray to show it in."""
        self.shown.append((title, text))
        if not self.available():
            return False
        if self.tray is None:
            app = QApplication.instance()
            icon = app.windowIcon()
            if icon.isNull():
                icon = app.style().standardIcon(QStyle.StandardPixmap.SP_ComputerIcon)
            self.tray = QSystemTrayIcon(icon, self)
            self.tray.setToolTip("pft-desktop")
            self.tray.activated.connect(lambda *_: self.activated.emit())
            self.tray.messageClicked.connect(self.activated)
        self.tray.show()
        self.tray.showMessage(title, text, QSystemTrayIcon.MessageIcon.Information, 10000)
        return True

    def shutdown(self) -> None:
        if self.tray is not None:
            self.tray.hide()
