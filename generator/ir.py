"""The intermediate representation: what every stage after normalize reads.

Plain frozen dataclasses, no behaviour. Every string that came from the spec and
ends up in generated code is already either a sanitized identifier (``*_name``,
``attr``) or raw text that templates must pass through the ``literal`` / ``doc``
filters. Type annotations (``annotation``) are Python expressions built by the
normalizer from sanitized names only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from .errors import Finding

ParamLocation = Literal["path", "query", "querystring", "header", "cookie"]
BodyEncoding = Literal["json", "form", "multipart", "binary", "text"]
SchemeKind = Literal["api_key", "bearer", "basic", "oauth2", "mutual_tls"]
StreamFormat = Literal["sse", "jsonl", "json-seq", "binary"]
PageStyle = Literal["offset", "page", "cursor", "next_url", "link"]


@dataclass(frozen=True)
class Credential:
    """One constructor argument that holds a secret (or a username)."""

    name: str  # constructor keyword, e.g. "api_key"
    env: str  # environment variable read when the client is built
    description: str
    secret: bool = True


@dataclass(frozen=True)
class AuthScheme:
    """A security scheme reduced to what the runtime needs to apply it."""

    key: str  # the spec's scheme name (a dict key, passed as a literal)
    kind: SchemeKind
    credentials: tuple[str, ...]  # constructor keywords this scheme reads
    description: str = ""
    param: str = ""  # api_key: header/query/cookie name
    location: str = ""  # api_key: header | query | cookie
    prefix: str = ""  # api_key: value prefix, e.g. "Api-Key "
    token_url: str | None = None  # oauth2
    flows: tuple[str, ...] = ()  # oauth2: client_credentials, password, ...
    scopes: tuple[str, ...] = ()


@dataclass(frozen=True)
class ClientParam:
    """A parameter set once on the client (Intuned's ``workspaceId``)."""

    name: str
    json_name: str
    annotation: str
    env: str
    description: str


@dataclass(frozen=True)
class ServerVariable:
    name: str
    json_name: str
    default: str
    enum: tuple[str, ...]
    description: str


@dataclass(frozen=True)
class Server:
    url: str
    description: str
    variables: tuple[ServerVariable, ...] = ()


@dataclass(frozen=True)
class Parameter:
    """A path, query, header or cookie parameter of an operation."""

    name: str  # Python keyword argument
    json_name: str
    location: ParamLocation
    annotation: str
    required: bool  # by the spec: an argument must be passed, a client value must be set
    description: str = ""
    client_param: str | None = None  # filled from this client attribute
    credential: str | None = None  # filled from this credential
    deprecated: bool = False
    example: str | None = None  # the spec's example, as a Python literal (names.example_literal)
    # How the value is serialized (OpenAPI's defaults filled in): form/spaceDelimited/
    # pipeDelimited/deepObject in the query, simple/label/matrix in paths, "json" for a
    # parameter declared with ``content``; ``structured``: the schema is an object.
    style: str = "form"
    explode: bool = True
    allow_reserved: bool = False
    structured: bool = False


@dataclass(frozen=True)
class BodyField:
    """One property of an object body, offered as a keyword argument."""

    name: str
    json_name: str
    annotation: str  # what the caller may pass (models also accept plain dicts)
    required: bool
    description: str = ""
    example: str | None = None  # the spec's example, as a Python literal (names.example_literal)


@dataclass(frozen=True)
class MediaChoice:
    """One media type a request body may be sent as, with the spec's ``encoding`` where simple."""

    media_type: str
    encoding: BodyEncoding
    # form: (JSON name, style, explode, allowReserved) of properties OpenAPI's default misses
    # ("json": the property's contentType is JSON, sent as JSON text)
    styles: tuple[tuple[str, str, bool, bool], ...] = ()
    part_types: tuple[tuple[str, str], ...] = ()  # multipart: (JSON name, the part's contentType)


@dataclass(frozen=True)
class Body:
    media_type: str
    encoding: BodyEncoding
    annotation: str  # the whole body's type
    required: bool
    model: str | None = None  # set when the body is an object model whose fields are flattened
    fields: tuple[BodyField, ...] = ()
    description: str = ""
    checked: str | None = None  # strict type a whole (not flattened) body is validated against
    # the media types the caller may send it as, ``media_type`` first; several: the method takes
    # ``choice_arg`` (``content_type=``), a Literal of them
    media: tuple[MediaChoice, ...] = ()
    choice_arg: str = ""


@dataclass(frozen=True)
class Streaming:
    """A streamed or downloaded 2xx body (see :mod:`generator.normalize.streaming`)."""

    format: StreamFormat  # "binary": a download (``BinaryResponse``)
    item: str  # annotation of one item ("ServerSentEvent", "str", "Any", a model)
    events: tuple[tuple[str, str], ...] = ()  # SSE event name ➜ item annotation
    terminator: str | None = None  # the ``data`` that ends the stream, e.g. "[DONE]"
    condition: str | None = None  # argument (Python name) that asks for the stream: JSON otherwise
    streams_by_default: bool = False  # the condition's default is true (Ollama)
    source: str = ""  # how it was detected, for ``clientgen validate``


@dataclass(frozen=True)
class Pagination:
    """How an operation pages: the runtime's ``Paginator`` fields, one to one."""

    style: PageStyle
    item: str  # annotation of one item
    items_path: str = "$"
    location: Literal["query", "body"] = "query"
    offset_param: str = "offset"
    page_param: str = "page"
    cursor_param: str = "cursor"
    limit_param: str | None = "limit"
    default_limit: int | None = None
    next_cursor_path: str | None = None
    next_url_path: str | None = None
    has_more_path: str | None = None
    total_path: str | None = None
    first_page: int = 1
    source: str = ""  # which extension or rule found it


@dataclass(frozen=True)
class Operation:
    method_name: str
    operation_id: str
    http_method: str
    path: str
    summary: str
    description: str
    parameters: tuple[Parameter, ...]
    body: Body | None
    result: str  # annotation of the success result: "Run", "RunSession | None", "None", "Any"
    result_parsed: bool  # False when the success response has no body
    errors: tuple[tuple[str, str], ...]  # (status key, annotation) of declared error bodies
    security: tuple[tuple[str, ...], ...] | None  # None: no requirement declared anywhere
    idempotency_header: str | None
    deprecated: bool = False
    streaming: Streaming | None = None
    pagination: Pagination | None = None
    accept: str | None = None  # the Accept header, when the 2xx bodies declare no JSON (text/csv)
    redirect: bool = False  # the success is a 3xx (no 2xx declared): returns the Location URL


@dataclass(frozen=True)
class Resource:
    attr: str  # attribute on the parent (client or resource)
    class_name: str  # sync class; async is "Async" + class_name
    description: str
    operations: tuple[Operation, ...]
    children: tuple[Resource, ...] = ()
    module: str = ""  # top-level resources: module under resources/


@dataclass(frozen=True)
class UnionReport:
    """How one anyOf/oneOf was resolved, for ``clientgen validate``."""

    where: str  # JSON pointer
    kind: Literal["nullable", "discriminated", "ordered"]
    detail: str


@dataclass(frozen=True)
class WebhookEvent:
    name: str  # the spec's key under ``webhooks``
    model: str  # annotation of the delivered body
    summary: str = ""
    description: str = ""


@dataclass(frozen=True)
class Webhooks:
    """Top-level ``webhooks`` (OpenAPI 3.1+): ``client.webhooks.unwrap`` parses these."""

    events: tuple[WebhookEvent, ...]
    event_type: str  # annotation of any event: a model alias (discriminated union) or ``A | B``
    discriminator: str | None = None  # set: dispatch by this body property, value = event name
    signed: bool = False  # Standard Webhooks signatures declared: unwrap always verifies


@dataclass(frozen=True)
class Api:
    title: str
    description: str
    spec_version: str
    openapi_version: str
    package: str  # import name, e.g. "ziet_api"
    dist_name: str  # distribution name, e.g. "ziet-api"
    version: str  # package version
    client_class: str  # e.g. "Ziet"
    env_prefix: str
    license: str | None
    servers: tuple[Server, ...]
    schemes: tuple[AuthScheme, ...]
    credentials: tuple[Credential, ...]
    client_params: tuple[ClientParam, ...]
    resources: tuple[Resource, ...]
    model_schemas: dict[str, Any]  # class name -> JSON schema with local refs to other classes
    model_names: tuple[str, ...]
    unions: tuple[UnionReport, ...] = ()
    warnings: tuple[Finding, ...] = ()  # what the client survives, located
    urls: tuple[tuple[str, str], ...] = field(default_factory=tuple)  # project URLs
    webhooks: Webhooks | None = None
