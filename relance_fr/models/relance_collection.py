import io
import zipfile

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools import relance_collection
from .relance_event import STATEMENT_REPORT
from .relance_reminder import LANG, LETTER_CHANNELS

PROCEDURES = [
    ("agency", "Collection agency"),
    ("small_claims", "Small claims procedure"),
    ("injunction", "Injunction to pay"),
    ("other", "Other"),
]
COURTS = [
    ("commerce", "Commercial court"),
    ("judiciaire", "Judicial court"),
]
STATES = [
    ("draft", "Draft"),
    ("handed_over", "Handed over"),
    ("recovered", "Recovered"),
    ("abandoned", "Abandoned"),
]
OPEN_STATES = ("draft", "handed_over")
EXCLUSION_REASON = "Recouvrement contentieux"
SUMMARY_REPORT = "relance_fr.action_report_relance_collection"
CSV_HEADER = [
    "Type",
    "Pièce",
    "Facture",
    "Date",
    "Échéance",
    "Montant",
    "Reste dû",
    "Jours de retard",
    "Intérêts de retard",
    "Indemnité forfaitaire",
    "Devise",
]

ACKNOWLEDGMENTS = {
    "delivered": "distribuée",
    "refused": "refusée",
    "unclaimed": "avisée et non réclamée, présentée",
    "address_unknown": "retournée (destinataire inconnu à l'adresse)",
}


class RelanceCollection(models.Model):
    _name = "relance.collection"
    _description = "Collection file"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner", string="Debtor", required=True, index=True, tracking=True, readonly=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, readonly=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    invoice_ids = fields.Many2many(
        "account.move",
        "relance_collection_account_move_rel",
        "collection_id",
        "move_id",
        string="Invoices",
        check_company=True,
        readonly=True,
    )
    date = fields.Date(
        required=True,
        default=fields.Date.context_today,
        tracking=True,
        help="Penalties are computed on this date.",
    )
    handed_to_id = fields.Many2one(
        "res.partner",
        string="Handed to",
        tracking=True,
        help="The lawyer, collection agency or commissaire de justice who receives the file.",
    )
    procedure = fields.Selection(PROCEDURES, required=True, default="injunction", tracking=True)
    court = fields.Selection(
        COURTS,
        compute="_compute_court",
        help="Court of an injunction to pay: the commercial court between professionals, the "
        "judicial court for a consumer.",
    )
    amount_principal = fields.Monetary("Principal", currency_field="currency_id", readonly=True)
    amount_penalties = fields.Monetary(
        "Penalties",
        currency_field="currency_id",
        readonly=True,
        help="Fixed indemnities and late interest on the date of the file.",
    )
    amount_total = fields.Monetary(
        "Total claimed", compute="_compute_amount_total", currency_field="currency_id"
    )
    state = fields.Selection(STATES, default="draft", required=True, index=True, tracking=True, readonly=True)
    attachment_id = fields.Many2one("ir.attachment", string="File (ZIP)", readonly=True, copy=False)
    user_id = fields.Many2one("res.users", string="AR specialist", default=lambda self: self.env.user)
    reminder_ids = fields.Many2many("relance.reminder", compute="_compute_reminder_ids", string="Reminders")
    note = fields.Text()

    @api.depends("partner_id", "date")
    def _compute_display_name(self):
        for collection in self:
            collection.display_name = " – ".join(
                filter(None, [collection.partner_id.name, collection.date and str(collection.date)])
            )

    @api.depends("partner_id")
    def _compute_court(self):
        for collection in self:
            professional = bool(collection.partner_id) and collection.partner_id._relance_is_professional()
            collection.court = relance_collection.court(professional)

    @api.depends("amount_principal", "amount_penalties")
    def _compute_amount_total(self):
        for collection in self:
            collection.amount_total = collection.amount_principal + collection.amount_penalties

    @api.depends("partner_id", "invoice_ids")
    def _compute_reminder_ids(self):
        for collection in self:
            collection.reminder_ids = collection._relance_reminders()

    @api.model_create_multi
    def create(self, vals_list):
        # EXTENDS base: a file only for open invoices of one customer of the company
        for vals in vals_list:
            self.new({"company_id": self.env.company.id, **vals})._relance_check_invoices()
        collections = super().create(vals_list)
        for collection in collections:
            collection._relance_update_amounts()
        return collections

    # ------------------------------------------------------------------
    # Buttons
    # ------------------------------------------------------------------
    def action_hand_over(self):
        """Build the file (ZIP), stop the dunning of its invoices and log it."""
        for collection in self:
            if collection.state != "draft":
                raise UserError(self.env._("%(file)s was already handed over.", file=collection.display_name))
            collection._relance_check_invoices()
        for collection in self:
            collection._relance_update_amounts()
            collection.attachment_id = collection._relance_build_file()
            collection.invoice_ids.write(
                {"relance_excluded": True, "relance_excluded_reason": EXCLUSION_REASON}
            )
            collection.state = "handed_over"
            recipient = collection.handed_to_id.display_name or self.env._("no recipient named yet")
            body = self.env._(
                "Collection file handed over (%(to)s): %(count)s invoice(s), %(amount)s principal, "
                "%(penalties)s penalties. The dunning of these invoices stops.",
                to=recipient,
                count=len(collection.invoice_ids),
                amount=collection._fmt_amount(collection.amount_principal),
                penalties=collection._fmt_amount(collection.amount_penalties),
            )
            collection.message_post(body=body, attachment_ids=collection.attachment_id.ids)
            # a note on the customer, whoever hands the file over (billing users may not edit customers)
            collection.partner_id.sudo().message_post(
                body=Markup("%s <a href='#' data-oe-model='%s' data-oe-id='%s'>%s</a>")
                % (body, collection._name, collection.id, collection.display_name),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def action_send_file(self):
        """Email the file to whoever it was handed to."""
        template = self.env.ref("relance_fr.mail_template_collection_file")
        for collection in self:
            if collection.state != "handed_over" or not collection.attachment_id:
                raise UserError(
                    self.env._("%(file)s has not been handed over yet.", file=collection.display_name)
                )
            if not collection.handed_to_id.email:
                raise UserError(
                    self.env._(
                        "Who receives %(file)s? Set a recipient with an email address.",
                        file=collection.display_name,
                    )
                )
            collection.with_context(lang=LANG).message_post_with_source(
                template,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                attachment_ids=collection.attachment_id.ids,
            )
        return True

    def action_recovered(self):
        self._relance_close("recovered")
        return True

    def action_abandoned(self):
        self._relance_close("abandoned")
        return True

    def _relance_close(self, state):
        for collection in self:
            if collection.state != "handed_over":
                raise UserError(
                    self.env._("%(file)s has not been handed over yet.", file=collection.display_name)
                )
        self.write({"state": state})

    # ------------------------------------------------------------------
    # Checks and amounts
    # ------------------------------------------------------------------
    def _relance_check_invoices(self):
        """A clear message when the file cannot be made: no open invoice, a paid, excluded or
        disputed one, one already in an open file, another customer or company."""
        self.ensure_one()
        partner, company, invoices = self.partner_id, self.company_id, self.invoice_ids._origin
        if partner != partner.commercial_partner_id:
            raise UserError(self.env._("A collection file is made for the customer, not for a contact."))
        owner = partner.sudo().company_id
        if (owner and owner != company) or company not in self.env.companies:
            raise UserError(
                self.env._(
                    "%(partner)s is not a customer of %(company)s.",
                    partner=partner.name,
                    company=company.name,
                )
            )
        if not invoices:
            raise UserError(self.env._("%(partner)s has no open invoice to hand over.", partner=partner.name))
        problems = []
        for inv in invoices:
            if inv.company_id != company:
                problems.append(
                    self.env._("%(invoice)s belongs to another company.", invoice=inv.display_name)
                )
            elif inv.commercial_partner_id != partner:
                problems.append(
                    self.env._(
                        "%(invoice)s is not an invoice of %(partner)s.",
                        invoice=inv.display_name,
                        partner=partner.name,
                    )
                )
            elif inv.move_type != "out_invoice" or inv.state != "posted":
                problems.append(
                    self.env._("%(invoice)s is not a posted customer invoice.", invoice=inv.display_name)
                )
            elif inv.payment_state not in ("not_paid", "partial") or inv.amount_residual <= 0:
                problems.append(self.env._("%(invoice)s is paid.", invoice=inv.display_name))
            elif inv.relance_excluded:
                problems.append(
                    self.env._(
                        "%(invoice)s is excluded from dunning (%(reason)s).",
                        invoice=inv.display_name,
                        reason=inv.relance_excluded_reason or self.env._("no reason given"),
                    )
                )
        others = self.sudo().search(
            [
                ("id", "not in", self._origin.ids),
                ("invoice_ids", "in", invoices.ids),
                ("state", "in", OPEN_STATES),
            ]
        )
        for other in others:
            for inv in other.invoice_ids & invoices:
                problems.append(
                    self.env._(
                        "%(invoice)s is already in the collection file %(file)s.",
                        invoice=inv.display_name,
                        file=other.display_name,
                    )
                )
        if problems:
            raise UserError("\n".join(problems))

    def _relance_update_amounts(self):
        self.ensure_one()
        penalties = self._relance_penalties()
        self.write(
            {
                "amount_principal": sum(self.invoice_ids.mapped("amount_residual_signed")),
                "amount_penalties": penalties["total"],
            }
        )

    def _relance_penalties(self):
        """Penalties on the date of the file, as a reminder computes them."""
        return self.env["relance.reminder"]._relance_penalties_of(
            self.company_id, self.partner_id, self.invoice_ids, self.date
        )

    def _relance_reminders(self):
        """Reminders that went out to the customer about these invoices, oldest first."""
        self.ensure_one()
        if not self.invoice_ids:
            return self.env["relance.reminder"]
        return self.env["relance.reminder"].search(
            [
                ("partner_id", "=", self.partner_id.id),
                ("company_id", "=", self.company_id.id),
                ("invoice_ids", "in", self.invoice_ids.ids),
                ("state", "in", ("sent", "to_print")),
            ],
            order="date, id",
        )

    def _fmt_amount(self, amount, currency=None):
        return self.env["relance.reminder"]._fmt_amount(amount, currency or self.currency_id)

    def _fmt_date(self, day, long=False):
        return self.env["relance.reminder"]._fmt_date(day, long=long)

    def _relance_sender(self):
        """``email_from`` of the file's email: the AR specialist, else the company."""
        self.ensure_one()
        user = self.user_id or self.company_id._relance_specialist(self.partner_id)
        return user.email_formatted if user.email else self.company_id.email_formatted

    # ------------------------------------------------------------------
    # The file
    # ------------------------------------------------------------------
    def _relance_build_file(self):
        """The ZIP of the file, kept as an attachment: summary, invoices, letters, latest
        statement and the entries as CSV."""
        self.ensure_one()
        Reminder = self.env["relance.reminder"].with_company(self.company_id).with_context(lang=LANG)
        stamp = self.date.strftime("%Y-%m-%d")
        files = []
        content, ext = Reminder._relance_render(SUMMARY_REPORT, self)[self.id]
        files.append((f"01 Synthèse du dossier {stamp}.{ext}", content))
        stored = self.invoice_ids.filtered("invoice_pdf_report_id")
        missing = self.invoice_ids - stored
        rendered = Reminder._relance_render("account.account_invoices", missing) if missing else {}
        for inv in self.invoice_ids.sorted(lambda m: (m.invoice_date_due, m.name)):
            if inv in stored:
                name, content = inv.invoice_pdf_report_id.name, inv.invoice_pdf_report_id.raw
            else:
                content, ext = rendered[inv.id]
                name = inv._get_invoice_report_filename(ext)
            files.append((f"02 Factures/{name}", content))
        for reminder in self.reminder_ids.filtered(
            lambda r: r.letter_attachment_id and r.channel in LETTER_CHANNELS
        ):
            letter = reminder.letter_attachment_id.sudo()
            files.append((f"03 Courriers/{reminder.date:%Y-%m-%d} {letter.name}", letter.raw))
        name, content = self._relance_statement()
        files.append((f"04 {name}", content))
        files.append((f"05 Écritures {stamp}.csv", self._relance_entries_csv()))
        stream = io.BytesIO()
        with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as archive:
            for path, data in files:
                archive.writestr(path, data)
        return self.env["ir.attachment"].create(
            {
                "name": f"Dossier de recouvrement {self.partner_id.name} {stamp}.zip",
                "raw": stream.getvalue(),
                "res_model": self._name,
                "res_id": self.id,
                "mimetype": "application/zip",
            }
        )

    def _relance_statement(self):
        """``(file name, content)`` of the customer's latest statement sent, else one made on
        the date of the file."""
        self.ensure_one()
        latest = (
            self.env["ir.attachment"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "res.partner"),
                    ("res_id", "=", self.partner_id.id),
                    ("name", "=like", "Relevé de compte %"),
                    ("company_id", "in", [self.company_id.id, False]),
                ],
                order="id desc",
                limit=1,
            )
        )
        if latest:
            return latest.name, latest.raw
        content, ext = (
            self.env["relance.reminder"]
            .with_company(self.company_id)
            .with_context(lang=LANG, relance_statement_date=self.date)
            ._relance_render(STATEMENT_REPORT, self.partner_id)[self.partner_id.id]
        )
        return f"Relevé de compte {self.partner_id.name} {self.date:%Y-%m-%d}.{ext}", content

    def _relance_entries_csv(self):
        """The entries of the file: each invoice, then the payments and credits matched with it."""
        self.ensure_one()
        values = self._relance_summary_values()
        rows = []
        for line in values["lines"]:
            inv = line["invoice"]
            ccy = inv.currency_id.name
            dates = [inv.invoice_date, inv.invoice_date_due]
            amounts = [inv.amount_total, inv.amount_residual, line["days_late"]]
            penalties = [line["interest_value"], line["indemnity_value"]]
            rows.append(["Facture", inv.name, inv.name, *dates, *amounts, *penalties, ccy])
            for paid in line["payments"]:
                rows.append(
                    [
                        "Règlement",
                        paid["name"],
                        inv.name,
                        paid["date"],
                        None,
                        -paid["value"],
                        *[None] * 4,
                        ccy,
                    ]
                )
        return relance_collection.entries_csv(CSV_HEADER, rows)

    def _relance_summary_values(self):
        """What the summary PDF and the CSV show, formatted the French way."""
        self.ensure_one()
        company, partner = self.company_id, self.partner_id
        professional = partner._relance_is_professional()
        penalties = self._relance_penalties()
        periods = {}
        for period in penalties["lines"]:
            periods.setdefault(period["invoice_id"], []).append(period)
        # the fixed indemnity, 40 € per overdue invoice when owed (D441-5)
        overdue = self.invoice_ids.filtered(lambda m: m.invoice_date_due < self.date)
        each = penalties["indemnity"] / len(overdue) if overdue else 0.0
        lines = []
        for inv in self.invoice_ids.sorted(lambda m: (m.invoice_date_due, m.name)):
            interest = sum(p["value"] for p in periods.get(inv.id, []))
            receivable = inv.line_ids.filtered(lambda line: line.account_type == "asset_receivable")
            payments = [
                {
                    "name": (partial.credit_move_id.move_id.name or partial.credit_move_id.name),
                    "date": partial.max_date,
                    "value": partial.debit_amount_currency,
                    "amount": self._fmt_amount(partial.debit_amount_currency, inv.currency_id),
                }
                for partial in receivable.matched_credit_ids.sorted("max_date")
            ]
            lines.append(
                {
                    **self.env["relance.reminder"]._relance_invoice_line(inv, self.date),
                    "paid": self._fmt_amount(inv.amount_total - inv.amount_residual, inv.currency_id),
                    "interest": self._fmt_amount(interest),
                    "interest_value": round(interest, 2),
                    "indemnity_value": each if inv in overdue else 0.0,
                    "periods": periods.get(inv.id, []),
                    "payments": payments,
                }
            )
        reminders = []
        for reminder in self.reminder_ids:
            # the acknowledgment of receipt, as the summary (in French) states it
            outcome = ACKNOWLEDGMENTS.get(reminder.delivery_status, "")
            day = self._fmt_date(reminder.delivery_date)
            delivery = " ".join(filter(None, [outcome, day and f"le {day}"]))
            reminders.append(
                {
                    "date": self._fmt_date(reminder.date),
                    "level": reminder.level_id.name,
                    "channel": dict(reminder._fields["channel"]._description_selection(self.env)).get(
                        reminder.channel, ""
                    ),
                    "tracking": reminder.tracking_number or "",
                    "delivery": delivery,
                    "invoices": ", ".join((reminder.invoice_ids & self.invoice_ids).mapped("name")),
                }
            )
        # what the debtor said and did not keep: promises broken, disputes rejected
        promises = self.env["relance.promise"].search(
            [("invoice_ids", "in", self.invoice_ids.ids), ("state", "=", "broken")], order="date"
        )
        disputes = self.env["relance.dispute"].search(
            [("invoice_id", "in", self.invoice_ids.ids), ("state", "=", "rejected")], order="date"
        )
        reasons = dict(disputes._fields["reason"]._description_selection(self.env))
        return {
            "broken_promises": [
                {
                    "date": self._fmt_date(promise.date),
                    "recorded": self._fmt_date(promise.date_recorded),
                    "amount": self._fmt_amount(promise.amount) if promise.amount else "",
                    "invoices": ", ".join((promise.invoice_ids & self.invoice_ids).mapped("name")),
                }
                for promise in promises
            ],
            "rejected_disputes": [
                {
                    "date": self._fmt_date(dispute.date),
                    "invoice": dispute.invoice_id.name,
                    "reason": reasons.get(dispute.reason, ""),
                    "answer": dispute.reject_reason or "",
                }
                for dispute in disputes
            ],
            "company": company,
            "partner": partner,
            "creditor": self._relance_identity(company.partner_id),
            "debtor": self._relance_identity(partner),
            "professional": professional,
            "date": self._fmt_date(self.date),
            "date_long": self._fmt_date(self.date, long=True),
            "lines": lines,
            "reminders": reminders,
            "penalties": penalties,
            "indemnity": self._fmt_amount(penalties["indemnity"]),
            "interest": self._fmt_amount(penalties["interest"]),
            "penalty_total": self._fmt_amount(penalties["total"]),
            "principal": self._fmt_amount(self.amount_principal),
            "grand_total": self._fmt_amount(self.amount_principal + penalties["total"]),
            "missing": [self._fmt_date(day) for day in penalties["missing"]],
            "suggested": relance_collection.suggested_procedure(self.amount_principal, professional)[0],
        }

    def _relance_identity(self, partner):
        """Name, address lines, SIREN and VAT number of a party."""
        siret = partner["siret"] if "siret" in partner._fields else ""
        return {
            "name": partner.name,
            "address": [
                line
                for line in (
                    partner.street,
                    partner.street2,
                    " ".join(filter(None, [partner.zip, (partner.city or "").upper()])),
                    partner.country_id.name if partner.country_id.code != "FR" else "",
                )
                if line
            ],
            "siren": relance_collection.siren(partner.company_registry, siret, partner.vat),
            "siret": siret or "",
            "vat": partner.vat or "",
            "email": partner.email or "",
            "phone": partner.phone or "",
        }
