"""Pure rules of promises to pay: plain values in, plain values out (no env, no records)."""

from datetime import timedelta


def promise_deadline(promised_on, declared_paid, created_on, grace_days):
    """Last day the payment may arrive for the promise to be kept: the promised date plus the
    grace days. A payment declared as already made is looked for from the day it was declared
    (the customer's date may be older than the money's way to the bank)."""
    start = max(promised_on, created_on) if declared_paid else promised_on
    return start + timedelta(days=max(grace_days or 0, 0))


def promise_outcome(deadline, today, paid_on):
    """``'kept'``, ``'broken'`` or ``None`` (still open) for a promise whose payment is due by
    ``deadline``; ``paid_on`` is the day its invoices were all paid, ``None`` while they are
    not. Broken the day after the deadline; a payment after it does not keep it."""
    if paid_on is not None and paid_on <= deadline:
        return "kept"
    if today > deadline:
        return "broken"
    return None


def promise_date_problem(promised_on, today, declared_paid, max_days, may_exceed):
    """Why a promised date is refused (``'past'``, ``'future_paid'``, ``'too_far'``), or ``None``.
    A promise is for today or later; a payment declared as made is on a day already passed (or
    today); beyond ``max_days`` from today only someone who ``may_exceed`` can accept it."""
    if declared_paid:
        return "future_paid" if promised_on > today else None
    if promised_on < today:
        return "past"
    if max_days and not may_exceed and promised_on > today + timedelta(days=max_days):
        return "too_far"
    return None


def broken_to_recall(broken, last_received_on, reminder_on):
    """The broken promises a reminder recalls: ``broken`` is ``[(promised_on, broken_on,
    key)]``; those broken since the last reminder the customer received (all when none) and
    at the latest on the reminder's day, oldest promise first. Returns their keys."""
    return [
        key
        for promised_on, broken_on, key in sorted(broken, key=lambda b: (b[0], b[1]))
        if broken_on <= reminder_on and (last_received_on is None or broken_on > last_received_on)
    ]
