"""The facts a message states, resolved to knowledge-base values, found without Rasa (used
by :mod:`knowledge.analysis`, and through it by ``nlu.entities.KnowledgeEntityExtractor``).

Every entity this component emits already carries the value the actions use:

======================  =========================================================
program                 a program id (``chusho-01``), or a list of ids when a name
                        fits several programs (the bot then asks which one)
money                   int yen (``1億5千万円`` → 150000000)
people                  int (``従業員12人`` → 12)
number                  int, for a message that is only a number (``５０です`` → 50):
                        the reply to a form's question, read as the fact it asked for
duration                int days (``2週間`` → 14), or ``"1か月"`` for months, which the
                        bot turns into a question (a month can be 28–31 days)
company_size, course,   canonical values of ``knowledge/language/ja.yml``, the knowledge
measure, industry,      base's own words (小規模事業者, 男性育休, 一時帰国休暇制度の創設…;
                        measure ``なし``: none of the add-on measures)
business_type, region,
manufacturing_field,
facility, topic
tokku                   True / False (特区制度を活用する / しない)
need                    a need of ``needs.yml`` (人手不足, 創業…)
======================  =========================================================

Program names are found by :meth:`knowledge.resolver.Resolver.mentions` (Sudachi
normalized forms, so ＮＥＸＴ / next / ﾈｸｽﾄ all match); other entities never overlap a
program name. The text given is the respelled message (:mod:`knowledge.spelling`).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from kanjize import kanji2number

from .kb import KnowledgeBase
from .money import find_amounts, find_english_amounts
from .text import fold, fold_in_place, match_key

LANGUAGE_DIR = Path(__file__).with_name("language")
LANGUAGE_FILE = LANGUAGE_DIR / "ja.yml"
NO_MEASURES = "なし"   # the add-on measures: none (a value of the form, not of the knowledge base)
VOCABULARY_ENTITIES = ("company_size", "course", "measure", "industry", "business_type", "region",
                       "manufacturing_field", "facility", "variant", "topic")

# (digits grouped by commas, 「従業員2,000名」, are one number)
_NUMBER = r"(\d{1,3}(?:,\d{3})+(?!\d)|\d+|[一二三四五六七八九十百千]+)"
PEOPLE_PATTERN = re.compile(_NUMBER + r"\s*(?:人|名)")
# 特区 (制度) … は使いません / 使わず / ではない / 外 → False; any other mention of 特区 → True
TOKKU_PATTERN = re.compile(
    r"特区(?:制度)?(?:[^。、！？!?\n]{0,10}?(ません|ない|なし|無し|外|ず|なく|無く|不要|せず|いいえ|ノー|ではな|じゃな))?")
# 「小規模事業者には当たりません」「大企業ではない」: a size stated only to deny it is no fact
DENIED = re.compile(r"^[^。、！？!?\n]{0,6}?(?:当たりません|当たらない|あたりません|あたらない|ではありません|ではない|じゃない|"
                    r"でない|じゃありません|以外|該当しません|該当しない|該当せず)")
# 「男性社員が育休を」: the course named across a few words
MALE_LEAVE_PATTERN = re.compile(r"(?:男性|パパ|父親|お父さん|旦那|(?<!工)夫)[^。！？!?\n]{0,30}?(?:育休|育児休業)")
DURATION_PATTERN = re.compile(_NUMBER + r"\s*(日間|日|週間|週|(?:か月|ヶ月|カ月|ヵ月|ケ月|箇月)(?:半)?(?:間)?)")
# A reply that is only a number (「50」「１４です」): the form reads it as the fact it asked for
BARE_NUMBER_PATTERN = re.compile(r"^\s*" + _NUMBER + r"\s*(?:です|でした|くらい|ぐらい|程度|ほど)?\s*[。.!！]*\s*$")
# 「どれもやりません」: none of the add-on measures (the form's 「いずれも実施しない」 button)
NO_MEASURE_PATTERN = re.compile(
    r"(?:どれも|いずれも|何も|なにも|ひとつも|一つも)(?:やり|やら|し|実施し|取り組み|取り組ま|行い|行わ)(?:ません|ない|ていない|てない|ていません|てません)"
    r"|(?:どれも|いずれも)(?:該当しない|該当しません|なし|無し)")


def load_language(path: Path | str = LANGUAGE_FILE) -> dict:
    """A language's data (``knowledge/language/<code>.yml``), by path or by code (``"en"``)."""
    path = LANGUAGE_DIR / f"{path}.yml" if isinstance(path, str) and "/" not in path and "." not in path else Path(path)
    with path.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    data.setdefault("code", path.stem)
    return data


def _number(text: str) -> int:
    text = text.replace(",", "")
    return int(text) if text.isdigit() else int(kanji2number(text))


class EntityFinder:
    """The extraction itself, without Rasa: usable from actions and tests."""

    def __init__(self, kb: KnowledgeBase, vocabulary: dict | None = None, mentions=None):
        """``mentions``: a function giving the program names in a text
        (:meth:`knowledge.resolver.Resolver.mentions`)."""
        self.kb = kb
        self._mentions = mentions
        vocabulary = vocabulary or load_language()
        # (folded surface, entity, value), longest surfaces first
        self._surfaces = sorted(
            ((fold(surface), entity, value)
             for entity in VOCABULARY_ENTITIES
             for value, surfaces in vocabulary.get(entity, {}).items()
             for surface in surfaces),
            key=lambda item: -len(item[0]))
        self._keys = {surface: match_key(surface) or "\0" for surface, _e, _v in self._surfaces}
        # a head count, with the words saying whose it is (language data: people_words)
        heads = "|".join(re.escape(fold(w)) for w in sorted(vocabulary.get("people_words", []), key=len, reverse=True))
        self._people = re.compile((rf"(?:(?:{heads})(?:は|が|:|：)?\s*(?:約|およそ|ほぼ)?\s*)?" if heads else "")
                                  + PEOPLE_PATTERN.pattern)
        self._needs = sorted(((fold(r["word"]), r["need"]) for r in kb.need_words()), key=lambda item: -len(item[0]))
        # needs said as a sentence (「スタッフが足りない」): language data
        self._need_patterns = value_patterns(vocabulary, "need_patterns")
        # what a business says it is (「うちは従業員8人の町工場です」, "we are a ...")
        self._self_description = [re.compile(p) for p in vocabulary.get("self_description", [])]
        # a course said across other words (「親の介護をしている社員」): language data
        self._course_patterns = [(value, re.compile(pattern)) for value, patterns in
                                 (vocabulary.get("course_patterns") or {}).items() for pattern in patterns]

    def values_in(self, text: str, entity: str) -> list[str]:
        """Vocabulary values of one kind anywhere in ``text``, even inside a program name
        (「男性育休の奨励金」 names the program and its course)."""
        folded = fold(text)
        key = match_key(text)
        # as written, or with other particles (「介護との両立」 is 「介護の両立」)
        found = [value for surface, kind, value in self._surfaces
                 if kind == entity and (surface in folded or self._keys.get(surface, "\0") in key)]
        if entity == "course":
            found += [value for value, pattern in self._course_patterns if pattern.search(folded)]
            if MALE_LEAVE_PATTERN.search(folded):
                found.insert(0, "男性育休")
        return list(dict.fromkeys(found))

    def find(self, text: str, denied: bool = False) -> list[dict]:
        """The facts ``text`` states; ``denied``: also the sizes it says the business is not
        (entity ``denied_size``: no fact, but words that must not name a program either)."""
        entities: list[dict] = []
        taken = [False] * len(text)

        def free(start: int, end: int) -> bool:
            return not any(taken[start:end])

        def add(entity: str, start: int, end: int, value: Any) -> None:
            entities.append({"entity": entity, "start": start, "end": end, "value": value,
                             "text": text[start:end]})
            for i in range(start, end):
                taken[i] = True

        for mention in self._mentions(text) if self._mentions else []:
            value = mention.program_ids[0] if len(mention.program_ids) == 1 else mention.program_ids
            add("program", mention.start, mention.end, value)

        folded = fold_in_place(text)
        for amount in find_amounts(text):
            if free(amount.start, amount.end):
                add("money", amount.start, amount.end, amount.yen)
        for match in DURATION_PATTERN.finditer(folded):
            start, end = match.span()
            # 3月20日 is a date, not 20 days
            if start > 0 and folded[start - 1] == "月" or not free(start, end):
                continue
            count, unit = _number(match.group(1)), match.group(2)
            if unit.startswith("日"):
                value: Any = count
            elif unit.startswith("週"):
                value = count * 7
            else:
                value = f"{count}か月半" if "半" in unit else f"{count}か月"
            add("duration", start, end, value)
        for match in self._people.finditer(folded):
            start, end = match.span()
            if free(start, end):
                add("people", start, end, _number(match.group(1)))
        bare = BARE_NUMBER_PATTERN.match(folded)
        if bare and free(*bare.span(1)):
            add("number", bare.start(1), bare.end(1), _number(bare.group(1)))
        for match in NO_MEASURE_PATTERN.finditer(folded):
            if free(*match.span()):
                add("measure", match.start(), match.end(), NO_MEASURES)
        for match in TOKKU_PATTERN.finditer(folded):
            # even inside a program name: 「さがみロボット産業特区の制度を活用して」 is a yes
            entities.append({"entity": "tokku", "start": match.start(), "end": match.end(),
                             "value": match.group(1) is None, "text": text[match.start():match.end()]})
            break
        courses = self.values_in(text, "course")
        if courses:
            # the course even inside a program name (「男性育休の奨励金」) or across a duration
            # (「男性社員が3週間育休を」): it names the program and the course
            match = MALE_LEAVE_PATTERN.search(folded)
            start, end = match.span() if match and courses[0] == "男性育休" else (0, 0)
            for course in courses:
                entities.append({"entity": "course", "start": start, "end": end, "value": course,
                                 "text": text[start:end]})
        for surface, entity, value in self._surfaces:
            if entity == "course":
                continue   # found above
            for position in occurrences(folded, surface):
                end = position + len(surface)
                if free(position, end) and not (entity == "company_size" and DENIED.match(folded[end:])):
                    add(entity, position, end, value)
                elif entity == "company_size" and free(position, end):
                    add("denied_size", position, end, value)
        by_word = []
        for surface, need in self._needs:
            for position in occurrences(folded, surface):
                if free(position, position + len(surface)):
                    add("need", position, position + len(surface), need)
                    by_word.append(entities[-1])
        for need, pattern in self._need_patterns:
            for match in pattern.finditer(folded):
                if free(*match.span()):
                    add("need", match.start(), match.end(), need)
                    entities[-1]["inferred"] = True   # (from how it is said, not a need's own word)
        entities = self._without_described_needs(folded, entities, by_word)
        entities = [e for e in entities if denied or e["entity"] != "denied_size"]
        entities.sort(key=lambda e: e["start"])
        return entities

    def _without_described_needs(self, folded: str, entities: list[dict], by_word: list[dict]) -> list[dict]:
        """A need word inside what the business says it is (「うちは…町工場です」: 工場) is no
        need when the message wants something else too (「旋盤を買い替えたい」)."""
        described = [m.span() for pattern in self._self_description for m in pattern.finditer(folded)]
        inside = [e for e in by_word if any(start <= e["start"] and e["end"] <= end for start, end in described)]
        wanted = [e for e in entities if e["entity"] == "need" and not any(e is i for i in inside)]
        if not inside or not wanted:
            return entities
        return [e for e in entities if not any(e is i for i in inside)]


class EnglishEntityFinder(EntityFinder):
    """The same facts written in English (``knowledge/language/en.yml``): the same entity
    names and the knowledge base's own values, so everything after it is the same.
    Japanese amounts (300万円) and program names in an English message are found too."""

    def __init__(self, kb: KnowledgeBase, vocabulary: dict, mentions=None):
        self.kb = kb
        self._mentions = mentions
        # … and a size or a course written in Japanese inside English ("a small business
        # (小規模事業者)", "the 不妊治療 incentive"): a fact, not words naming the programs whose
        # names hold it; and an area of the budget by its heading ("the total for 労働施策の推進")
        japanese = load_language("ja")
        japanese_sizes = [(fold(surface), entity, value) for entity, least in (("company_size", 3), ("course", 3),
                                                                               ("topic", 6))
                          for value, surfaces in (japanese.get(entity) or {}).items()
                          for surface in surfaces if len(surface) >= least]
        self._surfaces = sorted([(surface.lower(), entity, value)
                                 for entity in VOCABULARY_ENTITIES
                                 for value, surfaces in vocabulary.get(entity, {}).items()
                                 for surface in surfaces] + japanese_sizes, key=lambda item: -len(item[0]))
        self._needs = sorted(((word.lower(), need) for need, words in (vocabulary.get("needs") or {}).items()
                              for word in words), key=lambda item: -len(item[0]))
        # … and the Japanese words of needs inside English ("設備に750万円", "a 商店街 in Yokohama")
        self._japanese_needs = sorted(((fold(row["word"]), row["need"]) for row in kb.need_words()
                                       if len(row["word"]) >= 2 and _JAPANESE.search(row["word"])),
                                      key=lambda item: -len(item[0]))
        self._patterns = {surface: _english_word_pattern(surface) for surface, _e, _v in self._surfaces}
        # a need's words in any inflection and with any article ("relocating", "factories",
        # "build the factory" for the vocabulary's relocate, factory, build a factory)
        self._need_bases = [(_phrase_bases(word), need) for word, need in self._needs]
        self._course_patterns = [(value, re.compile(pattern)) for value, patterns in
                                 (vocabulary.get("course_patterns") or {}).items() for pattern in patterns]
        # counts in figures or in words (number_words): {number} in the patterns
        self._numbers = {word.lower(): int(n) for word, n in (vocabulary.get("number_words") or {}).items()}
        number = r"\b(?:" + "|".join(sorted(self._numbers, key=len, reverse=True)) + r")\b" if self._numbers else r"\d+"
        self._people = re.compile(vocabulary["people_pattern"].replace("{number}", number), re.IGNORECASE)
        self._duration = re.compile(vocabulary["duration_pattern"].replace("{number}", number), re.IGNORECASE)
        self._tokku = [_english_word_pattern(w.lower()) for w in sorted(vocabulary.get("tokku", []), key=len, reverse=True)]
        self._negations = [_english_word_pattern(w.lower()) for w in vocabulary.get("tokku_negations", [])]
        self._size_patterns = value_patterns(vocabulary, "company_size_patterns")
        self._no_measures = [re.compile(p) for p in vocabulary.get("no_measures", [])]
        self._size_negation = re.compile(r"\b(?:" + "|".join(re.escape(w.lower()) for w in sorted(
            vocabulary.get("size_negations", []), key=len, reverse=True)) + r")[\s\-'\"‘’“”「『(（]*$") \
            if vocabulary.get("size_negations") else None
        self._need_patterns = value_patterns(vocabulary, "need_patterns")
        # what a business says it is (「うちは従業員8人の町工場です」, "we are a ...")
        self._self_description = [re.compile(p) for p in vocabulary.get("self_description", [])]

    def _count(self, said: str) -> int:
        """A count in figures (1,200) or in words (six)."""
        return self._numbers.get(said.lower()) or int(said.replace(",", ""))

    def _denied(self, lowered: str, start: int, entities: list[dict]) -> bool:
        """A size said not to be the business's ("not small-scale", "definitely not a
        'small-scale business'", "non-SME"), and its gloss in brackets ("not a small-scale
        business (小規模事業者)")."""
        before = lowered[max(0, start - 14):start]
        gloss = re.search(r"[(（「]\s*$", before)
        if gloss and any(e["entity"] == "denied_size" and 0 <= gloss.start() + max(0, start - 14) - e["end"] <= 2
                         for e in entities):
            return True
        return bool(self._size_negation and self._size_negation.search(before))

    def values_in(self, text: str, entity: str) -> list[str]:
        lowered = fold_in_place(text).lower()
        found = [value for value, pattern in self._course_patterns if entity == "course" and pattern.search(lowered)]
        return list(dict.fromkeys(found + [value for surface, kind, value in self._surfaces
                                           if kind == entity and self._patterns[surface].search(lowered)]))

    def find(self, text: str, denied: bool = False) -> list[dict]:
        entities: list[dict] = []
        taken = [False] * len(text)
        lowered = fold_in_place(text).lower()

        def free(start: int, end: int) -> bool:
            return not any(taken[start:end])

        def free_but_figures(start: int, end: int) -> bool:
            # (a need said across a figure: "a 3 person startup from Singapore")
            return all(t in (False, "money", "people", "duration") for t in taken[start:end])

        def add(entity: str, start: int, end: int, value: Any) -> None:
            entities.append({"entity": entity, "start": start, "end": end, "value": value, "text": text[start:end]})
            for i in range(start, end):
                taken[i] = entity if entity in ("money", "people", "duration") else True

        for mention in self._mentions(text) if self._mentions else []:
            add("program", mention.start, mention.end,
                mention.program_ids[0] if len(mention.program_ids) == 1 else mention.program_ids)
        for amount in sorted(find_english_amounts(text) + find_amounts(text), key=lambda a: (a.start, -a.end)):
            if free(amount.start, amount.end):
                add("money", amount.start, amount.end, amount.yen)
        for match in self._duration.finditer(lowered):
            if free(*match.span()):
                count, unit = self._count(match.group(1)), match.group(2)
                value: Any = count * 7 if unit.startswith("week") else count if unit.startswith("day") else f"{count}か月"
                add("duration", match.start(), match.end(), value)
        for match in self._people.finditer(lowered):
            if free(*match.span()):
                add("people", match.start(), match.end(), self._count(match.group(1)))
        # Japanese forms in an English message (「45日」「30人」)
        for match in DURATION_PATTERN.finditer(lowered):
            if free(*match.span()) and not (match.start() and lowered[match.start() - 1] == "月"):
                count, unit = _number(match.group(1)), match.group(2)
                value = count if unit.startswith("日") else count * 7 if unit.startswith("週") else \
                    f"{count}か月半" if "半" in unit else f"{count}か月"
                add("duration", match.start(), match.end(), value)
        for match in PEOPLE_PATTERN.finditer(lowered):
            if free(*match.span()):
                add("people", match.start(), match.end(), _number(match.group(1)))
        # the special zone wherever it is said (each mention a fact, not words naming a program),
        # in English or in Japanese (「さがみロボット産業特区」 inside an English message)
        zones: list[tuple[int, int, bool]] = []   # (start, end, denied in Japanese words)
        for pattern in self._tokku:
            for match in pattern.finditer(lowered):
                if not any(match.start() < end and start < match.end() for start, end, _d in zones):
                    zones.append((*match.span(), False))
        zones += [(*m.span(), bool(m.group(1))) for m in TOKKU_PATTERN.finditer(lowered)
                  if not any(m.start() < end and start < m.end() for start, end, _d in zones)]
        for start, end, zone_denied in sorted(zones):
            window = lowered[max(0, start - 25):end + 25]
            zone_denied = zone_denied or any(negation.search(window) for negation in self._negations)
            entities.append({"entity": "tokku", "start": start, "end": end, "value": not zone_denied,
                             "text": text[start:end]})
        for course in self.values_in(text, "course"):
            entities.append({"entity": "course", "start": 0, "end": 0, "value": course, "text": ""})
        for surface, entity, value in self._surfaces:
            if entity == "course":
                continue
            for match in self._patterns[surface].finditer(lowered):
                if free(*match.span()) and not (entity == "company_size" and self._denied(lowered, match.start(), entities)):
                    add(entity, match.start(), match.end(), value)
                elif entity == "company_size" and free(*match.span()):
                    add("denied_size", match.start(), match.end(), value)   # taken, so no shorter size reads it
        for size, pattern in self._size_patterns:
            for match in pattern.finditer(lowered):
                if free(*match.span()):
                    # (denied as the words are: "so not a tiny business")
                    add("denied_size" if self._denied(lowered, match.start(), entities) else "company_size",
                        match.start(), match.end(), size)
        if not any(e["entity"] == "measure" for e in entities):
            for pattern in self._no_measures:
                match = pattern.search(lowered)
                if match and free(*match.span()):
                    add("measure", match.start(), match.end(), NO_MEASURES)
                    break
        # a need may share its words with a kind of business (「opening a factory」 is both)
        kinds_of_business = [(e["start"], e["end"]) for e in entities if e["entity"] == "business_type"]
        by_word = []
        words = _word_bases(lowered)
        for bases, need in self._need_bases:
            for i in range(len(words) - len(bases) + 1):
                if all(words[i + k][0] == base for k, base in enumerate(bases)):
                    span = (words[i][1], words[i + len(bases) - 1][2])
                    if free(*span) or span in kinds_of_business:
                        entities.append({"entity": "need", "start": span[0], "end": span[1], "value": need,
                                         "text": text[span[0]:span[1]]})
                        by_word.append(entities[-1])
        for need, pattern in self._need_patterns:
            for match in pattern.finditer(lowered):
                if free_but_figures(*match.span()):
                    add("need", match.start(), match.end(), need)
                    entities[-1]["inferred"] = True   # (from how it is said, not a need's own word)
        for word, need in self._japanese_needs:
            for position in occurrences(lowered, word):
                if free(position, position + len(word)):
                    add("need", position, position + len(word), need)
                    by_word.append(entities[-1])
        entities = self._without_described_needs(lowered, entities, by_word)
        entities = [e for e in entities if denied or e["entity"] != "denied_size"]
        entities.sort(key=lambda e: e["start"])
        return entities


def occurrences(text: str, word: str):
    """Every position where ``word`` starts in ``text``, overlapping ones too."""
    position = text.find(word)
    while position >= 0:
        yield position
        position = text.find(word, position + 1)


def value_patterns(vocabulary: dict, key: str) -> list[tuple[str, re.Pattern]]:
    """A language file's patterns for values said as sentences (``need_patterns``:
    「スタッフが足りない」 → 人手不足), as (value, compiled pattern). A ``{name}`` in a pattern is
    the alternation of the file's ``pattern_words`` list of that name (countries,
    nationalities), so that several patterns share one list."""
    lists = {name: "(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + ")"
             for name, words in (vocabulary.get("pattern_words") or {}).items()}
    return [(value, re.compile(re.sub(r"\{(\w+)\}", lambda m: lists.get(m.group(1), m.group(0)), pattern)))
            for value, patterns in (vocabulary.get(key) or {}).items() for pattern in patterns]


_ARTICLES = frozenset({"a", "an", "the"})
_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")   # a kana or kanji: a Japanese word
_WORD = re.compile(r"[a-z0-9&]+")


def _base(word: str) -> str:
    """An English word without its inflection only (factories → factory, relocating and
    relocated → relocat, lessons → lesson), so that derived words stay apart (a consultant
    is not to consult, as a stemmer would have it)."""
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("sses"):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
        word = word[:-1]
    for ending in ("ing", "ed"):
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            word = word[:-len(ending)]
            break
    return word[:-1] if word.endswith("e") and len(word) > 3 else word


def _word_bases(lowered: str) -> list[tuple[str, int, int]]:
    """The words of a lower-cased text as (base, start, end), articles left out."""
    return [(_base(m.group(0)), m.start(), m.end()) for m in _WORD.finditer(lowered) if m.group(0) not in _ARTICLES]


def _phrase_bases(words: str) -> tuple[str, ...]:
    """A vocabulary phrase as the bases :func:`_word_bases` gives its words."""
    return tuple(base for base, _s, _e in _word_bases(words.lower()))


def _english_word_pattern(words: str) -> re.Pattern:
    """English words as a whole-word pattern, spaces and hyphens alike."""
    parts = [re.escape(w) for w in re.split(r"[\s\-]+", words.strip()) if w]
    return re.compile(r"(?<![a-z0-9])" + r"[\s\-]+".join(parts) + r"(?![a-z0-9])")


def finder_for(kb: KnowledgeBase, language: dict, mentions=None) -> EntityFinder:
    """The fact finder of a language. Its topics are those of this knowledge base's fiscal
    year (another year's annex may not have one the language data names)."""
    held = {t["id"] for t in kb.topics()}
    if set(language.get("topic") or {}) - held:
        language = {**language, "topic": {k: v for k, v in language["topic"].items() if k in held}}
    if language.get("code") == "en":
        return EnglishEntityFinder(kb, language, mentions)
    return EntityFinder(kb, language, mentions)


_MONTHS = re.compile(r"(\d+)か月(半)?")


def least_days(duration) -> int | None:
    """The fewest days a duration in months can be (a month is at least 28 days, half a
    month 14): 「1か月半」 → 42, 「2か月」 → 56; None for what is not months."""
    match = _MONTHS.fullmatch(duration) if isinstance(duration, str) else None
    return 28 * int(match.group(1)) + (14 if match.group(2) else 0) if match else None
