"""What the review shows of people: their words with phone numbers, e-mail addresses and
postal codes masked, and conversation ids (LINE user ids, socket.io sessions) hashed."""

from __future__ import annotations

import hashlib
import re
import unicodedata

# E-mail first (its digits are not a phone); then phone numbers written with or without
# hyphens (03-1234-5678, 045(210)5550, 09012345678, +81 90 1234 5678), then postal codes (〒231-0023, 231-0023).
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"(?:\+81[\s-]?)?\(?0?\d{1,4}\)?[\s-]?\(?\d{1,4}\)?[\s-]?\d{3,4}(?!\d)")
_POSTAL_MARKED = re.compile(r"〒\s*\d{3}-?\d{4}")
_POSTAL = re.compile(r"(?<![\d-])\d{3}-\d{4}(?![\d-])")
_DIGIT_DASH = re.compile(r"(?<=\d)\s*[ー−‐―–—]\s*(?=\d)")
MASKS = {"email": "［メール］", "phone": "［電話番号］", "postal": "［郵便番号］"}


def mask(text: str | None) -> str:
    """``text`` with e-mail addresses, postal codes and phone numbers replaced by marks
    (full-width digits and hyphens count as digits)."""
    if not text:
        return ""
    folded = _DIGIT_DASH.sub("-", unicodedata.normalize("NFKC", text))
    folded = _EMAIL.sub(MASKS["email"], folded)
    folded = _POSTAL_MARKED.sub(MASKS["postal"], folded)
    folded = _PHONE.sub(lambda m: MASKS["phone"] if sum(c.isdigit() for c in m.group()) >= 10 else m.group(), folded)
    return _POSTAL.sub(MASKS["postal"], folded)


def hashed(sender_id: str) -> str:
    """A conversation id as the review shows it (the first 12 hex digits of its SHA-256)."""
    return hashlib.sha256(sender_id.encode("utf-8")).hexdigest()[:12]
