"""The law, line by line (issue 20): limitation dates and their basis, procedures and courts,
the collection hand-over (SPEC §13)."""

from datetime import date

from odoo.exceptions import UserError, ValidationError
from odoo.tests import freeze_time, tagged

from .common import fr, text
from .test_collection import CollectionCase


@tagged("post_install", "-at_install")
class TestLimitation(CollectionCase):
    def test_from_the_delivery_else_the_invoice_date(self):
        partner = self.customer("Menuiserie Roux SAS")
        delivered = self.invoice(partner, 100.0, "2026-03-31", invoice_date="2026-03-01", post=False)
        delivered.delivery_date = date(2026, 2, 10)  # the work was done before the invoice
        delivered.action_post()
        self.assertEqual(delivered.relance_prescription_date, date(2031, 2, 10))
        self.assertEqual(
            delivered.relance_prescription_basis,
            "Estimate: 5 years (Code de commerce L110-4) from the delivery of 10/02/2026.",
        )
        invoiced = self.invoice(partner, 100.0, "2026-04-30", invoice_date="2026-03-31")
        self.assertEqual(invoiced.relance_prescription_date, date(2031, 3, 31))  # not the due date
        self.assertIn("from the invoice of 31/03/2026", invoiced.relance_prescription_basis)
        # a delivery after the invoice date still starts it (the service completed then)
        invoiced.sudo().delivery_date = date(2026, 4, 15)
        self.assertEqual(invoiced.relance_prescription_date, date(2031, 4, 15))

    def test_without_invoice_date_the_accounting_date(self):
        partner = self.customer("Jean Dupuis", is_company=False, vat=False)
        with freeze_time("2026-06-10"):
            draft = self.env["account.move"].create(
                {"move_type": "out_invoice", "partner_id": partner.id, "date": "2026-06-10"}
            )
        self.assertFalse(draft.invoice_date)
        self.assertEqual(draft.relance_prescription_date, date(2028, 6, 10))
        self.assertIn("from the accounting date 10/06/2026", draft.relance_prescription_basis)

    def test_a_part_payment_starts_it_again(self):
        partner = self.customer("Jean Dupuis", is_company=False, vat=False)
        inv = self.invoice(partner, 500.0, "2026-03-31", invoice_date="2026-03-01")
        self.assertEqual(inv.relance_prescription_date, date(2028, 3, 1))
        self.pay(inv, 100.0, "2027-06-10")
        self.assertEqual(inv.relance_prescription_date, date(2029, 6, 10))
        self.assertIn("from the debtor's acknowledgment of 10/06/2027", inv.relance_prescription_basis)

    def test_a_commune_four_years_to_31_december_restarted_by_a_claim(self):
        commune = self.customer("Mairie de Villeurbanne", relance_public_buyer=True, vat=False)
        self.assertFalse(commune.relance_commercial, "a public buyer is no merchant")
        inv = self.invoice(commune, 800.0, "2026-12-15", invoice_date="2026-10-31")
        # prescription quadriennale: 31 December 2030, not 31 October 2031
        self.assertEqual(inv.relance_prescription_date, date(2030, 12, 31))
        self.assertIn("public buyer: loi 68-1250", inv.relance_prescription_basis)
        reminder = self.run_on("2027-01-05")
        self.assertEqual(reminder.invoice_ids, inv)
        self.assertEqual(inv.relance_prescription_date, date(2030, 12, 31), "not received yet")
        self.send_mails()
        self.assertEqual(reminder.state, "sent")
        self.assertEqual(inv.relance_prescription_date, date(2031, 12, 31))
        self.assertIn("from the written claim of 05/01/2027", inv.relance_prescription_basis)

    def test_a_public_buyer_is_an_organisation(self):
        with self.assertRaisesRegex(ValidationError, "a public buyer is an organisation"):
            self.customer("Jean Dupuis", is_company=False, vat=False, relance_public_buyer=True)


@tagged("post_install", "-at_install")
class TestProceduresAndCourts(CollectionCase):
    def suggestion(self, partner, amount, due="2026-03-31", day="2026-05-15"):
        self.invoice(partner, amount, due)
        with freeze_time(day):
            wizard = self.wizard(partner)
        return wizard, (wizard.suggested_procedure, wizard.court)

    def summary(self, wizard, day="2026-05-15"):
        wizard.handed_to_id = self.lawyer
        with freeze_time(day):
            collection = self.Collection.browse(wizard.action_hand_over()["res_id"])
        return collection, fr(text(self.file(self.zip_files(collection), "01 Synthèse").decode()))

    def test_a_commune_goes_to_the_administrative_court(self):
        commune = self.customer("Mairie de Villeurbanne", relance_public_buyer=True, vat=False)
        wizard, suggested = self.suggestion(commune, 900.0)  # small, yet never small claims
        self.assertEqual(suggested, ("administrative", "administratif"))
        collection, summary = self.summary(wizard)
        self.assertEqual((collection.procedure, collection.court), ("administrative", "administratif"))
        self.assertIn("tribunal administratif", summary)
        self.assertIn("référé-provision (article R541-1 du Code de justice administrative)", summary)
        self.assertNotIn("petites créances", summary)
        self.assertNotIn("injonction", summary)

    def test_a_dentist_goes_to_the_judicial_court(self):
        dentist = self.customer("Cabinet dentaire du Dr Roux", relance_commercial=False)
        self.assertTrue(dentist.is_company)
        wizard, suggested = self.suggestion(dentist, 9000.0)
        self.assertEqual(suggested, ("injunction", "judiciaire"))
        _collection, summary = self.summary(wizard)
        self.assertIn("tribunal judiciaire, le débiteur n'étant pas commerçant", summary)
        # a person with a SIREN (a vet working alone) is no merchant by default either
        vet = self.customer("Paul Garnier, vétérinaire", is_company=False)
        self.assertFalse(vet.relance_commercial)
        self.assertEqual(self.suggestion(vet, 9000.0)[1], ("injunction", "judiciaire"))

    def test_a_shop_goes_to_the_commercial_court_or_the_economic_activities_court(self):
        shop = self.customer("Quincaillerie Moreau SARL", zip="38000", city="Grenoble")
        self.assertTrue(shop.relance_commercial)
        wizard, suggested = self.suggestion(shop, 9000.0)
        self.assertEqual(suggested, ("injunction", "commerce"))
        _collection, summary = self.summary(wizard)
        self.assertIn("tribunal de commerce du domicile du débiteur", summary)
        lyon = self.customer("Épicerie Fine Lyonnaise SAS")  # Lyon: one of the 12 trial sites
        wizard, suggested = self.suggestion(lyon, 9000.0)
        self.assertEqual(suggested, ("injunction", "activites_economiques"))
        _collection, summary = self.summary(wizard)
        self.assertIn("tribunal des activités économiques du domicile du débiteur", summary)

    def test_the_small_claims_cap_counts_interest(self):
        partner = self.customer("Quincaillerie Moreau SARL", zip="38000", city="Grenoble")
        # 4 950 € due on 31 January: 104 days at 12,15 % by 15 May, about 171 € of interest
        wizard, suggested = self.suggestion(partner, 4950.0, due="2026-01-31")
        self.assertAlmostEqual(wizard.amount, 4950.0)
        self.assertGreater(wizard.interest, 50.0)
        self.assertEqual(suggested, ("injunction", "commerce"))
        # the same principal due a day before: the interest keeps it under 5 000 €
        other = self.customer("Droguerie Petit SARL", zip="38000", city="Grenoble")
        wizard, suggested = self.suggestion(other, 4950.0, due="2026-05-14")
        self.assertLess(wizard.amount + wizard.interest, 5000.0)
        self.assertEqual(suggested, ("small_claims", "commerce"))


@tagged("post_install", "-at_install")
class TestHandOver(CollectionCase):
    def test_the_wizard_takes_overdue_invoices_only(self):
        partner = self.customer("Menuiserie Roux SAS")
        overdue = self.invoice(partner, 1000.0, "2026-03-31")
        self.invoice(partner, 500.0, "2026-06-30")  # not due on 15 May
        with freeze_time("2026-05-15"):
            self.assertEqual(self.wizard(partner).invoice_ids, overdue)
        later = self.customer("Scierie Blanc SAS")
        self.invoice(later, 500.0, "2026-06-30")
        with freeze_time("2026-05-15"), self.assertRaisesRegex(UserError, "no overdue invoice"):
            self.wizard(later)

    def test_a_hand_over_to_nobody_is_refused(self):
        partner = self.customer("Menuiserie Roux SAS")
        self.invoice(partner, 1000.0, "2026-03-31")
        with freeze_time("2026-05-15"):
            wizard = self.wizard(partner)
            with self.assertRaisesRegex(UserError, "To whom is .* handed over"):
                wizard.action_hand_over()
        self.assertFalse(self.Collection.search([("partner_id", "=", partner.id), ("state", "!=", "draft")]))

    def test_pending_reminders_are_closed_as_handed_over(self):
        self.policies["standard"].skip_levels = True
        partner = self.customer("Menuiserie Roux SAS")
        inv = self.invoice(partner, 3000.0, "2026-03-01")
        notice = self.run_on("2026-05-10")  # 70 days late: a formal notice waiting validation
        self.assertEqual((notice.level_id.name, notice.state), ("Mise en demeure", "to_validate"))
        with freeze_time("2026-05-15"):  # a French user hands the file over
            wizard = self.Wizard.with_context(
                lang="fr_FR", active_model="res.partner", active_ids=partner.ids
            ).create({"handed_to_id": self.lawyer.id})
            collection = self.Collection.browse(wizard.action_hand_over()["res_id"])
        self.assertEqual(collection.invoice_ids, inv)
        self.assertEqual(notice.state, "cancel")
        note = text(notice.message_ids[0].body)
        self.assertIn("Clos : confié au recouvrement", note)
        self.assertNotIn("réglées", note)
        self.run_on("2026-05-16")
        self.assertEqual(notice.state, "cancel")
        self.assertNotIn("paid meanwhile", " ".join(text(m.body) for m in notice.message_ids))
