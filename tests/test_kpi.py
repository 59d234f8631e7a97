"""The figures beside the DSO: best possible DSO, collection effectiveness index (CEI),
promises kept, open promises and disputes by reason and age."""

import pytest

from odoo.addons.relance_fr.models.relance_analysis_dashboard import DISPUTE_AGES
from odoo.addons.relance_fr.tools import relance_kpi as kpi
from odoo.tests import freeze_time, tagged
from odoo.tools import format_amount

from .common import RelanceCase


def test_best_possible_dso():
    assert kpi.best_possible_dso(2000.0, 14600.0) == pytest.approx(50.0)
    assert kpi.best_possible_dso(0.0, 1000.0) == 0.0
    assert kpi.best_possible_dso(100.0, 0.0) is None


@pytest.mark.parametrize(
    ("start", "sales", "end", "end_not_due", "expected"),
    [
        (5000.0, 15000.0, 6000.0, 2000.0, 14000 / 18000 * 100),
        (0.0, 1000.0, 0.0, 0.0, 100.0),  # everything collected
        (0.0, 1000.0, 1000.0, 0.0, 0.0),  # nothing collected
        (0.0, 1000.0, 1000.0, 1000.0, None),  # nothing was due yet: nothing to collect
        (0.0, 0.0, 0.0, 0.0, None),
        (100.0, 0.0, 200.0, 0.0, 0.0),  # more owed than ever invoiced (bad data): not negative
    ],
)
def test_collection_effectiveness(start, sales, end, end_not_due, expected):
    result = kpi.collection_effectiveness(start, sales, end, end_not_due)
    assert result == (None if expected is None else pytest.approx(expected))


def test_kept_rate():
    assert kpi.kept_rate(3, 1) == 75.0
    assert kpi.kept_rate(0, 2) == 0.0
    assert kpi.kept_rate(0, 0) is None


def test_ages_by_reason():
    items = [("price", 0), ("quality", 30), ("price", 31), ("price", 90), ("price", 91), ("quality", 400)]
    assert kpi.ages_by_reason(items, DISPUTE_AGES) == {
        "price": {"0_30": 1, "31_60": 1, "61_90": 1, "over_90": 1},
        "quality": {"0_30": 1, "31_60": 0, "61_90": 0, "over_90": 1},
    }
    assert kpi.ages_by_reason([], DISPUTE_AGES) == {}


@tagged("post_install", "-at_install")
class TestDashboardFigures(RelanceCase):
    def test_a_year_of_collection(self):
        partner = self.customer("Menuiserie Leroy SARL")
        old = self.invoice(partner, 5000.0, "2025-03-31", invoice_date="2025-03-01")  # before the 12 months
        self.pay(old, day="2025-09-01")
        kept = self.invoice(partner, 9000.0, "2026-03-31", invoice_date="2026-03-01")
        late = self.invoice(partner, 1000.0, "2026-03-31", invoice_date="2026-03-01")
        broken = self.invoice(partner, 3000.0, "2026-05-31", invoice_date="2026-05-01")
        not_due = self.invoice(partner, 2000.0, "2026-07-15", invoice_date="2026-06-15")
        Promise = self.env["relance.promise"].with_user(self.specialist)
        with freeze_time("2026-03-25"):
            Promise.create({"partner_id": partner.id, "invoice_ids": kept.ids, "date": "2026-03-31"})
        self.pay(kept, day="2026-03-31")
        with freeze_time("2026-06-01"):
            Promise.create({"partner_id": partner.id, "invoice_ids": broken.ids, "date": "2026-06-05"})
        self.run_on("2026-06-10")  # the daily check: the first kept, the second broken
        with freeze_time("2026-06-28"):
            Promise.create({"partner_id": partner.id, "invoice_ids": not_due.ids, "date": "2026-07-10"})
        Dispute = self.env["relance.dispute"].with_user(self.specialist)
        for day, invoice, reason in [
            ("2026-04-15", late, "price"),
            ("2026-06-16", not_due, "price"),
            ("2026-06-20", broken, "quality"),
        ]:
            with freeze_time(day):
                Dispute.create({"invoice_id": invoice.id, "reason": reason})

        with freeze_time("2026-07-01"):
            data = self.env["relance.analysis"].with_user(self.specialist).retrieve_dashboard()
        # receivable 6000 (1000 + 3000 overdue, 2000 not due) over sales 15000 of the 12 months
        self.assertEqual(data["dso"], round(6000 / 15000 * 365))  # 146
        self.assertEqual(data["best_dso"], round(2000 / 15000 * 365))  # 49: if all paid on time
        # collected: 5000 owed a year ago + 15000 sold - 6000 owed now, out of 18000 collectible
        self.assertEqual(data["cei"], round(14000 / 18000 * 100))  # 78
        self.assertEqual(data["promises_kept"], 50)
        self.assertEqual((data["promises_open"], data["disputes_open"]), (1, 3))
        self.assertEqual(
            data["promises_open_amount"], format_amount(self.env, 2000.0, self.company.currency_id)
        )
        self.assertEqual(
            data["disputes"],
            [
                {"reason": "Quality not as ordered", "ages": [1, 0, 0, 0]},
                {"reason": "Price not as agreed", "ages": [1, 0, 1, 0]},
            ],
        )

    def test_what_payment_plans_still_have_to_bring_in(self):
        partner = self.customer("Menuiserie Leroy SARL")
        inv = self.invoice(partner, 900.0, "2026-03-01")
        with freeze_time("2026-03-10"):
            plan = (
                self.env["relance.plan"]
                .with_user(self.specialist)
                .create(
                    {
                        "partner_id": partner.id,
                        "invoice_ids": inv.ids,
                        "installment_count": 3,
                        "frequency": "monthly",
                        "first_date": "2026-03-20",
                    }
                )
            )
            plan.action_confirm()
        self.pay(inv, amount=300.0, day="2026-03-20")
        self.run_on("2026-03-21")  # the daily check counts the payment towards the instalments
        with freeze_time("2026-03-21"):
            data = self.env["relance.analysis"].with_user(self.specialist).retrieve_dashboard()
        self.assertEqual(data["plans_active"], 1)
        self.assertEqual(data["under_plan"], format_amount(self.env, 600.0, self.company.currency_id))
