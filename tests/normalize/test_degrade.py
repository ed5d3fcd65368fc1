"""One odd corner of a document degrades locally: a warning naming it, never the whole client.

Each document below is valid YAML but breaks OpenAPI somewhere the client can do without; each
must generate (in-process, so a Python error would surface here as itself), keep its
operations, and say what it made of the odd part."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from generator.config import client_config
from generator.pipeline import generate_files
from generator.render.signatures import walk

OK = {"200": {"description": "ok"}}
ODD = {
    "operation id a number": {"paths": {"/a": {"get": {"operationId": 123, "responses": OK}}}},
    "responses a list": {"paths": {"/a": {"get": {"responses": []}}}},
    "tags a string": {"paths": {"/a": {"get": {"tags": "abc", "responses": OK}}}},
    "request body a string": {"paths": {"/a": {"post": {"requestBody": "x", "responses": OK}}}},
    "content a list": {
        "paths": {"/a": {"get": {"responses": {"200": {"description": "ok", "content": []}}}}}
    },
    "required true, type with a number": {
        "paths": {
            "/a": {
                "get": {
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "required": True,
                                        "properties": {"a": {"type": ["string", 5]}},
                                    }
                                }
                            },
                        }
                    }
                }
            }
        }
    },
    "parameter schema a number": {
        "paths": {
            "/a": {
                "get": {
                    "parameters": [{"name": "q", "in": "query", "schema": 5}],
                    "responses": OK,
                }
            }
        }
    },
    "schemas of every wrong shape": {
        "paths": {"/a": {"get": {"responses": OK}}},
        "components": {
            "schemas": {
                "A": {"allOf": [5, {"type": "object"}]},
                "B": {"oneOf": {}},
                "C": {"items": 3},
                "D": {"properties": []},
                "E": {"oneOf": []},
            }
        },
    },
    "a default response a number": {
        "paths": {"/a": {"x-foo": 1, "get": {"security": [{}], "responses": {"default": 5}}}}
    },
    "tags and servers numbers": {
        "tags": 5,
        "servers": 5,
        "paths": {"/a": {"get": {"responses": OK}}},
    },
    "stream and pages of odd shapes": {
        "paths": {
            "/a": {
                "get": {
                    "x-clientgen-pagination": 7,
                    "responses": {
                        "200": {
                            "description": "ok",
                            "headers": {"Link": 5},
                            "content": {"text/event-stream": {"schema": 5, "itemSchema": []}},
                        }
                    },
                }
            }
        }
    },
}


@pytest.mark.parametrize("case", sorted(ODD), ids=str)
def test_an_odd_corner_degrades_with_a_warning(case: str, tmp_path: Path) -> None:
    document = {"openapi": "3.1.0", "info": {"title": "Odd", "version": "1"}, **ODD[case]}
    spec = tmp_path / "odd.yaml"
    spec.write_text(yaml.safe_dump(document), encoding="utf-8")
    config = client_config(spec, output=tmp_path / "out", package="odd_api")
    generated = generate_files(config)
    operations = sum(len(r.operations) for r in walk(generated.api.resources))
    assert operations == sum(len(item) - ("x-foo" in item) for item in document["paths"].values())
    assert generated.api.warnings, "the odd part must be named in a warning"
    assert all(f.file == str(spec) for f in generated.api.warnings)
