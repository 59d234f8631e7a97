"""Tracking numbers of registered letters (La Poste): plain strings in, plain values out.

Two formats are accepted, spaces ignored and letters in any case:

- **domestic** (La Poste's own 13-character numbers, printed ``1A 001 234 5678 9`` on the
  receipt of a *lettre recommandée*): a digit and a letter (the product), then 11 digits.
  La Poste publishes no check-digit rule for these numbers, so only their shape is checked.
- **international** (UPU standard S10, ``RR 123 456 785 FR``): two letters (the service), an
  8-digit serial, its check digit and the ISO country code of the post office of origin. The
  check digit is worked out with the weights 8 6 4 2 3 5 9 7: 11 minus the weighted sum modulo 11,
  where 10 gives 0 and 11 gives 5.

A number is stored normalised: capitals, without spaces (``RR123456785FR``).
"""

import re

DOMESTIC = "domestic"
INTERNATIONAL = "international"

S10_WEIGHTS = (8, 6, 4, 2, 3, 5, 9, 7)
_DOMESTIC_RE = re.compile(r"[0-9][A-Z][0-9]{11}")
_S10_RE = re.compile(r"([A-Z]{2})([0-9]{8})([0-9])([A-Z]{2})")
_SPACES_RE = re.compile(r"\s+")

# why a number is refused (the caller words the message)
EMPTY = "empty"
BAD_SHAPE = "bad_shape"
BAD_CHECK_DIGIT = "bad_check_digit"


def normalize(number):
    """``' rr 123 456 785 fr '`` -> ``'RR123456785FR'``: capitals, every space removed
    (no-break spaces included)."""
    return _SPACES_RE.sub("", number or "").upper()


def s10_check_digit(serial):
    """The UPU S10 check digit of an 8-digit serial: ``'12345678'`` -> ``5``."""
    if len(serial) != len(S10_WEIGHTS) or not serial.isdigit():
        raise ValueError("an S10 serial has 8 digits: %r" % serial)
    check = 11 - sum(int(d) * w for d, w in zip(serial, S10_WEIGHTS, strict=True)) % 11
    return {10: 0, 11: 5}.get(check, check)


def check(number):
    """``(normalised number, kind, None)`` for a valid number, where kind is ``DOMESTIC`` or
    ``INTERNATIONAL``; ``(normalised number, None, reason)`` otherwise, reason being ``EMPTY``,
    ``BAD_SHAPE`` or ``BAD_CHECK_DIGIT``."""
    value = normalize(number)
    if not value:
        return value, None, EMPTY
    if _DOMESTIC_RE.fullmatch(value):
        return value, DOMESTIC, None
    s10 = _S10_RE.fullmatch(value)
    if not s10:
        return value, None, BAD_SHAPE
    if s10_check_digit(s10.group(2)) != int(s10.group(3)):
        return value, None, BAD_CHECK_DIGIT
    return value, INTERNATIONAL, None


def display(number):
    """A stored number grouped as on La Poste's receipt: ``1A 001 234 5678 9`` or
    ``RR 123 456 785 FR``; anything else as it is."""
    value = normalize(number)
    if _DOMESTIC_RE.fullmatch(value):
        return " ".join([value[:2], value[2:5], value[5:8], value[8:12], value[12:]])
    if _S10_RE.fullmatch(value):
        return " ".join([value[:2], value[2:5], value[5:8], value[8:11], value[11:]])
    return number or ""
