"""The library: check, plan and generate a campaign. The CLI and the web app call only these.

    from advocacy import GenerateOptions, generate
    result = generate(Path("campaigns/x.yaml"), GenerateOptions(formats=("pdf",)))

Light on purpose: the stages load when a function needs them, so that a run whose
output is already up to date answers in a fraction of a second. The full way of
generating is build/run.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from advocacy.build import stamp
from advocacy.build.results import (
    OUTPUT_SETTINGS,
    GenerateOptions,
    LettersOnDemand,
    Progress,
    Result,
    WrittenLetter,
)
from advocacy.errors import AdvocacyError, Place
from advocacy.formats import Format
from advocacy.project import Project, UnknownName, campaign_name

if TYPE_CHECKING:
    from advocacy.planning import Plan

__all__ = ["GenerateOptions", "LettersOnDemand", "Progress", "Result", "WrittenLetter", "check",
           "generate", "plan", "preview"]


def plan(campaign: Path, *, copies: bool = False) -> Plan:
    """Validate a campaign and list its letters, writing nothing.

    ``copies``: in an open letter, also a copy for each selected recipient.
    """
    from advocacy.planning import plan_file

    return plan_file(campaign, copies=copies)


def check(campaign: Path, *, copies: bool = False) -> Plan:
    """Validate a campaign and compose every letter, writing nothing; return the plan."""
    from advocacy.compose.composer import Composer
    from advocacy.printing import bundle

    planned = plan(campaign, copies=copies)
    composer = Composer(planned.inputs)
    for letter in planned.letters:
        composer.compose(letter)  # catches template mistakes for every recipient
    printing = bundle.settings_for(planned.inputs.campaign, requested=False, labels=False)
    if printing is not None:  # the campaign's print: section
        bundle.check(printing, planned.inputs.campaign.formats,
                     planned.inputs.project.template_folders, planned.letters)
    return planned


def preview(campaign: Path | Plan, letter: str, format: Format = "pdf") -> bytes:
    """Make one letter of a campaign (its file stem, as plan lists it), writing nothing.

    For a web page that shows a letter on demand: give the Plan the page already has
    to skip validating again; repeated calls in one process reuse the layout of the
    enclosure the letters share.
    """
    from advocacy.build import cache
    from advocacy.build.worker import WorkContext, one_letter
    from advocacy.planning import Plan

    planned = campaign if isinstance(campaign, Plan) else plan(campaign)
    chosen = next((each for each in planned.letters if each.stem == letter), None)
    if chosen is None:
        raise AdvocacyError.at(Place(planned.inputs.path), f"no letter named '{letter}' in "
                               "this campaign; 'advocacy plan' lists them")
    inputs = planned.inputs
    settings = {"formats": (format,), "one_by_one": False,
                "pdf_variant": inputs.campaign.pdf_variant}
    # Keyed by the inputs all letters share: the next preview reuses this worker's layouts.
    context = WorkContext(key=cache.shared_hash(inputs, settings), inputs=inputs,
                          formats=(format,), folder=Path(),
                          pdf_variant=inputs.campaign.pdf_variant)
    return one_letter(context, chosen)[format]


def generate(campaign: Path, options: GenerateOptions | None = None, *,
             on_progress: Progress | None = None) -> Result:
    """Write every letter of a campaign into OUTPUT_DIR/NAME/ with a manifest.

    Letters whose inputs are unchanged since the last run are kept as they are; the
    others are written in chunks by the executor. With a print bundle asked for (or a
    ``print:`` section in the campaign), also write it into print/.

    When nothing the output was made from has changed since the last run (the run
    stamp, build/stamp.py), the result comes back at once, without validating again;
    its letters are planned again only when read.
    """
    options = options or GenerateOptions()
    try:
        folder = options.output_dir / campaign_name(campaign)
    except UnknownName:
        folder = None  # the full way says what is wrong with the name
    run_key = ""
    if folder is not None:
        root = Project.of_campaign(campaign).root
        settings = options.model_dump(mode="json", include=OUTPUT_SETTINGS)
        run_key = stamp.key(root, settings | {"campaign": str(campaign), "one_by_one": False})
        report = stamp.current_report(folder, run_key, root, campaign)
        if report is not None:
            return _up_to_date(campaign, options, folder, report, on_progress)
    return _generate(campaign, options, on_progress, run_key=run_key)


def _generate(campaign: Path, options: GenerateOptions, on_progress: Progress | None, *,
              one_by_one: bool = False, run_key: str = "") -> Result:
    from advocacy.build import run

    return run.generate(campaign, options, on_progress, one_by_one=one_by_one, run_key=run_key)


def _up_to_date(campaign: Path, options: GenerateOptions, folder: Path, report: stamp.Report,
                on_progress: Progress | None) -> Result:
    """Return the result the run stamp recorded; the letters are planned again when read."""
    if on_progress:
        on_progress(report.letters, report.letters)
    return Result(campaign_name(campaign), folder,
                  letters=LettersOnDemand(report.letters,
                                          lambda: _written_letters(campaign, options, folder)),
                  attention=report.attention, written=0, changed=False, printed=report.printed)


def _written_letters(campaign: Path, options: GenerateOptions,
                     folder: Path) -> list[WrittenLetter]:
    from advocacy.build import run  # the stages load only when the letters are read

    return run.written_letters(campaign, options, folder)
