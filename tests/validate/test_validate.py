"""generator.validate: openapi-spec-validator findings, located, sorted into warnings and errors.

Most tests read one finding through ``--strict`` (every finding an error), where it is exactly
what the validator found, located; the others check which findings the client survives.
"""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from generator.errors import SpecError, SpecErrors
from generator.load import load_spec
from generator.validate import validate_spec

TESTS = Path(__file__).resolve().parents[1]
BROKEN = TESTS / "broken"
CORPUS = TESTS.parent.parent / "shared" / "corpus"


def validation_error(path: Path) -> SpecError:
    """The one finding about ``path``, raised by strict validation."""
    spec = load_spec(path)
    with pytest.raises(SpecError) as info:
        validate_spec(spec, strict=True)
    return info.value


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


HEAD = "openapi: {version}\ninfo:\n  title: t\n  version: '1'\n"


def test_unknown_openapi_version() -> None:
    error = validation_error(BROKEN / "unknown-version.yaml")
    assert error.file == str(BROKEN / "unknown-version.yaml")
    assert error.pointer == "/openapi" and error.line == 1
    assert "unsupported OpenAPI version '4.0.0'" in error.message


def test_a_finding_in_a_swagger_2_document_points_into_the_2_0_file(tmp_path: Path) -> None:
    """2.0 is converted before validation; the finding still names the 2.0 file's own place."""
    text = (
        "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\ndefinitions:\n"
        "  Run:\n    type: object\n    properties:\n      id:\n        type: string\n"
        "        maxLength: many\n"
    )
    error = validation_error(write(tmp_path, "s.yaml", text))
    assert error.pointer == "/definitions/Run/properties/id/maxLength" and error.line == 10
    assert "'many' is not of type 'integer'" in error.message


def test_unquoted_version_number() -> None:
    error = validation_error(BROKEN / "openapi-number.yaml")
    assert error.pointer == "/openapi" and error.line == 1
    assert "must be a string" in error.message and "3.1" in error.message


def test_missing_openapi_field(tmp_path: Path) -> None:
    error = validation_error(
        write(tmp_path, "x.yaml", "info: {title: t, version: '1'}\npaths: {}\n")
    )
    assert "no 'openapi' field" in error.message


def test_a_3_1_document_without_paths_is_valid() -> None:
    """3.1 allows a document of only components (or webhooks): a package of models."""
    assert (
        validate_spec(load_spec(TESTS / "fixtures" / "components-only-3.1.yaml"), strict=True) == ()
    )


def test_a_parameter_without_in_is_an_error_even_when_lenient() -> None:
    with pytest.raises(SpecError) as info:
        validate_spec(load_spec(BROKEN / "param-without-in.yaml"))
    assert info.value.pointer == "/paths/~1runs~1{id}/get/parameters/1"


def test_paths_that_are_not_a_mapping_are_an_error_even_when_lenient(tmp_path: Path) -> None:
    text = HEAD.format(version="3.1.0") + "paths: []\n"
    with pytest.raises(SpecError) as info:
        validate_spec(load_spec(write(tmp_path, "l.yaml", text)))
    assert info.value.pointer == "/paths"


#: The findings vendors publish every day, each survivable: a repeated ``required`` name, a
#: default of the wrong type, ``const`` in 3.0, an unknown keyword, seven bad defaults at once.
SURVIVABLE = HEAD.format(version="3.0.3") + (
    "paths:\n  /a:\n    get:\n      colour: blue\n      responses: {'200': {description: ok}}\n"
    "components:\n  schemas:\n    Run:\n      type: object\n      required: [id, id]\n"
    "      properties:\n        id: {type: string}\n        kind: {type: string, const: run}\n"
    "    Config:\n      type: object\n      properties:\n"
    + "".join(f"        p{i}: {{type: string, default: []}}\n" for i in range(7))
)


def test_survivable_findings_are_warnings_all_reported_in_one_run(tmp_path: Path) -> None:
    found = validate_spec(load_spec(write(tmp_path, "w.yaml", SURVIVABLE)))
    lines = [f.line or 0 for f in found]
    assert lines == sorted(lines)  # in the order a person reads the file
    kinds = {f.kind for f in found}
    defaults = [f for f in found if f.kind == "invalid default"]
    assert sorted(f.pointer for f in defaults) == [
        f"/components/schemas/Config/properties/p{i}/default" for i in range(7)
    ]
    assert all(f.line is not None and f.file.endswith("w.yaml") for f in found)
    assert "unknown keyword" in kinds  # 'colour' on the operation, 'const' in a 3.0 schema
    assert any(f.pointer == "/paths/~1a/get" for f in found)
    assert any(f.pointer == "/components/schemas/Run/properties/kind" for f in found)
    assert any(f.pointer == "/components/schemas/Run/required" for f in found)


def test_strict_makes_every_finding_an_error_listed_at_once(tmp_path: Path) -> None:
    lenient = validate_spec(load_spec(write(tmp_path, "w.yaml", SURVIVABLE)))
    with pytest.raises(SpecErrors) as info:
        validate_spec(load_spec(tmp_path / "w.yaml"), strict=True)
    assert [e.pointer for e in info.value.errors] == [f.pointer for f in lenient]
    assert len(info.value.errors) >= 10


def test_parameter_without_in_is_located_with_a_concrete_message() -> None:
    error = validation_error(BROKEN / "param-without-in.yaml")
    assert error.pointer == "/paths/~1runs~1{id}/get/parameters/1"
    assert error.line == 14
    assert error.message == "'in' is a required property"
    assert (
        str(error)
        == f"{BROKEN / 'param-without-in.yaml'}:14: /paths/~1runs~1{{id}}/get/parameters/1: 'in' is a required property"
    )


@pytest.mark.parametrize("version", ["3.0.3", "3.1.0"])
def test_same_finding_in_both_versions(tmp_path: Path, version: str) -> None:
    text = HEAD.format(version=version) + (
        "paths:\n  /a:\n    get:\n      parameters:\n        - name: q\n          schema: {type: string}\n"
        "      responses: {'200': {description: ok}}\n"
    )
    error = validation_error(write(tmp_path, "p.yaml", text))
    assert error.pointer == "/paths/~1a/get/parameters/0" and error.line == 9
    assert error.message == "'in' is a required property"


def test_wrong_type_deep_in_a_schema(tmp_path: Path) -> None:
    text = HEAD.format(version="3.0.3") + (
        "paths: {}\ncomponents:\n  schemas:\n    Run:\n      type: object\n      properties:\n"
        "        id:\n          type: string\n          maxLength: many\n"
    )
    error = validation_error(write(tmp_path, "t.yaml", text))
    assert error.pointer == "/components/schemas/Run/properties/id/maxLength"
    assert error.line == 13 and "'many' is not of type 'integer'" in error.message


def test_unknown_field_in_3_1(tmp_path: Path) -> None:
    text = (
        HEAD.format(version="3.1.0")
        + "paths:\n  /a:\n    get:\n      responses: {'200': {description: ok}}\n      colour: blue\n"
    )
    error = validation_error(write(tmp_path, "u.yaml", text))
    assert error.pointer == "/paths/~1a/get" and error.line == 7
    assert "'colour' was unexpected" in error.message


def test_duplicate_operation_id_is_left_to_the_normalizer() -> None:
    """A duplicate operationId only names a method; the normalizer keeps method names unique
    per resource and warns, so validation lets it through (Autotab's published spec has two)."""
    from generator.config import client_config
    from generator.normalize import normalize

    spec = load_spec(BROKEN / "duplicate-operation-id.yaml")
    assert validate_spec(spec, strict=True) == ()
    api = normalize(spec, client_config(spec.path, output=Path("unused"), version="1.0"))
    assert any(
        "'listRuns' is used twice" in w.message and w.pointer == "/paths/~1jobs/get"
        for w in api.warnings
    )


def test_path_parameter_missing_from_the_path_is_located() -> None:
    error = validation_error(BROKEN / "unresolved-path-param.yaml")
    assert error.pointer == "/paths/~1runs/get" and error.line == 7
    assert "Path parameter 'run_id'" in error.message and "'/runs'" in error.message


def test_undeclared_path_parameter_is_left_to_the_normalizer(tmp_path: Path) -> None:
    """Published specs (Notte's) use `{x}` in a path without declaring it; the normalizer types
    it as a required string and warns, so validation lets it through."""
    text = (
        HEAD.format(version="3.1.0")
        + "paths:\n  /runs/{run_id}:\n    get:\n      responses: {'200': {description: ok}}\n"
    )
    assert validate_spec(load_spec(write(tmp_path, "u.yaml", text)), strict=True) == ()


def test_finding_behind_a_ref_points_at_the_definition(tmp_path: Path) -> None:
    text = HEAD.format(version="3.1.0") + (
        "paths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n"
        "          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/Bad'}\n"
        "components:\n  schemas:\n    Bad:\n      type: object\n      default: 5\n"
    )
    error = validation_error(write(tmp_path, "r.yaml", text))
    assert error.pointer == "/components/schemas/Bad/default" and error.line == 18
    assert "5 is not of type 'object'" in error.message


def test_huge_offending_fragment_is_summarised(tmp_path: Path) -> None:
    fields = "".join(f"    p{i}: '{'x' * 40}'\n" for i in range(200))
    text = (
        "openapi: 3.1.0\ninfo:\n  title: t\n  version: '1'\n  description:\n"
        + fields
        + "paths: {}\n"
    )
    error = validation_error(write(tmp_path, "h.yaml", text))
    assert error.pointer == "/info/description" and error.line == 5
    assert error.message == "this object (keys: p0, p1, p2, p3, p4, p5, …) is not of type 'string'"


def test_validation_never_touches_the_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("validation tried to open a network connection")

    if not (CORPUS / "galaxy-3.1.yaml").is_file():
        pytest.skip("shared/corpus is not beside the repository")
    spec = load_spec(CORPUS / "galaxy-3.1.yaml")  # schemas with absolute $id URLs
    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    validate_spec(spec)


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared/corpus is not beside the repository")
@pytest.mark.parametrize(
    "name",
    [
        "petstore-expanded-3.0.yaml",
        "tictactoe-3.1.yaml",
        "galaxy-3.1.yaml",
        "notte-full-openapi.json",
        "autotab-full-openapi.json",
    ],
)
def test_published_specs_validate(name: str) -> None:
    assert validate_spec(load_spec(CORPUS / name), strict=True) == ()
