"""Several media types for one body, text bodies and form encodings, as they reach a real
loopback server (sync and async): the raw Content-Type, Accept and body bytes (issue #20)."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import pytest

from tests.fixtures.normalize.build import Generated, fixture, generated
from tests.prism import prism_available, run_prism
from tests.runtime.runtime_server import Reply, ScriptedServer, Seen


@pytest.fixture(scope="module")
def media(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Generated]:
    with generated(fixture("media.yaml"), tmp_path_factory.mktemp("media"), "media_api") as built:
        yield built


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    with ScriptedServer() as running:
        running.routes["/letters"] = lambda seen: Reply(json={"id": "ltr_1"})
        yield running


async def _both(built: Generated, server: ScriptedServer, call: Any) -> list[Seen]:
    """``call(client)`` with the sync and the async client: the two requests as they arrived."""
    with built.client_class(base_url=server.url) as client:
        call(client)
    async_class = getattr(built.package, "Async" + built.api.client_class)
    async with async_class(base_url=server.url) as aclient:
        result = call(aclient)
        await result
    return server.seen[-2:]


LETTER = {"to": {"name": "Ada", "city": "Paris"}, "tags": ["a b", "c"], "meta": {"k": 1}}


def test_the_method_offers_the_declared_media_types_json_first(media: Generated) -> None:
    import inspect

    method = media.client_class(base_url="http://x.invalid").letters.create
    parameter = inspect.signature(method).parameters["content_type"]
    assert parameter.default == "application/json"
    annotation = str(parameter.annotation)
    for declared in (
        "application/json",
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        assert declared in annotation
    assert "application/xml" not in annotation  # no client writes XML from these arguments


async def test_json_is_the_default(media: Generated, server: ScriptedServer) -> None:
    for seen in await _both(media, server, lambda c: c.letters.create(**LETTER)):
        assert seen.headers["content-type"] == "application/json"
        assert seen.json() == LETTER


async def test_a_form_follows_the_spec_encoding(media: Generated, server: ScriptedServer) -> None:
    def call(c: Any) -> Any:
        return c.letters.create(
            **LETTER,
            description='Say "hi"',
            color=True,
            content_type="application/x-www-form-urlencoded",
        )

    for seen in await _both(media, server, call):
        assert seen.headers["content-type"] == "application/x-www-form-urlencoded"
        assert parse_qsl(seen.body.decode("ascii")) == [
            ("to[name]", "Ada"),  # deepObject, as the encoding object says
            ("to[city]", "Paris"),
            ("tags", "a b,c"),  # form without explode: one comma-separated value
            ("meta", '{"k":1}'),  # contentType application/json: JSON text
            ("description", 'Say "hi"'),
            ("color", "true"),
        ]


async def test_multipart_parts_carry_their_declared_type(
    media: Generated, server: ScriptedServer
) -> None:
    def call(c: Any) -> Any:
        return c.letters.create(**LETTER, content_type="multipart/form-data")

    for seen in await _both(media, server, call):
        assert seen.headers["content-type"].startswith("multipart/form-data; boundary=")
        body = seen.body.decode()
        assert 'name="meta"\r\nContent-Type: application/json\r\n\r\n{"k":1}' in body
        assert 'name="tags"\r\n\r\na b\r\n' in body and 'name="tags"\r\n\r\nc\r\n' in body


def test_an_undeclared_content_type_is_refused_before_sending(
    media: Generated, server: ScriptedServer
) -> None:
    with media.client_class(base_url=server.url) as client:
        with pytest.raises(ValueError, match="application/xml"):
            client.letters.create(**LETTER, content_type="application/xml")
    assert server.seen == []


async def test_a_text_body_is_sent_as_text(media: Generated, server: ScriptedServer) -> None:
    server.routes["/letters/ltr_1/notes"] = lambda seen: Reply(
        body=seen.body, headers={"Content-Type": "text/plain; charset=utf-8"}
    )
    with media.client_class(base_url=server.url) as client:
        assert client.letters.notes.add("ltr_1", body="héllo\n") == "héllo\n"
    async_class = getattr(media.package, "AsyncMedia")
    async with async_class(base_url=server.url) as aclient:
        assert await aclient.letters.notes.add("ltr_1", body="bye") == "bye"
    first, second = server.seen
    assert first.headers["content-type"] == "text/plain"
    assert first.body == "héllo\n".encode()
    assert first.headers["accept"] == "text/plain"  # a text-only result: not application/json
    assert second.body == b"bye"


async def test_text_alternatives_and_binary_ones(media: Generated, server: ScriptedServer) -> None:
    server.routes["/render"] = lambda seen: Reply(
        body="<p/>", headers={"Content-Type": "text/html"}
    )
    server.routes["/blobs/b1"] = lambda seen: Reply(status=204)

    def call(c: Any) -> Any:
        return c.render.markdown(body="# hi", content_type="text/plain")

    for seen in await _both(media, server, call):
        assert (seen.headers["content-type"], seen.body) == ("text/plain", b"# hi")
        assert seen.headers["accept"] == "text/html"
    with media.client_class(base_url=server.url) as client:
        client.render.markdown(body="# hi")
        client.blobs.put("b1", body=b"\x00tar")
        client.blobs.put("b1", body=b"\x00tar", content_type="application/x-tar")
    markdown, octets, tar = server.seen[-3:]
    assert markdown.headers["content-type"] == "text/x-markdown"
    assert (octets.headers["content-type"], octets.body) == ("application/octet-stream", b"\x00tar")
    assert tar.headers["content-type"] == "application/x-tar"


async def test_a_vendor_json_type_is_sent_as_declared(
    media: Generated, server: ScriptedServer
) -> None:
    server.routes["/patches"] = lambda seen: Reply(
        body="ok", headers={"Content-Type": "text/plain"}
    )

    def call(c: Any) -> Any:
        return c.patches.patch_thing(name="x")

    for seen in await _both(media, server, call):
        assert seen.headers["content-type"] == "application/merge-patch+json"
        assert json.loads(seen.body) == {"name": "x"}
    with media.client_class(base_url=server.url) as client:
        assert client.patches.patch_thing(name="x") == "ok"  # Any, answered as text: the text


def test_a_text_answer_to_a_json_result_is_a_clear_error(
    media: Generated, server: ScriptedServer
) -> None:
    server.routes["/letters"] = lambda seen: Reply(
        body="queued", headers={"Content-Type": "text/plain"}
    )
    errors = importlib.import_module("media_api.errors").APIResponseValidationError
    with media.client_class(base_url=server.url) as client:
        with pytest.raises(errors, match="not valid JSON \\(content-type text/plain\\)") as caught:
            client.letters.create(**LETTER)
    assert caught.value.body == "queued"
    assert server.seen[-1].headers["accept"] == "application/json"  # JSON first, as declared


def test_docstrings_show_a_call_with_the_spec_examples(media: Generated) -> None:
    client = media.client_class(base_url="http://x.invalid")
    assert 'client.letters.create(to={}, description="Say \\"hi\\"", color=True)' in (
        client.letters.create.__doc__ or ""
    )
    notes = client.letters.notes.add.__doc__ or ""
    assert 'letter_id="ltr_4868c3b754655f90",' in notes and "priority=5," in notes
    async_class = getattr(media.package, "AsyncMedia")
    assert "await client.letters.create(" in (
        async_class(base_url="http://x.invalid").letters.create.__doc__ or ""
    )
    assert "Example" not in (client.blobs.put.__doc__ or "")  # no example in the spec: none
    for module in (Path(media.package.__file__).parent / "resources").glob("*.py"):
        for line in module.read_text(encoding="utf-8").splitlines():
            assert len(line) <= 100, line


@pytest.mark.slow
def test_the_package_and_a_caller_pass_mypy_strict(media: Generated) -> None:
    out = Path(media.package.__file__).parent.parent
    (out / "media_usage.py").write_text(
        "from media_api import Media\n"
        "c = Media(base_url='http://x.invalid')\n"
        "r = c.letters.create(to={'name': 'Ada'}, content_type='multipart/form-data')\n"
        "s: str = c.letters.notes.add('ltr_1', body='text')\n"
        "c.blobs.put('b', body=b'x', content_type='application/x-tar')\n"
        "c.render.markdown(body='# x', content_type='text/markdown')  # type: ignore[arg-type]\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "media_api", "media_usage.py"],
        cwd=out,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
@pytest.mark.skipif(not prism_available(), reason="Prism is not installed (run .ci/install)")
@pytest.mark.parametrize("content_type", ["application/json", "application/x-www-form-urlencoded"])
def test_prism_accepts_each_media_type(media: Generated, tmp_path: Path, content_type: str) -> None:
    spec = tmp_path / "media.json"
    spec.write_text(json.dumps(fixture("media.yaml")), encoding="utf-8")
    # Prism refuses the comma that joins an unexploded form array (OpenAPI's delimiter, as in a
    # query), so one tag; it reads no multipart part as an object or an array, so no multipart
    tags = ["a"]
    with run_prism(spec) as url, media.client_class(base_url=url) as client:
        receipt = client.letters.create(to={"name": "Ada"}, tags=tags, content_type=content_type)
        assert isinstance(receipt.id, str)
        assert client.letters.notes.add("ltr_1", body="a note")
