"""Random but valid data through the daily run: it never crashes, and every reminder ends in
a state a credit controller can act on, with a message when it failed."""

from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from odoo.tests import freeze_time, tagged

from .common import RelanceCase

invoices = st.lists(
    st.tuples(
        st.integers(min_value=-20, max_value=200),  # days from due date to the run
        st.decimals(min_value="0.01", max_value="99999.99", places=2),  # amount
        st.sampled_from(["none", "partial", "full", "refund"]),  # what happened since
        st.booleans(),  # foreign currency
    ),
    min_size=1,
    max_size=4,
)
customers = st.lists(
    st.tuples(
        st.booleans(),  # email
        st.booleans(),  # address
        st.booleans(),  # company (professional) or consumer
        st.sampled_from(["good", "standard", "doubtful"]),
        st.sampled_from([False, "email", "letter", "email_letter", "phone"]),
        invoices,
    ),
    min_size=1,
    max_size=3,
)


@tagged("post_install", "-at_install")
class TestRobustness(RelanceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.usd = cls.setup_other_currency("USD", rates=[("2020-01-01", 1.1)])

    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
    @given(data=customers, run_day=st.dates(min_value=date(2025, 12, 1), max_value=date(2026, 9, 30)))
    def test_run_never_crashes(self, data, run_day):
        with self.env.cr.savepoint(flush=False) as savepoint:
            partners = good = self.env["res.partner"]
            for i, (email, address, is_company, profile, channel, lines) in enumerate(data):
                partner = self.customer(
                    f"Client {i}",
                    profile=profile,
                    email=f"c{i}@example.com" if email else False,
                    street="1 rue Neuve" if address else False,
                    is_company=is_company,
                    vat="FR23334175221" if is_company else False,
                    relance_channel=channel,
                )
                partners |= partner
                if email and address and channel in (False, "email", "email_letter"):
                    good |= partner  # reachable by the channel it asked for: it must be reminded
                for days, amount, event, foreign in lines:
                    due = run_day - timedelta(days=days)
                    move = self.invoice(
                        partner,
                        float(amount),
                        due,
                        invoice_date=due - timedelta(days=30),
                        post=False,
                        move_type="out_refund" if event == "refund" else "out_invoice",
                    )
                    if foreign:
                        move.currency_id = self.usd
                    with freeze_time(move.invoice_date):
                        move.action_post()
                    if event in ("partial", "full") and move.amount_residual > 0.02:
                        paid = move.amount_residual / 2 if event == "partial" else move.amount_residual
                        self.pay(move, round(paid, 2), day=move.invoice_date)
            reminders = self.run_on(run_day)
            for reminder in reminders.filtered(lambda r: r.partner_id in partners):
                self.assertIn(reminder.state, ("to_send", "to_print", "to_call", "to_validate", "error"))
                if reminder.state == "error":
                    # only the bad input errs: a customer the run cannot reach
                    self.assertNotIn(reminder.partner_id, good, reminder.error_message)
                    self.assertTrue(reminder.error_message)
                else:
                    self.assertTrue(reminder.invoice_ids)
                    self.assertGreater(reminder.amount_due, 0)
            # a reachable customer owing at least a euro, without credit notes, with an invoice
            # 30 days late, is reminded
            owing = good.filtered(
                lambda p: all(m.move_type == "out_invoice" for m in p.invoice_ids)
                and sum(p.invoice_ids.mapped("amount_residual_signed")) >= 1
                and any(
                    m.amount_residual > 0 and (run_day - m.invoice_date_due).days >= 30 for m in p.invoice_ids
                )
            )
            sent = reminders.filtered(lambda r: r.partner_id in owing and r.state != "error")
            self.assertEqual(sent.partner_id, owing)
            savepoint.rollback()
