import time

import numpy as np

from pft_desktop.core.config import TrainingSettings, field_help


def test_form_tooltips_come_from_config_help_and_round_trip(qtbot):
    from pft_desktop.ui.widgets.forms import ConfigForm

    form = ConfigForm(TrainingSettings)
    qtbot.addWidget(form)
    helps = field_help(TrainingSettings)
    for name, editor in form.editors.items():
        assert editor.toolTip() == helps[name]["help"]
    settings = TrainingSettings(learning_rate=3e-5, scheduler="cosine", batch_size=7)
    form.load(settings)
    stored = TrainingSettings()
    form.store(stored)
    assert (stored.learning_rate, stored.scheduler, stored.batch_size) == (3e-5, "cosine", 7)
    assert form.editors["batch_size"].minimum() == 1


def test_loss_chart_holds_100k_points_downsampled_and_clipped(qtbot):
    from pft_desktop.ui.widgets.charts import LossChart

    chart = LossChart()
    qtbot.addWidget(chart)
    chart.resize(800, 300)
    chart.show()
    losses = np.exp(-np.arange(100_000) / 20_000) + np.random.default_rng(0).random(100_000)
    for step, loss in enumerate(losses, 1):
        chart.add_train(step, float(loss))
    started = time.perf_counter()
    chart.refresh()
    qtbot.wait(10)
    print(f"refresh with 100k points: {(time.perf_counter() - started) * 1000:.1f} ms")
    curve = chart.curves["train"]
    assert chart.point_count("train") == 100_000
    assert curve.opts["autoDownsample"] and curve.opts["clipToView"]
    assert curve.opts["downsampleMethod"] == "peak"
    # the smoothed curve is a debiased EMA: it starts at the first value
    assert chart.smooth.y[0] == np.float64(losses[0])


def test_a_small_live_chart_goes_quiet_between_refreshes(qtbot):
    """A narrow chart fed a noisy series, one refresh per 5 steps: after each refresh it
    paints and then stops. Auto-range that measured the clipped, downsampled points moved the
    view, which changed those points, which moved the view again: this chart repainted in a
    loop from step 285 on, a core busy for as long as the window was open."""
    from PySide6.QtCore import QEvent, QObject

    from pft_desktop.ui.widgets.charts import LiveChart

    class PaintCounter(QObject):
        paints = 0

        def eventFilter(self, watched, event):
            if event.type() == QEvent.Type.Paint:
                self.paints += 1
            return False

    chart = LiveChart("noise")
    qtbot.addWidget(chart)
    series = chart.add_series("a", "#059669")
    chart.resize(191, 150)
    chart.show()
    counter = PaintCounter()
    chart.viewport().installEventFilter(counter)
    busiest = 0
    for step, value in enumerate(1 + np.random.default_rng(0).random(400), 1):
        series.append(step, float(value))
        if step % 5 == 0:
            counter.paints = 0
            chart.refresh()
            qtbot.waitUntil(lambda: counter.paints > 0, timeout=5000)  # the repaint asked for
            qtbot.wait(20)  # (a second one may trail it on a busy machine)
            counter.paints = 0
            qtbot.wait(100)  # then nothing changed: a looping chart paints dozens of times
            busiest = max(busiest, counter.paints)
    assert busiest <= 2
    assert chart.curves["a"].dataBounds(1) == (series.y.min(), series.y.max())


def test_dataset_preview_reads_rows_on_demand(tmp_path):
    import datasets
    from PySide6.QtCore import Qt

    from pft_desktop.ui.widgets.preview import DatasetTableModel

    dataset = datasets.Dataset.from_dict({"text": [f"row {i}" for i in range(200_000)],
                                          "label": ["a", "b"] * 100_000})
    model = DatasetTableModel(dataset)
    assert model.rowCount() == 200_000 and model.columnCount() == 2
    assert model.data(model.index(199_999, 0)) == "row 199999"
    assert model.headerData(1, Qt.Orientation.Horizontal) == "label"
    assert len(model._blocks) == 1
