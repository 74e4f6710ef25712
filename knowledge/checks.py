"""Self-checks of a catalogue: the build refuses a knowledge base that fails any of them.

Each check returns :class:`Problem` rows naming the file and line of the offending
entry and what is wrong, so a transcription slip is found before it reaches the public.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from .catalogue import Catalogue, Where, is_synthetic, real_part
from .evaluator import parse_rate
from .text import match_key

PHONE_PATTERN = re.compile(r"^0\d{1,4}-\d{1,4}-\d{4}$")
NEW_MARKS = {"新", "一部新"}
RULE_KINDS = {"rate_of_base", "loan_limit", "fixed_by_course", "base_plus_addon"}
REQUIREMENT_KINDS = {"one_of", "minimum", "regional", "confirm"}


@dataclass(frozen=True)
class Problem:
    where: Where
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


class CheckFailed(Exception):
    """The catalogue failed its self-checks; ``problems`` lists every failure."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{len(problems)} problem(s) in the knowledge sources:\n{lines}")


def truncation_gap_ok(printed_total: int, line_sum: int, line_count: int) -> bool:
    """Whether a printed total fits its lines under 表示単位未満切り捨て.

    Every figure is truncated to 万円, so the true total T satisfies
    Σ(lines) ≤ T < Σ(lines) + n·1万円, and the printed total is T truncated:
    0 ≤ printed − Σ(lines) ≤ (n − 1)·1万円.
    """
    gap = printed_total - line_sum
    return 0 <= gap <= max(line_count - 1, 0) * 10_000


def _fold(text: str) -> str:
    """Text as compared with the extracted document: NFKC, no white space."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


# Lines the PDF extraction dropped into running text at page breaks: the 新 / 一部 marks
# and page numbers. Sentences are compared with and without them.
_STRAY_LINE = re.compile(r"^\s*(?:新|一部|新\s*一部|\d{1,2})\s*$", re.MULTILINE)


def _fold_document(text: str) -> tuple[str, str]:
    return _fold(text), _fold(_STRAY_LINE.sub("", text))


def check_contacts(catalogue: Catalogue) -> list[Problem]:
    problems = []
    ids = set()
    for contact in catalogue.contacts:
        if contact["id"] in ids:
            problems.append(Problem(contact["where"], f"contact id {contact['id']!r} appears twice"))
        ids.add(contact["id"])
        if not PHONE_PATTERN.match(contact.get("phone") or ""):
            problems.append(Problem(contact["where"], f"phone {contact.get('phone')!r} is not like 045-210-5550"))
        elif len(re.sub(r"\D", "", contact["phone"])) != 10:
            problems.append(Problem(contact["where"], f"phone {contact['phone']!r} does not have 10 digits"))
        if not contact.get("pages"):
            problems.append(Problem(contact["where"], "contact has no page reference"))
    general = catalogue.source.get("general_contact")
    if general is not None and general not in ids:
        problems.append(Problem(Where("source.yml"), f"general_contact {general!r} is not a contact"))
    for rng in catalogue.contact_ranges:
        if rng["contact_id"] not in ids:
            problems.append(Problem(rng["where"], f"contact range names unknown contact {rng['contact_id']!r}"))
    return problems


def listing_contacts(catalogue: Catalogue) -> dict[str, list[str]]:
    """Listing id → the contacts whose circled-number ranges (of its own topic) cover it."""
    covering: dict[str, list[str]] = {}
    ranges_by_topic: dict[str, list[dict]] = defaultdict(list)   # (each topic's own: linear in the catalogue)
    for rng in catalogue.contact_ranges:
        ranges_by_topic[rng["topic_id"]].append(rng)
    for listing in catalogue.listings:
        if listing["number"] is None:
            covering[listing["id"]] = []
            continue
        covering[listing["id"]] = [
            rng["contact_id"] for rng in ranges_by_topic[listing["topic_id"]] if listing["number"] in rng["numbers"]
        ]
    return covering


def program_contacts(catalogue: Catalogue) -> dict[str, set[str]]:
    """Program id → every contact its listings and detail page give."""
    by_listing = listing_contacts(catalogue)
    contacts: dict[str, set[str]] = defaultdict(set)
    for listing in catalogue.listings:
        contacts[listing["program_id"]].update(by_listing[listing["id"]])
    for program in catalogue.programs:
        if program.get("detail_contact"):
            contacts[program["id"]].add(program["detail_contact"])
    return contacts


def check_contact_coverage(catalogue: Catalogue) -> list[Problem]:
    problems = []
    numbers_by_topic = defaultdict(set)
    for listing in catalogue.listings:
        if listing["number"] is not None:
            numbers_by_topic[listing["topic_id"]].add(listing["number"])
    listings = {}
    for l in catalogue.listings:
        listings.setdefault(l["id"], l)
    for listing_id, contacts in listing_contacts(catalogue).items():
        listing = listings[listing_id]
        if listing["number"] is None:
            continue
        if len(contacts) != 1:
            problems.append(Problem(
                listing["where"],
                f"{listing['number_printed']} {listing['printed_name']}: covered by "
                f"{len(contacts)} contact ranges {contacts} (exactly one expected)"))
    for rng in catalogue.contact_ranges:
        missing = [n for n in rng["numbers"] if n not in numbers_by_topic[rng["topic_id"]]]
        if missing:
            problems.append(Problem(rng["where"], f"contact range {rng['numbers_printed']} names numbers "
                                                  f"with no listing in this topic: {missing}"))
    programs = {p["id"]: p for p in catalogue.programs}
    contacts_of_program = program_contacts(catalogue)
    for program_id, contacts in contacts_of_program.items():
        program = programs[program_id]
        if program["aggregate"]:
            continue
        if len(contacts) != 1:
            problems.append(Problem(program["where"], f"program {program['name']}: {len(contacts)} contacts "
                                                      f"{sorted(contacts)} (exactly one expected)"))
    for program in catalogue.programs:
        if not program["aggregate"] and program["id"] not in contacts_of_program:
            problems.append(Problem(program["where"], f"program {program['name']} has no contact"))
    return problems


def check_totals(catalogue: Catalogue) -> list[Problem]:
    problems = []
    for sub in catalogue.subsections:
        lines = [l for l in catalogue.listings if l["subsection_id"] == sub["id"]]
        for kind in ("initial", "supplementary"):
            printed = sub[f"{kind}_yen"]
            values = [l[f"{kind}_yen"] for l in lines if l[f"{kind}_yen"] is not None]
            if printed is None:
                if values:
                    problems.append(Problem(sub["where"], f"{sub['id']} has {kind} lines but no printed {kind} total"))
                continue
            if not truncation_gap_ok(printed, sum(values), len(values)):
                problems.append(Problem(
                    sub["where"],
                    f"{sub['id']} {sub['name']}: printed {kind} {sub[f'{kind}_printed']} but its "
                    f"{len(values)} lines sum to {sum(values):,}円 (allowed gap 0〜{max(len(values) - 1, 0)}万円)"))
        if sub["net_initial_yen"] is not None:
            repeated = sum(l["initial_yen"] or 0 for l in lines if l["repeated_from_other_lines"])
            if not truncation_gap_ok(sub["initial_yen"], repeated + sub["net_initial_yen"], 2):
                problems.append(Problem(sub["where"], f"{sub['id']}: total {sub['initial_printed']} minus repeated lines "
                                                      f"≠ printed net {sub['net_initial_printed']}"))
    for topic in catalogue.topics:
        subs = [s for s in catalogue.subsections if s["topic_id"] == topic["id"]]
        for kind in ("initial", "supplementary"):
            printed = topic[f"table_{kind}_yen"]
            if printed is None:
                continue
            values = [(s["net_initial_yen"] if kind == "initial" and s["net_initial_yen"] is not None
                       else s[f"{kind}_yen"]) for s in subs]
            values = [v for v in values if v is not None]
            if not truncation_gap_ok(printed, sum(values), len(values)):
                problems.append(Problem(topic["where"], f"{topic['name']}: 合計 {kind} {printed:,}円 but subsections "
                                                        f"sum to {sum(values):,}円"))
            counted = [l[f"{kind}_yen"] for l in catalogue.listings
                       if l["topic_id"] == topic["id"] and l[f"{kind}_yen"] is not None
                       and not l["repeated_from_other_lines"]]
            if not truncation_gap_ok(printed, sum(counted), len(counted)):
                problems.append(Problem(topic["where"], f"{topic['name']}: 合計 {kind} {printed:,}円 but its "
                                                        f"{len(counted)} lines sum to {sum(counted):,}円"))
        if topic["initial_yen"] is not None and topic["table_initial_yen"] is not None \
                and topic["initial_yen"] != topic["table_initial_yen"]:
            problems.append(Problem(topic["where"], f"{topic['name']}: 当初 in the header and under the table differ"))
        if topic["total_yen"] is not None:
            parts = [v for v in (topic["table_initial_yen"], topic["table_supplementary_yen"]) if v is not None]
            if not truncation_gap_ok(topic["total_yen"], sum(parts), len(parts)):
                problems.append(Problem(topic["where"], f"{topic['name']}: 総額 {topic['total_printed']} ≠ "
                                                        f"当初 + 12月補正 {sum(parts):,}円"))
    return problems


def check_detail_budgets(catalogue: Catalogue) -> list[Problem]:
    problems = []
    listings_of: dict[str, list[dict]] = defaultdict(list)
    for l in catalogue.listings:
        listings_of[l["program_id"]].append(l)
    covering = listing_contacts(catalogue)
    for program in catalogue.programs:
        if program.get("detail_budget_yen") is None:
            continue
        budgets = {l["initial_yen"] for l in listings_of[program["id"]]}
        if budgets != {program["detail_budget_yen"]}:
            problems.append(Problem(program["detail_where"], f"{program['name']}: detail page budget "
                                                             f"{program['detail_budget_printed']} ≠ overview {budgets}"))
    for program in catalogue.programs:
        if program.get("detail_contact"):
            listed = set()
            for listing in listings_of[program["id"]]:
                listed.update(covering[listing["id"]])
            if listed and listed != {program["detail_contact"]}:
                problems.append(Problem(program["detail_where"], f"{program['name']}: detail page contact "
                                                                 f"{program['detail_contact']} ≠ overview {listed}"))
    return problems


def check_pages(catalogue: Catalogue) -> list[Problem]:
    """Every fact says where in the document it is."""
    problems = []
    rows = ([(t, "pages") for t in catalogue.topics] + [(s, "pages") for s in catalogue.subsections]
            + [(l, "pages") for l in catalogue.listings] + [(b, "pages") for b in catalogue.budget_items]
            + [(r, "page") for r in catalogue.amount_rules] + [(r, "page") for r in catalogue.requirements])
    for row, key in rows:
        if not row.get(key):
            problems.append(Problem(row["where"], "no page reference"))
    for program in catalogue.programs:
        has_detail = any(program.get(k) for k in ("purpose", "content", "eligibility", "new_mark"))
        if has_detail and not program.get("detail_pages"):
            problems.append(Problem(program["where"], f"{program['name']}: detail facts without a page"))
        if program["new_mark"] and program["new_mark"] not in NEW_MARKS:
            problems.append(Problem(program["detail_where"], f"new mark {program['new_mark']!r} is not 新 or 一部新"))
        if program["new_mark"] and not program.get("new_evidence"):
            problems.append(Problem(program["detail_where"], f"{program['name']}: new mark without evidence"))
    return problems


def check_programs(catalogue: Catalogue) -> list[Problem]:
    problems = []
    for program in catalogue.programs:
        if not program["has_info"]:
            problems.append(Problem(program["where"], f"{program['name']}: no entry in programs.yml "
                                                      "(category, aliases, needs)"))
    ids = defaultdict(list)
    for program in catalogue.programs:
        ids[program["id"]].append(program["name"])
    for program_id, names in ids.items():
        if len(names) > 1:
            problems.append(Problem(Where("programs"), f"id {program_id} names several programs {names}"))
    names = {p["name"] for p in catalogue.programs}
    for program in catalogue.programs:
        for link in ("part_of", "related"):
            target = (program.get(link) or {}).get("program")
            if target and target not in names:
                problems.append(Problem(program["info_where"] or program["where"],
                                        f"{program['name']}: {link} names unknown program {target!r}"))
        for repeated in program.get("repeats") or []:
            if repeated not in names:
                problems.append(Problem(program["where"], f"repeats unknown program {repeated!r}"))
    for row in catalogue.program_needs:
        if row["need"] not in catalogue.needs:
            problems.append(Problem(row["where"], f"need {row['need']!r} is not in needs.yml"))
    return problems


def check_categories(catalogue: Catalogue) -> list[Problem]:
    """Every program's category is one of programs.yml's categories; every loan category
    is a category and every loan need a need of needs.yml."""
    known = set(catalogue.categories)
    return [Problem(p["where"], f"category {p['category']!r} is not in programs.yml's categories")
            for p in catalogue.programs if known and p.get("category") not in known] + [
        Problem("programs.yml", f"loan category {c!r} is not in programs.yml's categories")
        for c in catalogue.loan_categories if known and c not in known] + [
        Problem("programs.yml", f"loan need {n!r} is not a need of needs.yml")
        for n in catalogue.loan_needs if n not in catalogue.needs]


def check_aliases(catalogue: Catalogue) -> list[Problem]:
    """No alias may name two programs unless it is listed as ambiguous."""
    problems = []
    owners = defaultdict(set)
    for program in catalogue.programs:
        owners[match_key(program["name"])].add(program["id"])
    for row in catalogue.aliases:
        owners[match_key(row["alias"])].add(row["program_id"])
    ambiguous = {match_key(alias) for alias in catalogue.ambiguous_aliases}
    names = {p["name"]: p["id"] for p in catalogue.programs}
    for alias, targets in catalogue.ambiguous_aliases.items():
        for target in targets:
            if target not in names:
                problems.append(Problem(Where("programs.yml"), f"ambiguous alias {alias!r} names unknown {target!r}"))
    for key, program_ids in owners.items():
        if not key:
            problems.append(Problem(Where("programs.yml"), f"an alias reduces to nothing: {program_ids}"))
        elif len(program_ids) > 1 and key not in ambiguous:
            wheres = [r["where"] for r in catalogue.aliases if match_key(r["alias"]) == key]
            problems.append(Problem(wheres[0] if wheres else Where("programs.yml"),
                                    f"alias {key!r} names several programs {sorted(program_ids)}; "
                                    "list it under ambiguous_aliases or drop it"))
    return problems


def _rate_ok(text) -> bool:
    try:
        rate = parse_rate(text)
    except (ValueError, ZeroDivisionError):
        return False
    return 0 < rate <= 1


def check_rules(catalogue: Catalogue) -> list[Problem]:
    problems = []
    requirement_ids = {r["id"] for r in catalogue.requirements}
    for rule in catalogue.amount_rules:
        where = rule["where"]
        if rule["program_id"] is None:
            problems.append(Problem(where, f"rule {rule['id']} names unknown program {rule['program']!r}"))
        if rule.get("kind") not in RULE_KINDS:
            problems.append(Problem(where, f"rule {rule['id']}: unknown kind {rule.get('kind')!r}"))
        for rate in rule.get("rates") or []:
            if not _rate_ok(rate.get("rate")):
                problems.append(Problem(where, f"rule {rule['id']}: rate {rate.get('rate')!r} is not in (0, 1]"))
        if rule.get("share") and not _rate_ok(rule["share"].get("rate")):
            problems.append(Problem(where, f"rule {rule['id']}: share is not in (0, 1]"))
        caps = [c["yen"] for c in rule.get("caps") or []]
        floor = (rule.get("floor") or {}).get("yen")
        if floor is not None and any(cap <= floor for cap in caps):
            problems.append(Problem(where, f"rule {rule['id']}: a cap is not above the floor"))
        if rule.get("requirements") and rule["requirements"] not in requirement_ids:
            problems.append(Problem(where, f"rule {rule['id']}: unknown requirements {rule['requirements']!r}"))
        for course in rule.get("courses") or []:
            tiers = course.get("tiers") or []
            if not course.get("yen") and not tiers:
                problems.append(Problem(where, f"course {course.get('course')} has neither an amount nor tiers"))
            for lower, upper in zip(tiers, tiers[1:]):
                if lower.get("below_days") != upper.get("min_days"):
                    problems.append(Problem(where, f"course {course.get('course')}: tiers leave a gap or overlap"))
        for key in ("clause",):
            for part in (rule.get("rates") or []) + (rule.get("caps") or []):
                if not part.get(key):
                    problems.append(Problem(where, f"rule {rule['id']}: a rate or cap without its clause"))
    for requirement in catalogue.requirements:
        if requirement["program_id"] is None:
            problems.append(Problem(requirement["where"], f"requirements {requirement['id']} name unknown program"))
        for item in requirement.get("items") or []:
            if item.get("kind") not in REQUIREMENT_KINDS:
                problems.append(Problem(requirement["where"], f"requirement {item.get('item')}: unknown kind"))
            clauses = [item.get("clause")] + [t.get("clause") for t in item.get("thresholds") or []]
            if not item.get("clause") and not all(clauses[1:] or [None]):
                problems.append(Problem(requirement["where"], f"requirement {item.get('item')}: no clause"))
    return problems


def check_against_document(catalogue: Catalogue, document_text: str) -> list[Problem]:
    """Every printed figure, name and summary occurs in the extracted document text."""
    problems = []
    documents = _fold_document(document_text)

    def expect(text, where, what):
        if text and not any(_fold(str(text)) in document for document in documents):
            problems.append(Problem(where, f"{what} {text!r} does not occur in the document"))

    for topic in catalogue.topics:
        expect(topic["name"], topic["where"], "topic name")
        expect(topic["total_printed"], topic["where"], "total")
        expect(topic["purpose"], topic["where"], "purpose")
    for sub in catalogue.subsections:
        expect(sub["name"], sub["where"], "subsection name")
        for key in ("initial_printed", "supplementary_printed", "net_initial_printed"):
            expect(sub[key], sub["where"], key)
    for listing in catalogue.listings:
        expect(listing["printed_name"], listing["where"], "name")
        expect(listing["initial_printed"], listing["where"], "budget")
        expect(listing["supplementary_printed"], listing["where"], "supplementary budget")
        expect(listing["summary"], listing["where"], "summary")
    # The figure printed right after a listing's own name and summary is its budget: a
    # budget moved to the wrong line would pass the totals but fails here. A listing with
    # a `note` explains why its figure stands elsewhere in the extracted text.
    for listing in catalogue.listings:
        figure = listing["initial_printed"] or f"({listing['supplementary_printed']})"
        head = f"{listing['number_printed']}{listing['printed_name']}" if listing["number"] else listing["printed_name"]
        if listing["note"] is None and not any(
                _fold(head + (listing["summary"] or "") + figure) in d for d in documents):
            problems.append(Problem(listing["where"], f"{head}: the document does not print {figure} "
                                                      "right after this line's name and summary"))
    contacts = {c["id"]: c for c in catalogue.contacts}
    for contact in catalogue.contacts:
        expect(contact["phone"], contact["where"], "phone")
        expect(contact["printed"], contact["where"], "contact line")
    # Each range of circled numbers is printed next to the contact it is mapped to.
    for rng in catalogue.contact_ranges:
        contact = contacts.get(rng["contact_id"])
        if contact and not any(_fold(f"【{rng['numbers_printed']}】{contact['printed']}") in d for d in documents):
            problems.append(Problem(rng["where"], f"the document does not print 【{rng['numbers_printed']}】 "
                                                  f"next to {contact['printed']!r}"))
    for program in catalogue.programs:
        where = program.get("detail_where") or program["where"]
        for key in ("purpose", "eligibility", "covered_costs"):
            expect(program.get(key), where, key)
        for part in program.get("content_parts") or []:
            expect(part, where, "content")
        expect(program.get("detail_budget_printed"), where, "detail budget")
        for example in program["examples"]:
            expect(example, where, "example")
    for item in catalogue.budget_items:
        expect(item["printed"], item["where"], "budget item")
        expect(item["label"], item["where"], "budget item label")
    # Rule clauses are quotations: each part between "…" occurs in the document, in order.
    for rule in catalogue.amount_rules + catalogue.requirements:
        for clause in _clauses_of(rule):
            if not any(_occurs_in_order(clause, d) for d in documents):
                problems.append(Problem(rule["where"], f"clause {clause!r} is not quoted from the document"))
    return problems


def _clauses_of(value) -> list[str]:
    """Every ``clause`` string anywhere inside a rule."""
    if isinstance(value, dict):
        found = [value["clause"]] if isinstance(value.get("clause"), str) else []
        for key, inner in value.items():
            if key != "clause":
                found.extend(_clauses_of(inner))
        return found
    if isinstance(value, list):
        return [clause for inner in value for clause in _clauses_of(inner)]
    return []


def _occurs_in_order(clause: str, document: str) -> bool:
    position = 0
    for part in clause.split("…"):
        part = _fold(part)
        if not part:
            continue
        found = document.find(part, position)
        if found < 0:
            return False
        position = found + len(part)
    return True


STATEMENT_KINDS = {"period", "change", "definition", "example", "aim", "place", "operator", "target",
                   "net_figure", "other"}


def check_statements(catalogue: Catalogue) -> list[Problem]:
    """Sections and statements name known programs; statements have a known kind and a page."""
    problems = []
    for section in catalogue.sections:
        if section["program_id"] is None:
            problems.append(Problem(section["where"], f"unknown program {section['program']!r}"))
        if section["first"] > section["last"]:
            problems.append(Problem(section["where"], "lines run backwards"))
    subsections = {s["name"] for s in catalogue.subsections}
    for statement in catalogue.statements:
        where = statement["where"]
        if statement.get("program") and statement["program_id"] is None:
            problems.append(Problem(where, f"unknown program {statement['program']!r}"))
        if statement.get("subsection") and statement["subsection"] not in subsections:
            problems.append(Problem(where, f"unknown subsection {statement['subsection']!r}"))
        if statement.get("kind") not in STATEMENT_KINDS:
            problems.append(Problem(where, f"unknown kind {statement.get('kind')!r}"))
        if not statement.get("page") or not statement.get("text"):
            problems.append(Problem(where, "a statement needs its text and page"))
    return problems


def check_statements_in_document(catalogue: Catalogue, document_text: str) -> list[Problem]:
    """Every statement is quoted from the document, on its line, inside its program's part;
    every section lies inside the document."""
    problems = []
    lines = document_text.split("\n")
    ranges: dict[str, list[tuple[int, int]]] = {}
    for section in catalogue.sections:
        if section["last"] > len(lines):
            problems.append(Problem(section["where"], f"lines {section['first']}-{section['last']} "
                                                      f"run past the document's {len(lines)} lines"))
        ranges.setdefault(section["program_id"], []).append((section["first"], section["last"]))
    for statement in catalogue.statements:
        where, line = statement["where"], statement.get("line")
        if not isinstance(line, int) or not 1 <= line <= len(lines):
            problems.append(Problem(where, f"line {line!r} is not a line of the document"))
            continue
        # the quote starts on its line and may run over the following ones
        following = _fold(_STRAY_LINE.sub("", "\n".join(lines[line - 1:line + 40])))
        position = following.find(_fold(statement["text"]))
        if position < 0 or position >= max(len(_fold(lines[line - 1])), 1):
            problems.append(Problem(where, f"{statement['text']!r} is not quoted from line {line} of the document"))
        program_ranges = ranges.get(statement.get("program_id"))
        if program_ranges and not any(first <= line <= last for first, last in program_ranges):
            problems.append(Problem(where, f"line {line} is outside {statement['program']!r}'s part of the "
                                           "document (sections.yml)"))
    return problems


def run_checks(catalogue: Catalogue, document_path: Path | None = None) -> list[Problem]:
    """Every check; an empty list means the catalogue may be built."""
    problems = [Problem(where, message) for where, message in catalogue.read_problems]
    for check in (check_contacts, check_contact_coverage, check_totals, check_detail_budgets,
                  check_pages, check_programs, check_aliases, check_rules, check_statements,
                  check_categories):
        problems.extend(check(catalogue))
    problems.extend(check_synthetic(catalogue))
    if document_path is not None and Path(document_path).exists():
        # the document states the real programs only: synthetic copies (scale benchmark) are not in it
        real = real_part(catalogue)
        text = Path(document_path).read_text(encoding="utf-8")
        problems.extend(check_against_document(real, text))
        problems.extend(check_statements_in_document(real, text))
    return problems


def check_synthetic(catalogue: Catalogue) -> list[Problem]:
    """Synthetic copies (the scale benchmark's, :mod:`knowledge.synthetic`) never stand in a
    real data folder (``knowledge/data``), and a synthetic program's rules are synthetic too."""
    problems = []
    parts = Path(catalogue.folder).resolve().parts
    in_real_folder = any(parts[i] == "knowledge" and parts[i + 1] == "data" for i in range(len(parts) - 1))
    if in_real_folder and is_synthetic(catalogue):
        problems.append(Problem(Where("."), "synthetic rows (synthetic: true) in a real data folder under knowledge/data"))
    synthetic_ids = {p["id"] for p in catalogue.programs if p.get("synthetic")}
    for rule in catalogue.amount_rules + catalogue.requirements:
        if bool(rule.get("synthetic")) != (rule.get("program_id") in synthetic_ids):
            problems.append(Problem(rule["where"], f"rule {rule.get('id')!r}: synthetic and real mixed"))
    return problems
