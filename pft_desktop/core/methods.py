"""Training methods: which weights train and how the base model is loaded.

full: every weight. freeze: the task head (plus the top N layers). lora: peft adapters.
qlora-4bit / qlora-8bit: LoRA on a bitsandbytes-quantized base, on CUDA or on CPU.
"""

from __future__ import annotations

from dataclasses import dataclass

from pft_desktop.core.errors import UserError

HEAD_NAMES = ("classifier", "score", "lm_head", "cls", "pre_classifier", "qa_outputs")


@dataclass
class Device:
    kind: str          # cuda | mps | cpu
    name: str
    bf16: bool
    total_memory: int = 0

    def to_dict(self) -> dict:
        return {"kind": self.kind, "name": self.name, "bf16": self.bf16,
                "total_memory": self.total_memory}


def detect_device(devices: str = "") -> Device:
    """The device this process trains on: its own GPU when a launcher started one process per
    GPU (``LOCAL_RANK``; the launcher's CUDA_VISIBLE_DEVICES lists only the chosen GPUs, so
    index 0 is the first chosen one), the CPU when ``devices`` (``resources.devices``) says
    'cpu' or no GPU is visible."""
    import os

    import torch

    if devices.strip().lower() == "cpu":
        return Device("cpu", "CPU", False)
    if torch.cuda.is_available():
        index = int(os.environ.get("LOCAL_RANK", "0") or 0)
        count = torch.cuda.device_count()
        if index >= count:
            raise UserError("too_few_gpus", f"Process {index + 1} needs its own GPU, but only "
                            f"{count} {'is' if count == 1 else 'are'} visible.",
                            f"Set resources.processes to at most {count}, or set "
                            "resources.devices to 'cpu' to run the processes on the CPU.")
        props = torch.cuda.get_device_properties(index)
        return Device("cuda", props.name, torch.cuda.is_bf16_supported(), props.total_memory)
    if getattr(torch.backends, "mps", None) and torch.backends.mps.is_available():
        return Device("mps", "Apple GPU", False)
    return Device("cpu", "CPU", False)


def bitsandbytes_status() -> tuple[bool, str]:
    """Whether QLoRA can run here, and if not, why (shown next to the disabled option)."""
    import importlib.util

    if importlib.util.find_spec("bitsandbytes") is None:
        return False, "bitsandbytes is not installed (pip install bitsandbytes)."
    import platform

    if platform.system() == "Darwin":
        return False, "bitsandbytes has no kernels for macOS; use LoRA instead."
    return True, ""


def resolve_precision(requested: str, device: Device) -> str:
    if requested == "auto":
        return "bf16" if device.bf16 else "fp32"
    if requested == "fp16" and device.kind != "cuda":
        raise UserError("bad_precision", "fp16 training needs a CUDA GPU, and none is in use.",
                        "Set precision to auto (fp32 on this machine) or bf16.")
    if requested == "bf16" and device.kind == "cuda" and not device.bf16:
        raise UserError("bad_precision", f"{device.name} does not support bf16.",
                        "Set precision to auto or fp16.")
    return requested


def head_names(model) -> list[str]:
    """Names of top-level task heads, which are new and must stay trainable and unquantized."""
    return [name for name, _ in model.named_children() if name in HEAD_NAMES]


def quantization_config(method: str, device: Device):
    """A BitsAndBytesConfig for QLoRA, or None for the other methods."""
    if not method.startswith("qlora"):
        return None
    available, reason = bitsandbytes_status()
    if not available:
        raise UserError("no_bitsandbytes", f"QLoRA is not available: {reason}",
                        "Choose LoRA, which needs no quantization library.")
    import torch
    from transformers import BitsAndBytesConfig

    # Heads are new, and so is a pooler when the checkpoint was saved without one (a masked-LM
    # checkpoint): a module created after quantization has no quantization state and fails.
    # Their names are known only once a model is loaded, so skip every usual head name;
    # bitsandbytes ignores names the model does not have.
    skip = sorted(set(HEAD_NAMES) | {"pooler.dense"})
    if method == "qlora-4bit":
        compute = torch.bfloat16 if device.bf16 else torch.float32
        return BitsAndBytesConfig(load_in_4bit=True, bnb_4bit_quant_type="nf4",
                                  bnb_4bit_use_double_quant=True, bnb_4bit_compute_dtype=compute,
                                  llm_int8_skip_modules=skip)
    return BitsAndBytesConfig(load_in_8bit=True, llm_int8_skip_modules=skip)


def disable_cpu_4bit_repacking(model) -> int:
    """bitsandbytes 0.50 on CPU repacks 4-bit weights in place for an AVX512-BF16 kernel at the
    first eval-mode forward, after which LoRA gradients are silently wrong (measured: 43% error
    on Llama) or fail. Turning the repacking off keeps gradients exact; returns modules fixed."""
    try:
        import bitsandbytes as bnb
    except ImportError:
        return 0
    fixed = 0
    for module in model.modules():
        if isinstance(module, bnb.nn.Linear4bit):
            module.support_avx512bf16_for_cpu = False
            fixed += 1
    return fixed


def transformer_layers(model):
    """The stack of transformer blocks (the longest ModuleList of a known name), or None."""
    import torch

    best = None
    for name, module in model.named_modules():
        if isinstance(module, torch.nn.ModuleList) and name.split(".")[-1] in (
                "layer", "layers", "h", "blocks", "block"):
            if best is None or len(module) > len(best):
                best = module
    return best


def freeze_backbone(model, top_layers: int) -> None:
    for parameter in model.parameters():
        parameter.requires_grad = False
    heads = head_names(model)
    if not heads:
        raise UserError("no_head", f"{type(model).__name__} has no task head to train.",
                        "Use LoRA or full fine-tuning for this model.")
    for name in heads:
        for parameter in getattr(model, name).parameters():
            parameter.requires_grad = True
    if top_layers:
        layers = transformer_layers(model)
        if layers is None:
            raise UserError("no_layers", "The model's transformer layers could not be found, so "
                            "the top layers cannot be unfrozen.", "Set trainable top layers to "
                            "0, or use LoRA.")
        for layer in list(layers)[-top_layers:]:
            for parameter in layer.parameters():
                parameter.requires_grad = True


def lora_targets(model, model_type: str, requested: list[str]) -> list[str] | str:
    if requested:
        names = {name.split(".")[-1] for name, _ in model.named_modules()}
        missing = [target for target in requested if target not in names]
        if missing:
            raise UserError("bad_lora_targets", f"The model has no module named "
                            f"{', '.join(missing)}.", "Leave LoRA target modules empty to use the "
                            "usual choice for this architecture.")
        return list(requested)
    from peft.utils import TRANSFORMERS_MODELS_TO_LORA_TARGET_MODULES_MAPPING as KNOWN

    return list(KNOWN.get(model_type, [])) or "all-linear"


def apply_method(model, settings, task, model_type: str, device: Device,
                 new_modules: list[str] = ()):
    """Freeze, wrap in LoRA, or leave the model whole; returns the model to train."""
    method = settings.kind
    if method == "full":
        if settings.gradient_checkpointing:
            model.gradient_checkpointing_enable()
        if task.word_embeddings_optional and not settings.train_word_embeddings:
            keep_word_embeddings(model)
        return model
    if method == "freeze":
        freeze_backbone(model, settings.trainable_top_layers)
        for name in new_modules:
            for parameter in model.get_submodule(name).parameters():
                parameter.requires_grad = True
        return model
    from peft import LoraConfig, get_peft_model, prepare_model_for_kbit_training

    if method.startswith("qlora"):
        if device.kind == "cpu":
            disable_cpu_4bit_repacking(model)
        model = prepare_model_for_kbit_training(
            model, use_gradient_checkpointing=settings.gradient_checkpointing)
    elif settings.gradient_checkpointing:
        model.gradient_checkpointing_enable()
        model.enable_input_require_grads()
    config = LoraConfig(
        task_type=task.peft_task_type, r=settings.lora_r, lora_alpha=settings.lora_alpha,
        lora_dropout=settings.lora_dropout, use_dora=settings.use_dora,
        use_rslora=settings.use_rslora,
        target_modules=lora_targets(model, model_type,
                                    settings.lora_target_modules or task.lora_targets(model)),
        modules_to_save=_modules_to_save(model, task, new_modules))
    return get_peft_model(model, config)


def keep_word_embeddings(model) -> None:
    """Leave the input word embeddings as pretrained. Their gradient is a dense vocabulary x
    hidden matrix each step and AdamW then updates every row of it: for MiniLM-L6 that is 12M
    of its 23M weights, while a batch touches a few hundred rows. Position and token-type
    embeddings and the embedding layer norm still train."""
    embeddings = model.get_input_embeddings()
    if embeddings is not None:
        embeddings.weight.requires_grad_(False)


def _modules_to_save(model, task, new_modules) -> list[str] | None:
    """The head, plus any module the checkpoint lacked (a pooler of a masked-LM checkpoint),
    trained in full and saved with the adapter. peft matches these as path suffixes."""
    heads = set(head_names(model)) if task.peft_task_type == "SEQ_CLS" else set()
    if task.trains_head:  # no peft task type saves it (images): name it
        return sorted(set(head_names(model)) | set(new_modules)) or None
    extra = {name for name in new_modules
             if name.split(".")[0] not in heads and not name.endswith("lm_head")}
    # peft adds the usual head names ("classifier", "score") itself for SEQ_CLS, and
    # "qa_outputs" for QUESTION_ANS (named here too, adapter_config.json would list it twice)
    return sorted((heads | extra) - {"classifier", "score", "qa_outputs"}) or None


def count_parameters(model) -> tuple[int, int]:
    trainable = total = 0
    for parameter in model.parameters():
        count = parameter.numel()
        if hasattr(parameter, "quant_state") or parameter.__class__.__name__ == "Params4bit":
            count *= 2  # 4-bit weights pack two values per stored byte
        total += count
        if parameter.requires_grad:
            trainable += count
    return trainable, total
