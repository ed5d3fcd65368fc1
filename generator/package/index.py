"""What a package index already has, asked through its simple API (PEP 503 / PEP 691).

Indexes never accept a file twice, so :func:`~generator.package.publish` asks before it sends.
"""

from __future__ import annotations

import base64
import json
import os
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Sequence
from html.parser import HTMLParser
from pathlib import Path

from ..errors import ClientgenError
from .artifacts import Artifact, read_artifact

__all__ = ["already_published", "index_files", "simple_index_url"]

#: Seconds to wait for the package index when checking what it already has.
_INDEX_TIMEOUT = 30.0


def simple_index_url(repository_url: str) -> str:
    """Where the simple API (PEP 503) of the index that ``repository_url`` uploads to lives.

    PyPI and TestPyPI take uploads at ``/legacy/`` on an ``upload.`` host; pypiserver and most
    others serve ``<url>/simple/``. Indexes laid out differently (devpi: ``+simple``) need an
    explicit ``index_url``.
    """
    parts = urllib.parse.urlsplit(repository_url)
    host = parts.netloc
    if host.startswith("upload."):
        host = host[len("upload.") :]
    path = parts.path.rstrip("/")
    if path.endswith("/legacy"):
        path = path[: -len("/legacy")]
    return urllib.parse.urlunsplit((parts.scheme, host, f"{path}/simple/", "", ""))


def already_published(artifacts: Sequence[Artifact], index: str) -> list[str]:
    """Releases (``name version``) among ``artifacts`` that the index already has a file of."""
    from packaging.version import InvalidVersion, Version

    wanted: dict[str, set[Version]] = {}
    for artifact in artifacts:
        wanted.setdefault(artifact.name, set()).add(Version(artifact.version))
    taken: set[tuple[str, Version]] = set()
    for name, versions in wanted.items():
        for filename in index_files(index, name):
            try:
                existing = read_artifact(Path(filename))
                version = Version(existing.version)
            except (ClientgenError, InvalidVersion):
                continue  # eggs and other formats we never upload
            if existing.name == name and version in versions:
                taken.add((name, version))
    return [f"{name} {version}" for name, version in sorted(taken)]


class _Links(HTMLParser):
    """File names of the ``<a href>`` links of a simple-API project page."""

    def __init__(self) -> None:
        super().__init__()
        self.files: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href:
            path = urllib.parse.urlsplit(href).path
            self.files.append(urllib.parse.unquote(path.rsplit("/", 1)[-1]))


class _SameOriginRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects on the index's own host only.

    pypiserver redirects projects it does not have to PyPI ("fallback"); following that would
    report PyPI's files as this index's and refuse a publish for nothing.
    """

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: object,
        code: int,
        msg: str,
        headers: object,
        newurl: str,
    ) -> urllib.request.Request | None:
        old, new = urllib.parse.urlsplit(req.full_url), urllib.parse.urlsplit(newurl)
        if (old.scheme, old.netloc) != (new.scheme, new.netloc):
            return None  # urllib then raises HTTPError with the 3xx code
        return super().redirect_request(req, fp, code, msg, headers, newurl)  # type: ignore[arg-type]


def index_files(index: str, name: str) -> list[str]:
    """File names the index lists for project ``name``; empty when it does not know the project."""
    url = urllib.parse.urljoin(index if index.endswith("/") else index + "/", f"{name}/")
    opener = urllib.request.build_opener(_SameOriginRedirects())
    headers = {
        "Accept": "application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.1",
        "User-Agent": "clientgen",
    }
    user, password = os.environ.get("TWINE_USERNAME"), os.environ.get("TWINE_PASSWORD")
    for attempt in ("anonymous", "authenticated"):
        request = urllib.request.Request(url, headers=headers)
        if attempt == "authenticated":
            token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
            request.add_header("Authorization", f"Basic {token}")
        try:
            with opener.open(request, timeout=_INDEX_TIMEOUT) as response:
                body = response.read().decode("utf-8", errors="replace")
                content_type = response.headers.get("Content-Type", "")
            break
        except urllib.error.HTTPError as exc:
            if exc.code == 404 or 300 <= exc.code < 400:
                return []  # the project is not on this index (yet)
            if exc.code in (401, 403) and attempt == "anonymous" and user and password:
                continue  # a private index: read it with the upload credentials
            raise ClientgenError(
                f"cannot check {url} for existing releases: HTTP {exc.code} {exc.reason}; nothing was "
                "uploaded (pass the index's simple API with --index-url if it is not there)"
            ) from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise ClientgenError(
                f"cannot reach the package index at {url}: {reason}; nothing was uploaded"
            ) from None
    else:  # pragma: no cover - the loop always breaks, returns or raises
        return []
    if "json" in content_type:
        try:
            return [str(entry["filename"]) for entry in json.loads(body).get("files", [])]
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise ClientgenError(f"{url}: unreadable simple-API JSON: {exc}") from None
    links = _Links()
    links.feed(body)
    return links.files
