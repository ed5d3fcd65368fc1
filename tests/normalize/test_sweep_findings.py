"""What the Prism sweep over the corpus found the generator mis-reading, on a small spec.

Each of these made real calls fail (``tests/clients/test_prism_sweep.py``): a scalar wrapped in
``allOf`` was an object model, so Prism's strings did not parse (Lob's ids and cities); a
required ``writeOnly`` field was an optional argument, so requests lacked it (Galaxy's and
Cohere's passwords and tokens); ``readOnly`` beside a ``$ref`` was an argument; a response
content map given by ``$ref`` was a binary download; an operation that answers with a
redirect (GitHub's archive downloads) raised on its own success.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator

import httpx
import pytest
from pydantic import ValidationError

from tests.fixtures.normalize.build import Generated, fixture, generated


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Generated]:
    folder = tmp_path_factory.mktemp("sweep_findings")
    with generated(fixture("sweep-findings.yaml"), folder, "norm_sweep_findings") as package:
        yield package


def test_a_scalar_in_all_of_stays_a_scalar_with_its_constraints(built: Generated) -> None:
    account = built.models.Account.model_validate({"id": "acc_1", "name": "n", "city": "Paris"})
    assert account.id == "acc_1" and account.city == "Paris"
    with pytest.raises(ValidationError):  # the referenced pattern still holds
        built.models.Account.model_validate({"id": "bank_1", "name": "n"})
    with pytest.raises(ValidationError):  # and so does the city's maxLength
        built.models.Account.model_validate({"id": "acc_1", "name": "n", "city": "x" * 201})


def test_a_required_write_only_field_is_a_required_argument(built: Generated) -> None:
    create = inspect.signature(built.client_class(base_url="http://x.invalid").accounts.create)
    assert create.parameters["password"].default is inspect.Parameter.empty
    assert create.parameters["name"].default is inspect.Parameter.empty
    assert "status" not in create.parameters  # readOnly beside its $ref: the server's to set


def test_a_response_content_map_by_ref_is_parsed_into_its_model(built: Generated) -> None:
    sent: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json={"id": "acc_1", "name": "n", "status": "active"})

    client = built.client_class(
        base_url="http://x.invalid", http_client=httpx.Client(transport=httpx.MockTransport(answer))
    )
    account = client.accounts.create(name="n", password="p")
    assert type(account).__name__ == "Account" and account.id == "acc_1"
    assert sent[0].content == b'{"name":"n","password":"p"}'


def test_an_operation_answering_with_a_redirect_returns_where_it_points(built: Generated) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/a1/archive"):
            return httpx.Response(302, headers={"Location": "/files/a1.tar.gz?token=t"})
        return httpx.Response(404, json={})

    client = built.client_class(
        base_url="http://x.invalid/v1",
        http_client=httpx.Client(transport=httpx.MockTransport(answer)),
    )
    download = client.accounts.archive.download
    assert inspect.signature(download).return_annotation in ("str", str)
    assert "redirect" in (download.__doc__ or "")
    assert download("a1") == "http://x.invalid/files/a1.tar.gz?token=t"  # absolute, not followed
    with pytest.raises(built.package.errors.NotFoundError):
        download("other")
