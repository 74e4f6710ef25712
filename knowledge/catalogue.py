"""Reading the human-readable source files of one fiscal year into rows.

A *catalogue* is everything in one data folder (``knowledge/data/fy2024``) turned into
plain rows, ready for the checks (:mod:`knowledge.checks`) and the database build
(:mod:`knowledge.build`). Nothing here judges whether the facts add up; it only reads
them, parses printed figures into yen and remembers where each row came from
(file and line) so that a failed check can name it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml

from .money import MoneyFormatError, parse_yen
from .schema import program_defaults

CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳㉑㉒㉓㉔㉕"
REPOSTED_SUFFIX = "（再掲）"


class CatalogueError(ValueError):
    """A source file cannot be read at all (bad YAML, a missing field)."""


def circled_number(mark: str) -> int:
    """``"⑫"`` → 12."""
    if len(mark) != 1 or mark not in CIRCLED:
        raise ValueError(f"not a circled number: {mark!r}")
    return CIRCLED.index(mark) + 1


def expand_circled_ranges(printed: str) -> list[int]:
    """``"①、②、⑩、⑭、⑲～㉒"`` → [1, 2, 10, 14, 19, 20, 21, 22] (as the contact blocks print)."""
    numbers: list[int] = []
    for part in re.split(r"[、､,，\s]+", printed.strip()):
        if not part:
            continue
        ends = re.split(r"[～〜~]", part)
        if len(ends) == 1:
            numbers.append(circled_number(ends[0]))
        elif len(ends) == 2:
            first, last = circled_number(ends[0]), circled_number(ends[1])
            if last < first:
                raise ValueError(f"range runs backwards: {part!r}")
            numbers.extend(range(first, last + 1))
        else:
            raise ValueError(f"cannot read range: {part!r}")
    return numbers


class _LineLoader(yaml.SafeLoader):
    """A YAML loader that records each mapping's line as ``__line__``."""


def _construct_mapping(loader, node, deep=False):
    mapping = loader.construct_mapping(node, deep=deep)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def read_yaml(path: Path):
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.load(handle, Loader=_LineLoader)
    except FileNotFoundError as error:
        raise CatalogueError(f"{path}: file not found") from error
    except yaml.YAMLError as error:
        raise CatalogueError(f"{path}: not valid YAML: {error}") from error


def strip_lines(value):
    """The same data without the ``__line__`` bookkeeping keys."""
    if isinstance(value, dict):
        return {k: strip_lines(v) for k, v in value.items() if k != "__line__"}
    if isinstance(value, list):
        return [strip_lines(v) for v in value]
    return value


@dataclass
class Where:
    """Where a row was read: file (relative to the data folder) and line."""

    file: str
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file


@dataclass
class Catalogue:
    folder: Path
    source: dict
    topics: list[dict] = field(default_factory=list)
    subsections: list[dict] = field(default_factory=list)
    contacts: list[dict] = field(default_factory=list)
    contact_ranges: list[dict] = field(default_factory=list)
    listings: list[dict] = field(default_factory=list)
    programs: list[dict] = field(default_factory=list)
    budget_items: list[dict] = field(default_factory=list)
    aliases: list[dict] = field(default_factory=list)
    needs: dict[str, list[str]] = field(default_factory=dict)
    program_needs: list[dict] = field(default_factory=list)
    amount_rules: list[dict] = field(default_factory=list)
    requirements: list[dict] = field(default_factory=list)
    ambiguous_aliases: dict[str, list[str]] = field(default_factory=dict)
    categories: list[str] = field(default_factory=list)     # programs.yml: in the order lists show them
    loan_categories: list[str] = field(default_factory=list)
    loan_needs: list[str] = field(default_factory=list)
    body_words: list[str] = field(default_factory=list)
    sections: list[dict] = field(default_factory=list)      # sections.yml: document lines per program
    statements: list[dict] = field(default_factory=list)    # statements.yml: what else the document states
    # Problems met while reading (an unreadable figure); the checks report them.
    read_problems: list[tuple[Where, str]] = field(default_factory=list)

    def program_by_name(self, name: str) -> dict | None:
        return next((p for p in self.programs if p["name"] == name), None)


def _yen(catalogue: Catalogue, printed, where: Where, what: str) -> int | None:
    if printed in (None, ""):
        return None
    if not isinstance(printed, str) or not printed.rstrip().endswith("円"):
        # e.g. an unquoted 2,600億円 inside a YAML {…} mapping, which YAML cuts at the comma
        catalogue.read_problems.append((where, f"{what}: {printed!r} is not a printed amount ending in 円"))
        return None
    try:
        return parse_yen(str(printed))
    except MoneyFormatError as error:
        catalogue.read_problems.append((where, f"{what}: {error}"))
        return None


def _program_id(topic_id: str, number: int | None, aggregate_index: int) -> str:
    if number is None:
        return f"{topic_id}-other{aggregate_index}"
    return f"{topic_id}-{number:02d}"


def load_catalogue(folder: Path) -> Catalogue:
    """Read every source file in ``folder`` (one fiscal year) into a :class:`Catalogue`."""
    folder = Path(folder)
    source = strip_lines(read_yaml(folder / "source.yml"))
    catalogue = Catalogue(folder=folder, source=source)
    source_id = source["id"]

    for raw in read_yaml(folder / "contacts.yml"):
        row = strip_lines(raw)
        row["source_id"] = source_id
        row["synthetic"] = bool(row.get("synthetic"))
        row["where"] = Where("contacts.yml", raw["__line__"])
        catalogue.contacts.append(row)

    catalogue.needs = strip_lines(read_yaml(folder / "needs.yml"))
    programs_file = read_yaml(folder / "programs.yml")
    catalogue.ambiguous_aliases = strip_lines(programs_file.pop("ambiguous_aliases", {}) or {})
    catalogue.categories = list(programs_file.pop("categories", []) or [])
    catalogue.loan_categories = list(programs_file.pop("loan_categories", []) or [])
    catalogue.loan_needs = list(programs_file.pop("loan_needs", []) or [])
    catalogue.body_words = list(programs_file.pop("body_words", []) or [])
    programs_file.pop("__line__", None)
    program_info = {name: info for name, info in programs_file.items()}

    programs: dict[str, dict] = {}

    def program_row(name: str, program_id: str, where: Where) -> dict:
        if name not in programs:
            info = program_info.get(name)
            programs[name] = {
                **program_defaults(),
                "id": program_id,
                "name": name,
                "source_id": source_id,
                "category": (info or {}).get("category"),
                "audience": (info or {}).get("audience"),
                "sole_recipient": bool((info or {}).get("sole_recipient")),
                "english": strip_lines((info or {}).get("english")) or {},
                "part_of": strip_lines((info or {}).get("part_of")),
                "related": strip_lines((info or {}).get("related")),
                "detail_contact": None,
                "where": where,
                "has_info": info is not None,
                "synthetic": bool((info or {}).get("synthetic")),
                "info_where": Where("programs.yml", info["__line__"]) if info else None,
            }
            for alias in (info or {}).get("aliases") or []:
                catalogue.aliases.append(
                    {"program_id": program_id, "alias": alias, "where": programs[name]["info_where"],
                     "synthetic": programs[name]["synthetic"]}
                )
            for need in (info or {}).get("needs") or []:
                catalogue.program_needs.append(
                    {"program_id": program_id, "need": need, "where": programs[name]["info_where"]}
                )
        return programs[name]

    topic_files = sorted((folder / "topics").glob("*.yml"))
    if not topic_files:
        raise CatalogueError(f"{folder / 'topics'}: no topic files")
    topics = [(path, read_yaml(path)) for path in topic_files]
    topics.sort(key=lambda item: item[1]["order"])
    for path, raw in topics:
        file = f"topics/{path.name}"
        topic_id = raw["id"]
        synthetic = bool(raw.get("synthetic"))
        where = Where(file, raw["__line__"])
        table_total = raw.get("table_total") or {}
        catalogue.topics.append({
            "id": topic_id,
            "source_id": source_id,
            "order": raw["order"],
            "name": raw["name"],
            "pages": str(raw["pages"]),
            "purpose": raw.get("purpose"),
            "total_printed": raw.get("total"),
            "total_yen": _yen(catalogue, raw.get("total"), where, "total"),
            "initial_printed": raw.get("initial") or table_total.get("initial"),
            "initial_yen": _yen(catalogue, raw.get("initial") or table_total.get("initial"), where, "initial"),
            "supplementary_printed": raw.get("supplementary") or table_total.get("supplementary"),
            "supplementary_yen": _yen(
                catalogue, raw.get("supplementary") or table_total.get("supplementary"), where, "supplementary"),
            "table_initial_yen": _yen(catalogue, table_total.get("initial"), where, "table_total.initial"),
            "table_supplementary_yen": _yen(
                catalogue, table_total.get("supplementary"), where, "table_total.supplementary"),
            "synthetic": synthetic,
            "where": where,
        })
        groups_by_subsection = {}
        for sub in raw["subsections"]:
            sub_where = Where(file, sub["__line__"])
            groups_by_subsection[sub["label"]] = {k: v for k, v in (sub.get("groups") or {}).items()
                                                  if k != "__line__"}
            catalogue.subsections.append({
                "id": f"{topic_id}{sub['label']}",
                "topic_id": topic_id,
                "label": sub["label"],
                "name": sub["name"],
                "pages": str(raw["pages"]),
                "initial_printed": sub.get("initial"),
                "initial_yen": _yen(catalogue, sub.get("initial"), sub_where, f"{sub['label']} initial"),
                "supplementary_printed": sub.get("supplementary"),
                "supplementary_yen": _yen(
                    catalogue, sub.get("supplementary"), sub_where, f"{sub['label']} supplementary"),
                "net_initial_printed": sub.get("net_initial"),
                "net_initial_yen": _yen(catalogue, sub.get("net_initial"), sub_where, f"{sub['label']} net"),
                "net_note": sub.get("net_note"),
                # its name in English (the first) and as English speakers say it, as data
                "english": list(sub.get("english") or []),
                "synthetic": synthetic,
                "where": sub_where,
            })
        for rng in raw.get("contact_ranges") or []:
            rng_where = Where(file, rng["__line__"])
            try:
                numbers = expand_circled_ranges(rng["numbers"])
            except ValueError as error:
                catalogue.read_problems.append((rng_where, f"contact range {rng['numbers']!r}: {error}"))
                numbers = []
            catalogue.contact_ranges.append({
                "topic_id": topic_id,
                "numbers_printed": rng["numbers"],
                "numbers": numbers,
                "contact_id": rng["contact"],
                "pages": str(raw["pages"]),
                "synthetic": synthetic,
                "where": rng_where,
            })
        aggregate_index = 0
        for raw_listing in raw["listings"]:
            listing_where = Where(file, raw_listing["__line__"])
            number = circled_number(raw_listing["number"]) if raw_listing.get("number") else None
            printed_name = raw_listing["name"]
            reposted = printed_name.endswith(REPOSTED_SUFFIX)
            program_name = raw_listing.get("program") or printed_name.removesuffix(REPOSTED_SUFFIX)
            if number is None:
                aggregate_index += 1
            listing_id = _program_id(topic_id, number, aggregate_index)
            program = program_row(program_name, listing_id, listing_where)
            if program["synthetic"] != synthetic:
                catalogue.read_problems.append((listing_where, f"{program_name!r}: a synthetic program listed in a real "
                                                               "topic, or a real one in a synthetic topic"))
            if raw_listing.get("aggregate"):
                program["aggregate"] = True
                program["aggregate_count"] = raw_listing["aggregate"]
                program["repeats"] = raw_listing.get("repeats") or []
            catalogue.listings.append({
                "id": listing_id,
                "topic_id": topic_id,
                "subsection_id": f"{topic_id}{raw_listing['subsection']}",
                "group_label": raw_listing.get("group"),
                "group_name": groups_by_subsection.get(raw_listing["subsection"], {}).get(
                    raw_listing.get("group")),
                "number": number,
                "number_printed": raw_listing.get("number"),
                "printed_name": printed_name,
                "program_id": program["id"],
                "reposted": reposted,
                "repeated_from_other_lines": bool(raw_listing.get("repeated_from_other_lines")),
                "aggregate": bool(raw_listing.get("aggregate")),
                "initial_printed": raw_listing.get("initial"),
                "initial_yen": _yen(catalogue, raw_listing.get("initial"), listing_where, "initial"),
                "supplementary_printed": raw_listing.get("supplementary"),
                "supplementary_yen": _yen(
                    catalogue, raw_listing.get("supplementary"), listing_where, "supplementary"),
                "summary": (raw_listing.get("summary") or "").strip() or None,
                "note": raw_listing.get("note"),
                "pages": str(raw["pages"]),
                "synthetic": synthetic,
                "where": listing_where,
            })

    for raw in read_yaml(folder / "details.yml"):
        where = Where("details.yml", raw["__line__"])
        name = raw["program"]
        if raw.get("detail_only"):
            program = program_row(name, raw.get("id") or f"detail-{raw['__line__']}", where)
            program["detail_only"] = True
        elif name in programs:
            program = programs[name]
        else:
            catalogue.read_problems.append((where, f"detail page names an unknown program {name!r}"))
            continue
        pages = str(raw["page"])
        program.update({
            "detail_pages": pages,
            "detail_section": raw.get("section"),
            "detail_contact": raw.get("contact"),
            "detail_where": where,
        })
        for key in ("purpose", "eligibility", "covered_costs"):
            if raw.get(key):
                program[key] = " ".join(str(raw[key]).split())
        # content: one paragraph, or several (ア, イ…) each as printed
        content = raw.get("content")
        parts = content if isinstance(content, list) else [content] if content else []
        program["content_parts"] = [" ".join(str(part).split()) for part in parts]
        if parts:
            program["content"] = "\n".join(program["content_parts"])
        if raw.get("new"):
            program["new_mark"] = raw["new"]
            program["new_evidence"] = raw.get("new_evidence")
        program["examples"] = list(raw.get("examples") or [])
        program["points"] = [" ".join(p.split()) for p in raw.get("points") or []]
        program["extra"] = {k: v for k, v in (raw.get("extra") or {}).items() if k != "__line__"}
        if raw.get("budget"):
            program["detail_budget_printed"] = raw["budget"]
            program["detail_budget_yen"] = _yen(catalogue, raw["budget"], where, "budget")
        for item in raw.get("budget_items") or []:
            item_where = Where("details.yml", item["__line__"])
            catalogue.budget_items.append({
                "program_id": program["id"],
                "kind": item["kind"],
                "label": item["label"],
                "printed": item["amount"],
                "yen": _yen(catalogue, item["amount"], item_where, item["label"]),
                "part_of": item.get("part_of"),
                "note": item.get("note"),
                "pages": pages,
                "section": raw.get("section"),
                "where": item_where,
            })

    catalogue.programs = list(programs.values())
    known = set(programs)
    for name, info in program_info.items():
        if name not in known:
            catalogue.read_problems.append(
                (Where("programs.yml", info["__line__"]),
                 f"program {name!r} is in programs.yml but on no listing or detail page"))

    rules = read_yaml(folder / "rules.yml")
    ids = {p["name"]: p["id"] for p in catalogue.programs}
    for key, rows in (("amount_rules", catalogue.amount_rules), ("requirements", catalogue.requirements)):
        for raw in rules.get(key) or []:
            row = strip_lines(raw)
            row["program_id"] = ids.get(row["program"])
            row["where"] = Where("rules.yml", raw["__line__"])
            rows.append(row)
    _read_sections(catalogue, folder, ids)
    _read_statements(catalogue, folder, ids)
    return catalogue


def real_part(catalogue: Catalogue) -> Catalogue:
    """The catalogue without its synthetic rows (the scale benchmark's renamed copies,
    :mod:`knowledge.synthetic`): what the checks against the source document look at."""
    real_ids = {p["id"] for p in catalogue.programs if not p.get("synthetic")}
    real_topics = {t["id"] for t in catalogue.topics if not t.get("synthetic")}

    def real(rows):
        return [r for r in rows if not r.get("synthetic")]

    def of_real(rows):
        return [r for r in rows if r.get("program_id") in real_ids or r.get("program_id") is None]

    return replace(
        catalogue, topics=real(catalogue.topics), subsections=[s for s in catalogue.subsections if s["topic_id"] in real_topics],
        contacts=real(catalogue.contacts), contact_ranges=real(catalogue.contact_ranges), listings=real(catalogue.listings),
        programs=real(catalogue.programs), budget_items=of_real(catalogue.budget_items), aliases=real(catalogue.aliases),
        program_needs=of_real(catalogue.program_needs), amount_rules=real(catalogue.amount_rules),
        requirements=real(catalogue.requirements))


def is_synthetic(catalogue: Catalogue) -> bool:
    """Whether any row of the catalogue is a synthetic copy."""
    return any(r.get("synthetic") for rows in (catalogue.topics, catalogue.contacts, catalogue.programs,
                                               catalogue.amount_rules, catalogue.requirements) for r in rows)


def _line_range(printed: str) -> tuple[int, int]:
    first, _, last = str(printed).partition("-")
    return int(first), int(last or first)


def _read_sections(catalogue: Catalogue, folder: Path, ids: dict[str, str]) -> None:
    """sections.yml: which lines of the document are about each program."""
    path = folder / "sections.yml"
    if not path.exists():
        return
    raw = read_yaml(path) or {}
    for name, ranges in raw.items():
        if name == "__line__":
            continue
        for entry in ranges or []:
            where = Where("sections.yml", entry.get("__line__"))
            try:
                first, last = _line_range(entry["lines"])
            except (KeyError, ValueError):
                catalogue.read_problems.append((where, f"{name}: cannot read lines {entry.get('lines')!r}"))
                continue
            catalogue.sections.append({"program": name, "program_id": ids.get(name), "first": first, "last": last,
                                       "part": entry.get("part"), "where": where})


def _read_statements(catalogue: Catalogue, folder: Path, ids: dict[str, str]) -> None:
    """statements.yml: periods, changes, definitions, examples, aims, places… quoted."""
    path = folder / "statements.yml"
    if not path.exists():
        return
    for raw in read_yaml(path) or []:
        row = strip_lines(raw)
        row["program_id"] = ids.get(row["program"]) if row.get("program") else None
        row["where"] = Where("statements.yml", raw["__line__"])
        catalogue.statements.append(row)


def _clause_head(clause: str | None) -> str | None:
    """The words of a rule's clause before its figure: 「主な交付要件 … 20万円」 → 主な交付要件."""
    return clause.split("…")[0].strip() if clause else None


def rule_statements(catalogue: Catalogue) -> list[dict]:
    """What the amount rules say, as statements, so a question about a part of a rule
    (「加算ってどんな取組？」「介護コースの要件は？」) finds it like any other: the add-on's
    measures as examples, a base's or a course's requirements as requirements."""
    found = []
    for rule in catalogue.amount_rules:
        def add(kind: str, text: str, subject: str | None, rule=rule) -> None:
            found.append({"program_id": rule["program_id"], "kind": kind, "text": text, "page": rule["page"],
                          "subject": subject, "value": text})
        addon = rule.get("addon") or {}
        for measure in addon.get("any_of") or []:
            add("example", measure, _clause_head(addon.get("clause")))
        # (requirements as their own kind: the eligibility answer lists them already, and
        # a question in its own words finds them among the statements of every kind)
        base = rule.get("base") or {}
        for requirement in base.get("requirements") or []:
            add("requirement", requirement, _clause_head(base.get("clause")))
        for course in rule.get("courses") or []:
            for requirement in course.get("requirements") or []:
                add("requirement", requirement, course["course"])
    return found
