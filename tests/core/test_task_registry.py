"""The task registry: every task declares itself fully, and nothing outside the task modules
asks which task it is."""

import re
from dataclasses import fields
from pathlib import Path

import pytest

import pft_desktop
from pft_desktop.core.config import METHODS, DataSettings, RunConfig, TaskSettings
from pft_desktop.core.data import Table, guess_roles
from pft_desktop.core.modelcard import model_card
from pft_desktop.core.tasks import TASK_IDS, all_tasks, get_task, task_of_folder, tasks_for
from pft_desktop.core.tasks.base import Role

PACKAGE = Path(pft_desktop.__file__).parent
DATA_FIELDS = {f.name for f in fields(DataSettings)}
TASK_FIELDS = {f.name for f in fields(TaskSettings)}


@pytest.mark.parametrize("task", all_tasks(), ids=lambda task: task.name)
def test_every_task_declares_what_the_app_shows_and_loads(task):
    import transformers

    assert task.name in TASK_IDS and task.title and len(task.description) > 40
    assert task.roles, "a task reads at least one column"
    for role in task.roles:
        assert role.field in DATA_FIELDS, role
        assert role.label and role.help and role.shape in ("text", "label", "number", "any")
    assert set(task.methods) <= set(METHODS) and "full" in task.methods
    assert set(task.settings) <= TASK_FIELDS
    assert task.default_best_metric.startswith("eval_")
    assert hasattr(transformers, task.auto_class_for({})), task.auto_class_for({})
    assert task.inputs({}) and all(field.key and field.label for field in task.inputs({}))
    assert task.card_pipeline_tag({})
    assert "from_pretrained" in task.loading_snippet("adapter", {}) or \
        "pipeline(" in task.loading_snippet("adapter", {})


def test_problems_name_the_missing_columns_of_the_chosen_task():
    for task in all_tasks():
        config = RunConfig()
        config.model.name_or_path, config.data.train_file = "m", "data.csv"
        config.task.kind = task.name
        config.method.kind = "full"
        required = [role for role in task.roles if role.required]
        problems = " ".join(config.problems())
        for role in required:
            assert f"data.{role.field}" in problems, (task.name, problems)


def test_heads_decide_the_tasks():
    assert tasks_for(["AutoModelForCausalLM"]) == ["causal-lm", "preference", "pretrain"]
    encoder = tasks_for(["AutoModelForSequenceClassification", "AutoModelForMaskedLM"])
    assert "classification" in encoder and "pretrain" in encoder and "causal-lm" not in encoder


def test_a_folder_without_run_info_is_claimed_by_its_head():
    assert task_of_folder({"architectures": ["BertForSequenceClassification"]}) == \
        "classification"
    assert task_of_folder({"architectures": ["GPT2LMHeadModel"]}) == "causal-lm"
    assert task_of_folder({"architectures": ["LlamaForCausalLM"]}) == "causal-lm"
    assert task_of_folder({"architectures": ["BertForMaskedLM"]}) == "pretrain"
    assert task_of_folder({"architectures": ["BertModel"]}) == ""


def test_a_masked_lm_export_is_tagged_fill_mask_not_text_generation():
    card = model_card({"task": "pretrain", "objective": "mlm", "base_model_source": "m"}, {},
                      "merged")
    assert "pipeline_tag: fill-mask" in card and "text-generation" not in card
    card = model_card({"task": "pretrain", "objective": "clm", "base_model_source": "m"}, {},
                      "merged")
    assert "pipeline_tag: text-generation" in card


def test_unknown_task_is_refused_with_the_choices():
    from pft_desktop.core.errors import UserError

    with pytest.raises(UserError) as caught:
        get_task("sentiment")
    assert "classification" in caught.value.fix


def _table(columns: dict) -> Table:
    import datasets

    return Table(Path("t.csv"), "csv", datasets.Dataset.from_dict(columns))


def test_roles_are_guessed_by_name_then_by_shape():
    words = [f"sentence number {i} says something different each time" for i in range(40)]
    table = _table({"Score": [str(i / 10) for i in range(40)], "body": words,
                    "kind": ["a", "b"] * 20, "notes": [""] * 40})
    roles = (Role("text_column", "Text", "t"), Role("label_column", "Label", "l",
                                                    names=("category",), shape="label"),
             Role("target_column", "Target", "n", names=("score",), shape="number"),
             Role("text_pair_column", "Second", "p", required=False, names=("pair",)))
    guess = guess_roles(table, roles)
    # 'Score' by its name among numeric columns; the label by its shape (few distinct values);
    # the longest varied text as the text; an optional role only by name; a blank column never.
    assert guess == {"text_column": "body", "label_column": "kind", "target_column": "Score",
                     "text_pair_column": ""}


def test_no_task_branches_outside_the_task_modules():
    """`if task == ...` belongs in the task's own module; everything else asks the registry
    (``task.kind``, ``task.name``, a ``task`` or ``task_kind`` variable against a literal)."""
    pattern = re.compile(r"\btask(?:_kind|_name|\.kind|\.name)?\s*(?:==|!=|in|not in)\s*"
                         r"[\"'(\[]")
    assert pattern.search('if task == "pretrain":')  # the form that escaped the first pattern
    found = {}
    for path in PACKAGE.rglob("*.py"):
        if "tasks" in path.relative_to(PACKAGE).parts:
            continue
        hits = pattern.findall(path.read_text(encoding="utf-8"))
        if hits:
            found[path.name] = len(hits)
    assert found == {}
