"""Stage 3, normalize: a validated :class:`~generator.load.LoadedSpec` in, an
:class:`~generator.ir.Api` out. Every quirk of the spec ends here: nothing after this stage
reads the raw document.

:mod:`.security` (schemes and credentials), :mod:`.schemas` (named model schemas, hoisting,
nullability) with :mod:`.unions` and :mod:`.shapes`, :mod:`.operations` (resources, methods,
parameters, bodies), :mod:`.refs` (resolving local references).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .. import names
from ..errors import Finding, pointer_from_parts
from ..load.pointers import line_of, parse_pointer
from ..ir import Api, ClientParam, Credential, Server, ServerVariable
from .operations import OperationBuilder
from .refs import RefResolver
from .schemas import SchemaNormalizer
from .security import credentials_for, normalize_schemes
from .versions import coerce_version
from .webhooks import normalize_webhooks

if TYPE_CHECKING:
    from ..config import ClientConfig
    from ..load import LoadedSpec


def normalize(spec: LoadedSpec, config: ClientConfig) -> Api:
    document = spec.document
    file = str(spec.path)
    resolver = RefResolver(document, file)
    raw_info = document.get("info")
    info: dict[str, Any] = raw_info if isinstance(raw_info, dict) else {}
    schemas = SchemaNormalizer(resolver, file)
    raw_schemes = (document.get("components") or {}).get("securitySchemes") or {}
    resolved_schemes = {
        k: resolver.deref(v, f"/components/securitySchemes/{k}") for k, v in raw_schemes.items()
    }
    schemes, scheme_warnings = normalize_schemes(resolved_schemes, file)
    credentials = credentials_for(schemes, config.env_prefix)
    if isinstance(document.get("webhooks"), dict) and document["webhooks"]:
        credentials += (
            Credential(
                "webhook_secret",
                f"{config.env_prefix}_WEBHOOK_SECRET",
                "the secret that signs webhook deliveries (Standard Webhooks)",
            ),
        )
    # keyword arguments of the client's constructor: credentials, client params, server variables
    arguments = names.Scope(c.name for c in credentials)
    client_params: dict[str, ClientParam] = {}
    builder = OperationBuilder(
        resolver,
        schemas,
        file,
        {s.key for s in schemes},
        client_params,
        config.env_prefix,
        arguments,
    )
    resources = builder.build()
    webhooks = normalize_webhooks(resolver, schemas, builder.warnings)
    schemas.open_enums()
    version, version_warning = _package_version(config, info)
    findings = [
        *(
            _located(spec, text, "unsupported security")
            for text in [*scheme_warnings, *builder.security_warnings]
        ),
        *(_located(spec, text, "repaired operation") for text in builder.warnings),
        *(_located(spec, f"{p}: {m}", kind) for p, kind, m in schemas.degraded),
        *spec.load_warnings,
        *(
            [_located(spec, f"/info/version: {version_warning}", "package version")]
            if version_warning
            else []
        ),
    ]
    client_class = config.client_class or names.pascal(config.name, fallback="Client")
    if client_class in schemas.models or f"Async{client_class}" in schemas.models:
        client_class = schemas.claim_name(client_class + "Client")
    return Api(
        title=str(info.get("title") or config.name),
        description=str(info.get("description") or ""),
        spec_version=str(info.get("version") or ""),
        openapi_version=str(document.get("openapi", "")),
        package=config.package,
        dist_name=config.dist_name,
        version=version,
        client_class=client_class,
        env_prefix=config.env_prefix,
        license=_license(info),
        servers=_servers(document.get("servers"), arguments),
        schemes=schemes,
        credentials=credentials,
        client_params=tuple(client_params.values()),
        resources=resources,
        model_schemas=schemas.models,
        model_names=tuple(schemas.models),
        unions=tuple(schemas.unions),
        warnings=tuple(sorted(findings, key=lambda f: f.sort_key)),
        urls=_urls(info, document),
        webhooks=webhooks,
    )


def _package_version(config: ClientConfig, info: dict[str, Any]) -> tuple[str, str | None]:
    """The package's version: the configured one, else ``info.version`` made PEP 440 (with
    what was changed, for a warning)."""
    if config.version:
        return config.version, None
    raw = str(info.get("version") or "")
    version, changed = coerce_version(raw)
    if not changed:
        return version, None
    return version, (
        f"info.version {raw!r} is not a PEP 440 version; the package is versioned {version} "
        "(set 'version' for this client in [tool.clientgen], or --version, to choose)"
    )


def _located(spec: LoadedSpec, text: str, kind: str) -> Finding:
    """A warning written ``/pointer: message`` (or just a message) as a located finding."""
    file = str(spec.path)
    pointer, sep, message = text.partition(": ")
    parts = parse_pointer(pointer) if sep and text.startswith("/") else None
    if parts is None:
        return Finding(file, None, text, kind)
    where = spec.original_parts(parts)
    return Finding(file, pointer_from_parts(where), message, kind, line_of(spec.source_text, where))


def _license(info: dict[str, Any]) -> str | None:
    license_ = info.get("license")
    if isinstance(license_, dict):
        value = license_.get("identifier") or license_.get("name")
        return str(value) if value else None
    return None


def _urls(info: dict[str, Any], document: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    urls: list[tuple[str, str]] = []
    for label, value in (
        ("Documentation", (document.get("externalDocs") or {}).get("url")),
        ("Terms of Service", info.get("termsOfService")),
    ):
        if isinstance(value, str) and value.startswith(("https://", "http://")):
            urls.append((label, value))
    return tuple(urls)


def _servers(raw: Any, arguments: names.Scope) -> tuple[Server, ...]:
    servers = []
    for server in raw if isinstance(raw, list) else []:
        if not isinstance(server, dict) or not isinstance(server.get("url"), str):
            continue
        variables = tuple(
            ServerVariable(
                name=arguments.claim(names.snake(key)),
                json_name=key,
                default=str(var.get("default", "")),
                enum=tuple(str(v) for v in var.get("enum") or []),
                description=str(var.get("description") or ""),
            )
            for key, var in (server.get("variables") or {}).items()
            if isinstance(var, dict)
        )
        servers.append(
            Server(
                url=server["url"],
                description=str(server.get("description") or ""),
                variables=variables,
            )
        )
    return tuple(servers)
