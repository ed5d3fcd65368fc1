"""generator.load: safe reading, limits, located errors, $ref bundling and checks, overlays, docs pages."""

from __future__ import annotations

import json
import pickle
import socket
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import load
from generator.errors import ConfigError, SpecError
from generator.load import (
    LoadedSpec,
    extract_openapi_from_page,
    line_of,
    load_spec,
    parse_pointer,
)

TESTS = Path(__file__).resolve().parents[1]
BROKEN = TESTS / "broken"
CORPUS = TESTS.parent.parent / "shared" / "corpus"


def broken(name: str) -> Path:
    return BROKEN / name


def load_error(path: Path, overlays: tuple[Path, ...] = ()) -> SpecError:
    """What loading refuses; or, for a reference it could not follow (which it leaves out,
    recording a finding that ``--strict`` turns into this very error), that finding."""
    try:
        spec = load_spec(path, overlays)
    except SpecError as exc:
        return exc
    assert len(spec.load_warnings) == 1, spec.load_warnings
    finding = spec.load_warnings[0]
    assert finding.kind == "unresolved $ref" and finding.message.endswith("left out (read as Any)")
    return finding.as_error()


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


MINIMAL = """\
openapi: 3.1.0
info:
  title: t
  version: '1'
paths: {}
"""


# --------------------------------------------------------------------------- errors as values


def test_a_reference_that_leads_nowhere_is_left_out_not_fatal() -> None:
    """One dangling reference inside one schema does not take the whole client down: the
    reference is dropped (that schema reads as Any) and a finding names where it was."""
    spec = load_spec(broken("ref-missing.yaml"))
    schema = spec.document["paths"]["/runs"]["post"]["responses"]["200"]["content"][
        "application/json"
    ]["schema"]
    assert schema == {}
    (finding,) = spec.load_warnings
    assert finding.pointer.endswith("/schema") and finding.line == 13


def test_spec_error_is_one_located_paragraph() -> None:
    error = SpecError("specs/x.yaml", "/paths/~1a/get", "first line\nsecond   line", line=12)
    assert str(error) == "specs/x.yaml:12: /paths/~1a/get: first line second line"
    assert (error.file, error.pointer, error.line, error.message) == (
        "specs/x.yaml", "/paths/~1a/get", 12, "first line second line",
    )  # fmt: skip
    assert str(SpecError("a.yaml", None, "m")) == "a.yaml: m"
    assert str(SpecError("a.yaml", "", "m")) == "a.yaml: /: m"


def test_spec_error_is_a_value() -> None:
    error = SpecError(Path("specs/x.yaml"), "/info", "bad", line=3)
    assert error == SpecError("specs/x.yaml", "/info", "bad", line=3)
    assert hash(error) == hash(SpecError("specs/x.yaml", "/info", "bad", line=3))
    assert pickle.loads(pickle.dumps(error)) == error
    with pytest.raises(AttributeError):
        error.line = 4  # type: ignore[misc]
    assert error.with_line(9).line == 9 and error.line == 3


def test_spec_error_truncates_huge_messages_and_pointers() -> None:
    error = SpecError("x.yaml", "/a" * 500, "y" * 10_000)
    assert len(error.message) < 700 and error.message.endswith("(truncated)")
    assert len(str(error)) < 1000
    assert "(500 levels)" in str(error)


def test_config_error_message() -> None:
    assert str(ConfigError("bad\nname")) == "bad name"
    assert str(ConfigError("no spec", file="pyproject.toml")) == "pyproject.toml: no spec"


# --------------------------------------------------------------------------- the broken corpus


def test_empty_file() -> None:
    error = load_error(broken("empty.yaml"))
    assert error.file.endswith("empty.yaml") and error.message == "file is empty"


def test_whitespace_and_comments_only_count_as_empty(tmp_path: Path) -> None:
    assert load_error(write(tmp_path, "blank.yaml", "  \n\n")).message == "file is empty"
    assert "empty" in load_error(write(tmp_path, "comment.yaml", "# nothing\n")).message


def test_binary_file() -> None:
    error = load_error(broken("binary.yaml"))
    assert error.file.endswith("binary.yaml")
    assert "binary file" in error.message and "offset 8" in error.message
    assert error.line == 3


def test_invalid_utf8_names_the_byte_and_line() -> None:
    error = load_error(broken("invalid-utf8.yaml"))
    assert error.line == 3
    assert "not valid UTF-8" in error.message and "0xe9" in error.message
    assert str(error).startswith(f"{broken('invalid-utf8.yaml')}:3: ")


def test_utf16_is_named() -> None:
    assert "UTF-16" in load_error(broken("utf16.yaml")).message


def test_invalid_yaml_reports_the_line() -> None:
    error = load_error(broken("invalid-yaml.yaml"))
    assert error.line == 11
    assert error.message.startswith("invalid YAML:") and "expected key" in error.message


def test_alias_bomb_is_refused_fast() -> None:
    started = time.perf_counter()
    error = load_error(broken("alias-bomb.yaml"))
    assert time.perf_counter() - started < 1.0
    assert "alias bomb" in error.message and str(load.MAX_ALIAS_NODES) in error.message
    assert error.line is not None and 5 <= error.line <= 10


def test_recursive_alias_is_refused() -> None:
    error = load_error(broken("recursive-alias.yaml"))
    assert error.line == 9 and "*node" in error.message and "contains it" in error.message


def test_aliases_within_budget_become_independent_copies(tmp_path: Path) -> None:
    spec = write(
        tmp_path,
        "a.yaml",
        MINIMAL + "x-a: &err {type: object, properties: {m: {type: string}}}\nx-b: *err\n",
    )
    document = load_spec(spec).document
    assert document["x-a"] == document["x-b"] and document["x-a"] is not document["x-b"]


def test_yaml_merge_keys(tmp_path: Path) -> None:
    text = MINIMAL + "x-base: &base {a: 1, b: 2}\nx-derived:\n  <<: *base\n  b: 3\n"
    assert load_spec(write(tmp_path, "m.yaml", text)).document["x-derived"] == {"a": 1, "b": 3}


def test_trailing_garbage_after_json() -> None:
    error = load_error(broken("trailing-garbage.json"))
    assert error.line == 6
    assert "invalid JSON" in error.message and "after the end" in error.message


def test_invalid_json_syntax_has_the_line() -> None:
    error = load_error(broken("invalid-json.json"))
    assert error.line == 4 and "Expecting ',' delimiter" in error.message


def test_duplicate_yaml_key() -> None:
    error = load_error(broken("duplicate-key.yaml"))
    assert error.line == 11 and "duplicate key '/runs'" in error.message


def test_unsafe_python_tag_is_refused_not_run() -> None:
    error = load_error(broken("python-tag.yaml"))
    assert (
        error.line == 3
        and "unsupported YAML tag" in error.message
        and "python/object/apply" in error.message
    )


def test_two_yaml_documents() -> None:
    error = load_error(broken("two-documents.yaml"))
    assert error.line == 4 and "more than one YAML document" in error.message


def test_top_level_must_be_a_mapping() -> None:
    error = load_error(broken("not-a-mapping.yaml"))
    assert "must be a mapping" in error.message and "a list" in error.message


def test_missing_file(tmp_path: Path) -> None:
    error = load_error(tmp_path / "nope.yaml")
    assert error.file == str(tmp_path / "nope.yaml") and error.message == "file not found"


def test_file_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(load, "MAX_FILE_BYTES", 1024)
    error = load_error(write(tmp_path, "big.yaml", MINIMAL + "x-pad: '" + "p" * 2000 + "'\n"))
    assert "larger than" in error.message


@pytest.mark.parametrize("style", ["block", "flow"])
def test_5000_levels_of_yaml_nesting_give_a_spec_error(tmp_path: Path, style: str) -> None:
    if style == "block":
        body = "".join("  " * i + "properties:\n" for i in range(5000)) + "  " * 5000 + "x: 1\n"
    else:
        body = "x-deep: " + "[" * 5000 + "]" * 5000 + "\n"
    spec = write(tmp_path, "deep.yaml", MINIMAL + body)
    started = time.perf_counter()
    error = load_error(spec)
    assert time.perf_counter() - started < 2.0
    assert f"nested more than {load.MAX_DEPTH} levels" in error.message
    assert error.line is not None and error.line >= 6


def test_5000_levels_of_json_nesting_give_a_spec_error(tmp_path: Path) -> None:
    spec = write(
        tmp_path, "deep.json", '{"openapi": "3.1.0", "x": ' + "[" * 5000 + "]" * 5000 + "}"
    )
    assert f"nested more than {load.MAX_DEPTH} levels" in load_error(spec).message


def test_json_nesting_beyond_the_limit_but_parseable_is_located(tmp_path: Path) -> None:
    deep: Any = {}
    for _ in range(300):
        deep = {"properties": deep}
    spec = write(
        tmp_path, "deep.json", json.dumps({"openapi": "3.1.0", "paths": {}, "x-deep": deep})
    )
    error = load_error(spec)
    assert error.pointer is not None and error.pointer.startswith("/x-deep/properties/properties")
    assert f"nested more than {load.MAX_DEPTH} levels" in error.message


def test_yaml_1_2_scalars(tmp_path: Path) -> None:
    text = MINIMAL + (
        "x-values: [yes, no, on, off, true, False, ~, 0x1F, 0o17, 012, 1.5, 2e3, .inf, 2024-01-01, '3']\n"
        "x-keys: {200: a, true: b, 1.0: c}\n"
    )
    document = load_spec(write(tmp_path, "s.yaml", text)).document
    values = document["x-values"]
    assert values[:7] == ["yes", "no", "on", "off", True, False, None]
    assert values[7:13] == [31, 15, 12, 1.5, 2000.0, float("inf")]
    assert values[13:] == ["2024-01-01", "3"]
    assert document["x-keys"] == {"200": "a", "true": "b", "1.0": "c"}


BMP = st.characters(max_codepoint=0xFFFF, exclude_categories=["Cs"])
JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(BMP),
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.text(BMP, max_size=8), inner, max_size=4),
    max_leaves=25,
)


@settings(max_examples=200, deadline=None)
@given(value=JSON_VALUES, indent=st.sampled_from([None, 0, 2]))
def test_our_yaml_reader_agrees_with_json_on_json_text(value: Any, indent: int | None) -> None:
    """JSON is YAML 1.2: the YAML event builder must read any JSON text as the json module does
    (astral characters aside: libyaml rejects JSON's surrogate-pair escapes, see below)."""
    text = json.dumps({"x-data": value}, indent=indent)
    assert load._parse_yaml(text, "doc.yaml") == json.loads(text)


def test_json_text_in_a_yaml_file_is_read_as_json(tmp_path: Path) -> None:
    text = json.dumps(
        {"openapi": "3.1.0", "paths": {}, "info": {"title": "\U0001f600 API", "version": "1"}}
    )
    assert "\\ud83d" in text
    assert (
        load_spec(write(tmp_path, "doc.yaml", text)).document["info"]["title"] == "\U0001f600 API"
    )


def test_flow_yaml_that_is_not_json_still_loads(tmp_path: Path) -> None:
    document = load_spec(
        write(tmp_path, "doc.yaml", "{openapi: 3.1.0, paths: {}, x-n: yes}\n")
    ).document
    assert document == {"openapi": "3.1.0", "paths": {}, "x-n": "yes"}


# --------------------------------------------------------------------------- $ref checks


def test_dangling_ref_names_the_ref_pointer_and_line() -> None:
    error = load_error(broken("ref-missing.yaml"))
    assert error.file == str(broken("ref-missing.yaml"))
    assert error.pointer == "/paths/~1runs/post/responses/200/content/application~1json/schema"
    assert error.line == 13
    assert "'#/components/schemas/Missing' points to nothing" in error.message


def test_ref_cycle_without_an_object_in_it() -> None:
    error = load_error(broken("ref-cycle.yaml"))
    assert error.pointer == "/paths/~1runs/get/responses/200"
    assert error.line == 9
    assert (
        "#/components/responses/A -> #/components/responses/B -> #/components/responses/A"
        in error.message
    )


def test_recursive_schema_through_an_object_is_fine(tmp_path: Path) -> None:
    text = (
        MINIMAL
        + "components:\n  schemas:\n    Node:\n      type: object\n      properties:\n        next: {$ref: '#/components/schemas/Node'}\n"
    )
    assert load_spec(write(tmp_path, "tree.yaml", text)).document["components"]["schemas"]["Node"]


def test_self_reference_is_a_cycle(tmp_path: Path) -> None:
    text = MINIMAL + "components:\n  schemas:\n    Me:\n      $ref: '#/components/schemas/Me'\n"
    error = load_error(write(tmp_path, "me.yaml", text))
    assert error.pointer == "/components/schemas/Me" and "cycle" in error.message


def test_remote_ref_is_refused_without_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("load_spec tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    error = load_error(broken("ref-remote.yaml"))
    assert error.pointer == "/paths/~1pets/get/responses/200/content/application~1json/schema"
    assert error.line == 13
    assert "remote $ref 'https://example.com/schemas/pet.yaml#/Pet' is refused" in error.message


@pytest.mark.parametrize(
    "ref", ["http://x/y.yaml", "//host/y.yaml", "file:///etc/passwd", "urn:x:y"]
)
def test_every_url_form_is_remote(tmp_path: Path, ref: str) -> None:
    text = MINIMAL + f"components:\n  schemas:\n    A:\n      $ref: '{ref}'\n"
    assert "remote $ref" in load_error(write(tmp_path, "r.yaml", text)).message


def test_file_ref_escaping_the_spec_folder() -> None:
    error = load_error(broken("ref-escape.yaml"))
    assert error.file == str(broken("ref-escape.yaml"))
    assert error.pointer == "/paths/~1x/get/responses/200/content/application~1json/schema"
    assert "'../../etc/passwd' points outside the spec's folder" in error.message


def test_symlink_escaping_the_spec_folder(tmp_path: Path) -> None:
    outside = write(tmp_path, "outside/secret.yaml", "type: string\n")
    (tmp_path / "api").mkdir()
    (tmp_path / "api" / "link.yaml").symlink_to(outside)
    spec = write(
        tmp_path,
        "api/main.yaml",
        MINIMAL + "components:\n  schemas:\n    A:\n      $ref: 'link.yaml'\n",
    )
    assert "outside the spec's folder" in load_error(spec).message


def test_refs_in_examples_and_extensions_are_data(tmp_path: Path) -> None:
    text = MINIMAL + (
        "x-vendor: {$ref: 'https://example.com/x'}\n"
        "components:\n"
        "  schemas:\n"
        "    A:\n"
        "      type: object\n"
        "      example: {$ref: '#/nowhere'}\n"
        "      default: {$ref: '#/nowhere'}\n"
        "      properties:\n"
        "        default: {$ref: '#/components/schemas/B'}\n"
        "    B: {type: string}\n"
        "  examples:\n"
        "    E:\n"
        "      value: {$ref: '#/nowhere'}\n"
    )
    document = load_spec(write(tmp_path, "d.yaml", text)).document
    assert document["components"]["schemas"]["A"]["properties"]["default"] == {
        "$ref": "#/components/schemas/B"
    }


def test_a_property_named_default_is_still_checked(tmp_path: Path) -> None:
    text = (
        MINIMAL
        + "components:\n  schemas:\n    A:\n      properties:\n        default: {$ref: '#/components/schemas/Gone'}\n"
    )
    error = load_error(write(tmp_path, "d.yaml", text))
    assert error.pointer == "/components/schemas/A/properties/default" and "Gone" in error.message


def test_discriminator_mapping_refs_are_checked(tmp_path: Path) -> None:
    text = MINIMAL + (
        "components:\n  schemas:\n    Pet:\n      oneOf: [{$ref: '#/components/schemas/Cat'}]\n"
        "      discriminator:\n        propertyName: kind\n        mapping:\n"
        "          cat: '#/components/schemas/Cat'\n          dog: '#/components/schemas/Dog'\n"
        "    Cat: {type: object}\n"
    )
    error = load_error(write(tmp_path, "p.yaml", text))
    assert error.pointer == "/components/schemas/Pet/discriminator/mapping/dog"
    assert error.line == 14


# --------------------------------------------------------------------------- bundling


def test_relative_file_refs_are_bundled_into_components(tmp_path: Path) -> None:
    write(
        tmp_path,
        "schemas/pet.yaml",
        "Pet:\n  type: object\n  properties:\n    owner: {$ref: '#/Owner'}\n    tag: {$ref: 'common.yaml#/Tag'}\nOwner:\n  type: string\n",
    )
    write(tmp_path, "schemas/common.yaml", "Tag: {type: string}\n")
    write(
        tmp_path,
        "params.yaml",
        "components:\n  parameters:\n    Limit: {name: limit, in: query, schema: {type: integer}}\n",
    )
    spec = write(
        tmp_path,
        "api.yaml",
        MINIMAL.replace("paths: {}\n", "")
        + (
            "paths:\n"
            "  /pets:\n"
            "    get:\n"
            "      parameters:\n"
            "        - $ref: 'params.yaml#/components/parameters/Limit'\n"
            "      responses:\n"
            "        '200':\n"
            "          description: ok\n"
            "          content:\n"
            "            application/json:\n"
            "              schema: {$ref: 'schemas/pet.yaml#/Pet'}\n"
            "        '201':\n"
            "          description: again\n"
            "          content:\n"
            "            application/json:\n"
            "              schema: {$ref: './schemas/pet.yaml#/Pet'}\n"
            "components:\n"
            "  schemas:\n"
            "    Pet: {type: string, description: the main document's own Pet}\n"
        ),
    )
    document = load_spec(spec).document
    operation = document["paths"]["/pets"]["get"]
    assert operation["parameters"][0] == {"$ref": "#/components/parameters/Limit"}
    first = operation["responses"]["200"]["content"]["application/json"]["schema"]
    second = operation["responses"]["201"]["content"]["application/json"]["schema"]
    assert (
        first == second == {"$ref": "#/components/schemas/pet_Pet"}
    )  # Pet was taken: file stem prefix
    schemas = document["components"]["schemas"]
    assert schemas["Pet"]["description"] == "the main document's own Pet"
    assert schemas["pet_Pet"]["properties"] == {
        "owner": {"$ref": "#/components/schemas/Owner"},
        "tag": {"$ref": "#/components/schemas/Tag"},
    }
    assert schemas["Owner"] == {"type": "string"} and schemas["Tag"] == {"type": "string"}
    assert document["components"]["parameters"]["Limit"]["name"] == "limit"
    assert load_spec(spec).document == document  # deterministic


def test_bundled_refs_back_to_the_main_document_stay_local(tmp_path: Path) -> None:
    write(
        tmp_path,
        "parts/a.yaml",
        "A:\n  type: array\n  items: {$ref: '../api.yaml#/components/schemas/B'}\n",
    )
    spec = write(
        tmp_path,
        "api.yaml",
        MINIMAL
        + "components:\n  schemas:\n    B: {type: string}\n    C: {$ref: 'parts/a.yaml#/A'}\n",
    )
    schemas = load_spec(spec).document["components"]["schemas"]
    assert schemas["C"] == {"$ref": "#/components/schemas/A"}
    assert schemas["A"]["items"] == {"$ref": "#/components/schemas/B"}


def test_mutually_referencing_files_terminate(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", "A: {type: object, properties: {b: {$ref: 'b.yaml#/B'}}}\n")
    write(tmp_path, "b.yaml", "B: {type: object, properties: {a: {$ref: 'a.yaml#/A'}}}\n")
    spec = write(
        tmp_path, "api.yaml", MINIMAL + "components:\n  schemas:\n    Root: {$ref: 'a.yaml#/A'}\n"
    )
    schemas = load_spec(spec).document["components"]["schemas"]
    assert schemas["A"]["properties"]["b"] == {"$ref": "#/components/schemas/B"}
    assert schemas["B"]["properties"]["a"] == {"$ref": "#/components/schemas/A"}


def test_dangling_ref_inside_a_bundled_file_names_that_file(tmp_path: Path) -> None:
    write(tmp_path, "pet.yaml", "Pet:\n  type: object\n  properties:\n    x: {$ref: '#/Nope'}\n")
    spec = write(
        tmp_path, "api.yaml", MINIMAL + "components:\n  schemas:\n    P: {$ref: 'pet.yaml#/Pet'}\n"
    )
    error = load_error(spec)
    assert error.file == str(tmp_path / "pet.yaml")
    assert error.pointer == "/Pet/properties/x" and error.line == 4
    assert "'#/Nope' points to nothing" in error.message


def test_missing_referenced_file(tmp_path: Path) -> None:
    spec = write(
        tmp_path, "api.yaml", MINIMAL + "components:\n  schemas:\n    P: {$ref: 'gone.yaml#/Pet'}\n"
    )
    error = load_error(spec)
    assert error.file == str(spec) and error.pointer == "/components/schemas/P"
    assert error.message == f"$ref 'gone.yaml#/Pet': {tmp_path / 'gone.yaml'}: file not found"


def test_unknown_component_kind_is_an_error(tmp_path: Path) -> None:
    write(tmp_path, "x.yaml", "X: {a: 1}\n")
    spec = write(
        tmp_path,
        "api.yaml",
        MINIMAL + "x-list:\n  - {$ref: 'x.yaml#/X'}\ntags:\n  - {$ref: 'x.yaml#/X'}\n",
    )
    error = load_error(spec)
    assert error.pointer == "/tags/0" and "cannot tell what kind of component" in error.message


# --------------------------------------------------------------------------- overlays


OVERLAY_HEAD = "overlay: 1.0.0\ninfo: {title: o, version: '1'}\n"


def test_overlay_target_matching_nothing_names_the_overlay_and_action() -> None:
    overlay = broken("no-match.overlay.yaml")
    error = load_error(broken("overlay-base.yaml"), (overlay,))
    assert error.file == str(overlay)
    assert error.pointer == "/actions/1/target" and error.line == 9
    assert "action 1" in error.message and "$.components.securitySchemes.bearer" in error.message
    assert "matches nothing" in error.message


def test_overlay_update_merges_appends_and_removes(tmp_path: Path) -> None:
    overlay = write(
        tmp_path,
        "o.yaml",
        OVERLAY_HEAD
        + (
            "actions:\n"
            "  - target: $.info\n"
            "    update: {title: new, x-extra: {a: [1]}}\n"
            "  - target: $.info\n"
            "    update: {x-extra: {a: [2], b: 3}}\n"
            "  - target: $.tags\n"
            "    update: {name: added}\n"
            "  - target: $.paths['/runs'].get.parameters[?(@.name == 'old')]\n"
            "    remove: true\n"
            "  - target: $.paths.*[?(@.operationId == 'listRuns')]\n"
            "    update: {x-clientgen-name: list}\n"
        ),
    )
    spec = write(
        tmp_path,
        "api.yaml",
        (
            "openapi: 3.1.0\ninfo: {title: old, version: '1'}\ntags: [{name: t}]\n"
            "paths:\n  /runs:\n    get:\n      operationId: listRuns\n"
            "      parameters: [{name: old, in: query}, {name: keep, in: query}, {name: old, in: header}]\n"
            "      responses: {'200': {description: ok}}\n"
        ),
    )
    document = load_spec(spec, (overlay,)).document
    assert document["info"] == {"title": "new", "version": "1", "x-extra": {"a": [1, 2], "b": 3}}
    assert document["tags"] == [{"name": "t"}, {"name": "added"}]
    get = document["paths"]["/runs"]["get"]
    assert get["parameters"] == [{"name": "keep", "in": "query"}]
    assert get["x-clientgen-name"] == "list"


def test_overlays_apply_in_order(tmp_path: Path) -> None:
    first = write(
        tmp_path,
        "1.yaml",
        OVERLAY_HEAD + "actions:\n  - {target: $.info, update: {x-one: {a: 1}}}\n",
    )
    second = write(
        tmp_path,
        "2.yaml",
        OVERLAY_HEAD + "actions:\n  - {target: \"$.info['x-one']\", update: {b: 2}}\n",
    )
    spec = write(tmp_path, "api.yaml", MINIMAL)
    assert load_spec(spec, (first, second)).document["info"]["x-one"] == {"a": 1, "b": 2}
    error = load_error(spec, (second, first))
    assert error.file == str(second) and error.pointer == "/actions/0/target"


def test_overlay_can_introduce_refs_that_are_then_checked(tmp_path: Path) -> None:
    overlay = write(
        tmp_path,
        "o.yaml",
        OVERLAY_HEAD
        + "actions:\n  - {target: $, update: {components: {schemas: {A: {$ref: '#/components/schemas/Z'}}}}}\n",
    )
    error = load_error(write(tmp_path, "api.yaml", MINIMAL), (overlay,))
    assert (
        error.pointer == "/components/schemas/A"
        and "'#/components/schemas/Z' points to nothing" in error.message
    )


@pytest.mark.parametrize(
    ("body", "pointer", "needle"),
    [
        (
            "overlay: 2.0.0\ninfo: {title: o, version: '1'}\nactions: [{target: $, update: {}}]\n",
            "/overlay",
            "unsupported Overlay version",
        ),
        (OVERLAY_HEAD + "actions: []\n", "/actions", "non-empty 'actions'"),
        (
            OVERLAY_HEAD + "actions:\n  - target: $.info\n",
            "/actions/0",
            "either 'update' or 'remove: true'",
        ),
        (
            OVERLAY_HEAD + "actions:\n  - {target: info, update: {}}\n",
            "/actions/0",
            "starting with '$'",
        ),
        (
            OVERLAY_HEAD + "actions:\n  - {target: '$.[[[', update: {}}\n",
            "/actions/0/target",
            "invalid JSONPath",
        ),
        (
            OVERLAY_HEAD + "actions:\n  - {target: $.info.title, update: {a: 1}}\n",
            "/actions/0/target",
            "single value",
        ),
        (
            OVERLAY_HEAD + "actions:\n  - {target: $, remove: true}\n",
            "/actions/0/target",
            "root cannot be removed",
        ),
    ],
)
def test_bad_overlays(tmp_path: Path, body: str, pointer: str, needle: str) -> None:
    overlay = write(tmp_path, "bad.overlay.yaml", body)
    error = load_error(write(tmp_path, "api.yaml", MINIMAL), (overlay,))
    assert error.file == str(overlay) and error.pointer == pointer and needle in error.message
    assert error.line is not None


def test_not_an_overlay(tmp_path: Path) -> None:
    error = load_error(write(tmp_path, "api.yaml", MINIMAL), (write(tmp_path, "o.yaml", MINIMAL),))
    assert error.file == str(tmp_path / "o.yaml") and "not an OpenAPI Overlay" in error.message


# --------------------------------------------------------------------------- docs pages


def test_extract_from_a_four_backtick_fence() -> None:
    page = "# Title\n\n````yaml api.json post /x\nopenapi: 3.1.0\ninfo: {}\n\n````\nafter\n"
    assert extract_openapi_from_page(page, "page.md") == "openapi: 3.1.0\ninfo: {}\n\n"


def test_extract_from_a_three_backtick_fence_after_other_yaml() -> None:
    page = "```yaml\nkey: not openapi\n```\n\n```yaml\nopenapi: 3.0.3\npaths: {}\n```\n"
    assert extract_openapi_from_page(page, "page.md") == "openapi: 3.0.3\npaths: {}\n"


def test_inner_three_backtick_lines_do_not_close_a_four_backtick_fence() -> None:
    page = "````yaml\nopenapi: 3.1.0\ninfo:\n  description: |\n    ```\n    code\n    ```\n````\n"
    assert extract_openapi_from_page(page, "p.md").endswith("    ```\n    code\n    ```\n")


def test_extract_without_an_openapi_block() -> None:
    with pytest.raises(SpecError) as info:
        extract_openapi_from_page("# API\n\n```json\n{}\n```\n", "docs/page.md")
    assert info.value.file == "docs/page.md" and "no OpenAPI document found" in info.value.message


def test_extract_unterminated_block() -> None:
    with pytest.raises(SpecError) as info:
        extract_openapi_from_page("intro\n````yaml\nopenapi: 3.1.0\npaths: {}\n", "p.md")
    assert info.value.line == 2 and "never closed" in info.value.message


# --------------------------------------------------------------------------- helpers and speed


def test_line_of_follows_refs_and_handles_json() -> None:
    text = "a:\n  b:\n    $ref: '#/c'\nc:\n  d: 1\nlist:\n  - x\n  - y\n"
    assert line_of(text, "/a/b") == 2
    assert line_of(text, "/a/b/d") == 5
    assert line_of(text, ("list", 1)) == 8
    assert line_of(text, "/nope") is None and line_of(text, "") is None
    assert line_of('{\n  "a": {\n    "b": 1\n  }\n}', "/a/b") == 3
    assert line_of(": not yaml [", "/a") is None


def test_the_lines_of_many_errors_in_one_text_compose_it_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Mistral's eleven unresolved ``$ref``s composed its 1 MB once each (9 s to load)."""
    import yaml

    calls: list[str] = []
    compose = yaml.compose

    def counted(text: str, **kwargs: Any) -> Any:
        calls.append(text)
        return compose(text, **kwargs)

    monkeypatch.setattr(yaml, "compose", counted)
    text = "x:\n" + "".join(f"  k{i}:\n    v: {i}\n" for i in range(20))
    assert [line_of(text, f"/x/k{i}/v") for i in range(20)] == [3 + 2 * i for i in range(20)]
    assert line_of("other: 1\n", "/other") == 1
    assert calls == [text, "other: 1\n"]


def test_parse_pointer() -> None:
    assert parse_pointer("/paths/~1runs~1{id}/get") == ("paths", "/runs/{id}", "get")
    assert parse_pointer("/a~0b/%7Bx%7D") == ("a~b", "{x}")
    assert parse_pointer("") == () and parse_pointer("name") is None


def test_loaded_spec_keeps_path_and_text(tmp_path: Path) -> None:
    spec = write(tmp_path, "s.yaml", MINIMAL)
    loaded = load_spec(spec)
    assert loaded == LoadedSpec(
        path=spec, document=loaded.document, source_text=MINIMAL, sources=(spec.resolve(),)
    )
    assert loaded.document["info"] == {"title": "t", "version": "1"}


def test_bom_is_dropped(tmp_path: Path) -> None:
    spec = tmp_path / "bom.yaml"
    spec.write_bytes(b"\xef\xbb\xbf" + MINIMAL.encode())
    assert load_spec(spec).document["openapi"] == "3.1.0"


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared/corpus is not beside the repository")
def test_whole_notte_api_loads_well_under_100ms() -> None:
    path = CORPUS / "notte-full-openapi.json"
    load_spec(path)  # warm imports
    best = min(_timed(lambda: load_spec(path)) for _ in range(5))
    assert best < 0.1, f"loading {path.name} took {best * 1000:.0f} ms"


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared/corpus is not beside the repository")
@pytest.mark.parametrize(
    "name",
    [
        "autotab-full-openapi.json",
        "galaxy-3.1.yaml",
        "notte-full-openapi.json",
        "petstore-expanded-3.0.yaml",
        "tictactoe-3.1.yaml",
    ],
)
def test_published_specs_load(name: str) -> None:
    document = load_spec(CORPUS / name).document
    assert document["openapi"].startswith("3.") and "paths" in document


def _timed(action: Any) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def test_control_character_in_yaml_is_located(tmp_path: Path) -> None:
    error = load_error(write(tmp_path, "c.yaml", MINIMAL + "x-a: é\nx-b: éééééééé\nx-c: \x80\n"))
    assert error.line == 8 and "U+0080 is not allowed" in error.message


def test_pure_python_yaml_parser_gives_the_same_results(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without libyaml, PyYAML's own (iterative) parser is used, with the same limits."""
    import yaml

    with_libyaml = {
        name: load_spec(TESTS.parent / "specs" / name).document
        for name in ("ziet.yaml", "aimable.yaml")
    }
    errors = {
        name: load_error(broken(name))
        for name in ("alias-bomb.yaml", "invalid-yaml.yaml", "duplicate-key.yaml")
    }
    monkeypatch.delattr(yaml, "CSafeLoader")
    assert type(load._new_parser("a: 1")).__module__ != "yaml._yaml"
    for name, document in with_libyaml.items():
        assert load_spec(TESTS.parent / "specs" / name).document == document
    for name, error in errors.items():
        again = load_error(broken(name))
        assert (
            again.line == error.line and again.message.split(":")[0] == error.message.split(":")[0]
        )
    deep = write(tmp_path, "deep.yaml", MINIMAL + "x-deep: " + "[" * 5000 + "]" * 5000 + "\n")
    assert "nested more than" in load_error(deep).message
    control = write(tmp_path, "c.yaml", MINIMAL + "x-a: é\nx-c: \x80\n")
    assert load_error(control).line == 7
