from odoo import fields, models

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

    def _relance_siren(self):
        """The company's SIREN, to match the statuses (company registry, SIRET or VAT number)."""
        self.ensure_one()
        siret = self.siret if "siret" in self._fields else ""
        return relance_einvoice.siren(self.company_registry, siret, self.vat)
