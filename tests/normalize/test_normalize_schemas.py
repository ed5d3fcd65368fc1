"""The schema normalizer's rules, each shown on a small spec by what the generated models DO.

Every fixture in ``tests/fixtures/normalize/`` goes through the whole pipeline (load, validate,
normalize, dmcg, render, black); the package is imported from a temporary folder and its models
and client are exercised: parse JSON, dump it the way the runtime sends it, call operations
against an ``httpx.MockTransport`` that records what would go on the wire.
"""

from __future__ import annotations

import datetime
import json
import keyword
import subprocess
import sys
import types
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import BaseModel, TypeAdapter, ValidationError

from generator.render.signatures import walk
from tests.fixtures.normalize.build import Generated, api_of, fixture, generated

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "normalize"
CLIENTGEN = Path(sys.executable).parent / "clientgen"


def _package(name: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Generated]:
    folder = tmp_path_factory.mktemp(name.replace(".", "_"))
    with generated(fixture(name), folder, "norm_" + name.split(".")[0].replace("-", "_")) as built:
        yield built


@pytest.fixture(scope="module")
def nulls(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Generated]:
    yield from _package("nullability.yaml", tmp_path_factory)


@pytest.fixture(scope="module")
def nulls30(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Generated]:
    yield from _package("nullability-3.0.yaml", tmp_path_factory)


@pytest.fixture(scope="module")
def unions(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Generated]:
    yield from _package("unions.yaml", tmp_path_factory)


@pytest.fixture(scope="module")
def allof(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Generated]:
    yield from _package("allof-recursion.yaml", tmp_path_factory)


@pytest.fixture(scope="module")
def names(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Generated]:
    yield from _package("names.yaml", tmp_path_factory)


@pytest.fixture(scope="module")
def compat(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Generated]:
    yield from _package("compat-formats.yaml", tmp_path_factory)


class Wire:
    """An ``httpx.MockTransport`` that records requests and answers with canned JSON."""

    def __init__(self, answer: Any = None, status: int = 200) -> None:
        self.requests: list[httpx.Request] = []
        self.answer = answer
        self.status = status

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return httpx.Response(self.status, json=self.answer)

    def client(self, built: Generated) -> Any:
        return built.client_class(
            base_url="http://test.invalid",
            http_client=httpx.Client(transport=httpx.MockTransport(self)),
        )

    def body(self, index: int = -1) -> Any:
        return json.loads(self.requests[index].content)


def sent(built: Generated, value: Any) -> Any:
    """What the runtime puts on the wire for ``value`` (by alias, only the fields set)."""
    return built.package._encoding.to_jsonable(value)


def round_trip(built: Generated, annotation: Any, data: Any) -> Any:
    """Parse ``data`` as a response would be parsed, and dump it as a request would be sent."""
    return sent(built, TypeAdapter(annotation).validate_json(json.dumps(data)))


def accepts_none(model: type[BaseModel], field: str) -> bool:
    annotation = model.model_fields[field].annotation
    return annotation is types.NoneType or types.NoneType in typing.get_args(annotation)


# --------------------------------------------------------------------------- nullability


NULLABLE = ["type_list", "any_of_null", "one_of_ref_null", "const_null_branch", "enum_null"]
REQUIRED = {name: None for name in [*NULLABLE, "only_null"]} | {"plain": "p"}


@pytest.mark.parametrize("field", NULLABLE)
def test_every_spelling_of_nullable_is_x_or_none_and_stays_required(
    nulls: Generated, field: str
) -> None:
    record = nulls.models.Record
    assert accepts_none(record, field)
    assert record.model_fields[field].is_required()
    with pytest.raises(ValidationError, match=field):
        record.model_validate({k: v for k, v in REQUIRED.items() if k != field})


def test_nullable_branches_keep_their_type(nulls: Generated) -> None:
    record = nulls.models.Record.model_validate(
        REQUIRED
        | {
            "type_list": "a",
            "any_of_null": 3,
            "one_of_ref_null": {"name": "Rex"},
            "const_null_branch": "2024-05-01T10:00:00Z",
            "enum_null": "red",
        }
    )
    assert isinstance(record.one_of_ref_null, nulls.models.Pet)
    assert record.const_null_branch == datetime.datetime(
        2024, 5, 1, 10, tzinfo=datetime.timezone.utc
    )
    with pytest.raises(ValidationError, match="any_of_null"):
        nulls.models.Record.model_validate(REQUIRED | {"any_of_null": "three"})


def test_const_null_admits_only_null(nulls: Generated) -> None:
    assert nulls.models.Record.model_fields["only_null"].annotation is types.NoneType
    with pytest.raises(ValidationError, match="only_null"):
        nulls.models.Record.model_validate(REQUIRED | {"only_null": "x"})


def test_required_not_nullable_refuses_null(nulls: Generated) -> None:
    assert not accepts_none(nulls.models.Record, "plain")
    with pytest.raises(ValidationError, match="plain"):
        nulls.models.Record.model_validate(REQUIRED | {"plain": None})


def test_null_given_is_sent_and_omitted_is_not_sent(nulls: Generated) -> None:
    record = nulls.models.Record.model_validate(REQUIRED)
    assert record.optional_plain is None and record.optional_nullable is None
    assert record.optional_default == 5 and record.optional_nullable_default == 7
    assert sent(nulls, record) == REQUIRED  # nulls that were given, nothing that was not


def test_the_client_sends_given_nulls_and_never_invents_them(nulls: Generated) -> None:
    wire = Wire(answer=REQUIRED)
    client = wire.client(nulls)
    result = client.records.create(**REQUIRED, optional_nullable=None)
    assert wire.body() == REQUIRED | {"optional_nullable": None}
    assert isinstance(result, nulls.models.Record) and result.type_list is None


def test_openapi_3_0_nullable(nulls30: Generated) -> None:
    record = nulls30.models.Record
    for field in ("name", "pet", "colour"):
        assert accepts_none(record, field) and record.model_fields[field].is_required()
    assert accepts_none(record, "count") and not record.model_fields["count"].is_required()
    parsed = record.model_validate({"name": None, "pet": {"name": "Rex"}, "colour": None})
    assert isinstance(parsed.pet, nulls30.models.Pet)
    assert sent(nulls30, parsed) == {"name": None, "pet": {"name": "Rex"}, "colour": None}


# --------------------------------------------------------------------------- unions


SINKS = [
    ({"type": "webhook", "url": "https://example.com/hook"}, "WebhookSinkConfiguration"),
    (
        {"type": "s3", "bucket": "b", "region": "eu-west-1", "skipOnFail": True},
        "S3SinkConfiguration",
    ),
]


@pytest.mark.parametrize(("sink", "cls"), SINKS)
def test_intuned_sink_is_discriminated_on_type_without_a_declared_discriminator(
    unions: Generated, sink: dict[str, Any], cls: str
) -> None:
    request = unions.models.RunStartRequest
    assert request.model_fields["sink"].discriminator == "type"
    parsed = request.model_validate({"api": "a", "sink": sink})
    assert type(parsed.sink).__name__ == cls
    assert sent(unions, parsed) == {"api": "a", "sink": sink}


def test_an_unknown_sink_type_is_refused(unions: Generated) -> None:
    with pytest.raises(ValidationError, match="ftp"):
        unions.models.RunStartRequest.model_validate(
            {"api": "a", "sink": {"type": "ftp", "url": "u"}}
        )


AUTH = [
    ({"id": "as-1", "runtimeInput": {"user": "u"}}, "RuntimeBasedAuthSessionInput"),
    ({"id": "as-1"}, "CredentialsBasedAuthSessionInput"),
    ({"runtimeInput": {}}, "RuntimeBasedAuthSessionInput"),
    # the runtime branch only allows autoRecreate: true, so this is the credentials one
    ({"id": "as-1", "autoRecreate": False, "runtimeInput": {}}, "CredentialsBasedAuthSessionInput"),
]


@pytest.mark.parametrize(("session", "cls"), AUTH)
def test_intuned_auth_session_picks_the_most_specific_branch(
    unions: Generated, session: dict[str, Any], cls: str
) -> None:
    parsed = unions.models.RunStartRequest.model_validate({"api": "a", "authSession": session})
    assert type(parsed.auth_session).__name__ == cls
    assert sent(unions, parsed) == {"api": "a", "authSession": session}


def test_the_client_sends_unions_as_given_and_checks_them_first(unions: Generated) -> None:
    wire = Wire(answer={"runId": "ru_1"})
    client = wire.client(unions)
    client.runs.start(api="a", auth_session={"id": "x", "runtimeInput": {}}, sink=SINKS[1][0])
    assert wire.body() == {
        "api": "a",
        "authSession": {"id": "x", "runtimeInput": {}},
        "sink": SINKS[1][0],
    }
    with pytest.raises(unions.package.errors.InvalidArgumentError, match="sink"):
        client.runs.start(api="a", sink={"type": "s3", "bucket": "b"})  # no region
    assert len(wire.requests) == 1


@pytest.mark.parametrize(
    ("pet", "cls"), [({"petType": "cat", "lives": 9}, "Cat"), ({"petType": "dog"}, "Dog")]
)
def test_declared_discriminator_with_mapping(
    unions: Generated, pet: dict[str, Any], cls: str
) -> None:
    holder = unions.models.Holder
    assert holder.model_fields["pet"].discriminator == "pet_type"
    parsed = holder.model_validate({"pet": pet})
    assert type(parsed.pet).__name__ == cls
    assert sent(unions, parsed) == {"pet": pet}
    assert typing.get_args(getattr(unions.models, cls).model_fields["pet_type"].annotation) == (
        pet["petType"],
    )


def test_declared_discriminator_without_mapping_uses_schema_names(unions: Generated) -> None:
    holder = unions.models.Holder
    assert holder.model_fields["shape"].discriminator == "kind"
    assert (
        type(holder.model_validate({"shape": {"kind": "Square", "side": 2}}).shape).__name__
        == "Square"
    )
    with pytest.raises(ValidationError):
        holder.model_validate({"shape": {"kind": "square", "side": 2}})


def test_mapping_may_name_a_branch_several_times(unions: Generated) -> None:
    holder = unions.models.Holder
    for value, cls in (("terrestrial", "Planet"), ("gas_giant", "Planet"), ("moon", "Moon")):
        assert (
            type(holder.model_validate({"body": {"type": value, "name": "x"}}).body).__name__ == cls
        )


def test_optional_tags_with_a_default_still_discriminate(unions: Generated) -> None:
    """pydantic-made specs (Notte's) give the tag a const and a default, not `required`."""
    models = unions.models
    assert models.GotoAction(url="u").type == "goto"  # standalone, the tag stays optional
    # the constant tag is always sent: a server needs it to tell the branches apart
    assert sent(unions, models.GotoAction.model_validate({"url": "u"})) == {
        "url": "u",
        "type": "goto",
    }
    parsed = models.Holder.model_validate(
        {"actions": [{"type": "click", "selector": "#a"}, {"type": "goto", "url": "u"}]}
    )
    assert [type(a).__name__ for a in parsed.actions] == ["ClickAction", "GotoAction"]
    with pytest.raises(ValidationError):  # in the union, OpenAPI says the tag MUST be there
        models.Holder.model_validate({"actions": [{"url": "u"}]})


def test_a_model_built_without_its_tag_still_sends_it(unions: Generated) -> None:
    holder = unions.models.Holder(actions=[unions.models.GotoAction(url="u")])
    assert sent(unions, holder) == {"actions": [{"type": "goto", "url": "u"}]}


def test_plain_union_of_objects_is_ordered_most_specific_first(unions: Generated) -> None:
    holder = unions.models.Holder
    assert [c.__name__ for c in typing.get_args(holder.model_fields["size"].annotation)][:2] == [
        "Big",
        "Small",
    ]
    assert type(holder.model_validate({"size": {"a": 1, "b": 2}}).size).__name__ == "Big"
    assert type(holder.model_validate({"size": {"a": 1}}).size).__name__ == "Small"
    for value, kind in (("x", str), (3, int), ({"a": 1}, unions.models.Small)):
        parsed = holder.model_validate({"mixed": value})
        assert isinstance(parsed.mixed, kind) and sent(unions, parsed) == {"mixed": value}


def test_union_before_its_members_in_the_spec_is_still_resolved(unions: Generated) -> None:
    """`Holder` is the first component and names members defined after it."""
    for field in ("pet", "shape", "body"):
        assert unions.models.Holder.model_fields[field].discriminator is not None


def test_operation_level_discriminated_union_is_a_named_alias(unions: Generated) -> None:
    wire = Wire(answer={"type": "click", "selector": "#go"})
    client = wire.client(unions)
    result = client.actions.execute(body={"type": "goto", "url": "https://example.com"})
    assert isinstance(result, unions.models.ClickAction)
    assert wire.body() == {"type": "goto", "url": "https://example.com"}
    action = TypeAdapter(unions.models.Action)
    assert isinstance(
        action.validate_python({"type": "goto", "url": "u"}), unions.models.GotoAction
    )
    with pytest.raises(ValidationError):
        action.validate_python({"url": "u"})


def test_a_union_body_is_checked_before_sending(unions: Generated) -> None:
    wire = Wire(answer={"type": "click", "selector": "#go"})
    with pytest.raises(unions.package.errors.InvalidArgumentError, match="body=") as caught:
        wire.client(unions).actions.execute(body={"type": "goto"})  # no url
    assert caught.value.argument == "body"
    assert wire.requests == []


# --------------------------------------------------------------------------- allOf, recursion


def test_all_of_merges_properties_and_required(allof: Generated) -> None:
    document = allof.models.Document
    assert list(document.model_fields) == ["id", "name", "created_at", "body"]
    assert {n for n, f in document.model_fields.items() if f.is_required()} == {
        "id",
        "created_at",
        "body",
    }
    assert "A base, a timestamp and a body." in (document.__doc__ or "")
    data = {"id": "d1", "createdAt": "2024-01-01T00:00:00Z", "body": "text"}
    assert round_trip(allof, document, data) == data
    with pytest.raises(ValidationError, match="createdAt"):
        document.model_validate({"id": "d1", "body": "text"})


def test_recursive_schemas(allof: Generated) -> None:
    tree = {
        "value": 1,
        "children": [{"value": 2, "children": [{"value": 3, "parent": None}]}],
        "parent": {"value": 0},
    }
    node = allof.models.Node.model_validate(tree)
    assert node.children[0].children[0].value == 3
    assert round_trip(allof, allof.models.Node, tree) == tree
    book = {"title": "t", "author": {"name": "a", "books": [{"title": "u"}]}}
    assert round_trip(allof, allof.models.Book, book) == book


def test_recursion_through_a_discriminated_union(allof: Generated) -> None:
    expr = {
        "op": "add",
        "left": {"op": "lit", "value": 1},
        "right": {
            "op": "add",
            "left": {"op": "lit", "value": 2},
            "right": {"op": "lit", "value": 3.5},
        },
    }
    parsed = TypeAdapter(allof.models.Expr).validate_python(expr)
    assert isinstance(parsed, allof.models.Add) and isinstance(parsed.right.left, allof.models.Lit)
    assert round_trip(allof, allof.models.Expr, expr) == expr


# --------------------------------------------------------------------------- names, hoisting


def test_odd_component_names_become_valid_distinct_class_names(names: Generated) -> None:
    expected = {
        "Foo-Input": "FooInput",
        "Foo_Input": "FooInput2",
        "Error-2": "Error2",
        "Error2": "Error2Alt",  # never Error22: a second Error2, not a 22nd Error
        "io.k8s.api.Pod": "IoK8sApiPod",
        "class": "Class",
        "BaseModel": "BaseModelModel",
        "None": "NoneModel",
    }
    for class_name in expected.values():
        assert class_name.isidentifier() and not keyword.iskeyword(class_name)
        assert hasattr(names.models, class_name)
    assert len(set(expected.values())) == len(expected)
    assert issubclass(names.models.BaseModelModel, BaseModel)


def test_names_are_deterministic(tmp_path: Path) -> None:
    first = api_of(fixture("names.yaml"), tmp_path / "one").model_names
    assert api_of(fixture("names.yaml"), tmp_path / "two").model_names == first


def test_odd_property_names_keep_their_json_name_as_alias(names: Generated) -> None:
    data = {
        "class": "c",
        "from": "f",
        "model_config": 1,
        "1st": "x",
        "fooBar": "a",
        "foo_bar": 2,
        "self": "s",
        "json": "j",
    }
    model = names.models.FooInput
    parsed = model.model_validate(data)
    assert (parsed.class_, parsed.from_, parsed.model_config_, parsed.field_1st) == (
        "c",
        "f",
        1,
        "x",
    )
    assert (parsed.foo_bar, parsed.foo_bar_1) == ("a", 2)
    assert sent(names, parsed) == data
    assert sent(names, model(class_="c", foo_bar_1=3)) == {
        "class": "c",
        "foo_bar": 3,
    }  # by field name too


def test_inline_objects_are_hoisted_by_title_else_by_path(names: Generated) -> None:
    models = names.models
    for name in (
        "CreateThingRequest",
        "CreateThingRequestConfig",
        "CreateThingRequestConfigOptions",
        "CreateThingRequestLabelsItem",
        "ThingSummary",
        "ThingsError2",  # titled like two components: named from its place (/things)
        "Error2",
        "Error2Alt",  # components Error-2 and Error2: no context, never Error22
    ):
        assert issubclass(getattr(models, name), BaseModel), name
    assert not any(name.startswith("Error2") and name[6:].isdigit() for name in vars(models))
    wire = Wire(answer={"id": "t1"})
    result = wire.client(names).things.create(
        config={"depth": 2, "options": {"verbose": True}}, labels=[{"key": "k"}]
    )
    assert isinstance(result, models.ThingSummary) and result.id == "t1"
    assert wire.body() == {
        "config": {"depth": 2, "options": {"verbose": True}},
        "labels": [{"key": "k"}],
    }


# --------------------------------------------------------------------------- forward compatibility


def test_responses_keep_unknown_fields_and_unknown_enum_values(compat: Generated) -> None:
    job = {"id": "j1", "status": "archived", "state": "paused", "new_field": {"nested": [1, 2]}}
    wire = Wire(answer=job)
    result = wire.client(compat).jobs.get(id="j1")
    assert isinstance(result, compat.models.Job)
    assert (result.status, result.state) == ("archived", "paused")
    assert result.model_extra == {"new_field": {"nested": [1, 2]}}
    assert result.note is None and result.retries is None  # missing optional fields
    assert sent(compat, result) == job
    assert TypeAdapter(compat.models.Status).validate_python("later") == "later"


# --------------------------------------------------------------------------- formats, bounds


FORMATS = {
    "when": "2024-02-29T23:59:59.5+05:30",
    "day": "2024-02-29",
    "ident": "6F9619FF-8B86-D011-B42D-00C04FC964FF",
    "link": "https://example.com/a?b=c",
    "count": 3,
}


def test_formats_parse_to_python_types_and_dump_back(compat: Generated) -> None:
    parsed = compat.models.Formats.model_validate(FORMATS | {"data": "raw text", "ratio": 0.25})
    assert parsed.when == datetime.datetime(
        2024,
        2,
        29,
        23,
        59,
        59,
        500000,
        tzinfo=datetime.timezone(datetime.timedelta(hours=5, minutes=30)),
    )
    assert parsed.day == datetime.date(2024, 2, 29)
    assert (
        parsed.ident == FORMATS["ident"] and parsed.link == FORMATS["link"]
    )  # kept exactly, as sent
    assert parsed.data == b"raw text"
    out = sent(compat, parsed)
    assert out["when"] == "2024-02-29T23:59:59.500000+05:30" and out["day"] == "2024-02-29"
    assert out["data"] == "raw text" and out["ident"] == FORMATS["ident"]


def test_content_media_type_of_raw_content_is_bytes(compat: Generated) -> None:
    """3.1's way to say "a file" (FastAPI's uploads): ``contentMediaType`` without an encoding."""
    fields = compat.models.Formats.model_fields
    assert fields["upload"].annotation == bytes | None
    assert fields["page"].annotation == str | None  # text stays text
    assert fields["thumbnail"].annotation == str | None  # base64 text stays text
    create = next(
        o for r in walk(compat.api.resources) for o in r.operations if o.operation_id == "createJob"
    )
    assert create.body is not None
    assert next(f.annotation for f in create.body.fields if f.json_name == "upload") == "bytes"


def test_byte_format_keeps_any_base64_text(compat: Generated) -> None:
    parsed = compat.models.Formats.model_validate(
        FORMATS | {"encoded": "/w=="}
    )  # the single byte 0xff
    assert sent(compat, parsed)["encoded"] == "/w=="


BAD = [
    ({"count": 0}, "count"),
    ({"count": 11}, "count"),
    ({"ratio": 0}, "ratio"),
    ({"ratio": 1}, "ratio"),
    ({"code": "A"}, "code"),
    ({"code": "abc"}, "code"),
    ({"tags": []}, "tags"),
    ({"scores": {"a": "high"}}, "scores"),
    ({"jobs": {"j": {"id": "j"}}}, "jobs"),
    ({"when": "yesterday"}, "when"),
    ({"day": "2024-02-30"}, "day"),
]


@pytest.mark.parametrize(("change", "field"), BAD, ids=[f for _, f in BAD])
def test_requests_with_wrong_values_fail_in_the_client_before_sending(
    compat: Generated, change: dict[str, Any], field: str
) -> None:
    wire = Wire(answer={"id": "j", "status": "pending", "state": "queued"}, status=201)
    client = wire.client(compat)
    with pytest.raises(compat.package.errors.InvalidArgumentError, match=field) as caught:
        client.jobs.create(**FORMATS | change)
    assert caught.value.argument == field
    assert wire.requests == []


def test_typed_additional_properties(compat: Generated) -> None:
    data = FORMATS | {
        "scores": {"a": 1},
        "jobs": {"j": {"id": "j", "status": "done", "state": "queued"}},
        "anything": {"x": [1, {"y": None}]},
    }
    parsed = compat.models.Formats.model_validate(data)
    assert isinstance(parsed.jobs["j"], compat.models.Job)
    assert round_trip(compat, compat.models.Formats, data) == data | {
        "when": "2024-02-29T23:59:59.500000+05:30"
    }


def test_valid_request_goes_out_with_only_what_was_given(compat: Generated) -> None:
    wire = Wire(answer={"id": "j", "status": "pending", "state": "queued"}, status=201)
    job = wire.client(compat).jobs.create(**FORMATS, scores={"a": 1})
    assert isinstance(job, compat.models.Job)
    assert wire.body() == FORMATS | {"when": "2024-02-29T23:59:59.500000+05:30", "scores": {"a": 1}}


# --------------------------------------------------------------------------- clientgen validate


def _validate(spec: Path, *overlays: Path) -> str:
    args = [
        str(CLIENTGEN),
        "validate",
        str(spec),
        *(a for o in overlays for a in ("--overlay", str(o))),
    ]
    result = subprocess.run(args, capture_output=True, text=True, cwd=ROOT, check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout


def _union_lines(output: str) -> list[str]:
    section = output[output.index("\nUnions:\n") + len("\nUnions:\n") :]
    return [line.strip() for line in section.split("\n\n")[0].splitlines()]


def test_validate_lists_each_union_and_how_it_was_resolved() -> None:
    lines = _union_lines(_validate(FIXTURES / "unions.yaml"))
    body = "/paths/~1runs/post/requestBody/content/application~1json/schema/properties"
    assert lines == [
        "0 nullable (X | None)",
        "/components/schemas/Holder/properties/pet: discriminated on 'petType' (declared)",
        "/components/schemas/Holder/properties/shape: discriminated on 'kind' (declared)",
        "/components/schemas/Holder/properties/actions/items: discriminated on 'type' (declared)",
        "/components/schemas/Holder/properties/body: discriminated on 'type' (declared)",
        "/components/schemas/Holder/properties/size: ordered most specific first: Big, Small",
        "/components/schemas/Holder/properties/mixed: ordered most specific first: Small, str, int",
        (
            f"{body}/authSession: ordered most specific first: RuntimeBasedAuthSessionInput, "
            "CredentialsBasedAuthSessionInput"
        ),
        f"{body}/sink: discriminated on 'type' (implicit)",
        "/paths/~1actions/post/requestBody/content/application~1json/schema: discriminated on 'type' (declared)",
        (
            "/paths/~1actions/post/responses/200/content/application~1json/schema: "
            "discriminated on 'type' (declared)"
        ),
    ]


def test_validate_on_intuned_shows_sink_and_auth_session() -> None:
    lines = _union_lines(
        _validate(ROOT / "specs" / "intuned.yaml", ROOT / "specs" / "intuned.overlay.yaml")
    )
    assert any(
        line.endswith("/properties/sink: discriminated on 'type' (implicit)") for line in lines
    ), lines
    assert any(
        line.endswith(
            "/properties/authSession: ordered most specific first: "
            "RuntimeBasedAuthSessionInput, CredentialsBasedAuthSessionInput"
        )
        for line in lines
    ), lines


def test_validate_counts_nullable_unions() -> None:
    assert _union_lines(_validate(FIXTURES / "nullability.yaml"))[0] == "7 nullable (X | None)"


# --------------------------------------------------------------------------- the normalizer's output


def test_model_schemas_are_plain_json_schema_with_local_refs(tmp_path: Path) -> None:
    """What dmcg sees: JSON-serializable, every $ref names a model, no pending marks left."""
    for name in (
        "nullability.yaml",
        "unions.yaml",
        "allof-recursion.yaml",
        "names.yaml",
        "compat-formats.yaml",
    ):
        api = api_of(fixture(name), tmp_path / name)
        text = json.dumps(api.model_schemas)  # fails on anything that is not JSON
        assert "x-clientgen" not in text
        refs = {r for r in _refs(api.model_schemas)}
        assert refs <= {f"#/components/schemas/{m}" for m in api.model_names}, name


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        if isinstance(node.get("$ref"), str):
            yield node["$ref"]
        for value in node.values():
            yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Generated]:
    yield from _package("shared-properties.yaml", tmp_path_factory)


def test_constraint_only_branches_keep_the_object_and_its_properties(shared: Generated) -> None:
    lookup = shared.models.Lookup
    assert set(lookup.model_fields) == {"email", "phone", "note"}
    parsed = lookup.model_validate({"phone": "+1", "note": "call after 5"})
    assert (parsed.phone, parsed.note, parsed.email) == ("+1", "call after 5", None)


@pytest.mark.parametrize(
    ("pet", "cls", "extra"),
    [
        ({"kind": "dog", "name": "Rex", "barks": True}, "PetDog", ("barks", True)),
        ({"kind": "cat", "name": "Tom", "meows": False}, "PetCat", ("meows", False)),
    ],
)
def test_shared_properties_reach_every_branch_of_the_union(
    shared: Generated, pet: dict[str, Any], cls: str, extra: tuple[str, Any]
) -> None:
    parsed = TypeAdapter(shared.models.Pet).validate_python(pet)
    assert type(parsed).__name__ == cls
    assert parsed.name == pet["name"] and getattr(parsed, extra[0]) == extra[1]
    with pytest.raises(ValidationError):  # the shared required property is required everywhere
        TypeAdapter(shared.models.Pet).validate_python(
            {k: v for k, v in pet.items() if k != "name"}
        )


def test_the_operation_returns_the_merged_branch(shared: Generated) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        assert json.loads(request.content) == {"email": "a@b.c"}
        return httpx.Response(200, json={"kind": "cat", "name": "Tom", "meows": True})

    transport = httpx.MockTransport(handler)
    client = shared.client_class(
        base_url="http://test", http_client=httpx.Client(transport=transport)
    )
    resource = next(iter(walk(shared.api.resources)))
    method = getattr(getattr(client, resource.attr), resource.operations[0].method_name)
    pet = method(email="a@b.c")
    assert type(pet).__name__ == "PetCat" and pet.name == "Tom" and pet.meows is True
