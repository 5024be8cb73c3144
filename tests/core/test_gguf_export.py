"""GGUF export: files written with the gguf package read back with plain transformers and
predict like the merged model; wrong files are refused, not kept; the Ollama Modelfile follows
the model's chat template; a merged chat export stops at its end-of-turn token."""

import json
import shutil
import subprocess

import pytest
import torch

from helpers import build_chatml_decoder, build_tiny_encoder, chatml_tokenizer, classification_config
from pft_desktop.core import gguf_check, gguf_export
from pft_desktop.core.chat import TEMPLATES
from pft_desktop.core.errors import UserError
from pft_desktop.core.export import check_generation_stops, export_gguf, export_run
from pft_desktop.core.recipe import run_training

QUANTS = ("f16", "q8_0", "q4_0")


def _load(folder):
    from transformers import AutoModelForCausalLM, AutoTokenizer

    return (AutoModelForCausalLM.from_pretrained(folder, dtype=torch.float32).eval(),
            AutoTokenizer.from_pretrained(folder))


def _read_back(path):
    """The file as a user's transformers code reads it (its folder holds nothing else)."""
    from transformers import AutoModelForCausalLM, AutoTokenizer

    return (AutoModelForCausalLM.from_pretrained(path.parent, gguf_file=path.name,
                                                 dtype=torch.float32).eval(),
            AutoTokenizer.from_pretrained(path.parent, gguf_file=path.name))


def _logit_error(model, other, tokenizer, text="the film was great fun, naïve 🙂 12345"):
    ids = torch.tensor([tokenizer(text)["input_ids"]])
    with torch.no_grad():
        want, got = model(input_ids=ids).logits, other(input_ids=ids).logits
    return float((want - got).abs().max() / want.abs().max())


def _tensor_types(path) -> dict:
    import gguf

    return {t.name: t.tensor_type.name for t in gguf.GGUFReader(path).tensors}


def _tiny(tmp_path, kind, **settings):
    """A random causal LM of ``kind`` with a byte-level BPE tokenizer that has ChatML's
    turn tokens (built here; nothing downloads)."""
    import transformers

    tokenizer = chatml_tokenizer(tmp_path)
    transformers.set_seed(0)
    config = getattr(transformers, f"{kind}Config")(vocab_size=len(tokenizer),
                                                     eos_token_id=tokenizer.eos_token_id,
                                                     **settings)
    model = getattr(transformers, f"{kind}ForCausalLM" if kind != "GPT2" else
                    "GPT2LMHeadModel")(config).eval()
    model.config.architectures = [type(model).__name__]
    return model, tokenizer


@pytest.mark.parametrize("quant", QUANTS)
def test_llama_reads_back_within_the_types_tolerance(tmp_path, tiny_decoder, quant):
    model, tokenizer = _load(tiny_decoder)
    (tmp_path / "out").mkdir()
    written = gguf_export.export_gguf_file(model, tokenizer, tmp_path / "out" / "m.gguf", quant)
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["m.gguf"]
    types = _tensor_types(written.path)
    assert types["blk.0.attn_q.weight"] == quant.upper() and types["output_norm.weight"] == "F32"
    loaded, loaded_tokenizer = _read_back(written.path)
    text = "the film was great fun, naïve 🙂 <|endoftext|> 12345\n\n  x"
    assert loaded_tokenizer(text)["input_ids"] == tokenizer(text)["input_ids"]
    error = _logit_error(model, loaded, tokenizer)
    assert error <= gguf_check.LOGIT_TOLERANCE[quant]
    assert written.logit_error <= gguf_check.LOGIT_TOLERANCE[quant]
    assert 0 < written.weight_error <= 1.0


def test_smaller_types_make_smaller_files(tmp_path):
    model, tokenizer = _tiny(tmp_path / "tok", "Llama", hidden_size=64, intermediate_size=128,
                             num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2)
    sizes = {q: gguf_export.export_gguf_file(model, tokenizer, tmp_path / f"m-{q}.gguf",
                                             q).size for q in QUANTS}
    assert sizes["q4_0"] < sizes["q8_0"] < sizes["f16"]
    assert sizes["q8_0"] < 0.65 * sizes["f16"]


def test_qwen2_with_biases_and_tied_embeddings_reads_back(tmp_path):
    model, tokenizer = _tiny(tmp_path / "tok", "Qwen2", hidden_size=64, intermediate_size=128,
                             num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
                             tie_word_embeddings=True)
    (tmp_path / "out").mkdir()
    written = gguf_export.export_gguf_file(model, tokenizer, tmp_path / "out" / "q.gguf", "q8_0")
    assert "blk.0.attn_q.bias" in _tensor_types(written.path)
    assert "output.weight" not in _tensor_types(written.path)  # tied: llama.cpp reuses it
    loaded, loaded_tokenizer = _read_back(written.path)
    assert type(loaded).__name__ == "Qwen2ForCausalLM"
    assert loaded_tokenizer.chat_template == tokenizer.chat_template
    assert _logit_error(model, loaded, tokenizer) <= gguf_check.LOGIT_TOLERANCE["q8_0"]


def test_mistral_is_written_as_llama(tmp_path):
    """llama.cpp runs Mistral as llama (same tensors and rope), and so does the reader."""
    model, tokenizer = _tiny(tmp_path / "tok", "Mistral", hidden_size=64, intermediate_size=128,
                             num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2)
    (tmp_path / "out").mkdir()
    written = gguf_export.export_gguf_file(model, tokenizer, tmp_path / "out" / "m.gguf", "q8_0")
    loaded, _ = _read_back(written.path)
    assert written.architecture == "llama" and type(loaded).__name__ == "LlamaForCausalLM"
    assert _logit_error(model, loaded, tokenizer) <= gguf_check.LOGIT_TOLERANCE["q8_0"]


def test_gpt2_reads_back(tmp_path):
    model, tokenizer = _tiny(tmp_path / "tok", "GPT2", n_embd=64, n_layer=2, n_head=4)
    (tmp_path / "out").mkdir()
    written = gguf_export.export_gguf_file(model, tokenizer, tmp_path / "out" / "g.gguf", "q8_0")
    loaded, _ = _read_back(written.path)
    assert _logit_error(model, loaded, tokenizer) <= gguf_check.LOGIT_TOLERANCE["q8_0"]


def test_unsupported_architectures_are_refused_with_a_way_out(tmp_path):
    model, tokenizer = _tiny(tmp_path / "tok", "OPT", hidden_size=32, ffn_dim=64,
                             num_hidden_layers=1, num_attention_heads=2, word_embed_proj_dim=32)
    with pytest.raises(UserError) as caught:
        gguf_export.export_gguf_file(model, tokenizer, tmp_path / "o.gguf", "q8_0")
    assert caught.value.kind == "gguf_unsupported"
    assert "OPTForCausalLM" in caught.value.message and "--merged" in caught.value.fix
    short, _ = _tiny(tmp_path / "tok2", "GPT2", n_embd=32, n_layer=1, n_head=2, n_positions=128)
    with pytest.raises(UserError, match="1024 positions"):
        gguf_export.export_gguf_file(short, tokenizer, tmp_path / "g.gguf", "q8_0")
    assert list(tmp_path.glob("*.gguf*")) == []


@pytest.mark.parametrize("quant", ["f16", "q4_0"])
def test_a_file_with_unpermuted_rope_rows_is_not_kept(tmp_path, tiny_decoder, quant,
                                                      monkeypatch):
    """llama.cpp's rope pairs neighbouring rows: without the Q/K permutation the file loads
    but computes something else. The weight check catches it even under 4-bit rounding."""
    model, tokenizer = _load(tiny_decoder)
    monkeypatch.setattr(gguf_export, "_permute_rope_rows", lambda weights, heads: weights)
    with pytest.raises(UserError) as caught:
        gguf_export.export_gguf_file(model, tokenizer, tmp_path / "m.gguf", quant)
    assert caught.value.kind == "gguf_mismatch" and "attn_q" in caught.value.message
    assert "not kept" in caught.value.message
    assert list(tmp_path.iterdir()) == []  # neither the file nor its .part


def test_a_slightly_wrong_tensor_is_caught(tmp_path, tiny_decoder, monkeypatch):
    """One row of one feed-forward weight off by 1%: far below what the logits show at
    q8_0, but more than q8_0 rounding allows, so the file is refused."""
    model, tokenizer = _load(tiny_decoder)
    real = gguf_export._weights

    def tampered(model, arch):
        for name, gguf_name, data in real(model, arch):
            if gguf_name == "blk.1.ffn_down.weight":
                data = data.copy()
                data[3] *= 1.01
            yield name, gguf_name, data

    monkeypatch.setattr(gguf_export, "_weights", tampered)
    with pytest.raises(UserError, match="ffn_down"):
        gguf_export.export_gguf_file(model, tokenizer, tmp_path / "m.gguf", "q8_0")
    assert list(tmp_path.iterdir()) == []


def test_a_tokenizer_that_splits_differently_is_caught(tmp_path, tiny_decoder, monkeypatch):
    """Half the merges lost: words that need them come back in more pieces. Written into the
    model's own folder, whose tokenizer.json transformers would read instead of the file's
    if the check ran there."""
    import gguf

    model, tokenizer = _load(tiny_decoder)
    folder = shutil.copytree(tiny_decoder, tmp_path / "model")
    before = sorted(p.name for p in folder.iterdir())
    real = gguf.GGUFWriter.add_token_merges
    monkeypatch.setattr(gguf.GGUFWriter, "add_token_merges",
                        lambda writer, merges: real(writer, merges[:len(merges) // 2]))
    with pytest.raises(UserError, match="splits"):
        gguf_export.export_gguf_file(model, tokenizer, folder / "m.gguf", "f16")
    assert sorted(p.name for p in folder.iterdir()) == before


# --- Modelfile ----------------------------------------------------------------------------

CHATML_MODELFILE = '''\
# Ollama Modelfile written by pft-desktop. Create the model with:
#   ollama create chat-q8_0 -f Modelfile
FROM ./chat-q8_0.gguf
TEMPLATE """{{ range $i, $_ := .Messages }}
{{- $last := eq (len (slice $.Messages $i)) 1 }}
{{- if eq .Role "system" }}<|im_start|>system
{{ .Content }}<|im_end|>
{{ else if eq .Role "user" }}<|im_start|>user
{{ .Content }}<|im_end|>
{{ else if eq .Role "assistant" }}<|im_start|>assistant
{{ .Content }}{{ if not $last }}<|im_end|>
{{ end }}{{ end }}
{{- if and $last (ne .Role "assistant") }}<|im_start|>assistant
{{ end }}
{{- end }}"""
SYSTEM """You are terse."""
PARAMETER stop "<|endoftext|>"
PARAMETER stop "<|im_end|>"
'''

PLAIN_MODELFILE = '''\
# Ollama Modelfile written by pft-desktop. Create the model with:
#   ollama create plain-f16 -f Modelfile
FROM ./plain-f16.gguf
TEMPLATE """{{ range $i, $_ := .Messages }}
{{- $last := eq (len (slice $.Messages $i)) 1 }}
{{- if eq .Role "system" }}{{ .Content }}

{{ else if eq .Role "user" }}User: {{ .Content }}
{{ else if eq .Role "assistant" }}Assistant: {{ .Content }}{{ if not $last }}<|endoftext|>
{{ end }}{{ end }}
{{- if and $last (ne .Role "assistant") }}Assistant:{{ end }}
{{- end }}"""
PARAMETER stop "<|endoftext|>"
'''


def _template_tokenizer(tmp_path, name):
    from pft_desktop.core.chat import ensure_chat_template

    tokenizer = chatml_tokenizer(tmp_path)
    tokenizer.chat_template = None
    ensure_chat_template(tokenizer, name)
    return tokenizer


def test_chatml_modelfile(tmp_path):
    from pft_desktop.core.modelfile import modelfile_text

    text = modelfile_text(_template_tokenizer(tmp_path, "chatml"), "chat-q8_0.gguf",
                          system="You are terse.")
    assert text == CHATML_MODELFILE


def test_plain_modelfile(tmp_path):
    from pft_desktop.core.modelfile import modelfile_text

    assert modelfile_text(_template_tokenizer(tmp_path, "plain"), "plain-f16.gguf") == \
        PLAIN_MODELFILE


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_template_pieces_write_conversations_as_the_jinja_template(tmp_path, name):
    """The pieces the Go template is built from write a conversation the template was not
    probed with (multi-line text, three turns) exactly as the Jinja template does."""
    from pft_desktop.core.chat import render
    from pft_desktop.core.modelfile import chat_pieces

    tokenizer = _template_tokenizer(tmp_path, name) if name != "llama3" else None
    if tokenizer is None:
        tokenizer = chatml_tokenizer(tmp_path)
        tokenizer.add_special_tokens({"additional_special_tokens": [
            "<|start_header_id|>", "<|end_header_id|>", "<|eot_id|>"]})
        tokenizer.chat_template = TEMPLATES["llama3"]
    pieces, why = chat_pieces(tokenizer)
    assert pieces is not None, why
    turns = [("system", "Rules:\n- be kind"), ("user", "2 + 2?"), ("assistant", "4."),
             ("user", "Sure?\n")]
    assert pieces.write(turns, True) == render(
        tokenizer, [{"role": r, "content": c} for r, c in turns], generation_prompt=True)


def test_a_template_that_cannot_be_expressed_gets_no_template_and_says_why(tmp_path):
    from pft_desktop.core.modelfile import modelfile_text

    tokenizer = chatml_tokenizer(tmp_path)
    # Llama 2 style: the system prompt is folded into the first user message
    tokenizer.chat_template = (
        "{% for m in messages %}{% if m['role'] == 'system' %}{% set sys = m['content'] %}"
        "{% elif m['role'] == 'user' %}[INST] {% if loop.index0 == 1 %}<<SYS>>"
        "{{ messages[0]['content'] }}<</SYS>> {% endif %}{{ m['content'] }} [/INST]"
        "{% else %}{{ m['content'] }}<|endoftext|>{% endif %}{% endfor %}")
    text = modelfile_text(tokenizer, "m.gguf")
    assert "TEMPLATE" not in text.replace("# No TEMPLATE", "")
    assert "# No TEMPLATE: the chat template does not write the system prompt" in text
    assert 'PARAMETER stop "<|endoftext|>"' in text


QWEN25_STYLE = (  # Qwen2.5's shape (tools left out): a default system turn when none is given
    "{%- if messages[0]['role'] == 'system' %}"
    "{{- '<|im_start|>system\\n' + messages[0]['content'] + '<|im_end|>\\n' }}"
    "{%- else %}{{- '<|im_start|>system\\nYou are Qwen, a helpful assistant.<|im_end|>\\n' }}"
    "{%- endif %}{%- for message in messages %}{%- if message.role == 'user' or "
    "(message.role == 'system' and not loop.first) or message.role == 'assistant' %}"
    "{{- '<|im_start|>' + message.role + '\\n' + message.content + '<|im_end|>\\n' }}"
    "{%- endif %}{%- endfor %}{%- if add_generation_prompt %}"
    "{{- '<|im_start|>assistant\\n' }}{%- endif %}")


def test_a_templates_default_system_prompt_becomes_the_modelfile_system(tmp_path):
    """Ollama writes a system turn only when given one: the template's default goes in
    SYSTEM, unless the run has its own system prompt."""
    from pft_desktop.core.chat import render
    from pft_desktop.core.modelfile import chat_pieces, modelfile_text

    tokenizer = chatml_tokenizer(tmp_path)
    tokenizer.chat_template = QWEN25_STYLE
    pieces, why = chat_pieces(tokenizer)
    assert pieces is not None, why
    assert pieces.default_system == "You are Qwen, a helpful assistant."
    assert pieces.write([("user", "Hi")], True) == render(
        tokenizer, [{"role": "user", "content": "Hi"}], generation_prompt=True)
    assert 'SYSTEM """You are Qwen, a helpful assistant."""' in modelfile_text(tokenizer, "q.gguf")
    assert 'SYSTEM """Be brief."""' in modelfile_text(tokenizer, "q.gguf", system="Be brief.")


@pytest.mark.skipif(shutil.which("go") is None, reason="needs Go to run text/template")
@pytest.mark.parametrize("name", ["chatml", "plain"])
def test_go_renders_the_template_as_jinja_does(tmp_path, name):
    """The real Go text/template (what Ollama runs) on the TEMPLATE gives the Jinja template's
    text; a last assistant message is left open, as Ollama continues it."""
    from pft_desktop.core.chat import render
    from pft_desktop.core.modelfile import chat_pieces, go_template

    (tmp_path / "main.go").write_text(GO_RENDER)
    subprocess.run(["go", "build", "-o", "render", "main.go"], cwd=tmp_path, check=True,
                   env={**__import__("os").environ, "GO111MODULE": "off",
                        "GOCACHE": str(tmp_path / "cache")}, timeout=300)
    tokenizer = _template_tokenizer(tmp_path / "tok", name)
    (tmp_path / "template").write_text(go_template(chat_pieces(tokenizer)[0]))
    cases = [[("user", "Hi")], [("system", "S\n"), ("user", "Hi"), ("assistant", "Yo"),
                                ("user", "Bye")], [("user", "Hi"), ("assistant", "Partial")]]
    (tmp_path / "cases.json").write_text(json.dumps(
        [[{"Role": r, "Content": c} for r, c in case] for case in cases]))
    got = json.loads(subprocess.run([str(tmp_path / "render"), "template", "cases.json"],
                                    cwd=tmp_path, capture_output=True, text=True,
                                    check=True).stdout)
    for case, text in zip(cases, got):
        messages = [{"role": r, "content": c} for r, c in case]
        if case[-1][0] == "assistant":
            full = render(tokenizer, messages)
            expected = full[:full.rindex(case[-1][1]) + len(case[-1][1])]
        else:
            expected = render(tokenizer, messages, generation_prompt=True)
        assert text == expected


GO_RENDER = """package main

import (
\t"encoding/json"
\t"os"
\t"strings"
\t"text/template"
)

type Message struct{ Role, Content string }

func main() {
\tsource, _ := os.ReadFile(os.Args[1])
\traw, _ := os.ReadFile(os.Args[2])
\tvar cases [][]Message
\tjson.Unmarshal(raw, &cases)
\tt := template.Must(template.New("t").Parse(string(source)))
\tvar out []string
\tfor _, messages := range cases {
\t\tvar b strings.Builder
\t\tif err := t.Execute(&b, map[string]any{"Messages": messages}); err != nil {
\t\t\tpanic(err)
\t\t}
\t\tout = append(out, b.String())
\t}
\tjson.NewEncoder(os.Stdout).Encode(out)
}
"""


# --- runs: export_gguf and the merged export's stop tokens --------------------------------

def _chat_run(tmp_path, model, qa_csv, **task):
    from pft_desktop.core.config import RunConfig

    config = RunConfig()
    config.model.name_or_path, config.data.train_file = str(model), str(qa_csv)
    config.data.prompt_column, config.data.response_column = "prompt", "response"
    config.task.kind, config.method.kind = "causal-lm", "lora"
    config.training.max_steps, config.training.learning_rate = 3, 5e-3
    for key, value in task.items():
        setattr(config.task, key, value)
    assert run_training(config, tmp_path / "run").status == "finished"
    return tmp_path / "run"


@pytest.fixture(scope="module")
def chatml_decoder(tmp_path_factory):
    return build_chatml_decoder(tmp_path_factory.mktemp("chatml-llama"))


@pytest.fixture(scope="module")
def chatml_run(tmp_path_factory, chatml_decoder):
    from helpers import FILLER, write_csv

    root = tmp_path_factory.mktemp("chatml-run")
    rows = [(f"what color is the {w}", f"the {w} is blue") for w in FILLER[:40]]
    data = write_csv(root / "qa.csv", ["prompt", "response"], rows)
    return _chat_run(root, chatml_decoder, data, system_prompt="You are terse.")


@pytest.fixture(scope="module")
def merged_chat_export(tmp_path_factory, chatml_run):
    return export_run(chatml_run, tmp_path_factory.mktemp("merged") / "merged", "merged")


def test_merged_chat_export_keeps_its_template_and_stops_at_end_of_turn(merged_chat_export):
    from transformers import AutoTokenizer

    out = merged_chat_export
    tokenizer = AutoTokenizer.from_pretrained(out)
    assert tokenizer.chat_template == TEMPLATES["chatml"]
    saved = json.loads((out / "generation_config.json").read_text())
    assert sorted(saved["eos_token_id"]) == sorted(
        tokenizer.convert_tokens_to_ids(["<|endoftext|>", "<|im_end|>"]))


def test_the_stop_probe_fails_when_the_end_of_turn_is_not_a_stop(tmp_path, merged_chat_export):
    """The probe is honest: with only the end token in generation_config.json, generation
    runs past <|im_end|> and the export is refused by name."""
    out = shutil.copytree(merged_chat_export, tmp_path / "merged")
    model, tokenizer = _load(out)
    config_file = out / "generation_config.json"
    saved = json.loads(config_file.read_text())
    check_generation_stops(model, tokenizer, out)  # as written: passes
    config_file.write_text(json.dumps({**saved, "eos_token_id": tokenizer.eos_token_id}))
    with pytest.raises(UserError) as caught:
        check_generation_stops(model, tokenizer, out)
    assert caught.value.kind == "export_mismatch" and "<|im_end|>" in caught.value.message


def test_export_gguf_from_a_chatml_lora_run(tmp_path, chatml_run):
    from pft_desktop.core.predict import Predictor

    out = export_gguf(chatml_run, tmp_path / "gguf", "q8_0,q4_0")
    assert sorted(p.name for p in out.iterdir()) == ["Modelfile", "Modelfile.q4_0",
                                                     "run-q4_0.gguf", "run-q8_0.gguf"]
    modelfile = (out / "Modelfile").read_text()
    assert "FROM ./run-q8_0.gguf" in modelfile and 'SYSTEM """You are terse."""' in modelfile
    assert 'PARAMETER stop "<|im_end|>"' in modelfile
    assert "FROM ./run-q4_0.gguf" in (out / "Modelfile.q4_0").read_text()
    run = Predictor(chatml_run)
    model, tokenizer = _read_back(out / "run-q8_0.gguf")
    assert tokenizer.chat_template == TEMPLATES["chatml"]
    assert _logit_error(run.model, model, run.tokenizer) <= gguf_check.LOGIT_TOLERANCE["q8_0"]
    assert not any(p.name.startswith(".") for p in tmp_path.iterdir())


def test_export_gguf_from_a_lora_run_on_tiny_chat_decoder(tmp_path, tiny_chat_decoder, qa_csv):
    from pft_desktop.core.predict import Predictor

    run_dir = _chat_run(tmp_path, tiny_chat_decoder, qa_csv)
    messages = []
    out = export_gguf(run_dir, tmp_path / "gguf", progress=messages.append)
    assert any("within" in m and "run-q8_0.gguf" in m for m in messages), messages
    model, tokenizer = _read_back(out / "run-q8_0.gguf")
    run = Predictor(run_dir)
    prompt = run.tokenizer.apply_chat_template([{"role": "user", "content": "what color"}],
                                               tokenize=False, add_generation_prompt=True)
    assert tokenizer(prompt)["input_ids"] == run.tokenizer(prompt)["input_ids"]
    assert _logit_error(run.model, model, run.tokenizer, prompt) <= \
        gguf_check.LOGIT_TOLERANCE["q8_0"]
    assert "<assistant>{{ .Content }}" in (out / "Modelfile").read_text()


def test_a_failed_check_leaves_nothing_behind(tmp_path, chatml_run, monkeypatch):
    monkeypatch.setattr(gguf_export, "_permute_rope_rows", lambda weights, heads: weights)
    with pytest.raises(UserError) as caught:
        export_gguf(chatml_run, tmp_path / "gguf", "q8_0")
    assert caught.value.kind == "gguf_mismatch"
    assert list(tmp_path.iterdir()) == []


def test_export_gguf_refuses_a_taken_folder_and_unknown_types(tmp_path, chatml_run):
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "keep.txt").write_text("mine")
    with pytest.raises(UserError) as caught:
        export_gguf(chatml_run, tmp_path / "taken")
    assert caught.value.kind == "export_exists"
    with pytest.raises(UserError, match="q5_k") as caught:
        export_gguf(chatml_run, tmp_path / "new", "q5_k")
    assert "q8_0" in caught.value.fix and not (tmp_path / "new").exists()


def test_a_decoder_pretrained_by_the_app_exports(tmp_path):
    """A model and tokenizer the app trained from scratch (its own byte-level BPE)."""
    from helpers import sentiment_rows, write_csv
    from pft_desktop.core.config import RunConfig

    data = write_csv(tmp_path / "corpus.csv", ["text"],
                     [(t,) for t, _ in sentiment_rows(300, seed=5)])
    config = RunConfig()
    config.task.kind, config.task.max_length = "pretrain", 32
    config.pretrain.from_scratch, config.pretrain.size = "decoder", "tiny"
    config.pretrain.hidden_size, config.pretrain.num_heads = 32, 2
    config.data.train_file, config.data.text_column = str(data), "text"
    config.method.kind = "full"
    config.training.batch_size, config.training.learning_rate = 8, 2e-3
    config.training.max_steps = 20
    assert run_training(config, tmp_path / "run").status == "finished"
    out = export_gguf(tmp_path / "run", tmp_path / "gguf", "f16")
    model, tokenizer = _read_back(out / "run-f16.gguf")
    trained, trained_tokenizer = _load(tmp_path / "run" / "model")
    text = "the film was great, naïve 🙂"
    assert tokenizer(text)["input_ids"] == trained_tokenizer(text)["input_ids"]
    assert _logit_error(trained, model, trained_tokenizer) <= gguf_check.LOGIT_TOLERANCE["f16"]
    assert "# No TEMPLATE: this model has no chat template" in (out / "Modelfile").read_text()

    # the pattern end to end: that decoder tuned on conversations, then exported for Ollama
    import json

    chats = tmp_path / "chats.jsonl"
    chats.write_text("".join(json.dumps({"messages": [
        {"role": "user", "content": text[:30]},
        {"role": "assistant", "content": "positive" if label == "1" else "negative"}]}) + "\n"
        for text, label in sentiment_rows(40, seed=6)))
    tune = RunConfig()
    tune.model.name_or_path, tune.data.train_file = str(tmp_path / "run" / "model"), str(chats)
    tune.data.conversation_column = "messages"
    tune.task.kind, tune.method.kind, tune.training.max_steps = "causal-lm", "lora", 3
    assert run_training(tune, tmp_path / "chat").status == "finished"
    out = export_gguf(tmp_path / "chat", tmp_path / "chat-gguf", "q8_0")
    modelfile = (out / "Modelfile").read_text()
    assert "TEMPLATE" in modelfile and "Assistant:" in modelfile  # the 'plain' template


def test_a_classifier_run_is_not_a_gguf_model(tmp_path, sentiment_csv):
    encoder = build_tiny_encoder(tmp_path / "bert")
    run_training(classification_config(encoder, sentiment_csv, max_steps=1), tmp_path / "run")
    with pytest.raises(UserError) as caught:
        export_gguf(tmp_path / "run", tmp_path / "gguf")
    assert caught.value.kind == "gguf_not_causal_lm" and "merged" in caught.value.fix
    assert not (tmp_path / "gguf").exists()
