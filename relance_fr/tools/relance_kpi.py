"""The credit controller's figures beside the DSO: plain values in, plain values out."""

from .relance_rules import dso


def best_possible_dso(receivable_not_due, sales, days=365):
    """Best possible DSO: the days of sales the receivable would stand for if every customer
    paid on its due date (receivable not yet due / sales of ``days`` x ``days``); None
    without sales. The gap to the DSO is what late payers cost."""
    return dso(receivable_not_due, sales, days)


def collection_effectiveness(receivable_start, sales, receivable_end, receivable_end_not_due):
    """Collection effectiveness index (CEI), in percent, over a period: what was collected out
    of what could be collected,
    (receivable at start + sales - receivable at end) / (receivable at start + sales -
    receivable not yet due at end) x 100, between 0 and 100; None when nothing was to collect."""
    collectible = receivable_start + sales - receivable_end_not_due
    if collectible <= 0:
        return None
    collected = receivable_start + sales - receivable_end
    return min(max(collected / collectible * 100.0, 0.0), 100.0)


def kept_rate(kept, broken):
    """Promises kept, in percent of the promises settled (kept or broken); None when none."""
    settled = kept + broken
    return None if not settled else kept / settled * 100.0


def ages_by_reason(items, buckets):
    """Open disputes by reason and age: ``items`` are ``(reason, days open)``, ``buckets``
    ``[(key, low, high)]`` (None = open-ended). Returns ``{reason: {bucket key: count}}`` with
    every bucket, reasons in the order first met."""
    table = {}
    for reason, days in items:
        row = table.setdefault(reason, {key: 0 for key, _low, _high in buckets})
        for key, low, high in buckets:
            if (low is None or days >= low) and (high is None or days <= high):
                row[key] += 1
                break
    return table
