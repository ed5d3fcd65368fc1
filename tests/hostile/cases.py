"""The hostile corpus: API descriptions written to break out of the generated code.

Every case is an OpenAPI document (built here, as data) that puts attacker-chosen text where
a generator copies spec text into Python: titles, descriptions, summaries, tags, operationIds,
parameter and property names, enum values, defaults, examples, server URLs and variables, path
templates, security schemes and ``x-clientgen-*`` extension values. The text carries quotes,
triple quotes, backslashes, CR and LF, braces, ``#``, right-to-left and zero-width characters,
keywords and dunder names, names that collide once sanitized, absurdly long names, and a
*payload*: Python that would create a marker file if it ever ran.

A case either generates a package, which must import, build a client and call an operation
without running the payload, and keep the spec's text where it belongs (``checks``, evaluated
by ``tests/hostile/checker.py`` inside the generated package), or is refused with a clear
error (``refuse``, a regular expression the message must match). ``tests/clients/test_hostile.py``
runs them.

A check is a JSON list; its first item names it:

* ``["doc_startswith", target, text]``: ``target.__doc__`` starts with ``text``;
* ``["doc_equals", target, text]``: ``inspect.cleandoc(target.__doc__) == text``;
* ``["doc_contains", target, text]``: the docstring holds ``text`` (whitespace runs folded);
* ``["equals", target, value]``: ``target == value``;
* ``["roundtrip", model, data]``: ``model.model_validate(data)`` dumps back to ``data`` by alias;
* ``["literal", model, alias, values]``: the field's ``Literal[...]`` holds exactly ``values``;
* ``["param_literal", values]``: a parameter of the called method is ``Literal[values]``;
* ``["default", model, alias, value]``: ``model()`` has ``value`` at ``alias``;
* ``["field_doc", model, alias, text]``: the field's docstring in models.py reads ``text``;
* ``["endpoint_path", path]``: an ``Endpoint`` of the package has exactly this path template;
* ``["query_has", key, value]``: the request the call sent has this query pair;
* ``["header", name, value]``: the request the call sent has this header value;
* ``["toml", [keys...], value]``: ``pyproject.toml`` holds ``value`` at ``keys``;
* ``["readme_lacks", text]``: README.md does not contain ``text``;
* ``["methods", n]``: the client has ``n`` distinct operation methods in all.

``target`` is a dotted path from the package (``"_client._DEFAULT_BASE_URL"``,
``"models.Thing"``), or ``"@method"`` for the operation the checker calls.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

MARKER_NAME = "PWNED"


@dataclass(frozen=True)
class Case:
    id: str
    spec: dict[str, Any]
    checks: tuple[list[Any], ...] = ()
    refuse: str | None = None  # regex: generation must fail with a ClientgenError matching it
    package: str | None = None  # default: hz_<index>
    version: str | None = "0.1.0"  # None: use the spec's info.version
    kwargs: dict[str, Any] = field(default_factory=dict)  # client constructor arguments
    mypy: bool = False  # part of the mypy --strict sample


def payloads(marker: str) -> dict[str, str]:
    """Python that creates ``marker`` if it ever runs, wrapped to break out of each context."""
    run = f"__import__('os').system('touch {marker}')"
    opened = f"open({marker!r}, 'w').close()"
    return {
        "run": run,
        "open": opened,
        "docstring": f'"""\n{run}\n"""',
        "docstring_single": f"'''\n{run}\n'''",
        "docstring_escape": f'\\"""+{run}+"""\\',
        "string": f'"+{run}+"',
        "string_single": f"'+{run}+'",
        "string_escape": f'\\"+{opened}#',
        "comment": f"x\n{run}\n#",
        "comment_cr": f"x\r{run}\r#",
        "comment_ls": f"x\u2028{run}\u2028#",
        "comment_nel": f"x\x85{run}\x85#",
        "fstring": f"{{{run}}} f'{{{run}}}'",
        "format": "{0.__class__.__mro__[1].__subclasses__}{self.__init__.__globals__}",
        "jinja": "{{ self.__init__.__globals__ }}{% for x in range(3) %}{{ x }}{% endfor %}",
        "rtl": f"\u202e{run}\u202c\u2066#\u2069",
        "zero_width": f"\u200b\ufeff{run}\u200d",
    }


# --------------------------------------------------------------------------- spec builders


def thing_spec() -> dict[str, Any]:
    """A small valid 3.1 document: GET /things/{thing_id} returns a Thing."""
    return {
        "openapi": "3.1.0",
        "info": {"title": "Things", "version": "1.0.0"},
        "servers": [{"url": "https://api.example.com"}],
        "paths": {
            "/things/{thing_id}": {
                "get": {
                    "operationId": "getThing",
                    "tags": ["things"],
                    "parameters": [
                        {
                            "name": "thing_id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string"},
                        }
                    ],
                    "responses": {
                        "200": {
                            "description": "the thing",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Thing"}
                                }
                            },
                        }
                    },
                }
            }
        },
        "components": {
            "schemas": {"Thing": {"type": "object", "properties": {"name": {"type": "string"}}}}
        },
    }


def with_info(**info: Any) -> dict[str, Any]:
    spec = thing_spec()
    spec["info"].update(info)
    return spec


def with_operation(**operation: Any) -> dict[str, Any]:
    spec = thing_spec()
    spec["paths"]["/things/{thing_id}"]["get"].update(operation)
    return spec


def with_thing(properties: dict[str, Any], **schema: Any) -> dict[str, Any]:
    spec = thing_spec()
    spec["components"]["schemas"]["Thing"] = {"type": "object", "properties": properties, **schema}
    return spec


def with_params(params: list[dict[str, Any]]) -> dict[str, Any]:
    spec = thing_spec()
    spec["paths"]["/things/{thing_id}"]["get"]["parameters"] += params
    return spec


def query(name: str, schema: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": True,
        "schema": schema or {"type": "string"},
        **extra,
    }


def operations(ids: list[str]) -> dict[str, Any]:
    spec = thing_spec()
    spec["paths"] = {
        f"/op{i}": {
            "get": {
                "operationId": op,
                "tags": ["things"],
                "responses": {"204": {"description": "none"}},
            }
        }
        for i, op in enumerate(ids)
    }
    return spec


# --------------------------------------------------------------------------- the corpus


def build_cases(marker: str) -> list[Case]:
    """Every case, with payloads that would create ``marker``."""
    p = payloads(marker)
    cases: list[Case] = []

    def add(case_id: str, spec: dict[str, Any], *checks: list[Any], **options: Any) -> None:
        cases.append(Case(case_id, copy.deepcopy(spec), tuple(checks), **options))

    # -- info: title, description, license, urls --------------------------------------------
    for kind in ("docstring", "docstring_single", "docstring_escape", "string", "string_single"):
        title = f"Evil {p[kind]} API"
        add(
            f"title-{kind}",
            with_info(title=title),
            ["doc_startswith", "", title],
            ["toml", ["project", "description"], " ".join(title.split())[:200]],
            mypy=kind == "docstring",
        )
    title = "Path ../../outside \\ trailing backslash \\"
    add("title-traversal-backslash", with_info(title=title), ["doc_startswith", "", title])
    title = f"Right-to-left {p['rtl']} and zero-width {p['zero_width']}"
    add(
        "title-bidi-zero-width",
        with_info(title=title),
        ["doc_startswith", "", title],
        ["toml", ["project", "description"], title[:200]],
    )
    title = f"Emoji 😀🚀 outside the BMP {p['run']}"
    add(
        "title-astral-toml",
        with_info(title=title),
        ["toml", ["project", "description"], title[:200]],
        ["doc_startswith", "", title],
    )
    title = f"Jinja {p['jinja']} and format {p['format']}"
    add("title-template-syntax", with_info(title=title), ["doc_startswith", "", title])
    description = f"Line one\r\nline two\rline three\n{p['docstring']}\n<script>alert(1)</script>\n# heading\n```\n"
    add(
        "description-newlines-html",
        with_info(description=description),
        ["doc_contains", "@client", "<script>alert(1)</script>"],
        ["doc_contains", "@client", p["run"]],
        ["readme_lacks", "<script>"],
    )
    license_name = f'MIT"\n[tool.evil]\nx = "{p["run"]}'
    spec = with_info(
        license={"name": license_name}, termsOfService=f'https://example.com/"\n[evil]\n{p["run"]}'
    )
    add(
        "license-urls-toml-breakout",
        spec,
        ["toml", ["project", "license", "text"], license_name],
        ["toml", ["project", "urls", "Terms of Service"], spec["info"]["termsOfService"]],
    )
    add(  # no version given: the spec's is made PEP 440 (its numbers only), with a warning
        "info-version-coerced",
        with_info(version=f'1.0"; {p["run"]}; "'),
        ["toml", ["project", "version"], "1.0"],
        version=None,
    )

    # -- operations: summary, description, operationId, x-clientgen-name ---------------------
    summary = f'Get """ a thing {p["docstring_escape"]}'
    add(
        "summary-docstring-breakout",
        with_operation(summary=summary),
        ["doc_startswith", "@method", summary],
    )
    description = (
        f"Backslashes \\\\ and \\ quotes \" ''' \"\"\" {p['comment']} {p['comment_cr']} tab\there"
    )
    add(
        "operation-description-breakout",
        with_operation(summary="Get a thing.", description=description),
        ["doc_contains", "@method", p["run"]],
        ["doc_contains", "@method", "Backslashes \\\\ and \\ quotes"],
    )
    add(
        "operation-description-line-separators",
        with_operation(summary=p["comment_ls"], description=p["comment_nel"]),
        ["doc_contains", "@method", p["run"]],
    )
    add("operation-id-payload", with_operation(operationId=p["string"]), ["methods", 1])
    add(
        "operation-id-keywords-dunders",
        operations(
            [
                "class",
                "import",
                "None",
                "__init__",
                "__class__",
                "self",
                "with_raw_response",
                "withRawResponse",
                "__getattr__",
                "_client",
                "mro",
                "__del__",
            ]
        ),
        ["methods", 12],
        mypy=True,
    )
    add(
        "operation-ids-colliding",
        operations(["get-thing", "get_thing", "getThing", "GET THING", "get__thing", "get thing!"]),
        ["methods", 6],
    )
    add(
        "operation-id-unicode",
        operations(["naïve", "日本語", "\u202egnikooc", "zero\u200bwidth", "😀"]),
        ["methods", 5],
    )
    add(
        "operation-id-very-long",
        operations(["x" * 5000, "x" * 4999 + "y", "y" * 300]),
        ["methods", 3],
    )
    add(
        "x-clientgen-name-payload", with_operation(**{"x-clientgen-name": p["run"]}), ["methods", 1]
    )

    # -- tags --------------------------------------------------------------------------------
    tag = f'../../outside"); {p["run"]} #'
    spec = with_operation(tags=[tag])
    spec["tags"] = [{"name": tag, "description": f"Tag {p['docstring']}"}]
    add("tag-traversal-payload", spec, ["methods", 1])
    spec = with_operation(tags=["a.b\"'.c\\.d" + p["run"]])
    add("tag-dotted-nesting", spec, ["methods", 1])
    spec = operations(["one", "two"])
    spec["paths"]["/op0"]["get"]["tags"] = ["Things"]
    spec["paths"]["/op1"]["get"]["tags"] = ["things!"]
    add("tags-colliding", spec, ["methods", 2])

    # -- parameters ----------------------------------------------------------------------------
    add(
        "param-name-payload",
        with_params([query(p["string"]), query(p["comment"])]),
        ["query_has", p["string"], "../v?#&=%"],
        ["query_has", p["comment"], "../v?#&=%"],
    )
    keywords = [
        "class",
        "self",
        "timeout",
        "extra_headers",
        "extra_query",
        "body",
        "options",
        "max_retries",
        "__init__",
        "None",
        "lambda",
        "match",
        "_",
        "thing_id",
    ]
    add(
        "param-names-keywords-reserved",
        with_params([query(k) for k in keywords]),
        *(["query_has", k, "../v?#&=%"] for k in keywords),
        mypy=True,
    )
    add(
        "param-names-colliding",
        with_params([query("a-b"), query("a_b"), query("A B"), query("aB")]),
        *(["query_has", k, "../v?#&=%"] for k in ("a-b", "a_b", "A B", "aB")),
    )
    values = ['"', "'", '"""', "\\", "\n", "\r\n", "{}", "#", p["run"], "\u202e", ""]
    add(
        "param-enum-hostile",
        with_params([query("mode", {"type": "string", "enum": values})]),
        ["param_literal", values],
    )
    add(
        "param-description-breakout",
        with_params([query("q", description=f'{p["docstring"]} {p["docstring_escape"]}')]),
        ["doc_contains", "@method", p["run"]],
    )
    add(
        "header-param-name-quote",
        with_params([{"name": "X-Quote\"'", "in": "header", "schema": {"type": "string"}}]),
        ["methods", 1],
    )

    # -- properties ------------------------------------------------------------------------------
    add(
        "property-name-payload",
        with_thing({p["string"]: {"type": "string"}, p["docstring"]: {"type": "integer"}}),
        ["roundtrip", "models.Thing", {p["string"]: "v", p["docstring"]: 3}],
    )
    props = [
        "class",
        "__init__",
        "__class__",
        "self",
        "model_config",
        "model_dump",
        "model_fields",
        "_private",
        "__dict__",
        "None",
        "True",
        "import",
        "datetime",
        "int",
        "list",
        "str",
        "Field",
        "BaseModel",
    ]
    add(
        "property-names-keywords-dunders",
        with_thing({k: {"type": "string"} for k in props}),
        ["roundtrip", "models.Thing", {k: f"v-{k}" for k in props}],
        mypy=True,
    )
    props = ["a-b", "a_b", "A B", "aB", "a__b", "a.b", "a b "]
    add(
        "property-names-colliding",
        with_thing({k: {"type": "string"} for k in props}),
        ["roundtrip", "models.Thing", {k: f"v-{k}" for k in props}],
    )
    props = ["ﬁle", "file", "ｆｉｌｅ", "Ｆｉｌｅ"]
    add(
        "property-names-nfkc-colliding",
        with_thing(
            {
                "ﬁle": {"type": "string"},
                "file": {"type": "integer"},
                "ｆｉｌｅ": {"type": "boolean"},
                "Ｆｉｌｅ": {"type": "number"},
            }
        ),
        [
            "roundtrip",
            "models.Thing",
            {"ﬁle": "text", "file": 7, "ｆｉｌｅ": True, "Ｆｉｌｅ": 1.5},
        ],
        mypy=True,
    )
    props = [
        "naïve",
        "日本語",
        "\u202eevil\u202c",
        "zero\u200bwidth",
        "emoji😀",
        "x\ny",
        "tab\tname",
        "",
    ]
    add(
        "property-names-unicode-controls",
        with_thing({k: {"type": "string"} for k in props}),
        ["roundtrip", "models.Thing", {k: f"v{i}" for i, k in enumerate(props)}],
    )
    spec = thing_spec()
    spec["components"]["schemas"]["Nullable"] = {
        "anyOf": [
            {
                "type": "object",
                "properties": {
                    "ﬁle": {"type": "string"},
                    "file": {"type": "integer"},
                    "À": {"type": "string"},
                },
            },
            {"type": "null"},
        ]
    }
    add(
        "property-names-nfkc-in-an-inline-object",
        spec,
        ["roundtrip", "models.Nullable1", {"ﬁle": "t", "file": 1, "À": "a"}],
    )
    x_python = {"x-python-type": p["run"], "x-python-import": {"from": "os", "import": "system"}}
    add(
        "x-python-type-extensions",
        with_thing(
            {"name": {"type": "string", **x_python}, "n": {"type": "integer", **x_python}},
            **x_python,
        ),
        ["roundtrip", "models.Thing", {"name": "x", "n": 1}],
    )
    add(
        "property-names-very-long",
        with_thing({"x" * 300: {"type": "string"}, "x" * 1000: {"type": "string"}}),
        ["roundtrip", "models.Thing", {"x" * 300: "a", "x" * 1000: "b"}],
    )
    text = f'Field {p["docstring"]} ends with a backslash \\'
    add(
        "property-description-breakout",
        with_thing(
            {
                "name": {"type": "string", "description": text},
                "other": {
                    "type": "string",
                    "description": f"{p['docstring_escape']}\x00\x1b[2J\x07\x7f",
                },
            }
        ),
        ["field_doc", "models.Thing", "name", text],
        ["field_doc", "models.Thing", "other", f"{p['docstring_escape']}\x00\x1b[2J\x07\x7f"],
    )
    text = f'A thing """ {p["run"]} """ \\ done'
    add(
        "model-description-breakout",
        with_thing({"name": {"type": "string"}}, description=text),
        ["doc_equals", "models.Thing", text],
    )
    text = f"Controls \x00\x01\x1b[31m\x7f and format {p['rtl']} {p['zero_width']} \ue000 private"
    add(
        "model-description-controls",
        with_thing({"name": {"type": "string"}}, description=text),
        ["doc_equals", "models.Thing", text],
    )
    add(
        "model-title-payload",
        with_thing(
            {
                "inner": {
                    "type": "object",
                    "title": p["docstring"],
                    "properties": {"x": {"type": "string"}},
                }
            }
        ),
        ["roundtrip", "models.Thing", {"inner": {"x": "y"}}],
    )

    # -- enums, defaults, examples ------------------------------------------------------------
    values = [
        '"',
        "'",
        '"""',
        "'''",
        "\\",
        "\\\\",
        "\n",
        "\r",
        "{}",
        "{0}",
        "#",
        "# comment",
        p["run"],
        p["docstring"],
        "\u202e",
        "\u200b",
        "\x00",
        "",
    ]
    add(
        "enum-values-hostile",
        with_thing({"mode": {"type": "string", "enum": values}}),
        ["literal", "models.Thing", "mode", values],
        ["roundtrip", "models.Thing", {"mode": p["run"]}],
        mypy=True,
    )
    add(
        "enum-values-numbers-bools",
        with_thing({"n": {"enum": [0, 1, -1, 10**30]}, "b": {"enum": [True, False]}}),
        ["literal", "models.Thing", "n", [0, 1, -1, 10**30]],
        ["literal", "models.Thing", "b", [True, False]],
    )
    default = f'"""{p["run"]}"""\\'
    add(
        "default-string-breakout",
        with_thing(
            {
                "name": {"type": "string", "default": default},
                "when": {"type": "string", "default": p["string"]},
            }
        ),
        ["default", "models.Thing", "name", default],
        ["default", "models.Thing", "when", p["string"]],
    )
    default_obj = {p["string"]: [p["docstring"], 1, None, {'k"': "v'"}]}
    add(
        "default-object-hostile-keys",
        with_thing({"meta": {"type": "object", "default": default_obj}}),
        ["default", "models.Thing", "meta", default_obj],
    )
    add(
        "default-non-finite",
        with_thing(
            {
                "x": {"type": "number", "default": float("inf")},
                "y": {"type": "number", "default": float("-inf")},
            }
        ),
        ["default", "models.Thing", "x", float("inf")],
    )
    add(
        "examples-hostile",
        with_thing(
            {
                "name": {
                    "type": "string",
                    "examples": [p["docstring"], p["string"]],
                    "example": p["comment"],
                }
            },
            example={"name": p["docstring"]},
        ),
        ["roundtrip", "models.Thing", {"name": "x"}],
    )
    add(
        "pattern-hostile",
        with_thing({"code": {"type": "string", "pattern": '^["\'\\\\]*"""$'}}),
        ["roundtrip", "models.Thing", {"code": '"\'\\"""'}],
    )

    # -- servers and paths --------------------------------------------------------------------
    for kind in ("string", "docstring", "comment"):
        url = f"https://api.example.com/{p[kind]}"
        spec = thing_spec()
        spec["servers"] = [{"url": url, "description": p["docstring"]}]
        add(f"server-url-{kind}", spec, ["equals", "_client._DEFAULT_BASE_URL", url])
    spec = thing_spec()
    spec["servers"] = [
        {
            "url": 'https://{host}.example.com/{base"path}',
            "variables": {
                "host": {"default": f'api"{p["run"]}', "enum": [f'api"{p["run"]}', "x"]},
                'base"path': {"default": "v1\\", "description": p["docstring"]},
            },
        }
    ]
    add(
        "server-variables-hostile",
        spec,
        ["equals", "_client._SERVER_DEFAULTS", {"host": f'api"{p["run"]}', 'base"path': "v1\\"}],
    )
    spec = thing_spec()
    path = "/things/{thing_id}/\"quoted\"/'single'/\\back/#frag/%2e%2e/..;/"
    spec["paths"] = {path: spec["paths"]["/things/{thing_id}"]}
    add("path-template-hostile", spec, ["endpoint_path", path])

    # -- security and extensions ----------------------------------------------------------------
    prefix = f'Key "{p["run"]}\\ '
    spec = thing_spec()
    spec["components"]["securitySchemes"] = {
        "key.scheme-1": {
            "type": "apiKey",
            "in": "header",
            "name": "X-Api-Key",
            "x-clientgen-prefix": prefix,
            "description": p["docstring"],
        },
    }
    spec["security"] = [{"key.scheme-1": []}]
    add(
        "x-clientgen-prefix-hostile",
        spec,
        ["header", "X-Api-Key", prefix + "K"],
        kwargs={"api_key": "K"},
    )
    spec = thing_spec()
    spec["components"]["securitySchemes"] = {
        "q": {"type": "apiKey", "in": "query", "name": p["string"]}
    }
    spec["security"] = [{"q": []}]
    add("apikey-query-name-hostile", spec, ["query_has", p["string"], "K"], kwargs={"api_key": "K"})
    spec = thing_spec()
    scopes = {f'read:"{p["run"]}"': "read", "write\nall": p["docstring"], "\u202e": "rtl"}
    spec["components"]["securitySchemes"] = {
        "oauth": {
            "type": "oauth2",
            "flows": {
                "clientCredentials": {
                    "tokenUrl": f'https://auth.example.com/"{p["run"]}',
                    "scopes": scopes,
                }
            },
        }
    }
    spec["security"] = [{"oauth": list(scopes)}]
    add(
        "oauth2-scopes-token-url-hostile",
        spec,
        ["scheme_attr", "oauth", "scopes", list(scopes)],
        ["scheme_attr", "oauth", "token_url", f'https://auth.example.com/"{p["run"]}'],
        kwargs={"api_key": "static-token"},
    )
    spec = with_params(
        [
            {
                "name": 'workspace"Id',
                "in": "query",
                "required": True,
                "schema": {"type": "string"},
                "x-clientgen-client-param": {"env": f'X"{p["run"]}'},
            }
        ]
    )
    add(
        "x-clientgen-client-param-hostile",
        spec,
        ["query_has", 'workspace"Id', "ws"],
        kwargs={"workspace_id": "ws"},
    )
    spec = with_params(
        [
            {
                "name": "mode",
                "in": "query",
                "required": True,
                "x-clientgen-client-param": True,
                "schema": {"type": "string", "enum": ['a"b', p["run"], "\u202e"]},
            },
            {
                "name": "owner",
                "in": "query",
                "x-clientgen-client-param": True,
                "schema": {"$ref": "#/components/schemas/Credential"},
            },
            {
                "name": "tags",
                "in": "query",
                "x-clientgen-client-param": True,
                "schema": {"type": "array", "items": {"type": "string"}},
            },
        ]
    )
    spec["paths"]["/things/{thing_id}"]["get"]["tags"] = ["list"]
    spec["components"]["schemas"]["Credential"] = {
        "type": "object",
        "properties": {"a": {"type": "string"}},
    }
    add(
        "client-params-typed-shadowed",
        spec,
        ["query_has", "mode", p["run"]],
        kwargs={"mode": p["run"], "tags": ["x"], "owner": {"a": "b"}},
        mypy=True,
    )
    spec = with_params(
        [
            {
                "name": "X-Token",
                "in": "header",
                "schema": {"type": "string"},
                "x-clientgen-credential": p["string"],
            }
        ]
    )
    add("x-clientgen-credential-hostile", spec, ["methods", 1])
    spec = with_operation(**{"x-extension": {"x": p["docstring"], "y": [p["string"]]}})
    spec["x-top"] = p["docstring"]
    add("unknown-extensions-hostile", spec, ["methods", 1])

    # -- names that collide with what the generated code itself uses ------------------------------
    spec = thing_spec()
    shadows = [
        "Headers",
        "Query",
        "Timeout",
        "RequestOptions",
        "Endpoint",
        "NotGiven",
        "Field",
        "BaseModel",
        "Any",
        "Literal",
        "Annotated",
        "ConfigDict",
        "Mapping",
        "TypeChecking",
        "Builtins",
        "Datetime",
    ]
    for name in shadows:
        spec["components"]["schemas"][name] = {
            "type": "object",
            "properties": {"v": {"type": "string"}},
        }
    for i, name in enumerate(shadows):
        spec["paths"][f"/s{i}"] = {
            "post": {
                "operationId": f"shadow{i}",
                "tags": ["things"],
                "requestBody": {
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "properties": {"x": {"$ref": f"#/components/schemas/{name}"}},
                            }
                        }
                    }
                },
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}
                        },
                    }
                },
            }
        }
    add("schema-names-shadow-imports", spec, ["methods", 1 + len(shadows)], mypy=True)
    spec = thing_spec()
    for name in (
        "AsyncThingsResource",
        "ThingsResourceWithRawResponse",
        "AsyncThingsResourceWithRawResponse",
        "AsyncHzFamily",
    ):
        spec["components"]["schemas"][name] = {
            "type": "object",
            "properties": {"v": {"type": "string"}},
        }
        spec["paths"]["/things/{thing_id}"]["get"]["responses"][f"2{len(name):02d}"] = {
            "description": "x",
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}},
        }
    add("schema-names-resource-family", spec, ["methods", 1], package="hz_family", mypy=True)
    spec = thing_spec()
    spec["components"]["securitySchemes"] = {
        "k": {"type": "apiKey", "in": "header", "name": "X-Key"}
    }
    spec["security"] = [{"k": []}]
    spec["servers"] = [
        {
            "url": "https://{api_key}.example.com/{base-url}/{a-b}/{a_b}",
            "variables": {
                "api_key": {"default": "a"},
                "base-url": {"default": "b"},
                "a-b": {"default": "c"},
                "a_b": {"default": "d"},
            },
        }
    ]
    spec["paths"]["/things/{thing_id}"]["get"]["parameters"] += [
        {"name": n, "in": "query", "schema": {"type": "string"}, "x-clientgen-client-param": True}
        for n in ("api_key", "a-b", "a_b", "base_url", "timeout")
    ]
    add("constructor-arguments-colliding", spec, ["methods", 1], kwargs={"api_key": "K"}, mypy=True)

    # -- refused outright ------------------------------------------------------------------------
    add(
        "package-name-traversal",
        thing_spec(),
        package="../../outside",
        refuse=r"package name '\.\./\.\./outside' is not a valid",
    )
    add(
        "package-name-keyword",
        thing_spec(),
        package="import",
        refuse=r"package name 'import' is not a valid",
    )
    add(
        "lone-surrogate-in-schema",
        with_thing({"name": {"type": "string", "description": "bad \ud800 text"}}),
        refuse=r"lone surrogate \(\\ud800\) at /properties/name/description",
    )
    return cases
