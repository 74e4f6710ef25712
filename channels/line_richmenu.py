"""The LINE rich menu, as data: ``channels/line_richmenu.yml`` checked, drawn and set.

``make line-richmenu`` (``python -m channels.line_richmenu``):

1. reads the definition and refuses, with the reasons, one LINE would reject: size
   2500x1686 or 2500x843, ``chat_bar_text`` of 1–14 characters, a name of 1–300, 1–20
   areas inside the menu, each a message (text 1–300 characters) or a postback (data and
   displayed text 1–300) — checked here before anything is sent;
2. draws its image with Pillow and the Noto Sans CJK font (``fonts-noto-cjk``): each
   area's label and caption on the prefecture-style colours of the web page
   (``web/static/site.css``), PNG of exactly the menu's size, at most 1 MB (JPEG if a PNG
   would be larger); a copy goes to ``docs/line/richmenu.png`` for the README;
3. with ``LINE_CHANNEL_ACCESS_TOKEN``: asks for the current default menu, creates the new
   one (``POST {LINE_API_ENDPOINT}/v2/bot/richmenu``), uploads the image
   (``POST {LINE_API_DATA_ENDPOINT}/v2/bot/richmenu/{id}/content``), makes it the
   default (``POST /v2/bot/user/all/richmenu/{id}``) and deletes the one it replaces
   (``DELETE /v2/bot/richmenu/{old id}``). When a step fails, the new menu is deleted
   again and the old one stays the default.

``--check`` stops after step 2 (no token needed). Exit status: 0 done, 2 definition
refused, 1 a call to LINE failed.
"""

from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import requests
import yaml

from channels.line_flex import palette, units

ROOT = Path(__file__).resolve().parent.parent
DEFINITION = Path(__file__).with_name("line_richmenu.yml")
README_COPY = ROOT / "docs" / "line" / "richmenu.png"
DEFAULT_API_ENDPOINT = "https://api.line.me"
DEFAULT_DATA_ENDPOINT = "https://api-data.line.me"
SIZES = {(2500, 1686), (2500, 843)}
MAX_AREAS = 20
MAX_CHAT_BAR = 14
MAX_NAME = 300
MAX_ACTION_TEXT = 300
MAX_LABEL = 20
MAX_IMAGE_BYTES = 1024 * 1024
TIMEOUT = 30


class RefusedDefinition(ValueError):
    """A definition LINE would reject; ``problems`` says why."""

    def __init__(self, problems: List[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


class ApiError(RuntimeError):
    pass


# ── the definition ────────────────────────────────────────────────────────────

def load(path: Path = DEFINITION) -> Dict[str, Any]:
    with Path(path).open(encoding="utf-8") as handle:
        definition = yaml.safe_load(handle)
    if not isinstance(definition, dict):
        raise RefusedDefinition([f"{path}: the file must hold a mapping (name, size, chat_bar_text, areas)"])
    return definition


def _text_within(value: Any, low: int, high: int) -> bool:
    return isinstance(value, str) and value.strip() != "" and low <= units(value) <= high


def problems(definition: Dict[str, Any]) -> List[str]:
    """Every reason LINE would reject the menu (an empty list: it would accept it)."""
    found: List[str] = []
    size = definition.get("size") if isinstance(definition.get("size"), dict) else {}
    width, height = size.get("width"), size.get("height")
    if (width, height) not in SIZES:
        found.append(f"size must be 2500x1686 or 2500x843, not {width}x{height}")
    if not _text_within(definition.get("name"), 1, MAX_NAME):
        found.append(f"name must be 1-{MAX_NAME} characters")
    if not _text_within(definition.get("chat_bar_text"), 1, MAX_CHAT_BAR):
        found.append(f"chat_bar_text must be 1-{MAX_CHAT_BAR} characters, "
                     f"not {units(str(definition.get('chat_bar_text') or ''))}")
    if not isinstance(definition.get("selected", True), bool):
        found.append("selected must be true or false")
    areas = definition.get("areas")
    if not isinstance(areas, list) or not 1 <= len(areas) <= MAX_AREAS:
        count = len(areas) if isinstance(areas, list) else 0
        return found + [f"areas must be a list of 1-{MAX_AREAS} areas, not {count}"]
    for index, area in enumerate(areas, 1):
        where = f"area {index}"
        if not isinstance(area, dict):
            found.append(f"{where} must be a mapping")
            continue
        bounds = area.get("bounds") if isinstance(area.get("bounds"), dict) else {}
        x, y, w, h = (bounds.get(k) for k in ("x", "y", "width", "height"))
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in (x, y, w, h)):
            found.append(f"{where}: bounds need whole numbers x, y, width, height")
        elif x < 0 or y < 0 or w < 1 or h < 1 or (isinstance(width, int) and x + w > width) \
                or (isinstance(height, int) and y + h > height):
            found.append(f"{where}: bounds {x},{y} {w}x{h} lie outside the {width}x{height} menu")
        if not _text_within(area.get("label"), 1, MAX_LABEL):
            found.append(f"{where}: label must be 1-{MAX_LABEL} characters")
        action = area.get("action") if isinstance(area.get("action"), dict) else {}
        kind = action.get("type")
        if kind == "message":
            if not _text_within(action.get("text"), 1, MAX_ACTION_TEXT):
                found.append(f"{where}: a message action needs a text of 1-{MAX_ACTION_TEXT} characters")
        elif kind == "postback":
            if not _text_within(action.get("data"), 1, MAX_ACTION_TEXT):
                found.append(f"{where}: a postback action needs data of 1-{MAX_ACTION_TEXT} characters")
            if not _text_within(action.get("display_text"), 1, MAX_ACTION_TEXT):
                found.append(f"{where}: a postback action needs a display_text of 1-{MAX_ACTION_TEXT} characters "
                             "(what the chat shows)")
        else:
            found.append(f"{where}: action type must be message or postback, not {kind!r}")
    return found


def checked(definition: Dict[str, Any]) -> Dict[str, Any]:
    found = problems(definition)
    if found:
        raise RefusedDefinition(found)
    return definition


def rich_menu_object(definition: Dict[str, Any]) -> Dict[str, Any]:
    """The Messaging API's rich menu object for a checked definition."""
    areas = []
    for area in checked(definition)["areas"]:
        action = area["action"]
        if action["type"] == "message":
            line_action = {"type": "message", "label": area["label"], "text": action["text"]}
        else:
            line_action = {"type": "postback", "label": area["label"], "data": action["data"],
                           "displayText": action["display_text"]}
        areas.append({"bounds": {k: area["bounds"][k] for k in ("x", "y", "width", "height")},
                      "action": line_action})
    return {"size": {"width": definition["size"]["width"], "height": definition["size"]["height"]},
            "selected": definition.get("selected", True), "name": definition["name"],
            "chatBarText": definition["chat_bar_text"], "areas": areas}


# ── the image ────────────────────────────────────────────────────────────────

def font_file() -> Tuple[str, int]:
    """Noto Sans CJK JP Bold (file and face index), found by fontconfig, else by path."""
    try:
        found = subprocess.run(["fc-match", "Noto Sans CJK JP:style=Bold", "--format=%{file}:%{index}"],
                               capture_output=True, text=True, timeout=10, check=False).stdout.strip()
        path, _, index = found.rpartition(":")
        if "NotoSansCJK" in path and Path(path).is_file():
            return path, int(index or 0)
    except (OSError, subprocess.SubprocessError, ValueError):
        pass
    for folder in (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path.home() / ".fonts"):
        for candidate in sorted(folder.rglob("NotoSansCJK*Bold.tt[co]")) if folder.is_dir() else []:
            return str(candidate), 0   # the collection's first face is JP
    raise FileNotFoundError("Noto Sans CJK is not installed (apt-get install fonts-noto-cjk)")


def _rgb(colour: str) -> Tuple[int, int, int]:
    return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]


def _icon(draw, kind: str, centre: Tuple[int, int], radius: int, colour, font) -> None:
    """A simple icon drawn with Pillow's shapes (and a glyph of the CJK font)."""
    cx, cy = centre
    width = max(radius // 7, 6)
    if kind == "search":
        r = int(radius * 0.55)
        draw.ellipse((cx - r - radius // 6, cy - r - radius // 6, cx + r - radius // 6, cy + r - radius // 6),
                     outline=colour, width=width)
        draw.line((cx + r * 0.45, cy + r * 0.45, cx + radius * 0.85, cy + radius * 0.85), fill=colour,
                  width=width + 4)
    elif kind == "person":
        head = radius // 3
        draw.ellipse((cx - head, cy - radius * 0.8, cx + head, cy - radius * 0.8 + 2 * head), fill=colour)
        draw.pieslice((cx - radius * 0.75, cy - radius * 0.05, cx + radius * 0.75, cy + radius * 1.4), 180, 360,
                      fill=colour)
    else:
        glyph = {"calculator": "¥", "phone": "☎", "star": "★", "help": "？"}.get(kind, "●")
        draw.text((cx, cy), glyph, font=font, fill=colour, anchor="mm")


def draw(definition: Dict[str, Any]) -> Tuple[bytes, str]:
    """The menu's picture: (image bytes, content type), exactly the menu's size, ≤ 1 MB."""
    from PIL import Image, ImageDraw, ImageFont

    checked(definition)
    colours = palette()
    blue, dark, pale = _rgb(colours["kc-blue"]), _rgb(colours["kc-blue-dark"]), _rgb(colours["kc-pale"])
    accent, ink = _rgb(colours["kc-focus"]), _rgb(colours["kc-ink"])
    width, height = definition["size"]["width"], definition["size"]["height"]
    path, index = font_file()
    image = Image.new("RGB", (width, height), (255, 255, 255))
    canvas = ImageDraw.Draw(image)
    for number, area in enumerate(definition["areas"]):
        b = area["bounds"]
        x0, y0, x1, y1 = b["x"], b["y"], b["x"] + b["width"], b["y"] + b["height"]
        canvas.rectangle((x0, y0, x1 - 1, y1 - 1), fill=pale if number % 2 == 0 else (255, 255, 255))
        canvas.rectangle((x0, y0, x1 - 1, y0 + 18), fill=blue)          # the page's header line
        canvas.rectangle((x0, y0, x1 - 1, y1 - 1), outline=_rgb(colours["kc-line"]), width=4)
        size = min(b["width"], b["height"])
        radius = int(size * 0.2)
        centre = ((x0 + x1) // 2, y0 + int(b["height"] * 0.36))
        canvas.ellipse((centre[0] - radius, centre[1] - radius, centre[0] + radius, centre[1] + radius), fill=blue)
        glyph_font = ImageFont.truetype(path, int(radius * 1.1), index=index)
        _icon(canvas, str(area.get("icon") or ""), centre, int(radius * 0.75), (255, 255, 255), glyph_font)
        label = area["label"]
        label_size = int(size * 0.115)
        label_font = ImageFont.truetype(path, label_size, index=index)
        while canvas.textlength(label, font=label_font) > b["width"] * 0.9 and label_size > 40:
            label_size -= 4
            label_font = ImageFont.truetype(path, label_size, index=index)
        label_y = y0 + int(b["height"] * 0.7)
        canvas.text(((x0 + x1) // 2, label_y), label, font=label_font, fill=dark, anchor="mm")
        canvas.rectangle(((x0 + x1) // 2 - 60, label_y + label_size // 2 + 18,
                          (x0 + x1) // 2 + 60, label_y + label_size // 2 + 26), fill=accent)
        caption = area.get("caption")
        if isinstance(caption, str) and caption.strip():
            caption_font = ImageFont.truetype(path, int(size * 0.06), index=index)
            canvas.text(((x0 + x1) // 2, label_y + label_size // 2 + 90), caption, font=caption_font,
                        fill=ink, anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    if buffer.tell() <= MAX_IMAGE_BYTES:
        return buffer.getvalue(), "image/png"
    for quality in (90, 80, 70):
        buffer = io.BytesIO()
        image.save(buffer, format="JPEG", quality=quality, optimize=True)
        if buffer.tell() <= MAX_IMAGE_BYTES:
            return buffer.getvalue(), "image/jpeg"
    raise RefusedDefinition(["the drawn image stays larger than 1 MB"])


# ── the calls ─────────────────────────────────────────────────────────────────

class RichMenuClient:
    """The Messaging API's rich menu endpoints (plain HTTP, as channels/line.py)."""

    def __init__(self, access_token: str, api_endpoint: str = DEFAULT_API_ENDPOINT,
                 data_endpoint: str = DEFAULT_DATA_ENDPOINT):
        self.api = api_endpoint.rstrip("/")
        self.data = data_endpoint.rstrip("/")
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {access_token}"

    def _call(self, method: str, url: str, what: str, **kwargs) -> requests.Response:
        try:
            answer = self.session.request(method, url, timeout=TIMEOUT, **kwargs)
        except requests.RequestException as error:
            raise ApiError(f"{what}: {type(error).__name__}") from None
        if not 200 <= answer.status_code < 300:
            raise ApiError(f"{what}: LINE answered {answer.status_code} {answer.text[:300]}")
        return answer

    def default_menu(self) -> Optional[str]:
        try:
            answer = self.session.get(f"{self.api}/v2/bot/user/all/richmenu", timeout=TIMEOUT)
        except requests.RequestException as error:
            raise ApiError(f"reading the default rich menu: {type(error).__name__}") from None
        if answer.status_code == 404:
            return None
        if answer.status_code != 200:
            raise ApiError(f"reading the default rich menu: LINE answered {answer.status_code}")
        return answer.json().get("richMenuId")

    def create(self, menu: Dict[str, Any]) -> str:
        return self._call("POST", f"{self.api}/v2/bot/richmenu", "creating the rich menu", json=menu).json()["richMenuId"]

    def upload(self, menu_id: str, image: bytes, content_type: str) -> None:
        self._call("POST", f"{self.data}/v2/bot/richmenu/{menu_id}/content", "uploading the image", data=image,
                   headers={"Content-Type": content_type})

    def set_default(self, menu_id: str) -> None:
        self._call("POST", f"{self.api}/v2/bot/user/all/richmenu/{menu_id}", "setting the default rich menu")

    def delete(self, menu_id: str) -> None:
        self._call("DELETE", f"{self.api}/v2/bot/richmenu/{menu_id}", f"deleting rich menu {menu_id}")


def publish(definition: Dict[str, Any], image: bytes, content_type: str, client: RichMenuClient) -> str:
    """Create, upload, set as default, delete the menu replaced; the new menu's id."""
    menu = rich_menu_object(definition)
    previous = client.default_menu()
    menu_id = client.create(menu)
    try:
        client.upload(menu_id, image, content_type)
        client.set_default(menu_id)
    except ApiError:
        try:
            client.delete(menu_id)
        except ApiError:
            pass
        raise
    if previous and previous != menu_id:
        client.delete(previous)
    return menu_id


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="make line-richmenu", description=__doc__.split("\n\n")[0])
    parser.add_argument("--definition", type=Path, default=DEFINITION)
    parser.add_argument("--image-out", type=Path, default=README_COPY, help="where the picture's copy goes")
    parser.add_argument("--check", action="store_true", help="check and draw only; send nothing")
    args = parser.parse_args(argv)
    try:
        definition = checked(load(args.definition))
        image, content_type = draw(definition)
    except RefusedDefinition as refused:
        print(f"line-richmenu: {args.definition} would be refused by LINE:", file=sys.stderr)
        for problem in refused.problems:
            print(f"  - {problem}", file=sys.stderr)
        return 2
    except (OSError, yaml.YAMLError) as error:
        print(f"line-richmenu: cannot read {args.definition}: {error}", file=sys.stderr)
        return 2
    suffix = ".png" if content_type == "image/png" else ".jpg"
    out = args.image_out.with_suffix(suffix)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(image)
    size = definition["size"]
    print(f"line-richmenu: {len(definition['areas'])} areas, {size['width']}x{size['height']} "
          f"{content_type} of {len(image):,} bytes, picture in {out}")
    if args.check:
        return 0
    token = (os.environ.get("LINE_CHANNEL_ACCESS_TOKEN") or "").strip()
    if not token:
        print("line-richmenu: LINE_CHANNEL_ACCESS_TOKEN is not set; nothing sent", file=sys.stderr)
        return 2
    client = RichMenuClient(token, (os.environ.get("LINE_API_ENDPOINT") or "").strip() or DEFAULT_API_ENDPOINT,
                            (os.environ.get("LINE_API_DATA_ENDPOINT") or "").strip() or DEFAULT_DATA_ENDPOINT)
    try:
        menu_id = publish(definition, image, content_type, client)
    except ApiError as error:
        print(f"line-richmenu: {error}; the previous default menu is unchanged", file=sys.stderr)
        return 1
    print(f"line-richmenu: {menu_id} is the default rich menu")
    return 0


if __name__ == "__main__":
    sys.exit(main())
