"""Full fine-tuning on a CPU updates only the word-embedding rows a batch uses.

A dense embedding gradient is as big as the vocabulary (30,522 x 384 for MiniLM, half the
model), so every step zero-fills it, measures it for clipping and runs AdamW over all of it,
for the few hundred tokens the batch holds. With ``sparse=True`` the gradient holds those rows
only, and the rows are updated lazily (Adam's moments and the weight decay of a row move when
the row is used, as torch's SparseAdam does). benchmarks/bench_time_to_accuracy.py measures
the step time and the accuracy against the dense script.
"""

from __future__ import annotations

import math

import torch

ADAMW_DEFAULTS = {"amsgrad": False, "maximize": False, "capturable": False,
                  "differentiable": False}


def use_sparse_rows(model, device_kind: str, processes: int) -> bool:
    """Switch the model's input embedding to row gradients where that is safe and pays: a
    CPU, one process, a trained embedding used by one module and not tied to an output layer
    (a language-modelling head would make its gradient dense anyway)."""
    if device_kind != "cpu" or processes != 1:
        return False
    embedding = model.get_input_embeddings() if hasattr(model, "get_input_embeddings") \
        else None
    if not isinstance(embedding, torch.nn.Embedding) or not embedding.weight.requires_grad:
        return False
    users = [m for m in model.modules()
             if any(p is embedding.weight for p in m.parameters(recurse=False))]
    if len(users) != 1:  # tied to a head or shared between encoder and decoder
        return False
    embedding.sparse = True
    return True


class RowSparseAdamW(torch.optim.AdamW):
    """AdamW that also takes row gradients (an embedding with ``sparse=True``): dense
    parameters go through torch's AdamW unchanged, row gradients update their rows only.
    The state keeps AdamW's keys, so checkpoints resume with either optimizer."""

    @torch.no_grad()
    def step(self, closure=None):
        held = []
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is not None and p.grad.is_sparse:
                    held.append((group, p, p.grad))
                    p.grad = None  # AdamW refuses sparse gradients
        try:
            loss = super().step(closure)
        finally:
            for _, p, grad in held:
                p.grad = grad
        for group, p, grad in held:
            self._row_step(group, p, grad)
        return loss

    def _row_step(self, group, p, grad) -> None:
        if any(group.get(k, v) != v for k, v in ADAMW_DEFAULTS.items()):
            raise ValueError("row gradients support plain AdamW only")
        state = self.state[p]
        if not state:
            state["step"] = torch.tensor(0.0, dtype=torch.float32)
            state["exp_avg"] = torch.zeros_like(p, memory_format=torch.preserve_format)
            state["exp_avg_sq"] = torch.zeros_like(p, memory_format=torch.preserve_format)
        state["step"] += 1
        step = float(state["step"])
        grad = grad.coalesce()
        rows, values = grad.indices()[0], grad.values()
        lr, (beta1, beta2), eps = float(group["lr"]), group["betas"], group["eps"]
        exp_avg = state["exp_avg"].index_select(0, rows)
        exp_avg_sq = state["exp_avg_sq"].index_select(0, rows)
        exp_avg.lerp_(values, 1 - beta1)
        exp_avg_sq.mul_(beta2).addcmul_(values, values, value=1 - beta2)
        state["exp_avg"].index_copy_(0, rows, exp_avg)
        state["exp_avg_sq"].index_copy_(0, rows, exp_avg_sq)
        denom = (exp_avg_sq.sqrt() / math.sqrt(1 - beta2 ** step)).add_(eps)
        update = exp_avg.div_(denom).mul_(lr / (1 - beta1 ** step))
        if group["weight_decay"]:
            update.add_(p.index_select(0, rows), alpha=lr * group["weight_decay"])
        p.index_add_(0, rows, update, alpha=-1.0)


def clip_with_rows(parameters, max_norm: float) -> torch.Tensor:
    """``clip_grad_norm_`` for a mix of dense and row gradients (torch's refuses rows): the
    norm of all of them, every gradient scaled by the same factor. Row gradients are merged
    first so a token used twice in a batch counts once."""
    dense, rows = [], []
    for p in parameters:
        if p.grad is None:
            continue
        if p.grad.is_sparse:
            p.grad = p.grad.coalesce()
            rows.append(p.grad)
        else:
            dense.append(p.grad)
    norms = list(torch._foreach_norm(dense)) if dense else []
    norms += [torch.linalg.vector_norm(g.values()) for g in rows]
    if not norms:
        return torch.tensor(0.0)
    total = torch.linalg.vector_norm(torch.stack(norms))
    factor = torch.clamp(max_norm / (total + 1e-6), max=1.0)
    if dense:
        torch._foreach_mul_(dense, factor)
    for g in rows:
        g.values().mul_(factor)
    return total
