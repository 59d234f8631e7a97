from odoo import api, fields, models


# split by responsibility (files under ~500 lines): what the invoice's dunning tab shows
class AccountMove(models.Model):
    _inherit = "account.move"  # pylint: disable=consider-merging-classes-inherited

    relance_next_reminder_date = fields.Date(
        "Next reminder",
        compute="_compute_relance_next_reminder_date",
        help="When the next reminder can go out: the day its step becomes due, never before today "
        "nor before the scenario's minimum gap after the last reminder.",
    )

    @api.depends("relance_next_date", "relance_last_date")
    @api.depends_context("uid")
    def _compute_relance_next_reminder_date(self):
        today = fields.Date.context_today(self)
        policies = {
            company: self.commercial_partner_id._relance_policies(company) for company in self.company_id
        }
        for move in self:
            due = move.relance_next_date
            if not due:
                move.relance_next_reminder_date = False
                continue
            policy = policies.get(move.company_id, {}).get(move.commercial_partner_id.id)
            gap = policy.min_gap_days if policy else 0
            earliest = [due, today]
            if move.relance_last_date and gap:
                earliest.append(fields.Date.add(move.relance_last_date, days=gap))
            move.relance_next_reminder_date = max(earliest)
