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
    from pft_desktop.core.models import check_model_folder, read_model_config
    from pft_desktop.core.tasks import get_task, task_of_folder

    adapter_file = folder / "adapter_config.json"
    if adapter_file.is_file():  # an adapter made elsewhere: its base says which head
        adapter = json.loads(adapter_file.read_text(encoding="utf-8"))
        return {"SEQ_CLS": "classification", "TOKEN_CLS": "token-classification",
                "QUESTION_ANS": "question-answering", "SEQ_2_SEQ_LM": "seq2seq"}.get(
            adapter.get("task_type"), "causal-lm")
    check_model_folder(folder, trust_remote_code=False)  # names what is missing, or why not
    config = read_model_config(folder)
    task = task_of_folder(config)
    if task:
        info.update(get_task(task).folder_info(config))
        return task
    architectures = config.get("architectures") or []
    raise UserError("no_task_head", f"{folder.name} is a pretrained "
                    f"{(architectures or [config.get('model_type', 'model')])[0]} without a task "
                    "head: it has nothing to predict yet.", "Fine-tune it first, then predict "
                    "with the run folder or its export.")


def load_model_for_inference(path: str | Path, merge: bool = False):
    """(model, tokenizer, info) for a run folder, a run's model folder or an exported folder.
    An adapter is loaded onto its base model in full precision, merged when ``merge``."""
    import torch
    import transformers

    from pft_desktop.core.library_noise import quiet_libraries
    from pft_desktop.core.tasks import get_task

    quiet_libraries()  # the base model's load report is expected noise here
    folder = _model_folder(path)
    info_file = folder / RUN_INFO
    info = json.loads(info_file.read_text(encoding="utf-8")) if info_file.is_file() else {}
    info.setdefault("task", _task_of(folder, info))
    task = get_task(info["task"])
    auto = getattr(transformers, task.auto_class_for(info))
    tokenizer = task.load_processor(folder)
    if (folder / "adapter_config.json").is_file():
        from peft import PeftModel

        adapter = json.loads((folder / "adapter_config.json").read_text(encoding="utf-8"))
        base_path = info.get("base_model") or adapter.get("base_model_name_or_path")
        base = auto.from_pretrained(base_path, dtype=torch.float32,
                                    **task.model_kwargs(info.get("label_names") or [], info))
        if getattr(base.config, "pad_token_id", None) is None:
            base.config.pad_token_id = getattr(tokenizer, "pad_token_id", None)
        model = PeftModel.from_pretrained(base, folder)
        if merge:
            model = model.merge_and_unload()
    else:
        model = auto.from_pretrained(folder, dtype=torch.float32)
    if getattr(tokenizer, "pad_token", "") is None:
        tokenizer.pad_token = tokenizer.eos_token
    model.eval()
    return model, tokenizer, info


class Predictor:
    """Loads once, predicts many times (the Results page's try box, `predict`, `serve`)."""

    def __init__(self, path: str | Path):
        from pft_desktop.core.tasks import get_task

        self.model, self.tokenizer, self.info = load_model_for_inference(path)
        self.task = self.info["task"]
        self.spec = get_task(self.task)

    def inputs(self) -> list:
        return self.spec.inputs(self.info)

    def __call__(self, given) -> dict:
        """One prediction; ``given`` is the first input's text or a dict of every input."""
        inputs = given if isinstance(given, dict) else {self.inputs()[0].key: given}
        missing = [field.label for field in self.inputs()
                   if field.key not in inputs and field.required]
        if missing:
            return {"error": f"Give the {' and the '.join(m.lower() for m in missing)} too."}
        return self.spec.predict(self.model, self.tokenizer, self.info, inputs)
