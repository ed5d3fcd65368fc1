"""A client generated from a Swagger 2.0 document talks to Prism serving our 3.0 conversion of
that document (``prism mock --errors`` validates every request against it): body, formData
file upload, path, query and header parameters, and the 2.0 security definitions all arrive
as the converted document says they must."""

from __future__ import annotations

import importlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.config import client_config
from generator.load import load_spec
from generator.pipeline import generate
from tests.prism import prism_available, run_prism

ROOT = Path(__file__).resolve().parents[2]
GOTIFY = ROOT.parent / "shared" / "corpus" / "apis" / "gotify-server-swagger2.json"
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not prism_available(), reason="Prism is not installed (run .ci/install)"),
    pytest.mark.skipif(not GOTIFY.is_file(), reason="shared/corpus is not beside the repository"),
]


@pytest.fixture(scope="module")
def gotify(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, str]]:
    root = tmp_path_factory.mktemp("gotify")
    config = client_config(GOTIFY, output=root / "out", package="gotify2_api")
    generate(config)
    converted = root / "converted.json"
    converted.write_text(json.dumps(load_spec(GOTIFY).document), encoding="utf-8")
    sys.path.insert(0, str(root / "out"))
    try:
        with run_prism(converted) as url:
            yield importlib.import_module("gotify2_api"), url
    finally:
        sys.path.remove(str(root / "out"))
        for name in [n for n in sys.modules if n.split(".")[0] == "gotify2_api"]:
            del sys.modules[name]


def test_calls_of_every_kind_are_accepted(gotify: tuple[Any, str]) -> None:
    module, url = gotify
    with module.Gotify2(base_url=url, api_key="C1234", username="u", password="p") as client:
        apps = client.application.get_apps()  # header api key
        assert isinstance(apps, list)
        app = client.application.create_app(name="backup", description="nightly")  # body
        assert isinstance(app.id, int)
        client.application.update(7, name="renamed")  # path + body
        client.application.upload_app_image(7, file=b"\x89PNG\r\n")  # formData type: file
        page = client.message.get(limit=5)  # query
        assert isinstance(page.messages, list)
        client.message.delete_app(7)  # path, no content
        client.user.update_current(pass_="secret")  # basic auth, body with a renamed field


async def test_the_async_client_is_accepted_too(gotify: tuple[Any, str]) -> None:
    module, url = gotify
    async with module.AsyncGotify2(base_url=url, api_key="C1234") as client:
        assert isinstance(await client.application.get_apps(), list)
        page = await client.message.get(limit=5, since=3)
        assert isinstance(page.paging.size, int)
