"""Pure dunning rules: plain values in, plain values out (no env, no records).

Levels are ``(level_id, days)`` tuples, days counted from the due date (negative = before it).
Rate tables are lists of ``(date_from, rate_percent)``, sorted or not.
"""

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


def due_level(levels, days_from_due, reached_days=None):
    """The highest level whose day has come and that is above the one already reached.

    ``reached_days`` is the ``days`` of the level the invoice already reached, or None.
    Returns a ``(level_id, days)`` tuple or None.
    """
    best = max((lv for lv in levels if lv[1] <= days_from_due), key=lambda lv: lv[1], default=None)
    if best is None or (reached_days is not None and best[1] <= reached_days):
        return None
    return best


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


def gap_respected(last_date, on_date, min_gap_days):
    """True when no reminder was sent, or the last one is at least ``min_gap_days`` old."""
    return last_date is None or (on_date - last_date).days >= min_gap_days


def age_bucket(days):
    """Age bucket key for ``days`` late (0 or less = not due)."""
    for key, low, high in AGE_BUCKETS:
        if (low is None or days >= low) and (high is None or days <= high):
            return key
    return AGE_BUCKETS[-1][0]


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


def late_interest(remaining, due_date, until, rate_for_day):
    """Simple interest ``remaining × rate × days / 365`` split by half-year.

    ``rate_for_day(day)`` gives the yearly rate in percent (or None when unknown).
    Returns ``(interest, [(start, end, days, rate)], missing_starts)`` where ``missing_starts``
    lists the half-years without a rate (their days bear no interest here).
    """
    total, details, missing = 0.0, [], []
    for start, end, days in interest_periods(due_date, until):
        rate = rate_for_day(start)
        if rate is None:
            missing.append(half_year_start(start))
            continue
        total += remaining * rate / 100.0 * days / 365.0
        details.append((start, end, days, rate))
    return round(total, 2), details, missing


def fixed_indemnity(is_professional, unpaid_invoices):
    """40 € per unpaid invoice for a professional debtor, nothing for a consumer."""
    return FIXED_INDEMNITY * unpaid_invoices if is_professional else 0.0


def effective_channel(level_channel, partner_channel, has_email):
    """Channel actually used: the customer's preference replaces email/letter on ordinary
    levels (registered letters and phone calls stay), and no email falls back to a letter.

    Returns ``(channel, fallback)`` where ``fallback`` is True when email was impossible.
    """
    channel = level_channel
    if level_channel in ("email", "letter", "email_letter") and partner_channel:
        channel = partner_channel
    if has_email:
        return channel, False
    fallback = {
        "email": "letter",
        "email_letter": "letter",
        "registered_letter_email": "registered_letter",
    }
    return fallback.get(channel, channel), channel in fallback
