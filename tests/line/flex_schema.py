"""A schema check of Flex Message objects against the Messaging API reference's limits.

What is checked (the parts the bot uses, and any unknown element is a problem):

* message: ``type`` "flex", ``altText`` of 1–400 characters (LINE counts up to 1,500 for
  newer clients; 400 keeps older ones safe), ``contents`` a bubble or a carousel;
* carousel: 1–12 bubbles, JSON of at most 50 KB; bubble: JSON of at most 30 KB, ``size``
  one of nano, micro, deca, hecto, kilo, mega, giga (a carousel's all the same);
* blocks header / hero / body / footer are boxes; a box has a ``layout`` (vertical,
  horizontal, baseline) and a list of ``contents``;
* components: box, text (non-empty ``text``, unless it has ``contents`` spans), button
  (with an action), separator, filler; text sizes xxs–5xl or pixels; colours ``#RRGGBB``
  or ``#RRGGBBAA``;
* actions: uri (``uri`` of 1–1,000 characters, scheme http, https, line or tel), message
  (``text`` 1–300), postback (``data`` 1–300); labels 1–20 characters.
"""

from __future__ import annotations

import json
import re
from typing import Any, List

BUBBLE_SIZES = {"nano", "micro", "deca", "hecto", "kilo", "mega", "giga"}
TEXT_SIZES = {"xxs", "xs", "sm", "md", "lg", "xl", "xxl", "3xl", "4xl", "5xl"}
LAYOUTS = {"vertical", "horizontal", "baseline"}
COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$")
PIXELS = re.compile(r"^\d+(?:\.\d+)?px$")
URI_SCHEMES = ("http://", "https://", "line://", "tel:")
MAX_BUBBLE_BYTES = 30 * 1024
MAX_CAROUSEL_BYTES = 50 * 1024


def units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def size_in_bytes(value: Any) -> int:
    return len(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


def action_problems(action: Any, where: str) -> List[str]:
    if not isinstance(action, dict):
        return [f"{where}: action must be an object"]
    found = []
    label = action.get("label")
    if label is not None and not (isinstance(label, str) and 1 <= units(label) <= 20):
        found.append(f"{where}: action label must be 1-20 characters")
    kind = action.get("type")
    if kind == "uri":
        uri = action.get("uri")
        if not isinstance(uri, str) or not 1 <= len(uri) <= 1000 or not uri.startswith(URI_SCHEMES):
            found.append(f"{where}: uri action needs a uri of 1-1000 characters (http, https, line, tel)")
        if uri and uri.startswith("tel:") and not re.fullmatch(r"tel:\+?[0-9-]+", uri):
            found.append(f"{where}: tel: uri must hold only a phone number")
    elif kind == "message":
        if not isinstance(action.get("text"), str) or not 1 <= units(action["text"]) <= 300:
            found.append(f"{where}: message action text must be 1-300 characters")
    elif kind == "postback":
        if not isinstance(action.get("data"), str) or not 1 <= units(action["data"]) <= 300:
            found.append(f"{where}: postback data must be 1-300 characters")
    else:
        found.append(f"{where}: action type {kind!r} not used by the bot")
    return found


def component_problems(component: Any, where: str) -> List[str]:
    if not isinstance(component, dict):
        return [f"{where}: component must be an object"]
    kind = component.get("type")
    found = []
    for key in ("color", "backgroundColor", "borderColor"):
        if key in component and not (isinstance(component[key], str) and COLOUR.match(component[key])):
            found.append(f"{where}: {key} must be #RRGGBB or #RRGGBBAA")
    if kind == "box":
        if component.get("layout") not in LAYOUTS:
            found.append(f"{where}: box layout must be one of {sorted(LAYOUTS)}")
        contents = component.get("contents")
        if not isinstance(contents, list):
            return found + [f"{where}: box contents must be a list"]
        for index, child in enumerate(contents):
            found += component_problems(child, f"{where}.contents[{index}]")
    elif kind == "text":
        text = component.get("text")
        if not component.get("contents") and not (isinstance(text, str) and text.strip()):
            found.append(f"{where}: text must not be empty")
        size = component.get("size")
        if size is not None and size not in TEXT_SIZES and not (isinstance(size, str) and PIXELS.match(size)):
            found.append(f"{where}: text size {size!r} not allowed")
        if "maxLines" in component and not (isinstance(component["maxLines"], int) and component["maxLines"] >= 0):
            found.append(f"{where}: maxLines must be an integer >= 0")
        if "action" in component:
            found += action_problems(component["action"], where)
    elif kind == "button":
        found += action_problems(component.get("action"), where)
        if component.get("style", "link") not in {"primary", "secondary", "link"}:
            found.append(f"{where}: button style must be primary, secondary or link")
    elif kind in ("separator", "filler"):
        pass
    else:
        found.append(f"{where}: component type {kind!r} not allowed here")
    return found


def bubble_problems(bubble: Any, where: str = "bubble") -> List[str]:
    if not isinstance(bubble, dict) or bubble.get("type") != "bubble":
        return [f"{where}: must be a bubble"]
    found = []
    if bubble.get("size", "mega") not in BUBBLE_SIZES:
        found.append(f"{where}: size must be one of {sorted(BUBBLE_SIZES)}")
    blocks = [key for key in ("header", "hero", "body", "footer") if key in bubble]
    if not blocks:
        found.append(f"{where}: a bubble needs at least one block")
    for key in blocks:
        if bubble[key].get("type") != "box":
            found.append(f"{where}.{key}: block must be a box")
        found += component_problems(bubble[key], f"{where}.{key}")
    if size_in_bytes(bubble) > MAX_BUBBLE_BYTES:
        found.append(f"{where}: JSON larger than 30 KB")
    return found


def flex_problems(message: Any) -> List[str]:
    """Every way ``message`` breaks the documented limits of a Flex Message (empty: valid)."""
    if not isinstance(message, dict) or message.get("type") != "flex":
        return ["not a flex message"]
    found = []
    alt = message.get("altText")
    if not isinstance(alt, str) or not 1 <= units(alt) <= 400 or not alt.strip():
        found.append("altText must be 1-400 characters")
    contents = message.get("contents")
    if isinstance(contents, dict) and contents.get("type") == "carousel":
        bubbles = contents.get("contents")
        if not isinstance(bubbles, list) or not 1 <= len(bubbles) <= 12:
            return found + ["carousel must hold 1-12 bubbles"]
        for index, bubble in enumerate(bubbles):
            found += bubble_problems(bubble, f"carousel[{index}]")
        if len({b.get("size", "mega") for b in bubbles if isinstance(b, dict)}) > 1:
            found.append("carousel bubbles must all have the same size")
        if size_in_bytes(contents) > MAX_CAROUSEL_BYTES:
            found.append("carousel JSON larger than 50 KB")
    else:
        found += bubble_problems(contents)
    return found


def flex_text(node: Any) -> str:
    """The texts a Flex container shows, in order, one per line (buttons by their label)."""
    found: List[str] = []

    def walk(item: Any) -> None:
        if isinstance(item, list):
            for child in item:
                walk(child)
        elif isinstance(item, dict):
            if item.get("type") == "text" and isinstance(item.get("text"), str):
                found.append(item["text"])
            elif item.get("type") == "button":
                found.append(str((item.get("action") or {}).get("label", "")))
            for key in ("header", "hero", "body", "footer", "contents"):
                if key in item:
                    walk(item[key])
    walk(node)
    return "\n".join(found)
