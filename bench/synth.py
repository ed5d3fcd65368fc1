"""Synthetic OpenAPI 3.1 documents of any size, for benchmarks.

    python bench/synth.py 100 500 1000 5000 -o bench/.specs        # synthetic-100.json ...

A document with N schemas has, deterministically (seeded, no clock, no set order):

* object schemas with 3-10 properties: strings (some with formats), integers with
  bounds, numbers, booleans, inline string enums, arrays of scalars and of ``$ref``s,
  ``$ref``s to earlier schemas, nullables (``type: [X, "null"]``), ``anyOf`` with a
  ``null`` branch, maps (``additionalProperties``), nested inline objects (two levels),
  camelCase and snake_case property names, descriptions;
* named string enums (about 1 schema in 10);
* discriminated unions (about 1 schema in 12 is the union of 2-3 variant objects that
  follow it; ``oneOf`` with ``discriminator.propertyName`` and a ``mapping``);
* plain ``anyOf`` unions of two earlier schemas (about 1 in 40);
* about one operation per 5 schemas, five per resource (list with path + query
  parameters, create with a JSON body, get, update with a JSON body, delete), two
  resources per tag (so about N/50 tags), JSON responses (``$ref``, arrays of ``$ref``,
  inline objects with a nested page structure) and a shared ``Error`` response;
* one bearer security scheme, one server.

``$ref``s only point to earlier schemas (the graph is acyclic), so every tool under
comparison can digest the document; see ``--self-refs`` for recursive schemas.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path
from typing import Any

NOUNS = (
    "Account", "Agent", "Alert", "Artifact", "Asset", "Audit", "Batch", "Billing", "Browser",
    "Bucket", "Cache", "Campaign", "Channel", "Check", "Cluster", "Comment", "Config", "Contact",
    "Credential", "Dataset", "Deployment", "Device", "Document", "Domain", "Event", "Export",
    "Feature", "File", "Flow", "Function", "Group", "Hook", "Identity", "Image", "Import",
    "Invoice", "Job", "Key", "Label", "Ledger", "Link", "Log", "Metric", "Model", "Node",
    "Notice", "Order", "Page", "Payment", "Plan", "Policy", "Project", "Prompt", "Queue",
    "Quota", "Record", "Region", "Release", "Report", "Request", "Role", "Rule", "Run",
    "Schedule", "Secret", "Session", "Setting", "Sink", "Snapshot", "Source", "Step", "Stream",
    "Task", "Team", "Template", "Tenant", "Ticket", "Token", "Trace", "Trigger", "Usage",
    "User", "Vault", "Version", "Volume", "Webhook", "Workflow", "Workspace", "Zone",
)
FIELDS = (
    "name", "title", "description", "status", "createdAt", "updated_at", "owner_id", "teamId",
    "display_name", "shortName", "count", "total", "score", "ratio", "enabled", "is_active",
    "tags", "labels", "metadata", "url", "email", "region", "priority", "limit", "offset",
    "parentId", "version", "checksum", "size_bytes", "duration_ms", "retries", "timeout",
    "notes", "category", "source", "target", "expiresAt", "startedAt", "finished_at", "errorCode",
)
ENUM_WORDS = (
    "pending", "running", "succeeded", "failed", "cancelled", "queued", "active", "inactive",
    "archived", "draft", "low", "medium", "high", "critical", "read", "write", "admin", "none",
)
FORMATS = ("date-time", "uuid", "uri", "email", None, None, None)


class _Builder:
    def __init__(self, n_schemas: int, seed: int, self_refs: bool) -> None:
        self.n = n_schemas
        self.rng = random.Random(seed)
        self.self_refs = self_refs
        self.schemas: dict[str, Any] = {}
        self.names: list[str] = []  # in creation order
        self.objects: list[str] = []  # object schemas usable as bodies / responses / refs
        self.enums: list[str] = []
        self.unions: list[str] = []  # discriminated unions, referenced by later objects

    # -- helpers -----------------------------------------------------------------
    def _name(self, i: int, prefix: str = "") -> str:
        return f"{prefix}{NOUNS[i % len(NOUNS)]}{i}"

    @staticmethod
    def _ref(name: str) -> dict[str, Any]:
        return {"$ref": f"#/components/schemas/{name}"}

    def _enum_values(self) -> list[str]:
        k = self.rng.randint(2, 6)
        start = self.rng.randrange(len(ENUM_WORDS))
        return [ENUM_WORDS[(start + j) % len(ENUM_WORDS)] for j in range(k)]

    def _scalar(self) -> dict[str, Any]:
        rng = self.rng
        kind = rng.randrange(6)
        if kind == 0:
            fmt = rng.choice(FORMATS)
            return {"type": "string", "format": fmt} if fmt else {"type": "string", "maxLength": 200}
        if kind == 1:
            return {"type": "integer", "minimum": 0, "maximum": 10_000}
        if kind == 2:
            return {"type": "number"}
        if kind == 3:
            return {"type": "boolean", "default": False}
        if kind == 4:
            return {"type": "string", "enum": self._enum_values()}
        return {"type": "string"}

    def _inline_object(self, depth: int) -> dict[str, Any]:
        props: dict[str, Any] = {}
        for j in range(self.rng.randint(2, 4)):
            field = f"{FIELDS[self.rng.randrange(len(FIELDS))]}_{j}"
            if depth < 2 and j == 0 and self.rng.random() < 0.5:
                props[field] = self._inline_object(depth + 1)
            else:
                props[field] = self._scalar()
        return {"type": "object", "properties": props, "required": sorted(props)[:1]}

    def _property(self, earlier: list[str]) -> dict[str, Any]:
        rng = self.rng
        roll = rng.random()
        if earlier and roll < 0.15:
            return self._ref(rng.choice(earlier))
        if earlier and roll < 0.25:
            return {"type": "array", "items": self._ref(rng.choice(earlier))}
        if earlier and roll < 0.35:  # anyOf with a null branch
            return {"anyOf": [self._ref(rng.choice(earlier)), {"type": "null"}], "default": None}
        if roll < 0.45:  # 3.1 nullable scalar
            base = self._scalar()
            base["type"] = [base["type"], "null"]
            if "enum" in base:
                base["enum"] = [*base["enum"], None]
            base.pop("default", None)
            return base
        if roll < 0.52:
            return self._inline_object(0)
        if roll < 0.58:
            return {"type": "array", "items": self._scalar()}
        if roll < 0.63:
            return {"type": "object", "additionalProperties": {"type": "string"}}
        if self.enums and roll < 0.70:
            return self._ref(rng.choice(self.enums))
        return self._scalar()

    def _object(self, earlier: list[str], extra: dict[str, Any] | None = None) -> dict[str, Any]:
        props: dict[str, Any] = {"id": {"type": "string", "format": "uuid"}}
        used = {"id"}
        for _ in range(self.rng.randint(3, 10)):
            field = FIELDS[self.rng.randrange(len(FIELDS))]
            if field in used:
                continue
            used.add(field)
            prop = self._property(earlier)
            if "$ref" not in prop and self.rng.random() < 0.3:
                prop["description"] = f"The {field} of this object."
            props[field] = prop
        if extra:
            props.update(extra)
        required = ["id"] + [k for k in props if k != "id" and self.rng.random() < 0.3]
        return {"type": "object", "properties": props, "required": required}

    def _add(self, name: str, schema: dict[str, Any], *, is_object: bool) -> None:
        self.schemas[name] = schema
        self.names.append(name)
        if is_object:
            self.objects.append(name)

    # -- schemas -----------------------------------------------------------------
    def build_schemas(self) -> None:
        self._add("Error", {
            "type": "object",
            "properties": {"code": {"type": "string"}, "message": {"type": "string"},
                           "details": {"type": ["object", "null"], "additionalProperties": True}},
            "required": ["code", "message"],
        }, is_object=False)
        i = 0
        while len(self.schemas) < self.n:
            left = self.n - len(self.schemas)
            earlier = self.objects[-200:]  # local references keep the graph realistic
            if i % 10 == 3:
                name = self._name(i, "Kind")
                self._add(name, {"type": "string", "enum": self._enum_values(),
                                 "description": f"Kind of {NOUNS[i % len(NOUNS)].lower()}."},
                          is_object=False)
                self.enums.append(name)
            elif i % 12 == 7 and left >= 3:
                union = self._name(i, "Any")
                variants = []
                for v in range(min(left - 1, self.rng.randint(2, 3))):
                    vname = f"{union}Variant{v}"
                    tag = f"variant_{v}"
                    schema = self._object(earlier, {"kind": {"type": "string", "enum": [tag]}})
                    schema["required"] = sorted({"kind", *schema["required"]})
                    self._add(vname, schema, is_object=True)
                    variants.append((tag, vname))
                self._add(union, {
                    "oneOf": [self._ref(v) for _, v in variants],
                    "discriminator": {"propertyName": "kind",
                                      "mapping": {t: f"#/components/schemas/{v}" for t, v in variants}},
                }, is_object=False)
                self.unions.append(union)
            elif i % 40 == 21 and len(earlier) >= 2:
                a, b = self.rng.sample(earlier, 2)
                self._add(self._name(i, "Either"), {"anyOf": [self._ref(a), self._ref(b)]},
                          is_object=False)
            else:
                name = self._name(i)
                extra: dict[str, Any] = {}
                if self.unions and self.rng.random() < 0.2:
                    extra["payload"] = self._ref(self.rng.choice(self.unions[-20:]))
                if self.self_refs and i % 50 == 11:
                    extra["children"] = {"type": "array", "items": self._ref(name)}
                self._add(name, self._object(earlier, extra), is_object=True)
            i += 1

    # -- operations --------------------------------------------------------------
    def build_paths(self) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        n_ops = max(5, round(self.n / 5))
        n_resources = max(1, n_ops // 5)
        n_tags = max(1, (n_resources + 1) // 2)
        paths: dict[str, Any] = {}
        tags = [{"name": f"{NOUNS[t % len(NOUNS)].lower()}s{t}",
                 "description": f"Operations on group {t}."} for t in range(n_tags)]
        error = {"description": "Error", "content": {"application/json": {"schema": self._ref("Error")}}}
        objects = self.objects or ["Error"]
        for r in range(n_resources):
            tag = tags[r // 2]["name"]
            res = f"{NOUNS[(r * 7) % len(NOUNS)].lower()}s{r}"
            model = objects[(r * 37) % len(objects)]
            body = objects[(r * 53 + 11) % len(objects)]
            collection = f"/v1/{tag}/{res}"
            item = f"{collection}/{{{res}_id}}"
            id_param = {"name": f"{res}_id", "in": "path", "required": True,
                        "schema": {"type": "string"}, "description": "Identifier."}
            status_values = self._enum_values()
            list_op = {
                "operationId": f"list_{res}",
                "tags": [tag],
                "summary": f"List {res}.",
                "parameters": [
                    {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1,
                                                                 "maximum": 100, "default": 20}},
                    {"name": "cursor", "in": "query", "schema": {"type": ["string", "null"]}},
                    {"name": "status", "in": "query", "schema": {"type": "string", "enum": status_values}},
                    {"name": "includeArchived", "in": "query", "schema": {"type": "boolean"}},
                ],
                "responses": {
                    "200": {"description": "A page.", "content": {"application/json": {"schema": {
                        "type": "object",
                        "properties": {
                            "items": {"type": "array", "items": self._ref(model)},
                            "page": {"type": "object", "properties": {
                                "next_cursor": {"type": ["string", "null"]},
                                "total": {"type": "integer"}}, "required": ["total"]},
                        },
                        "required": ["items", "page"],
                    }}}},
                    "4XX": error,
                },
            }
            create_op = {
                "operationId": f"create_{res}",
                "tags": [tag],
                "summary": f"Create one of {res}.",
                "requestBody": {"required": True,
                                "content": {"application/json": {"schema": self._ref(body)}}},
                "responses": {"201": {"description": "Created.",
                                      "content": {"application/json": {"schema": self._ref(model)}}},
                              "4XX": error},
            }
            get_op = {
                "operationId": f"get_{res}",
                "tags": [tag],
                "parameters": [{"name": "expand", "in": "query",
                                "schema": {"type": "array", "items": {"type": "string"}}}],
                "responses": {"200": {"description": "Found.",
                                      "content": {"application/json": {"schema": self._ref(model)}}},
                              "404": error},
            }
            update_op = {
                "operationId": f"update_{res}",
                "tags": [tag],
                "requestBody": {"required": True, "content": {"application/json": {"schema": {
                    "type": "object",
                    "properties": {"name": {"type": ["string", "null"]},
                                   "patch": self._ref(body),
                                   "mode": {"type": "string", "enum": ["merge", "replace"]}},
                    "required": ["patch"],
                }}}},
                "responses": {"200": {"description": "Updated.",
                                      "content": {"application/json": {"schema": self._ref(model)}}},
                              "4XX": error},
            }
            delete_op = {
                "operationId": f"delete_{res}",
                "tags": [tag],
                "responses": {"204": {"description": "Deleted."}, "4XX": error},
            }
            paths[collection] = {"get": list_op, "post": create_op}
            paths[item] = {"parameters": [id_param], "get": get_op, "patch": update_op,
                           "delete": delete_op}
        return paths, tags

    def document(self) -> dict[str, Any]:
        self.build_schemas()
        paths, tags = self.build_paths()
        return {
            "openapi": "3.1.0",
            "info": {"title": f"Synthetic {self.n}", "version": "1.0.0",
                     "description": f"A synthetic API with {self.n} schemas."},
            "servers": [{"url": "https://api.example.com"}],
            "security": [{"bearer": []}],
            "tags": tags,
            "paths": paths,
            "components": {
                "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
                "schemas": self.schemas,
            },
        }


def synth(n_schemas: int, *, seed: int = 1234, self_refs: bool = False) -> dict[str, Any]:
    """The synthetic document with ``n_schemas`` component schemas."""
    return _Builder(n_schemas, seed, self_refs).document()


def write_spec(n_schemas: int, out_dir: Path, *, seed: int = 1234, self_refs: bool = False) -> Path:
    """Write ``synthetic-<N>.json`` into ``out_dir`` (only if its content changed) and return it."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"synthetic-{n_schemas}.json"
    text = json.dumps(synth(n_schemas, seed=seed, self_refs=self_refs), indent=1) + "\n"
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sizes", nargs="+", type=int, help="numbers of schemas")
    parser.add_argument("-o", "--output", type=Path, default=Path(__file__).parent / ".specs")
    parser.add_argument("--seed", type=int, default=1234)
    parser.add_argument("--self-refs", action="store_true", help="add recursive (self-referencing) schemas")
    args = parser.parse_args()
    for n in args.sizes:
        path = write_spec(n, args.output, seed=args.seed, self_refs=args.self_refs)
        doc = json.loads(path.read_text(encoding="utf-8"))
        ops = sum(1 for item in doc["paths"].values() for k in item if k != "parameters")
        print(f"{path}: {len(doc['components']['schemas'])} schemas, {ops} operations, "
              f"{len(doc['tags'])} tags, {path.stat().st_size // 1024} KiB")


if __name__ == "__main__":
    main()
