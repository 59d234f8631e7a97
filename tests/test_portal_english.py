"""The customer's page in English (issue 20 §7) over real HTTP: a UK customer whose language is
English reads its page, its forms, their confirmations and errors, and the payment page in
English, whatever its browser asks; a French customer's page stays French, whatever its browser
asks."""

import re
from datetime import timedelta

from odoo.tests import tagged

from .portal_common import PortalCase
from .test_law_english import uk_customer

# French words of the page that an English page never shows
FRENCH_WORDS = (
    "Vos factures",
    "Échéance",
    "Reste dû",
    "à échoir",
    "Solde",
    "Régler",
    "règlement",
    "Annoncer",
    "Contester",
    "interlocuteur",
    "Télécharger",
    "Cette page est personnelle",
    "Compte client",
)


@tagged("post_install", "-at_install")
class TestPortalEnglish(PortalCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.french_path = cls.path
        cls.french_inv_late = cls.inv_late
        # the page of a UK customer whose language is English: the same invoices
        cls.open_account(uk_customer(cls, email="accounts@thames.co.uk"))

    def english_date(self, day):
        return day.strftime("%d %b %Y").lstrip("0")

    def assert_english(self, body):
        for word in FRENCH_WORDS:
            self.assertNotIn(word, body)

    def title(self, response):
        return re.search(r"<title>(.*?)</title>", response.text, re.S).group(1).strip()

    def test_page_in_english(self):
        self.assertEqual(self.client._relance_lang(), "en_GB")
        credit = self.invoice(self.client, 100.0, self.today, move_type="out_refund")
        response = self.page()
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.title(response), "Atelier Dupont SAS – your customer account")
        body = self.page_text(response)
        for expected in (
            "Customer account of Thames Trading Ltd",
            "Balance of your account to date 2,200.00 €",
            "Open invoices 2,300.00 €, less credit notes and payments to allocate 100.00 €.",
            "Your open invoices",
            # the invoices table: its headings, then a line
            "Invoice Date Due date Amount Balance due Days late PDF",
            f"{self.inv_late.name} {self.english_date(self.inv_late.invoice_date)} "
            f"{self.english_date(self.inv_late.invoice_date_due)} 1,200.00 € 1,200.00 € 20 days PDF",
            "not yet due",
            f"Credit note {credit.name}",
            "Download the account statement (PDF)",
            "Pay by bank transfer",
            "Your contact",
            "Claire Martin",
            # the forms' labels
            "Announce a payment date",
            "Date on which you will pay",
            "I have already paid",
            "Amount paid",
            "Dispute an invoice",
            "Write to your contact",
            "Your message",
        ):
            self.assertIn(expected, body)
        self.assert_english(body)
        self.assertIn('placeholder="1,250.00"', response.text)

    def test_promise_form_answers_in_english(self):
        # a form's error
        response = self.post("promise", {"date": "tomorrow"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("Enter the date on which you plan to pay, as dd/mm/yyyy.", self.page_text(response))
        # the acknowledgment after the promise
        day = self.today + timedelta(days=10)
        response = self.post("promise", {"date": day.isoformat(), "invoice_ids": [self.inv_late.id]})
        self.assertEqual(response.status_code, 200)
        body = self.page_text(response)
        self.assertIn(
            "Thank you: your promise to pay is recorded. We suspend our reminders for the invoices "
            "concerned until the date given. An email confirms it.",
            body,
        )
        self.assertIn(f"Promise to pay on {self.english_date(day)}: 1,200.00 € ({self.inv_late.name})", body)
        self.assert_english(body)

    def test_payment_page_in_english(self):
        self.enable_demo_provider()
        self.assertIn("Pay the ticked invoices online", self.page_text(self.page()))
        route, access_token, response = self.payment_page(self.inv_late | self.inv_later)
        self.assertEqual(response.status_code, 200)
        self.assertTrue(route and access_token)
        self.assertEqual(self.title(response), "Atelier Dupont SAS – online payment")
        body = self.page_text(response)
        self.assertIn("Online payment You are paying 2,000.00 € for:", body)
        self.assertIn(
            f"{self.inv_late.name} from {self.english_date(self.inv_late.invoice_date)}: 1,200.00 €", body
        )
        self.assertIn("Pay 2,000.00 €", body)
        self.assertIn("Back to my account", body)
        self.assert_english(body)
        # a refusal of the payment page
        self.env["relance.dispute"].create({"invoice_id": self.inv_later.id, "reason": "price"})
        _route, _token, response = self.payment_page(self.inv_later)
        self.assertEqual(response.status_code, 400)
        self.assertIn(
            "A disputed invoice cannot be paid online while the dispute is open.", self.page_text(response)
        )

    def test_the_language_follows_the_customer_not_the_browser(self):
        french_browser = {"Accept-Language": "fr-FR,fr;q=0.9"}
        body = self.page_text(self.page(headers=french_browser))
        self.assertIn("Your open invoices", body)
        self.assert_english(body)
        # the page of a document of someone else: 404 in the customer's language
        response = self.page(f"{self.path}/invoice/{self.french_inv_late.id}", headers=french_browser)
        self.assertEqual(response.status_code, 404)
        self.assertIn("Page not found", self.page_text(response))
        # a French customer's page stays French in an English browser
        english_browser = {"Accept-Language": "en-GB,en;q=0.9"}
        response = self.page(self.french_path, headers=english_browser)
        self.assertEqual(self.title(response), "Atelier Dupont SAS – votre compte client")
        body = self.page_text(response)
        for expected in ("Vos factures ouvertes", "Échéance", "Reste dû", "1 200,00 €", "à échoir"):
            self.assertIn(expected, body)
        self.assertNotIn("Your open invoices", body)
        # an unknown link: French, whoever asks
        response = self.page("/relance/" + "x" * 43, headers=english_browser)
        self.assertEqual(response.status_code, 404)
        self.assertIn("Page introuvable", self.page_text(response))

    def test_expired_link_and_fresh_link_in_english(self):
        self.company.relance_link_days = 180
        self.client.sudo().relance_link_date = self.today - timedelta(days=181)
        response = self.page()
        self.assertEqual(response.status_code, 410)
        self.assertIn('<html lang="en">', response.text)
        body = self.page_text(response)
        self.assertIn("Link expired This link to your customer account has expired.", body)
        self.assertIn("Email me a new link", body)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', response.text).group(1)
        response = self.url_open(f"{self.path}/renew", data={"csrf_token": csrf})
        self.assertEqual(response.status_code, 200)
        self.assertIn("New link sent A new link to your account has just been sent", self.page_text(response))
        [mail] = self.send_mails().to("accounts@thames.co.uk")
        self.assertEqual(mail.subject, "Atelier Dupont SAS – your new link to your account")
        content = mail.message.get_body(("html",)).get_content()
        self.assertIn("You asked for a new link to your customer account", content)
        self.assertIn(f"/relance/{self.client.relance_access_token}", content)

    def test_the_payment_plan_in_english(self):
        plan = self.confirmed_plan()
        body = self.page_text(self.page())
        invoices = self.inv_late.name
        self.assertIn(f"Your payment plan Payment plan of 1,200.00 € for invoices {invoices}:", body)
        self.assertIn("Including 1,200.00 € under a payment plan: for these invoices, only the", body)
        self.assertIn("Due date Amount Paid Status", body)
        for line in plan.line_ids:
            self.assertIn(f"{self.english_date(line.date)} 600.00 € 0.00 € to come", body)
        self.assert_english(body)
