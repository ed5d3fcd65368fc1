"""IR ➜ the files of one package, through Jinja templates and the static runtime."""

from __future__ import annotations

import re
import textwrap
from dataclasses import replace
from collections.abc import Iterable
from functools import lru_cache

import jinja2

from .. import names
from ..ir import Api, AuthScheme, Resource, Server
from ..names import SHADOWABLE_BUILTINS, doc, literal, toml
from ..storage import templates_dir
from . import wiring
from .layout import lay_out, lay_out_generic_call, lay_out_import, lay_out_parameter
from .signatures import (
    MethodView,
    doc_example,
    method_view,
    model_names_used,
    qualify_builtins,
    walk,
)


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir() / "package")),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=False,
    )
    env.filters["literal"] = literal
    env.filters["doc"] = doc
    env.filters["md"] = _markdown
    env.filters["md_block"] = _markdown_block
    env.filters["code"] = _code
    env.filters["wrap"] = _wrap
    env.filters["lay_out"] = lambda expression, prefix, suffix, indent: lay_out(
        prefix, expression, suffix, indent
    )
    env.filters["lay_out_parameter"] = lay_out_parameter
    env.globals["endpoint_head"] = lambda target, argument: lay_out_generic_call(
        target, "Endpoint", argument
    )
    env.globals["import_line"] = lay_out_import
    env.filters["toml"] = toml  # not json.dumps: its surrogate pairs are not valid TOML
    return env


def runtime_files() -> dict[str, str]:
    runtime = templates_dir() / "runtime"
    return {path.name: path.read_text(encoding="utf-8") for path in sorted(runtime.glob("_*.py"))}


def render_package(api: Api, models_source: str | None) -> dict[str, str]:
    """Relative path ➜ text of every file of the package (unformatted Python); without
    ``models_source``, every file but ``models.py`` (see :func:`models_path`)."""
    env = _environment()
    pkg = api.package
    views = _method_views(api)
    context = _package_context(api, views)
    files = {
        "pyproject.toml": env.get_template("pyproject.toml.jinja").render(**context),
        "README.md": env.get_template("README.md.jinja").render(**context),
        f"{pkg}/__init__.py": env.get_template("__init__.py.jinja").render(**context),
        f"{pkg}/_version.py": env.get_template("_version.py.jinja").render(**context),
        f"{pkg}/_client.py": env.get_template("_client.py.jinja").render(**context),
        f"{pkg}/errors.py": env.get_template("errors.py.jinja").render(**context),
        f"{pkg}/resources/__init__.py": env.get_template("resources__init__.py.jinja").render(
            **context
        ),
        f"{pkg}/py.typed": "",
    }
    if models_source is not None:
        files[models_path(api)] = models_source
    for name, text in runtime_files().items():
        files[f"{pkg}/{name}"] = text
    for resource in api.resources:
        files[f"{pkg}/resources/{resource.module}.py"] = _render_resource(api, resource, views)
    return files


def _tuple(items: Iterable[str]) -> str:
    """A tuple display of ``items`` (expressions): ``()``, ``(a,)``, ``(a, b)``."""
    listed = list(items)
    return "(" + ", ".join(listed) + ("," if len(listed) == 1 else "") + ")"


def models_path(api: Api) -> str:
    return f"{api.package}/models.py"


def _method_views(api: Api) -> dict[str, list[MethodView]]:
    views: dict[str, list[MethodView]] = {}
    for resource in walk(api.resources):
        path = _resource_path(api.resources, resource)
        views[resource.class_name] = [
            replace(
                wiring.wire(
                    method_view(
                        api, op, f"_{_constant(resource.class_name)}_{op.method_name.upper()}"
                    ),
                    op,
                    f"client.{path}.{op.method_name}",
                ),
                doc_example=doc_example(op, f"client.{path}.{op.method_name}"),
            )
            for op in resource.operations
        ]
    return views


def _render_resource(api: Api, top: Resource, views: dict[str, list[MethodView]]) -> str:
    resources = walk((top,))
    shadowed = (
        frozenset(m.name for r in resources for m in views[r.class_name]) & SHADOWABLE_BUILTINS
    )
    methods = {
        r.class_name: [qualify_builtins(m, shadowed) for m in views[r.class_name]]
        for r in resources
    }
    all_views = [m for r in resources for m in methods[r.class_name]]
    texts = [m.result for m in all_views] + [" ".join(m.params) for m in all_views]
    texts += [v for m in all_views for _, v in m.endpoint_args + m.request_args]
    texts += wiring.texts(all_views)
    used_models = model_names_used(texts, set(api.model_names))
    imports = ["import builtins"] if shadowed else []
    if any("datetime." in text for text in texts):
        imports.append("import datetime")
    typing_names = ["TYPE_CHECKING", *model_names_used(texts, {"Any", "Literal", "Mapping"})]
    typing_names += ["overload"] if any(m.overloads for m in all_views) else []
    imports.append(f"from typing import {', '.join(typing_names)}")
    imports.append("")
    imports.append("from .._base_client import RequestOptions")
    imports.append("from .._endpoint import Endpoint")
    if any("QueryStyle(" in t for t in texts):
        imports.append("from .._query import QueryStyle")
    helpers = [
        h
        for h in ("build_body", "build_optional_body", "credential", "query_string", "require")
        if any(f"{h}(" in t for t in texts)
    ]
    if helpers:
        imports.append(f"from .._payload import {', '.join(helpers)}")
    imports += wiring.runtime_imports(all_views, texts)
    imports.append("from .._response import async_to_raw_response_wrapper, to_raw_response_wrapper")
    type_names = ["NOT_GIVEN", *wiring.file_types(texts), "Headers", "NotGiven", "Query", "Timeout"]
    imports.append(f"from .._types import {', '.join(type_names)}")
    if used_models:
        imports.append(lay_out_import("..models", used_models))
    imports += [
        "",
        "if TYPE_CHECKING:",
        f"    from .._client import Async{api.client_class}, {api.client_class}",
    ]
    endpoints = [
        (m.const, op, m) for r in resources for op, m in zip(r.operations, methods[r.class_name])
    ]
    return (
        _environment()
        .get_template("resource.py.jinja")
        .render(
            api=api,
            module_doc=top.description or f"The {top.attr} resource.",
            imports=imports,
            resources=resources,
            methods=methods,
            endpoints=endpoints,
        )
    )


def _package_context(api: Api, views: dict[str, list[MethodView]]) -> dict[str, object]:
    operations = []
    for resource in walk(api.resources):
        path = _resource_path(api.resources, resource)
        operations += [(path, m) for m in views[resource.class_name]]
    servers = [_with_defaults(s) for s in api.servers]
    construct = [f'{c.name}="..."' for c in api.credentials if c.secret][:1]
    construct += [f'{p.name}="..."' for p in api.client_params]
    if not servers:
        construct.append('base_url="https://api.example.com"')
    first = (
        f"{operations[0][0]}.{operations[0][1].name}({operations[0][1].example})"
        if operations
        else ""
    )
    plain = [(path, m) for path, m in operations if m.kind == "request"]
    raw = (
        f"{plain[0][0]}.with_raw_response.{plain[0][1].name}({plain[0][1].example})"
        if plain
        else "..."
    )
    from_env = [f"`{c.name}` from `{c.env}`" for c in api.credentials]
    from_env += [f"`{p.name}` from `{p.env}`" for p in api.client_params]
    from_env.append(
        f"`base_url` from `{api.env_prefix}_BASE_URL`"
        + (f" (default: {servers[0]})" if servers else "")
    )
    return {
        "api": api,
        "env_sentence": "Arguments not passed are read from the environment when the client is built: "
        + ", ".join(from_env)
        + ".",
        "servers": servers,
        "default_base_url": literal(api.servers[0].url) if servers else "None",
        "server_variables": api.servers[0].variables if api.servers else (),
        "client_annotations": _client_annotations(api)[0],
        "client_imports": _client_annotations(api)[1],
        "payload_imports": [
            name
            for name, used in (
                ("client_param", bool(api.client_params)),
                ("server_url", bool(api.servers and api.servers[0].variables)),
            )
            if used
        ],
        "base_url_env": f"{api.env_prefix}_BASE_URL",
        "schemes": [(literal(s.key), _scheme_expr(s)) for s in api.schemes],
        "credential_specs": _tuple(
            f"Credential({literal(c.name)}, env={literal(c.env)}, secret={c.secret})"
            for c in api.credentials
        ),
        "credentials_expr": "{"
        + ", ".join(f"{literal(c.name)}: {c.name}" for c in api.credentials)
        + "}",
        "auth_imports": sorted(
            {"AuthScheme", "Credential", *(_scheme_class(s) for s in api.schemes)}
        ),
        "scheme_help": {s.key: _scheme_help(api, s) for s in api.schemes},
        "operations": operations,
        "construct_example": ", ".join(construct),
        "first_example": first,
        "raw_example": raw,
        "idempotent_ops": any(
            op.idempotency_header for r in walk(api.resources) for op in r.operations
        ),
        "summary": " ".join((api.description or api.title).split())[:200],
        **wiring.package_context(api, [m for _, m in operations]),
    }


def _constant(class_name: str) -> str:
    """``RunsResource2`` ➜ ``RUNS2``: class names are unique, so constants built on them are too."""
    return names.snake(class_name.removesuffix("Resource") or class_name).upper()


def _with_defaults(server: Server) -> str:
    """A server URL with its variables at their defaults, for documentation."""
    url = server.url
    for variable in server.variables:
        url = url.replace("{" + variable.json_name + "}", variable.default)
    return url


def _client_annotations(api: Api) -> tuple[dict[str, str], list[str]]:
    """Client-parameter annotations as ``_client.py`` spells them, and the imports they need.

    Models are reached through ``_models`` (no model name can then clash with what the client
    module imports), builtins a client property is named after through ``builtins``.
    """
    shadowed = frozenset(r.attr for r in api.resources) & SHADOWABLE_BUILTINS
    models = set(api.model_names)

    def spell(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in models:
            return f"_models.{name}"
        if name in shadowed:
            return f"builtins.{name}"
        return match.group(0)

    annotations = {p.name: _IDENTIFIER.sub(spell, p.annotation) for p in api.client_params}
    texts = list(annotations.values())
    imports = ["import builtins"] if any("builtins." in t for t in texts) else []
    if any("datetime." in t for t in texts):
        imports.append("import datetime")
    typing_names = model_names_used(texts, {"Any", "Literal"})
    if typing_names:
        imports.append(f"from typing import {', '.join(typing_names)}")
    if any("_models." in t for t in texts):
        imports.append("from . import models as _models")
    return annotations, imports


_IDENTIFIER = re.compile(r'"(?:[^"\\]|\\.)*"|(?<![\w.])([A-Za-z_]\w*)')


def _resource_path(roots: tuple[Resource, ...], target: Resource) -> str:
    for root in roots:
        if root is target:
            return root.attr
        inner = _resource_path(root.children, target)
        if inner:
            return f"{root.attr}.{inner}"
    return ""


_CLASSES = {
    "api_key": "ApiKeyAuth",
    "bearer": "BearerAuth",
    "basic": "BasicAuth",
    "oauth2": "OAuth2Auth",
    "mutual_tls": "MutualTLSAuth",
}


def _scheme_class(scheme: AuthScheme) -> str:
    return _CLASSES[scheme.kind]


def _scheme_expr(scheme: AuthScheme) -> str:
    cls = _scheme_class(scheme)
    token = scheme.credentials[0] if scheme.credentials else "api_key"
    if scheme.kind == "api_key":
        args = f"param={literal(scheme.param)}, location={literal(scheme.location)}, credential={literal(token)}"
        return f"{cls}({args}, prefix={literal(scheme.prefix)})"
    if scheme.kind == "bearer":
        return f"{cls}(credential={literal(token)})"
    if scheme.kind == "basic":
        return f"{cls}()"
    if scheme.kind == "oauth2":
        flows = "(" + "".join(f"{literal(f)}, " for f in scheme.flows) + ")"
        scopes = "(" + "".join(f"{literal(s)}, " for s in scheme.scopes) + ")"
        token_url = literal(scheme.token_url) if scheme.token_url else "None"
        return f"{cls}(token_url={token_url}, flows={flows}, scopes={scopes}, credential={literal(token)})"
    return f"{cls}()"


def _scheme_help(api: Api, scheme: AuthScheme) -> str:
    """One Markdown line on how a scheme is sent and which arguments feed it (spec text escaped)."""
    env = {c.name: c.env for c in api.credentials}
    if scheme.kind == "oauth2":
        return _oauth2_help(scheme, env)
    names = ", ".join(f"`{c}=` (or `{env.get(c, '')}`)" for c in scheme.credentials)
    where = {
        "api_key": f"sent in the {scheme.location} {_code(scheme.param)}"
        + (f" as {_code(scheme.prefix + '<key>')}" if scheme.prefix else ""),
        "bearer": "sent as `Authorization: Bearer <token>`",
        "basic": "HTTP basic authentication",
        "oauth2": "OAuth2: a static access token, or a token fetched with the flow's credentials",
        "mutual_tls": "a client certificate (`cert=`)",
    }[scheme.kind]
    return f"{where}; pass {names}" if names else where


def _oauth2_help(scheme: AuthScheme, env: dict[str, str]) -> str:
    """Which arguments give an OAuth2 scheme its token: a static one, or a flow the client runs."""

    def ask(*arguments: str) -> str:
        envs = ", ".join(f"`{env.get(a, '')}`" for a in arguments)
        return " and ".join(f"`{a}=`" for a in arguments) + f" (or {envs})"

    text = f"OAuth2, sent as `Authorization: Bearer <token>`; pass an access token as {ask(scheme.credentials[0])}"
    where = _code(scheme.token_url or "")
    if scheme.token_url and "client_credentials" in scheme.flows:
        text += (
            f", or {ask('client_id', 'client_secret')} to have the client fetch one from {where}"
        )
    if scheme.token_url and "password" in scheme.flows:
        text += f", or {ask('username', 'password')} to have the client fetch one from {where} (password flow)"
    return text


def _code(text: str) -> str:
    """Spec text as a Markdown code span that cannot end early or break a table."""
    flat = " ".join(names.visible(text).split()).replace("`", "'").replace("|", "\\|")
    return f"`{flat}`"


def _markdown(text: object) -> str:
    """Spec text inside Markdown tables and prose: one line, no HTML, no table breaks."""
    flat = " ".join(names.visible(str(text)).split())
    return flat.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")


def _wrap(text: str, width: int = 88) -> str:
    """Fill prose paragraphs to ``width``; lists, tables and code blocks keep their lines."""
    paragraphs = []
    for paragraph in text.split("\n\n"):
        lines = paragraph.split("\n")
        structured = any(
            line.lstrip()[:1] in ("-", "*", "|", "`", ">") or line.startswith(" ") for line in lines
        )
        paragraphs.append(
            paragraph
            if structured
            else textwrap.fill(
                " ".join(lines), width=width, break_long_words=False, break_on_hyphens=False
            )
        )
    return "\n\n".join(paragraphs)


def _markdown_block(text: object) -> str:
    """A spec description as Markdown paragraphs: no raw HTML, no headings, no code fences."""
    lines = [line.rstrip() for line in names.visible(str(text).replace("\r", "")).split("\n")]
    escaped = [
        line.replace("<", "&lt;").replace(">", "&gt;").replace("`" * 3, "'" * 3) for line in lines
    ]
    return "\n".join(
        ("\\" + line) if line.lstrip().startswith("#") else line for line in escaped
    ).strip()
