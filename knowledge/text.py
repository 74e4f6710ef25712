"""Japanese text as the knowledge base compares it: width-folded, tokenised by Sudachi.

Search and alias matching both go through :func:`match_key` and :func:`search_terms`, so
a query and the indexed text are always reduced the same way: ＮＥＸＴ, NEXT and next
become ネクスト, 申込み becomes 申し込み, ｾﾚｸﾄ becomes セレクト, particles drop out.
"""

from __future__ import annotations

import functools
import re
import threading
import unicodedata

from sudachipy import Dictionary, SplitMode

# Sudachi refuses input over 49,149 bytes (UTF-8); longer text is cut into pieces.
SUDACHI_MAX_BYTES = 49_149
_SKIPPED_POS = {"助詞", "助動詞", "補助記号", "記号", "空白", "感動詞", "接続詞"}
# Light verbs and question words that say nothing about which program is meant.
_STOP_FORMS = {
    "つく", "教える", "知る", "有る", "為る", "居る", "成る", "下さる", "思う", "言う",
    "出来る", "欲しい", "良い", "貰う", "呉れる", "頂く", "伺う", "聞く", "幾ら", "何",
    "此れ", "其れ", "どう", "どの", "どんな", "いつ", "誰", "ある", "いる", "する", "なる",
    "此の", "其の", "彼の", "其処", "此処", "彼処", "何処", "其方", "此方",
    "よう", "みたい", "感じ", "兎に角", "全然", "ちょっと", "色々",
}

_NAME_PUNCTUATION = set("（）()「」『』【】・･/／-－ー〜～")

_dictionary_lock = threading.Lock()
_dictionary: Dictionary | None = None
_local = threading.local()


# A run of Japanese (kana, kanji, full-width letters and digits) in a message
JAPANESE_RUN = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff10-\uff5a\u30fc々〆ヶ]+")


def _tokenizer():
    """One Sudachi tokenizer per thread: a shared one raises "Already borrowed"."""
    global _dictionary
    tokenizer = getattr(_local, "tokenizer", None)
    if tokenizer is None:
        with _dictionary_lock:
            if _dictionary is None:
                _dictionary = Dictionary(dict="core")
        tokenizer = _dictionary.tokenizer(mode=SplitMode.C)
        _local.tokenizer = tokenizer
    return tokenizer


def fold(text: str) -> str:
    """NFKC (full/half width, compatibility forms) and lower case."""
    return unicodedata.normalize("NFKC", text).lower()


# a Japanese character: kana, kanji, the long-vowel mark, Japanese punctuation, full-width forms
_JAPANESE = "\u3001-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uffef"
_SPACE_BETWEEN_JAPANESE = re.compile(f"(?<=[{_JAPANESE}])[ \\t\u3000]+(?=[{_JAPANESE}])")


def closed_up(text: str) -> str:
    """Japanese written with spaces between its words, as a learner or a phone's voice input
    writes it (「県の たすけ ありますか」「いくら もらえますか」), closed up: Japanese is
    written without them, and every phrase the bot knows is spaceless."""
    return _SPACE_BETWEEN_JAPANESE.sub("", text)


def fold_in_place(text: str) -> str:
    """Like :func:`fold`, but keeping every character's position (and so the length).

    Characters whose NFKC form is longer or shorter (ｶﾞ, ㍿) are kept as they are, so a
    match found in the folded text has the same offsets in the original.
    """
    out = []
    for ch in text:
        folded = unicodedata.normalize("NFKC", ch).lower()
        out.append(folded if len(folded) == 1 else ch)
    return "".join(out)


def sudachi_width(ch: str) -> int:
    """The UTF-8 bytes one character takes in Sudachi's input: Sudachi normalises its input
    (NFKC, lower case) before checking its byte limit, and U+FDFA alone becomes 18
    characters (33 bytes)."""
    width = len(ch.encode("utf-8"))
    if ch.isascii():
        return width
    return max(width, len(unicodedata.normalize("NFKC", ch).lower().encode("utf-8")))


def chunks_within_limit(text: str, limit: int = SUDACHI_MAX_BYTES) -> list[str]:
    """Split text into pieces Sudachi accepts, preferring to cut after 。！？ or newlines.

    A piece's size is counted as Sudachi counts it, after normalisation
    (:func:`sudachi_width`), so text that grows under NFKC is cut too."""
    if len(text) * 33 <= limit or sum(map(sudachi_width, text)) <= limit:   # 33: the widest character
        return [text]
    pieces = []
    current = []
    size = 0
    for ch in text:
        width = sudachi_width(ch)
        if size + width > limit:
            cut = max((i for i, c in enumerate(current) if c in "。！？!?\n"), default=-1)
            if cut < 0 or cut < len(current) // 2:
                cut = len(current) - 1
            pieces.append("".join(current[: cut + 1]))
            current = current[cut + 1 :]
            size = sum(map(sudachi_width, current))
        current.append(ch)
        size += width
    if current:
        pieces.append("".join(current))
    return pieces


def _sudachi(text: str):
    """Sudachi's morphemes of ``text`` (any length) with code-point offsets into ``text``."""
    offset = 0
    tokenizer = _tokenizer()
    for piece in chunks_within_limit(text):
        for m in tokenizer.tokenize(piece):
            yield m, offset
        offset += len(piece)


def morphemes(text: str):
    """Sudachi morphemes of ``text`` (any length), as (surface, normalized, pos, begin, end).

    Offsets are code-point offsets into ``text`` itself.
    """
    return [(m.surface(), m.normalized_form(), m.part_of_speech()[0], offset + m.begin(), offset + m.end())
            for m, offset in _sudachi(text)]


_HIRAGANA_TO_KATAKANA = {code: code + 0x60 for code in range(0x3041, 0x3097)}


def katakana(text: str) -> str:
    """Hiragana as katakana (せいさん → セイサン); everything else unchanged."""
    return text.translate(_HIRAGANA_TO_KATAKANA)


def is_kana(text: str) -> bool:
    """Only hiragana, katakana and the long-vowel mark (ー)."""
    return bool(text) and all("\u3041" <= ch <= "\u30ff" for ch in text)


def reading_units(text: str) -> list[tuple[str, int, int, bool]]:
    """How ``text`` is pronounced, in units that a reading can be matched against:
    (katakana reading, start, end, whole_morpheme).

    Kana is one unit per character (Sudachi cuts kana-only input badly, so a word may
    start anywhere in it); a morpheme with kanji is one unit, read as Sudachi reads it
    (so 生産性工場 reads セイサンセイコウジョウ, like 生産性向上); digits, Latin letters
    and symbols are one unit per character, folded. ``whole_morpheme`` marks units that
    begin a Sudachi morpheme.
    """
    units = []
    for m, offset in _sudachi(text):
        surface, begin = m.surface(), offset + m.begin()
        if is_kana(surface):
            units.extend((katakana(ch), begin + i, begin + i + 1, i == 0) for i, ch in enumerate(surface))
        elif any("\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" for ch in surface) \
                or is_kana(m.reading_form()):
            # kanji, or a word Sudachi knows how to read (ＮＥＸＴ → ネクスト)
            units.append((m.reading_form(), begin, begin + len(surface), True))
        else:
            units.extend((fold(ch), begin + i, begin + i + 1, i == 0) for i, ch in enumerate(surface)
                         if not ch.isspace())
    return units


def reading(text: str) -> str:
    """The katakana reading of ``text`` (see :func:`reading_units`)."""
    return "".join(unit[0] for unit in reading_units(text))


def content_forms(text: str) -> list[str]:
    """Normalized forms of the content words of ``text``, lower-cased, in order."""
    return [
        fold(normalized)
        for _surface, normalized, pos, _b, _e in morphemes(fold(text))
        if pos not in _SKIPPED_POS and normalized.strip() and normalized not in _STOP_FORMS
    ]


def content_spans(text: str) -> list[tuple[str, int, int, bool]]:
    """Content words as (folded normalized form, start, end, joined) with offsets into ``text``.

    ``joined`` says the word may continue a name begun by the word before it: only
    particles (の, と…) and brackets may stand between the words of one name, so 「生産性向上の補助金」
    is one name but 「中小企業です。生産性向上の補助金」 does not make 「中小企業生産性向上補助金」.
    Folding (NFKC) can change lengths, so Sudachi runs on the original text and only the
    normalized forms are folded.
    """
    spans = []
    joined = True
    for surface, normalized, pos, begin, end in morphemes(text):
        if pos in _SKIPPED_POS or not normalized.strip() or normalized in _STOP_FORMS:
            # names hold particles and brackets (…補助（エコアセットかながわ）), not sentence breaks
            if pos != "助詞" and not (pos == "補助記号" and surface in _NAME_PUNCTUATION):
                joined = False
            continue
        spans.append((fold(normalized), begin, end, joined))
        joined = True
    return spans


def blank(text: str, spans) -> str:
    """``text`` with each (start, end) span replaced by as many spaces: the rest keeps its
    positions (a program's name or a fact left out of the words searched)."""
    for start, end in spans:
        text = text[:start] + " " * (end - start) + text[end:]
    return text


def match_key(text: str) -> str:
    """A compact key for substring matching of names: content words' normalized forms joined.

    ``"セレクト神奈川ＮＥＸＴの申込み"`` and ``"セレクト神奈川next申し込み"`` give the same key.
    """
    return "".join(content_forms(text))


def search_terms(text: str) -> list[str]:
    """Distinct normalized content words, for a full-text query or index column: Sudachi's
    longest units (mode C) and, for a compound, its shortest parts too (mode A), so that
    「生成AIを使う」 and 「生成ＡＩ活用」 share 生成 and ai however each is cut."""
    seen: dict[str, None] = {}
    for m, _offset in _sudachi(fold(text)):
        if m.part_of_speech()[0] in _SKIPPED_POS:
            continue
        forms = [m.normalized_form()]
        if m.part_of_speech()[0] == "動詞" and m.normalized_form() not in _STOP_FORMS:
            forms += nominal_forms(m.normalized_form(), m.part_of_speech()[4])
        parts = m.split(SplitMode.A)
        if len(parts) > 1:
            forms += [part.normalized_form() for part in parts if part.part_of_speech()[0] not in _SKIPPED_POS]
        for form in forms:
            if form.strip() and form not in _STOP_FORMS:
                seen.setdefault(fold(form), None)
    return list(seen)


# A compound verb's 連用形, which Japanese also uses as a noun (引き継ぐ → 引き継ぎ, 取り組む →
# 取り組み, 申し込む → 申し込み): a message's verb then matches the document's noun and the other
# way round. Simple verbs (出す, 分かる) are left alone: their 連用形 is rarely a term.
_I_ROW = dict(zip("うくぐすつぬぶむる", "いきぎしちにびみり"))


def nominal_forms(verb: str, conjugation: str) -> list[str]:
    """The noun a verb's 連用形 makes, from Sudachi's conjugation type (五段-ガ行, 下一段-マ行…)."""
    if sum("\u4e00" <= ch <= "\u9fff" for ch in verb) < 2:
        return []
    if conjugation.startswith("五段") and verb[-1:] in _I_ROW:
        noun = verb[:-1] + _I_ROW[verb[-1]]
    elif conjugation.startswith(("上一段", "下一段")) and verb.endswith("る"):
        noun = verb[:-1]
    else:
        return []
    return [noun] if len(noun) >= 2 else []


def synonym_groups(word: str) -> tuple[int, ...]:
    """Sudachi's synonym groups of a one-morpheme word (育休 and 育児休業 share one; 辞める
    and 退職 another); none for a phrase."""
    morphemes = [m for m, _offset in _sudachi(word)]
    return tuple(morphemes[0].synonym_group_ids()) if len(morphemes) == 1 else ()


# ── English ─────────────────────────────────────────────────────────────────
_ENGLISH_WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")
_HYPHENATED = re.compile(r"[a-z]+(?:-[a-z]+)+")
_ACRONYM_PLURAL = re.compile(r"\b([A-ZＡ-Ｚ]{2,})[sｓ]\b")


@functools.lru_cache(maxsize=1)
def _stemmer():
    import snowballstemmer
    return snowballstemmer.stemmer("english")


def english_words(text: str) -> list[str]:
    """Lower-case English words of a text (NFKC: ＳＭＥ → sme), possessives dropped,
    hyphenated words joined (start-up → startup), ordinals as numbers (2nd → 2) and an
    acronym's plural as the acronym (SMEs → sme, which no stemmer does)."""
    lowered = re.sub(r"(?<=[a-z])-(?=[a-z])", "", fold(_ACRONYM_PLURAL.sub(r"\1", text)).lower())
    lowered = re.sub(r"\b(\d+)(?:st|nd|rd|th)\b", r"\1", lowered)
    return [re.sub(r"['’]s$", "", w) for w in _ENGLISH_WORD.findall(lowered)]


def english_normalized(text: str) -> tuple[str, list[int]]:
    """A text as :func:`english_words` reads it (lower case, start-up → startup, 2nd → 2),
    with the position in ``text`` of each of its characters, to find phrases in it."""
    folded = fold_in_place(text).lower()
    out: list[str] = []
    positions: list[int] = []
    i = 0
    while i < len(folded):
        ch = folded[i]
        if ch == "-" and 0 < i < len(folded) - 1 and folded[i - 1].isalpha() and folded[i + 1].isalpha():
            i += 1
            continue
        ordinal = re.match(r"(?<=\d)(st|nd|rd|th)\b", folded[i:]) if i and folded[i - 1].isdigit() else None
        if ordinal:
            i += len(ordinal.group(0))
            continue
        out.append(ch)
        positions.append(i)
        i += 1
    return "".join(out), positions


# a stage said with its ordinal in any form ("2nd stage", "stage 2", "second stage"): one
# word, as the names write it (ordinals alone are question words: "the second one")
_STAGE = re.compile(r"\b(?:(\d)(?:st|nd|rd|th)?|(first|second|third|fourth|fifth))[\s-]+(stage|phase|tier|round)\b"
                    r"|\b(stage|phase|tier|round)[\s-]+(\d|one|two|three|four|five)\b")
_ORDINAL_WORDS = {"1": "first", "2": "second", "3": "third", "4": "fourth", "5": "fifth", "one": "first",
                  "two": "second", "three": "third", "four": "fourth", "five": "fifth"}


def _stages(text: str) -> list[str]:
    found = []
    for digit, word, noun, noun_first, number in _STAGE.findall(fold(text).lower()):
        ordinal = word or _ORDINAL_WORDS.get(digit or number)
        if ordinal:
            found.append(ordinal + (noun or noun_first))
    return found


def english_terms(text: str, stopwords: frozenset[str] = frozenset()) -> list[str]:
    """Distinct stems of a text's English words, for the English index and its queries
    (subsidies and subsidy → subsidi); ``stopwords`` (unstemmed) left out."""
    stem = _stemmer().stemWord
    seen: dict[str, None] = {}
    # a hyphenated word is one word (start-up) and its parts (childcare-leave: childcare, leave)
    parts = [w for joined in _HYPHENATED.findall(fold(text).lower()) for w in english_words(joined.replace("-", " "))]
    for word in english_words(text) + parts + _stages(text):
        # (a contraction, we're or don't, is function words)
        if word not in stopwords and len(word) > 1 and not word.isdigit() and "'" not in word and "’" not in word:
            seen.setdefault(stem(word), None)
    return list(seen)
