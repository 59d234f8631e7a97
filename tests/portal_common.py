"""The customer's page over real HTTP: a customer with open invoices, its page, its forms."""

import json
import re
from datetime import timedelta

import requests

from odoo import fields
from odoo.addons.relance_fr import compat
from odoo.tests import HttpCase, tagged

from .common import RelanceCase, text

# the cookie by which 19.0 knows a test's requests (18.0 has none)
TEST_CURSOR_COOKIE_NAME = "test_request_key"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@tagged("post_install", "-at_install")
class PortalCase(RelanceCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.context_today(cls.env.user)
        cls.open_account(cls.customer("Boulangerie Portail SARL", email="compta@portail.fr"))

    @classmethod
    def open_account(cls, client):
        """``client``'s page: two invoices overdue, one not due yet."""
        cls.client = client
        cls.inv_late = cls.invoice(
            client, 1200.0, cls.today - timedelta(days=20), invoice_date=cls.today - timedelta(days=50)
        )
        cls.inv_later = cls.invoice(
            client, 800.0, cls.today - timedelta(days=5), invoice_date=cls.today - timedelta(days=35)
        )
        cls.inv_next = cls.invoice(
            client, 300.0, cls.today + timedelta(days=10), invoice_date=cls.today - timedelta(days=20)
        )
        cls.url = client._relance_portal_url()
        cls.path = cls.url.split(client.get_base_url(), 1)[1]

    def confirmed_plan(self):
        """A payment plan of the late invoice, in two monthly instalments from five days on."""
        plan = self.env["relance.plan"].create(
            {
                "partner_id": self.client.id,
                "invoice_ids": self.inv_late.ids,
                "installment_count": 2,
                "frequency": "monthly",
                "first_date": self.today + timedelta(days=5),
            }
        )
        plan.action_confirm()
        return plan

    def enable_demo_provider(self):
        """Odoo's demo provider, in test mode, for the test company."""
        demo = self.env.ref("payment.payment_provider_demo").sudo()
        provider = demo.copy({"company_id": self.company.id, "name": "Démo"})
        provider.write({"state": "test", "is_published": True})
        return provider

    def page(self, path=None, **kw):
        return self.url_open(path or self.path, **kw)

    def stranger(self, path):
        """``path`` from another browser: no session of this one. 19.0 serves a test's
        requests only while the test allows them, and with the test's cookie, which it gets."""
        url = f"{self.base_url()}{path}"
        if not compat.V19:
            return requests.get(url, timeout=10)
        with self.allow_requests():
            return requests.get(url, cookies={TEST_CURSOR_COOKIE_NAME: self.http_request_key}, timeout=10)

    def csrf(self):
        response = self.page()
        self.assertEqual(response.status_code, 200)
        return re.search(r'name="csrf_token" value="([^"]+)"', response.text).group(1)

    def post(self, what, data, files=None, csrf=True):
        """A form of the page posted as a browser does (with the page's CSRF token)."""
        data = dict(data)
        if csrf:
            data["csrf_token"] = self.csrf()
        return self.url_open(f"{self.path}/{what}", data=data, files=files or {"_": ("", b"")})

    def page_text(self, response):
        return text(response.text)

    def jsonrpc(self, route, params):
        """The whole JSON-RPC answer of ``route`` (``result`` or ``error``)."""
        body = json.dumps({"jsonrpc": "2.0", "method": "call", "id": 0, "params": params}).encode()
        return self.url_open(route, body, headers={"Content-Type": "application/json"}).json()

    def transaction_params(self, provider, amount, access_token):
        """What Odoo's payment form sends to the transaction route for the demo provider."""
        return {
            "provider_id": provider.id,
            "payment_method_id": self.env.ref("payment_demo.payment_method_demo").id,
            "token_id": None,
            "amount": amount,
            "flow": "direct",
            "tokenization_requested": False,
            "landing_route": "/anywhere",
            "is_validation": False,
            "access_token": access_token,
        }

    def payment_page(self, invoices):
        """The payment page for ``invoices``: ``(transaction route, access token, response)``."""
        response = self.post("pay", {"invoice_ids": invoices.ids})
        html = response.text
        route = re.search(r'data-transaction-route="([^"]+)"', html)
        access_token = re.search(r'data-access-token="([^"]+)"', html)
        return route and route.group(1), access_token and access_token.group(1), response
