"""Event messages and the monthly statement: what sends each of the eight templates, what the
customer reads, and that each event gets one message only."""

import subprocess
import tempfile
import unittest
from datetime import date

from odoo import Command
from odoo.addons.relance_fr import compat
from odoo.addons.relance_fr.tools import relance_rules
from odoo.exceptions import UserError, ValidationError
from odoo.tests import freeze_time, tagged

from .common import RelanceCase, fr, text

EVENT_TEMPLATES = {
    "welcome": "res.partner",
    "invoice": "account.move",
    "payment_received": "account.move",
    "partial_payment": "account.move",
    "payment_failed": "account.move",
    "credit_limit": "res.partner",
    "large_balance": "res.partner",
    "statement": "res.partner",
}


class TestEventRules(unittest.TestCase):
    """The pure rules behind the events."""

    def test_age_totals_keep_every_bucket_in_order(self):
        totals = relance_rules.age_totals([(-3, 300.0), (10, 2500.5), (42, 1000.0), (95, 10.0), (12, 1.0)])
        self.assertEqual(list(totals), ["not_due", "1_30", "31_60", "61_90", "over_90"])
        self.assertEqual(
            totals, {"not_due": 300.0, "1_30": 2501.5, "31_60": 1000.0, "61_90": 0.0, "over_90": 10.0}
        )
        self.assertEqual(sum(relance_rules.age_totals([]).values()), 0.0)

    def test_credit_ratio(self):
        self.assertEqual(relance_rules.credit_ratio(9500.0, 10000.0), 95.0)
        self.assertIsNone(relance_rules.credit_ratio(9500.0, 0.0))
        self.assertIsNone(relance_rules.credit_ratio(9500.0, None))

    def test_crossed_once_per_crossing(self):
        self.assertEqual(relance_rules.crossed(False, 80.0, 90.0), (False, False))
        self.assertEqual(relance_rules.crossed(False, 90.0, 90.0), (True, True))  # reaching it counts
        self.assertEqual(relance_rules.crossed(True, 97.0, 90.0), (False, True))  # still above: silent
        self.assertEqual(relance_rules.crossed(True, 82.0, 90.0), (False, False))  # back under: reset
        self.assertEqual(relance_rules.crossed(False, 92.0, 90.0), (True, True))  # next crossing
        self.assertEqual(relance_rules.crossed(False, 50000.0, 0.0), (False, False))  # no threshold
        self.assertEqual(relance_rules.crossed(True, None, 90.0), (False, False))  # no limit any more

    def test_payment_event(self):
        self.assertEqual(relance_rules.payment_event(1234.56, 0.0), "paid")
        self.assertEqual(relance_rules.payment_event(1234.56, 1000.0), "partial")
        self.assertIsNone(relance_rules.payment_event(1234.56, 1234.56))
        self.assertIsNone(relance_rules.payment_event(0.0, 0.0))
        self.assertEqual(relance_rules.payment_event(100.0, 0.004), "paid")

    def test_thanks_due(self):
        self.assertTrue(relance_rules.thanks_due("reminded", True))
        self.assertFalse(relance_rules.thanks_due("reminded", False))
        self.assertTrue(relance_rules.thanks_due("always", False))
        self.assertFalse(relance_rules.thanks_due("never", True))

    def test_statement_day_and_catch_up(self):
        self.assertEqual(relance_rules.statement_run_date(2026, 2, 31), date(2026, 2, 28))
        self.assertTrue(relance_rules.statement_due(date(2026, 5, 1), 1))
        self.assertFalse(relance_rules.statement_due(date(2026, 5, 1), 1, date(2026, 5, 1)))
        self.assertFalse(relance_rules.statement_due(date(2026, 5, 4), 5, date(2026, 4, 5)))
        self.assertTrue(relance_rules.statement_due(date(2026, 5, 7), 5, date(2026, 4, 5)))  # missed day
        self.assertTrue(relance_rules.statement_due(date(2026, 2, 28), 31, date(2026, 1, 31)))


@tagged("post_install", "-at_install")
class EventCase(RelanceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Event = cls.env["relance.event"]

    def events(self, kind, partner):
        return self.Event.search([("kind", "=", kind), ("partner_id", "=", partner.commercial_partner_id.id)])

    def message(self, kind, partner):
        """The one message of ``kind`` sent to ``partner``."""
        events = self.events(kind, partner)
        self.assertEqual(len(events), 1, f"one {kind} message expected, got {len(events)}")
        self.assertFalse(events.error_message)
        message = events.message_id
        self.assertTrue(message)
        self.assertEqual(message.message_type, "comment")
        self.assertEqual(message.subtype_id, self.env.ref("mail.mt_comment"))
        return message

    def body(self, message):
        """What the customer reads: the email that leaves with the message (the copy kept in
        the chatter shows a dead link to the customer's page, tests/test_portal_hardening.py)."""
        mail = self.env["mail.mail"].sudo().search([("mail_message_id", "=", message.id)], limit=1)
        return fr(text(mail.body_html if mail else message.body))

    def assert_facts(self, body, *facts):
        for fact in facts:
            self.assertIn(fr(fact), body)
        for leftover in ("{{", "}}", "False", "None", "t-out"):
            self.assertNotIn(leftover, body)

    def contact(self, partner, name="Sophie Martin"):
        return self.env["res.partner"].create(
            {"name": name, "type": "invoice", "parent_id": partner.id, "email": "sophie@client.fr"}
        )

    def refund(self, partner, amount, day):
        move = (
            self.env["account.move"]
            .with_company(self.company)
            .create(
                {
                    "move_type": "out_refund",
                    "partner_id": partner.id,
                    "invoice_date": day,
                    "invoice_line_ids": [
                        Command.create({"name": "Avoir", "quantity": 1, "price_unit": amount, "tax_ids": []})
                    ],
                }
            )
        )
        with freeze_time(day):
            move.action_post()
        return move

    def advance(self, partner, amount, day):
        """A customer payment received but matched with no invoice yet."""
        payment = (
            self.env["account.payment"]
            .with_company(self.company)
            .create(
                {
                    "payment_type": "inbound",
                    "partner_type": "customer",
                    "partner_id": partner.id,
                    "amount": amount,
                    "date": day,
                    "journal_id": self.company_data["default_journal_bank"].id,
                }
            )
        )
        with freeze_time(day):
            payment.action_post()
        return payment

    def reminded_invoice(self, amount=1234.56, name="Boulangerie Martin SARL"):
        partner = self.customer(name)
        inv = self.invoice(partner, amount, "2026-03-31", invoice_date="2026-03-01")
        self.run_on("2026-04-08")  # Premier rappel
        self.assertTrue(inv.relance_level_id)
        return partner, inv

    def cron_statement(self, day):
        with freeze_time(day):
            self.env["res.partner"]._cron_relance_statement()


@tagged("post_install", "-at_install")
class TestWelcome(EventCase):
    def test_first_invoice_brings_the_welcome_message(self):
        partner = self.customer("Boulangerie Martin SARL")
        contact = self.contact(partner)
        self.invoice(partner, 500.0, "2026-03-31")
        message = self.message("welcome", partner)
        self.assertEqual((message.model, message.res_id), ("res.partner", partner.id))
        self.assertEqual(message.subject, "Bienvenue chez Atelier Dupont SAS – votre contact comptabilité")
        self.assertEqual(message.partner_ids, contact)
        self.assertEqual(message.email_from, self.specialist.email_formatted)
        self.assert_facts(
            self.body(message),
            "Bonjour Sophie Martin",
            "Boulangerie Martin SARL",
            "Atelier Dupont SAS",
            "Claire Martin",
            "claire.martin@atelier-dupont.fr",
            "04 72 00 00 01",
            partner._relance_portal_url(),  # the customer's page
        )
        mail = self.env["mail.mail"].search([("mail_message_id", "=", message.id)])
        self.assertEqual(mail.recipient_ids, contact)
        self.assertFalse(mail.auto_delete)
        # the next invoices bring nothing more
        invoice = self.invoice(partner, 200.0, "2026-04-30")
        self.Event._welcome_new_customers(invoice)
        self.assertEqual(len(self.events("welcome", partner)), 1)

    def test_welcome_setting_and_excluded_customer(self):
        self.company.relance_welcome_auto = False
        quiet = self.customer("Client Sans Accueil")
        self.invoice(quiet, 100.0, "2026-03-31")
        self.assertFalse(self.events("welcome", quiet))
        self.company.relance_welcome_auto = True
        excluded = self.customer("Client Exclu", relance_excluded=True)
        self.invoice(excluded, 100.0, "2026-03-31")
        self.assertFalse(self.events("welcome", excluded))
        with self.assertRaises(UserError):
            excluded.action_relance_send_welcome()

    def test_welcome_button(self):
        partner = self.customer("Garage Petit SARL")
        partner.action_relance_send_welcome()
        message = self.message("welcome", partner)
        self.assert_facts(self.body(message), "Garage Petit SARL", "Claire Martin")
        # already welcomed by hand: the first invoice does not welcome again
        self.invoice(partner, 100.0, "2026-03-31")
        self.assertEqual(len(self.events("welcome", partner)), 1)
        # the button always sends: it is the user's decision
        partner.action_relance_send_welcome()
        self.assertEqual(len(self.events("welcome", partner)), 2)

    def test_customer_specialist_signs_and_sends(self):
        own = self.env["res.users"].create(
            {
                "name": "Marc Lefèvre",
                "login": "marc.lefevre",
                "email": "marc.lefevre@atelier-dupont.fr",
                "company_id": self.company.id,
                "company_ids": [Command.set(self.company.ids)],
            }
        )
        partner = self.customer("Client Suivi", relance_specialist_id=own.id)
        self.invoice(partner, 100.0, "2026-03-31")
        message = self.message("welcome", partner)
        self.assertEqual(message.email_from, own.email_formatted)
        self.assert_facts(
            self.body(message), "Marc Lefèvre", "marc.lefevre@atelier-dupont.fr", "+33 4 72 00 00 00"
        )


@tagged("post_install", "-at_install")
class TestInvoiceMessage(EventCase):
    def test_invoice_template_in_the_send_wizard(self):
        partner = self.customer("Boulangerie Martin SARL")
        inv = self.invoice(partner, 1234.56, "2026-03-31", invoice_date="2026-03-01")
        template = self.env.ref("relance_fr.mail_template_invoice")
        offered = self.env["mail.template"].search([("model", "=", "account.move")])
        self.assertIn(template, offered)  # the wizard's template domain
        # Odoo's wizard: its fields lost their "mail_" prefix in 19.0
        template_field, lang, subject, body = (
            ("template_id", "lang", "subject", "body")
            if compat.V19
            else ("mail_template_id", "mail_lang", "mail_subject", "mail_body")
        )
        wizard = (
            self.env["account.move.send.wizard"]
            .with_context(active_model="account.move", active_ids=inv.ids)
            .create({"sending_methods": ["email"], template_field: template.id})
        )
        self.assertEqual(wizard[lang], "fr_FR")
        self.assertEqual(wizard[subject], f"Votre facture {inv.name} – Atelier Dupont SAS")
        body = fr(text(wizard[body]))
        self.assert_facts(
            body,
            inv.name,
            "Boulangerie Martin SARL",
            "1 234,56 €",
            "01/03/2026",
            "31/03/2026",
            inv.commercial_partner_id._relance_portal_url(),  # the customer's page
            "FR76 3000 6000 0112 3456 7890 189",
            "Claire Martin",
            "claire.martin@atelier-dupont.fr",
            "04 72 00 00 01",
        )
        wizard.action_send_and_print(allow_fallback_pdf=True)
        message = inv.message_ids.filtered(lambda m: m.subject == wizard[subject])
        self.assertEqual(len(message), 1)
        self.assertEqual(message.email_from, self.specialist.email_formatted)
        self.assertIn(partner, message.partner_ids)


@tagged("post_install", "-at_install")
class TestPaymentMessages(EventCase):
    def test_full_payment_after_a_reminder_is_thanked(self):
        partner, inv = self.reminded_invoice()
        self.pay(inv, day="2026-04-10")
        message = self.message("payment_received", partner)
        self.assertEqual((message.model, message.res_id), ("account.move", inv.id))
        self.assertEqual(message.subject, f"Merci pour votre règlement – facture {inv.name}")
        self.assertEqual(message.partner_ids, partner)
        self.assertEqual(message.email_from, self.specialist.email_formatted)
        self.assert_facts(
            self.body(message),
            inv.name,
            "1 234,56 €",
            "01/03/2026",
            "entièrement réglée",
            "ne pas en tenir compte",
            "Claire Martin",
        )

    def test_thanks_setting(self):
        partner = self.customer("Client Sans Relance")
        inv = self.invoice(partner, 300.0, "2026-03-31")
        self.pay(inv, day="2026-03-30")
        self.assertFalse(self.events("payment_received", partner))  # never reminded
        self.company.relance_thanks_mode = "always"
        inv2 = self.invoice(partner, 400.0, "2026-04-30")
        self.pay(inv2, day="2026-04-29")
        message = self.message("payment_received", partner)
        self.assertEqual(message.res_id, inv2.id)
        self.assertNotIn("ne pas en tenir compte", self.body(message))
        self.company.relance_thanks_mode = "never"
        other, inv3 = self.reminded_invoice(name="Client Jamais Remercié")
        self.pay(inv3, day="2026-04-10")
        self.assertFalse(self.events("payment_received", other))

    def test_partial_payment_then_the_rest(self):
        partner, inv = self.reminded_invoice(1234.56)
        self.pay(inv, amount=234.56, day="2026-04-12")
        message = self.message("partial_payment", partner)
        self.assertEqual(message.res_id, inv.id)
        self.assertEqual(message.subject, f"Règlement partiel bien reçu – facture {inv.name}")
        self.assert_facts(
            self.body(message),
            inv.name,
            "234,56 €",
            "12/04/2026",
            "1 234,56 €",
            "31/03/2026",
            "il reste 1 000,00 € à régler",
            inv.commercial_partner_id._relance_portal_url(),  # the customer's page
            "Claire Martin",
        )
        self.assertFalse(self.events("payment_received", partner))
        self.pay(inv, day="2026-04-20")
        self.assertEqual(len(self.events("partial_payment", partner)), 1)
        self.assertEqual(self.message("payment_received", partner).res_id, inv.id)

    def test_excluded_customer_gets_only_the_thanks(self):
        partner, inv = self.reminded_invoice(500.0)
        partner.relance_excluded = True
        self.pay(inv, amount=100.0, day="2026-04-12")
        self.assertFalse(self.events("partial_payment", partner))
        self.pay(inv, day="2026-04-20")
        self.message("payment_received", partner)

    def test_credit_note_is_not_a_payment(self):
        partner, inv = self.reminded_invoice(200.0)
        refund = self.refund(partner, 200.0, "2026-04-10")
        (inv.line_ids | refund.line_ids).filtered(
            lambda line: line.account_type == "asset_receivable"
        ).reconcile()
        self.assertIn(inv.payment_state, ("paid", "reversed"))
        self.assertFalse(self.events("payment_received", partner))

    def test_cancelled_payment_is_announced_once(self):
        partner = self.customer("Client Prélevé")
        inv = self.invoice(partner, 800.0, "2026-03-31", invoice_date="2026-03-01")
        self.pay(inv, day="2026-04-02")
        payment = inv.matched_payment_ids
        self.assertEqual(inv.payment_state, "paid")
        payment.action_draft()
        self.assertFalse(self.events("payment_failed", partner))  # a reset alone is no failure
        payment.action_cancel()
        self.assertEqual(inv.payment_state, "not_paid")
        message = self.message("payment_failed", partner)
        self.assertEqual((message.model, message.res_id), ("account.move", inv.id))
        self.assertEqual(message.subject, f"Action requise : règlement non abouti – facture {inv.name}")
        body = self.body(message)
        self.assert_facts(
            body,
            inv.name,
            "800,00 €",
            "02/04/2026",
            "01/03/2026",
            "31/03/2026",
            inv.commercial_partner_id._relance_portal_url(),  # the customer's page
            "FR76 3000 6000 0112 3456 7890 189",
            "Claire Martin",
        )
        self.assertNotIn("volontaire", body)
        self.assertFalse(payment.relance_settlements)

    def test_reversed_payment_is_announced_once_and_a_new_payment_thanked(self):
        partner, inv = self.reminded_invoice(600.0)
        self.pay(inv, amount=200.0, day="2026-04-10")
        self.pay(inv, day="2026-04-12")
        self.message("payment_received", partner)
        payment = inv.matched_payment_ids.sorted("id")[-1]
        settled = self.Event._settlements(payment.move_id)
        self.assertEqual([row[1:3] for row in settled], [[inv.id, 400.0]])
        reversal = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=payment.move_id.ids)
            .create(
                {"journal_id": payment.move_id.journal_id.id, "date": date(2026, 4, 20), "reason": "Rejet"}
            )
        )
        reversal.refund_moves()
        self.assertEqual(inv.payment_state, "partial")
        message = self.message("payment_failed", partner)
        self.assert_facts(self.body(message), inv.name, "400,00 €", "12/04/2026")
        # the same event again: no second message
        self.Event._on_settlements_undone(settled)
        self.assertEqual(len(self.events("payment_failed", partner)), 1)
        # paid again: thanked again, for the new payment
        self.pay(inv, day="2026-04-25")
        self.assertEqual(len(self.events("payment_received", partner)), 2)

    def test_excluded_invoice_gets_no_failure_message(self):
        partner = self.customer()
        inv = self.invoice(partner, 300.0, "2026-03-31")
        self.pay(inv, day="2026-04-02")
        inv.write({"relance_excluded": True, "relance_excluded_reason": "Litige"})
        payment = inv.matched_payment_ids
        payment.action_draft()
        payment.action_cancel()
        self.assertFalse(self.events("payment_failed", partner))


@tagged("post_install", "-at_install")
class TestBalanceMessages(EventCase):
    def test_credit_limit_warning_once_per_crossing(self):
        self.company.account_use_credit_limit = True
        partner = self.customer("Garage Petit SARL")
        partner.with_company(self.company).credit_limit = 10000.0
        inv1 = self.invoice(partner, 8000.0, "2026-05-31", invoice_date="2026-05-01")  # 80 %
        self.assertFalse(self.events("credit_limit", partner))
        inv2 = self.invoice(partner, 1500.0, "2026-06-15", invoice_date="2026-05-16")  # 95 %
        message = self.message("credit_limit", partner)
        self.assertEqual((message.model, message.res_id), ("res.partner", partner.id))
        self.assertIn("limite de crédit", message.subject)
        self.assertIn("Garage Petit SARL", message.subject)
        self.assert_facts(
            self.body(message),
            "9 500,00 €",
            "95 %",
            "10 000,00 €",
            inv1.name,
            inv2.name,
            "8 000,00 €",
            "31/05/2026",
            "15/06/2026",
            "Claire Martin",
            partner._relance_portal_url(),  # the customer's page
        )
        self.assertTrue(partner.with_company(self.company).relance_credit_warned)
        self.invoice(partner, 200.0, "2026-06-30")  # 97 %: still above, no new message
        self.assertEqual(len(self.events("credit_limit", partner)), 1)
        self.pay(inv2, day="2026-06-01")  # 8 200 €: 82 %
        self.assertFalse(partner.with_company(self.company).relance_credit_warned)
        self.invoice(partner, 1000.0, "2026-07-15")  # 92 %: a new crossing
        self.assertEqual(len(self.events("credit_limit", partner)), 2)
        self.assertFalse(self.events("large_balance", partner))  # no threshold set

    def test_warning_share_setting_and_no_limit(self):
        self.company.relance_credit_warning_pct = 50.0
        partner = self.customer("Client Prudent")
        partner.with_company(self.company).credit_limit = 1000.0
        self.invoice(partner, 600.0, "2026-05-31")
        self.assert_facts(self.body(self.message("credit_limit", partner)), "600,00 €", "60 %", "1 000,00 €")
        unlimited = self.customer("Client Sans Limite")
        self.invoice(unlimited, 900000.0, "2026-05-31")
        self.assertFalse(self.events("credit_limit", unlimited))

    def test_excluded_customer_gets_no_credit_warning(self):
        partner = self.customer("Client En Litige", relance_excluded=True)
        partner.with_company(self.company).credit_limit = 1000.0
        self.invoice(partner, 950.0, "2026-05-31")
        self.assertFalse(self.events("credit_limit", partner))
        self.assertFalse(partner.with_company(self.company).relance_credit_warned)

    def test_large_balance_once_per_crossing(self):
        self.company.relance_large_balance = 20000.0
        partner = self.customer("Menuiserie Roux SAS")
        self.invoice(partner, 15000.0, "2026-05-31")
        self.assertFalse(self.events("large_balance", partner))
        inv2 = self.invoice(partner, 6000.0, "2026-06-30")
        message = self.message("large_balance", partner)
        self.assertIn("solde", message.subject)
        self.assert_facts(self.body(message), "Menuiserie Roux SAS", "21 000,00 €", inv2.name, "30/06/2026")
        self.assertNotIn(fr("20 000,00 €"), self.body(message))  # the threshold is ours
        self.invoice(partner, 1000.0, "2026-07-31")
        self.assertEqual(len(self.events("large_balance", partner)), 1)
        self.pay(inv2, day="2026-06-20")
        self.assertFalse(partner.with_company(self.company).relance_balance_warned)
        self.invoice(partner, 5000.0, "2026-08-31")
        self.assertEqual(len(self.events("large_balance", partner)), 2)
        self.assertFalse(self.events("credit_limit", partner))  # no credit limit on this customer


@tagged("post_install", "-at_install")
class TestStatement(EventCase):
    def statement_customer(self):
        partner = self.customer("Menuiserie Roux SAS")
        contact = self.contact(partner)
        old = self.invoice(partner, 1000.0, "2026-03-20", invoice_date="2026-02-20")  # 42 days late
        recent = self.invoice(partner, 2500.5, "2026-04-21", invoice_date="2026-03-22")  # 10 days late
        future = self.invoice(partner, 300.0, "2026-05-15", invoice_date="2026-04-15")  # not due
        refund = self.refund(partner, 100.0, "2026-04-10")
        advance = self.advance(partner, 50.0, "2026-04-25")
        return partner, contact, (old, recent, future, refund, advance)

    def test_monthly_statement_lists_open_items_and_totals(self):
        partner, contact, (old, recent, future, refund, advance) = self.statement_customer()
        up_to_date = self.customer("Client À Jour")
        self.invoice(up_to_date, 400.0, "2026-05-20")
        excluded = self.customer("Client Exclu")
        self.invoice(excluded, 100.0, "2026-03-31")
        excluded.relance_excluded = True
        self.cron_statement("2026-05-01")
        message = self.message("statement", partner)
        self.assertEqual((message.model, message.res_id), ("res.partner", partner.id))
        self.assertEqual(message.subject, "Relevé de compte au 01/05/2026 – Menuiserie Roux SAS")
        self.assertEqual(message.partner_ids, contact)
        self.assertEqual(message.email_from, self.specialist.email_formatted)
        body = self.body(message)
        self.assert_facts(
            body,
            "Bonjour Sophie Martin",
            "1er mai 2026",
            old.name,
            recent.name,
            future.name,
            "1 000,00 €",
            "2 500,50 €",
            "300,00 €",
            "20/03/2026",
            f"À déduire : Avoir {refund.name} du 10/04/2026 − 100,00 €",
            f"À déduire : Paiement {advance.move_id.name} du 25/04/2026 − 50,00 €",
            "Non échu 1 à 30 jours 31 à 60 jours 61 à 90 jours Plus de 90 jours Total",
            "300,00 € 2 500,50 € 1 000,00 € 0,00 € 0,00 € 3 800,50 €",
            "Montant échu : 3 500,50 €",
            "Solde net 3 650,50 €",
            "Claire Martin",
        )
        self.assertEqual(len(message.attachment_ids), 1)
        self.assertTrue(
            message.attachment_ids.name.startswith("Relevé de compte Menuiserie Roux SAS 2026-05-01")
        )
        self.assertFalse(self.events("statement", up_to_date))  # nothing overdue
        self.assertFalse(self.events("statement", excluded))
        self.assertEqual(self.company.relance_statement_last_date, date(2026, 5, 1))

    def test_statement_day_once_a_month_and_catch_up(self):
        partner = self.customer()
        self.invoice(partner, 700.0, "2026-03-31")
        self.company.relance_statement_day = 5
        self.cron_statement("2026-05-04")
        self.assertFalse(self.events("statement", partner))
        self.cron_statement("2026-05-05")
        self.assertEqual(len(self.events("statement", partner)), 1)
        self.cron_statement("2026-05-05")
        self.cron_statement("2026-05-06")
        self.assertEqual(len(self.events("statement", partner)), 1)
        self.cron_statement("2026-06-07")  # 5 June was missed: caught up
        self.assertEqual(len(self.events("statement", partner)), 2)
        self.company.relance_statement_auto = False
        self.cron_statement("2026-07-05")
        self.assertEqual(len(self.events("statement", partner)), 2)

    def test_batches_report_progress(self):
        partners = [self.customer(f"Client {i}") for i in range(3)]
        for partner in partners:
            self.invoice(partner, 100.0, "2026-03-31")
        with freeze_time("2026-05-01"):
            self.assertEqual(self.Event._cron_statements(batch_size=2), 2)
            self.assertFalse(self.company.relance_statement_last_date)
            self.assertEqual(self.Event._cron_statements(batch_size=2), 1)
            self.assertEqual(self.company.relance_statement_last_date, date(2026, 5, 1))
            self.assertEqual(self.Event._cron_statements(batch_size=2), 0)
        for partner in partners:
            self.assertEqual(len(self.events("statement", partner)), 1)

    def test_credits_covering_everything_send_no_statement(self):
        partner = self.customer()
        self.invoice(partner, 100.0, "2026-03-31")
        self.advance(partner, 150.0, "2026-04-10")
        self.cron_statement("2026-05-01")
        self.assertFalse(self.events("statement", partner))

    def test_statement_button(self):
        partner = self.customer("Client Du Jour")
        with self.assertRaises(UserError):
            partner.action_relance_send_statement()  # nothing open
        self.invoice(partner, 400.0, "2027-01-31")  # open, not yet due: a statement by hand is fine
        partner.action_relance_send_statement()
        message = self.message("statement", partner)
        self.assert_facts(self.body(message), "400,00 €", "31/01/2027")
        partner.relance_excluded = True
        with self.assertRaises(UserError):
            partner.action_relance_send_statement()

    def test_statement_pdf(self):
        partner, _contact, (old, recent, _future, refund, _advance) = self.statement_customer()
        with freeze_time("2026-05-01"):
            partner.with_context(force_report_rendering=True).action_relance_send_statement()
        attachment = self.message("statement", partner).attachment_ids
        self.assertEqual(attachment.mimetype, "application/pdf")
        self.assertTrue(attachment.raw.startswith(b"%PDF"))
        with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
            file.write(attachment.raw)
            file.flush()
            pdf = subprocess.run(
                ["pdftotext", "-layout", file.name, "-"], capture_output=True, check=True, text=True
            ).stdout
        pdf = fr(pdf)
        for fact in (
            "Relevé de compte au 1er mai 2026",
            "Menuiserie Roux SAS",
            "Atelier Dupont SAS",
            old.name,
            recent.name,
            refund.name,
            "3 800,50 €",
            "3 650,50 €",
        ):
            self.assertIn(fr(fact), pdf)


@tagged("post_install", "-at_install")
class TestTemplates(EventCase):
    def test_every_event_template_renders_for_real_records(self):
        self.company.account_use_credit_limit = True
        partner, inv = self.reminded_invoice()
        partner.with_company(self.company).credit_limit = 2000.0
        self.pay(inv, amount=234.56, day="2026-04-12")
        records = {"res.partner": partner, "account.move": inv}
        with freeze_time("2026-05-01"):
            for name, model in EVENT_TEMPLATES.items():
                template = self.env.ref(f"relance_fr.mail_template_{name}")
                record = records[model]
                self.assertEqual(template.model, model, name)
                self.assertEqual(template.lang, "{{ object._relance_lang() }}", name)  # French here (below)
                self.assertFalse(template.auto_delete, name)
                self.assertNotIn("user", template.email_from, name)
                rendered = {
                    fname: template._render_field(fname, record.ids, compute_lang=True)[record.id]
                    for fname in ("subject", "body_html", "email_from", "partner_to", "lang")
                }
                self.assertEqual(rendered["lang"], "fr_FR")
                self.assertEqual(rendered["email_from"], self.specialist.email_formatted, name)
                self.assertEqual(rendered["partner_to"], str(partner.id), name)
                for fname in ("subject", "body_html"):
                    value = fr(text(rendered[fname]))
                    for leftover in ("{{", "}}", "False", "None", "t-out", "${"):
                        self.assertNotIn(leftover, value, f"{name} {fname}")
                body = fr(text(rendered["body_html"]))
                self.assertIn("Boulangerie Martin SARL", rendered["subject"] + body, name)
                self.assertIn("Claire Martin", body, name)
                if model == "account.move":
                    self.assertIn(inv.name, rendered["subject"], name)
                    self.assertIn(fr("1 234,56 €"), body, name)

    def test_settings_are_company_settings(self):
        settings = self.env["res.config.settings"].create(
            {
                "relance_welcome_auto": False,
                "relance_thanks_mode": "always",
                "relance_credit_warning_pct": 80.0,
                "relance_large_balance": 50000.0,
                "relance_statement_day": 10,
            }
        )
        settings.execute()
        company = self.env.company
        self.assertEqual(
            (
                company.relance_welcome_auto,
                company.relance_thanks_mode,
                company.relance_credit_warning_pct,
                company.relance_large_balance,
                company.relance_statement_day,
            ),
            (False, "always", 80.0, 50000.0, 10),
        )
        with self.assertRaises(ValidationError), self.cr.savepoint():
            company.relance_statement_day = 0

    def test_statement_cron_is_shipped(self):
        cron = self.env.ref("relance_fr.ir_cron_relance_statement")
        self.assertEqual(cron.model_id.model, "res.partner")
        self.assertIn("_cron_relance_statement", cron.code)
        report = self.env.ref("relance_fr.action_report_relance_statement")
        self.assertEqual(report.model, "res.partner")
