"""Pure rules of payment plans: the split to the cent, the dates, payments counted oldest
instalment first, late and broken instalments, notices."""

from datetime import date

import pytest

from odoo.addons.relance_fr.tools import relance_legal as legal
from odoo.addons.relance_fr.tools import relance_plan as rules

D = date.fromisoformat


@pytest.mark.parametrize(
    ("total", "count", "rounding", "expected"),
    [
        (1000.0, 3, 0.01, [333.33, 333.33, 333.34]),
        (900.0, 3, 0.01, [300.0, 300.0, 300.0]),
        (100.0, 1, 0.01, [100.0]),
        (0.05, 3, 0.01, [0.01, 0.01, 0.03]),
        (1234.57, 4, 0.01, [308.64, 308.64, 308.64, 308.65]),
        (1000.0, 3, 1.0, [333.0, 333.0, 334.0]),  # a currency without cents
        (10.0, 3, 0.05, [3.30, 3.30, 3.40]),  # rounded to 5 cents
        (1000.0, 7, 0.01, [142.85] * 6 + [142.9]),
    ],
)
def test_split_amounts(total, count, rounding, expected):
    amounts = rules.split_amounts(total, count, rounding)
    assert amounts == expected
    assert round(sum(amounts), 2) == round(total, 2)


@pytest.mark.parametrize("count", [0, -1])
def test_split_amounts_needs_a_count(count):
    with pytest.raises(ValueError, match="positive"):
        rules.split_amounts(100.0, count)


@pytest.mark.parametrize(
    ("first", "count", "frequency", "expected"),
    [
        ("2026-03-20", 3, "monthly", ["2026-03-20", "2026-04-20", "2026-05-20"]),
        # the day of month is kept, clamped to the month's end, and comes back after it
        ("2026-01-31", 4, "monthly", ["2026-01-31", "2026-02-28", "2026-03-31", "2026-04-30"]),
        ("2028-01-30", 2, "monthly", ["2028-01-30", "2028-02-29"]),  # leap year
        ("2026-11-15", 3, "monthly", ["2026-11-15", "2026-12-15", "2027-01-15"]),  # over the year
        ("2026-03-20", 3, "weekly", ["2026-03-20", "2026-03-27", "2026-04-03"]),
        ("2026-12-28", 2, "weekly", ["2026-12-28", "2027-01-04"]),
        ("2026-03-20", 1, "monthly", ["2026-03-20"]),
    ],
)
def test_installment_dates(first, count, frequency, expected):
    assert rules.installment_dates(D(first), count, frequency) == [D(d) for d in expected]


def test_installment_dates_bad_input():
    with pytest.raises(ValueError):
        rules.installment_dates(D("2026-03-20"), 0, "monthly")
    with pytest.raises(ValueError):
        rules.installment_dates(D("2026-03-20"), 2, "yearly")


@pytest.mark.parametrize(
    ("paid", "expected"),
    [
        (0.0, [0.0, 0.0, 0.0]),
        (-50.0, [0.0, 0.0, 0.0]),  # a reversed payment does not count against the plan
        (100.0, [100.0, 0.0, 0.0]),
        (300.0, [300.0, 0.0, 0.0]),
        (450.0, [300.0, 150.0, 0.0]),
        (900.0, [300.0, 300.0, 300.0]),
        (1200.0, [300.0, 300.0, 300.0]),  # beyond the plan: left out
        (299.996, [300.0, 0.0, 0.0]),  # within half a cent: paid
    ],
)
def test_allocate_payments_oldest_first(paid, expected):
    assert rules.allocate_payments([300.0, 300.0, 300.0], paid) == pytest.approx(expected, abs=0.01)


@pytest.mark.parametrize(
    ("paid", "due", "expected"),
    [
        (300.0, "2026-03-20", "paid"),
        (0.0, "2026-03-25", "open"),
        (0.0, "2026-03-20", "open"),  # due today: not late yet
        (0.0, "2026-03-19", "late"),
        (150.0, "2026-03-19", "late"),  # partly paid is still late
        (299.999, "2026-03-19", "paid"),
    ],
)
def test_line_state(paid, due, expected):
    assert rules.line_state(300.0, paid, D(due), D("2026-03-20")) == expected


def test_plan_broken_after_the_break_days():
    # moved to tools/relance_legal: a consumer's plan also needs a notice of 15 days
    lines = [(D("2026-04-20"), "late", None)]
    assert not legal.plan_broken(lines, D("2026-05-05"), 15)  # 15 days late: still within
    assert legal.plan_broken(lines, D("2026-05-06"), 15)  # 16 days
    assert legal.plan_broken(lines, D("2026-04-21"), 0)
    assert not legal.plan_broken(lines, D("2026-04-20"), 0)
    assert not legal.plan_broken([(D("2026-03-01"), "paid", None)], D("2026-06-01"), 15)
    assert legal.plan_break_date(D("2026-04-20"), 15) == D("2026-05-05")
    assert legal.plan_break_date(D("2026-04-20"), None) == D("2026-04-20")


def test_notices_due_once_within_the_notice_days():
    lines = [
        ("a", D("2026-03-20"), "open", False),
        ("b", D("2026-04-20"), "open", False),
        ("c", D("2026-03-18"), "paid", False),
        ("d", D("2026-03-19"), "open", True),
    ]
    assert rules.notices_due(lines, D("2026-03-14"), 5) == []
    assert rules.notices_due(lines, D("2026-03-15"), 5) == ["a"]
    assert rules.notices_due(lines, D("2026-03-20"), 5) == ["a"]  # the day itself, if missed
    assert rules.notices_due(lines, D("2026-03-21"), 5) == []  # too late for a notice
    assert rules.notices_due(lines, D("2026-03-20"), 0) == ["a"]
    assert rules.notices_due(lines, D("2026-04-15"), 5) == ["b"]
    # agreed 3 days before the first instalment: the schedule just sent gives its date
    assert rules.notices_due(lines, D("2026-03-17"), 5, agreed_on=D("2026-03-17")) == []
    assert rules.notices_due(lines, D("2026-04-15"), 5, agreed_on=D("2026-03-17")) == ["b"]
    assert rules.notices_due(lines, D("2026-03-15"), 5, agreed_on=D("2026-03-14")) == ["a"]


def test_lates_to_remind_once():
    assert rules.lates_to_remind([("a", "late", False), ("b", "late", True), ("c", "open", False)]) == ["a"]


@pytest.mark.parametrize(
    ("amounts", "dates", "expected"),
    [
        ([300.0, 300.0, 300.0], ["2026-03-20", "2026-04-20", "2026-05-20"], None),
        ([], [], "empty"),
        ([300.0, 0.0, 600.0], ["2026-03-20", "2026-04-20", "2026-05-20"], "not_positive"),
        ([300.0, -100.0, 700.0], ["2026-03-20", "2026-04-20", "2026-05-20"], "not_positive"),
        ([300.0, 300.0, 299.0], ["2026-03-20", "2026-04-20", "2026-05-20"], "sum"),
        ([300.0, 300.0, 300.0], ["2026-03-09", "2026-04-20", "2026-05-20"], "past"),
        ([300.0, 300.0, 300.0], ["2026-03-10", "2026-04-20", "2026-05-20"], None),  # today
    ],
)
def test_schedule_problem(amounts, dates, expected):
    assert rules.schedule_problem(amounts, [D(d) for d in dates], 900.0, D("2026-03-10")) == expected


def test_ordinal():
    assert [rules.ordinal(n) for n in (1, 2, 3, 10)] == ["1re", "2e", "3e", "10e"]
