"""The customer's timeline (reminders, calls, promises, disputes, payments and credit notes in
date order on the Collection tab) and the logged calls it shows."""

from datetime import date

from odoo.exceptions import AccessError
from odoo.tests import freeze_time, new_test_user, tagged
from odoo.tools import format_date

from .common import RelanceCase


@tagged("post_install", "-at_install")
class TestTimeline(RelanceCase):
    def setUp(self):
        super().setUp()
        self.partner = self.customer("Menuiserie Leroy SARL", relance_channel="phone", phone="04 78 00 00 10")
        self.first = self.invoice(self.partner, 1200.0, "2026-03-31")
        self.second = self.invoice(self.partner, 800.0, "2026-04-05")
        self.reminder = self.run_on("2026-04-08")

    def log_call(self, result, day, **vals):
        with freeze_time(day):
            action = self.reminder.with_user(self.specialist).action_log_call()
            wizard = self.env["relance.call.wizard"].with_user(self.specialist).browse(action["res_id"])
            wizard.write({"result_id": self.env.ref(f"relance_fr.call_result_{result}").id, **vals})
            wizard.action_confirm()

    def timeline(self, user=None):
        partner = self.partner.with_user(user or self.specialist)
        # read as a screen does, afresh: 19.0 keeps the empty list a new customer started with
        partner.invalidate_recordset(["relance_timeline_ids"])
        return [(str(t.date), t.kind, t.description, t.status) for t in partner.relance_timeline_ids]

    def test_what_happened_in_date_order(self):
        self.log_call("promise", "2026-04-09", promise_date="2026-04-20", note="Virement le 20")
        with freeze_time("2026-04-10"):
            self.env["relance.dispute"].with_user(self.specialist).create(
                {"invoice_id": self.second.id, "reason": "quality", "description": "Pièces rayées"}
            )
        with freeze_time("2026-04-12"):
            plan = (
                self.env["relance.plan"]
                .with_user(self.specialist)
                .create(
                    {
                        "partner_id": self.partner.id,
                        "invoice_ids": self.first.ids,
                        "installment_count": 2,
                        "frequency": "monthly",
                        "first_date": "2026-04-15",
                    }
                )
            )
            plan.action_confirm()
        self.pay(self.first, amount=700.0, day="2026-04-15")
        credit = self.invoice(
            self.partner, 100.0, "2026-04-16", invoice_date="2026-04-16", move_type="out_refund"
        )

        lines = self.timeline()
        promised = format_date(self.env(user=self.specialist), date(2026, 4, 20))
        first_instalment = format_date(self.env(user=self.specialist), date(2026, 4, 15))
        self.assertEqual(
            lines,
            [
                ("2026-04-16", "credit_note", credit.name, ""),
                ("2026-04-15", "payment", f"{lines[1][2].split()[0]} ({self.first.name})", ""),
                ("2026-04-12", "plan", f"2 instalments (monthly) from {first_instalment}", "Active"),
                ("2026-04-10", "dispute", f"{self.second.name}: Quality not as ordered", "Open"),
                ("2026-04-09", "promise", f"Promises to pay on {promised}", "Open"),
                ("2026-04-09", "call", "Promise to pay: Virement le 20", ""),
                # the call was made on the 9th: the reminder was brought up to date that day
                ("2026-04-09", "reminder", f"{self.reminder.level_id.name} (Phone call)", "Sent"),
            ],
        )
        payment = self.partner.relance_timeline_ids.filtered(lambda t: t.kind == "payment")
        self.assertAlmostEqual(payment.amount, 700.0)
        # each line opens what it stands for
        action = payment.action_open_source()
        self.assertEqual(action["res_model"], "account.move")
        self.assertEqual(self.env["account.move"].browse(action["res_id"]).move_type, "entry")
        call = self.env["relance.call"].search([("partner_id", "=", self.partner.id)])
        self.assertEqual(
            (call.result_id, call.user_id, call.reminder_id, call.promise_id.date.isoformat()),
            (self.env.ref("relance_fr.call_result_promise"), self.specialist, self.reminder, "2026-04-20"),
        )

    def test_a_call_without_answer_is_in_the_history_and_still_to_make(self):
        self.log_call("no_answer", "2026-04-09")
        self.log_call("voicemail", "2026-04-10", note="Message laissé à l'accueil")
        self.assertEqual(self.reminder.state, "sent")
        calls = [line for line in self.timeline() if line[1] == "call"]
        self.assertEqual(
            calls,
            [
                ("2026-04-10", "call", "Voicemail message left: Message laissé à l'accueil", ""),
                ("2026-04-09", "call", "No answer", ""),
            ],
        )

    def test_the_history_is_read_only_and_kept_to_its_company(self):
        self.log_call("no_answer", "2026-04-09")
        call = self.env["relance.call"].search([("partner_id", "=", self.partner.id)])
        with self.assertRaises(AccessError):
            call.with_user(self.specialist).write({"note": "Réécrit"})
        with self.assertRaises(AccessError):
            call.with_user(self.specialist).unlink()
        auditor = new_test_user(
            self.env,
            login="auditor.timeline",
            groups="account.group_account_readonly",
            company_id=self.company.id,
        )
        self.assertEqual(len(self.timeline(auditor)), 2)
        other = self.env["res.company"].create({"name": "Autre Société SAS"})
        stranger = new_test_user(
            self.env,
            login="billing.other",
            groups="account.group_account_invoice",
            company_id=other.id,
            company_ids=other.ids,
        )
        Timeline = self.env["relance.timeline"].with_user(stranger)
        self.assertFalse(Timeline.search([("partner_id", "=", self.partner.id)]))
        self.assertFalse(self.env["relance.call"].with_user(stranger).search([]))
        portal = new_test_user(self.env, login="portal.timeline", groups="base.group_portal")
        with self.assertRaises(AccessError):
            self.env["relance.timeline"].with_user(portal).search([])
        with self.assertRaises(AccessError):
            self.env["relance.call"].with_user(portal).search([])
