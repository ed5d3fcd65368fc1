"""Security schemes: which credentials an operation needs, and how they go on a request.

Generated clients describe their schemes with the frozen dataclasses below; the client picks,
per operation, the first OR-alternative whose credentials were all supplied. Credential values
live only in a `SecretStore`, whose `repr` lists names and whose `redact` scrubs values out of
any text the runtime emits.
"""

from __future__ import annotations

import base64
import itertools
from collections.abc import Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Literal, TypeAlias
from urllib.parse import quote

import httpx

from ._exceptions import ConfigurationError, MissingCredentialError
from ._oauth2 import TokenCache

__all__ = [
    "CERT",
    "ApiKeyAuth",
    "AuthParts",
    "AuthScheme",
    "BasicAuth",
    "BearerAuth",
    "Credential",
    "MutualTLSAuth",
    "OAuth2Auth",
    "SecretStore",
    "missing_credential_error",
    "secret_header_names",
    "select_schemes",
]

CERT = "cert"
"""The pseudo-credential `MutualTLSAuth` needs: present when the client was given `cert=`."""

_CLIENT_CREDENTIALS_FLOWS = frozenset({"client_credentials", "clientCredentials"})


@dataclass(frozen=True)
class Credential:
    """A constructor argument carrying a credential, and the env var read when it is omitted."""

    name: str
    env: str | None
    secret: bool = True


@dataclass
class AuthParts:
    """What a set of schemes adds to one request."""

    headers: dict[str, str] = field(default_factory=dict)
    query: list[tuple[str, str]] = field(default_factory=list)
    cookies: dict[str, str] = field(default_factory=dict)

    def bearer(self, token: str) -> None:
        self.headers["Authorization"] = f"Bearer {token}"


Option: TypeAlias = tuple[str, tuple[str, ...]]
"""One way to satisfy a scheme: a description for humans, and the credentials it takes."""


@dataclass(frozen=True)
class ApiKeyAuth:
    """An API key sent in a header, a query parameter or a cookie, after an optional prefix."""

    param: str
    location: Literal["header", "query", "cookie"]
    credential: str = "api_key"
    prefix: str = ""

    @property
    def credentials(self) -> tuple[str, ...]:
        return (self.credential,)

    def options(self) -> tuple[Option, ...]:
        return (("an API key", self.credentials),)

    def apply(self, parts: AuthParts, store: SecretStore) -> None:
        value = self.prefix + store.require(self.credential)
        if self.location == "header":
            parts.headers[self.param] = value
        elif self.location == "query":
            parts.query.append((self.param, value))
        else:
            parts.cookies[self.param] = value


@dataclass(frozen=True)
class BearerAuth:
    """HTTP bearer authentication (also OpenID Connect): `Authorization: Bearer <token>`."""

    credential: str = "api_key"

    @property
    def credentials(self) -> tuple[str, ...]:
        return (self.credential,)

    def options(self) -> tuple[Option, ...]:
        return (("an API key", self.credentials),)

    def apply(self, parts: AuthParts, store: SecretStore) -> None:
        parts.bearer(store.require(self.credential))


@dataclass(frozen=True)
class BasicAuth:
    """HTTP basic authentication."""

    username: str = "username"
    password: str = "password"

    @property
    def credentials(self) -> tuple[str, ...]:
        return (self.username, self.password)

    def options(self) -> tuple[Option, ...]:
        return (("a username and password", self.credentials),)

    def apply(self, parts: AuthParts, store: SecretStore) -> None:
        pair = f"{store.require(self.username)}:{store.require(self.password)}"
        parts.headers["Authorization"] = "Basic " + base64.b64encode(pair.encode()).decode()


@dataclass(frozen=True)
class OAuth2Auth:
    """OAuth2: a static access token, or one fetched with the client-credentials or password flow.

    Fetched tokens are cached per client (see `TokenCache`); the client fetches them, since that
    is I/O, and `apply` only handles the static token.
    """

    token_url: str | None
    flows: tuple[str, ...]
    scopes: tuple[str, ...] = ()
    credential: str = "api_key"
    client_id: str = "client_id"
    client_secret: str = "client_secret"
    username: str = "username"
    password: str = "password"

    @property
    def credentials(self) -> tuple[str, ...]:
        return (self.credential, self.client_id, self.client_secret, self.username, self.password)

    def options(self) -> tuple[Option, ...]:
        options: list[Option] = [("an access token", (self.credential,))]
        if self.token_url and _CLIENT_CREDENTIALS_FLOWS.intersection(self.flows):
            options.append(("a client ID and client secret", (self.client_id, self.client_secret)))
        if self.token_url and "password" in self.flows:
            options.append(("a username and password", (self.username, self.password)))
        return tuple(options)

    def apply(self, parts: AuthParts, store: SecretStore) -> None:
        parts.bearer(store.require(self.credential))

    def token_request_data(self, store: SecretStore) -> dict[str, str]:
        """The form body of a token request, for the first flow whose credentials are present."""
        if _CLIENT_CREDENTIALS_FLOWS.intersection(self.flows) and _all_set(
            store, self.client_id, self.client_secret
        ):
            data = {"grant_type": "client_credentials"}
        elif "password" in self.flows and _all_set(store, self.username, self.password):
            data = {
                "grant_type": "password",
                "username": store.require(self.username),
                "password": store.require(self.password),
            }
        else:
            raise ConfigurationError("no OAuth2 flow has all its credentials")
        for key, name in (("client_id", self.client_id), ("client_secret", self.client_secret)):
            value = store.get(name)
            if value:
                data[key] = value
        if self.scopes:
            data["scope"] = " ".join(self.scopes)
        return data


@dataclass(frozen=True)
class MutualTLSAuth:
    """Mutual TLS: satisfied when the client was given `cert=` (the TLS layer does the rest)."""

    @property
    def credentials(self) -> tuple[str, ...]:
        return (CERT,)

    def options(self) -> tuple[Option, ...]:
        return (("a client certificate", self.credentials),)

    def apply(self, parts: AuthParts, store: SecretStore) -> None:
        """Nothing to add: the certificate is presented during the TLS handshake."""


AuthScheme: TypeAlias = ApiKeyAuth | BearerAuth | BasicAuth | OAuth2Auth | MutualTLSAuth


class SecretStore:
    """The credential values of one client. Its `repr` names them; nothing here shows a value."""

    __slots__ = ("_values", "_secret_names", "_tokens", "__weakref__")

    def __init__(self, values: Mapping[str, str], secret: AbstractSet[str]) -> None:
        self._values = dict(values)
        self._secret_names = frozenset(secret)
        self._tokens: dict[OAuth2Auth, TokenCache] = {}

    @classmethod
    def collect(
        cls,
        given: Mapping[str, str | None],
        specs: Sequence[Credential],
        environ: Mapping[str, str],
    ) -> SecretStore:
        """Take each credential from its argument, else from its env var (empty counts as unset)."""
        values = {name: value for name, value in given.items() if value}
        for spec in specs:
            if spec.name not in values and spec.env and environ.get(spec.env):
                values[spec.name] = environ[spec.env]
        public = {spec.name for spec in specs if not spec.secret}
        return cls(values, set(values) - public)

    def get(self, name: str) -> str | None:
        return self._values.get(name)

    def require(self, name: str) -> str:
        value = self._values.get(name)
        if value is None:
            raise MissingCredentialError(f"missing credential {name}", arguments=(name,))
        return value

    def names(self) -> frozenset[str]:
        return frozenset(self._values)

    def values(self) -> dict[str, str]:
        return dict(self._values)

    def token_cache(self, scheme: OAuth2Auth) -> TokenCache:
        return self._tokens.setdefault(scheme, TokenCache())

    def redact(self, text: str) -> str:
        """`text` with every secret (also as it looks percent-encoded in a URL) masked.

        The runtime never writes a secret into a message; this is the second line of defence
        (a server echoing a key back). Values shorter than `MIN_REDACTED` are left alone: they
        cannot be told apart from ordinary words, and masking them would garble every message.
        """
        secrets = [self._values[name] for name in self._secret_names]
        secrets += [cache.token for cache in list(self._tokens.values()) if cache.token]
        variants = {
            form
            for secret in secrets
            if len(secret) >= MIN_REDACTED
            for form in _encoded_forms(secret)
        }
        variants.update(  # a basic credential, as a server repeating the Authorization header shows it
            base64.b64encode(f"{user}:{self._values[name]}".encode()).decode()
            for user in self._values.values()
            for name in self._secret_names
            if len(self._values[name]) >= MIN_REDACTED
        )
        for variant in sorted(variants, key=len, reverse=True):
            text = text.replace(variant, "[redacted]")
        return text

    def __repr__(self) -> str:
        return f"SecretStore({sorted(self._values)})"


MIN_REDACTED = 6


def _encoded_forms(secret: str) -> Iterable[str]:
    yield secret
    yield quote(secret, safe="")
    yield str(httpx.QueryParams({"": secret}))[1:]


def secret_header_names(schemes: Iterable[AuthScheme]) -> frozenset[str]:
    """Lower-case names of the headers that may carry a credential of these schemes."""
    names = {"authorization", "proxy-authorization"}
    for scheme in schemes:
        if isinstance(scheme, ApiKeyAuth) and scheme.location == "header":
            names.add(scheme.param.lower())
        elif isinstance(scheme, ApiKeyAuth) and scheme.location == "cookie":
            names.add("cookie")
    return frozenset(names)


def select_schemes(
    security: Sequence[Sequence[str]],
    schemes: Mapping[str, AuthScheme],
    available: AbstractSet[str],
) -> tuple[AuthScheme, ...] | None:
    """The schemes of the first alternative whose credentials are all available.

    `()` (no alternatives) means the operation needs no auth; `None` means none is satisfiable.
    """
    if not security:
        return ()
    for alternative in security:
        chosen = tuple(_scheme(schemes, name) for name in alternative)
        if all(_satisfied(scheme, available) for scheme in chosen):
            return chosen
    return None


def missing_credential_error(
    client_name: str,
    security: Sequence[Sequence[str]],
    schemes: Mapping[str, AuthScheme],
    available: AbstractSet[str],
    env_vars: Mapping[str, str],
) -> MissingCredentialError:
    """Say which constructor arguments (or env vars) would let the operation run."""
    needs: list[tuple[str, tuple[str, ...]]] = []
    for alternative in security:
        chosen = [_scheme(schemes, name) for name in alternative]
        per_scheme = [s.options() for s in chosen if not _satisfied(s, available)]
        for combination in itertools.product(*per_scheme):
            what = " and ".join(dict.fromkeys(description for description, _ in combination))
            names = tuple(
                dict.fromkeys(n for _, names in combination for n in names if n not in available)
            )
            if all(names != known for _, known in needs):  # one way per set of arguments
                needs.append((what, names))
    if len(needs) == 1:
        what, names = needs[0]
        message = f"{client_name} needs {what}: {_how(names, env_vars)}"
    else:
        ways = ", or ".join(f"{what} ({_how(names, env_vars)})" for what, names in needs)
        message = f"{client_name} needs credentials for this operation: {ways}"
    arguments = tuple(dict.fromkeys(name for _, names in needs for name in names))
    return MissingCredentialError(
        message,
        arguments=arguments,
        env_vars=tuple(env_vars[name] for name in arguments if name in env_vars),
    )


def _how(names: tuple[str, ...], env_vars: Mapping[str, str]) -> str:
    how = "pass " + " and ".join(f"{name}=..." for name in names)
    envs = [env_vars[name] for name in names if name in env_vars]
    if envs and len(envs) == len(names):
        how += " or set " + " and ".join(envs)
    elif envs:
        how += " (or set " + ", ".join(f"{env_vars[n]} for {n}" for n in names if n in env_vars)
        how += ")"
    return how


def _all_set(store: SecretStore, *names: str) -> bool:
    return all(store.get(name) for name in names)


def _satisfied(scheme: AuthScheme, available: AbstractSet[str]) -> bool:
    return any(all(name in available for name in names) for _, names in scheme.options())


def _scheme(schemes: Mapping[str, AuthScheme], name: str) -> AuthScheme:
    try:
        return schemes[name]
    except KeyError:
        raise ConfigurationError(f"unknown security scheme {name!r}") from None
