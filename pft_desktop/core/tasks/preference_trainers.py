"""TRL's preference trainers, fitted to the recipe: DPO (trl.DPOTrainer), ORPO and SimPO (the
experimental ORPOTrainer and CPOTrainer with loss_type "simpo").

The task has already tokenized the pairs with the chat template (preference.tokenize_pairs),
so the trainers' own tokenizing is skipped; they are wrapped by the recipe's make_trainer for
length-grouped batches and checkpoints; and they send no telemetry and write no model card
into the checkpoints folder (the app writes its own card on export). Imported only by a
running training: it imports torch and trl.
"""

from __future__ import annotations

import warnings
from contextlib import contextmanager
from functools import partial

REFERENCE_ADAPTER = "ref"  # the frozen copy of the starting adapter DPOTrainer adds


def trl_classes(method: str):
    """(arguments class, trainer class) for a preference method."""
    from trl import DPOConfig, DPOTrainer

    if method == "dpo":
        return DPOConfig, DPOTrainer
    with warnings.catch_warnings():  # "APIs here are unstable": a note for TRL's users
        warnings.simplefilter("ignore")
        from trl.experimental.cpo import CPOConfig, CPOTrainer
        from trl.experimental.orpo import ORPOConfig, ORPOTrainer
    return (ORPOConfig, ORPOTrainer) if method == "orpo" else (CPOConfig, CPOTrainer)


def arguments(config, common: dict):
    """The method's TRL arguments: the recipe's common ones plus the preference settings.
    TRL turns gradient checkpointing on by default; it is turned off here because the method
    settings already applied it (or not) to the model."""
    p = config.preference
    kind, _ = trl_classes(p.method)
    extra = {"beta": p.beta, "max_length": config.task.max_length,
             "gradient_checkpointing": False}
    if p.method == "dpo":
        extra["trust_remote_code"] = config.model.trust_remote_code  # its reference copy
    if p.method == "simpo":
        # SimPO is CPO without its NLL term; the setting is gamma as a share of beta (as the
        # SimPO paper's gamma/beta ratio), TRL's simpo_gamma the margin itself.
        extra.update(loss_type="simpo", cpo_alpha=0.0, simpo_gamma=p.simpo_gamma * p.beta)
    return kind(**common, **extra)


def build(wrap, parts: dict):
    """The trainer for ``parts["args"]``, made from the recipe's ``parts``."""
    with quiet_maps():
        return trainer_class(parts["args"], wrap)(**parts)


@contextmanager
def quiet_maps():
    """No progress bars while ORPO and CPO map over the rows (six bars per run on stderr,
    where a person reads problems)."""
    from datasets.utils import are_progress_bars_disabled, disable_progress_bars, \
        enable_progress_bars

    was_disabled = are_progress_bars_disabled()
    disable_progress_bars()
    try:
        yield
    finally:
        if not was_disabled:
            enable_progress_bars()


def trainer_class(args, wrap):
    """The trainer for ``args`` (a DPOConfig, ORPOConfig or CPOConfig), wrapped by ``wrap``."""
    for method in ("dpo", "orpo", "simpo"):
        kind, base = trl_classes(method)
        if isinstance(args, kind):
            rows = TokenizedPairs if method == "dpo" else TokenizedPairsConcatenated
            return type(f"Preference{base.__name__}", (Quiet, TrainedAdapterOnly, rows,
                                                       wrap(base)), {})
    raise TypeError(f"no preference trainer reads {type(args).__name__}")


class Quiet:
    """Nothing leaves the machine and nothing extra is written into the run folder."""

    def _send_telemetry(self):
        pass  # TRL pings the Hugging Face hub with each trainer's start

    def create_model_card(self, *args, **kwargs):
        pass  # TRL writes a README into the checkpoints folder before each checkpoint


class TrainedAdapterOnly:
    """Checkpoints hold the trained adapter only, not DPO's frozen reference copy of it (a
    resumed run rebuilds that from the starting adapter, as the first run did)."""

    def _save(self, output_dir=None, state_dict=None):
        model = self.model
        if len(getattr(model, "peft_config", None) or {}) < 2:
            return super()._save(output_dir, state_dict)
        model.save_pretrained = partial(type(model).save_pretrained, model,
                                        selected_adapters=[model.active_adapter])
        try:
            return super()._save(output_dir, state_dict)
        finally:
            del model.save_pretrained


class TokenizedPairs:
    """DPO on the task's rows as they are: its own tokenizing would render the text again."""

    def _prepare_dataset(self, dataset, processing_class, args, dataset_name):
        return dataset


class TokenizedPairsConcatenated:
    """ORPO and CPO read prompt+answer rows with labels; they are made from the task's rows
    (the trainers map ``tokenize_row`` over the data), in training and in a final evaluation
    of a dataset passed as it is."""

    tokenize_row = staticmethod(lambda feature, model=None: concatenated_row(feature))

    def evaluate(self, eval_dataset=None, ignore_keys=None, metric_key_prefix="eval"):
        if eval_dataset is not None and "chosen_input_ids" not in eval_dataset.column_names:
            with quiet_maps():
                eval_dataset = eval_dataset.map(concatenated_row)
        return super().evaluate(eval_dataset, ignore_keys, metric_key_prefix)

    def _track_num_input_tokens(self, inputs):
        """Tokens per second counts both sequences of each pair (these batches have no
        ``input_ids`` for transformers to count; it would warn at every step)."""
        if self.args.include_num_input_tokens_seen == "no":
            return
        seen = inputs["chosen_attention_mask"].sum() + inputs["rejected_attention_mask"].sum()
        self.state.num_input_tokens_seen += int(self.accelerator.gather(seen).sum().item())


def concatenated_row(row: dict) -> dict:
    """One pair as ORPO/CPO rows: prompt+answer ids, with -100 labels on the prompt."""
    prompt = list(row["prompt_ids"])
    out = {"prompt_input_ids": prompt, "prompt_attention_mask": [1] * len(prompt)}
    for which in ("chosen", "rejected"):
        answer = list(row[f"{which}_ids"])
        out[f"{which}_input_ids"] = prompt + answer
        out[f"{which}_attention_mask"] = [1] * (len(prompt) + len(answer))
        out[f"{which}_labels"] = [-100] * len(prompt) + answer
    return out


def without_reference(model):
    """The trained model without DPO's reference adapter (a frozen copy of the starting
    adapter, only needed while training), so the saved model is the tuned adapter alone."""
    if REFERENCE_ADAPTER in (getattr(model, "peft_config", None) or {}):
        model.delete_adapter(REFERENCE_ADAPTER)
    return model
