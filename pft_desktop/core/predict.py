"""Try a trained or exported model on text: class probabilities, or generated text."""

from __future__ import annotations

import json
from pathlib import Path

from pft_desktop.core.errors import UserError
from pft_desktop.core.rundir import RUN_INFO


def _model_folder(path: str | Path) -> Path:
    path = Path(path).expanduser()
    if (path / "model" / RUN_INFO).is_file():  # a run folder
        return path / "model"
    if not path.is_dir():
        raise UserError("missing_model", f"The model folder {path} does not exist.",
                        "Choose a run folder or an exported model folder.")
    return path


def _task_of(folder: Path, info: dict) -> str:
    if info.get("task"):
        return info["task"]
    if (folder / "adapter_config.json").is_file():
        task_type = json.loads((folder / "adapter_config.json").read_text()).get("task_type")
        return "classification" if task_type == "SEQ_CLS" else "causal-lm"
    from pft_desktop.core.models import check_model_folder, read_model_config

    check_model_folder(folder, trust_remote_code=False)  # names what is missing, or why not
    config = read_model_config(folder)
    architectures = config.get("architectures") or []
    if any(a.endswith("ForSequenceClassification") for a in architectures):
        return "classification"
    if any(a.endswith(("ForCausalLM", "LMHeadModel")) for a in architectures):
        return "causal-lm"
    if any(a.endswith("ForMaskedLM") for a in architectures):
        info["objective"] = "mlm"  # a masked-LM model fills in masked words
        return "pretrain"
    raise UserError("no_task_head", f"{folder.name} is a pretrained "
                    f"{(architectures or [config.get('model_type', 'model')])[0]} without a task "
                    "head: it has nothing to predict yet.", "Fine-tune it first, then predict "
                    "with the run folder or its export.")


def load_model_for_inference(path: str | Path, merge: bool = False):
    """(model, tokenizer, info) for a run folder, a run's model folder or an exported folder.
    An adapter is loaded onto its base model in full precision, merged when ``merge``."""
    import torch
    from transformers import AutoModelForCausalLM, AutoModelForMaskedLM, \
        AutoModelForSequenceClassification, AutoTokenizer

    from pft_desktop.core.library_noise import quiet_libraries

    quiet_libraries()  # the base model's load report is expected noise here
    folder = _model_folder(path)
    info_file = folder / RUN_INFO
    info = json.loads(info_file.read_text(encoding="utf-8")) if info_file.is_file() else {}
    task = _task_of(folder, info)
    info.setdefault("task", task)
    if task == "classification":
        auto = AutoModelForSequenceClassification
    elif task == "pretrain" and info.get("objective") == "mlm":
        auto = AutoModelForMaskedLM
    else:
        auto = AutoModelForCausalLM
    tokenizer = AutoTokenizer.from_pretrained(folder)
    if (folder / "adapter_config.json").is_file():
        from peft import PeftModel

        adapter = json.loads((folder / "adapter_config.json").read_text(encoding="utf-8"))
        base_path = info.get("base_model") or adapter.get("base_model_name_or_path")
        kwargs = {"dtype": torch.float32}
        labels = info.get("label_names") or []
        if task == "classification" and labels:
            kwargs.update(num_labels=len(labels), id2label=dict(enumerate(labels)),
                          label2id={name: i for i, name in enumerate(labels)})
        base = auto.from_pretrained(base_path, **kwargs)
        if getattr(base.config, "pad_token_id", None) is None:
            base.config.pad_token_id = tokenizer.pad_token_id
        model = PeftModel.from_pretrained(base, folder)
        if merge:
            model = model.merge_and_unload()
    else:
        model = auto.from_pretrained(folder, dtype=torch.float32)
    if task == "classification" and tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    model.eval()
    return model, tokenizer, info


class Predictor:
    """Loads once, predicts many times (the Results page's try-it box)."""

    def __init__(self, path: str | Path):
        self.model, self.tokenizer, self.info = load_model_for_inference(path)
        self.task = self.info["task"]

    def classify(self, texts: list[str]) -> list[dict]:
        import torch

        max_length = self.info.get("max_length") or 512
        batch = self.tokenizer(texts, truncation=True, max_length=max_length, padding=True,
                               return_tensors="pt")
        with torch.no_grad():
            probabilities = self.model(**batch).logits.softmax(-1)
        names = self.model.config.id2label
        results = []
        for row in probabilities.tolist():
            scores = {names[i]: round(p, 6) for i, p in enumerate(row)}
            best = max(scores, key=scores.get)
            results.append({"label": best, "score": scores[best], "probabilities": scores})
        return results

    def fill_mask(self, text: str, top: int = 5) -> dict:
        """The likeliest tokens for each [MASK] (or the tokenizer's own mask token)."""
        import torch

        mask = self.tokenizer.mask_token
        for spelling in ("[MASK]", "<mask>", "[mask]"):
            text = text.replace(spelling, mask)
        batch = self.tokenizer(text, return_tensors="pt", truncation=True)
        positions = (batch["input_ids"][0] == self.tokenizer.mask_token_id).nonzero().flatten()
        if len(positions) == 0:
            return {"error": f"Put {mask} where the model should guess a word, e.g. "
                             f"'the movie was {mask} .'"}
        with torch.no_grad():
            probabilities = self.model(**batch).logits[0, positions].softmax(-1)
        guesses = []
        for row in probabilities:
            values, ids = row.topk(top)
            guesses.append([{"token": self.tokenizer.decode([int(i)]).strip(),
                             "score": round(float(v), 4)} for v, i in zip(values, ids)])
        filled = batch["input_ids"][0].clone()
        filled[positions] = probabilities.argmax(-1)
        return {"fill": guesses, "text": self.tokenizer.decode(filled, skip_special_tokens=True)}

    def generate(self, prompt: str, max_new_tokens: int = 64) -> str:
        import torch

        from pft_desktop.core.tasks.causal_lm import format_prompt

        raw = self.task == "pretrain"  # a pretrained decoder continues text as it is
        text = prompt if raw else format_prompt(self.tokenizer, prompt)
        special = raw or not getattr(self.tokenizer, "chat_template", None)
        batch = self.tokenizer(text, return_tensors="pt", add_special_tokens=special)
        with torch.no_grad():
            output = self.model.generate(**batch, max_new_tokens=max_new_tokens, do_sample=False,
                                         pad_token_id=self.tokenizer.pad_token_id
                                         or self.tokenizer.eos_token_id)
        return self.tokenizer.decode(output[0, batch["input_ids"].shape[1]:],
                                     skip_special_tokens=True)

    def __call__(self, text: str):
        if self.task == "classification":
            return self.classify([text])[0]
        if self.task == "pretrain" and self.info.get("objective") == "mlm":
            return self.fill_mask(text)
        return {"text": self.generate(text)}
