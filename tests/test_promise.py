"""Promises to pay: the run leaves the promised invoices alone, and only them; a promise kept
when paid by its date plus the grace days, broken the day after, then recalled by the next
reminder (email and letter)."""

from datetime import date

import pytest

from odoo.addons.relance_fr.tools import relance_promise as rules
from odoo.exceptions import UserError
from odoo.tests import freeze_time, new_test_user, tagged

from .common import RelanceCase, fr, text

D = date.fromisoformat


# ----------------------------------------------------------------------
# The pure rules
# ----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("promised", "declared", "created", "grace", "expected"),
    [
        ("2026-03-20", False, "2026-03-10", 3, "2026-03-23"),
        ("2026-03-20", False, "2026-03-10", 0, "2026-03-20"),
        ("2026-03-20", False, "2026-03-10", None, "2026-03-20"),
        ("2026-03-20", False, "2026-03-10", -2, "2026-03-20"),
        # a payment declared as made: looked for from the day it was declared
        ("2026-03-05", True, "2026-03-10", 3, "2026-03-13"),
        ("2026-03-10", True, "2026-03-10", 3, "2026-03-13"),
    ],
)
def test_promise_deadline(promised, declared, created, grace, expected):
    assert rules.promise_deadline(D(promised), declared, D(created), grace) == D(expected)


@pytest.mark.parametrize(
    ("today", "paid_on", "expected"),
    [
        ("2026-03-15", None, None),
        ("2026-03-23", None, None),  # the last day of grace: still open
        ("2026-03-24", None, "broken"),  # the day after
        ("2026-03-15", "2026-03-15", "kept"),
        ("2026-03-24", "2026-03-23", "kept"),  # paid in time, checked the day after
        ("2026-03-30", "2026-03-24", "broken"),  # paid too late: not kept (the dunning stops anyway)
    ],
)
def test_promise_outcome(today, paid_on, expected):
    assert rules.promise_outcome(D("2026-03-23"), D(today), paid_on and D(paid_on)) == expected


@pytest.mark.parametrize(
    ("promised", "declared", "max_days", "may_exceed", "expected"),
    [
        ("2026-03-10", False, 30, False, None),  # today
        ("2026-03-09", False, 30, False, "past"),
        ("2026-04-09", False, 30, False, None),  # 30 days: the limit itself
        ("2026-04-10", False, 30, False, "too_far"),
        ("2026-04-10", False, 30, True, None),  # a manager may
        ("2026-09-10", False, 0, False, None),  # no limit set
        ("2026-03-01", True, 30, False, None),  # paid on a past day
        ("2026-03-10", True, 30, False, None),
        ("2026-03-11", True, 30, False, "future_paid"),
    ],
)
def test_promise_date_problem(promised, declared, max_days, may_exceed, expected):
    assert (
        rules.promise_date_problem(D(promised), D("2026-03-10"), declared, max_days, may_exceed) == expected
    )


def test_broken_to_recall():
    broken = [
        (D("2026-03-20"), D("2026-03-24"), "b"),
        (D("2026-02-10"), D("2026-02-14"), "a"),
        (D("2026-04-01"), D("2026-04-05"), "c"),
    ]
    assert rules.broken_to_recall(broken, None, D("2026-04-10")) == ["a", "b", "c"]
    assert rules.broken_to_recall(broken, D("2026-03-01"), D("2026-04-10")) == ["b", "c"]
    assert rules.broken_to_recall(broken, D("2026-03-01"), D("2026-04-01")) == ["b"]  # c breaks later
    assert rules.broken_to_recall(broken, D("2026-03-24"), D("2026-04-10")) == ["c"]  # b already recalled
    assert rules.broken_to_recall([], None, D("2026-04-10")) == []


# ----------------------------------------------------------------------
# Scenarios
# ----------------------------------------------------------------------
@tagged("post_install", "-at_install")
class PromiseCase(RelanceCase):
    def promise(self, partner, day, invoices=None, user=None, **vals):
        with freeze_time(day):
            Promise = self.env["relance.promise"].with_user(user or self.specialist)
            return Promise.create(
                {
                    "partner_id": partner.id,
                    "invoice_ids": [(6, 0, invoices.ids)] if invoices else [],
                    **vals,
                }
            )

    def notes(self, record):
        return " ".join(text(m.body) for m in record.message_ids if m.message_type == "notification")

    def letter(self, reminder):
        html = self.env["ir.actions.report"]._render_qweb_html(
            "relance_fr.action_report_relance_letter", reminder.ids
        )[0]
        return fr(text(html.decode()))


@tagged("post_install", "-at_install")
class TestPromise(PromiseCase):
    def test_a_promise_pauses_its_invoice_not_the_others_then_broken_and_recalled(self):
        # one ladder per invoice: the promised invoice resumes its own the day after
        self.policies["standard"].escalation = "invoice"
        partner = self.customer("Menuiserie Leroy SARL")
        promised = self.invoice(partner, 1000.0, "2026-03-01")
        other = self.invoice(partner, 500.0, "2026-03-01")
        first = self.run_on("2026-03-09")
        self.send_mails()
        self.assertEqual(first.invoice_ids, promised | other)
        # the customer calls: it pays the first invoice on the 20th
        promise = self.promise(partner, "2026-03-10", promised, date="2026-03-20", source="phone")
        self.assertEqual(promise.invoice_ids, promised)
        self.assertAlmostEqual(promise.amount, 1000.0)
        self.assertEqual(str(promise.date_deadline), "2026-03-23")  # 3 grace days
        self.assertIn("promises to pay", self.notes(partner))
        # a week later the other invoice climbs alone; the promised one is not even listed
        second = self.run_on("2026-03-16")
        self.send_mails()
        self.assertEqual((second.level_id.name, second.invoice_ids), ("Relance 1", other))
        self.assertNotIn(promised.name, text(self.emails(second).body))
        self.assertEqual(promised.relance_level_id.name, "Premier rappel")
        self.assertFalse(self.run_on("2026-03-23"))  # last day of grace
        self.assertEqual(promise.state, "open")
        # the day after: broken, the AR specialist is told, dunning resumes
        third = self.run_on("2026-03-24")
        self.assertEqual((promise.state, str(promise.date_closed)), ("broken", "2026-03-24"))
        activity = promise.activity_ids
        self.assertEqual(activity.user_id, self.specialist)
        self.assertIn("Promise not kept", activity.summary)
        self.assertIn("not kept", self.notes(partner))
        self.assertEqual((third.level_id.name, third.level_invoice_ids), ("Relance 1", promised))
        body = fr(text(self.emails(third).body))
        self.assertIn(
            fr(
                "Vous nous aviez annoncé un règlement de 1 000,00 € pour le 20/03/2026 : "
                "ce paiement ne nous est pas parvenu"
            ),
            body,
        )
        self.assertIn(fr("annoncé un règlement de 1 000,00 € pour le 20/03/2026"), self.letter(third))
        self.send_mails()
        # recalled once: the reminder after that one does not say it again
        fourth = self.run_on("2026-03-31")
        self.assertTrue(fourth)
        self.assertNotIn("Vous nous aviez annoncé", text(self.emails(fourth).body))

    def test_a_promise_kept_within_the_grace_days(self):
        partner = self.customer("Garage Petit SARL")
        inv = self.invoice(partner, 800.0, "2026-03-01")
        other = self.invoice(partner, 200.0, "2026-02-20")
        promise = self.promise(partner, "2026-03-05", date="2026-03-20")
        self.assertEqual(promise.invoice_ids, inv | other)  # every overdue invoice by default
        self.assertFalse(self.run_on("2026-03-10"))
        self.pay(inv, day="2026-03-22")
        self.pay(other, day="2026-03-23")
        self.assertFalse(self.run_on("2026-03-24"))
        self.assertEqual((promise.state, str(promise.date_closed)), ("kept", "2026-03-24"))
        self.assertIn("kept", self.notes(partner))
        self.assertFalse(promise.activity_ids)

    def test_a_payment_after_the_break_still_stops_the_dunning(self):
        partner = self.customer("Garage Petit SARL")
        inv = self.invoice(partner, 800.0, "2026-03-01")
        promise = self.promise(partner, "2026-03-05", date="2026-03-10")
        self.run_on("2026-03-14")
        self.assertEqual(promise.state, "broken")
        self.pay(inv, day="2026-03-15")
        self.assertFalse(self.run_on("2026-03-16"))
        self.assertFalse(self.run_on("2026-03-30"))
        self.assertEqual(promise.state, "broken")  # not reopened, not kept

    def test_the_daily_check_closes_a_promise_once(self):
        partner = self.customer("Garage Petit SARL")
        self.invoice(partner, 800.0, "2026-03-01")
        promise = self.promise(partner, "2026-03-05", date="2026-03-10")
        Promise = self.env["relance.promise"].sudo()
        self.assertEqual(Promise._relance_check_promises(D("2026-03-14")), promise)
        self.assertFalse(Promise._relance_check_promises(D("2026-03-14")))
        self.assertEqual(len(promise.activity_ids), 1)

    def test_declared_paid_asks_the_specialist_to_check_the_bank(self):
        partner = self.customer("Garage Petit SARL")
        inv = self.invoice(partner, 800.0, "2026-03-01")
        promise = self.promise(
            partner, "2026-03-12", inv, date="2026-03-09", declared_paid=True, source="email"
        )
        self.assertEqual(str(promise.date_deadline), "2026-03-15")
        activity = promise.activity_ids
        self.assertEqual(activity.user_id, self.specialist)
        self.assertIn("Check the bank", activity.summary)
        self.assertFalse(self.run_on("2026-03-13"))  # paused while the bank is checked
        reminder = self.run_on("2026-03-16")  # nothing came: broken, dunning resumes
        self.assertEqual(promise.state, "broken")
        self.assertIn(
            fr("Vous nous aviez indiqué avoir réglé 800,00 € le 09/03/2026"),
            fr(text(self.emails(reminder).body)),
        )

    def test_cancel_resumes_the_dunning(self):
        partner = self.customer("Garage Petit SARL")
        inv = self.invoice(partner, 800.0, "2026-03-01")
        promise = self.promise(partner, "2026-03-05", date="2026-03-25")
        self.assertFalse(self.run_on("2026-03-10"))
        promise.with_user(self.specialist).action_cancel()
        self.assertEqual(promise.state, "cancel")
        reminder = self.run_on("2026-03-11")
        self.assertEqual(reminder.invoice_ids, inv)
        self.assertNotIn("Vous nous aviez annoncé", text(self.emails(reminder).body))  # cancelled, not broken
        with self.assertRaises(UserError):
            promise.action_cancel()

    def test_send_reminder_by_hand_says_the_invoices_are_promised(self):
        partner = self.customer("Garage Petit SARL")
        inv = self.invoice(partner, 800.0, "2026-03-01")
        self.promise(partner, "2026-03-05", date="2026-03-20")
        with freeze_time("2026-03-10"):
            action = partner.action_relance_send()
        wizard = self.env["relance.reminder.send"].browse(action["res_id"])
        self.assertFalse(wizard.reminder_id)
        self.assertIn(f"promised to pay ({inv.name})", wizard.info)
        self.assertIn("until 23/03/2026", wizard.info)

    def test_promised_customers_cost_the_run_no_query_each(self):
        """The run reads the promises of a batch in one search: skipping 3 or 9 promised
        customers takes the same number of queries."""
        counts = []
        self.run_on("2026-03-09")  # caches warm
        for size, day in ((3, "2026-03-10"), (6, "2026-03-11")):
            for i in range(size):
                partner = self.customer(f"Client promis {size}-{i}")
                self.invoice(partner, 100.0 + i, "2026-03-01")
                self.invoice(partner, 50.0, "2026-02-25")
                self.promise(partner, "2026-03-05", date="2026-03-25")
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            self.assertFalse(self.run_on(day))
            counts.append(self.env.cr.sql_log_count - before)
        self.assertEqual(counts[0], counts[1])

    def test_from_the_customer_and_from_a_reminder(self):
        partner = self.customer("Garage Petit SARL")
        inv = self.invoice(partner, 800.0, "2026-03-01")
        action = partner.action_relance_promise()
        self.assertEqual(
            (action["res_model"], action["context"]["default_partner_id"]), ("relance.promise", partner.id)
        )
        reminder = self.run_on("2026-03-09")
        action = reminder.action_relance_promise()
        self.assertEqual(action["context"]["default_invoice_ids"], [(6, 0, inv.ids)])


@tagged("post_install", "-at_install")
class TestPromiseBadInput(PromiseCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.partner = cls.customer("Garage Petit SARL")
        cls.inv = cls.invoice(cls.partner, 800.0, "2026-03-01")
        cls.manager = new_test_user(
            cls.env,
            "promise.manager",
            groups="account.group_account_manager",
            company_id=cls.company.id,
            company_ids=cls.company.ids,
        )

    def assert_refused(self, message, **vals):
        count = self.env["relance.promise"].search_count([])
        with self.assertRaisesRegex(UserError, message):
            self.promise(self.partner, "2026-03-10", **vals)
        self.assertEqual(self.env["relance.promise"].search_count([]), count)  # nothing half-written

    def test_a_date_in_the_past(self):
        self.assert_refused("for today or a later day, not 09/03/2026", date="2026-03-09")

    def test_a_date_beyond_the_company_limit_needs_a_manager(self):
        self.assert_refused("more than 30 days away: only an accounting manager", date="2026-04-10")
        promise = self.promise(self.partner, "2026-03-10", user=self.manager, date="2026-04-10")
        self.assertEqual(promise.state, "open")
        self.company.relance_promise_max_days = 60
        self.env["relance.promise"].browse(promise.id).action_cancel()
        self.assertTrue(self.promise(self.partner, "2026-03-10", date="2026-04-10"))

    def test_a_declared_payment_in_the_future(self):
        self.assert_refused("cannot be dated 11/03/2026", date="2026-03-11", declared_paid=True)

    def test_a_paid_invoice(self):
        self.pay(self.inv, day="2026-03-05")
        self.assert_refused("no open invoice", date="2026-03-20")
        self.assert_refused("paid or cancelled", date="2026-03-20", invoices=self.inv)

    def test_an_invoice_already_promised(self):
        self.promise(self.partner, "2026-03-10", date="2026-03-20")
        self.assert_refused("already under the open promise", date="2026-03-25", invoices=self.inv)

    def test_another_customers_invoice(self):
        stranger = self.invoice(self.customer("Autre Client SARL"), 100.0, "2026-03-01")
        self.assert_refused("are not invoices of", date="2026-03-20", invoices=stranger)
