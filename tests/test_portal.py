"""The customer's page (SPEC §12) over real HTTP: what it shows, its documents, paying online
with Odoo's demo provider, and its four forms."""

import base64
from datetime import timedelta

from odoo.tests import tagged

from .common import text
from .portal_common import PDF, PNG, PortalCase


@tagged("post_install", "-at_install")
class TestPortalPage(PortalCase):
    def test_page_shows_the_account_in_french(self):
        credit = self.invoice(self.client, 100.0, self.today, move_type="out_refund")
        body = self.page_text(self.page())
        for expected in (
            "Atelier Dupont SAS",
            "Compte client de Boulangerie Portail SARL",
            self.inv_late.name,
            self.inv_later.name,
            self.inv_next.name,
            "1 200,00 €",
            "à échoir",  # the invoice not yet due
            "20 j",  # days late
            f"Avoir {credit.name}",
            "Solde de votre compte à ce jour 2 200,00 €",  # 2 300 € of invoices less the 100 € credit note
            "IBAN FR76 3000 6000 0112 3456 7890 189",
            "Claire Martin",
            "04 72 00 00 01",
            "Télécharger le relevé de compte",
        ):
            self.assertIn(expected, body)
        # without a payment provider: the bank details only, no online payment
        self.assertNotIn("Payer en ligne", body)

    def test_the_payment_plan_on_the_page(self):
        plan = self.confirmed_plan()
        body = self.page_text(self.page())
        self.assertIn(
            f"Votre échéancier Échéancier de 1 200,00 € pour les factures {self.inv_late.name}", body
        )
        self.assertIn("Dont 1 200,00 € sous échéancier : pour ces factures, seules les échéances", body)
        first, second = plan.line_ids.sorted("date")
        for line in (first, second):
            self.assertIn(f"{line.date.strftime('%d/%m/%Y')} 600,00 € 0,00 € à venir", body)

    def test_invoice_and_statement_documents(self):
        response = self.page(f"{self.path}/invoice/{self.inv_late.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.inv_late.name, text(response.text))  # Odoo's invoice report (HTML in test mode)
        response = self.page(f"{self.path}/statement")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Relevé de compte", text(response.text))
        self.assertIn(self.inv_later.name, text(response.text))

    def test_stored_invoice_pdf_is_served_inline(self):
        """An invoice whose PDF Odoo stored (sent once) gets that very file, shown in the browser.
        (Rendering a PDF inside a request cannot be tested here: wkhtmltopdf would wait for the
        test server, which serves one request at a time.)"""
        self.inv_late.invoice_pdf_report_file = base64.b64encode(PDF)
        response = self.page(f"{self.path}/invoice/{self.inv_late.id}")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/pdf")
        self.assertTrue(response.headers["Content-Disposition"].startswith("inline; filename*=UTF-8''"))
        self.assertEqual(response.content, PDF)

    def test_reminders_link_to_the_page(self):
        self.policies["standard"].skip_levels = True
        reminder = self.run_on(self.today)
        self.assertEqual(reminder.partner_id, self.client)
        body = self.emails(reminder)[-1].body
        self.assertIn(self.url, body)
        self.assertIn(f"{self.url}/invoice/{self.inv_late.id}", body)
        self.assertNotIn("/my/invoices", body)

    # ------------------------------------------------------------------
    # Paying online
    # ------------------------------------------------------------------
    def test_pay_two_invoices_with_the_demo_provider(self):
        provider = self.enable_demo_provider()
        self.assertIn("Payer en ligne", self.page_text(self.page()))
        route, access_token, response = self.payment_page(self.inv_late | self.inv_later)
        self.assertEqual(response.status_code, 200)
        self.assertIn("Vous réglez 2 000,00 €", self.page_text(response))
        values = self.make_jsonrpc_request(route, self.transaction_params(provider, 2000.0, access_token))
        tx = self.env["payment.transaction"].search([("reference", "=", values["reference"])])
        self.assertEqual(tx.invoice_ids, self.inv_late | self.inv_later)  # one transaction, both invoices
        self.assertEqual((tx.amount, tx.partner_id), (2000.0, self.client))
        self.make_jsonrpc_request(
            "/payment/demo/simulate_payment",
            {"reference": tx.reference, "payment_details": "4242", "simulated_state": "done"},
        )
        status = self.make_jsonrpc_request("/payment/status/poll", {})
        self.assertEqual(status["state"], "done")
        self.assertEqual(
            status["landing_route"], f"{self.path}?done=pay"
        )  # back to the page, whatever was asked
        self.env.invalidate_all()
        self.assertTrue(tx.payment_id)
        self.assertIn(self.inv_late.payment_state, ("paid", "in_payment"))
        self.assertIn(self.inv_later.payment_state, ("paid", "in_payment"))
        self.assertEqual(self.inv_next.payment_state, "not_paid")
        body = self.page_text(self.page(status["landing_route"]))
        self.assertIn("Merci pour votre paiement", body)
        self.assertNotIn(self.inv_late.name, body)
        # the run sends nothing for them any more
        self.policies["standard"].skip_levels = True
        sent = self.run_on(self.today + timedelta(days=30))
        self.assertEqual(sent.invoice_ids, self.inv_next)

    def test_payment_refused_when_the_amount_changed(self):
        provider = self.enable_demo_provider()
        route, access_token, _response = self.payment_page(self.inv_late)
        self.pay(self.inv_late, 200.0)  # a part paid meanwhile
        reply = self.jsonrpc(route, self.transaction_params(provider, 1200.0, access_token))
        self.assertIn("rechargez la page", reply["error"]["data"]["message"])
        self.assertFalse(self.env["payment.transaction"].search([("invoice_ids", "in", self.inv_late.ids)]))

    def test_no_online_payment_for_a_disputed_invoice(self):
        self.enable_demo_provider()
        self.env["relance.dispute"].create({"invoice_id": self.inv_late.id, "reason": "price"})
        route, _token, response = self.payment_page(self.inv_late)
        self.assertEqual(response.status_code, 400)
        self.assertFalse(route)
        self.assertIn("Une facture contestée ne se règle pas en ligne", self.page_text(response))

    # ------------------------------------------------------------------
    # Forms
    # ------------------------------------------------------------------
    def assert_acknowledged(self, subject):
        mails = self.send_mails().to("compta@portail.fr")
        self.assertEqual([m.subject for m in mails], [subject])
        return text(mails[0].message.get_body(("html",)).get_content())

    def activities(self, record):
        return record.activity_ids.filtered(lambda a: a.user_id == self.specialist)

    def test_promise_to_pay(self):
        day = self.today + timedelta(days=10)
        response = self.post(
            "promise",
            {"date": day.isoformat(), "invoice_ids": [self.inv_late.id], "comment": "Virement prévu"},
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("votre promesse de règlement est enregistrée", self.page_text(response))
        promise = self.env["relance.promise"].search([("partner_id", "=", self.client.id)])
        self.assertEqual(
            (promise.source, promise.state, promise.date, promise.invoice_ids, promise.amount, promise.note),
            ("portal", "open", day, self.inv_late, 1200.0, "Virement prévu"),
        )
        self.assertTrue(self.activities(promise))
        self.assertIn("promet de payer 1 200,00 €", text(" ".join(self.client.message_ids.mapped("body"))))
        mail = self.assert_acknowledged(
            f"Votre promesse de règlement du {day.strftime('%d/%m/%Y')} est enregistrée"
        )
        self.assertIn(f"régler 1 200,00 € au plus tard le {day.strftime('%d/%m/%Y')}", mail)
        self.assertIn(self.url, mail)
        # the promise shows on the page, and the run leaves the invoice alone until then
        self.assertIn("Promesse de règlement pour le", self.page_text(self.page()))
        self.policies["standard"].skip_levels = True
        self.assertNotIn(self.inv_late, self.run_on(self.today + timedelta(days=1)).invoice_ids)

    def test_promise_too_far_invites_to_call(self):
        day = self.today + timedelta(days=self.company.relance_promise_max_days + 5)
        response = self.post("promise", {"date": day.isoformat()})
        self.assertEqual(response.status_code, 400)
        body = self.page_text(response)
        self.assertIn("Nous ne pouvons pas enregistrer en ligne une promesse à plus de 30 jours", body)
        self.assertIn("Appelez Claire Martin au 04 72 00 00 01", body)
        self.assertFalse(self.env["relance.promise"].search([("partner_id", "=", self.client.id)]))

    def test_already_paid_with_proof(self):
        day = self.today - timedelta(days=2)
        response = self.post(
            "paid",
            {
                "date": day.strftime("%d/%m/%Y"),
                "amount": "1 200,00",
                "means": "virement",
                "invoice_ids": [self.inv_late.id],
            },
            files={"proof": ("avis de virement.pdf", PDF, "application/pdf")},
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("nous avons bien noté votre règlement", self.page_text(response))
        promise = self.env["relance.promise"].search([("partner_id", "=", self.client.id)])
        self.assertEqual((promise.source, promise.declared_paid, promise.amount), ("portal", True, 1200.0))
        proof = self.env["ir.attachment"].search(
            [("res_model", "=", "relance.promise"), ("res_id", "=", promise.id)]
        )
        self.assertEqual((proof.mimetype, proof.raw), ("application/pdf", PDF))
        self.assertTrue(self.activities(promise))
        self.assert_acknowledged(f"Votre règlement du {day.strftime('%d/%m/%Y')} : nous le recherchons")

    def test_dispute_with_photo(self):
        response = self.post(
            "dispute",
            {"invoice_id": self.inv_later.id, "reason": "quantity", "description": "Il manque 2 palettes."},
            files={"file": ("photo.png", PNG, "image/png")},
        )
        self.assertEqual(response.status_code, 200)
        dispute = self.env["relance.dispute"].search([("invoice_id", "=", self.inv_later.id)])
        self.assertEqual((dispute.source, dispute.state, dispute.reason), ("portal", "open", "quantity"))
        self.assertEqual(dispute.attachment_ids.mimetype, "image/png")
        self.assertTrue(self.inv_later.relance_excluded)
        # settling it is an accounting manager's decision: the validator's to-do
        self.assertEqual(dispute.activity_ids.user_id, self.company._relance_validator())
        self.assertIn("Il manque 2 palettes.", text(" ".join(self.client.message_ids.mapped("body"))))
        mail = self.assert_acknowledged(
            f"Votre contestation de la facture {self.inv_later.name} est enregistrée"
        )
        self.assertIn("Il manque 2 palettes.", mail)

    def test_message_to_the_specialist(self):
        response = self.post("message", {"message": "Pouvez-vous m'envoyer un duplicata ?"})
        self.assertEqual(response.status_code, 200)
        self.assertIn("Votre message est transmis", self.page_text(response))
        self.assertIn(
            "Pouvez-vous m'envoyer un duplicata ?", text(" ".join(self.client.message_ids.mapped("body")))
        )
        self.assertTrue(self.activities(self.client))
        self.assert_acknowledged("Nous avons bien reçu votre message – Atelier Dupont SAS")

    def test_invalid_form_shows_french_error_and_creates_nothing(self):
        response = self.post("paid", {"date": "31/02/2026", "amount": "1200"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("Indiquez la date de votre règlement", self.page_text(response))
        response = self.post("paid", {"date": self.today.isoformat(), "amount": "-5"})
        self.assertIn("Indiquez le montant réglé", self.page_text(response))
        response = self.post("message", {"message": "x" * 2001})
        self.assertIn("au plus 2000 caractères", self.page_text(response))
        self.assertFalse(self.env["relance.promise"].search([("partner_id", "=", self.client.id)]))
