"""The customer's page, hardened (SPEC §12, issue 21), over real HTTP: customer text stays
text, the link is a credential, headers and errors, one payment per signed token, plausible
declarations, rate limits, documents rendered once, expiring links, the session."""

import re
from datetime import timedelta

from odoo.addons.relance_fr.tools.relance_portal import LIMITS
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import text
from .portal_common import PDF, PortalCase

HTML = '<a href="https://evil.example/x">cliquez</a><img src="https://evil.example/p.png">'
TEMPLATE = '{{ object.name }} <t t-out="1+1"/> ${object}'
PAYLOAD = f"{HTML} {TEMPLATE}"
LIVE = re.compile(r"<(a|img)\b[^>]*(href|src)=\"https://evil\.example")
HEADERS = {
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "frame-ancestors 'none'",
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex, nofollow",
}


@tagged("post_install", "-at_install")
class TestPortalHardening(PortalCase):
    def assert_headers(self, response):
        for name, value in HEADERS.items():
            self.assertEqual(response.headers.get(name), value, f"{name} on {response.url}")

    def assert_no_server_detail(self, body):
        for leak in ("Traceback", 'File "', "/opt/", ".py", "psycopg", "SELECT", "debug"):
            self.assertNotIn(leak, body)

    # ------------------------------------------------------------------
    # 1. Customer text is text
    # ------------------------------------------------------------------
    def test_customer_text_stays_text_everywhere(self):
        late, later = self.inv_late, self.inv_later
        evil_file = ("<img src=x onerror=alert(1)>{{ object }}.pdf", PDF, "application/pdf")
        self.assertEqual(self.post("message", {"message": PAYLOAD}).status_code, 200)
        response = self.post(
            "promise",
            {"date": self.today.isoformat(), "invoice_ids": [late.id], "comment": PAYLOAD},
        )
        self.assertEqual(response.status_code, 200)
        response = self.post(
            "paid",
            {
                "date": self.today.isoformat(),
                "amount": "800",
                "means": HTML[:100],
                "invoice_ids": [later.id],
            },
            files={"proof": evil_file},
        )
        self.assertEqual(response.status_code, 200)
        response = self.post(
            "dispute",
            {"invoice_id": self.inv_next.id, "reason": "price", "description": PAYLOAD},
            files={"file": evil_file},
        )
        self.assertEqual(response.status_code, 200)
        promises = self.env["relance.promise"].search([("partner_id", "=", self.client.id)])
        dispute = self.env["relance.dispute"].search([("invoice_id", "=", self.inv_next.id)])
        self.assertEqual(len(promises), 2)
        self.assertEqual(dispute.description, PAYLOAD)  # kept as the customer typed it
        records = [self.client, *promises, dispute]
        notes = [str(a.note or "") for r in records for a in r.activity_ids]
        self.assertTrue(any("&lt;a href=" in note for note in notes), notes)
        messages = self.env["mail.message"].search(
            [("model", "in", ("res.partner", "relance.promise", "relance.dispute"))]
        )
        mails = self.env["mail.mail"].sudo().search([])
        stored = [*notes, *map(str, messages.mapped("body")), *map(str, mails.mapped("body_html"))]
        for html in stored:
            self.assertNotRegex(html, LIVE)
            self.assertNotIn("<img src=x", html)
            self.assertNotIn("<t t-out", html)
        # the template syntax was not evaluated either
        self.assertTrue(any("{{ object.name }}" in text(html) for html in stored))
        names = (
            self.env["ir.attachment"]
            .search([("res_model", "in", ("relance.promise", "relance.dispute"))])
            .mapped("name")
        )
        self.assertEqual(len(names), 2)
        for name in names:
            self.assertNotRegex(name, r'[<>{}"=]')
        for mail in self.send_mails().to("compta@portail.fr"):
            self.assertNotRegex(mail.message.get_body(("html",)).get_content(), LIVE)

    # ------------------------------------------------------------------
    # 2. The link is a credential
    # ------------------------------------------------------------------
    def test_employee_without_billing_rights_never_reads_a_live_link(self):
        self.policies["standard"].skip_levels = True
        reminder = self.run_on(self.today)
        self.assertEqual(reminder.partner_id, self.client)
        self.post("message", {"message": "Bonjour"})
        token = self.client.relance_access_token
        employee = new_test_user(self.env, "portal.employee", groups="base.group_user")
        Message = self.env["mail.message"].with_user(employee)
        self.assertFalse(Message.search([("body", "ilike", token)]))
        bodies = " ".join(
            Message.search([("model", "=", "res.partner"), ("res_id", "=", self.client.id)]).mapped("body")
        )
        self.assertIn("/relance/lien-personnel-masque", bodies)  # the link is there, dead
        self.assertNotIn(token, bodies)
        # only the reminder keeps the email word for word (evidence), readable by accounting users
        leaks = self.env["mail.message"].sudo().search([("body", "ilike", token)])
        self.assertEqual(set(leaks.mapped("model")), {"relance.reminder"})
        with self.assertRaises(AccessError):
            self.env["mail.mail"].with_user(employee).search([])
        with self.assertRaises(AccessError):
            self.client.with_user(employee).read(["relance_access_token"])
        # what leaves by email carries the live link
        sent = self.send_mails().to("compta@portail.fr")
        self.assertTrue(sent)
        for mail in sent:
            self.assertIn(f"/relance/{token}", mail.message.get_body(("html",)).get_content())

    # ------------------------------------------------------------------
    # 3. Headers, errors, ids out of range
    # ------------------------------------------------------------------
    def test_security_headers_on_every_response(self):
        provider = self.enable_demo_provider()
        first = self.page(allow_redirects=False)
        self.assertEqual(first.status_code, 303)
        self.assert_headers(first)
        csrf = self.csrf()
        responses = [
            self.page(),
            self.page(f"{self.path}/statement"),
            self.page(f"{self.path}/invoice/{self.inv_late.id}"),
            self.page("/relance/compte/invoice/99999999999"),
            self.page("/relance/" + "A" * 43),
            self.page("/relance/compte/a/b/c"),
            self.page("/relance"),
            self.url_open(f"{self.path}/message", data={"csrf_token": csrf, "message": ""}),
            self.post("pay", {"invoice_ids": [self.inv_late.id]}),
            self.post("message", {"message": "sans jeton"}, csrf=False),  # refused by Odoo (400)
            self.page(f"{self.path}/promise"),  # a form's address, opened
        ]
        route, access_token, _response = self.payment_page(self.inv_late)
        responses.append(self.url_open(route, data=b"{}", headers={"Content-Type": "application/json"}))
        for response in responses:
            self.assert_headers(response)
        self.assertEqual([r.status_code for r in responses[3:7]], [404] * 4)
        self.assertTrue(provider)

    def test_no_traceback_to_anonymous_callers(self):
        bad = "B" * 43
        for route in (f"/relance/{bad}/pay/1", f"{self.path}/pay/99999999999", f"{self.path}/pay/x-y"):
            reply = self.jsonrpc(route, {"access_token": "x", "provider_id": "' OR 1=1"})
            self.assertIn("error", reply)
            self.assert_no_server_detail(str(reply))
        provider = self.enable_demo_provider()
        route, access_token, _response = self.payment_page(self.inv_late)
        params = {**self.transaction_params(provider, 1200.0, access_token), "provider_id": "nope"}
        reply = self.jsonrpc(route, params)
        self.assert_no_server_detail(str(reply))
        params = {**self.transaction_params(provider, 1200.0, access_token), "partner_id": 1}
        reply = self.jsonrpc(route, params)  # a key Odoo's payment form never sends
        self.assert_no_server_detail(str(reply))
        self.assertFalse(self.env["payment.transaction"].search([("partner_id", "=", self.client.id)]))
        for path in (
            f"{self.path}/invoice/99999999999",
            f"{self.path}/invoice/2147483648",
            f"{self.path}/invoice/-1",
        ):
            response = self.page(path)
            self.assertEqual(response.status_code, 404, path)
            self.assert_no_server_detail(response.text)
        response = self.post("promise", {"date": self.today.isoformat(), "invoice_ids": ["99999999999"]})
        self.assertEqual(response.status_code, 404)
        self.assert_no_server_detail(response.text)

    # ------------------------------------------------------------------
    # 4. Payment
    # ------------------------------------------------------------------
    def transactions(self):
        return self.env["payment.transaction"].search([("partner_id", "=", self.client.id)])

    def test_one_signed_token_gives_one_transaction(self):
        provider = self.enable_demo_provider()
        route, access_token, _response = self.payment_page(self.inv_late)
        # two tabs: the same signed token sent twice
        params = self.transaction_params(provider, 1200.0, access_token)
        first = self.jsonrpc(route, params)
        self.assertIn("result", first)
        second = self.jsonrpc(route, params)
        self.assertIn("déjà en cours", second["error"]["data"]["message"])
        self.assertEqual(len(self.transactions()), 1)
        self.make_jsonrpc_request(
            "/payment/demo/simulate_payment",
            {"reference": first["result"]["reference"], "payment_details": "4242", "simulated_state": "done"},
        )
        third = self.jsonrpc(route, params)
        self.assertIn("déjà réglées en ligne", third["error"]["data"]["message"])
        self.assertEqual(len(self.transactions()), 1)
        self.make_jsonrpc_request("/payment/status/poll", {})  # Odoo posts the payment
        self.env.invalidate_all()
        self.assertIn(self.inv_late.payment_state, ("paid", "in_payment"))
        # paying it again from a page opened before: a clear message, no transaction
        response = self.post("pay", {"invoice_ids": [self.inv_late.id]})
        self.assertEqual(response.status_code, 400)
        self.assertIn(f"Déjà réglé : {self.inv_late.name} ne reste plus à payer", self.page_text(response))
        self.assertEqual(len(self.transactions()), 1)

    def test_transaction_takes_only_what_the_page_offered(self):
        provider = self.enable_demo_provider()
        route, access_token, _response = self.payment_page(self.inv_late)
        disabled = self.enable_demo_provider()
        disabled.state = "disabled"
        other_company = self.env.ref("payment.payment_provider_demo").sudo()
        other_method = (
            self.env["payment.method"]
            .sudo()
            .search([("id", "not in", provider.payment_method_ids.ids)], limit=1)
        )
        base = self.transaction_params(provider, 1200.0, access_token)
        for change in (
            {"provider_id": disabled.id},
            {"provider_id": other_company.id},
            {"payment_method_id": other_method.id},
            {"is_validation": True},
            {"tokenization_requested": True},
            {"flow": "token"},
        ):
            reply = self.jsonrpc(route, {**base, **change})
            self.assertIn("n'est pas proposé ici", reply["error"]["data"]["message"], change)
        self.assertFalse(self.transactions())
        reply = self.jsonrpc(route, base)
        self.assertIn("result", reply)

    def test_transaction_route_is_rate_limited(self):
        provider = self.enable_demo_provider()
        route, access_token, _response = self.payment_page(self.inv_late)
        params = {**self.transaction_params(provider, 1200.0, access_token), "flow": "token"}
        for _ in range(10):
            self.jsonrpc(route, params)
        reply = self.jsonrpc(route, self.transaction_params(provider, 1200.0, access_token))
        self.assertIn("beaucoup de demandes", reply["error"]["data"]["message"])
        self.assertFalse(self.transactions())

    # ------------------------------------------------------------------
    # 5. Plausibility and assignment
    # ------------------------------------------------------------------
    def test_declared_payment_must_be_plausible(self):
        data = {"date": self.today.isoformat(), "invoice_ids": [self.inv_late.id]}
        response = self.post("paid", {**data, "amount": "999 999 999,99"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("Le montant déclaré doit être compris entre 0,01 € et", self.page_text(response))
        for day in ("0001-01-01", (self.today - timedelta(days=400)).isoformat()):
            response = self.post("paid", {**data, "amount": "1200", "date": day})
            self.assertEqual(response.status_code, 400, day)
            self.assertIn("date de plus d'un an", self.page_text(response))
        self.assertFalse(self.env["relance.promise"].search([("partner_id", "=", self.client.id)]))
        response = self.post("paid", {**data, "amount": "1 212,00"})  # 1 % of bank fees
        self.assertEqual(response.status_code, 200)

    def test_promise_amount_in_the_back_office(self):
        Promise = self.env["relance.promise"]
        values = {
            "partner_id": self.client.id,
            "invoice_ids": self.inv_late.ids,
            "date": self.today + timedelta(days=3),
        }
        for amount in (-100.0, 1200.01):
            with self.assertRaises(UserError):
                Promise.create({**values, "amount": amount})
        promise = Promise.create({**values, "amount": 500.0})
        with self.assertRaises(UserError):
            promise.amount = -100.0
        self.assertEqual(promise.amount, 500.0)

    def test_without_specialist_the_request_goes_to_an_accountant(self):
        self.company.relance_specialist_id = False
        self.client.relance_specialist_id = False
        self.company.relance_validator_id = False
        self.assertEqual(self.post("message", {"message": "Bonjour"}).status_code, 200)
        activity = self.client.activity_ids
        self.assertEqual(len(activity), 1)
        user = activity.user_id
        self.assertFalse(user.share)
        self.assertNotIn(user, self.env.ref("base.public_user") | self.env.ref("base.user_root"))
        self.assertTrue(user.has_group("account.group_account_manager"))
        notice = self.env["mail.message"].search(
            [
                ("model", "=", "res.partner"),
                ("res_id", "=", self.client.id),
                ("partner_ids", "in", user.partner_id.ids),
            ]
        )
        self.assertEqual(notice.author_id, self.client)
        outgoing = self.env["mail.mail"].sudo().search([])
        self.assertNotIn("Public user", " ".join(map(str, outgoing.mapped("body_html"))))
        self.assertNotIn("Public user", " ".join(outgoing.mapped("email_from")))

    # ------------------------------------------------------------------
    # 6-7. Rate limits and documents
    # ------------------------------------------------------------------
    def test_limits_count_per_address_and_never_the_page(self):
        other = self.customer("Voisin SARL", email="compta@voisin.fr")
        Hit = self.env["relance.portal.hit"].sudo()
        for _ in range(LIMITS["form"][1]):  # forms sent from this address to another page
            Hit.create({"partner_id": other.id, "kind": "form", "address": Hit._address_hash("127.0.0.1")})
        self.assertEqual(self.page().status_code, 200)
        response = self.post("message", {"message": "Bonjour"})
        self.assertEqual(response.status_code, 429)
        for _ in range(LIMITS["download"][0]):
            Hit.create({"partner_id": self.client.id, "kind": "download", "address": "elsewhere"})
        self.assertEqual(self.page(f"{self.path}/statement").status_code, 429)
        self.assertEqual(self.page().status_code, 200)

    def test_documents_rendered_once_a_day_and_kept_from_employees(self):
        first = self.page(f"{self.path}/statement")
        second = self.page(f"{self.path}/invoice/{self.inv_late.id}")
        third = self.page(f"{self.path}/statement")
        self.assertEqual(first.content, third.content)
        cached = self.env["ir.attachment"].sudo().search([("name", "=like", "relance_portal_document/%")])
        self.assertEqual(len(cached), 2)  # the statement once, the invoice once
        self.assertEqual(second.status_code, 200)
        employee = new_test_user(self.env, "portal.employee2", groups="base.group_user")
        with self.assertRaises(AccessError):
            cached.with_user(employee).read(["raw"])
        response = self.stranger(f"/web/content/{cached[0].id}")
        self.assertEqual(response.status_code, 404)

    # ------------------------------------------------------------------
    # 8. Expiry and session
    # ------------------------------------------------------------------
    def test_expired_link_offers_a_fresh_one_by_email(self):
        self.company.relance_link_days = 180
        self.client.sudo().relance_link_date = self.today - timedelta(days=181)
        response = self.page()
        self.assertEqual(response.status_code, 410)
        self.assert_headers(response)
        body = self.page_text(response)
        self.assertIn("Ce lien vers votre compte client a expiré", body)
        for secret in (self.client.name, self.inv_late.name, "1 200,00", "Claire Martin"):
            self.assertNotIn(secret, body)
        self.assertEqual(self.page(f"{self.path}/statement").status_code, 410)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', response.text).group(1)
        old_path = self.path
        response = self.url_open(
            f"{old_path}/renew", data={"csrf_token": csrf, "email": "pirate@evil.example"}
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("Un nouveau lien vers votre compte vient d'être envoyé", self.page_text(response))
        self.assertEqual(self.page(old_path).status_code, 404)  # the old link is dead
        new_token = self.client.relance_access_token
        sent = self.send_mails()
        self.assertEqual(sent.to("pirate@evil.example"), [])
        fresh = sent.to("compta@portail.fr")
        self.assertEqual(len(fresh), 1)
        self.assertIn(f"/relance/{new_token}", fresh[0].message.get_body(("html",)).get_content())
        self.assertEqual(self.page(f"/relance/{new_token}").status_code, 200)

    def test_the_link_becomes_a_session_without_the_token(self):
        first = self.page(allow_redirects=False)
        self.assertEqual(first.status_code, 303)
        self.assertTrue(first.headers["Location"].endswith("/relance/compte"))
        page = self.page("/relance/compte")
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.inv_late.name, self.page_text(page))
        self.assertNotIn(self.client.relance_access_token, page.text)
        # another browser has no session: nothing
        self.assertEqual(self.stranger("/relance/compte").status_code, 404)
        # a reset ends the session too
        self.client.sudo()._relance_new_token()
        self.assertEqual(self.page("/relance/compte").status_code, 404)

    # ------------------------------------------------------------------
    # 9. The public address
    # ------------------------------------------------------------------
    def test_private_base_url_is_flagged(self):
        Param = self.env["ir.config_parameter"].sudo()
        for url, flagged in (
            ("http://localhost:8069", True),
            ("http://127.0.0.1:8071", True),
            ("http://192.168.1.20", True),
            ("https://factures.atelier-dupont.fr", False),
        ):
            Param.set_param("web.base.url", url)
            problem = self.env["res.config.settings"].create({}).relance_public_address_problem
            self.assertEqual(bool(problem), flagged, url)
            dashboard = self.env["relance.analysis"].retrieve_dashboard()
            self.assertEqual(dashboard["link_warning"], problem)
            if flagged:
                self.assertIn(url, problem)
