"""The writer's prompt overrides and own operations, kept beside the settings."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.errors import InputError
from engine.jobs import Request
from engine.prompting.render import chat_messages
from engine.prompting.templates import Catalog
from engine.prompting.user_prompts import CustomOperation, UserPrompts, load_catalog

POEM = CustomOperation(
    name="poem",
    label="Make it a poem",
    template="Turn this into a four-line poem. Reply with the poem only.\n\n{text}",
    shortcut="Ctrl+Alt+P",
)


def test_overriding_one_template_keeps_the_rest_and_the_file_holds_only_the_change(tmp_path: Path) -> None:
    prompts = UserPrompts(tmp_path / "prompts.toml")
    default = Catalog.default()
    catalog = prompts.set_template("proofread", "chat", "Correct the typos only.\n\n{text}")
    prompts.save()
    assert catalog.get("proofread").chat == "Correct the typos only.\n\n{text}"
    assert catalog.get("proofread").completion == default.get("proofread").completion
    assert catalog.get("proofread").max_new_tokens == default.get("proofread").max_new_tokens
    assert catalog.get("rewrite") == default.get("rewrite")
    text = (tmp_path / "prompts.toml").read_text(encoding="utf-8")
    assert "[operations.proofread]" in text
    assert "rewrite" not in text

    again = UserPrompts(tmp_path / "prompts.toml")
    assert again.load() == []
    assert again.catalog() == catalog
    assert again.is_overridden("proofread")

    reset = again.reset("proofread")
    assert reset.get("proofread") == default.get("proofread")
    assert not again.is_overridden("proofread")


def test_a_bad_template_is_refused_and_nothing_is_kept(tmp_path: Path) -> None:
    prompts = UserPrompts(tmp_path / "prompts.toml")
    with pytest.raises(InputError, match="unknown placeholders: txt"):
        prompts.set_template("rewrite", "chat", "Rewrite {txt}")
    with pytest.raises(InputError, match="malformed"):
        prompts.set_template("rewrite", "chat", "Rewrite {text")
    assert prompts.catalog() == Catalog.default()


def test_own_operations_are_added_checked_and_removed(tmp_path: Path) -> None:
    prompts = UserPrompts(tmp_path / "prompts.toml")
    catalog = prompts.add_custom(POEM)
    op = catalog.get("poem")
    assert op.custom and op.label == "Make it a poem" and op.shortcut == "Ctrl+Alt+P"
    assert op.rewrite_like
    request = Request("poem", "The sea is calm tonight.")
    assert catalog.validate(request) is op
    assert chat_messages(request, op, catalog)[-1]["content"].endswith("The sea is calm tonight.")
    prompts.save()
    reread = UserPrompts(tmp_path / "prompts.toml")
    assert reread.load() == []
    assert reread.catalog().get("poem") == op

    with pytest.raises(InputError, match="built-in operation"):
        prompts.add_custom(CustomOperation("rewrite", "Mine", "{text}"))
    with pytest.raises(InputError, match="starting with a letter"):
        prompts.add_custom(CustomOperation("2 ops", "Mine", "{text}"))
    with pytest.raises(InputError, match="starting with a letter"):
        prompts.add_custom(CustomOperation("a/b", "Mine", "{text}"))
    with pytest.raises(InputError, match="must use \\{text\\}"):
        prompts.add_custom(CustomOperation("nothing", "Mine", "Write a poem."))
    with pytest.raises(InputError, match="remove it instead"):
        prompts.reset("poem")

    after = prompts.remove_custom("poem")
    assert "poem" not in after.operations
    with pytest.raises(InputError, match="not one of your own"):
        prompts.remove_custom("rewrite")


def test_a_language_placeholder_makes_the_operation_ask_for_one(tmp_path: Path) -> None:
    prompts = UserPrompts(tmp_path / "prompts.toml")
    catalog = prompts.add_custom(
        CustomOperation("letter", "Formal letter in…", "Write in {language}:\n{text}")
    )
    assert catalog.get("letter").needs_language
    with pytest.raises(InputError, match="target language"):
        catalog.validate(Request("letter", "Hello"))


def test_a_broken_prompts_file_is_reported_and_the_defaults_are_used(tmp_path: Path) -> None:
    path = tmp_path / "prompts.toml"
    path.write_text("[operations.poem]\nchat = 'Poem {txt}'\ncustom = true\n", encoding="utf-8")
    catalog, problems = load_catalog(path)
    assert catalog == Catalog.default()
    assert len(problems) == 1 and "prompts.toml was not used" in problems[0] and "txt" in problems[0]
    path.write_text("this is = = not toml", encoding="utf-8")
    catalog, problems = load_catalog(path)
    assert catalog == Catalog.default()
    assert problems and "not used" in problems[0]


def test_an_operation_file_is_laid_over_the_writers_prompts(tmp_path: Path) -> None:
    user = UserPrompts(tmp_path / "prompts.toml")
    user.add_custom(POEM)
    user.save()
    extra = tmp_path / "ops.toml"
    extra.write_text(
        '[operations.haiku]\ncustom = true\nlabel = "Haiku"\nchat = "Make a haiku of:\\n\\n{text}"\n',
        encoding="utf-8",
    )
    catalog, problems = load_catalog(tmp_path / "prompts.toml", extra)
    assert problems == []
    assert {"poem", "haiku", "rewrite"} <= set(catalog.operations)
    with pytest.raises(InputError, match="Cannot read the operation file"):
        load_catalog(tmp_path / "prompts.toml", tmp_path / "missing.toml")


HAND_EDITED = """\
# My prompts. Keep the poem short!
system = "You are a careful editor."

[operations."my op.v2"]  # quoted: a space and a dot
custom = true
label = "My op"
chat = "Make this sing: {text}"  # the template I like best
shortcut = ""
rewrite_like = true
stop_at_blank_line = false
max_new_tokens = 128
"""


def test_saving_keeps_an_operation_named_with_a_dot_and_a_space_and_the_writers_comments(
    tmp_path: Path,
) -> None:
    path = tmp_path / "prompts.toml"
    path.write_text(HAND_EDITED, encoding="utf-8")
    prompts = UserPrompts(path)
    assert prompts.load() == []
    assert prompts.catalog().get("my op.v2").label == "My op"
    prompts.set_template("proofread", "chat", "Fix only typos: {text}")
    prompts.add_custom(CustomOperation("second one.v1", "Second", "Again: {text}"))
    prompts.save()

    text = path.read_text(encoding="utf-8")
    comments = ("# My prompts. Keep the poem short!", "# quoted: a space and a dot", "# the template I like")
    for kept in comments:
        assert kept in text
    assert '[operations."my op.v2"]' in text and "[operations.my op.v2]" not in text
    reread = UserPrompts(path)
    assert reread.load() == []
    catalog = reread.catalog()
    assert catalog.get("my op.v2").chat == "Make this sing: {text}"
    assert catalog.get("second one.v1").label == "Second"
    assert catalog.get("proofread").chat == "Fix only typos: {text}"
    assert reread.data == prompts.data  # what was saved is exactly what is read back

    reread.remove_custom("my op.v2")
    reread.save()
    text = path.read_text(encoding="utf-8")
    assert "my op.v2" not in text and "# My prompts. Keep the poem short!" in text
