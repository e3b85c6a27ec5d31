"""Stage 2, validate: turn loaded files into typed models and check every cross-reference.

Everything a campaign names (template, statements, signatory lists, recipient
files) is loaded and checked here, and all problems are reported together,
before anything is planned or written.
"""

from __future__ import annotations

import difflib
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import jinja2
from babel import Locale, UnknownLocaleError
from pydantic import BaseModel, ValidationError

from advocacy import load, signatory_lists, usa
from advocacy.errors import AdvocacyError, Place, Problem
from advocacy.models import (
    Campaign,
    Recipient,
    RecipientFile,
    SignatoryList,
    StatementFront,
    StatementRef,
)
from advocacy.project import Project, UnknownName
from advocacy.templating import make_environment, markdown_overlay

M = TypeVar("M", bound=BaseModel)


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


@dataclass(frozen=True)
class Signatories:
    """A signatory list file."""

    name: str
    path: Path
    model: SignatoryList
    images: tuple[Path, ...] = ()  # signature images, printed above names
    document: load.Document | None = None  # where each entry is, for messages


@dataclass(frozen=True)
class RecipientRecords:
    """The records of one recipients file, with the place of each."""

    name: str
    path: Path
    records: tuple[Recipient, ...]
    places: tuple[Place, ...]


@dataclass
class Inputs:
    """A validated campaign and everything it names, ready to plan."""

    project: Project
    path: Path
    campaign: Campaign
    document: load.Document
    template: Path
    statements: dict[str, Statement] = field(default_factory=dict)
    signatories: dict[str, Signatories] = field(default_factory=dict)
    recipients: dict[str, RecipientRecords] = field(default_factory=dict)

    @property
    def name(self) -> str:
        """Return the campaign's name: its file name without .yaml."""
        return self.path.name.removesuffix(".yaml").removesuffix(".yml")

    def source_files(self) -> list[Path]:
        """List every file this campaign reads (for hashing and caching)."""
        files = [self.path, self.template]
        files += [s.path for s in self.statements.values()]
        files += [s.path for s in self.signatories.values()]
        files += self.images()
        files += [r.path for r in self.recipients.values()]
        return files

    def images(self) -> list[Path]:
        """List the signature images of every signatory list (the only images letters use)."""
        return sorted({image for s in self.signatories.values() for image in s.images})


def validate_campaign(path: Path) -> Inputs:
    """Load and validate a campaign and every file it names; raise all problems together."""
    document = load.load_mapping(path)
    problems: list[Problem] = []
    campaign = parse_model(Campaign, document, problems)
    if campaign is None:
        raise AdvocacyError.collect(problems)
    project = Project.of_campaign(path)
    template = _find(project, "template", campaign.template, document, ("template",), problems)
    inputs = Inputs(project, path, campaign, document, template or project.templates)
    _check_language(campaign.language, document.place(("language",)), problems)
    if template is not None:
        _check_template(project, template, problems)

    statement_refs: list[tuple[StatementRef, tuple[str | int, ...]]] = []
    if isinstance(campaign.body, StatementRef):
        statement_refs.append((campaign.body, ("body",)))
    statement_refs += [(ref, ("enclosures", i)) for i, ref in enumerate(campaign.enclosures)]
    list_refs: list[tuple[str, Place]] = []
    if campaign.signatories:
        list_refs.append((campaign.signatories, document.place(("signatories",))))
    for ref, key in statement_refs:
        if ref.signatories:
            list_refs.append((ref.signatories, document.place((*key, "signatories"))))
        statement = _load_statement(project, ref.statement, document, key, problems)
        if statement is not None:
            inputs.statements[ref.statement] = statement
            if not ref.signatories and statement.front.signatories:
                list_refs.append((statement.front.signatories,
                                  statement.front_place("signatories")))

    for list_name, place in list_refs:
        if list_name not in inputs.signatories:
            signatories = _load_signatories(project, list_name, place, problems)
            if signatories is not None:
                inputs.signatories[list_name] = signatories

    for index, source in enumerate(campaign.recipients):
        key = source_key(document, index, "from")
        records = _load_recipients(project, source.source, document.place(key), problems)
        if records is not None:
            inputs.recipients[source.source] = records
        for state in source.where.state or []:
            if state.upper() not in usa.ALL:
                problems.append(Problem(
                    document.place(source_key(document, index, "where", "state")),
                    f"unknown state '{state}'; use a two-letter code such as MN",
                    "recipients.where.state",
                ))
    if problems:
        raise AdvocacyError.collect(problems)
    return inputs


def source_key(document: load.Document, index: int, *rest: str) -> tuple[str | int, ...]:
    """Return the data path of a recipients source, written as a list or as one mapping."""
    if isinstance(document.data.get("recipients"), dict):
        return ("recipients", *rest)
    return ("recipients", index, *rest)


# --- Models from documents ----------------------------------------------------------------------


def parse_model(model: type[M], document: load.Document, problems: list[Problem]) -> M | None:
    """Validate a document against a model, turning pydantic errors into placed problems."""
    try:
        return model.model_validate(document.data)
    except ValidationError as error:
        seen: set[tuple[Any, ...]] = set()
        for detail in error.errors():
            key = _data_key(document.data, detail["loc"])
            problem = _describe(model, document, key, detail)
            if (key, problem.message) not in seen:
                seen.add((key, problem.message))
                problems.append(problem)
        return None


def _data_key(data: Any, loc: tuple[Any, ...]) -> tuple[str | int, ...]:
    """Map a pydantic location to a path in the data, dropping union-branch labels."""
    key: list[str | int] = []
    current = data
    for index, part in enumerate(loc):
        if _has(current, part):
            key.append(part)
            current = current[part]
        elif index == len(loc) - 1 and isinstance(part, str) and isinstance(current, dict):
            key.append(part)  # a missing key
    return tuple(key)


def _has(container: Any, part: Any) -> bool:
    if isinstance(container, dict):
        return isinstance(part, str) and part in container
    if isinstance(container, list):
        return isinstance(part, int) and 0 <= part < len(container)
    return False


def _describe(
    model: type[BaseModel], document: load.Document, key: tuple[str | int, ...],
    detail: Any,
) -> Problem:
    kind = detail["type"]
    dotted = ".".join(str(part) for part in key if isinstance(part, str))
    value = detail.get("input")
    if kind == "extra_forbidden":
        name = str(key[-1])
        known = _fields_at(model, key[:-1])
        close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
        hint = f"; did you mean '{close[0]}'?" if close else f"; known keys: {', '.join(known)}"
        return Problem(document.place(key), f"unknown key '{name}'{hint}", dotted)
    if kind == "missing":
        return Problem(document.place(key[:-1]), f"'{key[-1]}' is required", dotted)
    return Problem(document.place(key), _type_message(kind, detail["msg"], value), dotted)


_EXPECTED = {
    "string_type": "text",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "list_type": "a list",
    "dict_type": "a mapping of 'key: value' lines",
    "model_type": "a mapping of 'key: value' lines",
    "model_attributes_type": "a mapping of 'key: value' lines",
    "date_type": "a date written as YYYY-MM-DD",
    "date_parsing": "a date written as YYYY-MM-DD",
    "date_from_datetime_parsing": "a date written as YYYY-MM-DD",
}


def _type_message(kind: str, pydantic_message: str, value: Any) -> str:
    shown = repr(value) if not isinstance(value, (dict, list)) else type(value).__name__
    if kind in _EXPECTED:
        return f"expected {_EXPECTED[kind]}, got {shown}"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "literal_error":
        allowed = pydantic_message.removeprefix("Input should be ")
        return f"must be {allowed}, got {shown}"
    return f"{pydantic_message} (got {shown})"


def _fields_at(model: type[BaseModel], key: tuple[str | int, ...]) -> list[str]:
    """List the keys a model accepts at a path, for 'did you mean' hints."""
    current: Any = model
    for part in key:
        if isinstance(part, int):
            continue
        fields = getattr(current, "model_fields", {})
        if part not in fields and part not in _aliases(current):
            return []
        info = fields.get(part) or _aliases(current)[part]
        current = _model_in(info.annotation)
        if current is None:
            return []
    fields = getattr(current, "model_fields", {})
    return sorted(info.alias or name for name, info in fields.items())


def _aliases(model: Any) -> dict[str, Any]:
    fields = getattr(model, "model_fields", {})
    return {info.alias: info for info in fields.values() if info.alias}


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """Find the model class inside an annotation such as list[X] | None."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in typing.get_args(annotation):
        found = _model_in(argument)
        if found is not None:
            return found
    return None


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
    env = make_environment(project.templates)
    name = template.name
    try:
        env.get_template(name)
    except jinja2.TemplateSyntaxError as error:
        path = Path(error.filename) if error.filename else template
        problems.append(Problem(Place(path, error.lineno), f"template error: {error.message}"))
    except jinja2.TemplateNotFound as error:
        problems.append(Problem(Place(template), f"template not found: {error.message}"))


def _load_statement(
    project: Project, name: str, document: load.Document, key: tuple[str | int, ...],
    problems: list[Problem],
) -> Statement | None:
    path = _find(project, "statement", name, document, (*key, "statement"), problems)
    if path is None:
        return None
    try:
        markdown_file = load.load_markdown(path)
    except AdvocacyError as error:
        problems.extend(error.problems)
        return None
    front = parse_model(StatementFront, markdown_file.front, problems)
    if front is None:
        return None
    try:
        markdown_overlay(make_environment(project.templates)).parse(markdown_file.body)
    except jinja2.TemplateSyntaxError as error:
        line = markdown_file.body_line + (error.lineno or 1) - 1
        problems.append(Problem(Place(path, line), f"template error: {error.message}"))
        return None
    return Statement(name, path, front, markdown_file.body, markdown_file.body_line,
                     markdown_file.front)


def _load_signatories(
    project: Project, name: str, place: Place, problems: list[Problem]
) -> Signatories | None:
    try:
        path = project.find("signatories", name)
    except UnknownName as error:
        problems.append(Problem(place, str(error), "signatories"))
        return None
    return read_signatories(path, project.root, problems, name)


def read_signatories(
    path: Path, root: Path, problems: list[Problem], name: str | None = None,
    text: str | None = None,
) -> Signatories | None:
    """Load and check one signatory list file (or its text), adding problems to problems."""
    try:
        document = load.load_mapping(path, text)
    except AdvocacyError as error:
        problems.extend(error.problems)
        return None
    model = parse_model(SignatoryList, document, problems)
    if model is None:
        return None
    found = signatory_lists.check_list(document, model, root)
    problems.extend(found)
    if found:
        return None
    list_name = name or path.name.removesuffix(".yaml").removesuffix(".yml")
    return Signatories(list_name, path, model, signatory_lists.images(path, model), document)


def _load_recipients(
    project: Project, name: str, place: Place, problems: list[Problem]
) -> RecipientRecords | None:
    try:
        path = project.find("recipients", name)
    except UnknownName as error:
        problems.append(Problem(place, str(error), "recipients.from"))
        return None
    try:
        document = _recipients_document(path)
    except AdvocacyError as error:
        problems.extend(error.problems)
        return None
    model = parse_model(RecipientFile, document, problems)
    if model is None:
        return None
    places = tuple(document.place(("recipients", i)) for i in range(len(model.recipients)))
    seen: dict[str, int] = {}
    for index, record in enumerate(model.recipients):
        if record.id in seen:
            problems.append(Problem(places[index], f"id '{record.id}' is used twice; ids must "
                                    "be unique", "recipients.id"))
        seen.setdefault(record.id, index)
    return RecipientRecords(name, path, tuple(model.recipients), places)


def _recipients_document(path: Path) -> load.Document:
    """Read a recipients file; a CSV becomes the same shape as the YAML form."""
    if path.suffix != ".csv":
        return load.load_mapping(path)
    table = load.load_csv(path)
    records: list[dict[str, Any]] = []
    document = load.Document(path, {"recipients": records}, {(): (1, 1)})
    for index, row in enumerate(table.rows):
        record: dict[str, Any] = {}
        for column, value in row.values.items():
            if not value:
                continue
            if column in ("address", "committees", "address_block"):
                record[column] = [part.strip() for part in value.replace(";", "\n").splitlines()]
            else:
                record[column] = value
        records.append(record)
        document.marks[("recipients", index)] = (row.line, 1)
        for column in record:
            document.marks[("recipients", index, column)] = (row.line, 1)
    return document
