"""Two surfaces ➜ the classified changes between them, named as the user of the client sees them.

**breaking**: something that worked stops working or type-checking: a resource, method,
argument, model or field removed, a new required argument or request field, an argument or
request field narrowed (an enum value removed from a request type included), a response field
that was required now optional or gone, a response type widened (a closed enum's new value
included), auth changed, a method's HTTP path moved. **feature**: new resources, methods,
optional arguments, response fields, models, wider request types, a new value in a response's
open enum, deprecations. **fix**: documentation (descriptions, summaries, examples, defaults,
constraints) only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from .surface import Surface

__all__ = ["Change", "compare"]

Kind = Literal["breaking", "feature", "fix"]
_SEVERITY = {"breaking": 0, "feature": 1, "fix": 2}


@dataclass(frozen=True)
class Change:
    """One difference, with where the user meets it."""

    kind: Kind
    group: str  # resource path ("client.projects.runs"), "client" (constructor, auth) or "models"
    subject: (
        str  # "client.projects.runs.start(proxy=...)", "models.Run.status", "Ziet(api_key=...)"
    )
    detail: str  # "new optional argument", "was required, now optional", ...

    def as_dict(self) -> dict[str, str]:
        return {
            "kind": self.kind,
            "group": self.group,
            "subject": self.subject,
            "detail": self.detail,
        }


def compare(old: Surface, new: Surface) -> list[Change]:
    """Every change from ``old`` to ``new``, grouped, most severe first within a group."""
    changes: list[Change] = []
    changes += _client(old, new)
    changes += _resources(old.get("resources", {}), new.get("resources", {}))
    changes += _models(old.get("models", {}), new.get("models", {}))
    docs = old.get("spec_docs"), new.get("spec_docs")
    if None not in docs and docs[0] != docs[1] and not changes:  # nothing else to show for it
        changes.append(Change("fix", "spec", "spec", "documentation or examples changed"))
    return sorted(changes, key=lambda c: (c.group, _SEVERITY[c.kind], c.subject, c.detail))


# --------------------------------------------------------------------------------------------
# the constructor: auth, credentials, client parameters, base URL


def _client(old: Surface, new: Surface) -> list[Change]:
    out: list[Change] = []
    cls = new.get("client") or old.get("client") or "Client"

    def add(kind: Kind, subject: str, detail: str) -> None:
        out.append(Change(kind, "client", subject, detail))

    old_auth, new_auth = old.get("auth", {}), new.get("auth", {})
    for key in sorted(old_auth.keys() - new_auth.keys()):
        add("breaking", f"{cls}()", f"auth scheme {key!r} removed")
    for key in sorted(new_auth.keys() - old_auth.keys()):
        add("feature", f"{cls}()", f"auth scheme {key!r} added")
    for key in sorted(old_auth.keys() & new_auth.keys()):
        a, b = old_auth[key], new_auth[key]
        for attr in sorted(set(a) | set(b)):
            if a.get(attr) != b.get(attr):
                add(
                    "breaking",
                    f"{cls}()",
                    f"auth scheme {key!r} changed: {attr} {_show(a.get(attr))} ➜ {_show(b.get(attr))}",
                )
    old_creds, new_creds = old.get("credentials", {}), new.get("credentials", {})
    for name in sorted(old_creds.keys() - new_creds.keys()):
        add("breaking", f"{cls}({name}=...)", "credential removed")
    for name in sorted(new_creds.keys() - old_creds.keys()):
        add("feature", f"{cls}({name}=...)", f"new credential (or {new_creds[name]})")
    for name in sorted(old_creds.keys() & new_creds.keys()):
        if old_creds[name] != new_creds[name]:
            add(
                "breaking",
                f"{cls}({name}=...)",
                f"read from {new_creds[name]}, was {old_creds[name]}",
            )
    old_params, new_params = old.get("client_params", {}), new.get("client_params", {})
    for name in sorted(old_params.keys() - new_params.keys()):
        add("breaking", f"{cls}({name}=...)", "client parameter removed")
    for name in sorted(new_params.keys() - old_params.keys()):
        add("feature", f"{cls}({name}=...)", "new client parameter")
    for name in sorted(old_params.keys() & new_params.keys()):
        found = _request_type(old_params[name], new_params[name])
        if found:
            add(found[0], f"{cls}({name}=...)", found[1])
    if old.get("base_url") != new.get("base_url"):
        add(
            "feature",
            f"{cls}(base_url=...)",
            f"default base URL {_show(old.get('base_url'))} ➜ {_show(new.get('base_url'))}",
        )
    return out


# --------------------------------------------------------------------------------------------
# resources and methods


def _resources(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    out: list[Change] = []
    for path in sorted(old.keys() - new.keys()):
        out.append(Change("breaking", path, path, "resource removed"))
    for path in sorted(new.keys() - old.keys()):
        methods = ", ".join(f"{m}()" for m in sorted(new[path]["methods"]))
        detail = f"new resource with {methods}" if methods else "new resource"
        out.append(Change("feature", path, path, detail))
    for path in sorted(old.keys() & new.keys()):
        a, b = old[path], new[path]
        if a.get("doc") != b.get("doc"):
            out.append(Change("fix", path, path, "description changed"))
        am, bm = a.get("methods", {}), b.get("methods", {})
        for name in sorted(am.keys() - bm.keys()):
            out.append(Change("breaking", path, f"{path}.{name}()", "method removed"))
        for name in sorted(bm.keys() - am.keys()):
            http = bm[name].get("http", "")
            out.append(Change("feature", path, f"{path}.{name}()", f"new method ({http})"))
        for name in sorted(am.keys() & bm.keys()):
            out += _method(path, f"{path}.{name}", am[name], bm[name])
    return out


def _method(group: str, where: str, a: dict[str, Any], b: dict[str, Any]) -> list[Change]:
    out: list[Change] = []

    def add(kind: Kind, subject: str, detail: str) -> None:
        out.append(Change(kind, group, subject, detail))

    call = f"{where}()"
    if a.get("http") != b.get("http"):
        add("breaking", call, f"path moved: {a.get('http')} ➜ {b.get('http')}")
    found = _response_type(a.get("result", []), b.get("result", []))
    if found:
        add(found[0], call, f"result {found[1]}")
    if a.get("security") != b.get("security"):
        old_alts = {tuple(x) for x in a.get("security") or []}
        new_alts = {tuple(x) for x in b.get("security") or []}
        widened = a.get("security") is not None and b.get("security") is not None
        kind: Kind = "feature" if widened and old_alts < new_alts else "breaking"
        add(kind, call, f"auth changed: {_alts(a.get('security'))} ➜ {_alts(b.get('security'))}")
    if a.get("deprecated") != b.get("deprecated"):
        add(
            "feature" if b.get("deprecated") else "fix",
            call,
            "deprecated" if b.get("deprecated") else "no longer deprecated",
        )
    if a.get("doc") != b.get("doc"):
        add("fix", call, "documentation changed")
    old_args, new_args = a.get("args", {}), b.get("args", {})
    for name in sorted(old_args.keys() - new_args.keys()):
        add("breaking", _arg(where, name, old_args[name]), "argument removed")
    for name in sorted(new_args.keys() - old_args.keys()):
        arg = new_args[name]
        if arg.get("required"):
            add("breaking", _arg(where, name, arg), "new required argument")
        else:
            add("feature", _arg(where, name, arg), "new optional argument")
    for name in sorted(old_args.keys() & new_args.keys()):
        x, y = old_args[name], new_args[name]
        subject = _arg(where, name, y)
        if x.get("position") != y.get("position"):
            add("breaking", subject, f"position {_place(x)} ➜ {_place(y)}")
        if x.get("required") != y.get("required"):
            if y.get("required"):
                add("breaking", subject, "argument now required")
            else:
                add("feature", subject, "argument now optional")
        found = _request_type(x.get("type", []), y.get("type", []))
        if found:
            add(found[0], subject, found[1])
    return out


def _arg(where: str, name: str, arg: dict[str, Any]) -> str:
    return f"{where}({name})" if "position" in arg else f"{where}({name}=...)"


def _place(arg: dict[str, Any]) -> str:
    return "keyword" if "position" not in arg else f"positional #{arg['position'] + 1}"


def _alts(security: Any) -> str:
    if security is None:
        return "none declared"
    return " or ".join("+".join(alt) or "anonymous" for alt in security) or "anonymous"


# --------------------------------------------------------------------------------------------
# models


def _models(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    out: list[Change] = []
    for name in sorted(old.keys() - new.keys()):
        out.append(Change("breaking", "models", f"models.{name}", "model removed"))
    for name in sorted(new.keys() - old.keys()):
        out.append(Change("feature", "models", f"models.{name}", "new model"))
    for name in sorted(old.keys() & new.keys()):
        a, b = old[name], new[name]
        use = set(a.get("use", [])) | set(b.get("use", []))
        found = _model(f"models.{name}", a, b, use or {"request"})
        out += found
        if not found and a.get("digest") != b.get("digest"):
            out.append(
                Change("fix", "models", f"models.{name}", "description or constraints changed")
            )
    return out


def _model(subject: str, a: dict[str, Any], b: dict[str, Any], use: set[str]) -> list[Change]:
    if ("fields" in a) != ("fields" in b):
        return [Change("breaking", "models", subject, "changed between object and non-object")]
    if "fields" not in a:
        found = _both(
            use, _request_type(a["type"], b["type"]), _response_type(a["type"], b["type"])
        )
        return [Change(found[0], "models", subject, found[1])] if found else []
    out = []
    old_fields, new_fields = a["fields"], b["fields"]
    for field in sorted(old_fields.keys() | new_fields.keys()):
        x, y = old_fields.get(field), new_fields.get(field)
        found = _both(use, _request_field(x, y), _response_field(x, y))
        if found:
            out.append(Change(found[0], "models", f"{subject}.{field}", found[1]))
    return out


Found = tuple[Kind, str] | None


def _both(use: set[str], request: Found, response: Found) -> Found:
    """The more severe verdict of the roles a model plays."""
    verdicts = [
        v for role, v in (("request", request), ("response", response)) if role in use and v
    ]
    return min(verdicts, key=lambda v: _SEVERITY[v[0]]) if verdicts else None


def _request_field(x: dict[str, Any] | None, y: dict[str, Any] | None) -> Found:
    if x is None and y is not None:
        return (
            ("breaking", "new required field")
            if y["required"]
            else ("feature", "new optional field")
        )
    if y is None:
        return ("breaking", "field removed") if x is not None else None
    assert x is not None
    typed = _request_type(x["type"], y["type"])
    if x["required"] != y["required"]:
        if y["required"]:
            return ("breaking", "field now required")
        return typed if typed and typed[0] == "breaking" else ("feature", "field now optional")
    return typed


def _response_field(x: dict[str, Any] | None, y: dict[str, Any] | None) -> Found:
    if x is None and y is not None:
        return ("feature", "new field")
    if y is None:
        return ("breaking", "field removed") if x is not None else None
    assert x is not None
    typed = _response_type(x["type"], y["type"])
    if x["required"] != y["required"]:
        if not y["required"]:
            return ("breaking", "was required, now optional")
        return typed if typed and typed[0] == "breaking" else ("feature", "now always present")
    return typed


# --------------------------------------------------------------------------------------------
# types: member sets, with enum values spelled out (see surface.members)


def _covered(member: str, others: set[str]) -> bool:
    """Whether every value of ``member`` is also a value of one of ``others``."""
    if member in others or "Any" in others:
        return True
    if member.startswith("list[") and member.endswith("]"):  # lists, item by item
        items = set(_items(member))
        return any(
            o.startswith("list[") and all(_covered(i, set(_items(o))) for i in items)
            for o in others
        )
    if member.startswith('"'):
        return "str" in others
    if member in ("true", "false", "True", "False"):
        return "bool" in others
    if member.lstrip("-").isdigit():
        return "int" in others or "float" in others
    return member == "int" and "float" in others


def _items(member: str) -> list[str]:
    return [part.strip() for part in member[len("list[") : -1].split(" | ")]


def _relation(old: list[str], new: list[str]) -> str:
    a, b = set(old), set(new)
    wider = all(_covered(m, b) for m in a)
    narrower = all(_covered(m, a) for m in b)
    if wider and narrower:
        return "same"
    return "wider" if wider else "narrower" if narrower else "other"


def _enum_values(members: set[str]) -> list[str]:
    return sorted(m for m in members if m.startswith('"') or m.lstrip("-").isdigit())


def _request_type(old: list[str], new: list[str]) -> Found:
    """Callers send values of this type: narrowing breaks them, widening serves them more."""
    if old == new:
        return None
    removed, added = _enum_values(set(old) - set(new)), _enum_values(set(new) - set(old))
    relation = _relation(old, new)
    if removed and relation in ("same", "narrower"):
        return "breaking", f"enum value removed: {', '.join(removed)}"
    if relation == "narrower":
        return "breaking", f"type narrowed: {_difference(old, new)}"
    if relation == "other":
        return "breaking", f"type changed: {_difference(old, new)}"
    if added and relation == "same" or added and set(new) - set(old) == set(added):
        return "feature", f"enum value added: {', '.join(added)}"
    return "feature", f"type widened: {_difference(old, new)}"


def _response_type(old: list[str], new: list[str]) -> Found:
    """Callers receive values of this type: widening breaks them, unless an open enum grows."""
    if old == new:
        return None
    removed, added = _enum_values(set(old) - set(new)), _enum_values(set(new) - set(old))
    relation = _relation(old, new)
    is_open = "str" in old and "str" in new
    if relation == "same":  # values of an open enum, which a str already covered
        if added:
            return "feature", f"enum value added (open enum): {', '.join(added)}"
        return "feature", f"enum value removed (open enum): {', '.join(removed)}"
    if relation == "wider":
        if added and set(new) - set(old) == set(added) and is_open:
            return "feature", f"enum value added (open enum): {', '.join(added)}"
        if added and set(new) - set(old) == set(added):
            return "breaking", f"enum value added to a closed enum: {', '.join(added)}"
        return "breaking", f"type widened: {_difference(old, new)}"
    if relation == "narrower":
        return "feature", f"type narrowed: {_difference(old, new)}"
    return "breaking", f"type changed: {_difference(old, new)}"


def _type(members: list[str]) -> str:
    return _show(" | ".join(members) or "nothing", quote=False)


def _difference(old: list[str], new: list[str]) -> str:
    """``A | B ➜ A | C``, or only what was added and removed when that is too long to read."""
    whole = f"{_type(old)} ➜ {_type(new)}"
    if len(" | ".join(old)) + len(" | ".join(new)) <= 100:
        return whole
    where = ""
    if len(old) == len(new) == 1 and old[0].startswith("list[") and new[0].startswith("list["):
        old, new, where = _items(old[0]), _items(new[0]), "list items "
    added = sorted(set(new) - set(old))
    removed = sorted(set(old) - set(new))
    parts = [
        f"added {', '.join(added)}" if added else "",
        f"removed {', '.join(removed)}" if removed else "",
    ]
    return where + "; ".join(p for p in parts if p)


def _show(value: Any, quote: bool = True) -> str:
    text = repr(value) if quote and isinstance(value, str) else str(value)
    return text if len(text) <= 90 else text[:87] + "..."
