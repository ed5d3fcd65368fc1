"""The runtime as code: typed under `mypy --strict`, black-formatted, and its small pure parts."""

from __future__ import annotations

import copy
import email.utils
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import RUNTIME

BIN = Path(sys.executable).parent


def test_the_runtime_and_a_client_built_on_it_pass_mypy_strict(package_dir: Path) -> None:
    result = subprocess.run(
        [str(BIN / "mypy"), "--strict", "--no-incremental", "-p", "rtpkg"],
        cwd=package_dir,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_runtime_is_black_formatted() -> None:
    result = subprocess.run(
        [str(BIN / "black"), "--check", "--line-length", "100", str(RUNTIME)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


def test_the_runtime_is_plain_python() -> None:
    for source in RUNTIME.glob("*.py"):
        text = source.read_text()
        assert "{{" not in text and "{%" not in text, source.name


def test_not_given_is_a_falsy_singleton(rt: Any) -> None:
    not_given = rt.NOT_GIVEN
    assert not not_given and repr(not_given) == "NOT_GIVEN"
    assert copy.deepcopy(not_given) is not_given and copy.copy(not_given) is not_given


@pytest.mark.parametrize(
    ("value", "expected"),
    [("3", 3.0), ("0.5", 0.5), ("-4", 0.0), ("soon", None), ("nan", None), (None, None)],
)
def test_retry_after_in_seconds(rt: Any, value: str | None, expected: float | None) -> None:
    headers = httpx.Headers({} if value is None else {"Retry-After": value})
    assert rt._retry.retry_after(headers) == expected


def test_retry_after_as_an_http_date(rt: Any) -> None:
    date = email.utils.formatdate(time.time() + 5, usegmt=True)
    waited = rt._retry.retry_after(httpx.Headers({"Retry-After": date}))
    assert waited is not None and 3.5 < waited <= 5


def test_backoff_grows_exponentially_with_jitter_under_a_cap(rt: Any) -> None:
    delays = [rt._retry.backoff(n, 0.5, 8.0) for n in range(8)]
    for n, delay in enumerate(delays):
        ceiling = min(8.0, 0.5 * 2**n)
        assert 0.75 * ceiling <= delay <= ceiling


def test_retryable_statuses(rt: Any) -> None:
    retryable = [
        s
        for s in (200, 400, 401, 404, 408, 409, 422, 429, 500, 503)
        if rt._retry.is_retryable_status(s)
    ]
    assert retryable == [408, 409, 429, 500, 503]


def test_status_errors_map_to_their_classes(rt: Any) -> None:
    errors = rt.errors
    expected = {
        400: errors.BadRequestError,
        401: errors.AuthenticationError,
        418: errors.APIStatusError,
    }
    expected |= {
        503: errors.InternalServerError,
        429: errors.RateLimitError,
        409: errors.ConflictError,
    }
    for status, cls in expected.items():
        assert errors.status_error_class(status) is cls


def test_an_endpoint_is_hashable_by_identity_and_caches_its_validators(rt: Any) -> None:
    endpoint = rt._client.GET_RUN
    assert {endpoint: 1}[endpoint] == 1
    assert endpoint.result_adapter() is endpoint.result_adapter()
    assert endpoint.error_adapter(404) is endpoint.error_adapter(404)
    assert endpoint.error_adapter(404) is not endpoint.error_adapter(503)
    assert rt._client.DELETE_RUN.error_adapter(404) is None


def test_an_error_shows_its_message_only(rt: Any) -> None:
    error = rt.errors.MissingCredentialError("m", arguments=("api_key",), env_vars=("X",))
    assert (repr(error), str(error), error.message) == ("MissingCredentialError('m')", "m", "m")
