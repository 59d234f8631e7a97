"""Disputes: an invoice the customer disputes leaves the dunning; accepted, it stays out until
a credit note settles it; rejected, dunning resumes and the customer is told why."""

from odoo.exceptions import UserError
from odoo.tests import freeze_time, new_test_user, tagged

from .common import RelanceCase, fr, text


@tagged("post_install", "-at_install")
class DisputeCase(RelanceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = {"company_id": cls.company.id, "company_ids": cls.company.ids}
        cls.manager = new_test_user(
            cls.env, "dispute.manager", groups="account.group_account_manager", **company
        )
        cls.salesperson = new_test_user(cls.env, "dispute.vendeur", groups="base.group_user", **company)

    def dispute(self, invoice, day, reason="quantity", user=None, **vals):
        with freeze_time(day):
            return (
                self.env["relance.dispute"]
                .with_user(user or self.specialist)
                .create({"invoice_id": invoice.id, "reason": reason, **vals})
            )


@tagged("post_install", "-at_install")
class TestDispute(DisputeCase):
    def test_an_open_dispute_excludes_its_invoice_and_tells_specialist_and_salesperson(self):
        partner = self.customer("Menuiserie Leroy SARL", user_id=self.salesperson.id)
        disputed = self.invoice(partner, 1000.0, "2026-03-01")
        other = self.invoice(partner, 400.0, "2026-03-01")
        dispute = self.dispute(disputed, "2026-03-05", description="Livraison incomplète : 8 portes sur 10")
        self.assertTrue(disputed.relance_excluded)
        self.assertEqual(
            disputed.relance_excluded_reason,
            "Dispute: Quantity not as ordered – Livraison incomplète : 8 portes sur 10",
        )
        self.assertEqual(dispute.partner_id, partner)
        # the decision is an accounting manager's: the validator's (the first one, none being set)
        self.assertEqual(dispute.activity_ids.user_id, self.company._relance_validator())
        self.assertTrue(dispute.activity_ids.user_id.has_group("account.group_account_manager"))
        told = partner.activity_ids.filtered(lambda a: a.user_id == self.salesperson)
        self.assertIn(disputed.name, told.summary)
        self.assertIn(self.salesperson.partner_id, disputed.message_ids[0].partner_ids)
        self.assertIn(self.specialist.partner_id, disputed.message_ids[0].partner_ids)
        reminder = self.run_on("2026-03-09")
        self.assertEqual(reminder.invoice_ids, other)  # the other invoice goes on

    def test_a_rejected_dispute_resumes_the_dunning_and_tells_the_customer_why(self):
        partner = self.customer("Garage Petit SARL")
        inv = self.invoice(partner, 1000.0, "2026-03-01")
        dispute = self.dispute(inv, "2026-03-05", reason="not_received")
        self.assertFalse(self.run_on("2026-03-09"))
        with self.assertRaisesRegex(UserError, "Only an accounting manager"):
            dispute.with_user(self.specialist).action_reject()
        dispute = dispute.with_user(self.manager)
        with self.assertRaisesRegex(UserError, "Say why"):
            dispute.action_reject()
        dispute.reject_reason = "Le bon de livraison du 2 mars est signé par votre magasinier."
        with freeze_time("2026-03-10"):
            dispute.action_reject()
            self.env.flush_all()  # the end of the request, that day (19.0 computes no sooner)
        self.assertEqual(dispute.state, "rejected")
        self.assertFalse(inv.relance_excluded)
        self.assertFalse(inv.relance_excluded_reason)
        sink = self.send_mails()
        message = dispute.message_ids.filtered(lambda m: m.message_type == "comment")
        self.assertEqual(message.subject, f"Votre contestation de la facture {inv.name}")
        body = fr(text(message.body))
        self.assertIn("Le 05/03/2026, vous nous avez fait part d'une contestation", body)
        self.assertIn("motif : Marchandise ou prestation non reçue", body)
        self.assertIn("Le bon de livraison du 2 mars est signé par votre magasinier.", body)
        self.assertIn(fr("il reste 1 000,00 € à régler"), body)
        self.assertEqual([r.subject for r in sink.to("compta@client.fr")], [message.subject])
        reminder = self.run_on("2026-03-11")
        self.assertEqual(reminder.invoice_ids, inv)
        with self.assertRaisesRegex(UserError, "already settled"):
            dispute.action_accept()

    def test_an_accepted_dispute_stays_out_until_the_credit_note(self):
        partner = self.customer("Garage Petit SARL")
        inv = self.invoice(partner, 1000.0, "2026-03-01")
        dispute = self.dispute(inv, "2026-03-05", reason="price")
        with self.assertRaisesRegex(UserError, "Accept the dispute"):
            dispute.action_create_credit_note()
        dispute.with_user(self.manager).action_accept()
        self.assertEqual(dispute.state, "accepted")
        self.assertTrue(inv.relance_excluded)
        self.assertIn("Dispute accepted", inv.relance_excluded_reason)
        self.assertFalse(self.run_on("2026-03-20"))
        action = dispute.action_create_credit_note()
        self.assertEqual(action["res_model"], "account.move.reversal")
        with freeze_time("2026-03-21"):
            reversal = self.env["account.move.reversal"].with_context(**action["context"]).create({})
            reversal.refund_moves()
        credit_note = inv.reversal_move_ids
        self.assertTrue(credit_note)
        self.assertIn("Dispute: Price not as agreed", credit_note.ref or "")
        with freeze_time("2026-03-21"):
            credit_note.action_post()
        self.assertEqual(inv.payment_state, "reversed")
        self.assertEqual(dispute.credit_note_ids, credit_note)
        self.assertFalse(self.run_on("2026-04-20"))


@tagged("post_install", "-at_install")
class TestDisputeBadInput(DisputeCase):
    def test_a_paid_invoice(self):
        partner = self.customer("Garage Petit SARL")
        inv = self.invoice(partner, 100.0, "2026-03-01")
        self.pay(inv, day="2026-03-02")
        with self.assertRaisesRegex(UserError, "already paid"):
            self.dispute(inv, "2026-03-05")
        self.assertFalse(self.env["relance.dispute"].search([("invoice_id", "=", inv.id)]))

    def test_a_cancelled_invoice(self):
        partner = self.customer("Garage Petit SARL")
        inv = self.invoice(partner, 100.0, "2026-03-01")
        inv.button_draft()
        inv.button_cancel()
        with self.assertRaisesRegex(UserError, "not a posted invoice"):
            self.dispute(inv, "2026-03-05")
        with self.assertRaisesRegex(UserError, "not a posted invoice"):
            inv.action_relance_dispute()

    def test_a_second_open_dispute(self):
        partner = self.customer("Garage Petit SARL")
        inv = self.invoice(partner, 100.0, "2026-03-01")
        self.dispute(inv, "2026-03-05")
        with self.assertRaisesRegex(UserError, "already under an open dispute"):
            self.dispute(inv, "2026-03-06", reason="price")

    def test_from_the_invoice(self):
        partner = self.customer("Garage Petit SARL")
        inv = self.invoice(partner, 100.0, "2026-03-01")
        action = inv.action_relance_dispute()
        self.assertEqual(
            (action["res_model"], action["context"]), ("relance.dispute", {"default_invoice_id": inv.id})
        )
