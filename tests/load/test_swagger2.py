"""generator.load.swagger2: Swagger 2.0 ➜ OpenAPI 3.0.3, its source map, and its use in load_spec.

Small hand-written 2.0 documents check each rule; every converted document must pass
openapi-spec-validator's 3.0 validator and have every ``$ref`` resolve. The three 2.0 documents
of ``../shared/corpus/apis`` are converted too, and compared with what the npm package
swagger2openapi makes of them (skipped when the corpus or ``node_modules`` is absent).
"""

from __future__ import annotations

import copy
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from openapi_spec_validator import OpenAPIV30SpecValidator

from generator.errors import pointer_from_parts
from generator.load import line_of, load_spec
from generator.load.swagger2 import Converted, convert_swagger2, original_pointer

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO.parent / "shared" / "corpus" / "apis"
SWAGGER2OPENAPI = REPO / "node_modules" / ".bin" / "swagger2openapi"
CORPUS_FILES = (
    "gotify-server-swagger2.json",
    "docker-engine-swagger2.yaml",
    "argo-workflows-swagger2.json",
)
METHODS = ("get", "put", "post", "delete", "options", "head", "patch")


# --- helpers -----------------------------------------------------------------------------------


def resolve(document: Any, ref: str) -> Any:
    """The node a local ``$ref`` points at (KeyError/IndexError when it points nowhere)."""
    assert ref.startswith("#/"), ref
    node = document
    for part in ref[2:].split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        node = node[int(part)] if isinstance(node, list) else node[part]
    return node


def deref(document: Any, node: Any) -> Any:
    while isinstance(node, dict) and isinstance(node.get("$ref"), str):
        node = resolve(document, node["$ref"])
    return node


def refs(node: Any) -> list[str]:
    """Every ``$ref`` string under ``node``."""
    if isinstance(node, dict):
        own = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return own + [r for value in node.values() for r in refs(value)]
    if isinstance(node, list):
        return [r for value in node for r in refs(value)]
    return []


def assert_valid(document: dict[str, Any]) -> None:
    """Passes the 3.0 validator, and every ``$ref`` resolves inside the document."""
    findings = [str(e)[:300] for e in OpenAPIV30SpecValidator(document).iter_errors()]
    assert findings == []
    for ref in refs(document):
        resolve(document, ref)


def convert(document: dict[str, Any]) -> Converted:
    """Convert a copy, check the input is untouched and the output valid."""
    before = copy.deepcopy(document)
    converted = convert_swagger2(document)
    assert document == before
    assert converted.document["openapi"] == "3.0.3"
    assert_valid(converted.document)
    return converted


def swagger(paths: dict[str, Any] | None = None, **top: Any) -> dict[str, Any]:
    """A minimal 2.0 document around ``paths``."""
    return {"swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": paths or {}, **top}


def op(*parameters: Any, **fields: Any) -> dict[str, Any]:
    """An operation with ``parameters`` and a 200 response (unless ``responses`` is given)."""
    return {"parameters": list(parameters), "responses": {"200": {"description": "ok"}}, **fields}


OBJ = {"type": "object", "properties": {"a": {"type": "string"}}}


# --- servers -----------------------------------------------------------------------------------


def test_servers_one_per_scheme_https_first() -> None:
    doc = swagger(host="api.example.com:8443", basePath="/v2/", schemes=["http", "wss", "https"])
    servers = convert(doc).document["servers"]
    assert [s["url"] for s in servers] == [
        "https://api.example.com:8443/v2",
        "http://api.example.com:8443/v2",
        "wss://api.example.com:8443/v2",
    ]


def test_servers_without_host_are_relative_to_base_path() -> None:
    assert convert(swagger(basePath="/v1.56", schemes=["http"])).document["servers"] == [
        {"url": "/v1.56"}
    ]
    assert "servers" not in convert(swagger()).document


def test_servers_without_schemes_assume_https_and_say_so() -> None:
    converted = convert(swagger(host="h.example", basePath="/"))
    assert converted.document["servers"] == [{"url": "https://h.example"}]
    assert any(w.startswith("/host:") and "https" in w for w in converted.warnings)


def test_operation_schemes_become_operation_servers() -> None:
    doc = swagger({"/a": {"get": op(schemes=["http"])}}, host="h", schemes=["https"])
    assert convert(doc).document["paths"]["/a"]["get"]["servers"] == [{"url": "http://h"}]


# --- request bodies ----------------------------------------------------------------------------


def test_body_parameter_becomes_request_body_with_consumes() -> None:
    body = {"in": "body", "name": "pet", "required": True, "description": "d", "schema": OBJ}
    doc = swagger(
        {"/a": {"post": op(body), "put": op(dict(body, required=False), consumes=["text/xml"])}},
        consumes=["application/json", "application/xml"],
    )
    paths = convert(doc).document["paths"]["/a"]
    request = paths["post"]["requestBody"]
    assert request["required"] is True and request["description"] == "d"
    assert list(request["content"]) == ["application/json", "application/xml"]
    assert request["content"]["application/xml"]["schema"] == OBJ
    assert request["x-codegen-request-body-name"] == "pet"
    assert "parameters" not in paths["post"]
    assert list(paths["put"]["requestBody"]["content"]) == ["text/xml"]
    assert "required" not in paths["put"]["requestBody"]


def test_body_without_consumes_is_json() -> None:
    doc = swagger({"/a": {"post": op({"in": "body", "name": "b", "schema": OBJ})}})
    body = convert(doc).document["paths"]["/a"]["post"]["requestBody"]
    assert list(body["content"]) == ["application/json"]


def test_form_data_is_urlencoded_with_required_and_array_encoding() -> None:
    params = [
        {"in": "formData", "name": "name", "type": "string", "required": True, "description": "n"},
        {"in": "formData", "name": "tags", "type": "array", "items": {"type": "string"}},
        {"in": "formData", "name": "ids", "type": "array", "items": {"type": "integer"}}
        | {"collectionFormat": "multi"},
        {"in": "query", "name": "q", "type": "string"},
    ]
    operation = convert(swagger({"/a": {"post": op(*params)}})).document["paths"]["/a"]["post"]
    assert [p["name"] for p in operation["parameters"]] == ["q"]
    body = operation["requestBody"]
    assert body["required"] is True
    media = body["content"]["application/x-www-form-urlencoded"]
    assert media["schema"]["required"] == ["name"]
    assert media["schema"]["properties"]["name"] == {"type": "string", "description": "n"}
    assert media["schema"]["properties"]["tags"]["items"] == {"type": "string"}
    assert media["encoding"] == {
        "tags": {"style": "form", "explode": False},
        "ids": {"style": "form", "explode": True},
    }


def test_file_parameter_makes_multipart_and_binary() -> None:
    params = [
        {"in": "formData", "name": "file", "type": "file", "required": True},
        {"in": "formData", "name": "note", "type": "string"},
    ]
    doc = swagger({"/a": {"post": op(*params)}}, consumes=["application/json"])
    body = convert(doc).document["paths"]["/a"]["post"]["requestBody"]
    assert list(body["content"]) == ["multipart/form-data"]
    schema = body["content"]["multipart/form-data"]["schema"]
    assert schema["properties"]["file"] == {"type": "string", "format": "binary"}
    assert schema["required"] == ["file"]


def test_consumes_multipart_without_file_is_multipart() -> None:
    param = {"in": "formData", "name": "n", "type": "string"}
    doc = swagger({"/a": {"post": op(param, consumes=["multipart/form-data"])}})
    body = convert(doc).document["paths"]["/a"]["post"]["requestBody"]
    assert list(body["content"]) == ["multipart/form-data"]
    assert "required" not in body


# --- parameters --------------------------------------------------------------------------------


def _param(**fields: Any) -> dict[str, Any]:
    path = "/a/{p}" if fields.get("in") == "path" else "/a"
    converted = convert(swagger({path: {"get": op(fields)}}))
    return dict(converted.document["paths"][path]["get"]["parameters"][0])


ARRAY = {"type": "array", "items": {"type": "string"}}


@pytest.mark.parametrize(
    ("where", "fmt", "style"),
    [
        ("query", "csv", {"style": "form", "explode": False}),
        ("query", None, {"style": "form", "explode": False}),  # csv is 2.0's default
        ("path", "csv", {"style": "simple"}),
        ("header", "csv", {"style": "simple"}),
        ("query", "ssv", {"style": "spaceDelimited", "explode": False}),
        ("query", "pipes", {"style": "pipeDelimited", "explode": False}),
        ("query", "multi", {"style": "form", "explode": True}),
    ],
)
def test_collection_format_becomes_style(
    where: str, fmt: str | None, style: dict[str, Any]
) -> None:
    name = "p" if where == "path" else "x"
    fields = dict(ARRAY, name=name, required=True, **{"in": where})
    if fmt:
        fields["collectionFormat"] = fmt
    param = _param(**fields)
    assert {k: v for k, v in param.items() if k in ("style", "explode")} == style
    assert param["schema"] == ARRAY


def test_tsv_is_kept_csv_like_with_a_warning() -> None:
    param = dict(ARRAY, name="x", collectionFormat="tsv", **{"in": "query"})
    converted = convert(swagger({"/a": {"get": op(param)}}))
    assert converted.document["paths"]["/a"]["get"]["parameters"][0]["style"] == "form"
    assert converted.warnings == (
        "/paths/~1a/get/parameters/0/collectionFormat: collectionFormat 'tsv' has no OpenAPI 3.0 "
        "equivalent for query parameters: treated as csv",
    )


def test_typed_parameter_gets_a_schema() -> None:
    fields = {
        "type": "integer", "format": "int32", "enum": [1, 2], "default": 1, "minimum": 1,
        "maximum": 2, "exclusiveMaximum": True, "multipleOf": 1,
    }  # fmt: skip
    param = _param(name="x", description="d", allowEmptyValue=True, **{"in": "query"}, **fields)
    assert param == {
        "name": "x",
        "in": "query",
        "description": "d",
        "allowEmptyValue": True,
        "schema": fields,
    }
    items = {"type": "array", "items": {"type": "number"}, "maxItems": 3}
    nested = _param(name="x", type="array", items=items, **{"in": "query"})
    assert nested["schema"]["items"] == {
        "type": "array",
        "items": {"type": "number"},
        "maxItems": 3,
    }


def test_path_parameter_is_required() -> None:
    converted = convert(
        swagger({"/a/{p}": {"get": op({"name": "p", "in": "path", "type": "string"})}})
    )
    assert converted.document["paths"]["/a/{p}"]["get"]["parameters"][0]["required"] is True
    assert len(converted.warnings) == 1 and "made required" in converted.warnings[0]


def test_path_level_parameters_merge_into_operations_operation_wins() -> None:
    item = {
        "parameters": [
            {"name": "x", "in": "query", "type": "string"},
            {"name": "y", "in": "query", "type": "string"},
        ],
        "get": op({"name": "x", "in": "query", "type": "integer"}),
    }
    operation = convert(swagger({"/a": item})).document["paths"]["/a"]["get"]
    assert [(p["name"], p["schema"]["type"]) for p in operation["parameters"]] == [
        ("x", "integer"),
        ("y", "string"),
    ]


# --- security ----------------------------------------------------------------------------------


def test_security_definitions_become_security_schemes() -> None:
    definitions = {
        "basic": {"type": "basic", "description": "b"},
        "key": {"type": "apiKey", "name": "X-Key", "in": "header", "x-extra": 1},
        "imp": {
            "type": "oauth2", "flow": "implicit", "authorizationUrl": "https://a",
            "scopes": {"r": "read"},
        },
        "pwd": {"type": "oauth2", "flow": "password", "tokenUrl": "https://t", "scopes": {}},
        "app": {"type": "oauth2", "flow": "application", "tokenUrl": "https://t", "scopes": {}},
        "code": {
            "type": "oauth2", "flow": "accessCode", "authorizationUrl": "https://a",
            "tokenUrl": "https://t", "scopes": {"w": "write"},
        },
    }  # fmt: skip
    doc = swagger(securityDefinitions=definitions, security=[{"basic": []}, {"imp": ["r"]}])
    document = convert(doc).document
    schemes = document["components"]["securitySchemes"]
    assert schemes["basic"] == {"type": "http", "scheme": "basic", "description": "b"}
    assert schemes["key"] == {"type": "apiKey", "name": "X-Key", "in": "header", "x-extra": 1}
    assert schemes["imp"]["flows"] == {
        "implicit": {"authorizationUrl": "https://a", "scopes": {"r": "read"}}
    }
    assert schemes["pwd"]["flows"] == {"password": {"tokenUrl": "https://t", "scopes": {}}}
    assert schemes["app"]["flows"] == {"clientCredentials": {"tokenUrl": "https://t", "scopes": {}}}
    assert schemes["code"]["flows"] == {
        "authorizationCode": {
            "authorizationUrl": "https://a",
            "tokenUrl": "https://t",
            "scopes": {"w": "write"},
        }
    }
    assert document["security"] == [{"basic": []}, {"imp": ["r"]}]


# --- components and references -----------------------------------------------------------------


def test_components_and_every_ref_rewritten() -> None:
    definitions = {
        "Pet": {
            "type": "object",
            "properties": {
                "owner": {"$ref": "#/definitions/a~1b~0c"},
                "tags": {"type": "array", "items": {"$ref": "#/definitions/Tag"}},
                "extra": {"type": "object", "additionalProperties": {"$ref": "#/definitions/Tag"}},
                "name": {"$ref": "#/definitions/Pet/properties/owner"},
            },
        },
        "a/b~c": {"allOf": [{"$ref": "#/definitions/Tag"}, OBJ]},
        "Tag": {"type": "string"},
    }
    parameters = {
        "limit": {"name": "limit", "in": "query", "type": "integer"},
        "pet": {
            "name": "pet", "in": "body", "required": True, "schema": {"$ref": "#/definitions/Pet"},
        },
        "up": {"name": "up", "in": "formData", "type": "file"},
    }  # fmt: skip
    responses = {"Err": {"description": "e", "schema": {"$ref": "#/definitions/Tag"}}}
    paths = {
        "/a": {
            "post": op(
                {"$ref": "#/parameters/limit"},
                {"$ref": "#/parameters/pet"},
                responses={"default": {"$ref": "#/responses/Err"}},
            ),
            "put": op({"$ref": "#/parameters/up"}),
        }
    }
    doc = swagger(paths, definitions=definitions, parameters=parameters, responses=responses)
    document = convert(doc).document
    components = document["components"]
    assert sorted(components) == ["parameters", "requestBodies", "responses", "schemas"]
    schemas = components["schemas"]
    assert schemas["Pet"]["properties"]["owner"] == {"$ref": "#/components/schemas/a~1b~0c"}
    assert schemas["Pet"]["properties"]["tags"]["items"] == {"$ref": "#/components/schemas/Tag"}
    extra = schemas["Pet"]["properties"]["extra"]["additionalProperties"]
    assert extra == {"$ref": "#/components/schemas/Tag"}
    assert schemas["Pet"]["properties"]["name"] == {
        "$ref": "#/components/schemas/Pet/properties/owner"
    }
    assert schemas["a/b~c"]["allOf"][0] == {"$ref": "#/components/schemas/Tag"}
    assert components["parameters"] == {
        "limit": {"name": "limit", "in": "query", "schema": {"type": "integer"}}
    }
    assert components["requestBodies"]["pet"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Pet"
    }
    post = document["paths"]["/a"]["post"]
    assert post["parameters"] == [{"$ref": "#/components/parameters/limit"}]
    assert post["requestBody"] == {"$ref": "#/components/requestBodies/pet"}
    assert post["responses"]["default"] == {"$ref": "#/components/responses/Err"}
    assert components["responses"]["Err"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Tag"
    }
    put_body = document["paths"]["/a"]["put"]["requestBody"]["content"]
    assert put_body["multipart/form-data"]["schema"]["properties"]["up"]["format"] == "binary"


def test_data_is_not_rewritten() -> None:
    """A ``$ref`` key inside an example or a default is data (the validator would chase it, so
    this document is only converted, not validated)."""
    data = {"$ref": "#/definitions/Tag"}
    definitions = {"Tag": {"type": "object", "default": data, "example": data, "enum": [data]}}
    tag = convert_swagger2(swagger(definitions=definitions)).document["components"]["schemas"][
        "Tag"
    ]
    assert tag["default"] == tag["example"] == tag["enum"][0] == data


def test_schema_keywords_nullable_file_discriminator_extensions() -> None:
    definitions = {
        "Base": {
            "type": "object",
            "discriminator": "kind",
            "required": ["kind"],
            "properties": {
                "kind": {"type": "string"},
                "maybe": {"type": "string", "x-nullable": True},
                "ref": {"$ref": "#/definitions/Other", "x-nullable": True},
                "blob": {"type": "file"},
                "x-nullable": {"type": "integer"},  # a property so named is no keyword
            },
            "x-go-name": "B",
        },
        "Other": {"type": "integer"},
    }
    schema = convert(swagger(definitions=definitions)).document["components"]["schemas"]["Base"]
    assert schema["discriminator"] == {"propertyName": "kind"}
    assert schema["x-go-name"] == "B"
    properties = schema["properties"]
    assert properties["maybe"] == {"type": "string", "nullable": True}
    assert properties["ref"] == {
        "nullable": True,
        "allOf": [{"$ref": "#/components/schemas/Other"}],
    }
    assert properties["blob"] == {"type": "string", "format": "binary"}
    assert properties["x-nullable"] == {"type": "integer"}


# --- responses ---------------------------------------------------------------------------------


def test_responses_content_headers_examples() -> None:
    responses = {
        200: {
            "description": "ok",
            "schema": OBJ,
            "headers": {"X-Rate": {"type": "integer", "description": "left"}},
            "examples": {"application/json": {"a": "x"}},
            "x-r": True,
        },
        "404": {"description": "gone"},
        "default": {"description": "file", "schema": {"type": "file"}},
    }
    doc = swagger(
        {"/a": {"get": op(responses=responses, produces=["application/json", "text/csv"])}},
        produces=["application/xml"],
    )
    got = convert(doc).document["paths"]["/a"]["get"]["responses"]
    assert list(got) == ["200", "404", "default"]
    assert list(got["200"]["content"]) == ["application/json", "text/csv"]
    assert got["200"]["content"]["application/json"] == {"schema": OBJ, "example": {"a": "x"}}
    assert got["200"]["content"]["text/csv"] == {"schema": OBJ}
    assert got["200"]["headers"] == {
        "X-Rate": {"description": "left", "schema": {"type": "integer"}}
    }
    assert got["200"]["x-r"] is True
    assert got["404"] == {"description": "gone"}
    assert got["default"]["content"]["application/json"]["schema"] == {
        "type": "string",
        "format": "binary",
    }


def test_response_media_default_and_global_produces() -> None:
    response = {"200": {"description": "ok", "schema": OBJ}}
    got = convert(swagger({"/a": {"get": op(responses=response)}}, produces=["text/plain"]))
    assert list(got.document["paths"]["/a"]["get"]["responses"]["200"]["content"]) == ["text/plain"]
    got = convert(swagger({"/a": {"get": op(responses=response)}}))
    assert list(got.document["paths"]["/a"]["get"]["responses"]["200"]["content"]) == [
        "application/json"
    ]


def test_example_for_unproduced_media_type_adds_it_with_a_warning() -> None:
    response = {"404": {"description": "e", "schema": OBJ, "examples": {"application/json": {}}}}
    doc = swagger({"/a": {"get": op(responses=response, produces=["application/x-tar"])}})
    converted = convert(doc)
    content = converted.document["paths"]["/a"]["get"]["responses"]["404"]["content"]
    assert list(content) == ["application/x-tar", "application/json"]
    assert converted.warnings[0].startswith(
        "/paths/~1a/get/responses/404/examples/application~1json:"
    )


def test_kept_fields() -> None:
    operation = op(
        tags=["t"], summary="s", description="d", operationId="o", deprecated=True,
        security=[{"k": []}], externalDocs={"url": "https://d"}, **{"x-op": 1},
    )  # fmt: skip
    doc = swagger(
        {"/a": {"get": operation, "x-item": 2}},
        tags=[{"name": "t", "description": "tag"}],
        externalDocs={"url": "https://e"},
        securityDefinitions={"k": {"type": "apiKey", "name": "k", "in": "query"}},
        **{"x-top": 3},
    )
    document = convert(doc).document
    assert document["info"] == {"title": "t", "version": "1"}
    assert document["tags"] == [{"name": "t", "description": "tag"}]
    assert document["externalDocs"] == {"url": "https://e"}
    assert document["x-top"] == 3 and document["paths"]["/a"]["x-item"] == 2
    got = document["paths"]["/a"]["get"]
    for key in ("tags", "summary", "description", "operationId", "deprecated", "security"):
        assert got[key] == operation[key]
    assert got["x-op"] == 1 and got["externalDocs"] == {"url": "https://d"}
    assert "consumes" not in got and "produces" not in got


def test_refuses_what_is_not_swagger_2() -> None:
    with pytest.raises(ValueError, match="not a Swagger 2.0 document"):
        convert_swagger2({"openapi": "3.0.3", "paths": {}})


# --- source map --------------------------------------------------------------------------------

SOURCE_MAPPED = """\
swagger: "2.0"
info: {title: t, version: "1"}
paths:
  /pets/{id}:
    put:
      parameters:
        - name: id
          in: path
          required: true
          type: string
        - name: pet
          in: body
          schema:
            $ref: "#/definitions/Pet"
      responses:
        200:
          description: ok
definitions:
  Pet:
    type: object
    properties:
      name:
        type: string
"""


def test_source_map_points_into_the_2_0_document(tmp_path: Path) -> None:
    path = tmp_path / "spec.yaml"
    path.write_text(SOURCE_MAPPED, encoding="utf-8")
    spec = load_spec(path)
    assert spec.original_version == "2.0" and spec.load_warnings == ()
    assert spec.source_text == SOURCE_MAPPED
    assert spec.source_map is not None
    assert_valid(spec.document)
    converted = Converted(spec.document, spec.source_map)
    body = "/paths/~1pets~1{id}/put/requestBody"
    assert original_pointer(converted, body) == ("paths", "/pets/{id}", "put", "parameters", 1)
    inner = body + "/content/application~1json/schema"
    assert pointer_from_parts(original_pointer(converted, inner)) == (
        "/paths/~1pets~1{id}/put/parameters/1/schema"
    )
    assert original_pointer(converted, ("components", "schemas", "Pet")) == ("definitions", "Pet")
    name = "/components/schemas/Pet/properties/name/type"
    assert original_pointer(converted, name) == ("definitions", "Pet", "properties", "name", "type")
    assert original_pointer(converted, "/paths/~1pets~1{id}/put/parameters/0/schema") == (
        "paths", "/pets/{id}", "put", "parameters", 0,
    )  # fmt: skip
    response = original_pointer(converted, "/paths/~1pets~1{id}/put/responses/200")
    assert line_of(spec.source_text, response) == 16
    assert line_of(spec.source_text, original_pointer(converted, body)) == 11
    assert original_pointer(converted, "/nowhere/at/all") == ()


def test_load_spec_leaves_3_0_alone(tmp_path: Path) -> None:
    path = tmp_path / "spec.yaml"
    path.write_text('openapi: "3.0.3"\ninfo: {title: t, version: "1"}\npaths: {}\n')
    spec = load_spec(path)
    assert spec.source_map is None and spec.original_version is None and spec.load_warnings == ()


# --- the corpus --------------------------------------------------------------------------------


def corpus_file(name: str) -> Path:
    path = CORPUS / name
    if not path.is_file():
        pytest.skip(f"{name} is not in ../shared/corpus/apis")
    return path


#: What each corpus document legitimately warns about.
EXPECTED_WARNINGS = {
    "gotify-server-swagger2.json": 0,
    "argo-workflows-swagger2.json": 0,
    # 7 binary/stream endpoints give a JSON example for their 404: application/json is added.
    "docker-engine-swagger2.yaml": 7,
}


@pytest.mark.parametrize("name", CORPUS_FILES)
def test_corpus_converts_to_valid_3_0(name: str) -> None:
    spec = load_spec(corpus_file(name))
    assert spec.original_version == "2.0"
    assert_valid(spec.document)
    assert len(spec.load_warnings) == EXPECTED_WARNINGS[name], spec.load_warnings


def test_docker_integer_response_codes_become_strings() -> None:
    spec = load_spec(corpus_file("docker-engine-swagger2.yaml"))
    codes = {
        code
        for item in spec.document["paths"].values()
        for method in METHODS
        if method in item
        for code in item[method]["responses"]
    }
    assert codes and all(isinstance(code, str) for code in codes)
    assert "200" in codes


# --- against swagger2openapi -------------------------------------------------------------------

#: Differences from swagger2openapi 7 that stay, each with why ours is right.
ALLOWED_DIFFERENCES = {
    "servers: https first": "2.0 lists schemes in no order of preference and clients take the "
    "first server by default, so the secure one goes first (swagger2openapi keeps 2.0's order)",
}


def facts(document: dict[str, Any]) -> dict[str, Any]:
    """What a client generator relies on, with 3.0 defaults filled in so both sides compare."""
    operations: dict[str, Any] = {}
    for path, item in document.get("paths", {}).items():
        item = deref(document, item)
        for method in METHODS:
            if isinstance(item.get(method), dict):
                operation = item[method]
                key = f"{method.upper()} {path}"
                params = [deref(document, p) for p in item.get("parameters", [])]
                params += [deref(document, p) for p in operation.get("parameters", [])]
                body = deref(document, operation.get("requestBody", {}))
                operations[key] = {
                    "parameters": {
                        (p["name"], p["in"]): parameter_facts(document, p) for p in params
                    },
                    "body": (sorted(body.get("content", {})), bool(body.get("required"))),
                    "responses": {
                        str(code): sorted(deref(document, r).get("content", {}))
                        for code, r in operation.get("responses", {}).items()
                    },
                }
    schemes = document.get("components", {}).get("securitySchemes", {})
    return {
        "operations": operations,
        "security": {n: (s.get("type"), s.get("scheme"), s.get("in")) for n, s in schemes.items()},
        "servers": [s["url"] for s in document.get("servers", [])],
    }


def parameter_facts(document: dict[str, Any], param: dict[str, Any]) -> tuple[Any, ...]:
    style = param.get("style", "form" if param["in"] in ("query", "cookie") else "simple")
    explode = param.get("explode", style == "form")
    schema_type = deref(document, param.get("schema", {})).get("type")
    return bool(param.get("required")), schema_type, style, explode


def differences(ours: dict[str, Any], theirs: dict[str, Any]) -> list[str]:
    """Named differences between two fact sets (names as in ALLOWED_DIFFERENCES)."""
    found = []
    if ours["servers"] != theirs["servers"]:
        https_first = sorted(theirs["servers"], key=lambda url: not url.startswith("https:"))
        same = ours["servers"] == https_first
        found.append("servers: https first" if same else f"servers: {ours['servers']}")
    if ours["security"] != theirs["security"]:
        found.append(f"security: {ours['security']} != {theirs['security']}")
    if sorted(ours["operations"]) != sorted(theirs["operations"]):
        found.append(f"operations: {sorted(set(ours['operations']) ^ set(theirs['operations']))}")
    for key, mine in ours["operations"].items():
        other = theirs["operations"].get(key)
        for aspect in ("parameters", "body", "responses"):
            if other is not None and mine[aspect] != other[aspect]:
                found.append(f"{key} {aspect}: {mine[aspect]} != {other[aspect]}")
    return found


def run_swagger2openapi(source: Path, folder: Path) -> dict[str, Any]:
    out = folder / f"{source.stem}.s2o.json"
    subprocess.run(
        [str(SWAGGER2OPENAPI), "--patch", str(source), "-o", str(out)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    text = out.read_text(encoding="utf-8")
    try:
        result: dict[str, Any] = json.loads(text)
    except json.JSONDecodeError:  # it writes YAML for a YAML input, whatever -o is called
        result = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return result


@pytest.mark.skipif(
    not SWAGGER2OPENAPI.is_file(), reason="npm install has not run (no swagger2openapi)"
)
@pytest.mark.parametrize("name", CORPUS_FILES)
def test_same_api_as_swagger2openapi(name: str, tmp_path: Path) -> None:
    source = corpus_file(name)
    ours = facts(load_spec(source).document)
    theirs = facts(run_swagger2openapi(source, tmp_path))
    assert ours["operations"], "nothing compared"
    unexplained = [d for d in differences(ours, theirs) if d not in ALLOWED_DIFFERENCES]
    assert unexplained == []


def test_bundled_files_of_a_2_0_document(tmp_path: Path) -> None:
    """The loader bundles other files into ``components`` before converting: those entries are
    converted like 2.0 ones (a body parameter becomes a request body)."""
    (tmp_path / "shared.yaml").write_text(
        "Tag: {type: string, x-nullable: true}\n"
        "Body: {name: b, in: body, required: true, schema: {$ref: '#/Tag'}}\n"
        "Limit: {name: limit, in: query, type: array, items: {type: integer}}\n",
        encoding="utf-8",
    )
    (tmp_path / "spec.yaml").write_text(
        'swagger: "2.0"\ninfo: {title: t, version: "1"}\n'
        "paths:\n  /a:\n    post:\n      parameters:\n"
        "        - $ref: 'shared.yaml#/Body'\n        - $ref: 'shared.yaml#/Limit'\n"
        "      responses: {200: {description: ok, schema: {$ref: '#/definitions/Pet'}}}\n"
        "definitions:\n  Pet: {properties: {tag: {$ref: 'shared.yaml#/Tag'}}}\n",
        encoding="utf-8",
    )
    document = load_spec(tmp_path / "spec.yaml").document
    assert_valid(document)
    post = document["paths"]["/a"]["post"]
    assert deref(document, post["requestBody"])["required"] is True
    assert deref(document, post["parameters"][0])["style"] == "form"
    assert document["components"]["schemas"]["Tag"] == {"type": "string", "nullable": True}
