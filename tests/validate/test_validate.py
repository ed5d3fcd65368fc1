"""generator.validate: openapi-spec-validator findings as one located SpecError."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from generator.errors import SpecError
from generator.load import load_spec
from generator.validate import validate_spec

TESTS = Path(__file__).resolve().parents[1]
BROKEN = TESTS / "broken"
CORPUS = TESTS.parent.parent / "shared" / "corpus"


def validation_error(path: Path) -> SpecError:
    spec = load_spec(path)
    with pytest.raises(SpecError) as info:
        validate_spec(spec)
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


def test_swagger_2_is_named() -> None:
    error = validation_error(BROKEN / "swagger2.yaml")
    assert error.pointer == "/swagger" and "Swagger/OpenAPI 2.0 is not supported" in error.message


def test_unquoted_version_number() -> None:
    error = validation_error(BROKEN / "openapi-number.yaml")
    assert error.pointer == "/openapi" and error.line == 1
    assert "must be a string" in error.message and "3.1" in error.message


def test_missing_openapi_field(tmp_path: Path) -> None:
    error = validation_error(
        write(tmp_path, "x.yaml", "info: {title: t, version: '1'}\npaths: {}\n")
    )
    assert "no 'openapi' field" in error.message


def test_missing_paths() -> None:
    error = validation_error(BROKEN / "missing-paths.yaml")
    assert error.file == str(BROKEN / "missing-paths.yaml") and "no 'paths'" in error.message


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
    validate_spec(spec)
    api = normalize(spec, client_config(spec.path, output=Path("unused"), version="1.0"))
    assert any("'listRuns' is used twice" in w and "/paths/~1jobs/get" in w for w in api.warnings)


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
    validate_spec(load_spec(write(tmp_path, "u.yaml", text)))


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
    validate_spec(load_spec(CORPUS / name))
