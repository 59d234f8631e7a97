"""Calls: the outcome of a dunning call logged in one step, with the promise or dispute it
leads to; the call reminder sent once the customer was reached; the list of calls to make."""

from ast import literal_eval

from odoo.exceptions import UserError
from odoo.tests import freeze_time, tagged

from .common import RelanceCase, text


@tagged("post_install", "-at_install")
class TestCall(RelanceCase):
    def setUp(self):
        super().setUp()
        self.partner = self.customer("Menuiserie Leroy SARL", relance_channel="phone", phone="04 78 00 00 10")
        self.inv = self.invoice(self.partner, 1200.0, "2026-03-31")
        self.reminder = self.run_on("2026-04-08")
        self.assertEqual(self.reminder.state, "to_call")

    def log(self, result, day="2026-04-09", reminder=None, **vals):
        reminder = reminder or self.reminder
        with freeze_time(day):
            action = reminder.with_user(self.specialist).action_log_call()
            wizard = self.env["relance.call.wizard"].with_user(self.specialist).browse(action["res_id"])
            wizard.write({"result_id": self.env.ref(f"relance_fr.call_result_{result}").id, **vals})
            wizard.action_confirm()
        return wizard

    def chatter(self, record):
        return " ".join(text(m.body) for m in record.message_ids)

    def test_a_call_that_ends_in_a_promise(self):
        self.log("promise", promise_date="2026-04-20", note="Le comptable paie le 20, virement déjà préparé")
        promise = self.env["relance.promise"].search([("partner_id", "=", self.partner.id)])
        self.assertEqual(
            (str(promise.date), promise.source, promise.invoice_ids), ("2026-04-20", "phone", self.inv)
        )
        self.assertAlmostEqual(promise.amount, 1200.0)
        self.assertEqual(self.reminder.state, "sent")
        self.assertFalse(self.reminder.activity_ids)  # the call activity is done
        self.assertIn("Call: Promise to pay", self.chatter(self.partner))
        self.assertIn("virement déjà préparé", self.chatter(self.partner))
        self.assertEqual(
            self.partner.relance_last_call_result_id, self.env.ref("relance_fr.call_result_promise")
        )
        self.assertEqual(str(self.partner.relance_last_call_date), "2026-04-09")
        # the run leaves the promised invoice alone until the promised date and the grace days
        self.assertFalse(self.run_on("2026-04-16"))
        self.assertFalse(self.run_on("2026-04-23"))
        self.assertEqual(self.run_on("2026-04-24").invoice_ids, self.inv)
        self.assertEqual(promise.state, "broken")

    def test_a_call_logged_twice(self):
        self.log("voicemail")
        self.assertEqual(self.reminder.state, "sent")
        with self.assertRaisesRegex(UserError, "already logged"):
            self.log("promise", promise_date="2026-04-20")
        self.assertFalse(self.env["relance.promise"].search([("partner_id", "=", self.partner.id)]))

    def test_no_answer_keeps_the_call_to_make(self):
        self.log("no_answer", note="Sonnerie dans le vide")
        self.assertEqual(self.reminder.state, "to_call")
        self.assertTrue(self.reminder.activity_ids)
        self.assertIn("Call: No answer", self.chatter(self.partner))
        action = self.env.ref("relance_fr.relance_reminder_action_calls")
        calls = self.env["relance.reminder"].search(literal_eval(action.domain))
        self.assertIn(self.reminder, calls)
        self.assertEqual(self.reminder.last_call_result_id.name, "No answer")
        self.assertEqual(self.reminder.partner_phone, "04 78 00 00 10")

    def test_the_calls_to_make_say_what_to_say(self):
        script = text(self.reminder.call_script)
        self.assertIn(self.inv.name, script)
        self.assertIn("1 200,00", script)
        with freeze_time("2026-04-09"):
            action = self.reminder.with_user(self.specialist).action_log_call()
        wizard = self.env["relance.call.wizard"].with_user(self.specialist).browse(action["res_id"])
        self.assertEqual(text(wizard.call_script), script)  # in front of the caller while logging
        self.log("voicemail")
        self.assertFalse(self.reminder.call_script)  # the call is made: nothing more to say

    def test_a_call_that_ends_in_a_dispute(self):
        self.log("dispute", dispute_reason="quality", note="Deux fenêtres rayées")
        dispute = self.inv.relance_dispute_ids
        self.assertEqual((dispute.reason, dispute.source, dispute.state), ("quality", "phone", "open"))
        self.assertTrue(self.inv.relance_excluded)
        self.assertEqual(self.reminder.state, "sent")

    def test_a_refused_promise_writes_nothing(self):
        with self.assertRaisesRegex(UserError, "for today or a later day"):
            self.log("promise", promise_date="2026-04-01")
        self.assertEqual(self.reminder.state, "to_call")
        self.assertTrue(self.reminder.activity_ids)
        self.assertFalse(self.partner.relance_last_call_result_id)
        with self.assertRaisesRegex(UserError, "Give the date"):
            self.log("promise", promise_date=False)

    def test_from_the_customer(self):
        with freeze_time("2026-04-09"):
            action = self.partner.with_user(self.specialist).action_relance_log_call()
        wizard = self.env["relance.call.wizard"].browse(action["res_id"])
        self.assertEqual(wizard.reminder_id, self.reminder)  # its call waiting
        wizard.write(
            {"result_id": self.env.ref("relance_fr.call_result_paid").id, "promise_date": "2026-04-07"}
        )
        with freeze_time("2026-04-09"):
            wizard.with_user(self.specialist).action_confirm()
        promise = self.env["relance.promise"].search([("partner_id", "=", self.partner.id)])
        self.assertTrue(promise.declared_paid)
        self.assertIn("Check the bank", promise.activity_ids.summary)
        self.assertEqual(self.reminder.state, "sent")

    def test_shipped_outcomes(self):
        names = [
            "no_answer",
            "voicemail",
            "wrong_number",
            "promise",
            "dispute",
            "paid",
            "plan",
            "call_back",
        ]
        results = [self.env.ref(f"relance_fr.call_result_{name}") for name in names]
        self.assertEqual([r.reached for r in results], [False, True, False, True, True, True, True, True])
        self.assertEqual(
            [r.with_context(lang="fr_FR").name for r in results][:2],
            ["Pas de réponse", "Message sur répondeur"],
        )
