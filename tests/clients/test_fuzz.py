"""Random valid API descriptions: each one generates a working package or is refused clearly.

Hypothesis builds OpenAPI 3.1 documents whose every name and text is drawn from full Unicode
(controls, right-to-left and zero-width marks, astral characters), Python keywords and dunder
names, punctuation, and names that collide once sanitized (parameters, properties, client
parameters, server variables, credentials); schemas nest objects, arrays, enums, unions,
nullables, ``allOf`` and references. For each document the whole pipeline runs
in-process (``generate_files``): it either returns files, every Python one of which compiles,
or raises a :class:`ClientgenError` whose message is one clear line (never "a clientgen bug").
Every 10th package is written and, after the run, all of those are imported in one fresh
interpreter, their clients built and an operation called against an unreachable address;
three of them also pass ``mypy --strict``.
"""

from __future__ import annotations

import itertools
import json
import keyword
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.config import client_config
from generator.errors import ClientgenError
from generator.pipeline import generate_files
from generator.write import write_package

BIN = Path(sys.executable).parent

SPECIAL = [
    *keyword.kwlist,
    *keyword.softkwlist,
    "__init__",
    "__class__",
    "__dict__",
    "__import__",
    "self",
    "cls",
    "None",
    "True",
    "model_config",
    "model_dump",
    "BaseModel",
    "Field",
    "Literal",
    "Any",
    "Headers",
    "Query",
    "Timeout",
    "RequestOptions",
    "Endpoint",
    "datetime",
    "list",
    "str",
    "int",
    "with_raw_response",
    "api_key",
    "base_url",
    "timeout",
    "_",
    "__",
    "",
    " ",
    "a-b",
    "a_b",
    "A B",
    "aB",
    "ﬁle",
    "file",
    "ｆｉｌｅ",
    '"""',
    "'''",
    "\\",
    "{}",
    "#",
    "\r\n",
    "\u202e",
    "\u200b",
    "😀",
    "x" * 120,
    "__import__('os').system('touch /tmp/clientgen-fuzz-PWNED')",
]
text = st.text(
    max_size=24
)  # every category but surrogates: controls, format characters, astral planes
names = st.one_of(text, st.sampled_from(SPECIAL), st.text(alphabet="aA_-. 0", max_size=6))
words = st.one_of(text, st.sampled_from(SPECIAL))
component_keys = st.text(alphabet="abcXYZ09._-", min_size=1, max_size=10)


def schemas(refs: list[str]) -> st.SearchStrategy[dict[str, Any]]:
    """JSON schemas: leaves, then arrays, objects, unions, nullables and allOf around them."""
    leaves = st.one_of(
        st.just({"type": "string"}),
        st.sampled_from(["date-time", "date", "uuid", "binary", "email"]).map(
            lambda f: {"type": "string", "format": f}
        ),
        st.just({"type": "integer"}),
        st.just({"type": "number"}),
        st.just({"type": "boolean"}),
        st.just({}),
        st.lists(words, min_size=1, max_size=5, unique=True).map(
            lambda v: {"type": "string", "enum": v}
        ),
        # mypy cannot type Literal[n] beyond 64 bits (the hostile corpus has 10**30, out of its
        # mypy sample): integer enums stay within them here
        st.lists(st.integers(-(2**63) + 1, 2**63 - 1), min_size=1, max_size=4, unique=True).map(
            lambda v: {"enum": v}
        ),
        words.map(lambda v: {"const": v}),
        *(
            [st.sampled_from(refs).map(lambda r: {"$ref": f"#/components/schemas/{r}"})]
            if refs
            else []
        ),
    )

    def extend(inner: st.SearchStrategy[dict[str, Any]]) -> st.SearchStrategy[dict[str, Any]]:
        return st.one_of(
            inner.map(lambda s: {"type": "array", "items": s}),
            st.dictionaries(names, inner, min_size=1, max_size=5).flatmap(
                lambda props: st.lists(
                    st.sampled_from(sorted(props)), unique=True, max_size=len(props)
                ).map(
                    lambda required: {"type": "object", "properties": props, "required": required}
                )
            ),
            inner.map(lambda s: {"type": "object", "additionalProperties": s}),
            st.lists(inner, min_size=2, max_size=3).map(lambda branches: {"anyOf": branches}),
            st.lists(inner, min_size=2, max_size=3).map(lambda branches: {"oneOf": branches}),
            inner.map(lambda s: {"anyOf": [s, {"type": "null"}]}),
            st.lists(inner, min_size=1, max_size=2).map(lambda parts: {"allOf": parts}),
            st.tuples(inner, words, words).map(
                lambda t: {**t[0], "description": t[1], "title": t[2]}
            ),
        )

    return st.recursive(leaves, extend, max_leaves=6)


@st.composite
def documents(draw: st.DrawFn) -> dict[str, Any]:
    keys = draw(st.lists(component_keys, max_size=4, unique=True))
    components = {key: draw(schemas(keys[:index])) for index, key in enumerate(keys)}
    operation_ids = draw(st.lists(names, min_size=1, max_size=3, unique=True))
    paths: dict[str, Any] = {}
    for index, operation_id in enumerate(operation_ids):
        segment = draw(st.text(alphabet="abcXYZ09-._~", min_size=1, max_size=8))
        templated = draw(st.booleans())
        path = f"/{segment}{index}" + ("/{id}" if templated else "")
        parameters = (
            [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}]
            if templated
            else []
        )
        for name in draw(st.lists(names, max_size=3, unique=True)):
            location = draw(st.sampled_from(["query", "header", "cookie"]))
            if location == "header" and (
                not name.isascii() or not name.isprintable() or not name.strip()
            ):
                location = "query"  # a header name must be a token: such a spec is not valid HTTP
            parameter = {
                "name": name,
                "in": location,
                "required": draw(st.booleans()),
                "schema": draw(schemas(keys)),
                "description": draw(words),
            }
            if (
                draw(st.integers(0, 4)) == 0
            ):  # set once on the client, beside credentials and server variables
                parameter["x-clientgen-client-param"] = True
            parameters.append(parameter)
        operation: dict[str, Any] = {
            "operationId": operation_id,
            "summary": draw(words),
            "description": draw(words),
            "tags": [draw(names)],
            "parameters": parameters,
            "responses": {
                "200": {
                    "description": draw(words),
                    "content": {"application/json": {"schema": draw(schemas(keys))}},
                }
            },
        }
        if draw(st.booleans()):
            operation["requestBody"] = {
                "required": draw(st.booleans()),
                "content": {"application/json": {"schema": draw(schemas(keys))}},
            }
        paths[path] = {draw(st.sampled_from(["get", "post", "put", "delete", "patch"])): operation}
    variables = draw(
        st.lists(names.filter(lambda n: not set(n) & set("{}/")), max_size=3, unique=True)
    )
    server = {"url": "https://api.example.com/" + "/".join("{" + v + "}" for v in variables)}
    if variables:
        server["variables"] = {
            v: {"default": draw(words), "description": draw(words)} for v in variables
        }
    schemes = {
        "key": {
            "type": "apiKey",
            "in": "header",
            "name": "X-Key",
            "x-clientgen-prefix": draw(words),
            "description": draw(words),
        },
        "token": {"type": "http", "scheme": "bearer", "x-clientgen-credential": draw(names)},
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": draw(words), "version": "1.0.0", "description": draw(words)},
        "servers": [server],
        "paths": paths,
        "components": {"schemas": components, "securitySchemes": schemes},
        "security": draw(st.sampled_from([[], [{"key": []}], [{"token": []}, {"key": []}]])),
    }


def test_random_specs_generate_working_packages_or_clear_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLIENTGEN_CACHE_DIR", str(tmp_path / "cache"))
    written: list[tuple[Path, str]] = []
    seen = {"generated": 0, "refused": 0}
    counter = itertools.count()

    @settings(
        max_examples=200,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(documents())
    def generate_one(document: dict[str, Any]) -> None:
        index = next(counter)
        folder = tmp_path / f"case{index}"
        folder.mkdir()
        spec = folder / "fuzz.json"
        spec.write_text(json.dumps(document), encoding="utf-8")
        package = f"fz_{index}"
        config = client_config(spec, output=folder / "out", package=package, version="0.1.0")
        try:
            files = generate_files(config).files
        except ClientgenError as exc:
            message = str(exc)
            assert "\n" not in message and "Traceback" not in message, message
            assert (
                "clientgen bug" not in message and "please report" not in message
            ), f"{message}\n{json.dumps(document, indent=1)[:4000]}"
            seen["refused"] += 1
            return
        for path, source in files.items():
            if path.endswith(".py"):
                compile(
                    source, path, "exec"
                )  # black accepts what Python refuses (duplicate arguments)
        seen["generated"] += 1
        if seen["generated"] % 10 == 1:
            write_package(folder / "out", files)
            written.append((folder / "out", package))

    generate_one()
    assert seen["generated"] >= seen["refused"], seen  # the strategies make mostly valid documents
    assert len(written) >= 5
    assert not Path("/tmp/clientgen-fuzz-PWNED").exists()

    script = textwrap.dedent("""
        import functools, importlib, inspect, sys
        from pathlib import Path
        for folder, package in [line.split("\\t") for line in sys.stdin.read().splitlines()]:
            sys.path.insert(0, folder)
            module = importlib.import_module(package)
            for path in sorted((Path(folder) / package).rglob("*.py")):
                name = ".".join(path.relative_to(folder).with_suffix("").parts).removesuffix(".__init__")
                importlib.import_module(name)
            client = getattr(module, module.__all__[0])(base_url="http://127.0.0.1:9", max_retries=0)
            for attr, prop in vars(type(client)).items():
                if isinstance(prop, (property, functools.cached_property)):
                    resource = getattr(client, attr)
                    for name, method in vars(type(resource)).items():
                        if inspect.isfunction(method) and not name.startswith("_"):
                            try:
                                getattr(resource, name)()
                            except TypeError:
                                pass  # required arguments: calling it is the hostile tests' job
                            except module.errors.APIError:
                                pass
                            break
                    break
            client.close()
            sys.path.remove(folder)
        print("imported", len(sys.modules))
    """)
    lines = "\n".join(f"{folder}\t{package}" for folder, package in written)
    result = subprocess.run(
        [sys.executable, "-c", script],
        input=lines,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )
    assert result.returncode == 0, result.stderr[-5000:]
    assert not Path("/tmp/clientgen-fuzz-PWNED").exists()

    sample = [str(folder / package) for folder, package in written[:3]]
    result = subprocess.run(
        [
            str(BIN / "mypy"),
            "--strict",
            "--no-incremental",
            "--cache-dir",
            str(tmp_path / "mypy"),
            *sample,
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-6000:]
    print(
        f"\nfuzz: {seen['generated']} generated, {seen['refused']} refused, {len(written)} imported"
    )
