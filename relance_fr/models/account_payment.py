from odoo import fields, models


class AccountPayment(models.Model):
    _inherit = "account.payment"

    relance_settlements = fields.Json(
        copy=False,
        help="Invoices the payment had settled before it was reset to draft: "
        "[matching id, invoice id, amount, reference], announced if it is cancelled.",
    )

    def _relance_customer_payments(self):
        return self.filtered(lambda p: p.payment_type == "inbound" and p.partner_type == "customer")

    def action_post(self):
        # EXTENDS account: a payment posted again is no longer about to be cancelled
        self.filtered("relance_settlements").relance_settlements = False
        return super().action_post()

    def action_draft(self):
        # EXTENDS account: remember what the payment settled, in case it is cancelled next
        events = self.env["relance.event"]
        for payment in self._relance_customer_payments():
            settled = events._settlements(payment.move_id)
            if settled:
                payment.relance_settlements = settled
        return super().action_draft()

    def action_cancel(self):
        # EXTENDS account: a cancelled customer payment that had settled invoices is announced
        events = self.env["relance.event"]
        settlements = []
        for payment in self._relance_customer_payments():
            settlements += payment.relance_settlements or events._settlements(payment.move_id)
        res = super().action_cancel()
        self.filtered("relance_settlements").relance_settlements = False
        events._on_settlements_undone(settlements)
        return res
