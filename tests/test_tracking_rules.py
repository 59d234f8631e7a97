"""La Poste tracking numbers of registered letters, without a database."""

import pytest

from odoo.addons.relance_fr.tools import relance_tracking as tracking


@pytest.mark.parametrize(
    ("serial", "digit"),
    [
        ("12345678", 5),  # weighted sum 204, 204 % 11 = 6: 11 - 6
        ("00000001", 4),  # 7 % 11 = 7: 11 - 7
        ("10000000", 3),  # 8 % 11 = 8: 11 - 8
        ("31415926", 8),
        ("00000008", 0),  # 56 % 11 = 1: 11 - 1 = 10, written 0
        ("00000000", 5),  # 0 % 11 = 0: 11, written 5
        ("99999999", 5),  # 396 = 36 x 11: 11, written 5
    ],
)
def test_s10_check_digit(serial, digit):
    assert tracking.s10_check_digit(serial) == digit


@pytest.mark.parametrize("serial", ["1234567", "123456789", "1234567A", ""])
def test_s10_check_digit_needs_eight_digits(serial):
    with pytest.raises(ValueError):
        tracking.s10_check_digit(serial)


@pytest.mark.parametrize(
    ("typed", "stored", "kind"),
    [
        ("1A 001 234 5678 9", "1A00123456789", tracking.DOMESTIC),
        ("1a00123456789", "1A00123456789", tracking.DOMESTIC),
        (" 2C 123 456 7890 1 ", "2C12345678901", tracking.DOMESTIC),
        ("1K\u00a0001\u00a0234\u00a05678\u00a09", "1K00123456789", tracking.DOMESTIC),
        ("RR 123 456 785 FR", "RR123456785FR", tracking.INTERNATIONAL),
        ("rr123456785fr", "RR123456785FR", tracking.INTERNATIONAL),
        ("RA 000 000 080 FR", "RA000000080FR", tracking.INTERNATIONAL),
        ("RR 999 999 995 DE", "RR999999995DE", tracking.INTERNATIONAL),
        ("LA 000 000 005 BE", "LA000000005BE", tracking.INTERNATIONAL),
    ],
)
def test_valid_numbers_are_normalised(typed, stored, kind):
    assert tracking.check(typed) == (stored, kind, None)


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("", tracking.EMPTY),
        (None, tracking.EMPTY),
        ("   ", tracking.EMPTY),
        ("abc", tracking.BAD_SHAPE),
        ("1A 001 234 5678", tracking.BAD_SHAPE),  # 11 characters
        ("1A 001 234 5678 90", tracking.BAD_SHAPE),  # 14 characters
        ("AA 001 234 5678 9", tracking.BAD_SHAPE),  # a domestic number starts with a digit
        ("11 001 234 5678 9", tracking.BAD_SHAPE),  # ... then a letter
        ("1A 001 234 567A 9", tracking.BAD_SHAPE),
        ("1A-001-234-5678-9", tracking.BAD_SHAPE),  # only spaces are ignored
        ("RR 123 456 78 FR", tracking.BAD_SHAPE),
        ("RR 123 456 785 F1", tracking.BAD_SHAPE),
        ("R1 123 456 785 FR", tracking.BAD_SHAPE),
        ("RR 123 456 784 FR", tracking.BAD_CHECK_DIGIT),
        ("RR 123 456 786 FR", tracking.BAD_CHECK_DIGIT),
        ("RR 999 999 990 FR", tracking.BAD_CHECK_DIGIT),
    ],
)
def test_invalid_numbers_are_refused_with_their_reason(typed, reason):
    _number, kind, why = tracking.check(typed)
    assert (kind, why) == (None, reason)


def test_every_wrong_check_digit_of_a_serial_is_refused():
    good = tracking.s10_check_digit("31415926")
    for digit in range(10):
        _number, kind, why = tracking.check("RR31415926%dFR" % digit)
        assert (kind, why) == (
            (tracking.INTERNATIONAL, None) if digit == good else (None, tracking.BAD_CHECK_DIGIT)
        )


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("1A00123456789", "1A 001 234 5678 9"),
        ("RR123456785FR", "RR 123 456 785 FR"),
        ("rr 123456785 fr", "RR 123 456 785 FR"),
        ("something else", "something else"),
        (False, ""),
    ],
)
def test_display_groups_as_on_the_receipt(stored, shown):
    assert tracking.display(stored) == shown
