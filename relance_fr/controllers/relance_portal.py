"""The customer's page (SPEC §12): /relance/<token>, no Odoo account needed.

The token is looked up once in sudo (``res.partner._relance_from_token``); everything read or
written afterwards is limited to that commercial customer in the company of its page. A wrong
token, a record of someone else or a closed company answers 404, never 403.
"""

from werkzeug.exceptions import NotFound

from odoo import fields, http
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Command
from odoo.http import request
from odoo.tools import is_html_empty

from ..models.relance_reminder import LANG
from ..tools import relance_portal, relance_promise

ROUTE = "/relance/<string:token>"
UPLOAD_ERRORS = {
    "empty": "Le fichier joint est vide.",
    "too_big": "Le fichier joint dépasse 10 Mo : merci d'en envoyer une version plus légère.",
    "type": "Le fichier joint doit être un PDF, une image JPEG ou PNG.",
}


class PageError(UserError):
    """A refusal of the page, already in French (the page speaks French only)."""


def _payment():
    """Odoo's payment flow: its utilities and portal controller. ``account_payment`` is used
    when installed, never a dependency (SPEC §2): imported only once it is known to be there."""
    from odoo.addons.payment import utils  # noqa: PLC0415
    from odoo.addons.payment.controllers.portal import PaymentPortal  # noqa: PLC0415

    return utils, PaymentPortal()


class RelancePortal(http.Controller):
    # ------------------------------------------------------------------
    # Access
    # ------------------------------------------------------------------
    def _relance_customer(self, token):
        """``(partner, company)`` in sudo, French, or 404."""
        env = request.env(context=dict(request.env.context, lang=LANG))
        partner = env["res.partner"].sudo()._relance_from_token(token)
        if not partner:
            raise NotFound()
        company = env["relance.portal"].sudo()._company_of(partner)
        if not company:
            raise NotFound()
        portal = env["relance.portal"].sudo().with_company(company)
        return partner.with_env(portal.env), company

    def _relance_invoices(self, partner, company, ids):
        """The customer's open invoices among ``ids`` (posted strings), or 404 for any other id."""
        ids = relance_portal.parse_ids(ids)
        if ids is None:
            raise NotFound()
        open_invoices = partner.env["relance.portal"]._open_invoices(partner, company)
        if set(ids) - set(open_invoices.ids):
            raise NotFound()
        return open_invoices.filtered(lambda m: m.id in ids)

    def _relance_render(self, partner, company, error=None, done=None, status=200):
        values = partner.env["relance.portal"]._page_values(partner, company)
        values.update(
            {
                "token": partner.relance_access_token,
                "error": error,
                "done": relance_portal.DONE.get(done or ""),
                "res_company": company,
                "title": f"{company.name} – votre compte client",
            }
        )
        response = request.render("relance_fr.relance_portal_page", values)
        response.status_code = status
        response.headers["X-Robots-Tag"] = "noindex, nofollow"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Cache-Control"] = "no-store"
        return response

    def _relance_done(self, partner, done):
        return request.redirect(f"/relance/{partner.relance_access_token}?done={done}", local=True)

    def _relance_upload(self, field):
        """``(filename, data)`` of an optional uploaded file, or an error text."""
        upload = request.httprequest.files.get(field)
        if not upload or not upload.filename:
            return None, None
        data = upload.stream.read(relance_portal.MAX_UPLOAD_BYTES + 1)
        problem = relance_portal.upload_problem(data)
        if problem:
            return None, UPLOAD_ERRORS[problem]
        return (upload.filename, data), None

    def _relance_form(self, token, handler):
        """A form post: the hour's quota, then ``handler(partner, company, form)`` that returns
        the code of the confirmation or raises a ``UserError`` with a French text; nothing it
        wrote is kept on a refusal."""
        partner, company = self._relance_customer(token)
        if not partner._relance_count_portal_post():
            return self._relance_render(
                partner,
                company,
                error="Vous avez envoyé beaucoup de demandes en peu de temps : merci de réessayer dans "
                "une heure, ou d'appeler directement votre interlocuteur.",
                status=429,
            )
        try:
            with request.env.cr.savepoint():
                done = handler(partner, company, request.httprequest.form)
        except (UserError, ValidationError) as error:
            return self._relance_render(partner, company, error=str(error.args[0]), status=400)
        return self._relance_done(partner, done)

    # ------------------------------------------------------------------
    # Pages and documents
    # ------------------------------------------------------------------
    @http.route(ROUTE, type="http", auth="public", methods=["GET"], website=False, sitemap=False)
    def relance_page(self, token, done=None, **kwargs):
        partner, company = self._relance_customer(token)
        return self._relance_render(partner, company, done=done)

    @http.route(
        f"{ROUTE}/invoice/<int:invoice_id>",
        type="http",
        auth="public",
        methods=["GET"],
        website=False,
        sitemap=False,
    )
    def relance_invoice_pdf(self, token, invoice_id, **kwargs):
        partner, company = self._relance_customer(token)
        invoice = (
            partner.env["account.move"]
            .search(
                [
                    ("id", "=", invoice_id),
                    ("commercial_partner_id", "=", partner.id),
                    ("company_id", "=", company.id),
                    ("move_type", "in", ("out_invoice", "out_refund")),
                    ("state", "=", "posted"),
                ]
            )
            .with_company(company)
        )
        if not invoice:
            raise NotFound()
        if invoice.invoice_pdf_report_id:
            content, kind = invoice.invoice_pdf_report_id.raw, "pdf"
        else:
            content, kind = (
                invoice.env["ir.actions.report"]
                .with_context(proforma_invoice=True)
                ._render_qweb_pdf("account.account_invoices", invoice.ids)
            )
        return self._relance_file(content, kind, invoice._get_invoice_report_filename())

    @http.route(
        f"{ROUTE}/statement", type="http", auth="public", methods=["GET"], website=False, sitemap=False
    )
    def relance_statement_pdf(self, token, **kwargs):
        partner, company = self._relance_customer(token)
        content, kind = partner.env["ir.actions.report"]._render_qweb_pdf(
            "relance_fr.action_report_relance_statement", partner.ids
        )
        day = fields.Date.context_today(partner).strftime("%Y-%m-%d")
        return self._relance_file(content, kind, f"Releve de compte {day}.pdf")

    def _relance_file(self, content, kind, filename):
        # Odoo's test mode renders reports as HTML (no wkhtmltopdf): serve what was rendered
        mimetype = "application/pdf" if kind == "pdf" else "text/html; charset=utf-8"
        headers = [
            ("Content-Type", mimetype),
            ("Content-Length", len(content)),
            ("Cache-Control", "no-store"),
        ]
        if kind == "pdf":
            # shown in the browser (a phone opens it at once), saved under its own name
            disposition = http.content_disposition(filename).replace("attachment", "inline", 1)
            headers.append(("Content-Disposition", disposition))
        return request.make_response(content, headers)

    # ------------------------------------------------------------------
    # Forms
    # ------------------------------------------------------------------
    @http.route(
        f"{ROUTE}/promise", type="http", auth="public", methods=["POST"], website=False, sitemap=False
    )
    def relance_promise(self, token, **kwargs):
        return self._relance_form(token, self._relance_promise)

    def _relance_promise(self, partner, company, form):
        invoices = self._relance_invoices(partner, company, form.getlist("invoice_ids"))
        day = relance_portal.parse_date(form.get("date"))
        if not day:
            raise PageError("Indiquez la date à laquelle vous prévoyez de régler, au format jj/mm/aaaa.")
        comment = relance_portal.clean_text(form.get("comment"), relance_portal.MAX_COMMENT)
        if comment is None:
            raise PageError(f"Votre commentaire dépasse {relance_portal.MAX_COMMENT} caractères.")
        self._relance_check_date(partner, company, day, declared_paid=False)
        partner.env["relance.portal"]._record_promise(partner, company, invoices, day, comment)
        return "promise"

    @http.route(f"{ROUTE}/paid", type="http", auth="public", methods=["POST"], website=False, sitemap=False)
    def relance_paid(self, token, **kwargs):
        return self._relance_form(token, self._relance_paid)

    def _relance_paid(self, partner, company, form):
        invoices = self._relance_invoices(partner, company, form.getlist("invoice_ids"))
        day = relance_portal.parse_date(form.get("date"))
        if not day:
            raise PageError("Indiquez la date de votre règlement, au format jj/mm/aaaa.")
        amount = relance_portal.parse_amount(form.get("amount"))
        if amount is None:
            raise PageError("Indiquez le montant réglé, par exemple 1 250,00.")
        means = relance_portal.clean_text(form.get("means"), relance_portal.MAX_MEANS)
        if means is None:
            raise PageError(f"Le moyen de paiement tient en {relance_portal.MAX_MEANS} caractères au plus.")
        upload, problem = self._relance_upload("proof")
        if problem:
            raise PageError(problem)
        self._relance_check_date(partner, company, day, declared_paid=True)
        partner.env["relance.portal"]._record_paid(partner, company, invoices, day, amount, means, upload)
        return "paid"

    def _relance_check_date(self, partner, company, day, declared_paid):
        today = fields.Date.context_today(partner)
        problem = relance_promise.promise_date_problem(
            day, today, declared_paid, company.relance_promise_max_days, False
        )
        if problem == "past":
            raise PageError(
                "La date de règlement prévue est déjà passée : indiquez aujourd'hui ou une date à venir."
            )
        if problem == "future_paid":
            raise PageError("Un règlement déjà effectué ne peut pas être daté dans le futur.")
        if problem == "too_far":
            values = partner.env["relance.portal"]._contact(partner, company)
            phone = values["specialist_phone"]
            raise PageError(
                f"Nous ne pouvons pas enregistrer en ligne une promesse à plus de "
                f"{company.relance_promise_max_days} jours. Appelez {values['specialist_name']}"
                + (f" au {phone}" if phone else "")
                + " : nous trouverons ensemble une solution, par exemple un échéancier."
            )

    @http.route(
        f"{ROUTE}/dispute", type="http", auth="public", methods=["POST"], website=False, sitemap=False
    )
    def relance_dispute(self, token, **kwargs):
        return self._relance_form(token, self._relance_dispute)

    def _relance_dispute(self, partner, company, form):
        invoice = self._relance_invoices(partner, company, [form.get("invoice_id") or ""])
        reasons = partner.env["relance.portal"]._reason_labels()
        reason = form.get("reason")
        if reason not in reasons:
            raise PageError("Choisissez le motif de votre contestation dans la liste.")
        description = relance_portal.clean_text(form.get("description"), relance_portal.MAX_COMMENT)
        if not description:
            raise PageError(
                f"Décrivez ce qui ne va pas sur la facture (au plus {relance_portal.MAX_COMMENT} caractères)."
            )
        upload, problem = self._relance_upload("file")
        if problem:
            raise PageError(problem)
        partner.env["relance.portal"]._record_dispute(partner, company, invoice, reason, description, upload)
        return "dispute"

    @http.route(
        f"{ROUTE}/message", type="http", auth="public", methods=["POST"], website=False, sitemap=False
    )
    def relance_message(self, token, **kwargs):
        return self._relance_form(token, self._relance_message)

    def _relance_message(self, partner, company, form):
        text = relance_portal.clean_text(form.get("message"), relance_portal.MAX_COMMENT)
        if not text:
            raise PageError(f"Écrivez votre message (au plus {relance_portal.MAX_COMMENT} caractères).")
        partner.env["relance.portal"]._record_message(partner, company, text)
        return "message"

    # ------------------------------------------------------------------
    # Online payment (Odoo's payment flow, one transaction for the invoices ticked)
    # ------------------------------------------------------------------
    def _relance_payment(self, partner, company, invoices):
        """``(amount, currency, access token)`` of paying ``invoices`` now; the access token
        signs the customer, the invoices and the amount for the transaction route."""
        if not invoices or len(invoices.currency_id) != 1:
            raise PageError("Sélectionnez une ou plusieurs factures d'une même devise à régler.")
        if invoices.relance_dispute_ids.filtered(lambda d: d.state == "open"):
            raise PageError(
                "Une facture contestée ne se règle pas en ligne tant que la contestation est ouverte."
            )
        if not partner.env["relance.portal"]._online_payment():
            raise NotFound()
        currency = invoices.currency_id
        amount = currency.round(sum(invoices.mapped("amount_residual")))
        access_token = _payment()[0].generate_access_token(partner.id, amount, currency.id, *invoices.ids)
        return amount, currency, access_token

    @http.route(f"{ROUTE}/pay", type="http", auth="public", methods=["POST"], website=False, sitemap=False)
    def relance_pay(self, token, **kwargs):
        partner, company = self._relance_customer(token)
        invoices = self._relance_invoices(partner, company, request.httprequest.form.getlist("invoice_ids"))
        try:
            amount, currency, access_token = self._relance_payment(partner, company, invoices)
        except UserError as error:
            return self._relance_render(partner, company, error=str(error.args[0]), status=400)
        Portal = partner.env["relance.portal"]
        providers = Portal._providers(partner, company, amount, currency)
        methods = partner.env["payment.method"]._get_compatible_payment_methods(
            providers.ids, partner.id, currency_id=currency.id
        )
        if not methods:
            return self._relance_render(
                partner,
                company,
                error="Le paiement en ligne n'est pas disponible : réglez par virement.",
                status=400,
            )
        ids = "-".join(str(i) for i in invoices.ids)
        values = Portal._page_values(partner, company)
        pay_amount = partner.env["relance.reminder"]._fmt_amount(amount, currency)
        values.update(
            {
                "token": partner.relance_access_token,
                "res_company": company,
                "title": f"{company.name} – paiement en ligne",
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
                "transaction_route": f"/relance/{partner.relance_access_token}/pay/{ids}",
                "landing_route": f"/relance/{partner.relance_access_token}?done=pay",
                "access_token": access_token,
                "submit_button_label": f"Payer {pay_amount}",
            }
        )
        return request.render("relance_fr.relance_portal_pay", values)

    @http.route(f"{ROUTE}/pay/<string:invoice_ids>", type="json", auth="public", website=False)
    def relance_pay_transaction(self, token, invoice_ids, access_token=None, **kwargs):
        """The payment form's transaction route: one draft transaction for the invoices signed
        by ``access_token`` on the payment page (refused when their amounts changed since)."""
        partner, company = self._relance_customer(token)
        invoices = self._relance_invoices(partner, company, invoice_ids.split("-"))
        amount, currency, _expected = self._relance_payment(partner, company, invoices)
        utils, payment_portal = _payment()
        if not access_token or not utils.check_access_token(
            access_token, partner.id, amount, currency.id, *invoices.ids
        ):
            raise PageError("Les montants à régler ont changé : rechargez la page avant de payer.")
        payment_portal._validate_transaction_kwargs(kwargs)
        if kwargs.get("flow") not in ("redirect", "direct"):
            raise PageError("Ce mode de paiement n'est pas proposé ici.")
        kwargs.update(
            {
                "amount": amount,
                "currency_id": currency.id,
                "partner_id": partner.id,
                "tokenization_requested": False,
                "landing_route": f"/relance/{partner.relance_access_token}?done=pay",
            }
        )
        kwargs.pop("csrf_token", None)
        tx_sudo = payment_portal._create_transaction(
            custom_create_values={"invoice_ids": [Command.set(invoices.ids)]}, **kwargs
        )
        return tx_sudo._get_processing_values()
