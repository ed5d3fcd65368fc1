"""The bridge to datamodel-code-generator: what clientgen does to the module dmcg writes."""

from __future__ import annotations

import ast
import sys
import types
import warnings
from pathlib import Path
from typing import Any

import black
import pytest

from generator.models import dmcg as models
from generator.errors import ClientgenError
from generator.models import safety


def _configs(source: str) -> dict[str, dict[str, object]]:
    """Class name ➜ the keywords of its ``model_config = ConfigDict(...)``, as values."""
    found: dict[str, dict[str, object]] = {}
    for node in ast.parse(source).body:
        for statement in node.body if isinstance(node, ast.ClassDef) else ():
            if isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Call):
                found[node.name] = {
                    str(k.arg): ast.literal_eval(k.value) for k in statement.value.keywords
                }
    return found


def test_every_model_dmcg_writes_is_deferred_and_nothing_else_changes() -> None:
    """Whatever else a model's config holds (a regex engine here), ``defer_build`` joins it;
    a description that reads like a config stays as written; black has nothing to change
    (dmcg ends its module without a newline: the pipeline's black adds it)."""
    lookalike = 'model_config = ConfigDict(\n    extra="allow",\n    populate_by_name=True,\n)'
    schemas = {
        "Lookahead": {
            "type": "object",
            "properties": {"code": {"type": "string", "pattern": "^(?!abc).*$"}},
        },
        "Documented": {
            "type": "object",
            "description": lookalike,
            "properties": {"x": {"type": "string"}},
        },
    }
    raw = safety.escape_unsafe(models._run_dmcg(models._document(schemas), None))
    deferred = models._defer_builds(raw)
    configs = _configs(deferred)
    assert set(configs) == {"Lookahead", "Documented"}
    assert all(config["defer_build"] is True for config in configs.values())
    assert configs["Lookahead"]["regex_engine"] == "python-re"
    assert {k: v for k, v in configs["Documented"].items() if k != "defer_build"} == _configs(raw)[
        "Documented"
    ]
    assert ast.get_docstring(ast.parse(deferred).body[-1]) == ast.get_docstring(
        ast.parse(raw).body[-1]
    )
    assert deferred.count("defer_build") == 2
    mode = black.Mode(line_length=100, target_versions={black.TargetVersion.PY310})
    assert black.format_str(deferred, mode=mode) == deferred.rstrip("\n") + "\n"


def test_a_config_on_one_line_or_already_deferred_is_handled() -> None:
    source = (
        "class A(BaseModel):\n"
        '    model_config = ConfigDict(title="é", extra="allow")\n'
        "\n\n"
        "class B(BaseModel):\n"
        "    model_config = ConfigDict()\n"
        "\n\n"
        "class C(BaseModel):\n"
        "    model_config = ConfigDict(defer_build=False)\n"
    )
    configs = _configs(models._defer_builds(source))
    assert configs == {
        "A": {"title": "é", "extra": "allow", "defer_build": True},
        "B": {"defer_build": True},
        "C": {"defer_build": False},
    }


_PICKY_PYPROJECT = """
[tool.black]
line-length = 40
[tool.ruff]
line-length = 40
[tool.isort]
line_length = 40
known_first_party = ["pydantic", "typing", "datetime"]
[tool.datamodel-codegen]
builtin-format-line-length = 40
use-annotated = false
snake-case-field = false
"""


def test_the_users_pyproject_does_not_change_the_models(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """dmcg's formatter reads the nearest pyproject.toml of the working directory unless told
    otherwise; clientgen's models must be the same bytes wherever it runs."""
    schemas = {
        "Cookie": {
            "type": "object",
            "required": ["sameSite"],
            "properties": {
                "sameSite": {"type": "string", "enum": ["Lax", "None", "Strict", "Unspecified"]},
                "createdAt": {"type": "string", "format": "date-time"},
            },
        }
    }
    document = models._document(schemas)
    aliases = models._field_names(schemas)
    bare, picky = tmp_path / "bare", tmp_path / "picky"
    bare.mkdir()
    picky.mkdir()
    (picky / "pyproject.toml").write_text(_PICKY_PYPROJECT, encoding="utf-8")
    outputs = []
    for folder in (bare, picky):
        monkeypatch.chdir(folder)
        outputs.append(models._run_dmcg(document, aliases))
    assert outputs[0] == outputs[1]
    # the long field stays on one line of at most 100 characters, as black writes it
    line = next(line for line in outputs[0].splitlines() if "same_site" in line)
    assert len(line) <= 100 and line.rstrip().endswith(("]", ")", "None"))


def test_a_pattern_with_look_arounds_is_compiled_and_allowed() -> None:
    """dmcg hands a pattern pydantic's regex engine cannot run (a look-ahead) to ``re.compile``;
    that one call, on a string literal imported from ``re``, is a declaration too (Polar's
    published spec has such patterns)."""
    schemas = {
        "Amount": {"type": "string", "pattern": "^(?!^[-+.]*$)[+-]?0*\\d{0,5}$"},
        "Price": {
            "type": "object",
            "properties": {"amount": {"$ref": "#/components/schemas/Amount"}},
        },
    }
    source = models.models_source(schemas)
    assert "from re import compile" in source and "compile(" in source
    module = types.ModuleType("lookaround_models")
    sys.modules[module.__name__] = module
    try:
        exec(compile(source, "models.py", "exec"), module.__dict__)  # it imports and builds
        price: Any = module.Price
        assert price.model_validate({"amount": "12"}).amount == "12"
        with pytest.raises(ValueError, match="pattern"):
            price.model_validate({"amount": "--"})
    finally:
        del sys.modules[module.__name__]


@pytest.mark.parametrize("form", ["uuid", "uuid1", "uuid3", "uuid4", "uuid5"])
def test_a_uuid_of_any_version_is_a_string_kept_as_sent(form: str) -> None:
    """A ``format`` only annotates: Polar's ``uuid4`` ids were ``UUID4`` fields, which refuse an
    id that is no version-4 UUID and send an upper-case one back in lower case."""
    schemas = {
        "Thing": {
            "type": "object",
            "required": ["id"],
            "properties": {"id": {"type": "string", "format": form}},
        }
    }
    source = models.models_source(schemas)
    module = types.ModuleType(f"uuid_models_{form}")
    sys.modules[module.__name__] = module
    try:
        exec(compile(source, "models.py", "exec"), module.__dict__)
        thing: Any = module.Thing
        for sent in [
            "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11",
            "6fa459ea-ee8a-3ca4-894e-db77e160355e",
            "",
        ]:
            parsed = thing.model_validate({"id": sent})
            assert parsed.id == sent and parsed.model_dump(mode="json") == {"id": sent}
    finally:
        del sys.modules[module.__name__]


def test_a_deprecated_constrained_property_warns_only_where_it_is_read() -> None:
    """dmcg copies a deprecated property's mark into the alias it makes of its constrained type
    (Plaid's ``Last4Digits``); pydantic warned about that alias at every use. The field keeps
    its mark: reading it warns, building the model does not."""
    schemas = {
        "Person": {
            "type": "object",
            "properties": {
                "last_4": {
                    "anyOf": [
                        {"type": "string", "minLength": 4, "maxLength": 4, "title": "Last 4"},
                        {"type": "null"},
                    ],
                    "title": "Last 4 Digits",
                    "deprecated": True,
                },
                "tier": {"type": "integer", "minimum": 0, "title": "Tier", "deprecated": True},
            },
        }
    }
    source = models.models_source(schemas)
    module = types.ModuleType("deprecated_alias_models")
    sys.modules[module.__name__] = module
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            exec(compile(source, "models.py", "exec"), module.__dict__)
            person: Any = module.Person.model_validate({"last_4": "1234", "tier": 1})
        with pytest.warns(DeprecationWarning):
            assert person.last_4 == "1234"
    finally:
        del sys.modules[module.__name__]


@pytest.mark.parametrize(
    "body",
    [
        'X = compile("^a$", "x", "exec")\n',  # not re.compile's one argument
        "X = compile(PATTERN)\n",  # not a literal
    ],
)
def test_any_other_compile_call_is_refused(body: str) -> None:
    source = '"""m"""\n\nfrom __future__ import annotations\n\nfrom re import compile\n\n' + body
    with pytest.raises(ClientgenError, match="a call"):
        safety.check_declarations_once(source)


def test_compile_without_the_import_from_re_is_refused() -> None:
    """Without ``from re import compile`` the name is the builtin, which compiles Python code."""
    source = '"""m"""\n\nfrom __future__ import annotations\n\nX = compile("^a$")\n'
    with pytest.raises(ClientgenError, match="a call"):
        safety.check_declarations_once(source)
