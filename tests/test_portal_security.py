"""The customer's page refuses what it must (SPEC §12, §7), over real HTTP: bad tokens, other
customers' records, forged posts, bad files, floods, closed accounts."""

import secrets
from datetime import timedelta

from odoo import fields
from odoo.addons.relance_fr.tools.relance_portal import LIMITS, MAX_UPLOAD_BYTES
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .portal_common import PDF, PortalCase


@tagged("post_install", "-at_install")
class TestPortalSecurity(PortalCase):
    def assert_not_found(self, path, csrf=None):
        """404 and nothing of the customer; with ``csrf``, a form post with a valid CSRF token."""
        if csrf:
            response = self.url_open(path, data={"csrf_token": csrf, "message": "x"}, allow_redirects=False)
        else:
            response = self.url_open(path, allow_redirects=False)
        self.assertEqual(response.status_code, 404, path)
        for secret in (self.client.name, self.inv_late.name, "1 200,00", "Claire Martin"):
            self.assertNotIn(secret, response.text)
        return response

    def created(self):
        return (
            self.env["relance.promise"].search_count([("partner_id", "=", self.client.id)]),
            self.env["relance.dispute"].search_count([("partner_id", "=", self.client.id)]),
            self.env["ir.attachment"].search_count(
                [("res_model", "in", ("relance.promise", "relance.dispute"))]
            ),
        )

    # ------------------------------------------------------------------
    # Tokens
    # ------------------------------------------------------------------
    def test_unknown_truncated_and_malformed_tokens(self):
        token = self.client.relance_access_token
        self.assertGreaterEqual(len(token), 43)  # 256 random bits
        for bad in (
            secrets.token_urlsafe(32),  # well formed, nobody's
            token[:-1],  # truncated
            token[:20],
            token + "A",
            token[:-1] + "%27",  # a quote instead of the last character
            "' OR 1=1 --",
            token.upper() if token.upper() != token else token.lower(),
        ):
            self.assert_not_found(f"/relance/{bad}")
            self.assert_not_found(f"/relance/{bad}/statement")
            self.assert_not_found(f"/relance/{bad}/invoice/{self.inv_late.id}")
        self.assertEqual(self.page().status_code, 200)

    def test_reset_token_kills_the_old_link(self):
        old_path = self.path
        billing = new_test_user(
            self.env, "portal.billing", groups="account.group_account_invoice", company_id=self.company.id
        )
        self.client.with_user(billing).action_relance_reset_token()
        self.assert_not_found(old_path)
        self.assert_not_found(f"{old_path}/invoice/{self.inv_late.id}")
        new_path = self.client._relance_portal_url().split(self.client.get_base_url(), 1)[1]
        self.assertNotEqual(new_path, old_path)
        self.assertEqual(self.url_open(new_path).status_code, 200)

    def test_reset_token_rights(self):
        auditor = new_test_user(
            self.env, "portal.auditor", groups="account.group_account_readonly", company_id=self.company.id
        )
        portal = new_test_user(self.env, "portal.portal", groups="base.group_portal")
        before = self.client.relance_access_token
        for user in (auditor, portal):
            with self.assertRaises(AccessError):
                self.client.with_user(user).action_relance_reset_token()
        self.assertEqual(self.client.relance_access_token, before)
        with self.assertRaises(AccessError):  # nor can they read the token
            self.client.with_user(portal).read(["relance_access_token"])

    # ------------------------------------------------------------------
    # Other customers' records
    # ------------------------------------------------------------------
    def test_other_customers_invoice_is_not_found(self):
        other = self.customer("Concurrent SA", email="compta@concurrent.fr")
        theirs = self.invoice(other, 999.0, self.today - timedelta(days=3))
        self.assert_not_found(f"{self.path}/invoice/{theirs.id}")
        self.assert_not_found(f"{self.path}/invoice/999999999")
        before = self.created()
        response = self.post("promise", {"date": self.today.isoformat(), "invoice_ids": [theirs.id]})
        self.assertEqual(response.status_code, 404)
        response = self.post("dispute", {"invoice_id": theirs.id, "reason": "price", "description": "x"})
        self.assertEqual(response.status_code, 404)
        response = self.post("pay", {"invoice_ids": [self.inv_late.id, theirs.id]})
        self.assertEqual(response.status_code, 404)
        self.assertEqual(self.created(), before)
        self.assertFalse(theirs.relance_excluded)

    def test_forms_write_nothing_but_their_records(self):
        other = self.customer("Concurrent SA", email="compta@concurrent.fr")
        response = self.post(
            "promise",
            {
                "date": (self.today + timedelta(days=5)).isoformat(),
                "partner_id": other.id,
                "state": "kept",
                "source": "phone",
                "amount": "1",
                "company_id": "999",
            },
        )
        self.assertEqual(response.status_code, 200, self.page_text(response))
        promise = self.env["relance.promise"].search([("partner_id", "in", (self.client | other).ids)])
        self.assertEqual(
            (promise.partner_id, promise.state, promise.source, promise.amount),
            (self.client, "open", "portal", 2000.0),  # both overdue invoices, whatever else was posted
        )
        # the public gets nothing from Odoo's generic routes
        reply = self.jsonrpc(
            "/web/dataset/call_kw/res.partner/write",
            {
                "model": "res.partner",
                "method": "write",
                "args": [[self.client.id], {"name": "X"}],
                "kwargs": {},
            },
        )
        self.assertIn("error", reply)
        self.assertEqual(self.client.name, "Boulangerie Portail SARL")

    # ------------------------------------------------------------------
    # Forged or abusive posts
    # ------------------------------------------------------------------
    def test_post_without_csrf_token_is_refused(self):
        for what, data in (
            ("promise", {"date": self.today.isoformat()}),
            ("message", {"message": "Bonjour"}),
            ("dispute", {"invoice_id": self.inv_late.id, "reason": "price", "description": "x"}),
            ("pay", {"invoice_ids": [self.inv_late.id]}),
        ):
            response = self.post(what, data, csrf=False)
            self.assertEqual(response.status_code, 400, what)
            response = self.url_open(f"{self.path}/{what}", data={**data, "csrf_token": "forged"})
            self.assertEqual(response.status_code, 400, what)
        self.assertEqual(self.created(), (0, 0, 0))
        self.assertFalse(self.client.activity_ids)

    def test_uploads_other_than_pdf_jpeg_png_or_too_big_are_refused(self):
        data = {"invoice_id": self.inv_late.id, "reason": "quality", "description": "Rayures"}
        for upload, error in (
            (("facture.pdf", b"MZ\x90\x00 not a pdf at all", "application/pdf"), "doit être un PDF"),
            (("photo.png", b"<svg onload=alert(1)>", "image/png"), "doit être un PDF"),
            (("gros.pdf", PDF + b"0" * MAX_UPLOAD_BYTES, "application/pdf"), "dépasse 10 Mo"),
        ):
            response = self.post("dispute", data, files={"file": upload})
            self.assertEqual(response.status_code, 400)
            self.assertIn(error, self.page_text(response))
        self.assertEqual(self.created(), (0, 0, 0))
        self.assertFalse(self.inv_late.relance_excluded)

    def test_too_many_posts_are_refused(self):
        for _ in range(LIMITS["form"][0]):
            self.assertEqual(self.post("message", {"message": "Bonjour"}).status_code, 200)
        messages = len(self.client.message_ids)
        response = self.post("message", {"message": "Encore"})
        self.assertEqual(response.status_code, 429)
        self.assertIn("beaucoup de demandes en peu de temps", self.page_text(response))
        self.assertEqual(len(self.client.message_ids), messages)
        response = self.post("promise", {"date": self.today.isoformat()})
        self.assertEqual(response.status_code, 429)
        self.assertEqual(self.created(), (0, 0, 0))
        # reading the page is never refused
        self.assertEqual(self.page().status_code, 200)
        # an hour later, the customer may write again
        hits = self.env["relance.portal.hit"].search([("partner_id", "=", self.client.id)])
        hits.sudo().write({"at": fields.Datetime.now() - timedelta(minutes=61)})
        self.assertEqual(self.post("message", {"message": "Bonjour"}).status_code, 200)

    # ------------------------------------------------------------------
    # Closed accounts
    # ------------------------------------------------------------------
    def test_archived_customer_is_not_found(self):
        csrf = self.csrf()
        self.client.action_archive()
        self.assert_not_found(self.path)
        self.assert_not_found(f"{self.path}/statement")
        self.assert_not_found(f"{self.path}/message", csrf=csrf)
        self.assertFalse(self.client.activity_ids)

    def test_archived_company_is_not_found(self):
        closed = self.env["res.company"].create({"name": "Ancienne Filiale SAS"})
        customer = self.customer("Client Ancien SARL")
        customer.sudo().company_id = closed
        path = customer._relance_portal_url().split(customer.get_base_url(), 1)[1]
        self.assertEqual(self.url_open(path).status_code, 200)
        closed.active = False
        self.assert_not_found(path)
        self.assert_not_found(f"{path}/statement")
