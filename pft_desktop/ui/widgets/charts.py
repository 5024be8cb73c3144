"""Live training charts on pyqtgraph: growing numpy buffers, redrawn from a timer.

Events only append to buffers; a 10 Hz timer calls ``refresh()``, which pushes changed series
to pyqtgraph once. Peak downsampling and clip-to-view keep 100,000 points per curve smooth.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

PALETTE = {"train": "#93c5fd", "smooth": "#1d4ed8", "eval": "#dc2626", "lr": "#059669",
           "grad": "#7c3aed", "tps": "#d97706", "mem": "#0f766e", "reward": "#db2777"}


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
        for x, y in zip(xs, ys):
            self.append(x, y)

    @property
    def x(self) -> np.ndarray:
        return self._x[:self.size]

    @property
    def y(self) -> np.ndarray:
        return self._y[:self.size]

    def clear(self) -> None:
        self.size = 0
        self.dirty = True


class LiveChart(pg.PlotWidget):
    """A plot of named series that redraws only what changed since the last refresh."""

    def __init__(self, title: str, y_label: str = "", parent=None):
        super().__init__(parent=parent, background="w")
        self.setTitle(title, color="#1f2933", size="10pt")
        # No grid: grid lines are drawn into the axes' cached pictures and doubled the cost of
        # a redraw (measured: 43 -> 20 ms for the Train page's five charts).
        self.setLabel("bottom", "step")
        if y_label:
            self.setLabel("left", y_label)
        self.getAxis("left").enableAutoSIPrefix(False)  # "loss (x0.001)" reads badly
        self.setClipToView(True)
        self.setDownsampling(auto=True, mode="peak")
        self.legend = self.addLegend(offset=(-10, 10))
        self.series: dict[str, Series] = {}
        self.curves: dict[str, pg.PlotDataItem] = {}
        self.setMinimumHeight(150)

    def add_series(self, name: str, color: str, width: float = 1.5, symbol=None,
                   label: str | None = None) -> Series:
        series = Series()
        pen = pg.mkPen(color, width=width) if symbol is None else None
        curve = self.plot([], [], pen=pen, name=label or name, symbol=symbol,
                          symbolBrush=color, symbolPen=None, symbolSize=7)
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
        super().__init__("Loss", "loss", parent)
        self.raw = self.add_series("train", PALETTE["train"], 1.0, label="train (raw)")
        self.smooth = self.add_series("smooth", PALETTE["smooth"], 2.2, label="train (smoothed)")
        self.eval = self.add_series("eval", PALETTE["eval"], symbol="o", label="eval")
        self.eval_line = self.plot([], [], pen=pg.mkPen(PALETTE["eval"], width=1.2,
                                                        style=pg.QtCore.Qt.PenStyle.DashLine))
        self.smoothing = smoothing
        self._ema = 0.0
        self._weight = 0.0
        # The key goes in the title: a legend inside the plot covered the curves.
        self.legend.setVisible(False)
        self.setTitle(legend_title("Loss", [("━", PALETTE["train"], "train (raw)"),
                                            ("━", PALETTE["smooth"], "smoothed"),
                                            ("●", PALETTE["eval"], "eval")]),
                      color="#1f2933", size="10pt")

    def add_train(self, step: float, loss: float) -> None:
        # Debiased exponential moving average (as TensorBoard draws it): the EMA starts at 0
        # and is divided by 1 - s^n, so early points are not dragged towards zero.
        self._ema = self._ema * self.smoothing + loss * (1 - self.smoothing)
        self._weight = self._weight * self.smoothing + (1 - self.smoothing)
        self.raw.append(step, loss)
        self.smooth.append(step, self._ema / self._weight)

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
        self.train = self.add_series("train", PALETTE["reward"], label="train")
        self.eval = self.add_series("eval", PALETTE["eval"], symbol="o", label="eval")
        self.legend.setVisible(False)
        self.setTitle(legend_title(title, [("━", PALETTE["reward"], "train"),
                                           ("●", PALETTE["eval"], "eval")]),
                      color="#1f2933", size="10pt")


def legend_title(title: str, keys: list[tuple[str, str, str]]) -> str:
    """A chart title followed by its colour key, as rich text."""
    shown = " &nbsp; ".join(f"<span style='color:{color}'>{mark}</span> {text}"
                            for mark, color, text in keys)
    return f"{title} &nbsp;&nbsp; <span style='font-weight:normal'>{shown}</span>"


def elide(text: str, width: int) -> str:
    text = str(text)
    return text if len(text) <= width else text[:width - 1] + "…"


def bar_chart(title: str) -> pg.PlotWidget:
    plot = pg.PlotWidget(background="w")
    plot.setTitle(title, color="#1f2933", size="10pt")
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
    return pairs[:most - 1] + [(f"{len(rest):,} others", sum(v for _, v in rest))]


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
                                 brush=color, pen=None))
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
    plot.plot(edges, counts, stepMode="center", fillLevel=0, brush="#93c5fd",
              pen=pg.mkPen("#1d4ed8"))
    right = max(edges[-1], marker or 0)
    plot.setXRange(min(edges[0], 0), right * 1.06, padding=0)  # the marker stays inside
    plot.setYRange(0, max(counts) * 1.12, padding=0)
    if marker is not None:
        # The label sits left of the line, so a marker at the right edge is not clipped.
        plot.addItem(pg.InfiniteLine(marker, angle=90, pen=pg.mkPen("#dc2626", width=2),
                                     label="max length", labelOpts={
                                         "color": "#dc2626", "position": 0.92,
                                         "anchors": [(1.05, 0.5), (1.05, 0.5)]}))
