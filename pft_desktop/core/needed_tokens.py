"""BERT-family layers that compute only the tokens the head needs, while a classifier trains.

A BERT-family sequence classifier (and regressor, and multi-label classifier) reads the last
layer's output at the first token only: BERT's pooler takes ``[:, 0]``, RoBERTa's and
ELECTRA's heads take ``features[:, 0, :]``. Two kinds of work make no difference to it:

- padding: no real token attends to a padded one, so padded positions never reach the head.
  The layers carry the hidden states packed, one row per real token, and spread them to
  (batch, length) only around the attention scores.
- the last layer beyond the first token: it needs keys and values from every token, but its
  queries, attention output, feed-forward block and layer norms matter for the first alone.

Leaving both out is the same arithmetic for the logits and every gradient (tests compare each
listed head with the unchanged model). On MiniLM-L6 with SST-2's length-grouped batches a
training step's matrix products shrink by some 14% for the last layer and by the share of
padding (8% there, more where lengths vary). Packed rows give the products a new shape every
batch; where oneDNN multiplies in bf16 that measured slower (0.91x a LoRA step, 0.94x a full
one, likely a kernel built for each new shape), so there the padding stays. The weights, the
saved model and its outputs do not change; while it trains the model's ``last_hidden_state``
holds the first position only.
"""

from __future__ import annotations

import torch
from transformers.modeling_utils import ALL_ATTENTION_FUNCTIONS
from transformers.models.auto.modeling_auto import MODEL_FOR_SEQUENCE_CLASSIFICATION_MAPPING_NAMES

from pft_desktop.core.estimate import FIRST_TOKEN_MODEL_TYPES
from pft_desktop.core.quick_dropout import quick_attention, uses_quick_attention

# Heads that read the first position of the last layer and nothing else (tests check each
# against the unchanged model, logits and gradients): the sequence classifiers of the model
# types listed where the time estimate, which must not import torch, also reads them.
FIRST_TOKEN_HEADS = frozenset(
    MODEL_FOR_SEQUENCE_CLASSIFICATION_MAPPING_NAMES[kind] for kind in FIRST_TOKEN_MODEL_TYPES)


def kept_positions(attention_mask: torch.Tensor | None, batch: int):
    """The flat positions of the tokens some query attends to, and the first position of each
    row, read from the 4-d mask the model built (boolean: True attends; additive: 0 attends).
    None where nothing is padded. The first position counts as kept: the head reads it."""
    if attention_mask is None or attention_mask.dim() != 4:
        return None
    rows = attention_mask[:, 0]
    real = rows.any(dim=-2) if rows.dtype == torch.bool else (rows == 0).any(dim=-2)
    if real.shape[0] != batch:
        real = real.expand(batch, -1)
    if bool(real.all()):
        return None
    real = real.clone()
    real[:, 0] = True
    return real.flatten().nonzero().squeeze(1)


def needed_tokens_forward(layer, hidden_states: torch.Tensor,
                          attention_mask: torch.Tensor | None = None, *args, **kwargs):
    """The BERT layer's arithmetic for the tokens that matter: padding left out of every
    product (the hidden states travel packed, a row per real token, from the first layer to
    the last), and in the last layer queries at the first position only."""
    attention = layer.attention.self
    batch, length = (attention_mask.shape[0], attention_mask.shape[-1]) \
        if hidden_states.dim() == 2 else hidden_states.shape[:2]
    kept = kept_positions(attention_mask, batch) if layer.unpadded else None
    if hidden_states.dim() == 2:  # packed by the layer before
        packed = hidden_states
    elif kept is not None:
        packed = hidden_states.reshape(batch * length, -1).index_select(0, kept)
    else:
        packed = hidden_states.reshape(batch * length, -1)

    def spread(rows: torch.Tensor) -> torch.Tensor:
        """Rows of packed tokens back into (batch, heads, length, head size), zero padding."""
        if kept is not None:
            rows = rows.new_zeros(batch * length, rows.shape[-1]).index_copy(0, kept, rows)
        return rows.view(batch, length, attention.num_attention_heads,
                         attention.attention_head_size).transpose(1, 2)

    if layer.first_token_only:
        starts = torch.arange(batch, device=packed.device) * length
        if kept is not None:  # where each row's first position sits among the packed rows
            starts = torch.searchsorted(kept, starts)
        queries = packed.index_select(0, starts)
        mask = attention_mask[:, :, :1, :] if attention_mask is not None \
            and attention_mask.dim() == 4 and attention_mask.shape[-2] > 1 else attention_mask
    else:
        queries, mask = packed, attention_mask
    query = attention.query(queries)
    query = query.view(batch, 1, attention.num_attention_heads, -1).transpose(1, 2) \
        if layer.first_token_only else spread(query)
    key, value = spread(attention.key(packed)), spread(attention.value(packed))
    for name in ("past_key_values", "encoder_hidden_states", "encoder_attention_mask"):
        kwargs.pop(name, None)
    if uses_quick_attention(attention, packed):
        attend = quick_attention
    else:
        attend = ALL_ATTENTION_FUNCTIONS.get_interface(
            attention.config._attn_implementation, quick_attention)
    mixed, _ = attend(attention, query, key, value, mask,
                      dropout=attention.dropout.p if attention.training else 0.0,
                      scaling=attention.scaling, **kwargs)
    if layer.first_token_only:
        attended = layer.attention.output(mixed.reshape(batch, -1), queries)
        return layer.feed_forward_chunk(attended).unsqueeze(1)
    mixed = mixed.reshape(batch * length, -1)
    if kept is not None:
        mixed = mixed.index_select(0, kept)
    attended = layer.attention.output(mixed, packed)
    out = layer.feed_forward_chunk(attended)
    return out if kept is not None else out.view(batch, length, -1)


def _bert_layer(layer) -> bool:
    attention = getattr(getattr(layer, "attention", None), "self", None)
    return (attention is not None and all(hasattr(attention, name) for name in (
        "query", "key", "value", "num_attention_heads", "attention_head_size", "scaling"))
        and hasattr(layer.attention, "output") and hasattr(layer, "feed_forward_chunk")
        and not getattr(layer, "is_decoder", False)
        and not getattr(layer, "add_cross_attention", False))


def use_needed_tokens(model, leave_out_padding: bool = True) -> bool:
    """Make the encoder layers compute only the tokens the head needs, where it reads the first
    token and nothing else (with padding, or the last layer's other tokens alone); True when
    they do. The swap lives on this model object alone."""
    inner = model.get_base_model() if hasattr(model, "get_base_model") else model
    if type(inner).__name__ not in FIRST_TOKEN_HEADS:
        return False
    layers = getattr(getattr(inner.base_model, "encoder", None), "layer", None)
    if not layers or not all(_bert_layer(layer) for layer in layers):
        return False
    for layer in layers:
        plain = type(layer)
        layer.__class__ = type(f"NeededTokens{plain.__name__}", (plain,),
                               {"forward": needed_tokens_forward})
        layer.unpadded, layer.first_token_only = leave_out_padding, layer is layers[-1]
    return True
