"""Paying from the customer's page: Odoo's payment flow (``account_payment``, used when
installed, never a dependency), one transaction for the invoices ticked, once."""

from datetime import timedelta

from werkzeug.exceptions import NotFound

from odoo import fields, http
from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.http import request
from odoo.tools import SQL, is_html_empty

from .relance_portal import RelancePortal
from .relance_portal_common import ROUTE, PageError, _lang, _words, public_route

# a draft transaction this recent blocks another one for the same invoices (an open tab)
DRAFT_TRANSACTION_MINUTES = 30


def _payment():
    """Odoo's payment flow: its utilities and portal controller. ``account_payment`` is used
    when installed, never a dependency (SPEC §2): imported only once it is known to be there."""
    from odoo.addons.payment import utils  # noqa: PLC0415
    from odoo.addons.payment.controllers.portal import PaymentPortal  # noqa: PLC0415

    return utils, PaymentPortal()


class RelancePortalPay(RelancePortal):
    # ------------------------------------------------------------------
    # Online payment (Odoo's payment flow, one transaction for the invoices ticked)
    # ------------------------------------------------------------------
    def _relance_payment(self, partner, company, invoices):
        """``(amount, currency, access token)`` of paying ``invoices`` now; the access token
        signs the customer, the invoices and the amount for the transaction route."""
        if not invoices or len(invoices.currency_id) != 1:
            raise PageError(_words()["pay_select"])
        if invoices.relance_dispute_ids.filtered(lambda d: d.state == "open"):
            raise PageError(_words()["pay_disputed"])
        if not partner.env["relance.portal"]._online_payment():
            raise NotFound()
        currency = invoices.currency_id
        amount = currency.round(sum(invoices.mapped("amount_residual")))
        access_token = _payment()[0].generate_access_token(partner.id, amount, currency.id, *invoices.ids)
        return amount, currency, access_token

    @http.route(f"{ROUTE}/pay", type="http", auth="public", methods=["POST"], website=False, sitemap=False)
    @public_route()
    def relance_pay(self, token, **kwargs):
        partner, company = self._relance_customer(token)
        try:
            invoices = self._relance_payable(
                partner, company, request.httprequest.form.getlist("invoice_ids")
            )
            amount, currency, access_token = self._relance_payment(partner, company, invoices)
        except UserError as error:
            return self._relance_render(token, partner, company, error=str(error.args[0]), status=400)
        Portal = partner.env["relance.portal"]
        providers = Portal._providers(partner, company, amount, currency)
        methods = partner.env["payment.method"]._get_compatible_payment_methods(
            providers.ids, partner.id, currency_id=currency.id
        )
        if not methods:
            return self._relance_render(
                token,
                partner,
                company,
                error=_words()["pay_unavailable"],
                status=400,
            )
        ids = "-".join(str(i) for i in invoices.ids)
        values = Portal._page_values(partner, company)
        pay_amount = partner.env["relance.reminder"]._fmt_amount(amount, currency, lang=_lang())
        values.update(
            {
                "token": token,
                "res_company": company,
                "title": _words()["pay_title"] % company.name,
                "pay_lines": [line for line in values["lines"] if line["id"] in invoices.ids],
                "pay_amount": pay_amount,
                # payment.form (website=False: the helpers of Odoo's frontend pages are not there)
                "is_html_empty": is_html_empty,
                "amount": amount,
                "currency": currency,
                "partner_id": partner.id,
                "providers_sudo": providers,
                "payment_methods_sudo": methods,
                "tokens_sudo": partner.env["payment.token"],  # no saved card through a link
                "show_tokenize_input_mapping": dict.fromkeys(providers.ids, False),
                "transaction_route": f"/relance/{token}/pay/{ids}",
                "landing_route": f"/relance/{token}?done=pay",
                "access_token": access_token,
                "submit_button_label": _words()["pay_button"] % pay_amount,
            }
        )
        return request.render("relance_fr.relance_portal_pay", values)

    @http.route(
        f"{ROUTE}/pay/<string:invoice_ids>",
        type="http",
        auth="public",
        methods=["POST"],
        csrf=False,  # JSON only (a cross-site form cannot send it) and signed by the access token
        website=False,
        sitemap=False,
    )
    @public_route(json=True)
    def relance_pay_transaction(self, token, invoice_ids, **kwargs):
        """The payment form's transaction route (JSON-RPC): one transaction for the invoices
        signed by ``access_token`` on the payment page, refused when their amounts changed
        since, while another payment of them is under way or done, or for anything the page
        did not offer (provider, method, saved card, validation)."""
        if request.httprequest.mimetype != "application/json":
            raise NotFound()
        payload = request.get_json_data()
        params = dict(payload.get("params") or {}) if isinstance(payload, dict) else {}
        partner, company = self._relance_customer(token)
        if not self._relance_limit(partner, "pay"):
            raise PageError(_words()["too_many"])
        invoices = self._relance_payable(partner, company, invoice_ids.split("-"))
        amount, currency, _expected = self._relance_payment(partner, company, invoices)
        utils, payment_portal = _payment()
        access_token = params.pop("access_token", None)
        if not isinstance(access_token, str) or not utils.check_access_token(
            access_token, partner.id, amount, currency.id, *invoices.ids
        ):
            raise PageError(_words()["pay_changed"])
        payment_portal._validate_transaction_kwargs(params)
        provider, method = self._relance_pay_means(partner, company, amount, currency, params)
        self._relance_pay_once(partner, invoices)
        tx_sudo = payment_portal._create_transaction(
            provider_id=provider.id,
            payment_method_id=method.id,
            token_id=None,
            amount=amount,
            currency_id=currency.id,
            partner_id=partner.id,
            flow=params["flow"],
            tokenization_requested=False,
            landing_route=f"/relance/{token}?done=pay",
            is_validation=False,
            custom_create_values={"invoice_ids": [Command.set(invoices.ids)]},
        )
        return request.make_json_response(
            {"jsonrpc": "2.0", "id": payload.get("id"), "result": tx_sudo._get_processing_values()}
        )

    def _relance_pay_means(self, partner, company, amount, currency, params):
        """The provider and method chosen, among those the page offers; a refusal otherwise."""
        if params.get("flow") not in ("redirect", "direct"):
            raise PageError(_words()["pay_flow"])
        if params.get("is_validation") or params.get("token_id") or params.get("tokenization_requested"):
            raise PageError(_words()["pay_flow"])
        providers = partner.env["relance.portal"]._providers(partner, company, amount, currency)
        provider = providers.filtered(lambda p: p.id == params.get("provider_id"))
        if not provider:
            raise PageError(_words()["pay_means"])
        methods = partner.env["payment.method"]._get_compatible_payment_methods(
            provider.ids, partner.id, currency_id=currency.id
        )
        method = methods.filtered(lambda m: m.id == params.get("payment_method_id"))
        if not method:
            raise PageError(_words()["pay_means"])
        return provider, method

    def _relance_pay_once(self, partner, invoices):
        """Refuse a second payment of the same invoices while one is under way or done. Two
        tabs of the same customer wait for each other here (a lock on the customer)."""
        partner.env.execute_query(SQL("SELECT id FROM res_partner WHERE id = %s FOR UPDATE", partner.id))
        recent = fields.Datetime.now() - timedelta(minutes=DRAFT_TRANSACTION_MINUTES)
        under_way = partner.env["payment.transaction"].search(
            [
                ("invoice_ids", "in", invoices.ids),
                "|",
                ("state", "in", ("pending", "authorized", "done")),
                "&",
                ("state", "=", "draft"),
                ("create_date", ">", recent),
            ],
            limit=1,
        )
        if under_way.state == "done":
            raise PageError(_words()["pay_done"])
        if under_way:
            raise PageError(_words()["pay_under_way"] % DRAFT_TRANSACTION_MINUTES)
