"""Charts follow the application's palette: a dark palette gives dark charts with light axes
and the lighter pen set, and switching back gives light ones (issue 14, dark mode)."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from pft_desktop.ui.widgets.charts import PALETTE, LiveChart, LossChart, bar_chart

DARK_BASE, DARK_TEXT = QColor("#1e1f22"), QColor("#e4e6eb")
LIGHT_BASE, LIGHT_TEXT = QColor("#ffffff"), QColor("#1f2933")


def palette(base: QColor, text: QColor) -> QPalette:
    made = QPalette(QApplication.palette())
    for role in (QPalette.ColorRole.Base, QPalette.ColorRole.Window):
        made.setColor(role, base)
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText):
        made.setColor(role, text)
    return made


@pytest.fixture
def restore_palette(qapp):
    original = QPalette(qapp.palette())
    yield qapp
    qapp.setPalette(original)


def drawn(chart) -> dict:
    background, axis = chart.axis_colors()
    return {"background": background.name(), "axis": axis.name(),
            "ticks": chart.getAxis("bottom").textPen().color().name(),
            "title": chart.plotItem.titleLabel.opts.get("color")}


def test_charts_follow_a_palette_switch(qtbot, restore_palette):
    app = restore_palette
    app.setPalette(palette(LIGHT_BASE, LIGHT_TEXT))
    loss, small, bars = LossChart(), LiveChart("Learning rate"), bar_chart("Counts")
    small.add_series("lr", PALETTE["lr"])
    for chart in (loss, small, bars):
        qtbot.addWidget(chart)
        assert drawn(chart)["background"] == LIGHT_BASE.name()

    app.setPalette(palette(DARK_BASE, DARK_TEXT))
    qtbot.wait(10)  # the palette change is delivered as an event
    for chart in (loss, small, bars):
        assert drawn(chart) == {"background": DARK_BASE.name(), "axis": DARK_TEXT.name(),
                                "ticks": DARK_TEXT.name(), "title": DARK_TEXT.name()}
    # The smoothed loss (dark blue on white) takes its light twin on a dark background.
    assert loss.curves["smooth"].opts["pen"].color().name() == "#93c5fd"
    assert small.curves["lr"].opts["pen"].color().name() == "#34d399"
    assert "#93c5fd" in loss.plotItem.titleLabel.text  # the colour key in the title too

    app.setPalette(palette(LIGHT_BASE, LIGHT_TEXT))
    qtbot.wait(10)
    for chart in (loss, small, bars):
        assert drawn(chart) == {"background": LIGHT_BASE.name(), "axis": LIGHT_TEXT.name(),
                                "ticks": LIGHT_TEXT.name(), "title": LIGHT_TEXT.name()}
    assert loss.curves["smooth"].opts["pen"].color().name() == PALETTE["smooth"]


def test_a_chart_made_while_dark_starts_dark(qtbot, restore_palette):
    restore_palette.setPalette(palette(DARK_BASE, DARK_TEXT))
    chart = LossChart()
    qtbot.addWidget(chart)
    assert drawn(chart)["background"] == DARK_BASE.name()
    assert drawn(chart)["axis"] == DARK_TEXT.name()
    assert chart.curves["eval"].opts["symbolBrush"].color().name() == "#f87171"
