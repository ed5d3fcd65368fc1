"""Security schemes ➜ :class:`AuthScheme` and the credentials a client asks for.

A user passes each credential once, by a clear name: every token-like scheme (API
keys, bearer, OpenID Connect, an OAuth2 access token) reads ``api_key`` unless the
spec (or an overlay) names another with ``x-clientgen-credential``; basic auth and the
OAuth2 password flow read ``username``/``password``; the client-credentials flow
reads ``client_id``/``client_secret``. Mutual TLS reads no credential: the client's
``cert=`` satisfies it.

Nothing is dropped silently: a scheme the client cannot apply is skipped with a
warning, and so is every requirement alternative that names it (with one more
warning when an operation is left with no usable alternative, and so goes out
without credentials).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .. import names
from ..errors import SpecError
from ..ir import AuthScheme, Credential

_FLOW_NAMES = {
    "clientCredentials": "client_credentials",
    "password": "password",
    "authorizationCode": "authorization_code",
    "implicit": "implicit",
}
TOKEN_FLOWS = ("client_credentials", "password")
"""The OAuth2 flows a client runs itself; any other flow needs a token obtained elsewhere."""

_DESCRIPTIONS = {
    "api_key": "API key",
    "username": "user name",
    "password": "password",
    "client_id": "OAuth2 client ID",
    "client_secret": "OAuth2 client secret",
}
_TOKEN_WORDS = {"api_key": "API key", "bearer": "bearer token", "oauth2": "OAuth2 access token"}
_SUPPORTED = "apiKey, http (bearer, basic), oauth2, openIdConnect and mutualTLS are"
_WORKAROUND = (
    "to authenticate them, send the credential yourself with the client's default_headers=, "
    "or per call with extra_headers= or extra_query="
)


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
        result = _scheme(key, scheme, warnings)
        if isinstance(result, str):
            warnings.append(
                f"security scheme {key!r} skipped: {result}; operations that accept only it are sent "
                f"without it; {_WORKAROUND}"
            )
        else:
            schemes.append(result)
    return tuple(schemes), warnings


def _scheme(key: str, scheme: Mapping[str, Any], warnings: list[str]) -> AuthScheme | str:
    """The scheme, or why the client cannot apply it."""
    kind = scheme.get("type")
    description = " ".join(str(scheme.get("description") or "").split())
    token_credential = _credential_override(scheme) or "api_key"
    if kind == "apiKey":
        location = scheme.get("in")
        if (
            location not in ("header", "query", "cookie")
            or not isinstance(scheme.get("name"), str)
            or not scheme["name"]
        ):
            return "an apiKey scheme needs 'in' (header, query or cookie) and a 'name'"
        return AuthScheme(
            key=key,
            kind="api_key",
            credentials=(token_credential,),
            description=description,
            param=scheme["name"],
            location=location,
            prefix=str(scheme.get("x-clientgen-prefix") or ""),
        )
    if kind == "http":
        http_scheme = str(scheme.get("scheme", "")).strip().lower()
        if http_scheme == "bearer":
            return AuthScheme(
                key=key, kind="bearer", credentials=(token_credential,), description=description
            )
        if http_scheme == "basic":
            return AuthScheme(
                key=key, kind="basic", credentials=("username", "password"), description=description
            )
        return f"HTTP authentication scheme {http_scheme!r} is not supported (bearer and basic are)"
    if kind == "openIdConnect":
        return AuthScheme(
            key=key,
            kind="bearer",
            credentials=(token_credential,),
            description=description or "OpenID Connect token, sent as a bearer token",
        )
    if kind == "oauth2":
        return _oauth2(key, scheme, token_credential, description, warnings)
    if kind == "mutualTLS":
        return AuthScheme(key=key, kind="mutual_tls", credentials=(), description=description)
    return f"security scheme type {kind!r} is not supported ({_SUPPORTED})"


def _oauth2(
    key: str, scheme: Mapping[str, Any], credential: str, description: str, warnings: list[str]
) -> AuthScheme:
    raw_flows = scheme.get("flows")
    flows: Mapping[str, Any] = raw_flows if isinstance(raw_flows, dict) else {}
    token_urls: dict[str, str] = {}
    flow_names: list[str] = []
    scopes: list[str] = []
    credentials = [credential]
    for spec_name, flow in flows.items():
        if not isinstance(flow, dict):
            continue
        name = _FLOW_NAMES.get(spec_name)
        if name is None:
            warnings.append(
                f"security scheme {key!r}: OAuth2 flow {spec_name!r} is not supported; "
                f"the client accepts an access token for it ({credential}=)"
            )
            continue
        flow_names.append(name)
        scopes += [s for s in (flow.get("scopes") or {}) if s not in scopes]
        if name in TOKEN_FLOWS:
            token_url = flow.get("tokenUrl")
            if not isinstance(token_url, str) or not token_url.strip():
                warnings.append(
                    f"security scheme {key!r}: the {spec_name} flow has no tokenUrl, so the client "
                    f"cannot run it; it accepts an access token ({credential}=)"
                )
                flow_names.pop()
                continue
            token_urls[name] = token_url.strip()
        if name == "client_credentials":
            credentials += ["client_id", "client_secret"]
        if name == "password":
            credentials += ["username", "password"]
    token_url = next(iter(token_urls.values()), None)
    if len(set(token_urls.values())) > 1:
        warnings.append(
            f"security scheme {key!r}: its flows name different token URLs "
            f"({', '.join(repr(u) for u in token_urls.values())}); the client fetches every token "
            f"from {token_url!r}"
        )
    return AuthScheme(
        key=key,
        kind="oauth2",
        credentials=tuple(dict.fromkeys(credentials)),
        description=description,
        token_url=token_url,
        flows=tuple(flow_names),
        scopes=tuple(scopes),
    )


def _credential_override(scheme: Mapping[str, Any]) -> str | None:
    value = scheme.get("x-clientgen-credential")
    return names.snake(value) if isinstance(value, str) and value.strip() else None


def credentials_for(schemes: tuple[AuthScheme, ...], env_prefix: str) -> tuple[Credential, ...]:
    """The constructor arguments the schemes read, each once, in a stable order."""
    seen: dict[str, Credential] = {}
    for scheme in schemes:
        for name in scheme.credentials:
            if name not in seen:
                seen[name] = Credential(
                    name=name,
                    env=f"{env_prefix}_{name.upper()}",
                    description=_DESCRIPTIONS.get(name) or _describe(name, scheme),
                    secret=name not in ("username", "client_id"),
                )
    return tuple(seen.values())


def _describe(name: str, scheme: AuthScheme) -> str:
    """A custom credential's description: what it is and the scheme that first reads it."""
    return f"{_TOKEN_WORDS.get(scheme.kind, name.replace('_', ' '))} for {scheme.key}"


def readers(schemes: tuple[AuthScheme, ...], credential: str) -> list[str]:
    """``scheme key`` (with the OAuth2 flow, when a flow reads it) of every scheme reading ``credential``."""
    out = []
    for scheme in schemes:
        if credential not in scheme.credentials:
            continue
        if scheme.kind == "oauth2" and credential in ("client_id", "client_secret"):
            out.append(f"{scheme.key} (client-credentials flow)")
        elif (
            scheme.kind == "oauth2"
            and credential in ("username", "password")
            and credential != scheme.credentials[0]
        ):
            out.append(f"{scheme.key} (password flow)")
        elif scheme.kind == "oauth2":
            out.append(f"{scheme.key} (access token)")
        else:
            out.append(scheme.key)
    return out


def requirements(
    raw: Any, known: set[str], where: str, file: str, warnings: list[str] | None = None
) -> tuple[tuple[str, ...], ...] | None:
    """OR-of-AND scheme names; ``()`` means no auth; None when nothing is declared.

    Alternatives naming a scheme the client cannot apply are dropped, with a warning
    (into ``warnings``, once per message). An empty alternative (``{}``) makes auth
    optional: it is kept, last, as ``()`` so that credentials the client has are still
    sent, and the call goes out anonymously only when no other alternative is satisfied.
    """
    if raw is None:
        return None
    if not isinstance(raw, list):
        raise SpecError(file, where, "security must be a list of requirement objects")
    alternatives: list[tuple[str, ...]] = []
    dropped = False
    for index, requirement in enumerate(raw):
        if not isinstance(requirement, dict):
            raise SpecError(file, f"{where}/{index}", "each security requirement must be an object")
        alternative = tuple(str(name) for name in requirement)
        unusable = [name for name in alternative if name not in known]
        if unusable:
            dropped = True
            label = " + ".join(alternative)
            names_ = ", ".join(repr(n) for n in unusable)
            _warn(
                warnings,
                f"{where}: security alternative {label!r} dropped: the client cannot apply "
                f"{names_} (a skipped scheme, or not declared in components/securitySchemes)",
            )
        elif alternative not in alternatives:
            alternatives.append(alternative)
    if () in alternatives:
        alternatives.remove(())
        alternatives.append(())
    if dropped and not alternatives:
        _warn(
            warnings,
            f"{where}: no security alternative is usable, so the operations it covers are sent without "
            f"credentials; {_WORKAROUND}",
        )
    return tuple(alternatives)


def _warn(warnings: list[str] | None, message: str) -> None:
    if warnings is not None and message not in warnings:
        warnings.append(message)
