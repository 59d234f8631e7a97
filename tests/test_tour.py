"""The credit controller's morning in a real browser (headless Chromium): an Odoo tour."""

from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.tests import HttpCase, tagged

from .common import RelanceCase


@tagged("post_install", "-at_install")
class TestCreditControllerTour(RelanceCase, HttpCase):
    def test_send_validate_and_print(self):
        today = fields.Date.context_today(self.env.user)
        self.policies["standard"].skip_levels = True  # the level due at once
        # a formal notice waits for a manager: its invoice is 61 days late
        foundry = self.customer("Fonderie Tour SA", email="compta@fonderie-tour.fr")
        self.invoice(foundry, 5000.0, today - timedelta(days=61), invoice_date=today - timedelta(days=91))
        notice = self.run_on(today)
        self.assertEqual((notice.level_id.name, notice.state), ("Mise en demeure", "to_validate"))
        # an invoice 10 days late: the first reminder is due, sent by hand from the invoice
        client = self.customer("Client Tour SARL", email="compta@client-tour.fr")
        invoice = self.invoice(
            client, 1200.0, today - timedelta(days=10), invoice_date=today - timedelta(days=40)
        )

        printed = []
        Report = type(self.env["ir.actions.report"])
        render = Report._render_qweb_pdf

        def record_render(report, report_ref, res_ids=None, data=None):
            printed.append((report_ref, list(res_ids or [])))
            return render(report, report_ref, res_ids=res_ids, data=data)

        with patch.object(Report, "_render_qweb_pdf", record_render):
            self.start_tour(
                f"/odoo/action-account.action_move_out_invoice_type/{invoice.id}",
                "relance_fr_tour",
                login="accountman",
            )

        self.env.invalidate_all()
        sent = self.Reminder.search([("partner_id", "=", client.id)])
        self.assertEqual((sent.level_id.name, sent.state), ("Premier rappel", "to_send"))  # in the mail queue
        self.assertEqual(invoice.relance_level_id.name, "Premier rappel")
        self.assertEqual(notice.state, "to_print")
        self.assertTrue(notice.letter_attachment_id)
        validator = self.env["res.users"].search([("login", "=", "accountman")]).name
        self.assertIn(validator, " ".join(notice.message_ids.mapped("body")))  # "Validated by …"
        self.assertIn(("relance_fr.report_relance_letter", notice.ids), printed)
