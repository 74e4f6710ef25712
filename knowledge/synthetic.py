"""Synthetic catalogues for the scale benchmark (``make bench-scale``, issue 16): the real
data folder plus ``factor - 1`` renamed copies of every program, written as a data folder
that the same loader and build read.

Each copy renames the programs, their Japanese and English aliases, the words of their
texts, their contacts (division, head) and phone numbers, so that no copy shares a name,
an alias, a phone number or a specific word with the real programs or another copy; the
generic words every catalogue shares (補助金, 融資, 中小企業, subsidy, loan…) are kept, so
the copies look like programs of other bureaus. Figures are copied as they are (the totals
still add up). Every synthetic row says ``synthetic: true``: the checks against the source
document skip them (:func:`knowledge.catalogue.real_part`), the build refuses to write them
to the real knowledge base and the checks refuse them inside ``knowledge/data``.

    python -m knowledge.synthetic --factor 10 --out build/scale/x10
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import re
import shutil
from functools import cache
from pathlib import Path

import yaml

from .text import morphemes

REPOSTED_SUFFIX = "（再掲）"
# Nouns every catalogue of support programs shares: kept, so a copy is still a 補助金 or a
# 融資 and a message's generic words meet copies as they would meet other bureaus' programs.
KEEP_JA = frozenset("""
補助 補助金 事業 事業費 支援 中小 企業 中小企業 融資 資金 奨励 奨励金 貸付 貸付金 交付 交付金 制度 助成 助成金
費 県 者 等 金 保証 信用 相談 訓練 職業 小規模 事業者 経費 対象 上限 円 万 億 年度 県内 促進 推進 整備 強化
補助率 企業者 神奈川 かながわ 神奈川県 センター 機構 法人 協会 連合会 商工会 中央会 組合 研究所 セミナー 講座
""".split())
KEEP_EN = frozenset("""
a an the of for and or in on to by with at from as its their that this is are be
subsidy subsidies loan loans grant grants program programs programme project projects scheme support fund funds funding
center centre office classes seminar seminars business businesses sme smes small medium enterprise enterprises
prefecture prefectural kanagawa company companies guarantee fee fees system
""".split())
# Katakana and Latin syllables of the made-up words (none of them a word of the catalogue)
_KANA = "ヌゾペギホムラセケトロヨニダボフミツパゲズヂネビ"
_LATIN = ["zu", "vo", "ke", "qa", "xi", "mo", "ru", "te", "po", "ga", "ni", "sa", "bu", "de", "hi", "jo",
          "ly", "fe", "wa", "cu", "yo", "ze", "ko", "vi"]


def _syllables(seed: str, count: int, alphabet) -> list:
    digest = hashlib.sha256(seed.encode("utf-8")).digest()
    return [alphabet[b % len(alphabet)] for b in digest[:count]]


def _tag(copy_number: int, alphabet) -> list:
    """Two syllables that differ for every copy (up to len(alphabet)² copies)."""
    return [alphabet[copy_number // len(alphabet) % len(alphabet)], alphabet[copy_number % len(alphabet)]]


def pseudo_ja(word: str, copy_number: int) -> str:
    """A made-up katakana word standing for ``word`` in copy ``copy_number``."""
    return "".join(_syllables("ja:" + word, 3, _KANA) + _tag(copy_number, _KANA))


def pseudo_en(word: str, copy_number: int) -> str:
    made = "".join(_syllables("en:" + word.lower(), 2, _LATIN) + _tag(copy_number, _LATIN))
    return made.capitalize() if word[:1].isupper() else made


@cache
def _pieces(text: str) -> tuple[tuple[str, bool], ...]:
    """``text`` cut into (piece, renamed?) by Sudachi: the nouns that are not generic are renamed."""
    pieces, position = [], 0
    for surface, normalized, pos, begin, end in morphemes(text):
        if begin > position:
            pieces.append((text[position:begin], False))
        specific = pos == "名詞" and surface not in KEEP_JA and normalized not in KEEP_JA \
            and not re.fullmatch(r"[\d０-９,，.．一二三四五六七八九十百千万億兆]+", surface)
        pieces.append((surface, specific))
        position = end
    if position < len(text):
        pieces.append((text[position:], False))
    return tuple(pieces)


def rename_ja(text, copy_number: int, always: bool = True):
    """Japanese text with its specific nouns renamed for copy ``copy_number``; with
    ``always``, a text with none gets a made-up word in front (so names stay distinct)."""
    if not isinstance(text, str) or not text:
        return text
    reposted = text.endswith(REPOSTED_SUFFIX)
    body = text.removesuffix(REPOSTED_SUFFIX)
    pieces = _pieces(body)
    renamed = "".join(pseudo_ja(piece, copy_number) if specific else piece for piece, specific in pieces)
    if always and not any(specific for _piece, specific in pieces):
        renamed = pseudo_ja("名", copy_number) + renamed
    return renamed + (REPOSTED_SUFFIX if reposted else "")


def rename_en(text, copy_number: int, always: bool = True):
    """English text with its words (but the generic ones) renamed for copy ``copy_number``."""
    if not isinstance(text, str) or not text:
        return text
    changed = False

    def swap(match: re.Match) -> str:
        nonlocal changed
        word = match.group(0)
        if word.lower() in KEEP_EN or len(word) <= 2:
            return word
        changed = True
        return pseudo_en(word, copy_number)

    renamed = re.sub(r"[A-Za-z]+", swap, text)
    if always and not changed:
        renamed = pseudo_en("name", copy_number).capitalize() + " " + renamed
    return renamed


def synthetic_phone(copy_number: int, index: int) -> str:
    """A phone number of 10 digits no real contact has (099-…), distinct per copy and contact."""
    return f"099-{copy_number:03d}-{index:04d}"


def _load(path: Path):
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _dump(data, path: Path) -> None:
    path.write_text("# Synthetic scale-benchmark data (knowledge/synthetic.py); never the real catalogue.\n"
                    + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")


def _link(value, names):
    """A part_of / related link ({program: name, why: …}) pointing at the copy's program."""
    if isinstance(value, dict) and "program" in value:
        return {**value, "program": names(value["program"])}
    return value


def write_synthetic(source: Path, out: Path, factor: int, shared_needs: bool = False) -> dict:
    """Write ``source`` (a real data folder) and ``factor - 1`` synthetic copies of its
    programs to ``out``; returns counts. ``out`` must not be inside a ``knowledge/data`` folder.

    Each copy meets needs of its own (needs.yml's, renamed), as other bureaus' programs meet
    other needs; with ``shared_needs`` the copies meet the real needs (ten programs for
    every need at 10×: twins of the real ones for every question by need)."""
    source, out = Path(source), Path(out)
    if factor < 1:
        raise ValueError("factor must be at least 1")
    if "knowledge" in out.resolve().parts and "data" in out.resolve().parts:
        parts = out.resolve().parts
        if any(parts[i] == "knowledge" and parts[i + 1] == "data" for i in range(len(parts) - 1)):
            raise ValueError(f"{out}: synthetic catalogues are never written inside knowledge/data")
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(source, out)
    if factor == 1:
        return {"copies": 0}

    programs = _load(source / "programs.yml")
    needs = _load(source / "needs.yml") or {}
    new_needs = dict(needs)
    contacts = _load(source / "contacts.yml")
    details = _load(source / "details.yml")
    rules = _load(source / "rules.yml") or {}
    topics = [(path.name, _load(path)) for path in sorted((source / "topics").glob("*.yml"))]
    special = {"ambiguous_aliases", "categories", "loan_categories", "loan_needs", "body_words"}
    real_names = [name for name in programs if name not in special]

    new_programs = dict(programs)
    new_contacts = list(contacts)
    new_details = list(details)
    new_rules = {key: list(rows or []) for key, rows in rules.items()}
    ambiguous = dict(programs.get("ambiguous_aliases") or {})
    for number in range(1, factor):
        def names(name: str, number=number) -> str:
            return rename_ja(name, number)

        contact_ids = {}
        for index, contact in enumerate(contacts):
            row = copy.deepcopy(contact)
            row["id"] = contact_ids[contact["id"]] = f"{contact['id']}-s{number:03d}"
            for key in ("department", "division", "head_name", "printed"):
                row[key] = rename_ja(contact.get(key), number, always=key != "department")
            row["english"] = rename_en(contact.get("english"), number)
            row["phone"] = synthetic_phone(number, index)
            row["printed"] = f"{row['division'] or row['head_title']} 電話 {row['phone']}"
            row["synthetic"] = True
            new_contacts.append(row)
        for name in real_names:
            info = copy.deepcopy(programs[name]) or {}
            info["aliases"] = [rename_ja(a, number) for a in info.get("aliases") or []]
            if not shared_needs:
                info["needs"] = [rename_ja(n, number) for n in info.get("needs") or []]
            english = info.get("english") or {}
            if english:
                info["english"] = {**english, "name": rename_en(english.get("name"), number),
                                   "summary": rename_en(english.get("summary"), number, always=False),
                                   "aliases": [rename_en(a, number) for a in english.get("aliases") or []]}
            for key in ("part_of", "related"):
                if info.get(key):
                    info[key] = _link(info[key], names)
            info["synthetic"] = True
            new_programs[names(name)] = info
        if not shared_needs:
            for need, words in needs.items():
                new_needs[rename_ja(need, number)] = list(dict.fromkeys(rename_ja(w, number) for w in words))
        for alias, owners in (programs.get("ambiguous_aliases") or {}).items():
            ambiguous[rename_ja(alias, number)] = [names(owner) for owner in owners]
        for detail in details:
            row = copy.deepcopy(detail)
            row["program"] = names(detail["program"])
            if row.get("id"):
                row["id"] = f"{row['id']}-s{number:03d}"
            for key in ("purpose", "eligibility", "covered_costs", "section", "new_evidence"):
                row[key] = rename_ja(row.get(key), number, always=False)
            if isinstance(row.get("content"), list):
                row["content"] = [rename_ja(part, number, always=False) for part in row["content"]]
            else:
                row["content"] = rename_ja(row.get("content"), number, always=False)
            for key in ("examples", "points"):
                if row.get(key):
                    row[key] = [rename_ja(item, number, always=False) for item in row[key]]
            if row.get("contact"):
                row["contact"] = contact_ids.get(row["contact"], row["contact"])
            row = {k: v for k, v in row.items() if v is not None}
            row["synthetic"] = True
            new_details.append(row)
        for key, rows in rules.items():
            for rule in rows or []:
                new_rules[key].append({**copy.deepcopy(rule), "id": f"{rule.get('id')}-s{number:03d}",
                                       "program": names(rule["program"]), "synthetic": True})
        for file, topic in topics:
            row = copy.deepcopy(topic)
            row["synthetic"] = True
            row["id"] = f"{topic['id']}s{number:03d}"
            row["order"] = topic["order"] + 1000 * number
            row["name"] = rename_ja(topic["name"], number)
            row["purpose"] = rename_ja(topic.get("purpose"), number, always=False)
            for sub in row.get("subsections") or []:
                sub["name"] = rename_ja(sub["name"], number)
                sub["groups"] = {k: rename_ja(v, number) for k, v in (sub.get("groups") or {}).items()}
            for rng in row.get("contact_ranges") or []:
                rng["contact"] = contact_ids.get(rng["contact"], rng["contact"])
            for listing in row.get("listings") or []:
                listing["name"] = names(listing["name"])
                if listing.get("program"):
                    listing["program"] = names(listing["program"])
                listing["summary"] = rename_ja(listing.get("summary"), number, always=False)
            _dump(row, out / "topics" / f"s{number:03d}-{file}")
    new_programs["ambiguous_aliases"] = ambiguous
    _dump(new_programs, out / "programs.yml")
    _dump(new_contacts, out / "contacts.yml")
    _dump(new_needs, out / "needs.yml")
    _dump(new_details, out / "details.yml")
    _dump(new_rules, out / "rules.yml")
    return {"copies": factor - 1, "programs": len(real_names) * factor}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--factor", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--shared-needs", action="store_true", help="copies meet the real needs (twins)")
    parser.add_argument("--source", type=Path, default=Path(__file__).resolve().parent / "data" / "fy2024")
    args = parser.parse_args(argv)
    print(write_synthetic(args.source, args.out, args.factor, args.shared_needs))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
