"""A desktop notification when a followed run ends while the person looks elsewhere: the
decision is a plain function (tested without a tray); the tray icon only shows it."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, Signal
from PySide6.QtWidgets import QApplication, QStyle, QSystemTrayIcon

translate = QCoreApplication.translate  # the name pyside6-lupdate reads

# The ends worth interrupting someone for. "stopped" is not one: the person asked for it.
NOTICES = {"finished": QT_TRANSLATE_NOOP("Notify", "Training finished"),
           "failed": QT_TRANSLATE_NOOP("Notify", "Training failed"),
           "diverged": QT_TRANSLATE_NOOP("Notify", "Training diverged"),
           "interrupted": QT_TRANSLATE_NOOP("Notify", "Training ended unexpectedly")}


def run_notice(outcome: dict, run_name: str, window_active: bool) -> tuple[str, str] | None:
    """(title, text) of the notification for a run that just ended, or None for no
    notification: the window is in front (the person sees it there), or the run ended the way
    the person asked (stopped)."""
    status = outcome.get("status", "")
    if window_active or status not in NOTICES:
        return None
    metrics = outcome.get("metrics") or {}
    error = outcome.get("error") or {}
    from pft_desktop.ui.i18n import core_parts

    title = translate("Notify", NOTICES[status])
    if status == "finished":
        if isinstance(metrics.get("eval_accuracy"), (int, float)):
            detail = translate("Notify", "accuracy {accuracy:.1%} on the validation rows").format(
                accuracy=metrics["eval_accuracy"])
        elif isinstance(metrics.get("eval_perplexity"), (int, float)):
            detail = translate("Notify", "validation perplexity {perplexity:.2f}").format(
                perplexity=metrics["eval_perplexity"])
        elif isinstance(metrics.get("eval_loss"), (int, float)):
            detail = translate("Notify", "validation loss {loss:.4f}").format(
                loss=metrics["eval_loss"])
        else:
            detail = translate("Notify", "its model is saved")
        return title, translate("Notify", "{run}: {detail}. Results and export are ready.").format(
            run=run_name, detail=detail)
    message, fix = core_parts(error)
    if status == "diverged":
        return title, translate("Notify", "{run}: the loss stopped being a number. {fix}").format(
            run=run_name, fix=fix or translate("Notify", "Try a lower learning rate."))
    message = message or translate("Notify", "The training process ended without finishing "
                                   "the run.")
    return title, f"{run_name}: {message}"


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
            self.tray.setToolTip(self.tr("pft-desktop"))
            self.tray.activated.connect(lambda *_: self.activated.emit())
            self.tray.messageClicked.connect(self.activated)
        self.tray.show()
        self.tray.showMessage(title, text, QSystemTrayIcon.MessageIcon.Information, 10000)
        return True

    def shutdown(self) -> None:
        if self.tray is not None:
            self.tray.hide()
