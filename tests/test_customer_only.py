"""Messages to the customer reach the customer only (never a copy to the salesperson or the
other followers); the welcome goes with a new customer's first invoice only; every message of
a company is signed the same way."""

from datetime import date

from odoo import Command
from odoo.tests import freeze_time, new_test_user, tagged

from .common import RelanceCase, text

SIGNATURE = "Claire Martin Service comptabilité – Atelier Dupont SAS"


@tagged("post_install", "-at_install")
class TestCustomerOnly(RelanceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = {"company_id": cls.company.id, "company_ids": cls.company.ids}
        cls.salesperson = new_test_user(
            cls.env, "co.vendeur", groups="base.group_user", email="paul.vendeur@atelier-dupont.fr", **company
        )
        cls.colleague = new_test_user(
            cls.env,
            "co.collegue",
            groups="base.group_user",
            email="lea.collegue@atelier-dupont.fr",
            **company,
        )
        cls.salesperson.notification_type = cls.colleague.notification_type = "email"

    def followed_customer(self, name="Boulangerie Martin SARL", email="compta@client.fr"):
        """A customer of the salesperson, whose record the salesperson and a colleague follow."""
        partner = self.customer(name, email=email, user_id=self.salesperson.id)
        partner.message_subscribe((self.salesperson | self.colleague).partner_id.ids)
        return partner

    def assert_reached_the_customer_only(self, sink, address, subject):
        received = [r for r in sink.received if subject in r.subject]
        self.assertEqual(len(received), 1, [r.subject for r in sink.received])
        self.assertEqual(received[0].rcpt_tos, [address])
        for staff in (self.salesperson, self.colleague):
            self.assertFalse(sink.to(staff.email), f"{staff.name} got a copy of “{subject}”")
        return received[0]

    def test_welcome_reaches_the_customer_only_and_is_signed(self):
        partner = self.followed_customer()
        with self.smtp_server() as sink:  # the welcome leaves as the invoice is posted
            self.invoice(partner, 500.0, "2026-03-31")
        welcome = self.assert_reached_the_customer_only(sink, "compta@client.fr", "Bienvenue chez")
        self.assertIn(SIGNATURE, text(welcome.message.get_body(("html",)).get_content()))

    def test_acknowledgments_reach_the_customer_only(self):
        partner = self.followed_customer()
        invoice = self.invoice(partner, 800.0, "2026-03-31")
        self.send_mails()  # the welcome
        portal = self.env["relance.portal"].sudo()
        with freeze_time("2026-04-20"):
            portal._record_promise(partner, self.company, invoice, date(2026, 4, 30), "Virement prévu")
            portal._record_message(partner, self.company, "Pouvez-vous me rappeler ?")
        sink = self.send_mails()
        self.assertEqual(len(sink.received), 2, [r.subject for r in sink.received])
        for received in sink.received:
            self.assertEqual(received.rcpt_tos, ["compta@client.fr"])
            self.assertIn(SIGNATURE, text(received.message.get_body(("html",)).get_content()))
        for staff in (self.salesperson, self.colleague):
            self.assertFalse(sink.to(staff.email))
        # the AR specialist knows, in the chatter and the activities, not by a copy of the email
        self.assertTrue(partner.activity_ids.filtered(lambda a: a.user_id == self.specialist))

    def test_a_reminder_reaches_the_customer_only_with_the_same_signature(self):
        partner = self.followed_customer()
        self.invoice(partner, 500.0, "2026-03-31")
        self.send_mails()
        reminder = self.run_on("2026-04-08")
        self.assertEqual(reminder.level_id.name, "Premier rappel")
        sink = self.send_mails()
        received = self.assert_reached_the_customer_only(sink, "compta@client.fr", "")
        self.assertIn(SIGNATURE, text(received.message.get_body(("html",)).get_content()))

    def test_other_messages_still_reach_the_followers(self):
        """Only the customer's messages are kept from the followers: a comment posted by hand
        on the customer's record still notifies them as Odoo does."""
        partner = self.followed_customer()
        partner.with_context(mail_notify_force_send=False).message_post(
            body="Point d'équipe", message_type="comment", subtype_xmlid="mail.mt_comment"
        )
        sink = self.send_mails()
        self.assertTrue(sink.to(self.salesperson.email))


@tagged("post_install", "-at_install")
class TestWelcomeFirstInvoiceOnly(RelanceCase):
    def welcomes(self, partner):
        return self.env["relance.event"].search([("kind", "=", "welcome"), ("partner_id", "=", partner.id)])

    def test_a_new_customer_is_welcomed_with_its_first_invoice(self):
        partner = self.customer("Client Nouveau SAS")
        self.invoice(partner, 100.0, "2026-03-31")
        self.assertEqual(len(self.welcomes(partner)), 1)

    def test_no_welcome_for_a_customer_with_a_payment_history(self):
        """A company starting with the module: its customers' past is on their receivable."""
        partner = self.customer("Client Ancien SARL")
        with freeze_time("2026-01-15"):
            payment = self.env["account.payment"].create(
                {
                    "payment_type": "inbound",
                    "partner_type": "customer",
                    "partner_id": partner.id,
                    "amount": 50.0,
                }
            )
            payment.action_post()
        self.invoice(partner, 100.0, "2026-03-31")
        self.assertFalse(self.welcomes(partner))

    def test_no_welcome_for_a_customer_whose_ledger_was_taken_over(self):
        """Its open invoices brought in by an opening entry: not a new customer."""
        partner = self.customer("Client Repris SA")
        receivable = self.company_data["default_account_receivable"]
        opening = self.env["account.move"].create(
            {
                "move_type": "entry",
                "date": "2026-01-01",
                "line_ids": [
                    Command.create({"account_id": receivable.id, "partner_id": partner.id, "debit": 900.0}),
                    Command.create(
                        {"account_id": self.company_data["default_account_revenue"].id, "credit": 900.0}
                    ),
                ],
            }
        )
        opening.action_post()
        self.invoice(partner, 100.0, "2026-03-31")
        self.assertFalse(self.welcomes(partner))

    def test_no_welcome_for_a_customer_already_chased(self):
        partner = self.customer("Client Relancé SARL")
        self.company.relance_welcome_auto = False
        first = self.invoice(partner, 100.0, "2026-03-31")
        self.run_on("2026-04-08")
        self.assertTrue(partner.relance_reminder_ids)
        # its only invoice cancelled and a new one posted, the setting on again: still not new
        self.company.relance_welcome_auto = True
        first.button_draft()
        first.button_cancel()
        self.invoice(partner, 120.0, "2026-05-31")
        self.assertFalse(self.welcomes(partner))
