"""Call every operation of a generated client against Prism, with arguments made from the spec.

:func:`sweep` walks the client's resources, makes each operation's required arguments from the
spec (:mod:`tests.clients.sweep_values`) and calls the method through the generated sync
client. Each call ends as one :class:`Outcome`:

* ``parsed``: a 2xx whose body parsed into the declared type (streams, pages and downloads are
  read to the end of what Prism sent);
* ``rejected``: Prism answered 4xx to the request (it validates every request against the
  spec: this is what must never happen);
* ``unparsed``: a 2xx the client could not parse into the declared type;
* ``failed``: anything else the client raised (a bug either way);
* ``unserved``: Prism could not answer: a media type it cannot write, json-schema-faker failing
  on a schema, an answer it made that breaks the spec (its own check, or ours against the
  response schema), HEAD, or Prism dying on its own answer (it is restarted);
* ``skipped``: a required argument could not be made from the spec (the reason is kept), a
  path with a ``#`` fragment (no URL reaches it), a method Prism does not route (``QUERY``).
"""

from __future__ import annotations

import importlib
import inspect
import json
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.ir import Api, Operation, Parameter
from generator.load import LoadedSpec
from generator.render.signatures import walk
from tests.clients.sweep_values import STRICT_FORMATS, CannotMake, Values

OPTIONS = frozenset({"extra_headers", "extra_query", "timeout", "max_retries", "self"})
#: Methods Prism routes (it knows nothing of 3.2's ``query`` or other additional operations).
PRISM_METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})


@dataclass(frozen=True)
class Outcome:
    call: str  # client.resource.method
    result: str  # parsed | rejected | unparsed | failed | unserved | skipped
    detail: str = ""


@dataclass
class Report:
    spec: str
    outcomes: list[Outcome] = field(default_factory=list)

    def count(self, result: str) -> int:
        return sum(1 for o in self.outcomes if o.result == result)

    @property
    def called(self) -> int:
        return len(self.outcomes) - self.count("skipped")

    @property
    def accepted(self) -> int:
        return self.called - self.count("rejected")

    def summary(self) -> str:
        reasons = Counter(_reason(o.detail) for o in self.outcomes if o.result == "skipped")
        why = "; ".join(f"{n} {r}" for r, n in reasons.most_common())
        return (
            f"{self.spec}: {len(self.outcomes)} operations, called {self.called}, "
            f"accepted {self.accepted}, parsed {self.count('parsed')}, "
            f"unparsed {self.count('unparsed')}, failed {self.count('failed')}, "
            f"unserved {self.count('unserved')}, "
            f"skipped {self.count('skipped')}" + (f" ({why})" if why else "")
        )

    def problems(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.result in ("rejected", "unparsed", "failed")]


def _reason(detail: str) -> str:
    return detail.split(":", 1)[0]


@contextmanager
def imported(folder: Path, package: str) -> Iterator[Any]:
    sys.path.insert(0, str(folder))
    try:
        yield importlib.import_module(package)
    finally:
        sys.path.remove(str(folder))


def sweep(
    api: Api,
    package: Any,
    document: dict[str, Any],
    serve: Callable[[], AbstractContextManager[str]],
    spec: str,
) -> Report:
    """Call every operation of ``api`` (generated as ``package``) against what ``serve`` starts.

    Prism can die on an answer of its own (an ``sl-violations`` header it cannot write): the
    call is counted as unserved and a fresh Prism serves the operations after it.
    """
    values = Values(document)
    report = Report(spec)
    client_kwargs = _client_kwargs(api, document, values)
    client_class = getattr(package, api.client_class)
    calls = [
        (path, operation) for path, resource in _resources(api) for operation in resource.operations
    ]
    with ExitStack() as stack:
        client = None
        for path, operation in calls:
            if client is None:
                server = ExitStack()
                stack.callback(server.close)
                url = server.enter_context(serve())
                client = server.enter_context(
                    client_class(base_url=url, max_retries=0, timeout=20.0, **client_kwargs)
                )
            target = client
            for attr in path:
                target = getattr(target, attr)
            name = "client." + ".".join((*path, operation.method_name))
            outcome = _call(target, operation, document, values, name)
            if outcome.result == "failed" and "APIConnectionError" in outcome.detail:
                outcome = Outcome(name, "unserved", "Prism stopped: " + outcome.detail)
                server.close()
                client = None
            report.outcomes.append(outcome)
    return report


def served_document(source: Path, loaded: LoadedSpec, folder: Path) -> Path:
    """What Prism serves: a Swagger 2.0 file as published (Prism reads 2.0 itself, which checks
    our conversion too); any other as loaded (one bundled file), less the references to files
    that do not exist (code samples Prism would refuse to start without; the loader warned).
    Either way every array schema gets the ``items`` it means (:func:`_for_the_faker`)."""
    swagger2 = loaded.original_version == "2.0"  # set only for a converted Swagger 2.0 file
    document = _read(source) if swagger2 else _without_dangling(loaded.document)
    target = folder / (source.stem + ".served.json")
    target.write_text(json.dumps(_for_the_faker(document), default=str), encoding="utf-8")
    return target


def _read(source: Path) -> Any:
    text = source.read_text(encoding="utf-8")
    return json.loads(text) if source.suffix == ".json" else yaml.safe_load(text)


def _for_the_faker(node: Any) -> Any:
    """Every array schema with an ``items`` (``{}`` where it had none, which means the same):
    json-schema-faker fails on an array without one (Lob, Polar's ``prefixItems``, Argo); and
    ``format: uuid`` for ``uuid4`` (Polar), which the faker does not know (it writes v4 UUIDs
    for ``uuid``)."""
    if isinstance(node, list):
        return [_for_the_faker(v) for v in node]
    if not isinstance(node, dict):
        return node
    out = {k: _for_the_faker(v) for k, v in node.items()}
    if out.get("type") == "array" and "items" not in out:
        out["items"] = {}
    if out.get("format") == "uuid4" and out.get("type") == "string":
        out["format"] = "uuid"  # the faker writes version-4 UUIDs for "uuid", any text for this
    return out


def _without_dangling(node: Any) -> Any:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and not ref.startswith("#"):
            return {}
        return {k: _without_dangling(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_without_dangling(v) for v in node]
    return node


def _resources(api: Api) -> Iterator[tuple[tuple[str, ...], Any]]:
    def visit(resource: Any, path: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], Any]]:
        here = (*path, resource.attr)
        yield here, resource
        for child in resource.children:
            yield from visit(child, here)

    for resource in api.resources:
        yield from visit(resource, ())


def _client_kwargs(api: Api, document: dict[str, Any], values: Values) -> dict[str, Any]:
    kwargs: dict[str, Any] = {c.name: "sweep-credential" for c in api.credentials}
    for resource in walk(api.resources):
        for operation in resource.operations:
            for parameter in operation.parameters:
                if parameter.client_param and parameter.client_param not in kwargs:
                    try:
                        schema = _parameter_schema(document, operation, parameter, values)
                        kwargs[parameter.client_param] = values.value(schema)
                    except CannotMake:
                        continue
    return kwargs


def _call(
    target: Any, operation: Operation, document: dict[str, Any], values: Values, name: str
) -> Outcome:
    if operation.http_method.lower() not in PRISM_METHODS:
        return Outcome(name, "skipped", f"method Prism does not route: {operation.http_method}")
    if "#" in operation.path:
        return Outcome(name, "skipped", "path with a fragment: no URL reaches it")
    method = getattr(target, operation.method_name)
    try:
        args, kwargs = _arguments(method, operation, document, values)
    except CannotMake as error:
        return Outcome(name, "skipped", f"argument not made from the spec: {error}")
    module = sys.modules[type(target).__module__]
    errors = importlib.import_module(module.__name__.split(".")[0] + ".errors")
    try:
        result = method(*args, **kwargs)
        _consume(result)
    except errors.APIStatusError as error:
        return _status_outcome(name, error)
    except errors.APIResponseValidationError as error:
        broken = _answer_breaks_spec(error.response, operation, document, values)
        if broken:
            return Outcome(name, "unserved", "Prism's answer breaks the spec: " + broken)
        return Outcome(name, "unparsed", f"{error}"[:400])
    except Exception as error:  # noqa: BLE001 - every other failure is a finding to report
        return Outcome(name, "failed", f"{type(error).__name__}: {error}"[:400])
    return Outcome(name, "parsed")


def _status_outcome(name: str, error: Any) -> Outcome:
    """Prism's 4xx says what it found wrong in ``sl-violations``; a 5xx of its own making (a
    media type it cannot write, an answer it generated against its own spec) is the mock's."""
    violations = error.headers.get("sl-violations")
    if error.response.request.method == "HEAD" and error.status_code >= 500:
        return Outcome(name, "unserved", "Prism cannot answer HEAD (500, no body)")
    if 400 <= error.status_code < 500:
        return Outcome(name, "rejected", f"{error.status_code}: {violations or error.body[:300]}")
    try:
        problem = json.loads(error.body)
    except ValueError:
        problem = {}
    title = str(problem.get("title", "")) if isinstance(problem, dict) else ""
    where = (
        {str(v.get("location", [""])[0]) for v in problem.get("validation", [])}
        if isinstance(problem, dict)
        else set()
    )
    kind = str(problem.get("type", "")) if isinstance(problem, dict) else ""
    if kind.endswith(("#UNKNOWN", "#NO_RESPONSE_RESPONSE_DEFINED", "#NO_COMPLEX_OBJECT_TEXT")):
        return Outcome(name, "unserved", "Prism failed: " + title.split("\n")[0][:160])
    if title.startswith("Cannot find serializer"):
        return Outcome(
            name, "unserved", f"Prism cannot write: {title[len('Cannot find serializer for '):]}"
        )
    if where == {"response"}:
        first = problem["validation"][0]
        at = "/".join(str(p) for p in first.get("location", [])[1:])
        return Outcome(
            name, "unserved", f"Prism's answer breaks its own spec: {at}: {first.get('message')}"
        )
    return Outcome(name, "failed", f"{error.status_code}: {error.body[:300]}")


def _answer_breaks_spec(
    response: Any, operation: Operation, document: dict[str, Any], values: Values
) -> str:
    """Why Prism's 2xx answer is invalid against the response schema the spec declares for it
    (json-schema-faker ignores formats it does not know, such as ``uuid4``), or "" when it is
    valid: then the client was wrong to refuse it."""
    responses = _spec_operation(document, operation, values).get("responses") or {}
    status = str(response.status_code)
    declared = values.resolve(
        responses.get(status) or responses.get(status[0] + "XX") or responses.get("default") or {}
    )
    media_type = response.headers.get("content-type", "").split(";")[0].strip()
    content = values.resolve(declared.get("content") or {})
    media = values.resolve(content.get(media_type) or next(iter(content.values()), {}))
    schema = media.get("schema")
    if schema is None:
        return ""
    try:
        body = json.loads(response.content)
    except ValueError:
        return ""
    try:
        values.check(schema, body, formats=STRICT_FORMATS)
    except CannotMake as error:
        return str(error)
    return ""


def _consume(result: Any) -> None:
    """Read a stream, a page or a download to the end of what Prism sent."""
    if hasattr(result, "__next__") or type(result).__name__ in ("Stream",):
        for _ in result:
            pass
    elif type(result).__name__ == "SyncPage":
        _ = result.items
    elif type(result).__name__ == "BinaryResponse":
        result.read()


def _arguments(
    method: Any, operation: Operation, document: dict[str, Any], values: Values
) -> tuple[list[Any], dict[str, Any]]:
    signature = inspect.signature(method)
    args: list[Any] = []
    kwargs: dict[str, Any] = {}
    by_name = {p.name: p for p in operation.parameters}
    spec_op = _spec_operation(document, operation, values)
    for parameter in signature.parameters.values():
        if parameter.name in OPTIONS:
            continue
        if parameter.default is not inspect.Parameter.empty:
            continue  # only what the call needs
        if parameter.name in by_name:
            schema = _parameter_schema(document, operation, by_name[parameter.name], values)
            made = values.value(schema, nonempty=by_name[parameter.name].location == "path")
        else:
            made = _body_value(operation, parameter.name, spec_op, values)
        if parameter.kind is inspect.Parameter.POSITIONAL_ONLY or (
            parameter.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD
        ):
            args.append(made)
        else:
            kwargs[parameter.name] = made
    body = operation.body
    if (
        body is not None
        and body.required
        and body.fields
        and not any(f.required for f in body.fields)
    ):
        kwargs.update(_one_field(operation, spec_op, values))
    return args, kwargs


def _one_field(operation: Operation, spec_op: dict[str, Any], values: Values) -> dict[str, Any]:
    """One optional field of a required body none of whose fields is required: a form or
    multipart body needs at least one part to exist at all (Lob's campaign update)."""
    assert operation.body is not None
    for field_ in operation.body.fields:
        try:
            return {field_.name: _body_value(operation, field_.name, spec_op, values)}
        except CannotMake:
            continue
    return {}


def _spec_operation(
    document: dict[str, Any], operation: Operation, values: Values
) -> dict[str, Any]:
    item = values.resolve(document["paths"][operation.path])
    method = operation.http_method.lower()
    found = item.get(method) or (item.get("additionalOperations") or {}).get(operation.http_method)
    return found if isinstance(found, dict) else {}


def _parameter_schema(
    document: dict[str, Any], operation: Operation, parameter: Parameter, values: Values
) -> Any:
    item = values.resolve(document["paths"][operation.path])
    declared = [
        *(item.get("parameters") or []),
        *(_spec_operation(document, operation, values).get("parameters") or []),
    ]
    for candidate in reversed(declared):
        resolved = values.resolve(candidate)
        if resolved.get("name") == parameter.json_name and resolved.get("in") == (
            parameter.location
        ):
            if "schema" in resolved:
                return resolved["schema"]
            for media in (resolved.get("content") or {}).values():
                return media.get("schema", {})
            return {}
    raise CannotMake(f"parameter {parameter.json_name} not found in the spec")


def _body_value(operation: Operation, name: str, spec_op: dict[str, Any], values: Values) -> Any:
    body = operation.body
    if body is None:
        raise CannotMake(f"argument {name} is neither a parameter nor a body")
    request = values.resolve(spec_op.get("requestBody") or {})
    media = values.resolve(values.resolve(request.get("content") or {}).get(body.media_type) or {})
    schema = media.get("schema", {})
    if body.fields:
        field_ = next((f for f in body.fields if f.name == name), None)
        if field_ is None:
            raise CannotMake(f"argument {name} is not a body field")
        merged = values.resolve(schema)
        if isinstance(merged, dict) and "allOf" in merged:
            merged = values.merged(merged)
        sub = (merged.get("properties") or {}).get(field_.json_name, {})
        made = values.value(sub)
        return made
    if body.encoding == "binary" or body.media_type == "application/octet-stream":
        return b"hello"
    return values.value(schema)


def outcomes_json(report: Report) -> str:
    return json.dumps([o.__dict__ for o in report.outcomes], indent=1)
