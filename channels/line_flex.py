"""Answers about one program as LINE Flex Message cards.

The actions send, with such an answer's text, its parts as ``custom.card`` (worded by
``knowledge/render.py``'s ``Renderer.card`` from the templates; other channels ignore it
and show the text, which says the same). Here the parts become one bubble:

* header: the program's name (or the division's, for a division's contact), on the
  prefecture blue of the web page (``web/static/site.css``);
* body: the answer's figure, large, under its label (上限, 目安, 予算額, 電話番号); the
  working or rule, one text line per line of the answer; the source page, small;
* footer: the division, and a **call button** whose action is a ``tel:`` URI with the
  division's number.

``altText`` (what notifications and old clients show) is the answer in one line, at most
400 characters. A list of programs (``custom.cards``) goes as its heading and source in
a text, then a carousel of at most 12 bubbles, each with a button that chooses the
program (the postback its quick reply sends) and a call button. A card that cannot be
built within LINE's limits (a bubble's JSON at most 30 KB, a carousel's 50 KB, labels at
most 20 characters, a URI at most 1,000) is not sent: the caller sends the text instead,
so an answer is never lost.
"""

from __future__ import annotations

import functools
import json
import logging
import re
from pathlib import Path
from typing import Any, Dict, Optional

logger = logging.getLogger(__name__)

SITE_CSS = Path(__file__).resolve().parent.parent / "web" / "static" / "site.css"
# The web page's colours (site.css's custom properties), used when the file cannot be read.
DEFAULT_PALETTE = {"kc-blue": "#0b4d8c", "kc-blue-dark": "#083a6a", "kc-ink": "#1a1a1a", "kc-muted": "#555555",
                   "kc-line": "#d5dbe3", "kc-pale": "#eef4fa", "kc-focus": "#f5a300"}

MAX_ALT_TEXT = 400
MAX_LABEL = 20
MAX_URI = 1000
MAX_BUBBLE_BYTES = 30 * 1024
MAX_CARD_TEXT = 2000          # the working's characters: a longer answer stays a text
PHONE = re.compile(r"^\+?[0-9][0-9-]{5,20}$")


@functools.lru_cache(maxsize=1)
def palette() -> Dict[str, str]:
    """The web page's colours by custom property name (``kc-blue`` …), as #RRGGBB."""
    colours = dict(DEFAULT_PALETTE)
    try:
        css = SITE_CSS.read_text(encoding="utf-8")
    except OSError:
        return colours
    for name, value in re.findall(r"--([\w-]+)\s*:\s*(#[0-9a-fA-F]{3,6})\s*;", css):
        if len(value) == 4:  # #555 → #555555
            value = "#" + "".join(c * 2 for c in value[1:])
        colours[name] = value.lower()
    return colours


def units(text: str) -> int:
    """Length in UTF-16 code units (what LINE counts, never less)."""
    return len(text.encode("utf-16-le")) // 2


def within(text: str, limit: int) -> str:
    """``text`` if it fits in ``limit`` units, else its beginning and "…"."""
    if units(text) <= limit:
        return text
    kept, length = [], 0
    for char in text:
        length += units(char)
        if length > limit - 1:
            break
        kept.append(char)
    return "".join(kept) + "…"


def one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def tel_uri(phone: Any) -> Optional[str]:
    """``tel:`` URI of a printed phone number (045-210-5550 → tel:045-210-5550); None for
    anything that is not one."""
    if not isinstance(phone, str):
        return None
    phone = phone.strip().translate(str.maketrans("０１２３４５６７８９－ー", "0123456789--"))
    return f"tel:{phone}" if PHONE.match(phone) else None


def _text(text: str, **style: Any) -> Dict[str, Any]:
    return {"type": "text", "text": text, "wrap": True, **style}


def bubble(card: Dict[str, Any]) -> Optional[Dict[str, Any]]:
    """The card's bubble, or None when its parts are missing or too long for a card."""
    colours = palette()
    title = card.get("program")
    lines = card.get("working")
    working = [line for line in lines if isinstance(line, str) and line.strip()] if isinstance(lines, list) else []
    if not isinstance(title, str) or not title.strip() or not working:
        return None
    if sum(units(line) for line in working) > MAX_CARD_TEXT:
        return None
    body: list = []
    figure, label = card.get("figure"), card.get("figure_label")
    if isinstance(figure, str) and figure.strip():
        if isinstance(label, str) and label.strip():
            body.append(_text(label, size="xs", color=colours["kc-muted"]))
        body.append(_text(figure, size="xxl", weight="bold", color=colours["kc-blue"]))
        body.append({"type": "separator", "margin": "md", "color": colours["kc-line"]})
    body.append({"type": "box", "layout": "vertical", "spacing": "xs", "margin": "md",
                 "contents": [_text(line, size="sm", color=colours["kc-ink"]) for line in working]})
    page = card.get("page")
    if isinstance(page, str) and page.strip():
        body.append(_text(page, size="xxs", color=colours["kc-muted"], margin="md"))
    footer: list = []
    division = card.get("division")
    if isinstance(division, str) and division.strip():
        footer.append(_text(division, size="xs", color=colours["kc-muted"]))
    uri, call = tel_uri(card.get("phone")), card.get("call_label")
    if uri and isinstance(call, str) and call.strip():
        footer.append({"type": "button", "style": "primary", "color": colours["kc-blue"], "height": "sm",
                       "margin": "sm",
                       "action": {"type": "uri", "label": within(f"{call} {card['phone']}", MAX_LABEL), "uri": uri}})
    result: Dict[str, Any] = {
        "type": "bubble", "size": "mega",
        "header": {"type": "box", "layout": "vertical", "backgroundColor": colours["kc-blue"], "paddingAll": "md",
                   "contents": [_text(title, size="md", weight="bold", color="#ffffff")]},
        "body": {"type": "box", "layout": "vertical", "contents": body},
    }
    if footer:
        result["footer"] = {"type": "box", "layout": "vertical", "spacing": "sm", "contents": footer}
    if len(json.dumps(result, ensure_ascii=False, separators=(",", ":")).encode("utf-8")) > MAX_BUBBLE_BYTES:
        return None
    return result


def flex_message(text: Optional[str], card: Any) -> Optional[Dict[str, Any]]:
    """The Flex message for an answer with card parts (``custom.card``); None when there
    are none or no card can be built (the caller then sends ``text``)."""
    if not isinstance(card, dict):
        return None
    try:
        contents = bubble(card)
    except (KeyError, TypeError, ValueError, AttributeError) as error:  # malformed parts: the text goes
        logger.warning("LINE card not built (%s); sending the text", type(error).__name__)
        return None
    if contents is None:
        return None
    alt = one_line(card.get("alt") if isinstance(card.get("alt"), str) else (text or ""))
    if not alt:
        return None
    return {"type": "flex", "altText": within(alt, MAX_ALT_TEXT), "contents": contents}


# ── lists of programs: a carousel ────────────────────────────────────────────

MAX_CAROUSEL_BUBBLES = 12
MAX_CAROUSEL_BYTES = 50 * 1024
MAX_ACTION_TEXT = 300
MAX_SUMMARY = 400


def list_bubble(item: Dict[str, Any]) -> Optional[Dict[str, Any]]:
    """One program of a list: its name, its summary, a button that chooses it (the
    payload a quick reply would send) and a call button for its division."""
    colours = palette()
    title, payload, choose = item.get("program"), item.get("payload"), item.get("choose_label")
    if not all(isinstance(v, str) and v.strip() for v in (title, payload, choose)):
        return None
    if units(payload) > MAX_ACTION_TEXT:
        return None
    body: list = []
    summary = item.get("summary")
    if isinstance(summary, str) and summary.strip():
        body.append(_text(within(summary, MAX_SUMMARY), size="sm", color=colours["kc-ink"], maxLines=8))
    division = item.get("division")
    if isinstance(division, str) and division.strip():
        body.append(_text(division, size="xxs", color=colours["kc-muted"], margin="md"))
    footer: list = [{"type": "button", "style": "primary", "color": colours["kc-blue"], "height": "sm",
                     "action": {"type": "postback", "label": within(choose, MAX_LABEL), "data": payload,
                                "displayText": within(title, MAX_ACTION_TEXT)}}]
    uri, call = tel_uri(item.get("phone")), item.get("call_label")
    if uri and isinstance(call, str) and call.strip():
        footer.append({"type": "button", "style": "link", "color": colours["kc-blue-dark"], "height": "sm",
                       "action": {"type": "uri", "label": within(f"{call} {item['phone']}", MAX_LABEL), "uri": uri}})
    bubble_: Dict[str, Any] = {
        "type": "bubble", "size": "kilo",
        "header": {"type": "box", "layout": "vertical", "backgroundColor": colours["kc-blue"], "paddingAll": "md",
                   "contents": [_text(title, size="sm", weight="bold", color="#ffffff")]},
        "footer": {"type": "box", "layout": "vertical", "spacing": "sm", "contents": footer},
    }
    if body:
        bubble_["body"] = {"type": "box", "layout": "vertical", "contents": body}
    return bubble_


def carousel_messages(text: Optional[str], cards: Any) -> Optional[list]:
    """A list of programs as [its heading (and source) as a text, a carousel of at most
    12 bubbles]; None when the parts are missing or too large (the caller sends ``text``)."""
    if not isinstance(cards, dict) or not isinstance(cards.get("items"), list):
        return None
    try:
        bubbles = [list_bubble(item) for item in cards["items"][:MAX_CAROUSEL_BUBBLES] if isinstance(item, dict)]
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        logger.warning("LINE carousel not built (%s); sending the text", type(error).__name__)
        return None
    if len(bubbles) < 2 or any(b is None for b in bubbles):
        return None
    carousel = {"type": "carousel", "contents": bubbles}
    if len(json.dumps(carousel, ensure_ascii=False, separators=(",", ":")).encode("utf-8")) > MAX_CAROUSEL_BYTES:
        return None
    heading = cards.get("heading")
    if not isinstance(heading, str) or not heading.strip():
        return None
    page = cards.get("page")
    lead = heading if not (isinstance(page, str) and page.strip()) else f"{heading}\n{page}"
    alt = one_line(cards.get("alt") if isinstance(cards.get("alt"), str) else heading)
    return [{"type": "text", "text": within(lead, 5000)},
            {"type": "flex", "altText": within(alt, MAX_ALT_TEXT), "contents": carousel}]


def card_messages(text: Optional[str], custom: Any) -> Optional[list]:
    """The LINE messages for an answer with card parts (``custom.card`` or
    ``custom.cards``); None when it has none or they cannot be built."""
    if not isinstance(custom, dict):
        return None
    if custom.get("card"):
        card = flex_message(text, custom["card"])
        return [card] if card else None
    if custom.get("cards"):
        return carousel_messages(text, custom["cards"])
    return None
