"""Which payloads count as offered: a button's, and a LINE carousel bubble's 詳しく見る."""

from channels.payloads import is_allowed


def bot(buttons=(), cards=None):
    data = {"buttons": list(buttons)}
    if cards is not None:
        data["custom"] = {"cards": cards}
    return {"event": "bot", "text": "…", "data": data}


def test_a_carousel_bubbles_postback_is_offered_like_a_button():
    payload = '/choose_program{"program":"chusho-05"}'
    events = [bot(buttons=[{"title": "1", "payload": '/choose_program{"program":"chusho-01"}'}],
                  cards={"heading": "…", "items": [{"program": "x", "payload": payload}]})]
    assert is_allowed(payload, events)
    assert is_allowed('/choose_program{"program":"chusho-01"}', events)
    assert not is_allowed('/choose_program{"program":"chusho-07"}', events)
    assert not is_allowed(payload, [bot(cards={"items": "not a list of items"})])
