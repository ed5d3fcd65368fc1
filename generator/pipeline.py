"""The one-way pipeline: load ➜ validate ➜ normalize ➜ models ➜ render ➜ format ➜ write."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .config import ClientConfig
from .errors import Finding
from .write import Change, cache, compare, write_package

if TYPE_CHECKING:
    from .evolve.record import Evolution
    from .ir import Api
    from .load import LoadedSpec
    from .speed.lanes import Lanes

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


def build_api_and_document(config: ClientConfig) -> tuple[Api, dict[str, Any]]:
    """:func:`build_api`, and the (overlaid) document it was built from."""
    api, spec = _build(config)
    return api, spec.document


def _build(config: ClientConfig) -> tuple[Api, LoadedSpec]:
    from .load import load_spec
    from .normalize import normalize
    from .validate import validate_spec

    spec = load_spec(config.spec, config.overlays)
    validated = validate_spec(spec)  # first: a document the normalizer cannot read stops here
    api = _with_findings(normalize(spec, config), validated)
    _refuse_if_strict(config, api)
    return api, spec


def _with_findings(api: Api, validated: tuple[Finding, ...]) -> Api:
    """``api`` carrying every finding, the validator's and the normalizer's, in file order."""
    merged = sorted({*validated, *api.warnings}, key=lambda f: f.sort_key)
    return replace(api, warnings=tuple(merged))


def _refuse_if_strict(config: ClientConfig, api: Api) -> None:
    """With ``strict``, every finding is an error: all of them are raised at once."""
    from .validate import raise_errors

    if config.strict:
        raise_errors(list(api.warnings))


def _silent(stage: str) -> None:
    """No progress report (the default)."""


#: Told each stage as it starts (``modelling 2,275 schemas``), for a progress line on stderr.
Progress = Callable[[str], None]


def generate_files(
    config: ClientConfig, lanes: Lanes | None = None, *, progress: Progress = _silent
) -> Generated:
    """Every file of the package, formatted, in memory (nothing written); the surface record and
    CHANGELOG.md continue the history found in the output folder (:mod:`.evolve`)."""
    from .evolve import apply_history

    generated = _fresh_files(config, lanes, progress)
    return replace(generated, files=apply_history(generated.files, config.output).files)


def _fresh_files(config: ClientConfig, lanes: Lanes | None, progress: Progress) -> Generated:
    """Every file of the package, as if generated for the first time.

    With helper processes (:mod:`.speed`: several cores) datamodel-code-generator, the longest
    stage, runs in one of its own, warmed up while this process starts and reads the spec; the
    validator runs in another or, when there is none left (two cores), here once the models
    are under way; the rendered files are formatted meanwhile, the models when they come.
    Nothing is used before the validator has accepted the spec, and a stage that trips over an
    invalid spec reports the validator's finding instead. Without helpers the validator runs
    first and the stages one after the other.
    """
    if lanes is None:
        from .speed.lanes import Lanes, helpers_for

        with Lanes(helpers_for()) as own:
            return _generate_files(config, own, progress)
    return _generate_files(config, lanes, progress)


def _generate_files(config: ClientConfig, lanes: Lanes, progress: Progress) -> Generated:
    from .evolve import initial_files
    from .format import Formatting
    from .load import load_spec
    from .models import helper
    from .models.dmcg import models_source
    from .speed.schedule import Check, import_shared

    progress("reading the spec")
    spec = load_spec(config.spec, config.overlays)
    if lanes.parallel:
        import_shared()
    models_lane = lanes.dedicated(helper.warm_up)  # dmcg's own helper, warming up
    validation = Check(lanes, _validate, spec)
    if lanes.parallel or not models_lane.parallel:
        validation.start()  # in a helper; or, with none at all, first: a broken spec stops here
    with validation.first():
        from .normalize import normalize
        from .render import models_path, render_package, runtime_files
        from .render.signatures import walk

        progress("validating and normalizing")
        api = normalize(spec, config)
        if config.strict:  # before anything is modelled, formatted or cached
            _refuse_if_strict(config, _with_findings(api, validation.result()))
        modelled = models_lane.submit(models_source, api.model_schemas)  # the longest stage
        operations = sum(len(r.operations) for r in walk(api.resources))
        progress(
            f"modelling {len(api.model_schemas):,} schemas; rendering {operations:,} operations"
        )
        validation.start()  # here, now that the models are under way, when no helper is free
        files = render_package(api, None)
    # The runtime ships black-formatted (a test checks it): formatting it again changes nothing.
    runtime = {f"{api.package}/{name}" for name in runtime_files()}
    formatting = Formatting(lanes, memory=f"{config.name}\0{config.output.resolve()}")
    formatting.add({path: text for path, text in files.items() if path not in runtime})
    with validation.first():
        models = modelled.result()
    api = _with_findings(api, validation.result())
    progress(f"formatting {len(files):,} files")
    formatting.add({models_path(api): models})
    formatted = formatting.result()
    files = {path: formatted.get(path, text) for path, text in files.items()}
    files[models_path(api)] = formatted[models_path(api)]
    # the surface record and changelog of a first version; generate_files adds the history
    files.update(initial_files(api, spec.document))
    return Generated(config, api, dict(sorted(files.items())), spec.sources)


def _validate(spec: LoadedSpec) -> tuple[Finding, ...]:
    """The validator's findings (its errors raised): ``strict`` is applied with the
    normalizer's, so that every finding is listed at once."""
    from .validate import validate_spec

    return validate_spec(spec)


@dataclass(frozen=True)
class Outcome:
    changes: list[Change]
    warnings: tuple[Finding, ...]
    evolution: Evolution | None = None  # the surface's changes since the last generation


def generate(
    config: ClientConfig,
    *,
    check: bool = False,
    lanes: Lanes | None = None,
    progress: Progress = _silent,
) -> Outcome:
    """Generate one client; with ``check``, only report what would change.

    An unchanged spec through an unchanged generator comes from the output cache. ``lanes``:
    helper processes to share with other clients (by default the run starts its own).
    """
    from .evolve import apply_history

    output = cache.lookup(config)
    if output is None:  # the files as if first generated: their history is added once, below
        generated = _fresh_files(config, lanes, progress)
        output = cache.CachedOutput(generated.files, generated.api.warnings)
        cache.store(config, generated.inputs, output)
        cache.prune_if_due()
    # The record's history comes from the output folder, never from the cache.
    applied = apply_history(output.files, config.output)
    write = compare if check else write_package
    return Outcome(write(config.output, applied.files), output.warnings, applied.evolution)
