"""Chat replies from real tiny decoders: streamed pieces that join up to the greedy reply, and
every way a reply ends (end of turn, token limit, stop string, cancel) on a decoder whose
weights make its reply certain."""

from pathlib import Path

import pytest

from helpers import FILLER, chatml_tokenizer
from pft_desktop.core.chat_generate import GenerationSettings, generate_reply
from pft_desktop.core.errors import UserError

HI = [{"role": "user", "content": "hi"}]


def build_chain_decoder(folder: Path, length: int = 3):
    """A Llama whose greedy reply is always the same ``length`` words, then ChatML's end of
    turn <|im_end|> (not the end-of-sequence token): attention and MLP write nothing, so each
    next token depends only on the last one, and embeddings and head rows are set so that the
    prompt's last token leads to word 1, word 1 to word 2, ..., the last word to <|im_end|>.
    Returns (model, tokenizer, the reply's words)."""
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    from pft_desktop.core import chat

    tokenizer = chatml_tokenizer(folder)
    words = [w for w in FILLER if len(w) > 3 and len(tokenizer(
        " " + w, add_special_tokens=False)["input_ids"]) == 1][:length]
    chain = [tokenizer(chat.render_prompt(tokenizer, HI), add_special_tokens=False)
             ["input_ids"][-1]]
    chain += [tokenizer(" " + w, add_special_tokens=False)["input_ids"][0] for w in words]
    chain.append(tokenizer.convert_tokens_to_ids("<|im_end|>"))
    config = LlamaConfig(vocab_size=len(tokenizer), hidden_size=32, intermediate_size=64,
                         num_hidden_layers=1, num_attention_heads=4, num_key_value_heads=2,
                         max_position_embeddings=256, eos_token_id=tokenizer.eos_token_id,
                         tie_word_embeddings=False)
    model = LlamaForCausalLM(config).eval()
    with torch.no_grad():
        for layer in model.model.layers:
            layer.self_attn.o_proj.weight.zero_()
            layer.mlp.down_proj.weight.zero_()
        model.model.embed_tokens.weight.zero_()
        model.lm_head.weight.zero_()
        for step, (token, following) in enumerate(zip(chain, chain[1:])):
            model.model.embed_tokens.weight[token, step] = 1.0
            model.lm_head.weight[following, step] = 10.0
    return model, tokenizer, words


@pytest.fixture(scope="module")
def chain(tmp_path_factory):
    return build_chain_decoder(tmp_path_factory.mktemp("chain"))


@pytest.fixture(scope="module")
def random_decoder(tiny_chat_decoder):
    from transformers import AutoModelForCausalLM, AutoTokenizer

    return (AutoModelForCausalLM.from_pretrained(tiny_chat_decoder).eval(),
            AutoTokenizer.from_pretrained(tiny_chat_decoder))


def test_streamed_pieces_join_up_to_the_plain_greedy_reply(random_decoder):
    import torch

    from pft_desktop.core import chat

    model, tokenizer = random_decoder
    messages = [{"role": "user", "content": "what color is the sky"},
                {"role": "assistant", "content": "blue"},
                {"role": "user", "content": "and the grass"}]
    pieces = []
    reply = generate_reply(model, tokenizer, messages, GenerationSettings(max_new_tokens=24),
                           on_text=pieces.append)
    batch = tokenizer(chat.render_prompt(tokenizer, messages), return_tensors="pt",
                      add_special_tokens=False)
    with torch.no_grad():
        output = model.generate(**batch, max_new_tokens=24, do_sample=False,
                                eos_token_id=chat.stop_token_ids(tokenizer),
                                pad_token_id=tokenizer.eos_token_id)
    plain = tokenizer.decode(output[0, batch["input_ids"].shape[1]:], skip_special_tokens=True)
    assert len(pieces) > 3  # it streamed, not one piece at the end
    assert "".join(pieces) == reply.text == plain.strip()
    assert reply.tokens == output.shape[1] - batch["input_ids"].shape[1]
    assert reply.first_token_seconds is not None and \
        reply.first_token_seconds <= reply.seconds


def test_a_reply_ends_at_the_templates_end_of_turn(chain):
    model, tokenizer, words = chain
    pieces = []
    reply = generate_reply(model, tokenizer, HI, GenerationSettings(max_new_tokens=20),
                           on_text=pieces.append)
    assert reply.text == " ".join(words)
    assert (reply.stopped, reply.tokens) == ("end_of_turn", len(words) + 1)
    assert "".join(pieces) == reply.text


def test_a_reply_cut_by_the_token_limit_says_so(chain):
    model, tokenizer, words = chain
    reply = generate_reply(model, tokenizer, HI, GenerationSettings(max_new_tokens=2))
    assert (reply.text, reply.stopped, reply.tokens) == (" ".join(words[:2]), "length", 2)


@pytest.mark.parametrize("cut", ["word 2", "inside word 3", "across words 1 and 2"])
def test_a_stop_string_ends_the_reply_before_it_and_is_never_streamed(chain, cut):
    """Streaming holds back a tail that may still become a stop string ("plot" while "t th"
    may follow), so no piece shown is ever taken back."""
    model, tokenizer, words = chain
    stop = {"word 2": " " + words[1], "inside word 3": words[2][1:3],
            "across words 1 and 2": words[0][-1] + " " + words[1][:2]}[cut]
    pieces = []
    reply = generate_reply(model, tokenizer, HI, GenerationSettings(stop=[stop]),
                           on_text=pieces.append)
    full = " ".join(words)
    assert full.index(stop) > 0
    assert reply.stopped == "stop_string"
    assert reply.text == full[:full.index(stop)].rstrip()
    assert "".join(pieces) == reply.text and stop not in "".join(pieces)
    assert reply.tokens == (3 if cut == "inside word 3" else 2)  # generation stopped there


def test_cancel_ends_a_reply_early(chain):
    model, tokenizer, words = chain
    pieces = []
    reply = generate_reply(model, tokenizer, HI, GenerationSettings(),
                           on_text=pieces.append, cancel=lambda: bool(pieces))
    assert reply.stopped == "cancelled"
    assert reply.tokens < len(words) + 1 and reply.text == "".join(pieces)


def test_sampling_takes_temperature_and_top_p(chain):
    model, tokenizer, words = chain  # a certain model: sampling still finds the one reply
    reply = generate_reply(model, tokenizer, HI,
                           GenerationSettings.from_dict({"temperature": 0.7, "top_p": 0.9}))
    assert reply.text == " ".join(words) and reply.stopped == "end_of_turn"


@pytest.mark.parametrize("given, named", [
    ({"temperature": -1}, "Temperature -1"), ({"temperature": "hot"}, "Temperature 'hot'"),
    ({"top_p": 0}, "Top-p 0"), ({"top_p": 1.5}, "Top-p 1.5"),
    ({"max_new_tokens": 0}, "Max new tokens 0"), ({"max_new_tokens": 2.5}, "Max new tokens"),
    ({"stop": "END"}, "stop strings"), ({"stop": [""]}, "stop strings"),
    ({"temprature": 0.5}, "Unknown generation setting: temprature"),
    ("fast", "not a JSON object")])
def test_bad_settings_are_refused_with_what_is_wrong_and_a_fix(given, named):
    with pytest.raises(UserError) as caught:
        GenerationSettings.from_dict(given)
    assert named in caught.value.message and caught.value.fix


def test_near_the_models_length_limit_a_reply_gets_the_room_left(chain):
    from pft_desktop.core import chat

    model, tokenizer, words = chain  # 256 positions; its reply depends on the last token only
    with pytest.raises(UserError, match="reads at most 256") as caught:
        generate_reply(model, tokenizer, [{"role": "user", "content": "hi " * 400}],
                       GenerationSettings())
    assert "new chat" in caught.value.fix

    def prompt_length(messages):
        return len(tokenizer(chat.render_prompt(tokenizer, messages),
                             add_special_tokens=False)["input_ids"])

    # a system turn of one-token letters, long enough that two tokens are left for the reply
    one = prompt_length([{"role": "system", "content": "x"}] + HI)
    system = [{"role": "system", "content": "x" * (254 - one + 1)}]
    assert prompt_length(system + HI) == 254
    reply = generate_reply(model, tokenizer, system + HI, GenerationSettings(max_new_tokens=99))
    assert (reply.text, reply.stopped, reply.tokens) == (" ".join(words[:2]), "length", 2)


@pytest.mark.parametrize("messages, named", [
    ([], "empty"), ([{"role": "user"}], "Message 1"),
    ([{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}],
     "does not end with a user message")])
def test_a_conversation_that_cannot_be_answered_is_refused(chain, messages, named):
    model, tokenizer, _ = chain
    with pytest.raises(UserError, match=named):
        generate_reply(model, tokenizer, messages, GenerationSettings())
