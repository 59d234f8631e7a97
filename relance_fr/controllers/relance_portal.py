"""The customer's page (SPEC §12): /relance/<token>, no Odoo account needed.

The token is looked up once in sudo (``res.partner._relance_from_token``); everything read or
written afterwards is limited to that commercial customer in the company of its page. A wrong
token, a record of someone else or a closed company answers 404, never 403. Opening the link
once puts the customer in the visitor's session and redirects to ``/relance/compte``: the token
leaves the address bar, the history and the referrer. Every response goes through
``public_route`` (relance_portal_common.py): the security headers, and a page (or a bare JSON
error) instead of any traceback. The page speaks the customer's language, as its messages do
(``res.partner._relance_lang``: French, or English for a foreign customer that reads English),
whatever the browser asks: templates through i18n/en_GB.po, Python texts through
tools/relance_lang.PAGE. Online payment: relance_portal_pay.py.
"""

import hmac

from werkzeug.exceptions import NotFound

from odoo import fields, http
from odoo.exceptions import UserError, ValidationError
from odoo.http import request

from ..models.relance_reminder import LANG
from ..tools import relance_lang, relance_portal, relance_promise
from .relance_portal_common import (
    ROUTE,
    SESSION_KEY,
    SESSION_PATH,
    LinkExpired,
    PageError,
    _check,
    _lang,
    _plain_page,
    _set_lang,
    _words,
    public_route,
)


class RelancePortal(http.Controller):
    # ------------------------------------------------------------------
    # Access
    # ------------------------------------------------------------------
    def _relance_lookup(self, token):
        """``(partner, company)`` in sudo, French, or 404; ``token`` is the link's secret or
        ``compte``, the customer kept in the session (dropped when its token was reset). The
        page speaks the customer's language from here on."""
        env = request.env(context=dict(request.env.context, lang=LANG))
        Partner = env["res.partner"].sudo()
        if token == SESSION_PATH:
            kept = request.session.get(SESSION_KEY) or {}
            partner = Partner.browse(kept.get("partner_id") or 0).exists()
            secret = partner.relance_access_token if partner else None
            if not secret or not hmac.compare_digest(kept.get("check") or "", _check(secret)):
                raise NotFound()
            partner = Partner._relance_from_token(secret)
        else:
            partner = Partner._relance_from_token(token)
        if not partner:
            raise NotFound()
        company = env["relance.portal"].sudo()._company_of(partner)
        if not company:
            raise NotFound()
        portal = env["relance.portal"].sudo().with_company(company)
        _set_lang(partner._relance_lang())
        return partner.with_env(portal.env), company

    def _relance_customer(self, token):
        """``_relance_lookup``, refused with ``LinkExpired`` when the link has expired."""
        partner, company = self._relance_lookup(token)
        if partner._relance_link_expired(company):
            raise LinkExpired(f"/relance/{token}")
        return partner, company

    def _relance_limit(self, partner, kind):
        """Count one request of ``kind``; False when the hour's limit (per token or per
        address) is spent. Reading the page is never counted."""
        return request.env["relance.portal.hit"].sudo()._count(partner, kind, request.httprequest.remote_addr)

    def _relance_payable(self, partner, company, ids):
        """The customer's open invoices among ``ids``; a clear refusal when some were paid in
        the meantime, 404 for anything else."""
        parsed = relance_portal.parse_ids(ids)
        if parsed is None:
            raise NotFound()
        open_invoices = partner.env["relance.portal"]._open_invoices(partner, company)
        missing = set(parsed) - set(open_invoices.ids)
        if missing:
            paid = partner.env["account.move"].search(
                [
                    ("id", "in", list(missing)),
                    ("commercial_partner_id", "=", partner.id),
                    ("company_id", "=", company.id),
                    ("move_type", "=", "out_invoice"),
                    ("state", "=", "posted"),
                    ("payment_state", "in", ("paid", "in_payment")),
                ]
            )
            if set(paid.ids) != missing:
                raise NotFound()
            raise PageError(_words()["already_paid"] % ", ".join(paid.mapped("name")))
        return open_invoices.filtered(lambda m: m.id in parsed)

    def _relance_invoices(self, partner, company, ids):
        """The customer's open invoices among ``ids`` (posted strings), or 404 for any other id."""
        ids = relance_portal.parse_ids(ids)
        if ids is None:
            raise NotFound()
        open_invoices = partner.env["relance.portal"]._open_invoices(partner, company)
        if set(ids) - set(open_invoices.ids):
            raise NotFound()
        return open_invoices.filtered(lambda m: m.id in ids)

    def _relance_render(self, token, partner, company, error=None, done=None, status=200):
        values = partner.env["relance.portal"]._page_values(partner, company)
        done_texts = relance_lang.DONE_ENGLISH if relance_lang.is_english(_lang()) else relance_portal.DONE
        values.update(
            {
                "token": token,
                "error": error,
                "done": done_texts.get(done or ""),
                "res_company": company,
                "title": _words()["title"] % company.name,
            }
        )
        response = request.render("relance_fr.relance_portal_page", values)
        response.status_code = status
        return response

    def _relance_done(self, token, done):
        return request.redirect(f"/relance/{token}?done={done}", local=True)

    def _relance_upload(self, field):
        """``(filename, data)`` of an optional uploaded file, or an error text."""
        upload = request.httprequest.files.get(field)
        if not upload or not upload.filename:
            return None, None
        data = upload.stream.read(relance_portal.MAX_UPLOAD_BYTES + 1)
        problem = relance_portal.upload_problem(data)
        if problem:
            return None, _words()[f"upload_{problem}"]
        return (upload.filename, data), None

    def _relance_form(self, token, handler):
        """A form post: the hour's quota, then ``handler(partner, company, form)`` that returns
        the code of the confirmation or raises a ``UserError`` with a text in the page's language; nothing it
        wrote is kept on a refusal."""
        partner, company = self._relance_customer(token)
        if not self._relance_limit(partner, "form"):
            return self._relance_render(token, partner, company, error=_words()["too_many"], status=429)
        try:
            with request.env.cr.savepoint():
                done = handler(partner, company, request.httprequest.form)
        except (UserError, ValidationError) as error:
            return self._relance_render(token, partner, company, error=str(error.args[0]), status=400)
        return self._relance_done(token, done)

    # ------------------------------------------------------------------
    # Pages and documents
    # ------------------------------------------------------------------
    @http.route(ROUTE, type="http", auth="public", methods=["GET"], website=False, sitemap=False)
    @public_route()
    def relance_page(self, token, done=None, **kwargs):
        partner, company = self._relance_customer(token)
        if token != SESSION_PATH:
            # the link becomes a session for this customer only; the token leaves the address bar
            request.session[SESSION_KEY] = {"partner_id": partner.id, "check": _check(token)}
            done = relance_portal.DONE.get(done or "") and done
            return request.redirect(
                f"/relance/{SESSION_PATH}" + (f"?done={done}" if done else ""), local=True
            )
        return self._relance_render(token, partner, company, done=done)

    @http.route(
        ["/relance", "/relance/<path:rest>"], type="http", auth="public", website=False, sitemap=False
    )
    @public_route()
    def relance_unknown(self, rest=None, **kwargs):
        raise NotFound()

    @http.route(f"{ROUTE}/renew", type="http", auth="public", methods=["POST"], website=False, sitemap=False)
    @public_route()
    def relance_renew(self, token, **kwargs):
        """A fresh link asked from an expired one: emailed to the invoicing contact on file."""
        partner, company = self._relance_lookup(token)
        if not partner._relance_link_expired(company):
            raise NotFound()  # a live link needs no fresh one
        request.session.pop(SESSION_KEY, None)
        if not self._relance_limit(partner, "renew"):
            return _plain_page(429, _words()["too_many_title"], _words()["too_many"])
        words = _words()
        if not partner.env["relance.portal"]._renew_link(partner, company):
            return _plain_page(200, words["expired_title"], words["no_billing_email"])
        return _plain_page(200, words["renewed_title"], words["renewed"])

    @http.route(
        f"{ROUTE}/invoice/<int:invoice_id>",
        type="http",
        auth="public",
        methods=["GET"],
        website=False,
        sitemap=False,
    )
    @public_route()
    def relance_invoice_pdf(self, token, invoice_id, **kwargs):
        partner, company = self._relance_customer(token)
        if invoice_id > relance_portal.MAX_ID:
            raise NotFound()
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
        return self._relance_download(
            token,
            partner,
            company,
            f"invoice-{invoice.id}",
            lambda: invoice.env["ir.actions.report"]
            .with_context(proforma_invoice=True)
            ._render_qweb_pdf("account.account_invoices", invoice.ids),
            invoice._get_invoice_report_filename(),
            stored=invoice.invoice_pdf_report_id,
        )

    @http.route(
        f"{ROUTE}/statement", type="http", auth="public", methods=["GET"], website=False, sitemap=False
    )
    @public_route()
    def relance_statement_pdf(self, token, **kwargs):
        partner, company = self._relance_customer(token)
        day = fields.Date.context_today(partner).strftime("%Y-%m-%d")
        return self._relance_download(
            token,
            partner,
            company,
            "statement",
            lambda: partner.env["ir.actions.report"]._render_qweb_pdf(
                "relance_fr.action_report_relance_statement", partner.ids
            ),
            _words()["statement_file"] % day,
        )

    def _relance_download(self, token, partner, company, key, render, filename, stored=None):
        """A document of the page, counted against the hour's downloads when served: the
        ``stored`` attachment when Odoo keeps one, else ``render()`` at most once a day."""
        with request.env.cr.savepoint() as savepoint:
            if not self._relance_limit(partner, "download"):
                return self._relance_render(token, partner, company, error=_words()["too_many"], status=429)
            if stored:
                document = stored.raw, "pdf"
            else:
                document = partner.env["relance.portal"]._document(partner, key, render)
            if document is None:
                savepoint.rollback()  # not served (being rendered): not counted
        return self._relance_file(document, filename)

    def _relance_file(self, document, filename):
        """``document`` is ``(content, kind)``, or ``None`` while another of the customer's
        documents is being rendered: try again in a few seconds."""
        if document is None:
            response = _plain_page(503, _words()["preparing_title"], _words()["preparing"])
            response.headers["Retry-After"] = "5"
            return response
        content, kind = document
        # Odoo's test mode renders reports as HTML (no wkhtmltopdf): serve what was rendered
        mimetype = "application/pdf" if kind == "pdf" else "text/html; charset=utf-8"
        headers = [("Content-Type", mimetype), ("Content-Length", len(content))]
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
    @public_route()
    def relance_promise(self, token, **kwargs):
        return self._relance_form(token, self._relance_promise)

    def _relance_promise(self, partner, company, form):
        invoices = self._relance_invoices(partner, company, form.getlist("invoice_ids"))
        day = relance_portal.parse_date(form.get("date"))
        if not day:
            raise PageError(_words()["promise_date"])
        comment = relance_portal.clean_text(form.get("comment"), relance_portal.MAX_COMMENT)
        if comment is None:
            raise PageError(_words()["comment_too_long"] % relance_portal.MAX_COMMENT)
        self._relance_check_date(partner, company, day, declared_paid=False)
        partner.env["relance.portal"]._record_promise(partner, company, invoices, day, comment)
        return "promise"

    @http.route(f"{ROUTE}/paid", type="http", auth="public", methods=["POST"], website=False, sitemap=False)
    @public_route()
    def relance_paid(self, token, **kwargs):
        return self._relance_form(token, self._relance_paid)

    def _relance_paid(self, partner, company, form):
        invoices = self._relance_invoices(partner, company, form.getlist("invoice_ids"))
        day = relance_portal.parse_date(form.get("date"))
        if not day:
            raise PageError(_words()["paid_date"])
        amount = relance_portal.parse_amount(form.get("amount"))
        if amount is None:
            raise PageError(_words()["paid_amount"])
        means = relance_portal.clean_text(form.get("means"), relance_portal.MAX_MEANS)
        if means is None:
            raise PageError(_words()["means_too_long"] % relance_portal.MAX_MEANS)
        balance = sum(invoices.mapped("amount_residual"))
        if relance_portal.paid_amount_problem(amount, balance):
            fmt = partner.env["relance.reminder"]._fmt_amount
            currency = invoices.currency_id[:1] or company.currency_id
            raise PageError(
                _words()["paid_amount_range"]
                % {"low": fmt(0.01, currency, lang=_lang()), "balance": fmt(balance, currency, lang=_lang())}
            )
        upload, problem = self._relance_upload("proof")
        if problem:
            raise PageError(problem)
        if relance_portal.paid_date_too_old(day, fields.Date.context_today(partner)):
            raise PageError(_words()["paid_too_old"])
        self._relance_check_date(partner, company, day, declared_paid=True)
        partner.env["relance.portal"]._record_paid(partner, company, invoices, day, amount, means, upload)
        return "paid"

    def _relance_check_date(self, partner, company, day, declared_paid):
        today = fields.Date.context_today(partner)
        problem = relance_promise.promise_date_problem(
            day, today, declared_paid, company.relance_promise_max_days, False
        )
        words = _words()
        if problem == "past":
            raise PageError(words["date_past"])
        if problem == "future_paid":
            raise PageError(words["date_future_paid"])
        if problem == "too_far":
            values = partner.env["relance.portal"]._contact(partner, company)
            phone = values["specialist_phone"]
            raise PageError(
                words["date_too_far"]
                % {
                    "days": company.relance_promise_max_days,
                    "name": values["specialist_name"],
                    "phone": words["phone"] % phone if phone else "",
                }
            )

    @http.route(
        f"{ROUTE}/dispute", type="http", auth="public", methods=["POST"], website=False, sitemap=False
    )
    @public_route()
    def relance_dispute(self, token, **kwargs):
        return self._relance_form(token, self._relance_dispute)

    def _relance_dispute(self, partner, company, form):
        invoice = self._relance_invoices(partner, company, [form.get("invoice_id") or ""])
        reasons = partner.env["relance.portal"]._reason_labels()
        reason = form.get("reason")
        if reason not in reasons:
            raise PageError(_words()["dispute_reason"])
        description = relance_portal.clean_text(form.get("description"), relance_portal.MAX_COMMENT)
        if not description:
            raise PageError(_words()["dispute_description"] % relance_portal.MAX_COMMENT)
        upload, problem = self._relance_upload("file")
        if problem:
            raise PageError(problem)
        partner.env["relance.portal"]._record_dispute(partner, company, invoice, reason, description, upload)
        return "dispute"

    @http.route(
        f"{ROUTE}/message", type="http", auth="public", methods=["POST"], website=False, sitemap=False
    )
    @public_route()
    def relance_message(self, token, **kwargs):
        return self._relance_form(token, self._relance_message)

    def _relance_message(self, partner, company, form):
        text = relance_portal.clean_text(form.get("message"), relance_portal.MAX_COMMENT)
        if not text:
            raise PageError(_words()["message_empty"] % relance_portal.MAX_COMMENT)
        partner.env["relance.portal"]._record_message(partner, company, text)
        return "message"
