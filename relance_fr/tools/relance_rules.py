"""Pure dunning rules: plain values in, plain values out (no env, no records).

Levels are ``(level_id, days)`` tuples, days counted from the due date (negative = before it).
Rate tables are lists of ``(date_from, rate_percent)``, sorted or not.
"""

import calendar
from datetime import date, timedelta

# The shipped scenarios (SPEC §4): one row per level, days per profile.
# (sequence, name, days {profile: days}, channel, template xml id, options)
DEFAULT_LEVELS = [
    (10, "Prévenance", {"standard": -8, "good": -8, "doubtful": -8}, "email", "mail_template_pre_due", {}),
    (20, "Premier rappel", {"standard": 8, "good": 10, "doubtful": 7}, "email", "mail_template_reminder", {}),
    (
        30,
        "Relance 1",
        {"standard": 15, "good": 20, "doubtful": 14},
        "email_letter",
        "mail_template_relance_1",
        {"apply_penalties": True},
    ),
    (
        40,
        "Relance 2",
        {"standard": 30, "good": 35, "doubtful": 21},
        "registered_letter_email",
        "mail_template_relance_2",
        {"apply_penalties": True, "notify_salesperson": True},
    ),
    (
        50,
        "Relance 3",
        {"standard": 45, "good": 50, "doubtful": 28},
        "registered_letter_email",
        "mail_template_relance_3",
        {"apply_penalties": True, "notify_salesperson": True, "suspend_partner": True},
    ),
    (
        60,
        "Mise en demeure",
        {"standard": 60, "good": 65, "doubtful": 35},
        "registered_letter",
        "mail_template_formal_notice",
        {"apply_penalties": True, "notify_salesperson": True, "needs_validation": True},
    ),
]
DEFAULT_POLICY_NAMES = {
    "good": "Bon payeur",
    "standard": "Standard",
    "doubtful": "Client douteux",
}
AGE_BUCKETS = [
    ("not_due", None, 0),
    ("1_30", 1, 30),
    ("31_60", 31, 60),
    ("61_90", 61, 90),
    ("over_90", 91, None),
]
FIXED_INDEMNITY = 40.0  # Code de commerce D441-5, per unpaid invoice


def days_late(due_date, on_date):
    """Days from the due date to ``on_date`` (negative before the due date)."""
    return (on_date - due_date).days


def due_level(levels, days_from_due, reached_days=None, skip_levels=False):
    """The level an invoice is due for on a day ``days_from_due`` from its due date, or None.

    Levels are climbed one at a time: the next level after the one reached (``reached_days``,
    the ``days`` of the highest level the invoice received, or None), once its day has come.
    With ``skip_levels``, the highest level whose day has come instead. A courtesy level
    (days <= 0) is never due for an invoice already overdue: an invoice found late with no
    history starts at the first dunning level.
    Returns a ``(level_id, days)`` tuple or None.
    """
    overdue = days_from_due > 0
    eligible = [
        lv
        for lv in levels
        if lv[1] <= days_from_due
        and (reached_days is None or lv[1] > reached_days)
        and (lv[1] > 0 or not overdue)
    ]
    if not eligible:
        return None
    pick = max if skip_levels else min
    return pick(eligible, key=lambda lv: lv[1])


def first_dunning_level(levels):
    """The first level after the due date (days > 0), or None when the scenario has none."""
    return min((lv for lv in levels if lv[1] > 0), key=lambda lv: lv[1], default=None)


def next_level(levels, reached_days=None):
    """The level that follows the reached one (the first one when none is reached), or None."""
    return min(
        (lv for lv in levels if reached_days is None or lv[1] > reached_days),
        key=lambda lv: lv[1],
        default=None,
    )


def next_date(levels, due_date, reached_days=None):
    """The date at which the next level becomes due, or None after the last level."""
    nxt = next_level(levels, reached_days)
    return None if nxt is None else due_date + timedelta(days=nxt[1])


def sum_by_currency(pairs):
    """``{currency: total}`` of ``(currency, amount)`` pairs, in the order currencies first come."""
    totals = {}
    for currency, amount in pairs:
        totals[currency] = totals.get(currency, 0.0) + amount
    return totals


def net_by_currency(due, credits):
    """What is asked in each currency of ``due``: its total less the credits in the same
    currency, never below zero (a credit in euros does not settle a debt in dollars)."""
    return {currency: max(amount - credits.get(currency, 0.0), 0.0) for currency, amount in due.items()}


def add_by_currency(*totals):
    """The sum of ``{currency: amount}`` dicts, currencies in the order they first come."""
    result = {}
    for total in totals:
        for currency, amount in total.items():
            result[currency] = result.get(currency, 0.0) + amount
    return result


def gap_respected(last_date, on_date, min_gap_days):
    """True when no reminder was sent, or the last one is at least ``min_gap_days`` old."""
    return last_date is None or (on_date - last_date).days >= min_gap_days


def age_bucket(days):
    """Age bucket key for ``days`` late (0 or less = not due)."""
    for key, low, high in AGE_BUCKETS:
        if (low is None or days >= low) and (high is None or days <= high):
            return key
    return AGE_BUCKETS[-1][0]


# ----------------------------------------------------------------------
# Analysis: payment habits, DSO, bank reconciliation
# ----------------------------------------------------------------------
# A customer who pays before the first reminder (day 8 of the standard scenario) on average is
# a good payer; one who waits beyond Relance 2 (day 30) is doubtful.
GOOD_PAYER_MAX_DAYS = 7
DOUBTFUL_PAYER_ABOVE_DAYS = 30
BANK_RECONCILIATION_MAX_DAYS = 7


def average_days_late(pairs):
    """Average days late of paid invoices: ``pairs`` are ``(due_date, payment_date)``; a payment
    on or before the due date counts as 0 days late. None without any pair."""
    pairs = [(due, paid) for due, paid in pairs if due and paid]
    if not pairs:
        return None
    return sum(max(days_late(due, paid), 0) for due, paid in pairs) / len(pairs)


def suggested_profile(avg_days_late, good_max=GOOD_PAYER_MAX_DAYS, doubtful_above=DOUBTFUL_PAYER_ABOVE_DAYS):
    """Payer profile (``good``, ``standard``, ``doubtful``) suggested by the average days late,
    or None without history."""
    if avg_days_late is None:
        return None
    if avg_days_late <= good_max:
        return "good"
    if avg_days_late > doubtful_above:
        return "doubtful"
    return "standard"


def dso(receivable, sales, days=365):
    """Days sales outstanding: ``receivable`` / ``sales`` of the last ``days`` x ``days``;
    None without sales."""
    if not sales or sales <= 0:
        return None
    return max(receivable, 0.0) / sales * days


def bank_behind(oldest_unreconciled, last_transaction, today, max_days=BANK_RECONCILIATION_MAX_DAYS):
    """Why a bank journal may hide a customer payment, or None: ``"unreconciled"`` when a
    transaction more than ``max_days`` old is still unreconciled, ``"not_fed"`` when the last
    transaction is more than ``max_days`` old (statements not imported since), ``"never_fed"``
    when the journal never had a transaction (payments arrive there unseen)."""
    if last_transaction is None:
        return "never_fed"
    if oldest_unreconciled and (today - oldest_unreconciled).days > max_days:
        return "unreconciled"
    if last_transaction and (today - last_transaction).days > max_days:
        return "not_fed"
    return None


def half_year_start(day):
    """First day of the half-year of ``day`` (1 January or 1 July)."""
    return date(day.year, 1 if day.month <= 6 else 7, 1)


def rate_on(table, day):
    """Rate of the half-year of ``day`` in a table of ``(date_from, rate)``, or None when the
    table has no row for that half-year (the caller must say so, not guess)."""
    start = half_year_start(day)
    for date_from, rate in table:
        if half_year_start(date_from) == start:
            return rate
    return None


def penalty_rate(day, ecb_table, legal_table, stipulated_rate=0.0, points=10.0):
    """B2B late-payment rate (percent) for the half-year of ``day``.

    With a stipulated rate, it applies but never below 3 × the legal rate ("other cases");
    without one, the ECB main refinancing rate + ``points`` (10; 8 for public buyers).
    Returns None when a needed table row is missing.
    """
    if stipulated_rate:
        legal = rate_on(legal_table, day)
        return None if legal is None else max(stipulated_rate, 3 * legal)
    ecb = rate_on(ecb_table, day)
    return None if ecb is None else ecb + points


def interest_periods(due_date, until):
    """Split the days late, from the day after ``due_date`` to ``until`` included, by half-year.

    Returns ``[(start, end, days)]``; empty when nothing is late.
    """
    periods = []
    start = due_date + timedelta(days=1)
    while start <= until:
        hy_end = date(start.year, 6, 30) if start.month <= 6 else date(start.year, 12, 31)
        end = min(hy_end, until)
        periods.append((start, end, (end - start).days + 1))
        start = end + timedelta(days=1)
    return periods


def fixed_indemnity(is_professional, unpaid_invoices):
    """40 € per unpaid invoice for a professional debtor, nothing for a consumer."""
    return FIXED_INDEMNITY * unpaid_invoices if is_professional else 0.0


def effective_channel(level_channel, partner_channel, has_email, has_phone=True):
    """Channel actually used: the customer's preference, when it has one (empty: the level's
    channel), replaces email/letter on ordinary levels (registered letters and phone calls
    stay); a call nobody can take (no phone number) is the level's own channel when the call
    was the customer's preference, the scenario's email when the level itself is a call; and no
    email falls back to a letter.

    Returns ``(channel, fallback)`` where ``fallback`` is True when email was impossible.
    """
    channel = level_channel
    if level_channel in ("email", "letter", "email_letter") and partner_channel:
        channel = partner_channel
    if channel == "phone" and not has_phone:
        channel = "email" if level_channel == "phone" else level_channel
    if has_email:
        return channel, False
    fallback = {
        "email": "letter",
        "email_letter": "letter",
        "registered_letter_email": "registered_letter",
    }
    return fallback.get(channel, channel), channel in fallback


# ----------------------------------------------------------------------
# Event messages and the monthly statement
# ----------------------------------------------------------------------
def age_totals(items):
    """Amounts summed per age bucket: ``items`` are ``(days_late, amount)`` pairs.
    Returns ``{bucket key: total}`` with every bucket, in the order of ``AGE_BUCKETS``."""
    totals = {key: 0.0 for key, _low, _high in AGE_BUCKETS}
    for days, amount in items:
        totals[age_bucket(days)] += amount
    return totals


def credit_ratio(balance, limit):
    """Share of the credit limit used, in percent; None when there is no limit."""
    if not limit or limit <= 0:
        return None
    return balance / limit * 100.0


def crossed(was_above, value, threshold):
    """Once-per-crossing rule for a watched value: ``(send, above)``.

    ``was_above`` is the stored flag (a message already went out for the current crossing).
    A message is due when ``value`` reaches ``threshold`` while no crossing is pending; the
    flag stays up, without any new message, until the value goes back under the threshold.
    Without a threshold (None or not positive) or a value, nothing is watched.
    """
    if value is None or threshold is None or threshold <= 0:
        return False, False
    above = value >= threshold
    return above and not was_above, above


def payment_event(before, after, rounding=0.01):
    """What a reconciliation did to an invoice's remaining amount: ``"paid"`` when nothing is
    left, ``"partial"`` when something was paid and something is left, None otherwise."""
    half = rounding / 2.0
    if before <= half or after >= before - half:
        return None
    return "paid" if after <= half else "partial"


def thanks_due(mode, reminded):
    """Whether a payment is thanked: ``mode`` is ``always``, ``reminded`` (only invoices that
    were reminded) or ``never``."""
    return mode == "always" or (mode in (None, False, "reminded") and reminded)


def statement_run_date(year, month, day):
    """The statement day of a month, moved to the last day of a shorter month."""
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(max(day or 1, 1), last))


def statement_due(today, day, last_run=None):
    """Whether the monthly statement run is due on ``today``: its day of this month has come
    and the run has not been completed since (a missed day is caught up later in the month)."""
    run = statement_run_date(today.year, today.month, day)
    return today >= run and (last_run is None or last_run < run)


def format_amount(amount, decimals, symbol, symbol_before, thousands_sep, decimal_point):
    """An amount already rounded to its currency, written as Odoo's ``format_amount`` writes
    it for a language grouping digits by three: ``1 234,56 €`` with no-break spaces, and a
    minus sign kept with the digits."""
    integer, _dot, fraction = f"{amount:,.{decimals}f}".partition(".")
    text = integer.replace(",", thousands_sep) + (decimal_point + fraction if fraction else "")
    text = text.replace(" ", "\N{NO-BREAK SPACE}").replace("-", "-\N{ZERO WIDTH NO-BREAK SPACE}")
    if symbol_before:
        return f"{symbol}\N{NO-BREAK SPACE}{text}"
    return f"{text}\N{NO-BREAK SPACE}{symbol}"
