"""A readable account of what the normalizer made of a spec (``clientgen validate``)."""

from __future__ import annotations

from .ir import Api
from .signatures import walk


def describe_api(api: Api) -> str:
    lines = [f"{api.title} (OpenAPI {api.openapi_version}, API version {api.spec_version}): valid", ""]
    lines.append("Security schemes:")
    if not api.schemes:
        lines.append("  none")
    env = {c.name: c.env for c in api.credentials}
    for scheme in api.schemes:
        asks = ", ".join(f"{name}= or ${env[name]}" for name in scheme.credentials) or "cert="
        detail = {
            "api_key": f"API key in {scheme.location} {scheme.param!r}" + (f" with prefix {scheme.prefix!r}" if scheme.prefix else ""),
            "bearer": "HTTP bearer token",
            "basic": "HTTP basic",
            "oauth2": f"OAuth2 ({', '.join(scheme.flows) or 'no flows'}; token URL {scheme.token_url!r}); a static token also works",
            "mutual_tls": "mutual TLS client certificate",
        }[scheme.kind]
        lines.append(f"  {scheme.key}: {detail}; client asks for {asks}")
    for param in api.client_params:
        lines.append(f"  client-level parameter {param.json_name!r}: {param.name}= or ${param.env}")
    lines += ["", "Operations:"]
    for resource in walk(api.resources):
        for op in resource.operations:
            if op.security is None or op.security == ():
                needs = "no auth"
            else:
                needs = " or ".join(" + ".join(alt) or "anonymous" for alt in op.security)
            lines.append(f"  {op.http_method} {op.path} -> {resource.class_name}.{op.method_name}() -> {op.result}; auth: {needs}")
    lines += ["", f"Models: {len(api.model_names)}", "Unions:"]
    resolved = [u for u in api.unions if u.kind != "nullable"]
    nullable = len(api.unions) - len(resolved)
    lines.append(f"  {nullable} nullable (X | None)")
    for union in resolved:
        lines.append(f"  {union.where}: {union.kind} {union.detail}")
    lines += ["", "Warnings:"]
    lines += [f"  {w}" for w in api.warnings] or ["  none"]
    return "\n".join(lines)
