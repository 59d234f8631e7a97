"""After the formal notice: the collection file, limitation dates, payment-term warnings (SPEC §13)."""

import csv
import io
import zipfile
from datetime import date

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import freeze_time, new_test_user, tagged

from .common import RelanceCase, fr, text, view_filter
from .test_letters import pages


@tagged("post_install", "-at_install")
class CollectionCase(RelanceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write({"company_registry": "732 829 320", "vat": "FR44732829320"})
        cls.lawyer = cls.env["res.partner"].create(
            {"name": "Maître Lefèvre, avocat", "email": "cabinet@lefevre-avocat.fr"}
        )
        cls.Collection = cls.env["relance.collection"]
        cls.Wizard = cls.env["relance.collection.wizard"]
        company = {"company_id": cls.company.id, "company_ids": cls.company.ids}
        cls.billing = new_test_user(
            cls.env, "coll.billing", groups="account.group_account_invoice", **company
        )

    def wizard(self, records, **vals):
        return self.Wizard.with_context(active_model=records._name, active_ids=records.ids).create(vals)

    def hand_over(self, records, day="2026-05-15", pdf=False, **vals):
        """The wizard opened on ``records`` on ``day``, file handed over: the collection."""
        with freeze_time(day):
            wizard = self.wizard(records, handed_to_id=self.lawyer.id, **vals)
            action = wizard.with_context(force_report_rendering=pdf).action_hand_over()
        return self.Collection.browse(action["res_id"])

    def zip_files(self, collection):
        with zipfile.ZipFile(io.BytesIO(collection.attachment_id.raw)) as archive:
            return {name: archive.read(name) for name in archive.namelist()}

    def file(self, files, prefix):
        found = [data for name, data in files.items() if name.startswith(prefix)]
        self.assertEqual(len(found), 1, f"{prefix} in {sorted(files)}")
        return found[0]

    def csv_rows(self, files):
        data = self.file(files, "05 Écritures")
        self.assertTrue(data.startswith(b"\xef\xbb\xbf"), "UTF-8 with its byte order mark")
        return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


@tagged("post_install", "-at_install")
class TestCollectionFile(CollectionCase):
    def test_file_after_a_registered_letter(self):
        """The slow path: real PDFs, read back."""
        self.policies["standard"].skip_levels = True  # Relance 2 at once
        partner = self.customer("Menuiserie Roux SAS")
        inv1 = self.invoice(partner, 1234.56, "2026-03-31", invoice_date="2026-03-01")
        inv2 = self.invoice(partner, 250.0, "2026-04-10", invoice_date="2026-03-11")
        reminder = self.run_on("2026-04-30")  # Relance 2: registered letter and email
        self.assertTrue(reminder.letter_attachment_id)
        reminder.write(
            {
                "tracking_number": "1A 123 456 7890 1",
                "state": "sent",
                "letter_posted_date": "2026-05-02",
                "delivery_date": "2026-05-04",
                "delivery_status": "delivered",
            }
        )
        self.pay(inv2, 100.0, "2026-05-02")

        with freeze_time("2026-05-15"):
            wizard = self.wizard(reminder, handed_to_id=self.lawyer.id)
        self.assertEqual(wizard.invoice_ids, inv1 | inv2)
        self.assertEqual(wizard.suggested_procedure, "small_claims")  # 1 384,56 € ≤ 5 000 €
        # a company of Lyon: the tribunal des activités économiques sits there (2025-2028 trial)
        self.assertEqual(wizard.court, "activites_economiques")
        self.assertEqual(wizard.procedure, "small_claims")
        with freeze_time("2026-05-15"):
            action = wizard.with_context(force_report_rendering=True).action_hand_over()
        collection = self.Collection.browse(action["res_id"])

        self.assertEqual(collection.state, "handed_over")
        self.assertEqual(str(collection.date), "2026-05-15")
        self.assertAlmostEqual(collection.amount_principal, 1384.56)
        # 40 € × 2, 1 234,56 × 12,15 % × 45 / 365 = 18,49, and on the balance actually due:
        # 250 × 12,15 % × 21 / 365 = 1,75 until the part payment of 2 May,
        # then 150 × 12,15 % × 14 / 365 = 0,70
        self.assertAlmostEqual(collection.amount_penalties, 100.94)

        files = self.zip_files(collection)
        summary = " ".join(pages(self.file(files, "01 Synthèse")))
        for expected in (
            "Dossier de recouvrement – Menuiserie Roux SAS",
            "Atelier Dupont SAS",
            "SIREN : 732 829 320",
            "N° TVA intracommunautaire : FR44732829320",
            "Menuiserie Roux SAS",
            "5 place Bellecour",
            "69002 LYON",
            "SIREN : 334 175 221",  # the debtor's, from its French VAT number
            "Maître Lefèvre, avocat",
            "petites créances",
            "5 000 € au plus en principal et intérêts",
            inv1.name,
            inv2.name,
            "1 234,56 €",
            "150,00 €",
            "du 01/04/2026 au 15/05/2026 45 1 234,56 € 12,15 % 18,49 €",
            "du 11/04/2026 au 01/05/2026 21 250,00 € 12,15 % 1,75 €",
            "du 02/05/2026 au 15/05/2026 14 150,00 € 12,15 % 0,70 €",
            "Indemnités forfaitaires (40 € par facture en retard) : 80,00 €",
            "Total des pénalités : 100,94 €",
            "Total réclamé (principal et pénalités) : 1 485,50 €",
            "30/04/2026 Relance 2",
            "lettre postée le",  # each step: posted or not, beside its number
            "1A 123 456 7890 1",
            "distribuée le 04/05/2026",  # the acknowledgment of receipt
        ):
            self.assertIn(expected, summary)
        [step] = collection._relance_summary_values()["reminders"]
        self.assertEqual(step["sent"], "courriel en attente d'envoi ; lettre postée le 02/05/2026")
        invoices = [name for name in files if name.startswith("02 Factures/")]
        self.assertEqual(len(invoices), 2)
        for name in invoices:
            self.assertTrue(files[name].startswith(b"%PDF"), name)
        self.assertEqual(len([name for name in files if name.startswith("03 Courriers/")]), 1)
        self.assertIn("04 Relevé de compte Menuiserie Roux SAS", " ".join(files))

        rows = self.csv_rows(files)
        self.assertEqual(rows[0][:6], ["Type", "Pièce", "Facture", "Date", "Échéance", "Montant"])
        by_type = [(row[0], row[2]) for row in rows[1:]]
        self.assertEqual(by_type, [("Facture", inv1.name), ("Facture", inv2.name), ("Règlement", inv2.name)])
        self.assertEqual(rows[1][3:9], ["01/03/2026", "31/03/2026", "1234,56", "1234,56", "45", "18,49"])
        self.assertEqual(rows[1][9:], ["40,00", "EUR"])
        self.assertEqual(rows[2][5:7], ["250,00", "150,00"])
        self.assertEqual(rows[3][3], "02/05/2026")
        self.assertEqual(rows[3][5], "-100,00")

    def test_dunning_stops_and_the_file_goes_to_the_lawyer(self):
        partner = self.customer("Garage Petit SARL")
        inv = self.invoice(partner, 3000.0, "2026-03-31")
        other = self.customer("Boulangerie Martin SARL")
        other_inv = self.invoice(other, 500.0, "2026-03-31")
        collection = self.hand_over(partner)

        self.assertTrue(inv.relance_excluded)
        self.assertEqual(inv.relance_excluded_reason, "Recouvrement contentieux")
        self.assertEqual(inv.relance_collection_ids, collection)
        self.assertIn("Collection file handed over", text(collection.message_ids[0].body))
        note = partner.message_ids.filtered(lambda m: "Collection file handed over" in text(m.body))
        self.assertTrue(note, "logged on the customer")
        self.assertEqual(collection.attachment_id.mimetype, "application/zip")

        reminders = self.run_on("2026-05-20")
        self.assertFalse(reminders.filtered(lambda r: r.partner_id == partner))
        self.assertEqual(reminders.invoice_ids, other_inv, "the other customers are chased as before")

        collection.action_send_file()
        mail = collection.message_ids.filtered(lambda m: m.message_type == "comment")
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.partner_ids, self.lawyer)
        self.assertEqual(mail.subject, "Dossier de recouvrement Garage Petit SARL – Atelier Dupont SAS")
        self.assertIn("3 000,00 €", fr(text(mail.body)))
        self.assertEqual(mail.attachment_ids, collection.attachment_id)

        analysis = self.env["relance.analysis"]._read_group(
            [("company_id", "=", self.company.id), ("in_collection", "=", True)],
            [],
            ["amount_collection:sum"],
        )
        self.assertAlmostEqual(analysis[0][0], 3000.0)

        collection.action_recovered()
        self.assertEqual(collection.state, "recovered")
        with self.assertRaises(UserError):
            collection.action_abandoned()

    def test_consumer_file_names_the_judicial_court_and_no_siren(self):
        partner = self.customer("Jean Dupuis", is_company=False, vat=False)
        self.invoice(partner, 6200.0, "2026-03-31")
        with freeze_time("2026-05-15"):
            wizard = self.wizard(partner)
        self.assertFalse(wizard.professional)
        self.assertEqual((wizard.suggested_procedure, wizard.court), ("injunction", "judiciaire"))
        wizard.procedure = "agency"  # a suggestion the user may change
        with freeze_time("2026-05-15"):
            collection = self.Collection.browse(wizard.action_create()["res_id"])
        self.assertEqual(collection.state, "draft")
        self.assertEqual(collection.procedure, "agency")
        collection.procedure = "injunction"
        with freeze_time("2026-05-15"), self.assertRaisesRegex(UserError, "To whom is .* handed over"):
            collection.action_hand_over()  # a hand-over to nobody is refused
        self.assertEqual(collection.state, "draft")
        collection.handed_to_id = self.lawyer
        with freeze_time("2026-05-15"):
            collection.action_hand_over()
        self.assertEqual(collection.amount_penalties, 0.0)
        summary = fr(text(self.file(self.zip_files(collection), "01 Synthèse").decode()))
        self.assertIn("SIREN : non renseigné", summary)
        self.assertIn("N° TVA intracommunautaire : non renseigné", summary)
        self.assertIn("tribunal judiciaire", summary)
        self.assertIn("Débiteur non professionnel", summary)
        self.assertNotIn("Indemnités forfaitaires", summary)
        self.assertIn("Aucune relance n'a été enregistrée", summary)

    def test_from_a_selection_of_invoices(self):
        partner = self.customer("Grossiste Durand SA", zip="38000", city="Grenoble")
        inv1 = self.invoice(partner, 4000.0, "2026-03-31")
        self.invoice(partner, 2000.0, "2026-04-30")
        collection = self.hand_over(inv1, procedure="injunction")
        self.assertEqual(collection.invoice_ids, inv1)
        self.assertEqual(collection.procedure, "injunction")
        self.assertEqual(collection.court, "commerce")
        summary = fr(text(self.file(self.zip_files(collection), "01 Synthèse").decode()))
        self.assertIn("tribunal de commerce", summary)


@tagged("post_install", "-at_install")
class TestCollectionBadInput(CollectionCase):
    def assert_refused(self, message, make):
        before = self.Collection.search_count([])
        with self.assertRaisesRegex(UserError, message):
            make()
        self.assertEqual(self.Collection.search_count([]), before, "nothing created")

    def test_customer_without_open_invoice(self):
        partner = self.customer("Client Soldé SARL")
        inv = self.invoice(partner, 100.0, "2026-03-31")
        self.pay(inv)
        self.assert_refused("has no open invoice", lambda: self.wizard(partner))
        self.assert_refused(
            "has no open invoice",
            lambda: self.Collection.create({"partner_id": partner.id, "invoice_ids": []}),
        )

    def test_paid_invoice(self):
        partner = self.customer()
        paid = self.invoice(partner, 100.0, "2026-03-31")
        due = self.invoice(partner, 200.0, "2026-03-31")
        self.pay(paid)
        self.assert_refused(f"{paid.name} is paid", lambda: self.hand_over(paid | due))
        self.assertFalse(due.relance_excluded)

    def test_disputed_invoice(self):
        partner = self.customer()
        inv = self.invoice(partner, 100.0, "2026-03-31")
        inv.write({"relance_excluded": True, "relance_excluded_reason": "Litige sur la livraison"})
        self.assert_refused(
            "excluded from dunning \\(Litige sur la livraison\\)", lambda: self.hand_over(inv)
        )

    def test_invoice_already_in_an_open_file(self):
        partner = self.customer()
        inv = self.invoice(partner, 100.0, "2026-03-31")
        draft = self.Collection.create(
            {"partner_id": partner.id, "invoice_ids": [Command.set(inv.ids)], "handed_to_id": self.lawyer.id}
        )
        self.assert_refused(
            "already in the collection file",
            lambda: self.Collection.create({"partner_id": partner.id, "invoice_ids": [Command.set(inv.ids)]}),
        )
        draft.action_hand_over()
        with self.assertRaisesRegex(UserError, "was already handed over"):
            draft.action_hand_over()

    def test_customer_of_another_company(self):
        other = self.setup_other_company(name="Société Sœur")["company"]
        partner = self.env["res.partner"].create(
            {"name": "Client Sœur SARL", "is_company": True, "company_id": other.id}
        )
        self.assert_refused(
            "is not a customer of Atelier Dupont SAS",
            lambda: self.Collection.create({"partner_id": partner.id}),
        )

    def test_invoices_of_two_customers(self):
        inv1 = self.invoice(self.customer("Alpha Bois SARL"), 100.0, "2026-03-31")
        inv2 = self.invoice(self.customer("Gamma Verre SA"), 100.0, "2026-03-31")
        self.assert_refused("one customer", lambda: self.wizard(inv1 | inv2))


@tagged("post_install", "-at_install")
class TestCollectionRights(CollectionCase):
    def test_billing_user_hands_over(self):
        partner = self.customer()
        inv = self.invoice(partner, 800.0, "2026-03-31")
        with freeze_time("2026-05-15"):
            wizard = (
                self.Wizard.with_user(self.billing)
                .with_context(active_model="res.partner", active_ids=partner.ids)
                .create({"handed_to_id": self.lawyer.id})
            )
            action = wizard.action_hand_over()
        collection = self.Collection.with_user(self.billing).browse(action["res_id"])
        self.assertEqual(collection.state, "handed_over")
        self.assertTrue(inv.relance_excluded)
        with self.assertRaises(AccessError):
            collection.unlink()

    def test_portal_user_sees_nothing(self):
        portal = new_test_user(self.env, "coll.portal", groups="base.group_portal")
        with self.assertRaises(AccessError):
            self.Collection.with_user(portal).search([])
        with self.assertRaises(AccessError):
            self.Wizard.with_user(portal).create({})

    def test_other_company_sees_none_of_our_files(self):
        partner = self.customer()
        self.invoice(partner, 800.0, "2026-03-31")
        collection = self.hand_over(partner)
        other = self.setup_other_company(name="Société Sœur")["company"]
        stranger = new_test_user(
            self.env,
            "coll.other",
            groups="account.group_account_manager",
            company_id=other.id,
            company_ids=other.ids,
        )
        self.assertFalse(self.Collection.with_user(stranger).search([]))
        with self.assertRaises(AccessError):
            collection.with_user(stranger).read(["state"])


@tagged("post_install", "-at_install")
class TestLimitation(CollectionCase):
    def test_prescription_dates(self):
        pro = self.invoice(self.customer("Menuiserie Roux SAS"), 100.0, "2026-03-31")
        consumer_partner = self.customer("Jean Dupuis", is_company=False, vat=False)
        consumer = self.invoice(consumer_partner, 100.0, "2026-03-31")
        # from the invoice date (1 March), not from the due date (LEGAL-FR §4)
        self.assertEqual(pro.relance_prescription_date, date(2031, 3, 1))
        self.assertEqual(consumer.relance_prescription_date, date(2028, 3, 1))
        consumer_partner.vat = "FR23334175221"  # a professional after all
        self.assertEqual(consumer.relance_prescription_date, date(2031, 3, 1))
        self.assertFalse(
            self.invoice(
                consumer_partner, 50.0, "2026-03-31", move_type="out_refund"
            ).relance_prescription_date
        )

    def test_an_activity_once_ninety_days_before(self):
        partner = self.customer("Jean Dupuis", is_company=False, vat=False)
        inv = self.invoice(partner, 100.0, "2026-03-31")  # invoiced on 1 March: limitation on 1 March 2028
        paid = self.invoice(partner, 50.0, "2026-03-31")
        self.pay(paid)
        Move = self.env["account.move"]

        def activities(move):
            return self.env["mail.activity"].search(
                [("res_model", "=", "account.move"), ("res_id", "=", move.id)]
            )

        with freeze_time("2027-12-01"):
            Move._cron_relance_prescription()
        self.assertFalse(activities(inv))
        with freeze_time("2027-12-02"):
            Move._cron_relance_prescription()
        activity = activities(inv)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.specialist)
        self.assertIn("01/03/2028", activity.summary)
        self.assertIn(inv.name, text(activity.note))
        self.assertFalse(activities(paid), "a paid invoice needs no warning")
        with freeze_time("2027-12-03"):
            Move._cron_relance_prescription()
        self.assertEqual(len(activities(inv)), 1, "once")
        self.assertTrue(self.env.ref("relance_fr.ir_cron_relance_prescription").active)

    def test_filter_prescription_within_ninety_days(self):
        partner = self.customer("Jean Dupuis", is_company=False, vat=False)
        soon = self.invoice(partner, 100.0, "2026-03-31")
        later = self.invoice(partner, 100.0, "2026-09-30")
        invoice_view = self.env.ref("account.view_account_invoice_filter").id
        with freeze_time("2028-02-01"):
            domain = view_filter(self.env, "account.move", "relance_prescription_soon", invoice_view)
            found = self.env["account.move"].search([("id", "in", (soon | later).ids), *domain])
        self.assertEqual(found, soon)


@tagged("post_install", "-at_install")
class TestPaymentTermWarning(CollectionCase):
    def test_ninety_days_to_a_professional(self):
        inv = self.invoice(self.customer(), 100.0, "2026-05-30", invoice_date="2026-03-01")
        self.assertIn("90 days after the invoice date", inv.relance_payment_term_warning)
        self.assertIn("L441-10", inv.relance_payment_term_warning)
        self.assertEqual(inv.state, "posted", "a warning, never a block")

    def test_none_for_a_consumer_or_within_sixty_days(self):
        consumer = self.customer("Jean Dupuis", is_company=False, vat=False)
        self.assertFalse(
            self.invoice(
                consumer, 100.0, "2026-05-30", invoice_date="2026-03-01"
            ).relance_payment_term_warning
        )
        self.assertFalse(
            self.invoice(
                self.customer(), 100.0, "2026-04-30", invoice_date="2026-03-01"
            ).relance_payment_term_warning
        )

    def test_company_setting_turns_it_off(self):
        inv = self.invoice(self.customer(), 100.0, "2026-05-30", invoice_date="2026-03-01")
        self.assertTrue(self.company.relance_payment_term_warning, "on by default")
        self.env["res.config.settings"].create({"relance_payment_term_warning": False}).execute()
        self.assertFalse(self.company.relance_payment_term_warning)
        inv.invalidate_recordset(["relance_payment_term_warning"])
        self.assertFalse(inv.relance_payment_term_warning)

    def test_banner_on_the_invoice_form(self):
        view = self.env.ref("relance_fr.account_move_view_form")
        self.assertIn('field name="relance_payment_term_warning"', view.arch_db)


@tagged("post_install", "-at_install")
class TestCollectionConversation(CollectionCase):
    def test_the_summary_lists_promises_broken_and_disputes_rejected(self):
        partner = self.customer("Garage Petit SARL")
        promised = self.invoice(partner, 1000.0, "2026-03-01")
        disputed = self.invoice(partner, 600.0, "2026-03-05")
        with freeze_time("2026-03-10"):
            promise = self.env["relance.promise"].create(
                {"partner_id": partner.id, "invoice_ids": [Command.set(promised.ids)], "date": "2026-03-20"}
            )
            dispute = self.env["relance.dispute"].create({"invoice_id": disputed.id, "reason": "quantity"})
        planned = self.invoice(partner, 900.0, "2026-03-05")
        with freeze_time("2026-03-10"):
            plan = self.env["relance.plan"].create(
                {
                    "partner_id": partner.id,
                    "invoice_ids": [Command.set(planned.ids)],
                    "installment_count": 3,
                    "frequency": "monthly",
                    "first_date": "2026-03-20",
                }
            )
            plan.action_confirm()
        self.run_on("2026-03-25")  # the daily check: the promise of 20/03 is broken
        self.assertEqual(promise.state, "broken")
        self.run_on("2026-04-05")  # the instalment of 20/03 is 16 days late: the plan is broken
        self.assertEqual(plan.state, "broken")
        dispute.reject_reason = "Le bon de livraison est signé sans réserve."
        with freeze_time("2026-03-26"):
            dispute.action_reject()
        collection = self.hand_over(promised | disputed | planned, day="2026-05-15", pdf=True)
        summary = " ".join(pages(self.file(self.zip_files(collection), "01 Synthèse")))
        self.assertIn("Promesse de paiement recueillie le 10/03/2026 pour le 20/03/2026", summary)
        self.assertIn(f"non tenue – factures {promised.name}", summary)
        self.assertIn(
            fr(
                "Échéancier de paiement convenu le 10/03/2026 (900,00 € en 3 échéances), non respecté : "
                f"l'échéance du 20/03/2026 (300,00 €) n'a pas été réglée – factures {planned.name}"
            ),
            fr(summary),
        )
        self.assertIn(f"Contestation du 10/03/2026 sur la facture {disputed.name}", summary)
        self.assertIn("rejetée : Le bon de livraison est signé sans réserve.", summary)
