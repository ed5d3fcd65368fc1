"""The one-way pipeline: load ➜ validate ➜ normalize ➜ models ➜ render ➜ format ➜ write."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from . import cache
from .config import ClientConfig
from .write import Change, compare, write_package

if TYPE_CHECKING:
    from .ir import Api
    from .lanes import Job, Lanes
    from .load import LoadedSpec

# The stages are imported where they run: an up-to-date client (the output cache) then costs
# no import of the validator, datamodel-code-generator, Jinja or black.


@dataclass(frozen=True)
class Generated:
    config: ClientConfig
    api: Api
    files: dict[str, str]
    inputs: tuple[Path, ...]  # every file the run read


def build_api(config: ClientConfig) -> Api:
    """Load, validate and normalize one client's spec."""
    return _build(config)[0]


def _build(config: ClientConfig) -> tuple[Api, LoadedSpec]:
    from .load import load_spec
    from .normalize import normalize
    from .validate import validate_spec

    spec = load_spec(config.spec, config.overlays)
    validate_spec(spec)
    return normalize(spec, config), spec


def generate_files(config: ClientConfig, lanes: Lanes | None = None) -> Generated:
    """Every file of the package, formatted, in memory (nothing written).

    With helper processes (:mod:`.lanes`: several cores) datamodel-code-generator, the longest
    stage, runs in one of its own, warmed up while this process starts and reads the spec; the
    validator runs in another or, when there is none left (two cores), here once the models
    are under way; the rendered files are formatted meanwhile, the models when they come.
    Nothing is used before the validator has accepted the spec, and a stage that trips over an
    invalid spec reports the validator's finding instead. Without helpers the validator runs
    first and the stages one after the other.
    """
    if lanes is None:
        from .lanes import Lanes, helpers_for

        with Lanes(helpers_for()) as own:
            return _generate_files(config, own)
    return _generate_files(config, lanes)


def _generate_files(config: ClientConfig, lanes: Lanes) -> Generated:
    from . import modeller
    from .formatting import Formatting
    from .load import load_spec
    from .models import models_source

    spec = load_spec(config.spec, config.overlays)
    if lanes.parallel:
        _import_shared()
    models_lane = lanes.dedicated(modeller.warm_up)  # dmcg's own helper, warming up
    validation = _Validation(lanes, spec)
    if lanes.parallel or not models_lane.parallel:
        validation.start()  # in a helper; or, with none at all, first: a broken spec stops here
    with _validator_first(validation):
        from .normalize import normalize
        from .render import models_path, render_package, runtime_files

        api = normalize(spec, config)
        modelled = models_lane.submit(models_source, api.model_schemas)  # the longest stage
        validation.start()  # here, now that the models are under way, when no helper is free
        files = render_package(api, None)
    # The runtime ships black-formatted (a test checks it): formatting it again changes nothing.
    runtime = {f"{api.package}/{name}" for name in runtime_files()}
    formatting = Formatting(lanes, memory=f"{config.name}\0{config.output.resolve()}")
    formatting.add({path: text for path, text in files.items() if path not in runtime})
    with _validator_first(validation):
        models = modelled.result()
    validation.result()
    formatting.add({models_path(api): models})
    formatted = formatting.result()
    files = {path: formatted.get(path, text) for path, text in files.items()}
    files[models_path(api)] = formatted[models_path(api)]
    return Generated(config, api, dict(sorted(files.items())), spec.sources)


class _Validation:
    """The validator's run over the spec, started once: in a pool helper when there is one,
    else in this process (:meth:`start` then runs it, and :meth:`result` reports it)."""

    def __init__(self, lanes: Lanes, spec: LoadedSpec) -> None:
        self._lanes, self._spec = lanes, spec
        self._job: Job[None] | None = None

    def start(self) -> None:
        if self._job is None:
            self._job = self._lanes.submit(_validate, self._spec)
            if not self._lanes.parallel:
                self._job.result()  # it ran already: a broken spec stops here

    def result(self) -> None:
        self.start()
        assert self._job is not None
        self._job.result()


def _import_shared() -> None:
    """Import, before the helpers fork, what both they and this process use: pydantic's models
    (datamodel-code-generator's, the validator's settings). Imported once, shared. Not black:
    only a piece that is not black's layout already needs it (:mod:`.settled`), rarely."""
    from pydantic import BaseModel  # noqa: F401


@contextmanager
def _validator_first(validation: _Validation) -> Iterator[None]:
    """Whatever goes wrong inside, the validator's finding about the spec is reported first."""
    try:
        yield
    except Exception:
        validation.result()
        raise


def _validate(spec: LoadedSpec) -> None:
    from .validate import validate_spec

    validate_spec(spec)


@dataclass(frozen=True)
class Outcome:
    changes: list[Change]
    warnings: tuple[str, ...]


def generate(config: ClientConfig, *, check: bool = False, lanes: Lanes | None = None) -> Outcome:
    """Generate one client; with ``check``, only report what would change.

    An unchanged spec through an unchanged generator comes from the output cache. ``lanes``:
    helper processes to share with other clients (by default the run starts its own).
    """
    output = cache.lookup(config)
    if output is None:
        generated = generate_files(config, lanes)
        output = cache.CachedOutput(generated.files, generated.api.warnings)
        cache.store(config, generated.inputs, output)
        cache.prune_if_due()
    write = compare if check else write_package
    return Outcome(write(config.output, output.files), output.warnings)
