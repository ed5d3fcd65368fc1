"""Security schemes ➜ :class:`AuthScheme` and the credentials a client asks for.

A user passes each credential once, by a clear name: every token-like scheme (API
keys, bearer, OpenID Connect, an OAuth2 access token) reads ``api_key`` unless the
spec (or an overlay) names another with ``x-clientgen-credential``; basic auth and the
OAuth2 password flow read ``username``/``password``; the client-credentials flow
reads ``client_id``/``client_secret``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..errors import SpecError
from ..ir import AuthScheme, Credential
from . import names

_FLOW_NAMES = {
    "clientCredentials": "client_credentials",
    "password": "password",
    "authorizationCode": "authorization_code",
    "implicit": "implicit",
}
_DESCRIPTIONS = {
    "api_key": "API key",
    "username": "user name",
    "password": "password",
    "client_id": "OAuth2 client ID",
    "client_secret": "OAuth2 client secret",
}


def normalize_schemes(
    raw: Mapping[str, Any], file: str
) -> tuple[tuple[AuthScheme, ...], list[str]]:
    """Every supported scheme, plus a warning for each one the client cannot apply."""
    schemes: list[AuthScheme] = []
    warnings: list[str] = []
    for key, scheme in raw.items():
        pointer = f"/components/securitySchemes/{key}"
        if not isinstance(scheme, dict):
            raise SpecError(file, pointer, "a security scheme must be an object")
        result = _scheme(key, scheme)
        if isinstance(result, str):
            warnings.append(f"security scheme {key!r} skipped: {result}")
        else:
            schemes.append(result)
    return tuple(schemes), warnings


def _scheme(key: str, scheme: Mapping[str, Any]) -> AuthScheme | str:
    kind = scheme.get("type")
    description = str(scheme.get("description") or "")
    token_credential = _credential_override(scheme) or "api_key"
    if kind == "apiKey":
        location = scheme.get("in")
        if location not in ("header", "query", "cookie") or not isinstance(scheme.get("name"), str):
            return "apiKey needs 'in' (header, query or cookie) and 'name'"
        return AuthScheme(
            key=key, kind="api_key", credentials=(token_credential,), description=description,
            param=scheme["name"], location=location, prefix=str(scheme.get("x-clientgen-prefix") or ""),
        )
    if kind == "http":
        http_scheme = str(scheme.get("scheme", "")).lower()
        if http_scheme == "bearer":
            return AuthScheme(key=key, kind="bearer", credentials=(token_credential,), description=description)
        if http_scheme == "basic":
            return AuthScheme(key=key, kind="basic", credentials=("username", "password"), description=description)
        return f"HTTP scheme {http_scheme!r} is not supported (bearer and basic are)"
    if kind == "openIdConnect":
        return AuthScheme(key=key, kind="bearer", credentials=(token_credential,), description=description)
    if kind == "oauth2":
        return _oauth2(key, scheme, token_credential, description)
    if kind == "mutualTLS":
        return AuthScheme(key=key, kind="mutual_tls", credentials=(), description=description)
    return f"unknown security scheme type {kind!r}"


def _oauth2(key: str, scheme: Mapping[str, Any], credential: str, description: str) -> AuthScheme:
    flows = scheme.get("flows") if isinstance(scheme.get("flows"), dict) else {}
    token_url: str | None = None
    flow_names: list[str] = []
    scopes: list[str] = []
    credentials = [credential]
    for spec_name, flow in flows.items():
        if not isinstance(flow, dict):
            continue
        name = _FLOW_NAMES.get(spec_name)
        if name is None:
            continue
        flow_names.append(name)
        scopes += [s for s in (flow.get("scopes") or {}) if s not in scopes]
        if name in ("client_credentials", "password") and token_url is None:
            token_url = str(flow.get("tokenUrl") or "") or None
        if name == "client_credentials":
            credentials += ["client_id", "client_secret"]
        if name == "password":
            credentials += ["username", "password"]
    unique = tuple(dict.fromkeys(credentials))
    return AuthScheme(
        key=key, kind="oauth2", credentials=unique, description=description,
        token_url=token_url, flows=tuple(flow_names), scopes=tuple(scopes),
    )


def _credential_override(scheme: Mapping[str, Any]) -> str | None:
    value = scheme.get("x-clientgen-credential")
    return names.snake(value) if isinstance(value, str) and value else None


def credentials_for(schemes: tuple[AuthScheme, ...], env_prefix: str) -> tuple[Credential, ...]:
    """The constructor arguments the schemes read, each once, in a stable order."""
    seen: dict[str, Credential] = {}
    for scheme in schemes:
        for name in scheme.credentials:
            if name not in seen:
                seen[name] = Credential(
                    name=name,
                    env=f"{env_prefix}_{name.upper()}",
                    description=_DESCRIPTIONS.get(name, name.replace("_", " ")),
                    secret=name not in ("username", "client_id"),
                )
    return tuple(seen.values())


def requirements(raw: Any, known: set[str], where: str, file: str) -> tuple[tuple[str, ...], ...] | None:
    """OR-of-AND scheme names; ``()`` means no auth; None when nothing is declared.

    Alternatives naming a scheme the client cannot apply are dropped (a warning was
    already given); an empty alternative (``{}``) stays as ``()``: anonymous access is
    acceptable when no earlier alternative's credentials were supplied.
    """
    if raw is None:
        return None
    if not isinstance(raw, list):
        raise SpecError(file, where, "security must be a list of requirement objects")
    alternatives: list[tuple[str, ...]] = []
    for requirement in raw:
        if not isinstance(requirement, dict):
            raise SpecError(file, where, "each security requirement must be an object")
        if all(name in known for name in requirement):
            alternatives.append(tuple(requirement))
    return tuple(alternatives)
