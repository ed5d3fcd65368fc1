"""Every operation of every corpus spec, called through its generated sync client, against
Prism serving that spec with answers generated from the response schemas
(``prism mock -d --errors``).

Arguments are made from the spec alone (``sweep_values``: examples, enums, formats, patterns,
bounds); each call must be accepted by Prism (it validates every request against the spec) and
each 2xx answer must parse into the declared type. The counts per spec (called, accepted,
parsed, unserved, skipped and why) are printed in the terminal summary of the run.

What is not counted against the client, each with its reason in the report:

* ``unserved``: Prism could not answer (a media type it cannot write; json-schema-faker failing
  on a schema; an answer it generated that breaks the spec, checked by Prism or, for formats
  such as ``uuid4`` that the faker ignores, by this test against the response schema); Prism
  dying on such an answer is restarted and counted the same way;
* ``skipped``: no valid value could be made for a required argument, a path with a ``#``
  fragment (no URL reaches it), a method Prism does not route (3.2's ``QUERY``).

:data:`KNOWN` lists the calls that still fail, each with the reason; the test fails on any
other, and when a known one starts passing (so the list cannot go stale).
"""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from generator.load import load_spec
from tests.clients.corpus_clients import CORPUS, Corpus, corpus_documents
from tests.clients.sweep import Report, imported, served_document, sweep
from tests.prism import prism_available, run_prism

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not prism_available(), reason="Prism is not installed (run .ci/install)"),
    pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus is not here"),
]

#: Documents with no operation to call (``test_corpus.py`` checks that they generate).
UNSERVABLE = {
    "oai-3.2-fixture-parameter-object-examples.yaml": "path-level parameters only",
    "oai-3.2-fixture-security-scheme-object-examples.yaml": "security schemes only",
}

_MULTIPART_OBJECT = (
    "Prism reads every multipart part as a string, so it refuses the object field "
    "ride_along_image, which the client sends as a JSON part (OpenAPI's default for objects)"
)
#: Calls that still fail, by spec and call, with the reason. Keep it short and honest.
KNOWN: dict[str, dict[str, str]] = {
    "oai-3.2-fixture-path-item-object-example.yaml": {
        "client.pets.retrieve": "the 200 answer is declared as */*: Prism answers 406 to the "
        "client's Accept: application/json, where a server would pick a type",
    },
    "github-rest-api-v0.0.5.json": {
        call: "this spec (2020) declares no Location header on the 302, so Prism sends none; "
        "with nowhere to point, the client raises the 302 as an error"
        for call in (
            "client.migrations.download_archive_for_org",
            "client.migrations.get_archive_for_authenticated_user",
        )
    },
    "gotify-server-swagger2.json": {
        call: "declared answers: 302 (no Location) and default; Prism answers 200 with the "
        "default's Error body, which the client, expecting the redirect, does not parse"
        for call in ("client.oidc.elevate", "client.oidc.login")
    },
    "lob-api-bundled.yml": {"client.informed_delivery_campaign.create": _MULTIPART_OBJECT},
    "lob-api-public.yml": {"client.informed_delivery_campaign.create": _MULTIPART_OBJECT},
}

#: At most this share of a spec's operations may be skipped.
MAX_SKIPPED = 0.10


def _documents() -> list[Path]:
    return [d for d in corpus_documents() if d.name not in UNSERVABLE]


@pytest.mark.parametrize("document", _documents(), ids=lambda d: d.name)
def test_every_operation_is_accepted_and_parsed(
    corpus: Corpus,
    document: Path,
    tmp_path: Path,
    record_property: pytest.RecordProperty,
) -> None:
    client = corpus.client(document)
    spec = load_spec(document)
    served = served_document(document, spec, tmp_path)
    serve = functools.partial(run_prism, served, dynamic=True, start_timeout=180.0)
    with imported(client.folder, client.package) as package:
        report = sweep(client.api, package, spec.document, serve, document.name)
    record_property("sweep", report.summary())
    print(report.summary())

    known = KNOWN.get(document.name, {})
    unexpected = [o for o in report.problems() if o.call not in known]
    assert not unexpected, "\n".join(f"{o.result} {o.call}: {o.detail}" for o in unexpected)
    fixed = sorted(set(known) - {o.call for o in report.problems()})
    assert not fixed, f"these calls now pass; take them out of KNOWN: {fixed}"
    _assert_few_skipped(report)


def _assert_few_skipped(report: Report) -> None:
    skipped = report.count("skipped")
    assert skipped <= MAX_SKIPPED * len(report.outcomes) or skipped <= 2, report.summary()
    assert report.called > 0 or not report.outcomes, report.summary()
