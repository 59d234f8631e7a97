"""Pure rules of payment plans (échéanciers): plain values in, plain values out (no env, no records)."""

import calendar
from datetime import timedelta


def split_amounts(total, count, rounding=0.01):
    """``count`` instalments of ``total``, split evenly in steps of the currency's ``rounding``,
    the last one adjusted so that they add up to the cent: 1000 in 3 gives 333.33, 333.33,
    333.34."""
    if count <= 0:
        raise ValueError("count must be positive")
    units = round(total / rounding)
    base = int(units / count)  # towards zero, so that a negative total splits the same way
    amounts = [base] * (count - 1) + [units - base * (count - 1)]
    digits = max(0, -int(f"{rounding:e}".split("e")[1]))
    return [round(unit * rounding, digits) for unit in amounts]


def add_months(day, months, day_of_month=None):
    """``day`` moved by ``months`` months, on ``day_of_month`` (default: its own day) clamped to
    the month's last day: 31 January + 1 month is 28 (or 29) February, + 2 is 31 March."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return day.replace(year=year, month=month, day=min(day_of_month or day.day, last))


def installment_dates(first, count, frequency):
    """The ``count`` dates of a plan starting on ``first``, ``weekly`` or ``monthly`` (monthly
    dates keep the first date's day of month, clamped to the month's end)."""
    if count <= 0:
        raise ValueError("count must be positive")
    if frequency == "weekly":
        return [first + timedelta(weeks=i) for i in range(count)]
    if frequency == "monthly":
        return [add_months(first, i, first.day) for i in range(count)]
    raise ValueError(f"unknown frequency {frequency!r}")


def allocate_payments(amounts, paid, rounding=0.01):
    """What ``paid`` covers of each instalment (``amounts``, in date order), oldest first; a
    payment beyond the plan's total is left out (the plan is paid)."""
    left = max(paid, 0.0)
    result = []
    for amount in amounts:
        part = min(amount, left)
        if amount - part < rounding / 2:
            part = amount
        result.append(part)
        left = max(left - part, 0.0)
    return result


def line_state(amount, paid, due_on, today, rounding=0.01):
    """``'paid'`` when the instalment is covered, ``'late'`` from the day after its date while
    it is not, ``'open'`` before."""
    if amount - paid < rounding / 2:
        return "paid"
    return "late" if due_on < today else "open"


def notices_due(lines, today, notice_days, agreed_on=None):
    """Instalments whose notice goes today: not paid, due within ``notice_days`` days (today
    included) and not yet noticed, leaving out those that were already that close when the plan was
    agreed on ``agreed_on`` (the schedule the customer just received gives their date).
    ``lines``: ``[(key, date, state, noticed)]``; returns keys."""
    days = max(notice_days or 0, 0)
    return [
        key
        for key, due_on, state, noticed in lines
        if not noticed
        and state == "open"
        and 0 <= (due_on - today).days <= days
        and not (agreed_on and (due_on - agreed_on).days <= days)
    ]


def lates_to_remind(lines):
    """Late instalments whose reminder has not gone yet: ``[(key, state, reminded)]`` -> keys."""
    return [key for key, state, reminded in lines if state == "late" and not reminded]


def schedule_problem(amounts, dates, total, today, rounding=0.01):
    """Why a schedule cannot be confirmed (``'empty'``, ``'not_positive'``, ``'sum'``, ``'past'``),
    or ``None``: instalments all positive, adding up to ``total``, none dated before ``today``."""
    if not amounts:
        return "empty"
    if any(amount < rounding / 2 for amount in amounts):
        return "not_positive"
    if abs(sum(amounts) - total) >= rounding / 2:
        return "sum"
    if any(not day or day < today for day in dates):
        return "past"
    return None


def ordinal(number):
    """French ordinal of an instalment: 1re, 2e, 3e..."""
    return "1re" if number == 1 else f"{number}e"
