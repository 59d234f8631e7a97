"""Foreign customers read English (issue 20 §7): every dunning email and letter of a US or UK
business customer whose language is English; French for everyone else."""

from datetime import date

from odoo.tests import freeze_time, tagged

from .common import text
from .test_dispute import DisputeCase
from .test_events import EventCase
from .test_law_foreign import us_customer
from .test_letters import LetterCase, pages
from .test_plan import PlanCase

RUN_DAYS = ("2026-03-23", "2026-04-08", "2026-04-15", "2026-04-30", "2026-05-15")
FRENCH = ("Madame", "Monsieur", "Cordialement", "1231-6", "1344", "Objet", "factures", "Veuillez")
# French words of the event, plan and dispute messages and of their blocks
FRENCH_WORDS = (
    "Bonjour",
    "Cordialement",
    "facture",
    "échéance",
    "règlement",
    "réglée",
    "Pour régler",
    " du ",
    " € TTC",
)


def uk_customer(case, **vals):
    return case.customer(
        "Thames Trading Ltd",
        street="10 Fleet Street",
        zip="EC4Y 1AA",
        city="London",
        country_id=case.env.ref("base.uk").id,
        vat=False,
        lang="en_GB",
        **vals,
    )


@tagged("post_install", "-at_install")
class TestEnglish(LetterCase):
    def emails_of_each_level(self, partner):
        """The emails the customer receives for one invoice due on 31/03/2026, level by level,
        as Odoo queued them: ``[(level, mail.mail)]``."""
        self.invoice(partner, 1234.56, "2026-03-31", invoice_date="2026-03-01")
        found = []
        for day in RUN_DAYS:
            for reminder in self.run_on(day):
                message = self.emails(reminder)
                mail = self.env["mail.mail"].search([("mail_message_id", "in", message.ids)])
                found.append((reminder.level_id.name, mail or message))
        return found

    def assert_english_emails(self, partner):
        emails = self.emails_of_each_level(partner)
        self.assertEqual(len(emails), 5, [level for level, _mail in emails])
        for level, mail in emails:
            self.assertEqual(len(mail), 1, level)
            body = text(mail.body_html if mail._name == "mail.mail" else mail.body)
            for word in FRENCH:
                self.assertNotIn(word, body + mail.subject, level)
            self.assertIn("Kind regards", body)
            self.assertIn("Dear Sir or Madam,", body)
            self.assertIn("1,234.56 €", body)
            self.assertIn("31 Mar 2026", body)
            self.assertIn("How to pay:", body)
            self.assertIn("Accounts department – Atelier Dupont SAS", body)
        subjects = [mail.subject for _level, mail in emails]
        self.assertEqual(subjects[0], "Atelier Dupont SAS: invoices falling due soon")
        self.assertEqual(subjects[1], f"Reminder: overdue invoice(s) – {partner.name}")
        self.assertIn("Account on hold for late payment", subjects[-1])
        return emails

    def test_a_us_customer_reads_english_under_french_law(self):
        emails = self.assert_english_emails(us_customer(self, lang="en_US"))
        last = text(emails[-1][1].body)
        self.assertIn("As our terms of sale are governed by French law", last)

    def test_a_uk_customer_without_french_law_reads_the_terms_of_sale(self):
        self.company.relance_french_law = False
        emails = self.assert_english_emails(uk_customer(self))
        for _level, mail in emails[2:]:
            body = text(mail.body_html if mail._name == "mail.mail" else mail.body)
            self.assertNotIn("L441-10", body)
            self.assertNotIn("€40", body)
        self.assertIn("as agreed in our terms and conditions of sale", text(emails[-1][1].body))
        self.assertNotIn("French law", text(emails[-1][1].body))

    def letter(self, partner, level):
        reminder = self.reminder(partner, self.invoice(partner, 1234.56, "2026-03-31"), level=level)
        return " ".join(pages(self.print_pdf(reminder)))

    def test_english_letters_in_the_destination_format(self):
        partner = us_customer(self, lang="en_US", state_id=self.env.ref("base.state_us_5").id)
        for level, opening in (
            ("Relance 2", "Re: second reminder of unpaid invoices"),
            ("Mise en demeure", "Re: formal notice – final demand for payment"),
        ):
            letter = self.letter(partner, level)
            self.assertIn(opening, letter)
            self.assertIn("SAN FRANCISCO CA 94105", letter)
            self.assertIn("Lyon, 30 April 2026", letter)
            self.assertIn("Dear Sir or Madam,", letter)
            self.assertIn("Yours faithfully,", letter)
            self.assertIn("1,234.56 €", letter)
            self.assertIn("governed by French law", letter)
            for word in ("Madame", "Monsieur", "1231-6", "1344", "L441-10", "Objet", "Veuillez"):
                self.assertNotIn(word, letter)
        self.company.relance_french_law = False
        letter = self.letter(uk_customer(self), "Mise en demeure")
        self.assertIn("EC4Y 1AA", letter)
        self.assertIn("as agreed in our terms and conditions of sale", letter)
        self.assertNotIn("French law", letter)
        self.assertNotIn("€40", letter)

    def test_french_for_a_french_customer_reading_english(self):
        self.assert_french(self.customer("Menuiserie Roux SAS", lang="en_US"))

    def test_french_for_a_belgian_customer_reading_french(self):
        belgian = self.customer(
            "Brasserie Dupuis SPRL",
            zip="1000",
            city="Bruxelles",
            country_id=self.env.ref("base.be").id,
            lang="fr_BE",
        )
        self.assert_french(belgian)

    def assert_french(self, partner):
        self.assertEqual(partner._relance_lang(), "fr_FR")
        letter = self.letter(partner, "Relance 2")
        self.assertIn("Objet : deuxième relance", letter)
        self.assertIn("Veuillez agréer", letter)


def assert_no_french(case, said):
    for word in FRENCH_WORDS:
        case.assertNotIn(word, said)
    for leftover in ("{{", "}}", "False", "None", "t-out"):
        case.assertNotIn(leftover, said)


@tagged("post_install", "-at_install")
class TestEnglishFormalNotice(LetterCase):
    def test_the_formal_notice_email_validated_goes_in_english(self):
        self.policies["standard"].skip_levels = True
        self.levels["Mise en demeure"].channel = "registered_letter_email"
        partner = uk_customer(self)
        self.invoice(partner, 2000.0, "2026-01-01", invoice_date="2025-12-01")
        notice = self.run_on("2026-03-15")
        self.assertEqual(notice.level_id.name, "Mise en demeure")
        with freeze_time("2026-03-18"):
            self.validate(notice)
        mail = self.env["mail.mail"].search([("relance_reminder_id", "=", notice.id)])
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.subject, "Final demand for payment – Thames Trading Ltd")
        body = text(mail.body_html)
        for word in FRENCH:
            self.assertNotIn(word, body)
        self.assertIn("Dear Sir or Madam,", body)
        self.assertIn("2,000.00 €", body)
        self.assertIn("1 Jan 2026", body)
        self.assertIn("This email constitutes formal notice to pay the above amounts.", body)


@tagged("post_install", "-at_install")
class TestEnglishEvents(EventCase):
    def test_payment_thanks_in_english(self):
        partner = uk_customer(self)
        inv = self.invoice(partner, 1234.56, "2026-03-31", invoice_date="2026-03-01")
        self.run_on("2026-04-08")  # Premier rappel
        self.assertTrue(inv.relance_level_id)
        self.pay(inv, day="2026-04-10")
        message = self.message("payment_received", partner)
        self.assertEqual(message.subject, f"Thank you for your payment – invoice {inv.name}")
        body = self.body(message)
        self.assert_facts(
            body,
            "Dear Thames Trading Ltd,",
            f"We have received payment of invoice no. {inv.name} of 1 Mar 2026",
            "1,234.56 € (incl. tax): it is now paid in full",
            "please disregard them",
            "Your contact in our accounts department: Claire Martin",
            "Kind regards,",
        )
        assert_no_french(self, body)

    def test_the_statement_and_its_pdf_in_english(self):
        partner = uk_customer(self)
        old = self.invoice(partner, 1000.0, "2026-03-20", invoice_date="2026-02-20")
        self.refund(partner, 100.0, "2026-04-10")
        self.cron_statement("2026-05-01")
        message = self.message("statement", partner)
        self.assertEqual(message.subject, "Statement of account as at 1 May 2026 – Thames Trading Ltd")
        body = self.body(message)
        self.assert_facts(
            body,
            "as at 1 May 2026",
            old.name,
            "Less: Credit note",
            "− 100.00 €",
            "Not yet due 1 to 30 days 31 to 60 days 61 to 90 days Over 90 days Total",
            "Amount overdue: 1,000.00 €",
            "Net balance 900.00 €",
            "How to pay:",
        )
        assert_no_french(self, body)
        self.assertTrue(
            message.attachment_ids.name.startswith("Statement of account Thames Trading Ltd 2026-05-01")
        )
        statement = text(message.attachment_ids.raw.decode())
        self.assertIn("Statement of account as at 1 May 2026", statement)
        self.assertIn("Customer: Thames Trading Ltd", statement)
        self.assertNotIn("Relevé", statement)


@tagged("post_install", "-at_install")
class TestEnglishPlan(PlanCase):
    def test_the_payment_plan_and_its_pdf_in_english(self):
        partner = uk_customer(self)
        inv = self.invoice(partner, 900.0, "2026-03-01")
        plan = self.plan(partner, "2026-03-10", first_date="2026-03-20")
        schedule = self.customer_emails(plan)
        self.assertEqual(schedule.subject, "Your payment plan – Atelier Dupont SAS")
        body = text(schedule.body)
        for fact in (
            "Dear Sir or Madam,",
            "As agreed with you, we confirm the payment plan granted on 10 Mar 2026",
            inv.name,
            "The total amount of 900.00 € will be paid in 3 instalments",
            "Instalment Date Amount Already paid 1st 20 Mar 2026 300.00 € 0.00 €",
            "3rd 20 May 2026 300.00 €",
            "How to pay each instalment:",
            "quoting as the reference « Payment plan",
            "Kind regards,",
        ):
            self.assertIn(fact, body)
        assert_no_french(self, body)
        pdf = text(
            self.env["ir.actions.report"]._render_qweb_html(
                "relance_fr.action_report_relance_plan", plan.ids
            )[0]
        )
        for fact in ("Payment plan", "Subject: payment plan agreed on 10 Mar 2026", "Yours faithfully,"):
            self.assertIn(fact, pdf)
        for word in ("Échéancier", "Veuillez", "Objet"):
            self.assertNotIn(word, pdf)


@tagged("post_install", "-at_install")
class TestEnglishDispute(DisputeCase):
    def test_a_rejected_dispute_is_answered_in_english(self):
        partner = uk_customer(self)
        inv = self.invoice(partner, 1000.0, "2026-03-01")
        dispute = self.dispute(inv, "2026-03-05", reason="not_received").with_user(self.manager)
        dispute.reject_reason = "The delivery note of 2 March is signed by your storekeeper."
        with freeze_time("2026-03-10"):
            dispute.action_reject()
        message = dispute.message_ids.filtered(lambda m: m.message_type == "comment")
        self.assertEqual(message.subject, f"Your dispute of invoice {inv.name}")
        body = text(message.body)
        self.assertIn("On 5 Mar 2026, you informed us that you disputed invoice no.", body)
        self.assertIn("(reason: Goods or service not received)", body)
        self.assertIn("The invoice therefore remains due: 1,000.00 € is still to be paid", body)
        assert_no_french(self, body)


@tagged("post_install", "-at_install")
class TestEnglishPortalAcknowledgments(EventCase):
    def test_welcome_then_a_promise_and_a_dispute_from_the_page_in_english(self):
        partner = uk_customer(self)
        inv = self.invoice(partner, 1234.56, "2026-03-31", invoice_date="2026-03-01")
        other = self.invoice(partner, 500.0, "2026-04-15", invoice_date="2026-03-15")
        Portal = self.env["relance.portal"].with_company(self.company)
        with freeze_time("2026-04-10"):
            Portal._record_promise(partner, self.company, inv, date(2026, 4, 20), "Paid by the 20th.")
            Portal._record_dispute(partner, self.company, other, "quantity", "Two pallets missing.", None)
        acks = partner.message_ids.filtered(lambda m: m.message_type == "comment").sorted("id")
        self.assertEqual(
            acks.mapped("subject"),
            [
                "Welcome to Atelier Dupont SAS – your accounts contact",  # its first invoice
                "Your promise to pay by 20 Apr 2026 has been recorded",
                f"Your dispute of invoice {other.name} has been recorded",
            ],
        )
        welcome, promise, dispute = (self.body(message) for message in acks)
        self.assertIn("We are delighted to welcome Thames Trading Ltd as a customer", welcome)
        self.assertIn(
            f"your commitment to pay 1,234.56 € by 20 Apr 2026 at the latest, for invoices {inv.name}",
            promise,
        )
        self.assertIn("Your comment: “Paid by the 20th.”", promise)
        self.assertIn("(reason: Quantity not as ordered)", dispute)
        self.assertIn("Two pallets missing.", dispute)
        for body in (welcome, promise, dispute):
            self.assertIn("Dear Thames Trading Ltd,", body)
            assert_no_french(self, body)
