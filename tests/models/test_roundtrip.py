"""Round trips through the generated models, for every schema of real specs.

For each component schema of the full Notte spec (when ``../shared/corpus`` is there) and of
every spec in ``specs/``, and for each operation's JSON request body and 2xx response that is
more than a ``$ref`` to a component (Intuned has only those), hypothesis-jsonschema generates
valid instances of the spec's ORIGINAL schema (refs resolved, OpenAPI-isms translated:
``tests/fixtures/normalize/jsonschema.py``).
Each instance is parsed the way the runtime parses a response (``TypeAdapter.validate_json``
on the generated class), dumped the way the runtime sends a model (``to_jsonable``: by alias,
only the fields set, JSON mode), and must come back equal: modulo declared defaults (a
default may appear) and equivalent representations (1 vs 1.0, the same instant written
differently). Wherever a discriminated union parsed a value, the branch must be the one the
spec's discriminator names for the value's tag.

Schemas hypothesis-jsonschema cannot generate for are skipped one by one with the reason, and
``test_few_schemas_are_skipped`` keeps their number small. ``ROUNDTRIP_EXAMPLES`` (default 25)
sets the examples per schema; the runs are derandomized so CI is repeatable
(``ROUNDTRIP_RANDOM=1`` explores new ones).
"""

from __future__ import annotations

import datetime
import importlib
import json
import os
import sys
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import HypothesisException
from hypothesis_jsonschema import from_schema
from pydantic import BaseModel, RootModel, TypeAdapter

from generator.config import ClientConfig, client_config
from generator.ir import Api
from generator.load import load_spec
from generator.normalize.operations import HTTP_METHODS
from generator.normalize.refs import RefResolver
from generator.normalize.schemas import SchemaNormalizer
from generator.pipeline import generate_files
from generator.render.signatures import walk
from generator.write import write_package
from tests.fixtures.normalize.jsonschema import COMPONENTS, CUSTOM_FORMATS, json_schema

#: The classes of each union the spec discriminates ➜ its tag property, and each tag value ➜ the
#: class it names.
Tags = dict[frozenset[str], tuple[str, dict[str, str]]]

ROOT = Path(__file__).resolve().parents[2]
NOTTE_FULL = ROOT.parent / "shared" / "corpus" / "notte-full-openapi.json"
EXAMPLES = int(os.environ.get("ROUNDTRIP_EXAMPLES", "25"))
RANDOM = os.environ.get("ROUNDTRIP_RANDOM") == "1"
#: Schemas that may be skipped in all (hypothesis-jsonschema's limits); none are today.
MAX_SKIPPED = 5


@dataclass(frozen=True)
class Source:
    name: str  # the package is ``<name>_rt``
    spec: Path
    overlays: tuple[Path, ...] = ()


def _sources() -> list[Source]:
    sources = []
    if NOTTE_FULL.is_file():
        sources.append(Source("notte_full", NOTTE_FULL))
    for spec in sorted((ROOT / "specs").glob("*.yaml")):
        if spec.name.endswith(".overlay.yaml"):
            continue
        overlay = spec.with_name(spec.stem + ".overlay.yaml")
        sources.append(Source(spec.stem, spec, (overlay,) if overlay.exists() else ()))
    return sources


SOURCES = _sources()


@dataclass(frozen=True)
class Case:
    """One schema of a spec: a component, or an operation's JSON request body or 2xx response."""

    source: Source
    component: str | None = None
    path: str = ""
    method: str = ""
    status: str | None = None  # a response; None with a path: the request body

    @property
    def id(self) -> str:
        if self.component is not None:
            return f"{self.source.name}:{self.component}"
        what = f"response {self.status}" if self.status else "request"
        return f"{self.source.name}:{self.method.upper()} {self.path} {what}"


def _cases(source: Source) -> list[Case]:
    document = load_spec(source.spec, source.overlays).document
    cases = [Case(source, key) for key in (document.get("components") or {}).get("schemas") or {}]
    for path, item in (document.get("paths") or {}).items():
        for method, operation in item.items():
            if not isinstance(operation, dict) or method not in HTTP_METHODS:
                continue
            if _json_schema_of(document, operation.get("requestBody")) is not None:
                cases.append(Case(source, None, path, method))
            for status, response in (operation.get("responses") or {}).items():
                if str(status).startswith("2") and _json_schema_of(document, response) is not None:
                    cases.append(Case(source, None, path, method, str(status)))
    return cases


def _json_schema_of(document: dict[str, Any], holder: Any, *, plain_refs: bool = False) -> Any:
    """The JSON media type's schema of a request body or response (refs followed), if any.

    Unless ``plain_refs``, a schema that only names a component is left to that component's case.
    """
    resolver = RefResolver(document, "spec")
    holder = resolver.deref(holder, "")
    content = holder.get("content") if isinstance(holder, dict) else None
    for media_type, media in (content or {}).items():
        if media_type.split(";")[0].strip() == "application/json" and isinstance(media, dict):
            schema = media.get("schema")
            if schema in (None, {}, True) or (not plain_refs and set(schema) == {"$ref"}):
                return None
            return schema
    return None


CASES = [case for source in SOURCES for case in _cases(source)]


@dataclass
class Built:
    """One generated package and what the checks need to know about its spec."""

    source: Source
    document: dict[str, Any]
    api: Api
    models: ModuleType
    to_jsonable: Any
    class_names: dict[str, str]  # component key -> class name
    defaults: set[tuple[str, str]]  # (property, JSON of its declared default)
    tags: Tags

    def target(self, case: Case) -> tuple[Any, Any]:
        """The case's original schema and the annotation the generated code parses it with."""
        if case.component is not None:
            schema = {"$ref": COMPONENTS + case.component}
            return schema, getattr(self.models, self.class_names[case.component])
        operation = self.document["paths"][case.path][case.method]
        op = next(
            o
            for r in walk(self.api.resources)
            for o in r.operations
            if o.path == case.path and o.http_method == case.method.upper()
        )
        if case.status is None:
            assert op.body is not None
            schema = _json_schema_of(self.document, operation["requestBody"], plain_refs=True)
            annotation = op.body.model or op.body.annotation.replace(" | Mapping[str, Any]", "")
        else:
            schema = _json_schema_of(
                self.document, operation["responses"][case.status], plain_refs=True
            )
            annotation = op.result
        return schema, eval(
            annotation, {"Any": Any, **vars(self.models)}
        )  # names the normalizer made


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Built]]:
    root = tmp_path_factory.mktemp("roundtrip")
    packages: dict[str, Built] = {}
    folders: list[str] = []
    try:
        for source in SOURCES:
            generated = generate_files(_config(source, root / source.name))
            write_package(root / source.name, generated.files)
            folders.append(str(root / source.name))
            sys.path.insert(0, folders[-1])
            packages[source.name] = _load(source, generated.api)
        yield packages
    finally:
        for folder in folders:
            sys.path.remove(folder)
        for name in [n for n in sys.modules if n.split(".")[0].endswith("_rt")]:
            del sys.modules[name]


def _config(source: Source, folder: Path) -> ClientConfig:
    return client_config(
        source.spec,
        output=folder,
        package=f"{source.name}_rt",
        version="0.1.0",
        overlays=source.overlays,
    )


def _load(source: Source, api: Api) -> Built:
    package = f"{source.name}_rt"
    models = importlib.import_module(f"{package}.models")
    encoding = importlib.import_module(f"{package}._encoding")
    document = load_spec(source.spec, source.overlays).document
    names = SchemaNormalizer(
        RefResolver(document, str(source.spec)), str(source.spec)
    ).component_names
    return Built(
        source,
        document,
        api,
        models,
        encoding.to_jsonable,
        names,
        _declared_defaults(document),
        _declared_tags(document, names),
    )


# --------------------------------------------------------------------------- what the spec says


def _walk(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for item in node:
            yield from _walk(item)


def _declared_defaults(document: dict[str, Any]) -> set[tuple[str, str]]:
    """Every (property, default) the spec declares: such a key may appear in a dump."""
    out = set()
    for node in _walk(document.get("components", {})):
        for prop, sub in (
            (node.get("properties") or {}).items()
            if isinstance(node.get("properties"), dict)
            else ()
        ):
            if isinstance(sub, dict) and "default" in sub:
                out.add((prop, json.dumps(sub["default"], sort_keys=True)))
    return out


def _declared_tags(document: dict[str, Any], names: dict[str, str]) -> Tags:
    """For each declared discriminator: its branches' classes ➜ (property, tag value ➜ class)."""
    out: Tags = {}
    components = document.get("components", {}).get("schemas", {})
    for node in _walk(document):
        discriminator = node.get("discriminator")
        branches = node.get("oneOf") or node.get("anyOf")
        if not isinstance(discriminator, dict) or not isinstance(branches, list):
            continue
        prop = discriminator.get("propertyName")
        keys = [
            b["$ref"][len(COMPONENTS) :] for b in branches if isinstance(b, dict) and "$ref" in b
        ]
        classes = frozenset(names[k] for k in keys if k in names)
        mapping = discriminator.get("mapping") or {}
        named = out.setdefault(classes, (str(prop), {}))[1]
        for key in keys:
            values = [v for v, target in mapping.items() if target in (COMPONENTS + key, key)]
            pinned = (components.get(key, {}).get("properties") or {}).get(prop, {})
            if not values:
                values = (
                    [pinned["const"]] if "const" in pinned else list(pinned.get("enum") or [key])
                )
            for value in values:
                named[str(value)] = names[key]
    return out


# --------------------------------------------------------------------------- the property


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_schema_round_trips(built: dict[str, Built], case: Case) -> None:
    package = built[case.source.name]
    schema, target = package.target(case)
    generated = json_schema(package.document, schema)
    reason = skip_reason(generated)
    if reason is not None:
        pytest.skip(reason)
    adapter: TypeAdapter[Any] = TypeAdapter(target)

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=not RANDOM,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(from_schema(generated, custom_formats=CUSTOM_FORMATS))
    def round_trip(instance: Any) -> None:
        parsed = adapter.validate_json(json.dumps(instance))
        dumped = package.to_jsonable(parsed)
        assert_equivalent(without_read_only(parsed, instance), dumped, package.defaults)
        check_discriminated(target, parsed, instance, package.tags)

    round_trip()


def without_read_only(value: Any, data: Any) -> Any:
    """``data`` (what ``value`` was parsed from) less the properties its models mark readOnly:
    a request made from a model never carries them (``_encoding._with_tags``)."""
    if isinstance(value, RootModel):
        return without_read_only(value.root, data)
    if isinstance(value, BaseModel) and isinstance(data, dict):
        out = dict(data)
        for name, field in type(value).model_fields.items():
            key = field.alias or name
            extra = field.json_schema_extra
            if isinstance(extra, dict) and extra.get("readOnly") is True:
                out.pop(key, None)
            elif key in out:
                out[key] = without_read_only(getattr(value, name), out[key])
        return out
    if isinstance(value, (list, tuple)) and isinstance(data, list):
        return [without_read_only(v, d) for v, d in zip(value, data)]
    if isinstance(value, dict) and isinstance(data, dict):
        return {k: without_read_only(value[k], d) if k in value else d for k, d in data.items()}
    return data


def skip_reason(schema: dict[str, Any]) -> str | None:
    """Why hypothesis-jsonschema cannot generate instances of ``schema`` (None: it can)."""
    try:
        from_schema(schema, custom_formats=CUSTOM_FORMATS).validate()
    except (HypothesisException, RecursionError) as exc:  # recursive refs, unsatisfiable, ...
        return f"hypothesis-jsonschema: {type(exc).__name__}: {str(exc).splitlines()[0][:160]}"
    return None


def test_few_schemas_are_skipped(built: dict[str, Built]) -> None:
    skipped = {}
    for case in CASES:
        package = built[case.source.name]
        reason = skip_reason(json_schema(package.document, package.target(case)[0]))
        if reason is not None:
            skipped[case.id] = reason
    print(f"\n{len(CASES)} schemas, {len(skipped)} skipped:")
    for case_id, reason in skipped.items():
        print(f"  {case_id}: {reason}")
    assert len(skipped) <= MAX_SKIPPED, skipped


def test_every_spec_is_covered() -> None:
    covered = {case.source.name for case in CASES}
    assert {"aimable", "autotab", "intuned", "notte", "ziet"} <= covered
    assert len(CASES) >= (170 if NOTTE_FULL.is_file() else 15)
    if not NOTTE_FULL.is_file():
        pytest.skip("../shared/corpus/notte-full-openapi.json is not beside the repository")


# --------------------------------------------------------------------------- equivalence


def assert_equivalent(sent: Any, back: Any, defaults: set[tuple[str, str]], path: str = "") -> None:
    """``back`` says the same as ``sent``: same keys (plus declared defaults), same values."""
    where = path or "/"
    if isinstance(sent, dict):
        assert isinstance(back, dict), f"{where}: {back!r} is not an object"
        for key, value in sent.items():
            assert key in back, f"{where}: {key!r} was dropped (dump: {back!r})"
            assert_equivalent(value, back[key], defaults, f"{path}/{key}")
        for key in back.keys() - sent.keys():
            assert (
                key,
                json.dumps(back[key], sort_keys=True),
            ) in defaults, f"{where}: {key!r} = {back[key]!r} was added and is no declared default"
    elif isinstance(sent, list):
        assert isinstance(back, list) and len(back) == len(sent), f"{where}: {back!r} != {sent!r}"
        for index, (a, b) in enumerate(zip(sent, back)):
            assert_equivalent(a, b, defaults, f"{path}/{index}")
    elif isinstance(sent, bool) or sent is None:
        assert back is sent, f"{where}: {back!r} != {sent!r}"
    elif isinstance(sent, (int, float)):
        assert isinstance(back, (int, float)) and not isinstance(
            back, bool
        ), f"{where}: {back!r} != {sent!r}"
        assert float(back) == float(sent), f"{where}: {back!r} != {sent!r}"
    elif isinstance(sent, str):
        assert isinstance(back, str), f"{where}: {back!r} != {sent!r}"
        assert back == sent or _same_moment(sent, back), f"{where}: {back!r} != {sent!r}"
    else:
        raise AssertionError(f"{where}: unexpected JSON value {sent!r}")


def _same_moment(a: str, b: str) -> bool:
    """The same date, or the same local time with the same UTC offset, written differently."""
    for parse in (_datetime, datetime.date.fromisoformat):
        try:
            x, y = parse(a), parse(b)
        except ValueError:
            continue
        if isinstance(x, datetime.datetime) and isinstance(y, datetime.datetime):
            return (x.replace(tzinfo=None), x.utcoffset()) == (
                y.replace(tzinfo=None),
                y.utcoffset(),
            )
        return x == y
    return False


def _datetime(text: str) -> datetime.datetime:
    if len(text) < 11 or text[10] not in "Tt ":
        raise ValueError(text)
    return datetime.datetime.fromisoformat(text.upper().replace("Z", "+00:00"))


# --------------------------------------------------------------------------- discriminators


def check_discriminated(
    annotation: Any, parsed: Any, sent: Any, tags: Tags, discriminator: Any = None
) -> None:
    """Every value a discriminated union parsed is of the class the spec names for its tag.

    A union the spec discriminates may be a plain union in the models (a tag optional in a
    branch: pydantic's discriminator would make it required; one branch: no union at all);
    the class it parsed is checked against the tag all the same. Walks the annotation (type aliases, ``Annotated``, unions, lists, dicts, model fields)
    beside the parsed value and the JSON it came from.
    """
    annotation, found = _unwrap(annotation)
    discriminator = discriminator or found
    if parsed is None or sent is None:
        return
    members = frozenset(_model_names(annotation))
    if discriminator is not None:
        _check_branch(parsed, sent, members, str(discriminator), tags)
    elif isinstance(parsed, BaseModel) and members in tags and isinstance(sent, dict):
        prop, named = tags[members]
        expected = named.get(str(sent.get(prop)))
        assert expected in (None, type(parsed).__name__), (
            f"tag {sent.get(prop)!r} chose {type(parsed).__name__}, not {expected}"
            f" (a plain union of {sorted(members)})"
        )
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        member = next((m for m in typing.get_args(annotation) if _accepts(m, parsed)), None)
        if member is not None:
            check_discriminated(member, parsed, sent, tags)
    elif isinstance(parsed, BaseModel) and isinstance(sent, dict):
        for name, info in type(parsed).model_fields.items():
            key = info.alias or name
            if key in sent:
                check_discriminated(
                    info.annotation, getattr(parsed, name), sent[key], tags, info.discriminator
                )
    elif isinstance(parsed, list) and isinstance(sent, list) and typing.get_args(annotation):
        for item, raw in zip(parsed, sent):
            check_discriminated(typing.get_args(annotation)[0], item, raw, tags)
    elif (
        isinstance(parsed, dict)
        and isinstance(sent, dict)
        and len(typing.get_args(annotation)) == 2
    ):
        for key, item in parsed.items():
            check_discriminated(typing.get_args(annotation)[1], item, sent.get(key), tags)


def _unwrap(annotation: Any) -> tuple[Any, Any]:
    """``annotation`` without type aliases and ``Annotated``, and the discriminator they name."""
    discriminator = None
    while True:
        if hasattr(annotation, "__value__") and not isinstance(annotation, type):  # TypeAliasType
            annotation = annotation.__value__
        elif typing.get_origin(annotation) is typing.Annotated:
            for meta in annotation.__metadata__:
                discriminator = getattr(meta, "discriminator", None) or discriminator
            annotation = typing.get_args(annotation)[0]
        else:
            return annotation, discriminator


def _accepts(member: Any, parsed: Any) -> bool:
    """Whether ``parsed`` has the shape of the union member ``member``: its model class, or a
    list (map) whose every item (value) has the shape of its items (values), or a scalar."""
    member, _ = _unwrap(member)
    origin = typing.get_origin(member)
    args = typing.get_args(member)
    if member is Any:
        return True
    if origin in (typing.Union, types.UnionType):
        return any(_accepts(m, parsed) for m in args)
    if isinstance(member, type) and issubclass(member, BaseModel):
        return isinstance(parsed, member)
    if origin is list:
        return isinstance(parsed, list) and all(_accepts(args[0], i) for i in parsed if args)
    if origin is dict:
        return isinstance(parsed, dict) and all(
            _accepts(args[1], v) for v in parsed.values() if len(args) == 2
        )
    return not isinstance(parsed, (BaseModel, list, dict))


def _check_branch(item: Any, sent: Any, members: frozenset[str], field: str, tags: Tags) -> None:
    assert isinstance(item, BaseModel), f"a discriminated union parsed {item!r}"
    fields = type(item).model_fields
    info = fields.get(field) or next(i for n, i in fields.items() if i.alias == field)
    tag = sent.get(info.alias or field) if isinstance(sent, dict) else None
    expected = tags.get(members, ("", {}))[1].get(str(tag))
    if expected is None:  # an implicit discriminator: the branch whose literal holds the tag
        assert tag in typing.get_args(
            info.annotation
        ), f"{type(item).__name__} does not carry the tag {tag!r}"
    else:
        assert (
            type(item).__name__ == expected
        ), f"tag {tag!r} chose {type(item).__name__}, not {expected}"


def _model_names(annotation: Any) -> Iterator[str]:
    annotation, _ = _unwrap(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation.__name__
    for arg in typing.get_args(annotation):
        yield from _model_names(arg)
