"""Method names a person would write (generator/normalize/naming.py, the rule in the README).

Unit cases pin the rule; the corpus test prints every ``client.<resource>...<method>`` path of
the published specs and checks the rule's promises on all of them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator import names
from generator.config import client_config
from generator.ir import Resource
from generator.normalize.naming import choose_names, resource_parts, tags_group
from generator.pipeline import build_api
from tests.clients.corpus_clients import corpus_documents


@pytest.mark.parametrize(
    ("operation_id", "method", "path", "resource", "expected"),
    [
        # path-derived operationIds give way to the REST verb of the path's shape
        ("get_files_id", "get", "/files/{file_id}", ["files"], "retrieve"),
        (None, "get", "/files", ["files"], "list"),
        ("get_files", "get", "/files", ["files"], "get"),  # a verb and one noun: a person's
        ("post_files_id_copy", "post", "/files/{file_id}/copy", ["files"], "copy"),
        ("put_files_id", "put", "/files/{file_id}", ["files"], "update"),
        ("delete_files_id", "delete", "/files/{file_id}", ["files"], "delete"),
        (
            "delete_metadata_templates_id_id_schema",
            "delete",
            "/metadata_templates/{scope}/{template_key}/schema",
            ["metadata_templates", "schema"],
            "delete",
        ),
        (None, "get", "/files/{file_id}/versions", ["files"], "list_versions"),
        (None, "post", "/v2/runs", ["runs"], "create"),
        ("read_items_items__item_id__get", "get", "/items/{item_id}", ["items"], "read"),
        # a person's operationId names the method, less the resource's words
        ("function_run_start", "post", "/functions/{id}/runs/start", ["functions"], "run_start"),
        ("getJob", "get", "/jobs/{id}", ["jobs"], "get"),
        ("connectors_list_v1", "get", "/v1/connectors", ["connectors"], "list"),
        ("findPetById", "get", "/pets/{id}", ["pets"], "find"),
        ("us_verification", "post", "/us_verifications", ["us_verifications"], "create"),
    ],
)
def test_the_rule(
    operation_id: str | None, method: str, path: str, resource: list[str], expected: str
) -> None:
    assert choose_names({}, operation_id, method, path, resource)[0] == expected


def test_an_overlay_name_wins() -> None:
    op = {"x-clientgen-name": "startRun"}
    assert choose_names(op, "get_files_id", "get", "/files/{id}", ["files"]) == ("start_run",)


def test_ties_take_the_parameter_then_the_operation_id_before_a_number() -> None:
    first = choose_names({}, "get_users_id", "get", "/users/{id}", ["users"])
    second = choose_names({}, "get_users_username", "get", "/users/{username}", ["users"])
    assert first[0] == second[0] == "retrieve"
    assert second[1] == "retrieve_by_username"


def test_untagged_operations_nest_by_the_paths_collections() -> None:
    assert resource_parts({}, "/v1/files/{file_id}/versions/{v}", {}) == ["files", "versions"]
    assert resource_parts({}, "/templates/{id}/schema", {}, method="delete") == [
        "templates",
        "schema",
    ]
    assert resource_parts({}, "/files/{id}/copy", {}, method="post") == ["files"]
    assert resource_parts({"tags": ["projects.runs"]}, "/x", {}) == ["projects", "runs"]
    assert resource_parts({"tags": ["toys"]}, "/x", {"toys": ["pets", "toys"]}) == ["pets", "toys"]


def test_one_tag_on_every_operation_of_a_large_api_is_not_a_resource() -> None:
    one_tag = [{"tags": ["plaid"]}] * 11
    assert not tags_group(one_tag)
    assert tags_group(one_tag[:10])  # a small API's one tag is its one resource
    assert tags_group([*one_tag, {"tags": ["other"]}])


_HTTP_VERBS = {"get", "post", "put", "patch"}


def _broken_rules(resource: str, method: str, path: str) -> list[str]:
    """The rule's promises a method path breaks: it repeats its resource's name, ends in
    ``_id`` or a tie-breaking number, or is an HTTP verb plus path words."""
    words = names.words(method)
    own = {names.singular(w) for w in names.words(resource)}
    path_words = {names.singular(w) for w in names.words(path)}
    broken = []
    if len(words) > 1 and any(names.singular(w) in own for w in words):
        broken.append("repeats its resource")
    if method.endswith("_id"):
        broken.append("ends in _id")
    if re.search(r"\d$", method):
        broken.append("ends in a number")
    if (
        len(words) > 1
        and words[0] in _HTTP_VERBS
        and all(names.singular(w) in path_words or w in _HTTP_VERBS | {"id", "by"} for w in words)
    ):
        broken.append("echoes the path")
    return broken


@pytest.mark.slow
@pytest.mark.skipif(not corpus_documents(), reason="shared/corpus is not beside the repository")
def test_fewer_than_5_percent_of_the_corpus_methods_break_the_rule(
    capsys: pytest.CaptureFixture[str],
) -> None:
    total, broken = 0, []
    for document in corpus_documents():
        api = build_api(client_config(document, output=Path("unused"), package="p", version="1"))
        stack: list[tuple[str, Resource]] = [(f"client.{r.attr}", r) for r in api.resources]
        while stack:
            where, resource = stack.pop()
            stack += [(f"{where}.{c.attr}", c) for c in resource.children]
            for op in resource.operations:
                total += 1
                rules = _broken_rules(resource.attr, op.method_name, op.path)
                if rules:
                    broken.append(f"{document.name}: {where}.{op.method_name} "
                                  f"[{op.http_method} {op.path}]: {', '.join(rules)}")  # fmt: skip
    with capsys.disabled():
        print(f"\n{len(broken)} of {total} method paths break a naming rule:")
        print("\n".join(f"  {line}" for line in sorted(broken)))
    assert total > 1500
    assert len(broken) < 0.05 * total


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("my-project", '"my-project"'),
        ('say "hi"\u202e', r'"say \"hi\"\u202e"'),  # quotes and bidi marks escaped
        (3, "3"),
        (1.5, "1.5"),
        (True, "True"),
        (["a", 2], '["a", 2]'),
        ({"a": 1}, None),  # objects: the placeholder stays
        ("x" * 80, None),  # long: the placeholder stays
        (float("nan"), None),
    ],
)
def test_examples_become_safe_literals(value: object, expected: str | None) -> None:
    assert names.example_literal(value) == expected


@pytest.mark.parametrize(
    ("spec_name", "argument"),
    [
        ("fields", "fields"),  # pydantic's model namespace is not an argument's
        ("json", "json"),
        ("schema", "schema"),
        ("type", "type"),  # a soft keyword is a name
        ("from", "from_"),  # a keyword
        ("timeout", "timeout_"),  # the method's own option
        ("body", "body_"),
        ("X-Request-ID", "x_request_id"),
    ],
)
def test_arguments_keep_their_names_unless_the_method_needs_them(
    spec_name: str, argument: str
) -> None:
    assert names.argument(spec_name) == argument
