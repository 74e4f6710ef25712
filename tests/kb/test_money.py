import pytest

from knowledge.money import MoneyFormatError, find_amounts, format_yen, parse_yen


@pytest.mark.parametrize("text, yen", [
    ("42億5,062万円", 4_250_620_000),
    ("４２億５，０６２万円", 4_250_620_000),   # the detail pages' full-width form
    ("4億   65万円", 400_650_000),             # the extraction's spacing
    ("2億　689万円", 206_890_000),
    ("５億円", 500_000_000),
    ("2,600億円", 260_000_000_000),
    ("500万円", 5_000_000),
    ("５００万", 5_000_000),
    ("1,200万円", 12_000_000),
    ("1億5千万円", 150_000_000),
    ("一億五千万", 150_000_000),
    ("三百万円", 3_000_000),
    ("2億", 200_000_000),
    ("1.5億", 150_000_000),
    ("25万", 250_000),
    ("５千万円", 50_000_000),
    ("374,999円", 374_999),
])
def test_parse_yen_reads_printed_and_typed_amounts(text, yen):
    assert parse_yen(text) == yen


@pytest.mark.parametrize("text", ["", "円", "万円", "abc万円", "1.23456万円", "1.5円"])
def test_parse_yen_rejects_what_is_not_an_amount(text):
    with pytest.raises(MoneyFormatError) as error:
        parse_yen(text)
    assert repr(text) in str(error.value)


@pytest.mark.parametrize("yen, text", [
    (5_000_000, "500万円"),
    (150_000_000, "1億5,000万円"),
    (4_250_620_000, "42億5,062万円"),
    (666_666, "66万6,666円"),
    (400_650_000, "4億65万円"),
    (260_000_000_000, "2,600億円"),
    (1_000_000_000, "10億円"),
    (0, "0円"),
    (999, "999円"),
])
def test_format_yen_writes_the_documents_style(yen, text):
    assert format_yen(yen) == text


def test_find_amounts_gives_offsets_into_the_original_message():
    message = "対象経費が６００万円で、投資は1億5千万円、三百万円"
    found = find_amounts(message)
    assert [m.yen for m in found] == [6_000_000, 150_000_000, 3_000_000]
    for mention in found:
        assert message[mention.start:mention.end] == mention.text


def test_find_amounts_ignores_numbers_without_a_unit():
    assert find_amounts("従業員は12人、育休は14日") == []


@pytest.mark.parametrize("text", ["-100万円", "－100万円", "▲100万円", "マイナス 100万円"])
def test_negative_amounts_are_not_amounts(text):
    assert find_amounts(f"利益は{text}でした") == []
