"""The pure dunning rules, without a database."""

from datetime import date

import pytest

from odoo.addons.relance_fr.tools import relance_legal as legal
from odoo.addons.relance_fr.tools import relance_rules as rules

STANDARD = [(1, -8), (2, 8), (3, 15), (4, 30), (5, 45), (6, 60)]
ECB = [
    (date(2024, 1, 1), 4.50),
    (date(2024, 7, 1), 4.25),
    (date(2025, 1, 1), 3.15),
    (date(2025, 7, 1), 2.15),
    (date(2026, 1, 1), 2.15),
    (date(2026, 7, 1), 2.40),
]
LEGAL = [(date(2024, 1, 1), 5.07), (date(2026, 1, 1), 2.62)]


@pytest.mark.parametrize(
    ("days", "reached", "expected"),
    [
        (-9, None, None),
        (-8, None, (1, -8)),
        (0, None, (1, -8)),
        (1, None, None),  # overdue: no courtesy notice, too early for a reminder
        (8, None, (2, 8)),
        (8, -8, (2, 8)),
        (8, 8, None),
        (35, None, (2, 8)),  # first seen late: the first reminder, not the level due
        (35, -8, (2, 8)),
        (35, 8, (3, 15)),  # one level at a time
        (35, 15, (4, 30)),
        (35, 30, None),
        (95, None, (2, 8)),  # a company starting with the module: never a formal notice first
        (400, 45, (6, 60)),
        (400, 60, None),
    ],
)
def test_due_level_one_at_a_time(days, reached, expected):
    assert rules.due_level(STANDARD, days, reached) == expected


@pytest.mark.parametrize(
    ("days", "reached", "expected"),
    [
        (-8, None, (1, -8)),
        (1, None, None),
        (35, None, (4, 30)),  # the level due, straight away
        (35, 8, (4, 30)),
        (35, 30, None),
        (95, None, (6, 60)),
    ],
)
def test_due_level_skipping_levels(days, reached, expected):
    assert rules.due_level(STANDARD, days, reached, skip_levels=True) == expected


def test_first_dunning_level():
    assert rules.first_dunning_level(STANDARD) == (2, 8)
    assert rules.first_dunning_level([(1, -8), (2, 0)]) is None
    assert rules.first_dunning_level([]) is None


def test_next_level_and_date():
    assert rules.next_level(STANDARD) == (1, -8)
    assert rules.next_level(STANDARD, 15) == (4, 30)
    assert rules.next_level(STANDARD, 60) is None
    assert rules.next_date(STANDARD, date(2026, 3, 31), 15) == date(2026, 4, 30)
    assert rules.next_date(STANDARD, date(2026, 3, 31)) == date(2026, 3, 23)
    assert rules.next_date(STANDARD, date(2026, 3, 31), 60) is None


def test_gap():
    assert rules.gap_respected(None, date(2026, 4, 1), 7)
    assert not rules.gap_respected(date(2026, 4, 1), date(2026, 4, 7), 7)
    assert rules.gap_respected(date(2026, 4, 1), date(2026, 4, 8), 7)
    assert rules.gap_respected(date(2026, 4, 1), date(2026, 4, 1), 0)


@pytest.mark.parametrize(
    ("days", "bucket"),
    [
        (-5, "not_due"),
        (0, "not_due"),
        (1, "1_30"),
        (30, "1_30"),
        (31, "31_60"),
        (60, "31_60"),
        (61, "61_90"),
        (90, "61_90"),
        (91, "over_90"),
        (1000, "over_90"),
    ],
)
def test_age_bucket(days, bucket):
    assert rules.age_bucket(days) == bucket


def test_penalty_rate_default_is_ecb_plus_ten_by_half_year():
    assert rules.penalty_rate(date(2024, 3, 1), ECB, LEGAL) == pytest.approx(14.50)
    assert rules.penalty_rate(date(2025, 12, 31), ECB, LEGAL) == pytest.approx(12.15)
    assert rules.penalty_rate(date(2026, 7, 1), ECB, LEGAL) == pytest.approx(12.40)
    assert rules.penalty_rate(date(2023, 5, 1), ECB, LEGAL) is None


def test_stipulated_rate_never_below_three_times_legal():
    # H1 2024: 3 × 5.07 = 15.21 > 10
    assert rules.penalty_rate(date(2024, 2, 1), ECB, LEGAL, stipulated_rate=10.0) == pytest.approx(15.21)
    assert rules.penalty_rate(date(2026, 2, 1), ECB, LEGAL, stipulated_rate=10.0) == pytest.approx(10.0)
    assert rules.penalty_rate(date(2025, 2, 1), ECB, LEGAL, stipulated_rate=10.0) is None


def test_public_buyer_rate_is_ecb_plus_eight():
    assert rules.penalty_rate(date(2026, 2, 1), ECB, LEGAL, points=8.0) == pytest.approx(10.15)


def test_interest_periods_split_by_half_year():
    assert rules.interest_periods(date(2026, 6, 20), date(2026, 7, 10)) == [
        (date(2026, 6, 21), date(2026, 6, 30), 10),
        (date(2026, 7, 1), date(2026, 7, 10), 10),
    ]
    assert rules.interest_periods(date(2026, 3, 31), date(2026, 3, 31)) == []


def test_late_interest():
    # the computation moved to tools/relance_legal (on the balance actually outstanding)
    def rate(day):
        return rules.penalty_rate(day, ECB, LEGAL)

    # 1 000 € × 12.15 % × 15 / 365
    interest, details, missing = legal.interest_on_balances(
        1000.0, [], date(2026, 3, 31), date(2026, 4, 15), rate
    )
    assert interest == pytest.approx(4.99)
    assert details == [(date(2026, 4, 1), date(2026, 4, 15), 15, pytest.approx(12.15), 1000.0)]
    assert missing == []
    # across half-years: 10 days at 12.15 % + 10 days at 12.40 %
    interest, details, _ = legal.interest_on_balances(10000.0, [], date(2026, 6, 20), date(2026, 7, 10), rate)
    assert interest == pytest.approx(round(10000 * 0.1215 * 10 / 365 + 10000 * 0.124 * 10 / 365, 2))
    assert len(details) == 2
    # a half-year without rate is reported, not guessed
    interest, _, missing = legal.interest_on_balances(1000.0, [], date(2023, 12, 20), date(2024, 1, 10), rate)
    assert missing == [date(2023, 7, 1)]
    assert interest == pytest.approx(round(1000 * 0.145 * 10 / 365, 2))


def test_fixed_indemnity():
    assert rules.fixed_indemnity(True, 3) == 120.0
    assert rules.fixed_indemnity(False, 3) == 0.0


@pytest.mark.parametrize(
    ("level", "partner", "has_email", "expected"),
    [
        ("email", "email", True, ("email", False)),
        ("email", "phone", True, ("phone", False)),
        ("email_letter", "letter", True, ("letter", False)),
        ("registered_letter_email", "phone", True, ("registered_letter_email", False)),
        ("email", "email", False, ("letter", True)),
        ("email_letter", "email", False, ("letter", True)),
        ("registered_letter_email", "email", False, ("registered_letter", True)),
        ("registered_letter", "email", False, ("registered_letter", False)),
        ("phone", "email", False, ("phone", False)),
        # no preference (the default): the level's channel
        ("email_letter", False, True, ("email_letter", False)),
        ("email", False, True, ("email", False)),
        ("email", False, False, ("letter", True)),
        ("registered_letter_email", False, True, ("registered_letter_email", False)),
        ("phone", False, True, ("phone", False)),
    ],
)
def test_effective_channel(level, partner, has_email, expected):
    assert rules.effective_channel(level, partner, has_email) == expected


NBSP, NNBSP, ZWNBSP = "\N{NO-BREAK SPACE}", "\N{NARROW NO-BREAK SPACE}", "\N{ZERO WIDTH NO-BREAK SPACE}"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((1234.56, 2, "€", False, NNBSP, ","), f"1{NNBSP}234,56{NBSP}€"),
        ((0.0, 2, "€", False, NNBSP, ","), f"0,00{NBSP}€"),
        ((1234567.0, 2, "€", False, NNBSP, ","), f"1{NNBSP}234{NNBSP}567,00{NBSP}€"),
        ((-40.0, 2, "€", False, NNBSP, ","), f"-{ZWNBSP}40,00{NBSP}€"),
        ((1500.0, 0, "¥", True, " ", ","), f"¥{NBSP}1{NBSP}500"),
        ((99.5, 2, "$", True, ",", "."), f"${NBSP}99.50"),
    ],
)
def test_format_amount(args, expected):
    assert rules.format_amount(*args) == expected
