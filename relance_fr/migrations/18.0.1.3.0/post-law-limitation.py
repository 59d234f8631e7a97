"""18.0.1.3.0 (issue 20): limitation dates start at the delivery or the invoice date, not at the
due date (Cass. com. 26/02/2020 n° 18-25.036), a public buyer's at 31 December of the fourth year
(loi 68-1250), restarted by the debtor's acknowledgments: the stored dates are computed again.
The 90-day activity is created again only for invoices whose date moved."""

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    Move = env["account.move"]
    invoices = Move.search([("move_type", "=", "out_invoice")])
    before = {move.id: move.relance_prescription_date for move in invoices}
    env.add_to_compute(Move._fields["relance_prescription_date"], invoices)
    invoices.flush_recordset(["relance_prescription_date"])
    moved = invoices.filtered(lambda move: move.relance_prescription_date != before[move.id])
    if moved:
        env.execute_query(
            SQL("UPDATE account_move SET relance_prescription_notified = FALSE WHERE id = ANY(%s)", moved.ids)
        )
