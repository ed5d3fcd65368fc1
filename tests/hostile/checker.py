"""Runs inside a fresh interpreter: import each generated hostile package, use it, check it.

``python checker.py JOBS.json RESULTS.json`` where JOBS lists ``{"id", "folder", "package",
"kwargs", "checks", "marker"}``. For each package: import every module, build the sync and the
async client against a loopback server that records what it receives, call one operation
with arguments made from its annotations, run the case's checks (see ``cases.py``), and
look for the payload's marker file after each step. RESULTS maps each id to a list of
failures (empty when the case passed).
"""

from __future__ import annotations

import ast
import functools
import asyncio
import datetime
import importlib
import inspect
import json
import math
import os
import sys
import threading
import tomllib
import traceback
import typing
import unicodedata
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import parse_qsl, urlsplit

STRING_ARGUMENT = "../v?#&=%"
"""Every required ``str`` argument: a value that must stay inside its path segment or query value."""


class Recorder(BaseHTTPRequestHandler):
    requests: list[dict[str, Any]] = []

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        Recorder.requests.append(
            {
                "line": self.requestline,
                "path": self.path,
                "headers": list(self.headers.items()),
                "body": body,
            }
        )
        payload = b"{}"
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = do_TRACE = _serve

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


def resolve(package: ModuleType, target: str, state: dict[str, Any]) -> Any:
    if target == "":
        return package
    if target == "@method":
        return state["method"]
    if target == "@client":
        return state["client_class"]
    module_name, _, rest = target.partition(".")
    obj: Any = importlib.import_module(f"{package.__name__}.{module_name}")
    for part in rest.split(".") if rest else []:
        obj = getattr(obj, part)
    return obj


def literal_args(annotation: Any) -> list[Any]:
    """Every value of every ``Literal`` inside an annotation (unions, Annotated, Optional)."""
    if typing.get_origin(annotation) is typing.Literal:
        return list(typing.get_args(annotation))
    values: list[Any] = []
    for arg in typing.get_args(annotation):
        values += literal_args(arg)
    return values


def sample(annotation: Any) -> Any:
    """An argument value of type ``annotation``."""
    origin = typing.get_origin(annotation)
    if origin is typing.Literal:
        return typing.get_args(annotation)[0]
    if origin is typing.Annotated:
        return sample(typing.get_args(annotation)[0])
    if origin in (typing.Union, getattr(__import__("types"), "UnionType")):
        choices = [a for a in typing.get_args(annotation) if a is not type(None)]
        plain = [a for a in choices if getattr(a, "__name__", "") not in ("NotGiven",)]
        return sample((plain or choices)[0])
    if origin in (list, tuple, set):
        return []
    if origin is dict or annotation is dict:
        return {}
    if annotation is str or annotation is Any:
        return STRING_ARGUMENT
    if annotation is bool:
        return True
    if annotation is int:
        return 1
    if annotation is float:
        return 1.5
    if annotation is bytes:
        return b"x"
    if annotation is datetime.datetime:
        return datetime.datetime(2020, 1, 1, tzinfo=datetime.timezone.utc)
    if annotation is datetime.date:
        return datetime.date(2020, 1, 1)
    return {}  # a model, or a mapping: generated methods accept a plain dict for either


def methods(resource: Any) -> list[tuple[Any, str]]:
    """(resource, method name) of every operation under ``resource``, nested ones included."""
    found = []
    for name, value in vars(type(resource)).items():
        if inspect.isfunction(value) and not name.startswith("_"):
            found.append((resource, name))
        elif isinstance(value, property) and name != "with_raw_response":
            found += methods(getattr(resource, name))
    return found


def client_methods(client: Any) -> list[tuple[Any, str]]:
    found = []
    for name, value in vars(type(client)).items():
        if isinstance(value, (property, functools.cached_property)):  # the resources
            found += methods(getattr(client, name))
    return found


def arguments(function: Any) -> dict[str, Any]:
    hints = typing.get_type_hints(function, include_extras=True)
    return {
        name: sample(hints[name])
        for name, parameter in inspect.signature(function).parameters.items()
        if name != "self" and parameter.default is inspect.Parameter.empty
    }


def field_docstrings(source: str, model: str) -> dict[str, str]:
    """alias (or field name) ➜ the docstring that follows the field in the class body."""
    tree = ast.parse(source)
    docs: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name == model:
            body = node.body
            for statement, following in zip(body, body[1:]):
                if not isinstance(statement, ast.AnnAssign) or not isinstance(following, ast.Expr):
                    continue
                if not isinstance(following.value, ast.Constant) or not isinstance(
                    following.value.value, str
                ):
                    continue
                name = statement.target.id if isinstance(statement.target, ast.Name) else ""
                for call in ast.walk(statement):
                    if isinstance(call, ast.Call):
                        for keyword in call.keywords:
                            if keyword.arg == "alias" and isinstance(keyword.value, ast.Constant):
                                name = keyword.value.value
                docs[name] = inspect.cleandoc(following.value.value)
    return docs


def folded(text: str) -> str:
    return " ".join(text.split())


def same(a: Any, b: Any) -> bool:
    """Equality that also compares types (7 is not 7.0, True is not 1) and accepts NaN."""
    return json.dumps(a, sort_keys=True, default=repr) == json.dumps(
        b, sort_keys=True, default=repr
    )


def check(package: ModuleType, folder: Path, spec: list[Any], state: dict[str, Any]) -> str | None:
    kind, *args = spec
    if kind == "doc_startswith":
        doc = resolve(package, args[0], state).__doc__ or ""
        return (
            None
            if doc.startswith(args[1])
            else f"docstring {doc[:300]!r} does not start with {args[1]!r}"
        )
    if kind == "doc_equals":
        doc = inspect.cleandoc(resolve(package, args[0], state).__doc__ or "")
        return None if doc == args[1] else f"docstring {doc!r} is not {args[1]!r}"
    if kind == "doc_contains":
        doc = resolve(package, args[0], state).__doc__ or ""
        return None if folded(args[1]) in folded(doc) else f"docstring {doc!r} lacks {args[1]!r}"
    if kind == "equals":
        value = resolve(package, args[0], state)
        return None if value == args[1] else f"{args[0]} is {value!r}, not {args[1]!r}"
    if kind == "roundtrip":
        model = resolve(package, args[0], state)
        instance = model.model_validate(args[1])
        dumped = instance.model_dump(by_alias=True, exclude_unset=True, mode="json")
        if instance.model_extra:
            return f"{args[0]} has no field for {sorted(instance.model_extra)!r}"
        return (
            None
            if same(dumped, args[1])
            else f"{args[0]} round trip gave {dumped!r}, not {args[1]!r}"
        )
    if kind == "literal":
        model = resolve(package, args[0], state)
        fields = {f.alias or name: f for name, f in model.model_fields.items()}
        values = literal_args(fields[args[1]].annotation)
        return (
            None
            if same(sorted(map(repr, values)), sorted(map(repr, args[2])))
            else (f"{args[0]}.{args[1]} literal values {values!r}, not {args[2]!r}")
        )
    if kind == "param_literal":
        hints = typing.get_type_hints(state["method"], include_extras=True)
        found = [literal_args(h) for h in hints.values()]
        wanted = sorted(map(repr, args[0]))
        return (
            None
            if any(sorted(map(repr, v)) == wanted for v in found)
            else f"no parameter is Literal{args[0]!r}: {found!r}"
        )
    if kind == "default":
        model = resolve(package, args[0], state)
        value = model().model_dump(by_alias=True)[args[1]]
        ok = same(value, args[2]) or (
            isinstance(value, float) and math.isinf(value) and value == args[2]
        )
        return None if ok else f"default of {args[0]}.{args[1]} is {value!r}, not {args[2]!r}"
    if kind == "field_doc":
        model = args[0].rpartition(".")[2]
        source = (folder / package.__name__ / "models.py").read_text(encoding="utf-8")
        doc = field_docstrings(source, model).get(args[1])
        return (
            None
            if doc == args[2]
            else f"docstring of {model}.{args[1]} is {doc!r}, not {args[2]!r}"
        )
    if kind == "endpoint_path":
        endpoint_type = importlib.import_module(f"{package.__name__}._endpoint").Endpoint
        paths = [
            value.path
            for name, module in list(sys.modules.items())
            if name.startswith(f"{package.__name__}.resources.")
            for value in vars(module).values()
            if isinstance(value, endpoint_type)
        ]
        return None if args[0] in paths else f"no endpoint has path {args[0]!r}: {paths!r}"
    if kind == "query_has":
        request = state.get("request")
        if request is None:
            return "no request was sent"
        pairs = parse_qsl(urlsplit(request["path"]).query, keep_blank_values=True)
        return (
            None
            if (args[0], args[1]) in pairs
            else f"query {pairs!r} lacks {args[0]!r}={args[1]!r}"
        )
    if kind == "header":
        request = state.get("request")
        if request is None:
            return "no request was sent"
        values = [v for k, v in request["headers"] if k.lower() == args[0].lower()]
        return None if values == [args[1]] else f"header {args[0]!r} is {values!r}, not {args[1]!r}"
    if kind == "scheme_attr":
        schemes = importlib.import_module(f"{package.__name__}._client")._SCHEMES
        value = getattr(schemes[args[0]], args[1])
        value = list(value) if isinstance(value, tuple) else value
        return (
            None
            if value == args[2]
            else f"scheme {args[0]}.{args[1]} is {value!r}, not {args[2]!r}"
        )
    if kind == "toml":
        data: Any = tomllib.loads((folder / "pyproject.toml").read_text(encoding="utf-8"))
        for key in args[0]:
            data = data[key]
        return (
            None
            if data == args[1]
            else f"pyproject {'.'.join(args[0])} is {data!r}, not {args[1]!r}"
        )
    if kind == "readme_lacks":
        readme = (folder / "README.md").read_text(encoding="utf-8")
        return None if args[0] not in readme else f"README.md contains {args[0]!r}"
    if kind == "methods":
        count = len(state["methods"])
        return (
            None
            if count == args[0]
            else f"{count} operation methods, not {args[0]}: {state['methods']!r}"
        )
    return f"unknown check {kind!r}"


def unsafe_characters(text: str) -> set[str]:
    return {
        ch
        for ch in set(text)
        if ch not in "\n\t"
        and (not ch.isprintable() or unicodedata.category(ch) in ("Cf", "Co", "Cs"))
    }


def static_checks(folder: Path, package: str) -> list[str]:
    """Every Python file: no raw invisible character, ASCII identifiers only."""
    failures = []
    for path in sorted((folder / package).rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        hidden = unsafe_characters(source)
        if hidden:
            failures.append(f"{path.relative_to(folder)} holds raw {sorted(hidden)!r}")
        for node in ast.walk(ast.parse(source)):
            name = (
                getattr(node, "name", None)
                or getattr(node, "id", None)
                or getattr(node, "arg", None)
            )
            if isinstance(name, str) and not name.isascii():
                failures.append(f"{path.relative_to(folder)}: non-ASCII identifier {name!r}")
    tomllib.loads((folder / "pyproject.toml").read_text(encoding="utf-8"))
    return failures


def run_case(job: dict[str, Any], base_url: str) -> list[str]:
    folder, name, marker = Path(job["folder"]), job["package"], Path(job["marker"])
    failures: list[str] = []
    sys.path.insert(0, str(folder))
    state: dict[str, Any] = {}
    try:
        failures += static_checks(folder, name)
        package = importlib.import_module(name)
        for path in sorted((folder / name).rglob("*.py")):
            module = ".".join(path.relative_to(folder).with_suffix("").parts)
            importlib.import_module(module.removesuffix(".__init__"))
        if marker.exists():
            return [*failures, "the payload ran on import"]
        errors = importlib.import_module(f"{name}.errors")
        client_class = getattr(package, package.__all__[0])
        async_class = getattr(package, package.__all__[1])
        state["client_class"] = client_class
        client = client_class(base_url=base_url, **job["kwargs"])
        found = client_methods(client)
        state["methods"] = sorted({f"{type(r).__name__}.{m}" for r, m in found})
        if found:
            resource, method_name = found[0]
            method = getattr(resource, method_name)
            state["method"] = method
            args = arguments(method)
            Recorder.requests.clear()
            try:
                method(**args)
            except (errors.APIError, ValueError):
                pass
            state["request"] = Recorder.requests[-1] if Recorder.requests else None

            async def call_async() -> None:
                async with async_class(base_url=base_url, **job["kwargs"]) as async_client:
                    async_resource, _ = client_methods(async_client)[0]
                    try:
                        await getattr(async_resource, method_name)(**args)
                    except (errors.APIError, ValueError):
                        pass

            asyncio.run(call_async())
        client.close()
        if marker.exists():
            return [*failures, "the payload ran when the client was used"]
        for spec in job["checks"]:
            try:
                failure = check(package, folder, spec, state)
            except Exception as exc:  # a check that cannot even run is a failure of the case
                failure = f"check {spec[0]} raised {type(exc).__name__}: {exc}"
            if failure:
                failures.append(failure)
    except Exception:
        failures.append(traceback.format_exc(limit=8))
    finally:
        sys.path.remove(str(folder))
    return failures


def main() -> None:
    jobs = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base_url = f"http://127.0.0.1:{server.server_address[1]}"
    results = {}
    try:
        for job in jobs:
            results[job["id"]] = run_case(job, base_url)
    finally:
        server.shutdown()
        server.server_close()
    Path(sys.argv[2]).write_text(json.dumps(results), encoding="utf-8")


if __name__ == "__main__":
    os.environ.pop("HTTP_PROXY", None)
    main()
