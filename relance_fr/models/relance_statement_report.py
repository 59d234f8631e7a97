from odoo import api, fields, models


class ReportRelanceStatement(models.AbstractModel):
    _name = "report.relance_fr.report_relance_statement"
    _description = "Customer statement (PDF)"

    @api.model
    def _get_report_values(self, docids, data=None):
        """The statements of all the customers printed at once (one read of their open items)."""
        partners = self.env["res.partner"].browse(docids)
        company = self.env.company
        day = self.env.context.get("relance_statement_date") or fields.Date.context_today(self)
        events = self.env["relance.event"]
        statements = events._statement_data(partners, company, day)
        return {
            "doc_ids": docids,
            "doc_model": "res.partner",
            "docs": partners,
            "company": company,
            "statements": {
                partner.id: {
                    **events._common_values(partner, company),
                    **statements[partner.commercial_partner_id.id],
                }
                for partner in partners
            },
        }
