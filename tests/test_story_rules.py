"""The account's story as a pure rule (SPEC §4, *The account escalates as one*)."""

import pytest

from odoo.addons.relance_fr.tools import relance_story as story

STANDARD = [(1, -8), (2, 8), (3, 15), (4, 30), (5, 45), (6, 60)]


def step(invoices, skip=False):
    result = story.account_step(STANDARD, invoices, skip)
    return result and (result["level"], result["about"], result["recent"], result["marks"])


def test_stage_is_the_highest_level_received():
    assert story.stage([("a", 40, 30), ("b", 3, None), ("c", 20, 15)]) == 30
    assert story.stage([("a", -3, None)]) is None
    assert story.stage([]) is None


@pytest.mark.parametrize(
    ("invoices", "expected"),
    [
        ([], None),
        ([("a", -9, None)], None),  # too early for the courtesy notice
        ([("a", -8, None)], ((1, -8), ["a"], [], {"a": (1, -8)})),
        ([("a", -3, -8)], None),  # already had it
        ([("a", -3, -8), ("b", -5, None)], ((1, -8), ["b"], [], {"b": (1, -8)})),
        ([("a", 3, None)], None),  # overdue, too early for a reminder: never a courtesy notice
        ([("a", 8, None)], ((2, 8), ["a"], [], {"a": (2, 8)})),
        ([("a", 95, None)], ((2, 8), ["a"], [], {"a": (2, 8)})),  # first seen late: first reminder
        ([("a", 95, -8)], ((2, 8), ["a"], [], {"a": (2, 8)})),
        ([("a", 20, 8)], ((3, 15), ["a"], [], {"a": (3, 15)})),
        ([("a", 20, 15)], None),  # the next level's day has not come
        ([("a", 400, 60)], None),  # after the formal notice: nothing more
    ],
)
def test_one_invoice(invoices, expected):
    assert step(invoices) == expected


def test_invoice_falling_due_joins_the_account_without_a_lower_message():
    # the account is at Relance 2 for "a"; "b" fell due 9 days ago: Relance 3 when "a" reaches
    # day 45, "b" listed apart as recently due, at its own first reminder
    assert step([("a", 44, 30), ("b", 9, None)]) is None
    assert step([("a", 45, 30), ("b", 10, None)]) == (
        (5, 45),
        ["a"],
        ["b"],
        {"a": (5, 45), "b": (2, 8)},
    )


def test_recently_due_invoice_climbs_its_own_ladder_below_the_message():
    result = story.account_step(STANDARD, [("a", 60, 45), ("b", 20, 8), ("c", 2, None)])
    assert result["level"] == (6, 60)
    assert result["about"] == ["a", "b"]  # "b" carries the story (reminded before)
    assert result["recent"] == ["c"]
    assert result["marks"] == {"a": (6, 60), "b": (6, 60), "c": None}  # 2 days late: nothing yet


def test_a_courtesy_notice_never_goes_to_an_overdue_account():
    # "a" is overdue at Premier rappel, "b" is 8 days before its due date: nothing today
    assert step([("a", 10, 8), ("b", -8, None)]) is None


def test_the_stage_drops_when_its_invoices_are_paid():
    # "a" (Relance 3) was paid; "b" had only its first reminder: the account goes on from it
    assert step([("b", 20, 8)]) == ((3, 15), ["b"], [], {"b": (3, 15)})


def test_skip_levels_sends_the_level_due():
    assert step([("a", 35, None)], skip=True) == ((4, 30), ["a"], [], {"a": (4, 30)})
    assert step([("a", 35, 30)], skip=True) is None
    assert step([("a", 50, 15), ("b", 20, None)], skip=True) == (
        (5, 45),
        ["a"],
        ["b"],
        {"a": (5, 45), "b": (3, 15)},
    )


def test_oldest_invoice_decides_when():
    # two invoices never reminded, 10 and 3 days late: the first reminder, about the oldest
    assert step([("a", 10, None), ("b", 3, None)]) == ((2, 8), ["a"], ["b"], {"a": (2, 8), "b": None})


def test_paid_since():
    assert story.paid_since(["a", "b"], ["b", "c"]) == ["a"]
    assert story.paid_since([], ["b"]) == []
