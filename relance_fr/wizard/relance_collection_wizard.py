from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from ..models.relance_collection import COURTS, PROCEDURES
from ..tools import relance_legal


class RelanceCollectionWizard(models.TransientModel):
    _name = "relance.collection.wizard"
    _description = "Hand invoices over for collection"

    partner_id = fields.Many2one("res.partner", string="Debtor", required=True, readonly=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    invoice_ids = fields.Many2many(
        "account.move",
        string="Invoices",
        domain="[('commercial_partner_id', '=', partner_id), ('company_id', '=', company_id), "
        "('move_type', '=', 'out_invoice'), ('state', '=', 'posted'), "
        "('payment_state', 'in', ('not_paid', 'partial')), ('relance_excluded', '=', False)]",
    )
    handed_to_id = fields.Many2one(
        "res.partner",
        string="Handed to",
        help="The lawyer, collection agency or commissaire de justice who receives the file.",
    )
    amount = fields.Monetary("Remaining due", compute="_compute_suggestion", currency_field="currency_id")
    interest = fields.Monetary(
        "Late interest",
        compute="_compute_suggestion",
        currency_field="currency_id",
        help="On the date of the file. The small-claims cap of 5 000 € counts principal and interest.",
    )
    professional = fields.Boolean("Professional debtor", compute="_compute_suggestion")
    suggested_procedure = fields.Selection(PROCEDURES, compute="_compute_suggestion")
    court = fields.Selection(COURTS, compute="_compute_suggestion")
    procedure = fields.Selection(PROCEDURES, compute="_compute_procedure", store=True, readonly=False)
    date = fields.Date(required=True, default=fields.Date.context_today)

    @api.depends("partner_id", "invoice_ids", "date")
    def _compute_suggestion(self):
        for wizard in self:
            wizard.amount = sum(wizard.invoice_ids.mapped("amount_residual_signed"))
            wizard.interest = wizard._relance_interest()
            wizard.professional = bool(wizard.partner_id) and wizard.partner_id._relance_is_professional()
            wizard.suggested_procedure, wizard.court = wizard._relance_suggestion()

    @api.depends("partner_id", "invoice_ids", "date")
    def _compute_procedure(self):
        for wizard in self:
            wizard.procedure = wizard._relance_suggestion()[0]

    def _relance_interest(self):
        self.ensure_one()
        if not self.partner_id or not self.invoice_ids or not self.date:
            return 0.0
        return self.env["relance.reminder"]._relance_penalties_of(
            self.company_id, self.partner_id, self.invoice_ids, self.date
        )["interest"]

    def _relance_suggestion(self):
        """``(procedure, court)`` the rules suggest for the selected invoices (LEGAL-FR §2 bis, §6):
        the debtor's kind, its city, principal and interest."""
        self.ensure_one()
        if not self.partner_id:
            return False, False
        return relance_legal.suggested_procedure(
            sum(self.invoice_ids.mapped("amount_residual_signed")),
            self._relance_interest(),
            self.partner_id._relance_debtor_kind(),
            self.partner_id.commercial_partner_id.city,
            self.date,
        )

    @api.model
    def default_get(self, fields_list):
        # EXTENDS base: the debtor and its invoices from where the wizard is opened
        res = super().default_get(fields_list)
        model = self.env.context.get("active_model")
        if model in ("res.partner", "relance.reminder", "account.move"):
            records = self.env[model].browse(self.env.context.get("active_ids") or [])
            partner, company, invoices = self._relance_defaults(records)
            res.update(
                {
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "invoice_ids": [Command.set(invoices.ids)],
                }
            )
        return res

    @api.model
    def _relance_defaults(self, records):
        """``(debtor, company, invoices)`` for a customer (its open invoices), a reminder (its
        invoices still open) or a selection of invoices (of one customer)."""
        company = self.env.company
        if records._name == "res.partner":
            partner = records.commercial_partner_id
            invoices = self.env["account.move"].search(
                [
                    ("commercial_partner_id", "in", partner.ids),
                    ("company_id", "=", company.id),
                    ("move_type", "=", "out_invoice"),
                    ("state", "=", "posted"),
                    ("payment_state", "in", ("not_paid", "partial")),
                    ("relance_excluded", "=", False),
                ],
                order="invoice_date_due, name",
            )
        elif records._name == "relance.reminder":
            partner, company = records.partner_id, records.company_id
            invoices = records.invoice_ids.filtered(
                lambda m: m.payment_state in ("not_paid", "partial") and not m.relance_excluded
            )
        else:
            partner, invoices = records.commercial_partner_id, records
            company = records.company_id or company
        if len(partner) != 1 or len(company) != 1:
            raise UserError(self.env._("Select the invoices of one customer of one company."))
        if not invoices:
            raise UserError(self.env._("%(partner)s has no open invoice to hand over.", partner=partner.name))
        # only a debt already due can be claimed: invoices not due yet are left out (SPEC §13)
        today = fields.Date.context_today(self)
        overdue = invoices.filtered(lambda m: m.invoice_date_due and m.invoice_date_due < today)
        if not overdue:
            raise UserError(
                self.env._(
                    "%(partner)s has no overdue invoice: an invoice not due yet cannot be handed over.",
                    partner=partner.name,
                )
            )
        return partner, company, overdue

    def _relance_create_file(self):
        self.ensure_one()
        return (
            self.env["relance.collection"]
            .with_company(self.company_id)
            .create(
                {
                    "partner_id": self.partner_id.id,
                    "company_id": self.company_id.id,
                    "invoice_ids": [Command.set(self.invoice_ids.ids)],
                    "handed_to_id": self.handed_to_id.id,
                    "procedure": self.procedure or self._relance_suggestion()[0],
                    "date": self.date,
                }
            )
        )

    def _relance_open(self, collection):
        return {
            "type": "ir.actions.act_window",
            "res_model": collection._name,
            "res_id": collection.id,
            "view_mode": "form",
        }

    def action_create(self):
        """A draft file, to complete before handing it over."""
        return self._relance_open(self._relance_create_file())

    def action_hand_over(self):
        """The file made and handed over at once."""
        collection = self._relance_create_file()
        collection.action_hand_over()
        return self._relance_open(collection)
