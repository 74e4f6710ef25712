"""The rich menu as data (channels/line_richmenu.yml, channels/line_richmenu.py): checked
as LINE checks it, drawn at exactly its size, and set through the Messaging API stand-in
by the command `make line-richmenu` runs."""

import contextlib
import copy
import io
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image

from channels.line_richmenu import DEFINITION, checked, draw, font_file, load, main, problems, rich_menu_object

from .conftest import ACCESS_TOKEN
from .stand_in import rich_menu_problems

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "line"


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str


def run_command(stand_in_url, *args, token=ACCESS_TOKEN, definition=None, image_out=None, in_process=True):
    """``python -m channels.line_richmenu`` (what `make line-richmenu` runs) against the
    stand-in: in this process (its ``main``), or as the command itself."""
    env = dict(LINE_API_ENDPOINT=stand_in_url, LINE_API_DATA_ENDPOINT=stand_in_url, LINE_CHANNEL_ACCESS_TOKEN=token)
    arguments = list(args)
    if definition is not None:
        arguments += ["--definition", str(definition)]
    if image_out is not None:
        arguments += ["--image-out", str(image_out)]
    if not in_process:
        command = [sys.executable, "-m", "channels.line_richmenu", *arguments]
        done = subprocess.run(command, cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT), **env),
                              capture_output=True, text=True, timeout=180)
        return Result(done.returncode, done.stdout, done.stderr)
    saved = {key: os.environ.get(key) for key in env}
    out, err = io.StringIO(), io.StringIO()
    os.environ.update(env)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(arguments)
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return Result(code, out.getvalue(), err.getvalue())


def rich_menu_requests(api, since):
    return [r for r in api.requests()[since:] if "/richmenu" in r.path]


@pytest.fixture(scope="module")
def definition():
    return load()


def test_the_makefile_target_runs_this_command():
    dry = subprocess.run(["make", "-n", "line-richmenu"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert "-m channels.line_richmenu" in dry.stdout


def test_the_definition_is_one_line_accepts(definition):
    assert problems(definition) == []
    menu = rich_menu_object(definition)
    assert rich_menu_problems(menu) == []
    assert (menu["size"]["width"], menu["size"]["height"]) in {(2500, 1686), (2500, 843)}
    assert 1 <= len(menu["chatBarText"]) <= 14 and 1 <= len(menu["areas"]) <= 20
    labels = [a["action"]["label"] for a in menu["areas"]]
    assert {"補助金を探す", "金額を計算する", "問い合わせ先", "新しい事業", "使い方"} <= set(labels)
    # the areas tile the menu without overlapping
    covered = sum(a["bounds"]["width"] * a["bounds"]["height"] for a in menu["areas"])
    assert covered == menu["size"]["width"] * menu["size"]["height"]


@pytest.mark.parametrize("break_it, reason", [
    (lambda d: d.update(chat_bar_text="メニューを開いて使い方をご覧ください"), "chat_bar_text must be 1-14"),
    (lambda d: d.update(size={"width": 2500, "height": 1000}), "size must be 2500x1686 or 2500x843"),
    (lambda d: d.update(areas=d["areas"] * 4), "areas must be a list of 1-20 areas, not 24"),
    (lambda d: d["areas"][0]["bounds"].update(x=2000), "lie outside the 2500x1686 menu"),
    (lambda d: d["areas"][1]["action"].update(type="uri"), "action type must be message or postback"),
    (lambda d: d["areas"][2]["action"].update(text=""), "a message action needs a text"),
    (lambda d: d["areas"][5]["action"].pop("display_text"), "needs a display_text"),
    (lambda d: d.update(areas=[]), "areas must be a list of 1-20 areas, not 0"),
])
def test_a_definition_line_would_reject_is_refused_before_anything_is_sent(api, definition, tmp_path,
                                                                           break_it, reason):
    import yaml

    broken = copy.deepcopy(definition)
    break_it(broken)
    assert any(reason in p for p in problems(broken)), problems(broken)
    path = tmp_path / "broken.yml"
    path.write_text(yaml.safe_dump(broken, allow_unicode=True), encoding="utf-8")
    since = len(api.requests())
    result = run_command(api.url, definition=path, image_out=tmp_path / "menu.png")
    assert result.returncode == 2
    assert "would be refused by LINE" in result.stderr and reason in result.stderr
    assert rich_menu_requests(api, since) == []
    assert not (tmp_path / "menu.png").exists()


def test_the_image_has_exactly_the_menus_size_and_fits_in_a_megabyte(definition):
    image, content_type = draw(definition)
    assert content_type in ("image/png", "image/jpeg") and len(image) <= 1024 * 1024
    picture = Image.open(io.BytesIO(image))
    assert picture.size == (definition["size"]["width"], definition["size"]["height"])
    assert picture.format == {"image/png": "PNG", "image/jpeg": "JPEG"}[content_type]
    # the labels are drawn: each area holds the page's blue and dark text, not a blank tile
    for area in definition["areas"]:
        b = area["bounds"]
        tile = picture.convert("RGB").crop((b["x"], b["y"], b["x"] + b["width"], b["y"] + b["height"]))
        assert len(tile.getcolors(maxcolors=1 << 20)) > 50
    path, _index = font_file()
    assert "NotoSansCJK" in path
    # the picture tests and the README show
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "richmenu.png").write_bytes(image)
    readme_copy = Image.open(ROOT / "docs" / "line" / "richmenu.png")
    assert readme_copy.size == picture.size


def test_make_line_richmenu_creates_uploads_sets_default_and_deletes_the_old_one(api, definition, tmp_path):
    since = len(api.requests())
    first = run_command(api.url, image_out=tmp_path / "menu.png", in_process=False)   # the command itself
    assert first.returncode == 0, first.stderr
    calls = rich_menu_requests(api, since)
    assert [(r.method, r.path.rsplit("/", 1)[0] if "content" not in r.path else "content") for r in calls] == [
        ("GET", "/v2/bot/user/all"), ("POST", "/v2/bot"), ("POST", "content"), ("POST", "/v2/bot/user/all/richmenu")]
    _default, create, upload, set_default = calls
    assert all(r.status == 200 and not r.problems for r in calls[1:])
    assert create.body == rich_menu_object(definition)
    menu_id = api.default_rich_menu
    assert upload.path == f"/v2/bot/richmenu/{menu_id}/content" and set_default.path.endswith(menu_id)
    assert upload.headers["Content-Type"] in ("image/png", "image/jpeg") and len(upload.raw) <= 1024 * 1024
    assert Image.open(io.BytesIO(upload.raw)).size == (2500, 1686)
    assert upload.headers["Authorization"] == f"Bearer {ACCESS_TOKEN}"

    # run again: the new menu replaces the old, which is deleted
    since = len(api.requests())
    second = run_command(api.url, image_out=tmp_path / "menu.png")
    assert second.returncode == 0, second.stderr
    calls = rich_menu_requests(api, since)
    assert [r.method for r in calls] == ["GET", "POST", "POST", "POST", "DELETE"]
    assert calls[-1].path == f"/v2/bot/richmenu/{menu_id}" and calls[-1].status == 200
    assert api.default_rich_menu != menu_id and menu_id not in api.rich_menus
    assert list(api.rich_menus) == [api.default_rich_menu]


def test_a_failing_upload_leaves_the_old_default_and_no_half_made_menu(api, tmp_path):
    run_command(api.url, image_out=tmp_path / "menu.png")
    old = api.default_rich_menu
    before = set(api.rich_menus)
    api.fail_rich_menu_uploads = True
    try:
        since = len(api.requests())
        result = run_command(api.url, image_out=tmp_path / "menu.png")
    finally:
        api.fail_rich_menu_uploads = False
    assert result.returncode == 1 and "uploading the image: LINE answered 400" in result.stderr
    assert "previous default menu is unchanged" in result.stderr
    assert [r.method for r in rich_menu_requests(api, since)] == ["GET", "POST", "POST", "DELETE"]
    assert api.default_rich_menu == old and set(api.rich_menus) == before
    # a wrong token: every call is refused (401); nothing changes
    result = run_command(api.url, token="wrong-token", image_out=tmp_path / "menu.png")
    assert result.returncode == 1 and "answered 401" in result.stderr
    assert api.default_rich_menu == old and set(api.rich_menus) == before


def test_without_a_token_nothing_is_sent(api, tmp_path):
    since = len(api.requests())
    result = run_command(api.url, token="", image_out=tmp_path / "menu.png")
    assert result.returncode == 2 and "LINE_CHANNEL_ACCESS_TOKEN" in result.stderr
    assert rich_menu_requests(api, since) == []


def test_the_readme_shows_the_menus_picture():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "docs/line/richmenu.png" in readme and "make line-richmenu" in readme
    assert shutil.which("fc-match") is None or font_file()[0].endswith((".ttc", ".otf", ".ttf"))
    assert checked(load(DEFINITION))
