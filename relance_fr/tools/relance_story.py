"""The account's story (SPEC §4, *The account escalates as one*): plain values in and out.

Levels are ``(level_id, days)`` tuples, days counted from the due date (negative = before it).
An invoice is ``(key, days_late, reached_days)``: ``days_late`` negative before its due date,
``reached_days`` the ``days`` of the last level it received (None: never reminded).
"""

from . import relance_rules


def stage(invoices):
    """The account's stage: the highest level received by its open invoices (``days``), or None."""
    return max((inv[2] for inv in invoices if inv[2] is not None), default=None)


def account_step(levels, invoices, skip_levels=False):
    """The account's next message today, or None.

    Returns ``{"level": (level_id, days), "about": [keys], "recent": [keys],
    "marks": {key: level or None}, "stage": days or None}``:

    - with overdue invoices, the level after the account's stage, one at a time (with
      ``skip_levels``, the highest whose day has come), once the oldest overdue invoice has
      reached that level's day; a courtesy level is never sent for an overdue account. The
      message is about the invoices that carry the story (reminded before) or have reached the
      level's day; the others, fallen due meanwhile, are listed in their own part ("recently
      due") and climb their own ladder (``marks``), never above the message's level;
    - without any overdue invoice, the courtesy notice due for the invoices not yet due that
      never had it.
    """
    current = stage(invoices)
    overdue = [inv for inv in invoices if inv[1] > 0]
    if not overdue:
        due = {
            inv[0]: lv
            for inv in invoices
            for lv in [relance_rules.due_level(levels, inv[1], inv[2], skip_levels)]
            if lv and lv[1] <= 0
        }
        if not due:
            return None
        level = min(due.values(), key=lambda lv: lv[1])
        about = [key for key, lv in due.items() if lv == level]
        marks = dict.fromkeys(about, level)
        return {"level": level, "about": about, "recent": [], "marks": marks, "stage": current}
    dunning = [lv for lv in levels if lv[1] > 0]
    oldest = max(inv[1] for inv in overdue)
    reached = current if current is not None and current > 0 else None
    eligible = [lv for lv in dunning if lv[1] <= oldest and (reached is None or lv[1] > reached)]
    if not eligible:
        return None
    level = max(eligible, key=lambda lv: lv[1]) if skip_levels else min(eligible, key=lambda lv: lv[1])
    about, recent, marks = [], [], {}
    for key, days_late, reached_days in sorted(overdue, key=lambda inv: -inv[1]):
        if (reached_days is not None and reached_days > 0) or days_late >= level[1]:
            about.append(key)
            marks[key] = level
            continue
        recent.append(key)
        own = relance_rules.due_level(dunning, days_late, reached_days, skip_levels)
        marks[key] = own if own and own[1] < level[1] else None
    return {"level": level, "about": about, "recent": recent, "marks": marks, "stage": current}


def paid_since(last_listed, still_open):
    """Keys of the invoices the last message received listed that are no longer open: the next
    message thanks for them before asking for the rest."""
    return [key for key in last_listed if key not in set(still_open)]
