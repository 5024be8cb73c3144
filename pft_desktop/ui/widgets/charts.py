"""Live training charts on pyqtgraph: growing numpy buffers, redrawn from a timer.

Events only append to buffers; a 10 Hz timer calls ``refresh()``, which pushes changed series
to pyqtgraph once. Peak downsampling and clip-to-view keep 100,000 points per curve smooth.
Every plot made here takes its background, axes and text from the application's palette and
follows it when it changes (light or dark), with a pen set that reads on either.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

PALETTE = {"train": "#93c5fd", "smooth": "#1d4ed8", "eval": "#dc2626", "lr": "#059669",
           "grad": "#7c3aed", "tps": "#d97706", "mem": "#0f766e", "reward": "#db2777"}
# The same roles on a dark background: the raw loss recedes, the smoothed one stands out, and
# the saturated colours above (too dark on dark grey) become their lighter shades.
DARK_TWINS = {"#93c5fd": "#3b5f96", "#1d4ed8": "#93c5fd", "#dc2626": "#f87171",
              "#059669": "#34d399", "#7c3aed": "#a78bfa", "#d97706": "#fbbf24",
              "#0f766e": "#2dd4bf", "#db2777": "#f472b6", "#2563eb": "#60a5fa"}
# Points drawn per pixel of width (pyqtgraph draws 5): a peak-downsampled curve keeps each
# pixel's lowest and highest point anyway, so more only costs time.
POINTS_PER_PIXEL, SMOOTH_POINTS_PER_PIXEL = 1.0, 0.5


def is_dark(palette: QPalette | None = None) -> bool:
    palette = palette or QApplication.palette()
    return palette.color(QPalette.ColorRole.Base).lightness() < 128


def themed(color: str, palette: QPalette | None = None) -> str:
    """A light-theme colour of PALETTE, or its readable twin on a dark palette."""
    return DARK_TWINS.get(color.lower(), color) if is_dark(palette) else color


class ThemedPlot(pg.PlotWidget):
    """A PlotWidget whose background, axes, title and pens follow QApplication's palette: set
    at creation, and again on every palette change (the app switches light and dark)."""

    def __init__(self, parent=None):
        super().__init__(parent=parent, background=QApplication.palette().color(
            QPalette.ColorRole.Base))
        self._title: tuple[str, str, list] | None = None  # (title, size, colour keys)
        self._pens: list[tuple] = []  # (item, light colour, width, style, symbol)
        self.apply_palette()

    def set_title(self, title: str, keys: list[tuple[str, str, str]] = (),
                  size: str = "10pt") -> None:
        """The title, followed by a colour key ``(mark, light colour, text)`` if given."""
        self._title = (title, size, list(keys))
        self._draw_title(QApplication.palette())

    def _draw_title(self, palette: QPalette) -> None:
        if self._title is None:
            return
        title, size, keys = self._title
        text = legend_title(title, [(mark, themed(color, palette), label)
                                    for mark, color, label in keys]) if keys else title
        self.plotItem.setTitle(text, color=palette.color(QPalette.ColorRole.Text).name(),
                               size=size)

    def setTitle(self, title=None, color=None, size: str = "10pt", **_) -> None:
        """pyqtgraph's setTitle, kept for callers; the colour comes from the palette."""
        if title is None:
            self._title = None
            self.plotItem.setTitle(None)
            return
        self.set_title(title, size=size)

    def themed_pen(self, item, color: str, width: float = 1.5, style=None,
                   symbol: bool = False) -> None:
        """Give ``item`` a pen (or, for a scatter, a symbol brush) of ``color`` that is
        swapped for its dark twin while the palette is dark."""
        self._pens.append((item, color, width, style, symbol))
        self._apply_pen(self._pens[-1], QApplication.palette())

    @staticmethod
    def _apply_pen(entry, palette: QPalette) -> None:
        item, color, width, style, symbol = entry
        shade = themed(color, palette)
        if symbol:
            item.setSymbolBrush(shade)
        else:
            pen = pg.mkPen(shade, width=width) if style is None else \
                pg.mkPen(shade, width=width, style=style)
            item.setPen(pen)

    def apply_palette(self, palette: QPalette | None = None) -> None:
        palette = palette or QApplication.palette()
        background = palette.color(QPalette.ColorRole.Base)
        text = palette.color(QPalette.ColorRole.Text)
        self.setBackground(background)
        for side in ("left", "bottom", "right", "top"):
            axis = self.getAxis(side)
            axis.setPen(text)
            axis.setTextPen(text)
            if axis.label.isVisible():  # (the label keeps its own colour until redrawn)
                axis.label.setHtml(axis.labelString())
        legend = self.plotItem.legend
        if legend is not None:
            legend.setLabelTextColor(text)
        self._draw_title(palette)
        for entry in self._pens:
            self._apply_pen(entry, palette)

    def changeEvent(self, event) -> None:
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange) \
                and "_pens" in self.__dict__:  # (not while pyqtgraph is still building it)
            self.apply_palette()
        super().changeEvent(event)

    def axis_colors(self) -> tuple[QColor, QColor]:
        """(background, axis pen) as drawn now: what a test or a screenshot checks."""
        return self.backgroundBrush().color(), self.getAxis("left").pen().color()


class Series:
    """An append-only (x, y) buffer that doubles its capacity as it grows."""

    def __init__(self, capacity: int = 1024):
        self._x = np.empty(capacity)
        self._y = np.empty(capacity)
        self.size = 0
        self.dirty = False

    def append(self, x: float, y: float) -> None:
        if self.size == len(self._x):
            self._x = np.resize(self._x, 2 * self.size)
            self._y = np.resize(self._y, 2 * self.size)
        self._x[self.size] = x
        self._y[self.size] = y
        self.size += 1
        self.dirty = True

    def extend(self, xs, ys) -> None:
        xs, ys = np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)
        end = self.size + len(xs)
        if end > len(self._x):
            capacity = max(2 * len(self._x), end)
            self._x, self._y = np.resize(self._x, capacity), np.resize(self._y, capacity)
        self._x[self.size:end], self._y[self.size:end] = xs, ys
        self.size = end
        self.dirty = self.dirty or len(xs) > 0

    @property
    def x(self) -> np.ndarray:
        return self._x[:self.size]

    @property
    def y(self) -> np.ndarray:
        return self._y[:self.size]

    def clear(self) -> None:
        self.size = 0
        self.dirty = True


class WholeDataCurve(pg.PlotDataItem):
    """A curve whose auto-range extent is that of all its data, not of what clip-to-view and
    downsampling last drew. pyqtgraph measures the drawn points, and those depend on the view
    range and width, which the auto-range then moves: a small chart could repaint in a loop,
    100% of a core, for as long as the window was open (pyqtgraph issue 3135)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._extent: tuple | None = None

    def setData(self, *args, **kwargs) -> None:
        self._extent = None
        super().setData(*args, **kwargs)

    def dataBounds(self, ax: int, frac: float = 1.0, orthoRange=None):
        if self._extent is None:
            x, y = self.getOriginalDataset()
            self._extent = (finite_range(x), finite_range(y))
        return self._extent[ax]


def finite_range(values) -> tuple:
    """(lowest, highest) of the finite values, or (None, None) as pyqtgraph reads "no data"."""
    if values is None or len(values) == 0:
        return None, None
    values = np.asarray(values, dtype=float)
    finite = values[np.isfinite(values)]
    return (float(finite.min()), float(finite.max())) if len(finite) else (None, None)


class LiveChart(ThemedPlot):
    """A plot of named series that redraws only what changed since the last refresh."""

    def __init__(self, title: str, y_label: str = "", parent=None):
        super().__init__(parent=parent)
        self.set_title(title)
        # No grid: grid lines are drawn into the axes' cached pictures and doubled the cost of
        # a redraw (measured: 43 -> 20 ms for the Train page's five charts).
        self.setLabel("bottom", self.tr("step"))
        if y_label:
            self.setLabel("left", y_label)
        self.getAxis("left").enableAutoSIPrefix(False)  # "loss (x0.001)" reads badly
        self.setClipToView(True)
        self.setDownsampling(auto=True, mode="peak")
        self.legend = self.addLegend(offset=(-10, 10))
        self.series: dict[str, Series] = {}
        self.curves: dict[str, pg.PlotDataItem] = {}
        self.setMinimumHeight(150)

    def add_series(self, name: str, color: str, width: float = 1.0, symbol=None,
                   label: str | None = None, smooth: bool = False) -> Series:
        """A curve (or, with ``symbol``, points). Pens wider than 1 pixel are for ``smooth``
        series, which are drawn from the mean of each pixel's points: a wide pen over
        100,000 noisy points took 190 ms a redraw here, against 6 ms at 1 pixel."""
        series = Series()
        curve = WholeDataCurve([], [], pen=None, name=label or name, symbol=symbol,
                               symbolBrush=color, symbolPen=None, symbolSize=7,
                               autoDownsampleFactor=SMOOTH_POINTS_PER_PIXEL if smooth else
                               POINTS_PER_PIXEL)
        self.addItem(curve)
        if smooth:
            curve.setDownsampling(auto=True, method="mean")
        self.themed_pen(curve, color, width, symbol=symbol is not None)
        self.series[name], self.curves[name] = series, curve
        return series

    def refresh(self) -> None:
        for name, series in self.series.items():
            if series.dirty:
                self.curves[name].setData(series.x, series.y)
                series.dirty = False

    def clear_data(self) -> None:
        for series in self.series.values():
            series.clear()
        self.refresh()

    def point_count(self, name: str) -> int:
        return self.series[name].size


class LossChart(LiveChart):
    """Training loss (raw and smoothed) with evaluation loss on the same axes."""

    def __init__(self, parent=None, smoothing: float = 0.9):
        super().__init__(self.tr("Loss"), self.tr("loss"), parent)
        self.raw = self.add_series("train", PALETTE["train"], 1.0, label=self.tr("train (raw)"))
        self.smooth = self.add_series("smooth", PALETTE["smooth"], 2.2, label="train (smoothed)",
                                      smooth=True)
        self.eval = self.add_series("eval", PALETTE["eval"], symbol="o", label=self.tr("eval"))
        self.eval_line = WholeDataCurve([], [])
        self.addItem(self.eval_line)
        self.themed_pen(self.eval_line, PALETTE["eval"], 1.2, pg.QtCore.Qt.PenStyle.DashLine)
        self.smoothing = smoothing
        self._ema = 0.0
        self._weight = 0.0
        # The key goes in the title: a legend inside the plot covered the curves.
        self.legend.setVisible(False)
        self.set_title(self.tr("Loss"), [("━", PALETTE["train"], self.tr("train (raw)")),
                                         ("━", PALETTE["smooth"], self.tr("smoothed")),
                                         ("●", PALETTE["eval"], self.tr("eval"))])

    def add_train(self, step: float, loss: float) -> None:
        # Debiased exponential moving average (as TensorBoard draws it): the EMA starts at 0
        # and is divided by 1 - s^n, so early points are not dragged towards zero.
        self._ema = self._ema * self.smoothing + loss * (1 - self.smoothing)
        self._weight = self._weight * self.smoothing + (1 - self.smoothing)
        self.raw.append(step, loss)
        self.smooth.append(step, self._ema / self._weight)

    def add_train_many(self, points: list[tuple[float, float]]) -> None:
        """``add_train`` for each (step, loss), the buffers extended once."""
        if not points:
            return
        smoothed = []
        for _, loss in points:
            self._ema = self._ema * self.smoothing + loss * (1 - self.smoothing)
            self._weight = self._weight * self.smoothing + (1 - self.smoothing)
            smoothed.append(self._ema / self._weight)
        steps = [step for step, _ in points]
        self.raw.extend(steps, [loss for _, loss in points])
        self.smooth.extend(steps, smoothed)

    def add_eval(self, step: float, loss: float) -> None:
        self.eval.append(step, loss)

    def refresh(self) -> None:
        eval_dirty = self.eval.dirty
        super().refresh()
        if eval_dirty:
            self.eval_line.setData(self.eval.x, self.eval.y)

    def clear_data(self) -> None:
        self._ema, self._weight = 0.0, 0.0
        super().clear_data()
        self.eval_line.setData([], [])


class RewardChart(LiveChart):
    """A preference run's reward figure (margin or accuracy): each training step as a line,
    each evaluation as a point."""

    def __init__(self, title: str, y_label: str, parent=None):
        super().__init__(title, y_label, parent)
        self.train = self.add_series("train", PALETTE["reward"], label=self.tr("train"))
        self.eval = self.add_series("eval", PALETTE["eval"], symbol="o", label=self.tr("eval"))
        self.legend.setVisible(False)
        self.set_title(title, [("━", PALETTE["reward"], self.tr("train")),
                               ("●", PALETTE["eval"], self.tr("eval"))])


def legend_title(title: str, keys: list[tuple[str, str, str]]) -> str:
    """A chart title followed by its colour key, as rich text."""
    shown = " &nbsp; ".join(f"<span style='color:{color}'>{mark}</span> {text}"
                            for mark, color, text in keys)
    return f"{title} &nbsp;&nbsp; <span style='font-weight:normal'>{shown}</span>"


def elide(text: str, width: int) -> str:
    text = str(text)
    return text if len(text) <= width else text[:width - 1] + "…"


def bar_chart(title: str) -> ThemedPlot:
    plot = ThemedPlot()
    plot.set_title(title)
    plot.setMouseEnabled(x=False, y=False)
    plot.hideButtons()
    plot.setMinimumHeight(140)
    return plot


def top_bars(labels: list[str], values: list[float], most: int = 12) -> list[tuple[str, float]]:
    """At most ``most`` bars: the largest classes, and the rest added up as "N others"."""
    pairs = list(zip((str(label) for label in labels), values))
    if len(pairs) <= most:
        return pairs
    pairs.sort(key=lambda pair: -pair[1])
    rest = pairs[most - 1:]
    others = QCoreApplication.translate("Charts", "{count:,} others").format(count=len(rest))
    return pairs[:most - 1] + [(others, sum(v for _, v in rest))]


def draw_bars(plot: pg.PlotWidget, labels: list[str], values: list[float],
              color: str = "#2563eb", label_width: int = 18) -> None:
    """Horizontal bars with the names on the left axis, so long class names stay readable
    (side by side under vertical bars they ran into each other)."""
    plot.clear()
    if not values:
        return
    pairs = top_bars(labels, values)
    ys = np.arange(len(pairs))[::-1]  # the first class at the top
    plot.addItem(pg.BarGraphItem(x0=0, y=ys, width=[v for _, v in pairs], height=0.6,
                                 brush=themed(color), pen=None))
    plot.getAxis("left").setTicks([[(float(y), elide(name, label_width))
                                    for y, (name, _) in zip(ys, pairs)]])
    plot.getAxis("bottom").setTicks(None)
    plot.setYRange(-0.6, len(pairs) - 0.4, padding=0)
    plot.setXRange(0, max(v for _, v in pairs) * 1.08, padding=0)


def draw_histogram(plot: pg.PlotWidget, counts: list[int], edges: list[float],
                   marker: float | None = None) -> None:
    plot.clear()
    if not counts:
        return
    plot.getAxis("bottom").setTicks(None)
    plot.getAxis("left").setTicks(None)
    plot.plot(edges, counts, stepMode="center", fillLevel=0, brush=themed("#93c5fd"),
              pen=pg.mkPen(themed("#1d4ed8")))
    right = max(edges[-1], marker or 0)
    plot.setXRange(min(edges[0], 0), right * 1.06, padding=0)  # the marker stays inside
    plot.setYRange(0, max(counts) * 1.12, padding=0)
    if marker is not None:
        # The label sits left of the line, so a marker at the right edge is not clipped.
        red = themed("#dc2626")
        plot.addItem(pg.InfiniteLine(marker, angle=90, pen=pg.mkPen(red, width=2),
                                     label=QCoreApplication.translate("Charts", "max length"),
                                     labelOpts={
                                         "color": red, "position": 0.92,
                                         "anchors": [(1.05, 0.5), (1.05, 0.5)]}))
