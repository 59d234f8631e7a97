"""Foreign customers read English (issue 20 §7): every dunning email and letter of a US or UK
business customer whose language is English; French for everyone else."""

from odoo.tests import tagged

from .common import text
from .test_law_foreign import us_customer
from .test_letters import LetterCase, pages

RUN_DAYS = ("2026-03-23", "2026-04-08", "2026-04-15", "2026-04-30", "2026-05-15")
FRENCH = ("Madame", "Monsieur", "Cordialement", "1231-6", "1344", "Objet", "factures", "Veuillez")


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
