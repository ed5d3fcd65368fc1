"""A readable account of what the normalizer made of a spec (``clientgen validate``).

The security part is the normalized view a user needs to call the API: each scheme and how
the client asks for it, each credential with its environment variable and the schemes that
read it, and for every operation the schemes it accepts and the credentials that satisfy it.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from .. import names
from ..ir import Api, AuthScheme, Operation, Resource
from ..normalize.security import TOKEN_FLOWS, readers

CERT = "cert"
"""The constructor argument that satisfies mutual TLS (it has no environment variable)."""


def describe_api(api: Api) -> str:
    lines = [
        f"{api.title} (OpenAPI {api.openapi_version}, API version {api.spec_version}): valid",
        "",
    ]
    lines += _security(api)
    lines += ["", "Operations:"]
    for path, op in _operations(api.resources):
        lines.append(
            f"  {op.http_method} {op.path} -> client.{path}.{op.method_name}() -> {op.result}; "
            f"{_auth(api, op)}"
        )
    if not api.resources:
        lines.append("  none")
    lines += _wiring(api)
    lines += ["", f"Models: {len(api.model_names)}", "Unions:"]
    resolved = [u for u in api.unions if u.kind != "nullable"]
    nullable = len(api.unions) - len(resolved)
    lines.append(f"  {nullable} nullable (X | None)")
    for union in resolved:
        lines.append(f"  {union.where}: {union.kind} {union.detail}")
    lines += ["", "Warnings:"]
    lines += [f"  {w}" for w in api.warnings] or ["  none"]
    return names.visible("\n".join(lines))  # spec text must not drive the terminal (ESC sequences)


# -- streams, pages, webhooks --------------------------------------------------------------


def _wiring(api: Api) -> list[str]:
    lines = ["", "Streams and downloads:"]
    ops = list(_operations(api.resources))
    for path, op in ops:
        s = op.streaming
        if s is not None:
            how = "download (BinaryResponse)" if s.format == "binary" else f"{s.format} of {s.item}"
            extra = f", when {s.condition}=True" if s.condition and not s.streams_by_default else ""
            extra += f", unless {s.condition}=False" if s.streams_by_default else ""
            extra += f", events {', '.join(k for k, _ in s.events)}" if s.events else ""
            extra += f", ends at {s.terminator!r}" if s.terminator else ""
            lines.append(f"  client.{path}.{op.method_name}(): {how}{extra} [{s.source}]")
    if len(lines) == 2:
        lines.append("  none")
    lines += ["", "Pagination:"]
    start = len(lines)
    for path, op in ops:
        page = op.pagination
        if page is not None:
            lines.append(
                f"  client.{path}.{op.method_name}(): {page.style}, items {page.items_path} "
                f"of {page.item} [{page.source}]"
            )
    if len(lines) == start:
        lines.append("  none")
    lines += ["", "Webhooks:"]
    if api.webhooks is None:
        return lines + ["  none"]
    hooks = api.webhooks
    how = f"by {hooks.discriminator!r} = name" if hooks.discriminator else hooks.event_type
    lines.append(
        f"  {len(hooks.events)} event(s), decoded as {how}; signatures "
        + ("required" if hooks.signed else "checked when a webhook_secret is given")
    )
    lines += [f"  {e.name}: {e.model}" for e in hooks.events]
    return lines


# -- security ------------------------------------------------------------------------------


def _security(api: Api) -> list[str]:
    env = {c.name: c.env for c in api.credentials}
    lines = ["Security schemes:"]
    lines += [f"  {scheme.key}: {_scheme_line(scheme, env)}" for scheme in api.schemes] or [
        "  none"
    ]
    lines += ["", "Credentials (constructor argument, environment variable, schemes that read it):"]
    header = len(lines)
    for credential in api.credentials:
        secret = "secret" if credential.secret else "not secret"
        users = ", ".join(readers(api.schemes, credential.name))
        lines.append(f"  {credential.name}= or ${credential.env} ({secret}): {users}")
    tls = [s.key for s in api.schemes if s.kind == "mutual_tls"]
    if tls:
        lines.append(f"  {CERT}= (a client certificate; no environment variable): {', '.join(tls)}")
    for (location, json_name, source), count in _credential_params(api).items():
        note = "" if source in env else f"; {source!r} is not a credential the client asks for"
        lines.append(
            f"  {location} parameter {json_name!r} filled from {source}= "
            f"({_plural(count, 'operation')}){note}"
        )
    for param in api.client_params:
        lines.append(
            f"  client-level parameter {param.json_name!r}: {param.name}= or ${param.env} "
            f"(given once, to the client)"
        )
    if len(lines) == header:
        lines.append("  none")
    return lines


def _scheme_line(scheme: AuthScheme, env: dict[str, str]) -> str:
    about = f" ({_clip(scheme.description)})" if scheme.description else ""
    if scheme.kind == "api_key":
        place = {"header": "header", "query": "query parameter", "cookie": "cookie"}[
            scheme.location
        ]
        prefix = f" with prefix {scheme.prefix!r}" if scheme.prefix else ""
        return f"API key in {place} {scheme.param!r}{prefix}{about}; client asks for {_ask(scheme.credentials, env)}"
    if scheme.kind == "bearer":
        return f"HTTP bearer token{about}; client asks for {_ask(scheme.credentials, env)}"
    if scheme.kind == "basic":
        return f"HTTP basic{about}; client asks for {_ask(scheme.credentials, env)}"
    if scheme.kind == "mutual_tls":
        return f"mutual TLS{about}; client asks for {CERT}= (a client certificate)"
    ways = [f"an access token: {_ask(scheme.credentials[:1], env)}"]
    where = _token_url(scheme.token_url)
    if scheme.token_url and "client_credentials" in scheme.flows:
        ways.append(
            f"client-credentials flow (token from {where}): {_ask(('client_id', 'client_secret'), env)}"
        )
    if scheme.token_url and "password" in scheme.flows:
        ways.append(f"password flow (token from {where}): {_ask(('username', 'password'), env)}")
    others = [f for f in scheme.flows if f not in TOKEN_FLOWS]
    text = f"OAuth2, sent as a bearer token{about}; client asks for " + "; or ".join(ways)
    if others:
        text += f"; flows the client does not run (pass the token instead): {', '.join(others)}"
    if scheme.scopes:
        text += f"; scopes requested: {' '.join(scheme.scopes)}"
    return text


def _token_url(url: str | None) -> str:
    if url and not url.startswith(("http://", "https://")):
        return f"{url!r}, resolved against the base URL"
    return repr(url)


def _ask(names: tuple[str, ...], env: dict[str, str]) -> str:
    args = " and ".join(f"{name}=" for name in names)
    envs = " and ".join(f"${env[name]}" for name in names if name in env)
    return f"{args} (or {envs})" if envs else args


def _credential_params(api: Api) -> dict[tuple[str, str, str], int]:
    """(location, JSON name, credential) ➜ how many operations fill that parameter from it."""
    counts: dict[tuple[str, str, str], int] = {}
    for _, op in _operations(api.resources):
        for param in op.parameters:
            if param.credential:
                key = (param.location, param.json_name, param.credential)
                counts[key] = counts.get(key, 0) + 1
    return counts


def _auth(api: Api, op: Operation) -> str:
    """``auth: A or B + C; credentials: x | y+z`` for one operation."""
    if op.security is None:
        return "auth: none declared" + _filled(op)
    if op.security == ():
        return "auth: none" + _filled(op)
    schemes = {s.key: s for s in api.schemes}
    accepted = " or ".join(" + ".join(alt) or "anonymous" for alt in op.security)
    options: list[tuple[str, ...]] = []
    for alternative in op.security:
        if not alternative:
            continue
        per_scheme = [_options(schemes[name]) for name in alternative]
        for combination in itertools.product(*per_scheme):
            names = tuple(dict.fromkeys(n for group in combination for n in group))
            if names not in options:
                options.append(names)
    minimal = [o for o in options if not any(set(other) < set(o) for other in options)]
    needs = " | ".join("+".join(names) for names in minimal)
    if () in op.security:
        needs += " | none (anonymous)" if needs else "none (anonymous)"
    return f"auth: {accepted}; credentials: {needs}{_filled(op)}"


def _filled(op: Operation) -> str:
    """Parameters of ``op`` that carry a credential too (Notte's ``x-notte-api-key``)."""
    params = [
        f"{p.location} {p.json_name!r} from {p.credential}=" for p in op.parameters if p.credential
    ]
    return f"; also {', '.join(params)}" if params else ""


def _options(scheme: AuthScheme) -> list[tuple[str, ...]]:
    """The sets of credentials that satisfy one scheme."""
    if scheme.kind == "mutual_tls":
        return [(CERT,)]
    if scheme.kind == "basic":
        return [("username", "password")]
    options = [scheme.credentials[:1]]
    if scheme.kind == "oauth2" and scheme.token_url:
        if "client_credentials" in scheme.flows:
            options.append(("client_id", "client_secret"))
        if "password" in scheme.flows:
            options.append(("username", "password"))
    return options


# -- walking -------------------------------------------------------------------------------


def _operations(
    resources: tuple[Resource, ...], prefix: str = ""
) -> Iterator[tuple[str, Operation]]:
    """(``projects.runs``, operation) for every operation, in resource order."""
    for resource in resources:
        path = f"{prefix}.{resource.attr}" if prefix else resource.attr
        for op in resource.operations:
            yield path, op
        yield from _operations(resource.children, path)


def _clip(text: str, width: int = 80) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 3].rstrip() + "..."


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")
