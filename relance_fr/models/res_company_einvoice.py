from odoo import api, fields, models

from ..tools import relance_einvoice


class ResCompany(models.Model):
    """Company settings of the e-invoicing lifecycle statuses."""

    _inherit = "res.company"  # pylint: disable=consider-merging-classes-inherited

    relance_payment_sent_days = fields.Integer(
        "Payment sent: days without escalation",
        default=10,
        help="After the buyer's platform says the payment was sent (status 211), days the invoice "
        "does not climb; then, still unpaid, the next reminder recalls it.",
    )

    relance_einvoice_alias_id = fields.Many2one(
        "mail.alias",
        string="E-invoicing statuses alias",
        copy=False,
        readonly=True,
        help="The address the company gives its e-invoicing platform: the CDAR messages attached "
        "to the emails it receives become the company's lifecycle statuses.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        # EXTENDS base: each company gets its own address for its platform's statuses
        companies = super().create(vals_list)
        companies._relance_einvoice_alias_ensure()
        return companies

    @api.model
    def _relance_einvoice_alias_install(self):
        """On install: an alias for each existing company."""
        self.search([])._relance_einvoice_alias_ensure()

    def _relance_einvoice_alias_ensure(self):
        Alias = self.env["mail.alias"].sudo()
        model_id = self.env["ir.model"]._get_id("relance.einvoice.status")
        for company in self.filtered(lambda c: not c.relance_einvoice_alias_id):
            domain = company.alias_domain_id
            name = "statuts-factures"
            if Alias.search_count([("alias_name", "=", name), ("alias_domain_id", "=", domain.id)]):
                name = f"{name}-{company.id}"
            company.sudo().relance_einvoice_alias_id = Alias.create(
                {
                    "alias_name": name,
                    "alias_domain_id": domain.id,
                    "alias_model_id": model_id,
                    "alias_defaults": repr({"company_id": company.id}),
                    "alias_contact": "everyone",
                }
            )

    def _relance_siren(self):
        """The company's SIREN, to match the statuses (company registry, SIRET or VAT number)."""
        self.ensure_one()
        siret = self.siret if "siret" in self._fields else ""
        return relance_einvoice.siren(self.company_registry, siret, self.vat)
