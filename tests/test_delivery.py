"""What really happened to a reminder's email: Odoo's mail queue, a real SMTP server on
127.0.0.1 (tests/smtp_sink.py) that accepts or refuses, and bounces fed to Odoo's mail gateway."""

from odoo.exceptions import AccessError, UserError
from odoo.tests import freeze_time, new_test_user, tagged
from odoo.tools import mute_logger

from .common import RelanceCase, text
from .smtp_sink import dsn


@tagged("post_install", "-at_install")
class DeliveryCase(RelanceCase):
    def setUp(self):
        super().setUp()
        # the mails of the run and of the queue leave from here: no other server in the way
        self.env["ir.mail_server"].sudo().search([]).active = False

    def notes(self, reminder):
        return " ".join(text(m.body) for m in reminder.message_ids if m.message_type == "notification")

    def bounce(self, received, recipient):
        """A delivery status notification for ``received`` through Odoo's mail gateway."""
        with mute_logger("odoo.addons.mail.models.mail_thread"):
            return self.env["mail.thread"].sudo().message_process(False, dsn(received, recipient))


@tagged("post_install", "-at_install")
class TestEmailDelivery(DeliveryCase):
    def test_the_queue_hands_the_email_and_its_pdfs_to_the_smtp_server(self):
        partner = self.customer("Boulangerie Martin SARL", email="compta@boulangerie-martin.fr")
        inv = self.invoice(partner, 1234.56, "2026-03-31")
        with freeze_time("2026-04-08"):
            self.env["relance.run"].with_context(force_report_rendering=True).sudo()._cron_run()
        reminder = self.Reminder.search([("partner_id", "=", partner.id)])
        # the run queues the email, it does not send it
        self.assertEqual((reminder.state, reminder.mail_state), ("to_send", "queued"))
        self.assertEqual(reminder.mail_ids.state, "outgoing")

        smtp = self.send_mails()
        self.assertEqual(len(smtp.received), 1)
        received = smtp.received[0]
        self.assertEqual(received.rcpt_tos, ["compta@boulangerie-martin.fr"])
        self.assertIn("Rappel", received.subject)
        self.assertIn("Boulangerie Martin SARL", received.subject)
        self.assertEqual(received.message["Message-Id"].strip(), reminder.mail_ids.message_id)
        pdfs = [(name, data) for name, kind, data in received.attachments() if kind == "application/pdf"]
        self.assertEqual([name for name, _data in pdfs], [inv._get_invoice_report_filename()])
        self.assertTrue(pdfs[0][1].startswith(b"%PDF"))
        self.assertEqual((reminder.state, reminder.mail_state), ("sent", "sent"))
        self.assertEqual(reminder.mail_ids.state, "sent")
        # the queue again: nothing goes twice
        self.assertFalse(self.send_mails().received)

    def test_an_smtp_server_down_loses_nothing_and_sends_nothing_twice(self):
        partner = self.customer(email="compta@client.fr")
        self.invoice(partner, 500.0, "2026-03-31")
        reminder = self.run_on("2026-04-08")
        with self.smtp_server(down=True):
            self.env["mail.mail"].sudo().process_email_queue()
            self.env["mail.mail"].sudo().process_email_queue()
        # Odoo retries at its next call: the email waits in the queue, the reminder to send
        self.assertEqual(reminder.mail_ids.state, "outgoing")
        self.assertEqual((reminder.state, reminder.mail_state), ("to_send", "queued"))
        smtp = self.send_mails()
        self.assertEqual([r.rcpt_tos for r in smtp.received], [["compta@client.fr"]])
        self.assertEqual((reminder.state, reminder.mail_state), ("sent", "sent"))
        self.assertEqual(len(reminder.mail_ids), 1)

    def test_email_and_letter_is_sent_once_both_are_done(self):
        self.policies["standard"].skip_levels = True  # the level due at once
        partner = self.customer(email="compta@client.fr")
        self.invoice(partner, 500.0, "2026-03-31")
        reminder = self.run_on("2026-04-15")  # Relance 1: email and letter
        self.assertEqual(reminder.channel, "email_letter")
        self.assertEqual((reminder.state, reminder.mail_state), ("to_print", "queued"))
        self.assertTrue(reminder.letter_attachment_id)
        self.send_mails()
        self.assertEqual((reminder.state, reminder.mail_state), ("to_print", "sent"))  # the letter waits
        reminder.action_mark_sent()
        self.assertEqual(reminder.state, "sent")
        # the other way round: the letter posted while the email still waits in the queue
        other = self.customer("Client Deux", email="compta@deux.fr")
        self.invoice(other, 300.0, "2026-03-31")
        second = self.run_on("2026-04-16")
        second.action_mark_sent()
        self.assertEqual((second.state, second.mail_state), ("to_send", "queued"))
        self.send_mails()
        self.assertEqual((second.state, second.mail_state), ("sent", "sent"))

    def test_a_refused_email_goes_by_letter(self):
        partner = self.customer("Garage Petit SARL", email="inconnu@garage-petit.fr")
        fine = self.customer("Client Fidèle", email="compta@fidele.fr")
        for customer in (partner, fine):
            self.invoice(customer, 400.0, "2026-03-31")
        reminders = self.run_on("2026-04-08")
        refused = reminders.filtered(lambda r: r.partner_id == partner)
        smtp = self.send_mails(refuse=["inconnu@garage-petit.fr"])
        self.assertEqual(smtp.refused, ["inconnu@garage-petit.fr"])
        self.assertEqual([r.rcpt_tos for r in smtp.received], [["compta@fidele.fr"]])
        self.assertEqual(refused.mail_state, "exception")
        self.assertEqual((refused.channel, refused.state), ("letter", "to_print"))
        self.assertTrue(refused.letter_attachment_id)
        notes = self.notes(refused)
        self.assertIn("refused the email to inconnu@garage-petit.fr", notes)
        self.assertIn("550", notes)  # the server's reason
        self.assertIn("goes by letter", notes)
        self.assertEqual((reminders - refused).state, "sent")

    def test_a_refused_email_without_a_postal_address_is_an_error(self):
        partner = self.customer("Sans Adresse", email="inconnu@client.fr", street=False)
        self.invoice(partner, 400.0, "2026-03-31")
        reminder = self.run_on("2026-04-08")
        self.send_mails(refuse=["inconnu@client.fr"])
        self.assertEqual((reminder.state, reminder.mail_state), ("error", "exception"))
        self.assertIn("550", reminder.error_message)
        self.assertIn("no complete postal address", reminder.error_message)
        self.assertFalse(reminder.letter_attachment_id)

    def test_lost_emails_stay_errors_when_the_company_says_so(self):
        self.company.relance_bounce_to_letter = False
        partner = self.customer(email="inconnu@client.fr")
        self.invoice(partner, 400.0, "2026-03-31")
        reminder = self.run_on("2026-04-08")
        self.send_mails(refuse=["inconnu@client.fr"])
        self.assertEqual((reminder.state, reminder.channel), ("error", "email"))
        self.assertIn("turned off in the settings", reminder.error_message)

    def test_a_refused_email_of_email_and_letter_leaves_the_letter_alone(self):
        self.policies["standard"].skip_levels = True  # the level due at once
        partner = self.customer(email="inconnu@client.fr")
        self.invoice(partner, 400.0, "2026-03-31")
        reminder = self.run_on("2026-04-15")  # Relance 1
        letter = reminder.letter_attachment_id
        self.send_mails(refuse=["inconnu@client.fr"])
        self.assertEqual(
            (reminder.channel, reminder.state, reminder.mail_state), ("letter", "to_print", "exception")
        )
        self.assertEqual(reminder.letter_attachment_id, letter)
        self.assertIn("The letter goes alone", self.notes(reminder))


@tagged("post_install", "-at_install")
class TestBounces(DeliveryCase):
    def test_a_bounce_turns_the_reminder_into_a_letter_once(self):
        partner = self.customer("Imprimerie Noir", email="compta@imprimerie-noir.fr")
        self.invoice(partner, 800.0, "2026-03-31")
        reminder = self.run_on("2026-04-08")
        smtp = self.send_mails(bounce=["compta@imprimerie-noir.fr"])
        self.assertEqual((reminder.state, reminder.mail_state), ("sent", "sent"))  # accepted first
        self.assertEqual(len(smtp.dsns), 1)
        self.assertIn("multipart/report", smtp.dsns[0])

        self.bounce(smtp.received[0], "compta@imprimerie-noir.fr")
        self.assertEqual(reminder.mail_state, "bounced")
        self.assertEqual((reminder.channel, reminder.state), ("letter", "to_print"))
        letter = reminder.letter_attachment_id
        self.assertTrue(letter)
        self.assertIn("bounced", self.notes(reminder))
        self.assertIn("goes by letter", self.notes(reminder))
        # Odoo's own bounce counter, shown on the customer's form
        self.assertEqual(partner.message_bounce, 1)
        self.assertEqual(partner.relance_bounce_count, 1)
        messages = reminder.message_ids

        # the same bounce again (a second DSN): nothing done twice
        self.bounce(smtp.received[0], "compta@imprimerie-noir.fr")
        self.assertEqual(reminder.letter_attachment_id, letter)
        self.assertEqual(reminder.message_ids, messages)
        self.assertEqual((reminder.state, reminder.mail_state), ("to_print", "bounced"))

    def test_a_bounce_that_matches_no_reminder_changes_nothing(self):
        partner = self.customer(email="compta@client.fr")
        self.invoice(partner, 800.0, "2026-03-31")
        reminder = self.run_on("2026-04-08")
        smtp = self.send_mails()
        stranger = smtp.received[0]
        del stranger.message["Message-Id"]
        stranger.message["Message-Id"] = "<not-ours-123@elsewhere.example>"
        stranger.raw = stranger.message.as_bytes()
        self.bounce(stranger, "quelquun@ailleurs.example")
        self.assertEqual((reminder.state, reminder.mail_state, reminder.channel), ("sent", "sent", "email"))
        self.assertFalse(reminder.letter_attachment_id)


@tagged("post_install", "-at_install")
class TestResend(DeliveryCase):
    def test_resend_sends_the_same_content_again(self):
        partner = self.customer("Boulangerie Martin SARL", email="compta@boulangerie-martin.fr")
        inv = self.invoice(partner, 1234.56, "2026-03-31")
        with freeze_time("2026-04-08"):
            self.env["relance.run"].with_context(force_report_rendering=True).sudo()._cron_run()
        reminder = self.Reminder.search([("partner_id", "=", partner.id)])
        with self.assertRaisesRegex(UserError, "nothing to send again"):
            reminder.action_resend()  # still queued: it has not gone out yet
        first = self.send_mails().received[0]
        # the customer says the email never arrived; meanwhile the invoice was partly paid: the
        # email goes again as it was, it is not rewritten
        self.pay(inv, 200.0, "2026-04-15")
        with freeze_time("2026-04-20"):
            reminder.action_resend()
        again = self.send_mails().received
        self.assertEqual(len(again), 1)
        self.assertEqual(again[0].rcpt_tos, first.rcpt_tos)
        self.assertEqual(again[0].subject, first.subject)
        self.assertEqual(
            [(name, data) for name, _kind, data in again[0].attachments()],
            [(name, data) for name, _kind, data in first.attachments()],
        )
        self.assertEqual(
            text(again[0].message.get_body(("html",)).get_content()),
            text(first.message.get_body(("html",)).get_content()),
        )
        self.assertEqual(reminder.state, "sent")
        self.assertIn("Sent again on 20/04/2026", " ".join(text(m.body) for m in reminder.message_ids))
        auditor = new_test_user(
            self.env, "resend.auditor", groups="account.group_account_readonly", company_id=self.company.id
        )
        with self.assertRaises(AccessError):
            reminder.with_user(auditor).action_resend()
