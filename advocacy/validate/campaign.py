"""Stage 2, validate: turn loaded files into typed models and check every cross-reference.

Everything a campaign names (template, statements, signatory lists, recipient
files) is loaded and checked here, and all problems are reported together,
before anything is planned or written.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from babel import Locale, UnknownLocaleError

from advocacy import files, i18n, images, load, usa
from advocacy.compose.templating import make_environment, markdown_overlay
from advocacy.errors import AdvocacyError, Place, Problem
from advocacy.load.typed import parse_model
from advocacy.models import Campaign, StatementFront, StatementRef
from advocacy.project import Project, UnknownName, campaign_name
from advocacy.recipients import bodies as un_bodies
from advocacy.recipients import districts
from advocacy.recipients.bodies import Bodies
from advocacy.recipients.constituents import Constituent, load_senders
from advocacy.recipients.districts import Crosswalk
from advocacy.recipients.records import RecipientRecords, records_of_source
from advocacy.signatories import lists as signatory_lists
from advocacy.validate.open_letter import open_letter_problems


@dataclass(frozen=True)
class Statement:
    """A statement file: front matter and Markdown (+ Jinja) body."""

    name: str
    path: Path
    front: StatementFront
    body: str
    body_line: int
    front_document: load.Document

    def front_place(self, key: str) -> Place:
        """Return the place of a front-matter key."""
        return self.front_document.place((key,))


@dataclass
class Inputs:
    """A validated campaign and everything it names, ready to plan."""

    project: Project
    path: Path
    campaign: Campaign
    document: load.Document
    template: Path
    statements: dict[tuple[str, str], Statement] = field(default_factory=dict)  # (name, lang)
    signatories: dict[str, signatory_lists.Signatories] = field(default_factory=dict)
    sources: list[RecipientRecords] = field(default_factory=list)  # one per campaign source
    senders: list[Constituent] | None = None
    crosswalk: Crosswalk | None = None
    bodies: Bodies | None = None  # UN bodies, when a selector names one (member_of ...)
    extra_files: list[Path] = field(default_factory=list)  # overrides, senders, crosswalk
    template_files: list[Path] = field(default_factory=list)  # all of templates/, checked

    def template_for(self, language: str) -> Path:
        """Return the template for letters in a language: NAME.LANG.html.j2 if there is one."""
        stem = self.template.name.removesuffix(".html.j2")
        for folder in self.project.template_folders:
            translated = folder / f"{stem}.{language}.html.j2"
            # Whatever it is (a link, a pipe), it is the translation: the loader checks it.
            if os.path.lexists(translated):
                return translated
        return self.template

    @property
    def name(self) -> str:
        """Return the campaign's name: its file name without .yaml (checked when validated)."""
        return campaign_name(self.path)

    def templates(self) -> list[Path]:
        """List the distinct templates of the campaign's languages."""
        return list(dict.fromkeys(self.template_for(lang) for lang in self.campaign.languages))

    def source_files(self) -> list[Path]:
        """List every file this campaign reads (for hashing and caching)."""
        files = [self.path, *self.templates()]
        files += [s.path for s in self.statements.values()]
        files += [s.path for s in self.signatories.values()]
        files += self.images()
        files += list(dict.fromkeys(r.path for r in self.sources))
        return files + self.extra_files

    def images(self) -> list[Path]:
        """List the signature images of every signatory list (the only images letters use)."""
        return sorted({image for s in self.signatories.values() for image in s.images})


def validate_campaign(path: Path, text: str | None = None) -> Inputs:
    """Load and validate a campaign and every file it names; raise all problems together.

    ``text``: the campaign file's new text, checked before it is written (the web app's
    editor); omitted: the file as it is on disk.
    """
    try:
        campaign_name(path)
    except UnknownName as error:
        raise AdvocacyError.at(Place(path), str(error)) from None
    project = Project.of_campaign(path)
    document = load.load_mapping(path, text, root=project.root)
    problems: list[Problem] = []
    campaign = parse_model(Campaign, document, problems)
    if campaign is None:
        raise AdvocacyError.collect(problems)
    template = _find(project, "template", campaign.template, document, ("template",), problems)
    inputs = Inputs(project, path, campaign, document, template or project.templates)
    _check_language(campaign.language, document.place(("language",)), problems)
    for language in campaign.translations:
        _check_language(language, document.place(("translations", language)), problems)
    problems += open_letter_problems(campaign, document,
                                     make_environment(project.template_folders))
    if template is not None:
        for translated in inputs.templates():
            _check_template(project, translated, problems)
    # The letter templates themselves are checked above (by name, and as the loader reads).
    stem = campaign.template.removesuffix(".html.j2")
    own = {project.templates / f"{stem}{f'.{lang}' if lang else ''}.html.j2"
           for lang in ["", *campaign.languages]}
    inputs.template_files = _check_template_files(project, problems, own)

    # Each list and statement is read once, however many languages name it: where it is
    # first named is where its problems are reported.
    list_refs: dict[str, Place] = {}
    if campaign.signatories:
        list_refs[campaign.signatories] = document.place(("signatories",))
    statements_read: set[tuple[str, str]] = set()
    for language in campaign.languages:
        texts_key: tuple[str | int, ...] = () if language == campaign.language else (
            "translations", language)
        statement_refs: list[tuple[StatementRef, tuple[str | int, ...]]] = []
        body = campaign.texts(language).body
        if isinstance(body, StatementRef):
            statement_refs.append((body, (*texts_key, "body")))
        statement_refs += [(ref, ("enclosures", i)) for i, ref in enumerate(campaign.enclosures)]
        for ref, key in statement_refs:
            if ref.signatories:
                list_refs.setdefault(ref.signatories, document.place((*key, "signatories")))
            if (ref.statement, language) in statements_read:
                continue
            statements_read.add((ref.statement, language))
            statement = _load_statement(project, ref.statement, language, document, key,
                                        problems)
            if statement is not None:
                inputs.statements[(ref.statement, language)] = statement
                if not ref.signatories and statement.front.signatories:
                    list_refs.setdefault(statement.front.signatories,
                                         statement.front_place("signatories"))

    for list_name, place in list_refs.items():
        signatories = _load_signatories(project, list_name, place, problems)
        if signatories is not None:
            inputs.signatories[list_name] = signatories

    for index, source in enumerate(campaign.recipients):
        place = document.place(source_key(document, index, "from"))
        records = records_of_source(project, source, place, problems)
        if records is not None:
            inputs.sources.append(records)
            if records.overrides is not None:
                inputs.extra_files.append(records.overrides)
        for state in source.where.state or []:
            if state.upper() not in usa.ALL:
                problems.append(Problem(
                    document.place(source_key(document, index, "where", "state")),
                    f"unknown state '{state}'; use a two-letter code such as MN",
                    "recipients.where.state",
                ))
    _check_bodies(inputs, problems)
    if campaign.senders:
        _load_senders(inputs, problems)
    if problems:
        raise AdvocacyError.collect(problems)
    return inputs


def _load_senders(inputs: Inputs, problems: list[Problem]) -> None:
    """Load a constituent campaign's senders file and the ZIP crosswalk."""
    project, name = inputs.project, inputs.campaign.senders or ""
    try:
        path = project.find("recipients", name)
    except UnknownName as error:
        problems.append(Problem(inputs.document.place(("senders",)), str(error), "senders"))
        return
    crosswalk_path = project.folder("recipients") / districts.FILE_NAME
    try:
        inputs.senders = load_senders(path, project.root)
        inputs.crosswalk = Crosswalk.load(crosswalk_path, project.root)
    except AdvocacyError as error:
        problems.extend(error.problems)
        return
    inputs.extra_files += [path, crosswalk_path]


def _check_bodies(inputs: Inputs, problems: list[Problem]) -> None:
    """Load recipients/un-bodies.yaml if a selector names a UN body; check each name."""
    for index, source in enumerate(inputs.campaign.recipients):
        for key in ("member_of", "observer_of"):
            names = getattr(source.where, key)
            if names is None:
                continue
            place = inputs.document.place(source_key(inputs.document, index, "where", key))
            if inputs.bodies is None:
                try:
                    inputs.bodies = un_bodies.load_bodies(inputs.project.folder("recipients"),
                                                          inputs.project.root, place)
                except AdvocacyError as error:
                    problems.extend(error.problems)
                    return
                inputs.extra_files.append(inputs.bodies.path)
            problems += [Problem(place, message, f"recipients.where.{key}")
                         for message in un_bodies.unknown_bodies(inputs.bodies, names)]


def source_key(document: load.Document, index: int, *rest: str) -> tuple[str | int, ...]:
    """Return the data path of a recipients source, written as a list or as one mapping."""
    if isinstance(document.data.get("recipients"), dict):
        return ("recipients", *rest)
    return ("recipients", index, *rest)


# --- Referenced files ---------------------------------------------------------------------------


def _find(
    project: Project, kind: str, name: str, document: load.Document,
    key: tuple[str | int, ...], problems: list[Problem],
) -> Path | None:
    try:
        return project.find(kind, name)
    except UnknownName as error:
        problems.append(Problem(document.place(key), str(error), _dotted(key)))
        return None


def _dotted(key: tuple[str | int, ...]) -> str:
    return ".".join(str(part) for part in key if isinstance(part, str))


def _check_language(language: str, place: Place, problems: list[Problem]) -> None:
    try:
        Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        problems.append(Problem(place, f"unknown language '{language}'; use a code such as "
                                "en, fr or km", "language"))


def _check_template(project: Project, template: Path, problems: list[Problem]) -> None:
    """Parse a template (and what it extends or includes) to catch syntax errors early."""
    env = make_environment(project.template_folders)
    name = template.name
    try:
        env.get_template(name)
        if not env.loader.get_source(env, name)[0].strip():  # type: ignore[union-attr]
            problems.append(Problem(Place(template), "the template is empty; write the letter "
                                    "in it (see templates/letter.html.j2)"))
    except jinja2.TemplateSyntaxError as error:
        path = Path(error.filename) if error.filename else template
        problems.append(Problem(Place(path, error.lineno), f"template error: {error.message}"))
    except jinja2.TemplateNotFound as error:
        problems.append(Problem(Place(template), f"template error: {error.message}"))
    except AdvocacyError as error:  # refused by the checked opener (a pipe, too big ...)
        problems.extend(error.problems)


def _check_template_files(project: Project, problems: list[Problem],
                          skip: set[Path]) -> list[Path]:
    """Check every file in templates/, used or not: the build cache reads them all.

    A link leading out of the project, a pipe or a device, a file over the size limit
    and a damaged image are refused here, by check as by generate (``skip``: files
    checked already, whose problems are reported once).
    """
    found = project.template_files()
    for path in found:
        if path in skip:
            continue
        try:
            if images.is_image(path.suffix, b""):
                data = files.read_checked(path, images.MAX_IMAGE_BYTES, project.root)
                problem = images.problem(path.suffix, data)
                if problem is not None:
                    problems.append(Problem(Place(path), problem))
            else:
                files.check(path, files.MAX_RESOURCE_BYTES, project.root)
        except AdvocacyError as error:
            problems.extend(error.problems)
    return found


def _load_statement(
    project: Project, name: str, language: str, document: load.Document,
    key: tuple[str | int, ...], problems: list[Problem],
) -> Statement | None:
    """Load a statement in one language: NAME.LANG.md, or NAME.md if it is in that language."""
    path = _find(project, "statement", name, document, (*key, "statement"), problems)
    if path is None:
        return None
    translated = path.with_name(f"{name}.{language}.md")
    if os.path.lexists(translated):  # a link or a pipe too: the checked opener refuses it
        path = translated
    try:
        markdown_file = load.load_markdown(path, project.root)
    except AdvocacyError as error:
        problems.extend(error.problems)
        return None
    if not markdown_file.body.strip():
        problems.append(Problem(Place(path, markdown_file.body_line), "the statement has no "
                                "text; write it after the front matter ('---' lines)"))
        return None
    front = parse_model(StatementFront, markdown_file.front, problems)
    if front is None:
        return None
    if i18n.base_language(front.language) != i18n.base_language(language):
        problems.append(Problem(
            document.place((*key, "statement")),
            f"statement '{name}' is in '{front.language}', and the campaign writes in "
            f"'{language}': add its translation as statements/{name}.{language}.md",
            "statement",
        ))
        return None
    try:
        markdown_overlay(make_environment(project.template_folders)).parse(markdown_file.body)
    except jinja2.TemplateSyntaxError as error:
        line = markdown_file.body_line + (error.lineno or 1) - 1
        problems.append(Problem(Place(path, line), f"template error: {error.message}"))
        return None
    return Statement(name, path, front, markdown_file.body, markdown_file.body_line,
                     markdown_file.front)


def _load_signatories(
    project: Project, name: str, place: Place, problems: list[Problem]
) -> signatory_lists.Signatories | None:
    try:
        path = project.find("signatories", name)
    except UnknownName as error:
        problems.append(Problem(place, str(error), "signatories"))
        return None
    return signatory_lists.read_signatories(path, project.root, problems, name)

