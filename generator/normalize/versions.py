"""A package version (PEP 440) from whatever ``info.version`` a vendor wrote.

Specs carry dates (``2023-08-16``), build tags (``1.0.27-SNAPSHOT``), a leading ``v`` or
words (``1.0 beta``); a wheel needs PEP 440. The closest valid version keeps every number of the
release in order and maps the usual words onto PEP 440's pre-, post- and dev-releases.
"""

from __future__ import annotations

import re

from packaging.version import InvalidVersion, Version

__all__ = ["coerce_version"]

_NUMBERS = re.compile(r"\d+")
_WORDS = (  # first match wins; checked against the text after the release numbers
    (re.compile(r"snapshot|dev|nightly|unstable", re.I), ".dev0"),
    (re.compile(r"\brc|\bpre|preview|candidate", re.I), "rc0"),
    (re.compile(r"alpha|\ba\b", re.I), "a0"),
    (re.compile(r"beta|\bb\b", re.I), "b0"),
    (re.compile(r"post|patch|fix", re.I), ".post0"),
)


def coerce_version(text: str) -> tuple[str, bool]:
    """``(version, changed)``: ``text`` itself when it is a valid PEP 440 version, else the
    closest valid one (``2023-08-16`` ➜ ``2023.8.16``, ``1.0.27-SNAPSHOT`` ➜ ``1.0.27.dev0``,
    ``v2`` ➜ ``2``; ``0.0.0`` when it holds no number at all)."""
    text = text.strip()
    try:
        parsed = Version(text)
    except InvalidVersion:
        pass
    else:
        if str(parsed) == text and parsed.local is None:
            return text, False
        # PEP 440 reads ``2026-10`` as a post-release and accepts local versions, which no
        # index takes; other spellings (``v2``, ``1.0-rc.1``) have a canonical form
        if parsed.post is None and parsed.local is None:
            return str(parsed), True
    release, rest = _release(text)
    if not release:
        return "0.0.0", True
    suffix = ""
    for pattern, label in _WORDS:
        found = pattern.search(rest)
        if found:
            number = re.match(r"\W*(\d+)", rest[found.end() :])
            suffix = label[:-1] + (str(int(number.group(1))) if number else "0")
            break
    return ".".join(str(int(n)) for n in release) + suffix, True


def _release(text: str) -> tuple[list[str], str]:
    """The leading run of numbers (separated by ``.``, ``-`` or ``_``) and what follows it."""
    match = re.match(r"\D*?(\d+(?:[._-]\d+)*)", text)
    if match is None:
        return [], text
    return _NUMBERS.findall(match.group(1)), text[match.end() :]
