"""Read a case: YAML (safe loading only) or an Excel workbook, into a validated Case.

Reading is at the edge: :func:`load_case` finds the file (or the bundled case by name),
parses it into plain data, and :func:`case_from_dict` normalises, validates and checks it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from plafond.cases.bundled import bundled_path
from plafond.cases.checks import check_case
from plafond.cases.errors import CaseError, from_validation_error
from plafond.cases.schema import ID_TABLES, REQUIRED, Case
from plafond.cases.strikt import geen_booleans
from pydantic import ValidationError

#: Largest case file read (bytes); a larger one is refused before it is parsed.
MAX_BYTES = 20_000_000
#: Deepest nesting of lists and mappings in a YAML case (a case needs five levels).
MAX_DIEPTE = 32
#: Most YAML nodes (values, lists, mappings) in one case file.
MAX_KNOPEN = 2_000_000
SUFFIXES = (".yaml", ".yml", ".xlsx")


class _StrictResolver(yaml.resolver.Resolver):
    """YAML 1.2 booleans: only true/false (yes, no, on, off stay text: NO is Norway's id)."""


_StrictResolver.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for key, resolvers in yaml.resolver.Resolver.yaml_implicit_resolvers.items()
}
_StrictResolver.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)


class _SafeLoader(
    yaml.reader.Reader,
    yaml.scanner.Scanner,
    yaml.parser.Parser,
    yaml.composer.Composer,
    yaml.constructor.SafeConstructor,
    _StrictResolver,
):
    """A strict safe loader: no object tags, no aliases, no duplicate keys, bounded nesting.

    Aliases are refused (no 'billion laughs' expansion); a key twice in one mapping is
    refused (a second ``kader:`` would silently replace the first); nesting deeper than
    :data:`MAX_DIEPTE` and more than :data:`MAX_KNOPEN` nodes are refused before they are
    built (no recursion error, no runaway memory).
    """

    def __init__(self, stream: str) -> None:
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        yaml.composer.Composer.__init__(self)
        yaml.constructor.SafeConstructor.__init__(self)
        _StrictResolver.__init__(self)
        self._diepte = 0
        self._knopen = 0

    def compose_node(self, parent: Any, index: Any) -> Any:  # noqa: D102
        if self.check_event(yaml.events.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, "YAML-verwijzingen (*alias) zijn niet toegestaan", event.start_mark
            )
        self._knopen += 1
        if self._knopen > MAX_KNOPEN:
            raise yaml.composer.ComposerError(
                None,
                None,
                f"meer dan {MAX_KNOPEN:_} waarden; toegestaan: hoogstens {MAX_KNOPEN:_}".replace(
                    "_", "."
                ),
                self.peek_event().start_mark,
            )
        self._diepte += 1
        try:
            if self._diepte > MAX_DIEPTE:
                raise yaml.composer.ComposerError(
                    None,
                    None,
                    f"te diep genest (meer dan {MAX_DIEPTE} niveaus lijsten of tabellen)",
                    self.peek_event().start_mark,
                )
            return super().compose_node(parent, index)
        finally:
            self._diepte -= 1

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:  # noqa: D102
        seen: dict[Any, Any] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                hash(key)
            except TypeError:
                raise yaml.constructor.ConstructorError(
                    None, None, "een sleutel moet een gewone waarde zijn", key_node.start_mark
                ) from None
            if key in seen:
                raise _DubbeleSleutel(key, seen[key], key_node.start_mark)
            seen[key] = key_node.start_mark
        return super().construct_mapping(node, deep=deep)


class _DubbeleSleutel(yaml.YAMLError):
    """A key that occurs twice in one YAML mapping."""

    def __init__(self, key: Any, eerste: Any, mark: Any) -> None:
        super().__init__(f"dubbele sleutel {key!r}")
        self.key, self.eerste, self.problem_mark = key, eerste, mark


def _lees_tekst(path: Path) -> str:
    """The file's text, read at most :data:`MAX_BYTES` (a device or pipe is never drained)."""
    bron = str(path)
    try:
        with path.open("rb") as f:
            raw = f.read(MAX_BYTES + 1)
    except OSError as exc:
        raise CaseError(bron, "", f"kan niet lezen: {exc.strerror or exc}") from None
    if len(raw) > MAX_BYTES:
        raise CaseError(bron, "", f"bestand groter dan {MAX_BYTES // 1_000_000} MB")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise CaseError(bron, "", "geen leesbare tekst (verwacht UTF-8 YAML)") from None


def read_yaml(path: Path) -> Any:
    """Parse a YAML file strictly (:class:`_SafeLoader`); every problem is a CaseError."""
    bron = str(path)
    text = _lees_tekst(path)
    if not text.strip():
        raise CaseError(bron, "", "het bestand is leeg; verwacht een case (zie cases/README.md)")
    try:
        return yaml.load(text, Loader=_SafeLoader)  # noqa: S506 - a strict SafeLoader
    except _DubbeleSleutel as exc:
        mark = exc.problem_mark
        raise CaseError(
            bron,
            f"regel {mark.line + 1}, kolom {mark.column + 1}",
            f"sleutel {exc.key!r} staat twee keer in dezelfde tabel (eerst op regel "
            f"{exc.eerste.line + 1}); elke sleutel mag één keer voorkomen",
        ) from None
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark
        where = f"regel {mark.line + 1}, kolom {mark.column + 1}" if mark else ""
        if exc.problem and "tag" not in exc.problem:
            raise CaseError(bron, where, f"ongeldige YAML: {exc.problem}") from None
        raise CaseError(
            bron, where, "YAML-tag niet toegestaan (alleen gewone waarden, lijsten en tabellen)"
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"regel {mark.line + 1}, kolom {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise CaseError(bron, where, f"ongeldige YAML: {problem}") from None
    except (RecursionError, MemoryError):  # belt and braces; MAX_DIEPTE comes first
        raise CaseError(bron, "", "ongeldige YAML: te diep genest of te groot") from None


def _rows_from_mapping(table: str, value: Any, bron: str) -> Any:
    """``{id: {fields}}`` → ``[{id: id, **fields}]``; lists pass unchanged."""
    if not isinstance(value, Mapping):
        return value
    rows = []
    for key, fields in value.items():
        fields = {} if fields is None else fields
        if not isinstance(fields, Mapping):
            return value  # let the schema report the type error
        if "id" in fields and str(fields["id"]) != str(key):
            raise CaseError(
                bron,
                f"{table}[{key}].id",
                f"id {fields['id']!r} wijkt af van de sleutel {str(key)!r}; laat id weg",
            )
        rows.append({**fields, "id": str(key)})
    return rows


def _tarieven_rows(value: Any, bron: str) -> Any:
    """``{product: {..., per_aanbieder: {id: {...}}}}`` → rows with product and aanbieder."""
    if not isinstance(value, Mapping):
        return value
    rows = []
    for product, fields in value.items():
        if not isinstance(fields, Mapping):
            return value
        fields = dict(fields)
        specific = fields.pop("per_aanbieder", None)
        specific = {} if specific is None else specific
        where = f"tarieven[{product}].per_aanbieder"
        if not isinstance(specific, Mapping):
            raise CaseError(
                bron, where, "moet een tabel aanbieder: {tarief of kostencomponenten} zijn"
            )
        rows.append({"product": str(product), **fields})
        for a, f in specific.items():
            f = {} if f is None else f
            if not isinstance(f, Mapping):
                raise CaseError(
                    bron, f"{where}.{a}", "moet een tabel met tarief of kostencomponenten zijn"
                )
            rows.append({**f, "product": str(product), "aanbieder": str(a)})
    return rows


def normalise(data: Mapping[str, Any], bron: str = "<case>") -> dict[str, Any]:
    """The plain-data form that both YAML and Excel readers produce, ready for the schema."""
    out = dict(data)
    for table in ID_TABLES:
        if table in out:
            out[table] = _rows_from_mapping(table, out[table], bron)
    if "tarieven" in out:
        out["tarieven"] = _tarieven_rows(out["tarieven"], bron)
    return out


def case_from_dict(data: Any, bron: str = "<case>") -> Case:
    """Validate plain data (as parsed from YAML or Excel) into a checked, immutable Case.

    Raises
    ------
    CaseError
        One line naming the source, the field and what is allowed.
    """
    if not isinstance(data, Mapping):
        raise CaseError(bron, "", "verwacht een tabel met de sleutels van een case bovenaan")
    missing = [key for key in REQUIRED if key not in data]
    if missing:
        raise CaseError(
            bron, missing[0], f"verplichte tabel ontbreekt; verplicht zijn: {', '.join(REQUIRED)}"
        )
    plain = normalise(data, bron)
    geen_booleans(plain, bron)
    try:
        case = Case.model_validate(plain)
    except ValidationError as exc:
        raise from_validation_error(exc, bron, plain, Case) from None
    except (RecursionError, MemoryError):
        raise CaseError(bron, "", "de case is te diep genest of te groot") from None
    except ArithmeticError:  # e.g. sd² of a huge number; the bounds would refuse it anyway
        raise CaseError(
            bron, "", "een getal is te groot om mee te rekenen (zie de grenzen in cases/README.md)"
        ) from None
    try:
        check_case(case, bron)
    except ArithmeticError:
        raise CaseError(
            bron, "", "een getal is te groot om mee te rekenen (zie de grenzen in cases/README.md)"
        ) from None
    return case


def load_case(source: str | os.PathLike[str]) -> Case:
    """Load a case from a .yaml/.yml/.xlsx path or by the name of a bundled case.

    Raises
    ------
    CaseError
        When the file is missing, of an unknown type, too large, or its content is wrong.
    """
    path = Path(source)
    if not path.exists():
        found = bundled_path(str(source))
        if found is None:
            raise CaseError(
                str(source),
                "",
                "bestand niet gevonden en geen meegeleverde case; "
                "toegestaan: een .yaml/.yml/.xlsx-bestand of een naam uit `plafond cases`",
            )
        path = found
    if path.suffix.lower() not in SUFFIXES:
        raise CaseError(str(path), "", f"onbekend bestandstype; toegestaan: {', '.join(SUFFIXES)}")
    if not path.is_file():  # a folder, a device (/dev/zero), a pipe
        raise CaseError(str(path), "", "geen gewoon bestand; geef een .yaml/.yml/.xlsx-bestand")
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise CaseError(str(path), "", f"kan niet lezen: {exc.strerror or exc}") from None
    if size > MAX_BYTES:
        raise CaseError(str(path), "", f"bestand groter dan {MAX_BYTES // 1_000_000} MB")
    if path.suffix.lower() == ".xlsx":
        from plafond.cases.excel import read_workbook

        data = read_workbook(path)
    else:
        data = read_yaml(path)
    return case_from_dict(data, bron=str(path))
