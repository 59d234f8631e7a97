from odoo import fields, models


class RelanceCall(models.Model):
    """A dunning call as it happened: when, who called, the outcome, the notes, and what it led
    to. Part of the customer's history, so never edited afterwards."""

    _name = "relance.call"
    _description = "Logged call"
    _order = "date desc, id desc"
    _rec_name = "result_id"
    _check_company_auto = True

    partner_id = fields.Many2one("res.partner", string="Customer", required=True, index=True, readonly=True)
    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    date = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now)
    user_id = fields.Many2one(
        "res.users", string="Called by", required=True, readonly=True, default=lambda self: self.env.user
    )
    reminder_id = fields.Many2one(
        "relance.reminder", readonly=True, check_company=True, index="btree_not_null"
    )
    result_id = fields.Many2one("relance.call.result", string="Outcome", required=True, readonly=True)
    reached = fields.Boolean(related="result_id.reached")
    note = fields.Text("Notes", readonly=True)
    promise_id = fields.Many2one("relance.promise", readonly=True, check_company=True)
    dispute_id = fields.Many2one("relance.dispute", readonly=True, check_company=True)
    plan_id = fields.Many2one("relance.plan", string="Payment plan", readonly=True, check_company=True)
