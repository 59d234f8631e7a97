from odoo import models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    def _reconcile_pre_hook(self):
        # EXTENDS account: remember what the customer invoices still owed before the matching
        data = super()._reconcile_pre_hook()
        invoices = self.move_id.filtered(lambda m: m.move_type == "out_invoice" and m.state == "posted")
        data["relance_residuals"] = {invoice.id: invoice.amount_residual for invoice in invoices}
        return data

    def _reconcile_post_hook(self, data):
        # EXTENDS account: thank the customer for a full or partial payment
        res = super()._reconcile_post_hook(data)
        if data.get("relance_residuals"):
            self.env["relance.event"]._on_reconciled(data["relance_residuals"], self)
        return res
