"""Helpers generated methods call to assemble a request from keyword arguments."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from pydantic_core import ValidationError

from ._auth import SecretStore
from ._exceptions import ConfigurationError, MissingCredentialError, invalid_argument
from ._types import NOT_GIVEN, NotGiven

if TYPE_CHECKING:
    from pydantic import BaseModel


class _HasCredentials(Protocol):
    # Read-only members: a client's `dict` of env vars satisfies `Mapping` (mypy --strict).
    @property
    def _secrets(self) -> SecretStore: ...

    @property
    def _env_vars(self) -> Mapping[str, str]: ...


__all__ = [
    "build_body",
    "build_optional_body",
    "client_param",
    "credential",
    "query_string",
    "require",
    "server_url",
]

M = TypeVar("M", bound="BaseModel")
V = TypeVar("V")


def build_body(
    model: type[M], values: Mapping[str, object], arguments: Mapping[str, str] | None = None
) -> M:
    """The request model from the arguments the caller gave (by JSON name).

    Arguments left at `NOT_GIVEN` are not set, so they are not sent; wrong types fail
    here, before anything goes on the wire, with `InvalidArgumentError` naming each argument
    (`arguments` maps JSON names to the method's keywords where they differ).
    """
    given: dict[str, Any] = {k: v for k, v in values.items() if not isinstance(v, NotGiven)}
    try:
        return model.model_validate(given)
    except ValidationError as error:
        raise invalid_argument(error, arguments or {}) from None


def build_optional_body(
    model: type[M], values: Mapping[str, object], arguments: Mapping[str, str] | None = None
) -> M | NotGiven:
    """`build_body` for an optional body: `NOT_GIVEN` (no body is sent) when no argument is given."""
    if all(isinstance(v, NotGiven) for v in values.values()):
        return NOT_GIVEN
    return build_body(model, values, arguments)


def query_string(value: object) -> Mapping[str, object]:
    """The pairs of an OpenAPI 3.2 `in: querystring` parameter (form-encoded): the whole query
    string is this one object, so its fields are the query's keys. Unset: no pairs."""
    if value is None or isinstance(value, NotGiven):
        return {}
    dump = getattr(value, "model_dump", None)
    if callable(dump):
        dumped = dump(mode="json", by_alias=True, exclude_unset=True)
        return dumped if isinstance(dumped, dict) else {}
    return value if isinstance(value, Mapping) else {}


def client_param(value: V | None, name: str, env: str) -> V | str | None:
    """A client-level parameter: the argument, else the environment variable, read now."""
    if value is not None:
        return value
    return os.environ.get(env)


def require(value: V | None, name: str, env: str) -> V:
    """A client-level parameter an operation needs; a clear error when it was never set."""
    if value is None:
        raise ConfigurationError(
            f"this operation needs {name}: pass {name}=... to the client or set {env}"
        )
    return value


def credential(client: _HasCredentials, name: str) -> str:
    """A credential the spec also wants as a plain parameter (Notte's ``x-notte-api-key``)."""
    value = client._secrets.get(name)
    if value is None:
        env = client._env_vars.get(name)
        how = f"pass {name}=..." + (f" or set {env}" if env else "")
        raise MissingCredentialError(
            f"{type(client).__name__} needs {name} for this operation: {how}",
            arguments=(name,),
            env_vars=(env,) if env else (),
        )
    return value


def server_url(
    template: str | None, values: Mapping[str, str | None], defaults: Mapping[str, str]
) -> str | None:
    """The spec's server URL with its variables filled in (the caller's value, else the default)."""
    if template is None:
        return None
    url = template
    for name, default in defaults.items():
        value = values.get(name)
        url = url.replace("{" + name + "}", default if value is None else value)
    return url
