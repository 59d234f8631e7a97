"""The law, line by line (issue 20): consumers — a rejected dispute names the consumer mediator
(C. conso L616-1, R616-1), a payment plan ends only after a notice of 15 days (Cass. 1re civ.
22/03/2023 n° 21-16.044)."""

from odoo.exceptions import UserError
from odoo.tests import freeze_time, tagged

from .common import fr, text
from .test_dispute import DisputeCase
from .test_plan import PlanCase


@tagged("post_install", "-at_install")
class TestConsumerMediator(DisputeCase):
    def test_a_consumer_rejection_names_the_mediator_and_is_refused_without_one(self):
        partner = self.customer("Jean Dupuis", is_company=False, vat=False, email="jean@dupuis.fr")
        inv = self.invoice(partner, 450.0, "2026-03-01")
        dispute = self.dispute(inv, "2026-03-05", reason="not_received").with_user(self.manager)
        dispute.reject_reason = "Le colis a été remis le 2 mars contre signature."
        with freeze_time("2026-03-10"), self.assertRaisesRegex(UserError, "consumer mediator"):
            dispute.action_reject()
        self.company.relance_consumer_mediator = "Médiation Conso Exemple"  # a name only: not enough
        with freeze_time("2026-03-10"), self.assertRaisesRegex(UserError, "name and website"):
            dispute.action_reject()
        self.assertEqual(dispute.state, "open")
        self.company.write(
            {
                "relance_consumer_mediator_address": "12 rue des Lilas, 75011 Paris",
                "relance_consumer_mediator_url": "https://www.mediation-conso.example",
            }
        )
        with freeze_time("2026-03-10"):
            dispute.action_reject()
        self.assertEqual(dispute.state, "rejected")
        body = fr(text(dispute.message_ids.filtered(lambda m: m.message_type == "comment").body))
        self.assertIn("médiateur de la consommation dont nous relevons : Médiation Conso Exemple", body)
        self.assertIn("12 rue des Lilas, 75011 Paris", body)
        self.assertIn("https://www.mediation-conso.example", body)
        self.assertIn("Bonjour Jean Dupuis,", body)

    def test_a_professional_rejection_needs_no_mediator(self):
        partner = self.customer("Garage Petit SARL")
        dispute = self.dispute(self.invoice(partner, 450.0, "2026-03-01"), "2026-03-05").with_user(
            self.manager
        )
        dispute.reject_reason = "Quantités conformes au bon de livraison signé."
        with freeze_time("2026-03-10"):
            dispute.action_reject()
        body = text(dispute.message_ids.filtered(lambda m: m.message_type == "comment").body)
        self.assertNotIn("médiateur", body)


@tagged("post_install", "-at_install")
class TestConsumerPlanEnd(PlanCase):
    def test_a_consumer_plan_ends_fifteen_days_after_its_notice(self):
        partner = self.customer("Jean Dupuis", is_company=False, vat=False, email="jean@dupuis.fr")
        self.invoice(partner, 600.0, "2026-03-01")
        plan = self.plan(partner, "2026-03-10", first_date="2026-04-20", installment_count=2)
        self.pay(plan.invoice_ids, 300.0, "2026-04-20")
        self.run_on("2026-04-21")
        self.assertFalse(self.run_on("2026-05-21"))  # the second instalment (20 May) does not come
        late = self.customer_emails(plan)[-1]
        self.assertIn("20/05/2026", late.subject)
        # the notice gives 15 days from its own date (21 May), not from the instalment
        self.assertIn("au plus tard le 05/06/2026", fr(text(late.body)))
        self.run_on("2026-06-05")
        self.assertEqual(plan.state, "active")
        self.run_on("2026-06-06")
        self.assertEqual(plan.state, "broken")
