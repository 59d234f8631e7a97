"""One story per customer (SPEC §4): the account escalates as one, nothing waits forever, what
the customer said comes first, only what happened is said, nobody edits a reminder by hand."""

import base64
from datetime import timedelta

from odoo.exceptions import UserError
from odoo.tests import freeze_time, new_test_user, tagged

from .common import RelanceCase, text
from .portal_common import PortalCase
from .test_letters import pages


@tagged("post_install", "-at_install")
class TestAccountStory(RelanceCase):
    def levels_sent(self, reminders):
        return [(str(r.date), r.level_id.name) for r in reminders.sorted("date")]

    def test_invoice_falling_due_at_relance_2_joins_without_a_lower_message(self):
        partner = self.customer("Menuiserie Roux SARL")
        first = self.invoice(partner, 1000.0, "2026-03-01", invoice_date="2026-02-01")
        second = self.invoice(partner, 400.0, "2026-04-05", invoice_date="2026-03-05")
        sent = self.Reminder
        for day in ("2026-03-09", "2026-03-16", "2026-03-31", "2026-04-13", "2026-04-15"):
            sent |= self.run_on(day)
        # 13/04: the second invoice is 8 days late, its own Premier rappel would be due: nothing
        # lower than the account's stage (Relance 2) goes out
        self.assertEqual(
            self.levels_sent(sent),
            [
                ("2026-03-09", "Premier rappel"),
                ("2026-03-16", "Relance 1"),
                ("2026-03-31", "Relance 2"),
                ("2026-04-15", "Relance 3"),
            ],
        )
        relance_3 = sent.filtered(lambda r: r.level_id.name == "Relance 3")
        self.assertEqual(relance_3.level_invoice_ids, first)
        self.assertEqual(relance_3.invoice_ids, first | second)
        body = text(self.emails(relance_3).body)
        self.assertIn("Factures récemment échues", body)
        self.assertIn(second.name, body.split("Factures récemment échues")[1])
        # each invoice keeps its own ladder: the second one had its first reminder
        self.assertEqual(first.relance_level_id.name, "Relance 3")
        self.assertEqual(second.relance_level_id.name, "Premier rappel")
        self.assertEqual(partner.relance_level_id.name, "Relance 3")

    def test_suspension_said_once_and_payment_thanked(self):
        partner = self.customer("Traiteur Blanc SARL")
        first = self.invoice(partner, 1000.0, "2026-03-01", invoice_date="2026-02-01")
        self.invoice(partner, 300.0, "2026-04-10", invoice_date="2026-03-10")
        for day in ("2026-03-09", "2026-03-16", "2026-03-31"):
            self.run_on(day)
            self.send_mails()
        relance_3 = self.run_on("2026-04-15")
        self.send_mails()
        self.assertIn("Compte suspendu pour retard de paiement", relance_3.mail_ids.subject)
        self.assertTrue(partner.relance_suspended)
        # the first invoice is paid: the account's stage is that of what remains (the second
        # invoice never had a level of its own); the next message thanks for the payment first
        self.pay(first, day="2026-04-20")
        self.assertTrue(partner.relance_suspended)  # the second invoice is still overdue
        self.assertFalse(partner.relance_level_id)
        again_first = self.run_on("2026-04-25")
        self.send_mails()
        self.assertEqual(again_first.level_id.name, "Premier rappel")
        body = text(self.emails(again_first).body)
        self.assertIn(
            "Nous vous remercions pour le règlement, reçu depuis notre dernier courrier, de votre "
            f"facture {first.name}",
            body,
        )
        sent = self.Reminder
        for day in ("2026-05-02", "2026-05-10", "2026-05-25"):
            sent |= self.run_on(day)
            self.send_mails()
        self.assertEqual(sent.sorted("date").level_id.mapped("name"), ["Relance 1", "Relance 2", "Relance 3"])
        again = sent.filtered(lambda r: r.level_id.name == "Relance 3")
        self.assertFalse(again.announces_suspension)
        self.assertIn("Compte toujours suspendu", again.mail_ids.subject)
        body = text(self.emails(again).body)
        self.assertNotIn("contraints de suspendre", body)
        self.assertIn("votre compte demeure suspendu", body)

    def test_relance_2_email_claims_no_unposted_letter_and_recital_gives_medium(self):
        partner = self.customer("Plomberie Garnier SARL")
        self.invoice(partner, 900.0, "2026-03-01", invoice_date="2026-02-01")
        for day in ("2026-03-09", "2026-03-16"):
            self.run_on(day)
        relance_2 = self.run_on("2026-03-31")
        self.send_mails()
        body = text(self.emails(relance_2).body)
        self.assertNotIn("vous est adressé en parallèle", body)
        self.assertIn("Ce message sera suivi d'une lettre recommandée avec accusé de réception", body)
        self.assertEqual(relance_2.state, "to_print")
        # its letter never posted: the next message recalls the email only, with its date, and
        # takes the unposted letter's place (the email stands alone)
        relance_3 = self.run_on("2026-04-15")
        self.assertEqual((relance_2.state, relance_2.channel), ("sent", "email"))
        body = text(self.emails(relance_3).body)
        self.assertIn("Relance 2 : par courriel le 31/03/2026", body)
        self.assertNotIn("lettre recommandée n°", body)
        self.assertIn("Relance 1 : par courriel le 16/03/2026", body)

    def test_recital_of_a_posted_registered_letter(self):
        partner = self.customer("Carrosserie Lenoir SARL")
        self.invoice(partner, 900.0, "2026-03-01", invoice_date="2026-02-01")
        for day in ("2026-03-09", "2026-03-16"):
            self.run_on(day)
        relance_2 = self.run_on("2026-03-31")
        self.send_mails()
        with freeze_time("2026-04-01"):
            relance_2.tracking_number = "1A00123456789"
            relance_2.action_mark_sent()
        relance_2.write({"delivery_date": "2026-04-03", "delivery_status": "delivered"})
        relance_3 = self.run_on("2026-04-15")
        body = text(self.emails(relance_3).body)
        self.assertIn(
            "Relance 2 : par courriel le 31/03/2026 et par lettre recommandée n° 1A00123456789 postée le "
            "01/04/2026, présentée le 03/04/2026",
            body,
        )

    def test_bounced_courtesy_notice_never_blocks(self):
        partner = self.customer("Fleurs Martin SARL", email="fleurs@bounce.example")
        inv = self.invoice(partner, 250.0, "2026-04-30", invoice_date="2026-04-01")
        notice = self.run_on("2026-04-22")
        self.assertEqual(notice.level_id.name, "Prévenance")
        with freeze_time("2026-04-22"):
            notice._relance_mail_failed("550 unknown user", bounced=True)
        self.assertEqual((notice.state, notice.channel), ("to_print", "letter"))  # before the due date
        # never printed: on the due date the run cancels it, the dunning goes on
        self.run_on("2026-04-30")
        self.assertEqual(notice.state, "cancel")
        self.assertIn("the dunning takes over", text(notice.message_ids[0].body))
        first = self.run_on("2026-05-08")
        self.assertEqual(first.level_id.name, "Premier rappel")
        self.assertEqual(first.invoice_ids, inv)

    def test_courtesy_email_lost_after_the_due_date_is_not_a_letter(self):
        partner = self.customer("Primeur Dubois SARL", email="primeur@bounce.example")
        self.invoice(partner, 250.0, "2026-04-30", invoice_date="2026-04-01")
        notice = self.run_on("2026-04-22")
        with freeze_time("2026-05-02"):
            notice._relance_mail_failed("returned", bounced=True)
        self.assertEqual(notice.state, "cancel")
        self.assertFalse(notice.letter_attachment_id)

    def test_letter_waiting_too_long_is_flagged_and_blocks_no_longer(self):
        partner = self.customer("Boucherie Morel SARL", email=False)
        self.invoice(partner, 600.0, "2026-03-01", invoice_date="2026-02-01")
        policy = self.policies["standard"]
        policy.min_gap_days = 0
        policy.level_ids.filtered(lambda lv: lv.name == "Relance 1").days = 12
        letter = self.run_on("2026-03-09")
        self.assertEqual(
            (letter.level_id.name, letter.channel, letter.state), ("Premier rappel", "letter", "to_print")
        )
        # Relance 1 is due on 13/03, but the account waits for its letter to be posted (5 days)
        self.assertFalse(self.run_on("2026-03-13"))
        with freeze_time("2026-03-14"):
            self.assertEqual((letter.print_age, letter.print_late), (5, False))
        relance_1 = self.run_on("2026-03-15")  # 6 days: the letter no longer holds the account
        self.assertEqual(relance_1.level_id.name, "Relance 1")
        # the new letter supersedes the one never posted: one letter per customer to print
        self.assertEqual(letter.state, "cancel")
        self.assertEqual(
            self.Reminder.search([("partner_id", "=", partner.id), ("state", "=", "to_print")]), relance_1
        )

    def test_print_queue_formal_notices_first_then_registered_then_by_age(self):
        from lxml import etree

        self.policies["standard"].skip_levels = True
        self.policies["standard"].min_gap_days = 60  # nothing else meanwhile
        plain = self.run_on_customer("Atelier Plain SARL", "2026-03-01", "2026-03-10", email=False)
        registered = self.run_on_customer("Atelier Reco SARL", "2026-02-20", "2026-03-25", email=False)
        notice = self.run_on_customer("Atelier Notice SARL", "2026-01-01", "2026-03-26")
        manager = new_test_user(self.env, "manager.queue", groups="account.group_account_manager")
        with freeze_time("2026-03-26"):
            self.validate(notice.with_user(manager))
        self.assertEqual(
            (plain.channel, registered.channel, notice.channel),
            ("letter", "registered_letter", "registered_letter"),
        )
        view = self.env.ref("relance_fr.relance_reminder_view_list")
        order = etree.fromstring(view.arch).get("default_order")
        queue = self.Reminder.search([("state", "=", "to_print")], order=order)
        self.assertEqual(queue.ids[:3], [notice.id, registered.id, plain.id])
        with freeze_time("2026-03-26"):
            self.assertEqual(plain.print_age, 16)

    def run_on_customer(self, name, due, day, email="compta@client.fr"):
        partner = self.customer(name, email=email)
        self.invoice(partner, 500.0, due, invoice_date=due)
        return self.run_on(day).filtered(lambda r: r.partner_id == partner)

    def test_late_letter_gets_an_activity_once(self):
        partner = self.customer("Quincaillerie Petit SARL", email=False)
        self.invoice(partner, 600.0, "2026-03-01", invoice_date="2026-02-01")
        self.policies["standard"].min_gap_days = 30  # no other message meanwhile
        letter = self.run_on("2026-03-09")
        self.run_on("2026-03-15")
        with freeze_time("2026-03-15"):
            self.assertTrue(letter.print_late)
            self.assertIn(letter, self.Reminder.search([("print_late", "=", True)]))
        todo = letter.activity_ids.filtered(lambda a: a.summary == "Letter waiting to be posted")
        self.assertEqual(len(todo), 1)
        self.assertEqual(todo.user_id, self.specialist)
        self.run_on("2026-03-16")
        self.assertEqual(
            len(letter.activity_ids.filtered(lambda a: a.summary == "Letter waiting to be posted")), 1
        )

    def test_letter_of_an_email_that_left_is_dated_when_printed(self):
        partner = self.customer("Imprimerie Faure SARL")
        self.invoice(partner, 700.0, "2026-03-01", invoice_date="2026-02-01")
        for day in ("2026-03-09", "2026-03-16"):
            self.run_on(day)
        relance_2 = self.run_on("2026-03-31")
        self.send_mails()
        with freeze_time("2026-04-02"):
            relance_2.with_context(force_report_rendering=True).action_print_letters()
        self.assertEqual(str(relance_2.date), "2026-03-31")  # the email's date
        self.assertEqual(str(relance_2.letter_date), "2026-04-02")
        self.assertIn("2 avril 2026", relance_2._relance_values()["date_long"])

    def test_invoice_mode_keeps_one_ladder_per_invoice(self):
        self.policies["standard"].escalation = "invoice"
        partner = self.customer("Garage Bernard SARL")
        self.invoice(partner, 1000.0, "2026-03-01", invoice_date="2026-02-01")
        self.invoice(partner, 400.0, "2026-04-05", invoice_date="2026-03-05")
        sent = self.Reminder
        for day in ("2026-03-09", "2026-03-16", "2026-03-31", "2026-04-13"):
            sent |= self.run_on(day)
        self.assertEqual(sent.sorted("date")[-1].level_id.name, "Premier rappel")

    def test_a_call_is_rebuilt_without_what_was_promised_since(self):
        partner = self.customer("Menuiserie Caron SARL", relance_channel="phone", phone="04 78 00 00 11")
        first = self.invoice(partner, 800.0, "2026-03-01", invoice_date="2026-02-01")
        second = self.invoice(partner, 200.0, "2026-03-02", invoice_date="2026-02-02")
        call = self.run_on("2026-03-10")
        self.assertEqual((call.state, call.invoice_ids), ("to_call", first | second))
        with freeze_time("2026-03-11"):
            self.env["relance.promise"].with_user(self.specialist).create(
                {"partner_id": partner.id, "invoice_ids": [(6, 0, first.ids)], "date": "2026-03-20"}
            )
            call.with_user(self.specialist).action_log_call()
        self.assertEqual(call.invoice_ids, second)
        self.assertEqual(str(call.date), "2026-03-11")
        self.assertIn(
            f"{first.name} under a promise to pay since, no longer listed.", text(call.message_ids[0].body)
        )


@tagged("post_install", "-at_install")
class TestNoHandEdits(RelanceCase):
    def test_pending_formal_notice_cannot_be_edited_by_anyone(self):
        partner = self.customer("Transports Girard SARL")
        other = self.customer("Autre Client SARL")
        self.policies["standard"].skip_levels = True
        self.invoice(partner, 2000.0, "2026-01-01", invoice_date="2025-12-01")
        notice = self.run_on("2026-03-15")
        self.assertEqual((notice.level_id.name, notice.state), ("Mise en demeure", "to_validate"))
        billing = new_test_user(self.env, "billing.edit", groups="account.group_account_invoice")
        manager = new_test_user(self.env, "manager.edit", groups="account.group_account_manager")
        level_1 = self.policies["standard"].level_ids.filtered(lambda lv: lv.name == "Relance 1")
        for user in (billing, manager):
            for vals in (
                {"partner_id": other.id},
                {"level_id": level_1.id},
                {"penalty_amount": 0.0},
                {"amount_due": 1.0},
                {"invoice_ids": [(5, 0, 0)]},
            ):
                with self.assertRaisesRegex(UserError, "never by hand"):
                    notice.with_user(user).write(vals)
        self.assertEqual((notice.partner_id, notice.level_id.name), (partner, "Mise en demeure"))

    def test_sent_reminder_refuses_an_amount(self):
        partner = self.customer()
        self.invoice(partner, 500.0, "2026-03-01", invoice_date="2026-02-01")
        reminder = self.run_on("2026-03-09")
        self.send_mails()
        self.assertEqual(reminder.state, "sent")
        manager = new_test_user(self.env, "manager.sent", groups="account.group_account_manager")
        with self.assertRaisesRegex(UserError, "went out"):
            reminder.with_user(manager).amount_due = 1.0

    def test_validation_shows_the_letter_that_leaves(self):
        partner = self.customer("Électricité Roche SARL")
        self.policies["standard"].skip_levels = True
        inv = self.invoice(partner, 2000.0, "2026-01-01", invoice_date="2025-12-01")
        other = self.invoice(partner, 500.0, "2026-01-10", invoice_date="2025-12-10")
        notice = self.run_on("2026-03-15")
        manager = new_test_user(self.env, "manager.validate", groups="account.group_account_manager")
        with freeze_time("2026-03-18"):
            action = notice.with_user(manager).with_context(force_report_rendering=True).action_validate()
            wizard = self.env[action["res_model"]].browse(action["res_id"])
            shown = notice.letter_attachment_id
            self.assertTrue(wizard.preview)
            # the manager reads the real PDF, the letter built for today
            shown_text = " ".join(pages(base64.b64decode(wizard.preview)))
            self.assertIn("Objet : mise en demeure de payer", shown_text)
            self.assertIn(other.name, shown_text)
            self.assertEqual(str(notice.date), "2026-03-18")  # built for the day it leaves
            # something changes after it was shown: the validation is refused, nothing leaves
            self.pay(other, day="2026-03-18")
            notice._relance_rebuild()
            with self.assertRaisesRegex(UserError, "changed since they were shown"):
                wizard.with_user(manager).action_confirm()
            self.assertEqual(notice.state, "to_validate")
            action = notice.with_user(manager).with_context(force_report_rendering=True).action_validate()
            wizard = self.env[action["res_model"]].browse(action["res_id"])
            shown = notice.letter_attachment_id
            wizard.with_user(manager).action_confirm()
        self.assertEqual(notice.state, "to_print")
        self.assertEqual(notice.letter_attachment_id, shown)  # the letter shown is the one that leaves
        self.assertEqual(notice.invoice_ids, inv)
        self.assertEqual(inv.relance_level_id.name, "Mise en demeure")

    def test_billing_user_cannot_validate(self):
        partner = self.customer("Peinture Morin SARL")
        self.policies["standard"].skip_levels = True
        self.invoice(partner, 2000.0, "2026-01-01", invoice_date="2025-12-01")
        notice = self.run_on("2026-03-15")
        billing = new_test_user(self.env, "billing.validate", groups="account.group_account_invoice")
        with self.assertRaisesRegex(UserError, "Only an accounting manager"):
            notice.with_user(billing).action_validate()
        self.assertEqual(notice.state, "to_validate")
        self.assertFalse(notice.partner_id.relance_level_id)  # nothing left: no level received


@tagged("post_install", "-at_install")
class TestLetterAfterThePage(PortalCase):
    def test_letter_printed_after_a_promise_and_a_declared_payment_on_the_page(self):
        client = self.customer("Épicerie Vidal SARL", email="compta@vidal.fr")
        today = self.today
        a = self.invoice(client, 500.0, today - timedelta(days=40), invoice_date=today - timedelta(days=70))
        b = self.invoice(client, 300.0, today - timedelta(days=38), invoice_date=today - timedelta(days=68))
        c = self.invoice(client, 200.0, today - timedelta(days=36), invoice_date=today - timedelta(days=66))
        for days in (32, 25, 10):
            self.run_on(today - timedelta(days=days))
        relance_2 = self.Reminder.search([("partner_id", "=", client.id), ("state", "=", "to_print")])
        self.assertEqual(relance_2.level_id.name, "Relance 2")
        self.assertEqual(relance_2.invoice_ids, a | b | c)
        self.send_mails()
        self.url = client._relance_portal_url()
        self.path = self.url.split(client.get_base_url(), 1)[1]
        promised = self.post(
            "promise", {"date": (today + timedelta(days=7)).isoformat(), "invoice_ids": [a.id]}
        )
        self.assertEqual(promised.status_code, 200)
        paid = self.post(
            "paid",
            {
                "date": (today - timedelta(days=1)).strftime("%d/%m/%Y"),
                "amount": "300,00",
                "means": "virement",
                "invoice_ids": [b.id],
            },
        )
        self.assertEqual(paid.status_code, 200)
        relance_2.with_context(force_report_rendering=True).action_print_letters()
        self.assertEqual(relance_2.invoice_ids, c)
        self.assertEqual(relance_2.letter_date, today)
        note = text(relance_2.message_ids[0].body)
        self.assertIn(f"{a.name} under a promise to pay since, no longer listed.", note)
        self.assertIn(f"{b.name} declared paid by the customer since, no longer listed.", note)
        self.assertEqual(len(relance_2.mail_ids), 1)  # the email went as it was
        self.assertIn(a.name, relance_2.mail_ids.body_html)
