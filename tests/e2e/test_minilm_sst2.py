"""End to end on real data: the pretrained all-MiniLM-L6-v2 fine-tuned on 1,500 SST-2
sentences (about 20 s of training on 2 CPU cores) must beat chance clearly on dev.tsv, export,
reload with plain transformers, and predict the same."""

import pytest
import torch

from helpers import SHARED_DATA
from pft_desktop.core.config import RunConfig
from pft_desktop.core.export import export_run
from pft_desktop.core.predict import Predictor
from pft_desktop.core.recipe import run_training

SST2 = SHARED_DATA / "sst2"
pytestmark = pytest.mark.skipif(not (SST2 / "train.tsv").is_file(),
                                reason="../shared/data/sst2 (real SST-2 data) is not present")


def test_minilm_learns_sst2_exports_and_reloads(tmp_path, minilm_path):
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    config = RunConfig()
    config.model.name_or_path = str(minilm_path)
    config.data.train_file = str(SST2 / "train.tsv")
    config.data.validation_file = str(SST2 / "dev.tsv")
    config.data.text_column, config.data.label_column = "sentence", "label"
    config.data.max_rows = 1500
    config.task.max_length = 64
    config.method.kind = "full"
    config.training.epochs, config.training.batch_size = 1, 16
    config.training.learning_rate = 5e-5
    outcome = run_training(config, tmp_path / "run")
    assert outcome.status == "finished", outcome
    accuracy = outcome.metrics["eval_accuracy"]
    assert accuracy > 0.70, f"dev accuracy {accuracy:.3f} is not clearly above chance (0.51)"
    assert sum(map(sum, outcome.metrics["confusion_matrix"])) == 872  # every dev row, 'content'

    out = export_run(tmp_path / "run", tmp_path / "export", "merged")
    model = AutoModelForSequenceClassification.from_pretrained(out).eval()
    tokenizer = AutoTokenizer.from_pretrained(out)
    texts = ["a gorgeous , witty , seductive movie .", "the plot is nothing but boilerplate ."]
    with torch.no_grad():
        probabilities = model(**tokenizer(texts, return_tensors="pt", padding=True)).logits \
            .softmax(-1)
    predicted = list(map(Predictor(tmp_path / "run"), texts))
    for row, result in zip(probabilities, predicted):
        assert result["probabilities"]["1"] == pytest.approx(float(row[1]), abs=1e-5)
    assert [r["label"] for r in predicted] == ["1", "0"]
