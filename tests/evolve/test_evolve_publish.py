"""`clientgen publish` refuses a surface that broke without a major bump, before anything is
uploaded; once the version is raised it goes through. Against the loopback pypiserver of the
publish tests (their fixtures), with real builds."""

from __future__ import annotations

import os
import tarfile
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from generator.cli.main import main
from tests.package.test_package import Index, credentials, index  # noqa: F401 - fixtures

pytestmark = [
    pytest.mark.slow,
    pytest.mark.filterwarnings("ignore:'crypt' is deprecated:DeprecationWarning"),
]

BASE = Path(__file__).parent / "specs" / "evo.yaml"
PYPROJECT = """\
[tool.clientgen]
output = "generated"

[[tool.clientgen.clients]]
name = "evopub"
spec = "specs/evo.yaml"
package = "evopub_api"
version = "{version}"
"""


def _cli(root: Path, *args: str) -> tuple[int, str]:
    old = Path.cwd()
    os.chdir(root)
    try:
        result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    finally:
        os.chdir(old)
    return result.exit_code, result.stdout + result.stderr


def _release(root: Path, version: str) -> None:
    (root / "pyproject.toml").write_text(PYPROJECT.format(version=version))
    code, output = _cli(root, "generate")
    assert code == 0, output


@pytest.mark.usefixtures("credentials")
def test_publish_refuses_a_break_without_a_major_bump(index: Index, tmp_path: Path) -> None:
    root = tmp_path / "ws"
    (root / "specs").mkdir(parents=True)
    spec_path = root / "specs" / "evo.yaml"
    spec_path.write_text(BASE.read_text())
    publish = ("publish", "--repository-url", index.url, "--dist", str(tmp_path / "dist"))

    _release(root, "1.0.0")
    code, output = _cli(root, *publish)
    assert code == 0, output
    first = index.files()
    assert {"evopub_api-1.0.0.tar.gz", "evopub_api-1.0.0-py3-none-any.whl"} <= set(first)

    spec = yaml.safe_load(spec_path.read_text())
    spec["paths"].pop("/projects/{project}/runs/{run}")
    spec["components"]["schemas"]["Run"]["required"] = ["id"]
    spec_path.write_text(yaml.safe_dump(spec, sort_keys=False))
    _release(root, "1.1.0")
    code, output = _cli(root, *publish)
    assert code == 1
    assert "refusing" in output and "nothing was built or uploaded" in output
    assert "client.runs.get(): method removed" in output
    assert "models.Run.status: was required, now optional" in output
    assert "raise the version to 2.0.0" in output
    assert index.files() == first
    assert not list((tmp_path / "dist").glob("evopub_api-1.1.0*"))

    _release(root, "2.0.0")
    code, output = _cli(root, *publish)
    assert code == 0, output
    assert {"evopub_api-2.0.0.tar.gz", "evopub_api-2.0.0-py3-none-any.whl"} <= set(index.files())
    assert "evopub_api-2.0.0.tar.gz" in index.listed("evopub-api")
    with tarfile.open(tmp_path / "dist" / "evopub_api-2.0.0.tar.gz") as sdist:
        shipped = {Path(name).name for name in sdist.getnames()}
    assert {"clientgen-surface.json", "CHANGELOG.md"} <= shipped  # the record ships
