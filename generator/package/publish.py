"""Upload built clients all or nothing: check every file and the index first, then twine."""

from __future__ import annotations

import urllib.parse
from collections.abc import Callable, Sequence
from pathlib import Path

from ..errors import ClientgenError, ConfigError
from .artifacts import Artifact, read_artifact
from .index import already_published, simple_index_url
from .tool_output import tail
from .twine import twine_check, twine_upload

__all__ = ["publish"]


def publish(
    files: Sequence[Path],
    repository_url: str,
    *,
    dry_run: bool,
    index_url: str | None = None,
    on_upload: Callable[[Artifact], None] | None = None,
) -> list[Artifact]:
    """Upload ``files`` with twine, all of them or none; return what was (or would be) uploaded.

    Indexes never accept a file twice, so a set where some versions already exist would end
    half-published. Before anything is sent, the index's simple API (``index_url``, derived from
    ``repository_url`` when not given) is asked about every project, and the whole set is refused
    if any name+version is already there. With ``dry_run`` the same checks run and nothing is sent.
    """
    artifacts = [read_artifact(Path(f)) for f in files]
    if not artifacts:
        raise ClientgenError("nothing to publish: no files given")
    _check_repository_url(repository_url)
    missing = [str(a.path) for a in artifacts if not a.path.is_file()]
    if missing:
        raise ClientgenError(f"cannot publish files that do not exist: {', '.join(missing)}")
    names = [a.path.name for a in artifacts]
    doubles = sorted({n for n in names if names.count(n) > 1})
    if doubles:
        raise ClientgenError(f"the same file is listed twice: {', '.join(doubles)}")
    twine_check([a.path for a in artifacts])

    index = index_url or simple_index_url(repository_url)
    taken = already_published(artifacts, index)
    if taken:
        raise ClientgenError(
            f"refusing to publish: already on {index}: {', '.join(taken)}; nothing was uploaded. "
            "Indexes never replace a released file: bump the version (in [tool.clientgen] or the spec's "
            "info.version), regenerate and build again."
        )
    if dry_run:
        return artifacts

    uploaded: list[Artifact] = []
    for artifact in artifacts:
        error = twine_upload(artifact.path, repository_url)
        if error is not None:
            done = ", ".join(a.path.name for a in uploaded) or "none"
            left = ", ".join(a.path.name for a in artifacts[len(uploaded) :])
            raise ClientgenError(
                f"upload of {artifact.path.name} to {repository_url} failed:\n{tail(error)}\n"
                f"{_credentials_hint(error)}already uploaded: {done}\nnot uploaded: {left}"
            )
        uploaded.append(artifact)
        if on_upload is not None:
            on_upload(artifact)
    return uploaded


def _credentials_hint(output: str) -> str:
    """Where credentials come from, when twine's failure looks like a credentials problem."""
    markers = ("Credential not found", "401", "403", "Invalid or non-existent authentication")
    if any(marker in output for marker in markers):
        return "credentials are read from TWINE_USERNAME / TWINE_PASSWORD or keyring\n"
    return ""


def _check_repository_url(url: str) -> None:
    """An http(s) URL without credentials in it: secrets travel in the environment or keyring."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"repository URL {url!r} must be an http:// or https:// URL")
    if parts.username is not None or parts.password is not None:
        raise ConfigError(
            "the repository URL must not contain credentials; set TWINE_USERNAME and TWINE_PASSWORD "
            "(or store them with keyring) instead"
        )
