"""The customer's visit in a real browser (headless Chromium, an Odoo tour): from a reminder's
link, pay two invoices with Odoo's demo provider, then promise a date for a third."""

from datetime import timedelta

from odoo.tests import tagged

from .portal_common import PortalCase


@tagged("post_install", "-at_install")
class TestCustomerPageTour(PortalCase):
    def test_pay_two_and_promise_the_third(self):
        self.enable_demo_provider()
        self.policies["standard"].skip_levels = True
        reminder = self.run_on(self.today)
        self.assertEqual(reminder.invoice_ids, self.inv_late | self.inv_later)
        body = self.emails(reminder).body
        self.assertIn(self.url, body)
        link = self.url.split(self.client.get_base_url(), 1)[1]  # the reminder's link, as clicked

        self.start_tour(link, "relance_fr_portal_tour")  # not logged in

        self.env.invalidate_all()
        self.assertIn(self.inv_late.payment_state, ("paid", "in_payment"))
        self.assertIn(self.inv_later.payment_state, ("paid", "in_payment"))
        tx = self.env["payment.transaction"].search([("partner_id", "=", self.client.id)])
        self.assertEqual((len(tx), tx.state, tx.invoice_ids), (1, "done", self.inv_late | self.inv_later))
        promise = self.env["relance.promise"].search([("partner_id", "=", self.client.id)])
        self.assertEqual(
            (promise.source, promise.state, promise.invoice_ids, promise.date),
            ("portal", "open", self.inv_next, self.today + timedelta(days=10)),
        )
        # the credit controller's reminders list: nothing more for this customer while the
        # promise holds, the third invoice five days late
        later = self.run_on(self.today + timedelta(days=15))
        self.assertFalse(later.filtered(lambda r: r.partner_id == self.client))
        reminders = self.Reminder.search([("partner_id", "=", self.client.id)])
        self.assertEqual(reminders, reminder)
        self.assertEqual(self.client.relance_amount_overdue, 0.0)
