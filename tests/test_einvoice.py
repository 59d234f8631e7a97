"""E-invoicing lifecycle statuses drive the dunning: CDAR messages read from files, a ZIP, an
email or typed by hand; each status's effect seen day by day through the run (SPEC §15)."""

import base64

from odoo.exceptions import AccessError, UserError
from odoo.tests import freeze_time, new_test_user, tagged

from .cdar import cdar, zip_of
from .common import RelanceCase, fr, text
from .portal_common import PortalCase

SIREN = "552100554"


@tagged("post_install", "-at_install")
class EinvoiceCase(RelanceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.company_registry = "552 100 554"
        cls.Status = cls.env["relance.einvoice.status"]
        company = {"company_id": cls.company.id, "company_ids": cls.company.ids}
        cls.manager = new_test_user(
            cls.env, "einv.manager", groups="account.group_account_manager", **company
        )

    def status(self, invoice, code, day, message_id=None, user=None, **kw):
        """Import the CDAR message of ``code`` about ``invoice`` dated ``day`` (YYYY-MM-DD)."""
        data = cdar(
            message_id or f"CDV-{invoice.name}-{code}-{day}",
            invoice.name,
            invoice.invoice_date.strftime("%Y%m%d"),
            code,
            day.replace("-", ""),
            **kw,
        )
        with freeze_time(day):
            return self.Status.with_user(user or self.specialist).import_cdar(data)

    def body(self, reminder):
        return fr(text(self.emails(reminder)[:1].body))


@tagged("post_install", "-at_install")
class TestEinvoiceEffects(EinvoiceCase):
    def test_a_207_stops_the_dunning_and_opens_a_dispute(self):
        partner = self.customer("Menuiserie Leroy SARL")
        inv = self.invoice(partner, 1000.0, "2026-03-01")
        first = self.run_on("2026-03-09")
        self.assertEqual(first.level_id.name, "Premier rappel")
        status = self.status(inv, "207", "2026-03-12", reason_code="QTE_ERR", reason="8 portes sur 10")
        self.assertEqual((status.invoice_id, status.result, status.label), (inv, "applied", "En litige"))
        dispute = inv.relance_dispute_ids
        self.assertEqual((dispute.source, dispute.reason, dispute.state), ("einvoice", "quantity", "open"))
        self.assertIn("8 portes sur 10", dispute.description)
        self.assertTrue(inv.relance_excluded)
        self.assertEqual(inv.relance_einvoice_summary, "207 En litige")
        self.assertIn("207 En litige", inv.message_ids[0].body)
        self.assertEqual(status.attachment_id.raw[:5], b"<?xml")
        for day in ("2026-03-16", "2026-03-31", "2026-04-15"):
            self.assertFalse(self.run_on(day), day)  # never a reminder while the dispute is open

    def test_a_duplicate_message_changes_nothing(self):
        partner = self.customer("Garage Petit SARL")
        inv = self.invoice(partner, 1000.0, "2026-03-01")
        self.assertTrue(self.status(inv, "207", "2026-03-12", message_id="CDV-0001"))
        again = self.status(inv, "207", "2026-03-12", message_id="CDV-0001")
        self.assertFalse(again)
        self.assertEqual(len(inv.relance_einvoice_status_ids), 1)
        self.assertEqual(len(inv.relance_dispute_ids), 1)

    def test_a_211_holds_the_escalation_then_the_next_message_recalls_it(self):
        partner = self.customer("Boulangerie Martin SARL")
        inv = self.invoice(partner, 1000.0, "2026-03-01")
        self.assertEqual(self.run_on("2026-03-09").level_id.name, "Premier rappel")
        status = self.status(inv, "211", "2026-03-14")
        self.assertEqual(status.label, "Paiement transmis")
        self.assertEqual(str(inv.relance_einvoice_payment_sent), "2026-03-14")
        self.assertFalse(inv.relance_excluded)  # held, not excluded
        for day in ("2026-03-16", "2026-03-20", "2026-03-23"):
            self.assertFalse(self.run_on(day), day)  # 10 days without escalation
        reminder = self.run_on("2026-03-24")
        self.assertEqual(reminder.level_id.name, "Relance 1")
        body = self.body(reminder)
        self.assertIn("Vous nous avez indiqué le 14/03/2026, par votre plateforme de facturation", body)
        self.assertIn(f"paiement de la facture {inv.name} ; il ne nous est pas parvenu à ce jour", body)
        later = self.run_on("2026-04-08")  # the next one does not say it again
        self.assertEqual(later.level_id.name, "Relance 2")
        self.assertNotIn("il ne nous est pas parvenu à ce jour", self.body(later))

    def test_a_211_cancels_a_formal_notice_waiting_for_validation(self):
        self.policies["standard"].skip_levels = True
        partner = self.customer("Garage Petit SARL")
        inv = self.invoice(partner, 3000.0, "2026-01-10")
        notice = self.run_on("2026-04-01")
        self.assertEqual(notice.state, "to_validate")
        self.status(inv, "211", "2026-04-02")
        self.assertFalse(self.run_on("2026-04-03"))
        self.assertEqual(notice.state, "cancel")
        self.assertEqual(
            text(notice.message_ids[0].body),
            f"Cancelled: nothing is left to ask. {inv.name}: the buyer's platform says the payment was sent.",
        )

    def test_a_formal_notice_rebuilt_on_validation_claims_the_approved_amount(self):
        self.policies["standard"].skip_levels = True
        partner = self.customer("Garage Petit SARL")
        inv = self.invoice(partner, 3000.0, "2026-01-10")
        notice = self.run_on("2026-04-01")
        self.status(inv, "206", "2026-04-02", amounts=[("MAPTTC", 2000.0)])
        with freeze_time("2026-04-03"):
            notice.action_validate()
        self.assertAlmostEqual(notice.amount_due, 2000.0)

    def test_the_hold_follows_the_company_setting(self):
        self.company.relance_payment_sent_days = 3
        partner = self.customer("Boulangerie Martin SARL")
        inv = self.invoice(partner, 1000.0, "2026-03-01")
        self.run_on("2026-03-09")
        self.status(inv, "211", "2026-03-14")
        self.assertFalse(self.run_on("2026-03-16"))
        self.assertEqual(self.run_on("2026-03-17").level_id.name, "Relance 1")

    def test_a_210_is_never_dunned_and_asks_for_a_credit_note(self):
        partner = self.customer("Pharmacie des Halles")
        inv = self.invoice(partner, 1000.0, "2026-03-01")
        other = self.invoice(partner, 300.0, "2026-03-01")
        self.status(inv, "210", "2026-02-10", reason_code="DOUBLON", reason="Facture déjà reçue")
        self.assertTrue(inv.relance_excluded)
        self.assertEqual(
            inv.relance_excluded_reason,
            "210 Refusée on the e-invoicing platform on 10/02/2026: DOUBLON – Facture déjà reçue",
        )
        self.assertEqual(inv.relance_einvoice_block, "stopped")
        activity = inv.activity_ids
        self.assertEqual(activity.user_id, self.specialist)
        self.assertIn("Issue a credit note, correct or resend", activity.summary)
        reminder = self.run_on("2026-03-09")
        self.assertEqual(reminder.invoice_ids, other)  # the other invoice goes on
        for day in ("2026-03-16", "2026-04-01", "2026-05-01"):
            self.assertNotIn(inv, self.run_on(day).invoice_ids, day)

    def test_213_220_221_are_never_dunned_and_225_is_for_the_factor(self):
        partner = self.customer("Garage Petit SARL")
        invoices = {code: self.invoice(partner, 100.0, "2026-03-01") for code in ("213", "220", "221", "225")}
        for code, inv in invoices.items():
            self.status(inv, code, "2026-03-05")
        blocks = {code: inv.relance_einvoice_block for code, inv in invoices.items()}
        self.assertEqual(blocks, {"213": "stopped", "220": "stopped", "221": "stopped", "225": "factored"})
        self.assertEqual(
            invoices["225"].relance_excluded_reason, "Factored (225 Affacturée): the factor collects it."
        )
        self.assertFalse(invoices["225"].activity_ids)
        self.assertFalse(self.run_on("2026-03-09"))

    def test_a_206_claims_only_the_approved_amount(self):
        partner = self.customer("Menuiserie Leroy SARL")
        inv = self.invoice(partner, 1000.0, "2026-03-01")
        self.status(
            inv, "206", "2026-03-05", reason_code="QTE_ERR", amounts=[("MAPTTC", 800.0), ("MNATTC", 200.0)]
        )
        self.assertEqual(inv.relance_einvoice_approved, 800.0)
        self.assertFalse(inv.relance_excluded)  # the approved part is still claimed
        dispute = inv.relance_dispute_ids
        self.assertEqual(
            (dispute.amount_disputed, dispute.reason, dispute.source), (200.0, "quantity", "einvoice")
        )
        self.assertIn("a credit note of 200,00 € is expected", fr(dispute.description))
        reminder = self.run_on("2026-03-09")
        self.assertEqual(reminder.invoice_ids, inv)
        self.assertAlmostEqual(reminder.amount_due, 800.0)
        body = self.body(reminder)
        self.assertIn(fr("800,00 €"), body)
        self.assertIn(fr("1 000,00 €"), body)  # the invoice's amount, its claimed remainder beside it
        self.pay(inv, amount=500.0, day="2026-03-12")
        self.assertAlmostEqual(inv._relance_amount_claimed(), 300.0)

    def test_a_208_pauses_with_an_activity_and_209_resumes(self):
        partner = self.customer("Boulangerie Martin SARL")
        inv = self.invoice(partner, 1000.0, "2026-03-01")
        self.status(inv, "208", "2026-03-05", reason_code="JUSTIF_ABS", reason="Bon de livraison signé")
        self.assertTrue(inv.relance_excluded)
        self.assertEqual(inv.relance_einvoice_block, "paused")
        self.assertIn("Send the buyer what it asks for", inv.activity_ids.summary)
        self.assertIn("Bon de livraison signé", inv.relance_excluded_reason)
        self.assertFalse(self.run_on("2026-03-09"))
        self.status(inv, "209", "2026-03-10")
        self.assertFalse(inv.relance_excluded)
        self.assertFalse(inv.relance_einvoice_block)
        self.assertEqual(self.run_on("2026-03-11").level_id.name, "Premier rappel")

    def test_a_209_does_not_lift_a_dispute(self):
        partner = self.customer("Boulangerie Martin SARL")
        inv = self.invoice(partner, 1000.0, "2026-03-01")
        self.status(inv, "207", "2026-03-05")
        self.status(inv, "209", "2026-03-06")
        self.assertTrue(inv.relance_excluded)

    def test_212_and_203_change_nothing_but_are_shown(self):
        partner = self.customer("Boulangerie Martin SARL")
        inv = self.invoice(partner, 1000.0, "2026-03-01")
        self.status(inv, "203", "2026-02-02")
        self.status(inv, "212", "2026-03-05", amounts=[("MEN", 1000.0)])
        self.assertEqual(inv.payment_state, "not_paid")  # a status never pays an invoice
        self.assertEqual(inv.relance_einvoice_summary, "212 Encaissée")
        self.assertEqual(inv.relance_einvoice_status_ids.sorted("date").mapped("amount"), [0.0, 1000.0])
        self.assertEqual(self.run_on("2026-03-09").invoice_ids, inv)

    def test_a_status_about_a_paid_invoice_or_older_than_the_latest_is_history_only(self):
        partner = self.customer("Garage Petit SARL")
        paid = self.invoice(partner, 500.0, "2026-03-01")
        self.pay(paid, day="2026-03-03")
        late = self.status(paid, "210", "2026-03-05")
        self.assertEqual(late.result, "history")
        self.assertFalse(paid.relance_excluded)
        self.assertFalse(paid.activity_ids)
        inv = self.invoice(partner, 1000.0, "2026-03-01")
        self.status(inv, "205", "2026-03-10")
        older = self.status(inv, "207", "2026-03-04")
        self.assertEqual(older.result, "history")
        self.assertFalse(inv.relance_dispute_ids)
        self.assertEqual(inv.relance_einvoice_summary, "205 Approuvée")
        self.assertIn("kept in the history", inv.message_ids[0].body)

    def test_statuses_cost_the_run_no_query_each(self):
        """What the statuses decided is on the invoices the run loads for its batch: skipping 3
        or 6 customers whose buyer said it paid takes the same number of queries."""
        counts = []
        self.run_on("2026-03-09")  # caches warm
        for size, day in ((3, "2026-03-10"), (6, "2026-03-11")):
            for i in range(size):
                partner = self.customer(f"Client payé {size}-{i}")
                self.status(self.invoice(partner, 100.0 + i, "2026-03-01"), "211", "2026-03-05")
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            self.assertFalse(self.run_on(day))
            counts.append(self.env.cr.sql_log_count - before)
        self.assertEqual(counts[0], counts[1])


@tagged("post_install", "-at_install")
class TestEinvoiceEvidence(EinvoiceCase):
    def test_the_formal_notice_and_the_collection_file_cite_the_approval(self):
        self.policies["standard"].skip_levels = True
        partner = self.customer("Grossiste Durand SA")
        inv = self.invoice(partner, 3000.0, "2026-01-10", invoice_date="2025-12-10")
        self.status(inv, "203", "2025-12-11")
        self.status(inv, "205", "2025-12-15")
        notice = self.run_on("2026-04-01")
        self.assertEqual(notice.level_id.name, "Mise en demeure")
        recital = (
            f"La facture {inv.name} vous a été mise à disposition le 11/12/2025 sur votre plateforme de "
            "facturation électronique, et vous l'avez approuvée le 15/12/2025."
        )
        self.assertIn(recital, fr(text(notice._relance_block("invoice_table"))))
        letter = self.env["ir.actions.report"]._render_qweb_html(
            "relance_fr.action_report_relance_letter", notice.ids
        )[0]
        self.assertIn(recital, fr(text(letter.decode())))
        with freeze_time("2026-05-15"):
            wizard = (
                self.env["relance.collection.wizard"]
                .with_context(active_model="res.partner", active_ids=partner.ids)
                .create({"handed_to_id": self.specialist.partner_id.id})
            )
            collection = self.env["relance.collection"].browse(wizard.action_hand_over()["res_id"])
        summary = self.env["ir.actions.report"]._render_qweb_html(
            "relance_fr.action_report_relance_collection", collection.ids
        )[0]
        self.assertIn(
            f"Facture {inv.name} : mise à disposition du débiteur le 11/12/2025, approuvée par le débiteur "
            "le 15/12/2025 (statuts de sa plateforme de facturation électronique).",
            fr(text(summary.decode())),
        )

    def test_an_earlier_level_does_not_cite_it(self):
        partner = self.customer("Grossiste Durand SA")
        inv = self.invoice(partner, 3000.0, "2026-03-01")
        self.status(inv, "205", "2026-02-15")
        reminder = self.run_on("2026-03-09")
        self.assertNotIn("vous l'avez approuvée", self.body(reminder))
        self.assertNotIn("Vous avez approuvé", self.body(reminder))


@tagged("post_install", "-at_install")
class TestEinvoiceImport(EinvoiceCase):
    def test_each_bad_status_of_a_message_is_kept_for_review_with_its_reason(self):
        partner = self.customer("Garage Petit SARL")
        inv = self.invoice(partner, 1000.0, "2026-03-01", invoice_date="2026-02-01")
        bill = self.invoice(partner, 400.0, "2026-03-01", move_type="in_invoice")
        draft = self.invoice(partner, 200.0, "2026-03-01", post=False)
        draft.name = "BROUILLON/1"
        data = cdar(
            "CDV-MIX",
            inv.name,
            "20260201",
            "205",
            "20260305",
            more=[
                ("FA-INCONNUE-12", "20260201", "207"),
                (bill.name, bill.invoice_date.strftime("%Y%m%d"), "207"),
                (inv.name, "20260202", "210"),  # a date that does not match
                (inv.name, "20260201", "299"),
                (inv.name, "20260201", ""),
            ],
        )
        with freeze_time("2026-03-05"):
            statuses = self.Status.with_user(self.specialist).import_cdar(data)
        self.assertEqual(len(statuses), 6)
        applied = statuses.filtered(lambda s: s.result == "applied")
        self.assertEqual((applied.invoice_id, applied.code), (inv, "205"))
        review = statuses - applied
        self.assertEqual(set(review.mapped("result")), {"review"})
        self.assertFalse(review.invoice_id)
        self.assertEqual(
            review.mapped("note"),
            [
                f"No invoice numbered FA-INCONNUE-12 in {self.company.name}.",
                f"{bill.name} is not a customer invoice (Vendor Bill).",
                f"{inv.name} is dated 01/02/2026; the message says 02/02/2026.",
                "Unknown status code 299 (not one of XP Z12-012).",
                f"The message about {inv.name} has no status code.",
            ],
        )
        self.assertFalse(inv.relance_excluded)  # neither the 210 of another date nor the others acted
        to_review = self.Status.search([("result", "=", "review")])
        self.assertEqual(to_review, review)  # the list to review

    def test_a_status_of_another_seller_is_not_applied(self):
        partner = self.customer("Garage Petit SARL")
        inv = self.invoice(partner, 1000.0, "2026-03-01")
        status = self.status(inv, "210", "2026-03-05", siren="732829320")
        self.assertEqual(status.result, "review")
        self.assertEqual(
            status.note, f"The seller of {inv.name} is SIREN 732829320, not {self.company.name} ({SIREN})."
        )
        self.assertFalse(inv.relance_excluded)

    def test_an_invoice_of_another_company_is_not_found(self):
        other = self.setup_other_company()["company"]
        other.company_registry = SIREN  # even under the same SIREN: the company's own invoices only
        partner = self.customer("Garage Petit SARL")
        inv = self.invoice(partner, 1000.0, "2026-03-01")
        status = self.Status.with_company(other).import_cdar(
            cdar("CDV-OTHER", inv.name, inv.invoice_date.strftime("%Y%m%d"), "207", "20260305")
        )
        self.assertEqual(status.company_id, other)
        self.assertEqual(status.note, f"No invoice numbered {inv.name} in {other.name}.")
        self.assertFalse(inv.relance_dispute_ids)

    def test_what_is_not_a_cdar_message_is_refused_with_a_clear_message(self):
        with self.assertRaisesRegex(UserError, "statuts.pdf is not an XML file"):
            self.Status.import_cdar(b"%PDF-1.4", filename="statuts.pdf")
        with self.assertRaisesRegex(
            UserError, r"facture.xml is XML but not a CDAR lifecycle message \(its root"
        ):
            self.Status.import_cdar(b"<Invoice/>", filename="facture.xml")
        self.assertFalse(self.Status.search([]))

    def test_the_wizard_imports_files_and_a_zip_and_reports_the_bad_ones(self):
        partner = self.customer("Garage Petit SARL")
        disputed = self.invoice(partner, 1000.0, "2026-03-01")
        refused = self.invoice(partner, 500.0, "2026-03-01")
        day = disputed.invoice_date.strftime("%Y%m%d")
        files = {
            "litige.xml": cdar("CDV-1", disputed.name, day, "207", "20260305"),
            "archive.zip": zip_of(
                {
                    "refus.xml": cdar("CDV-2", refused.name, day, "210", "20260305"),
                    "inconnue.xml": cdar("CDV-3", "FA-INCONNUE", day, "207", "20260305"),
                    "notes.txt": b"hello",
                }
            ),
            "again.xml": cdar("CDV-1", disputed.name, day, "207", "20260305"),
        }
        # uploaded by the user who imports them
        attachments = (
            self.env["ir.attachment"]
            .with_user(self.specialist)
            .create([{"name": name, "raw": data} for name, data in files.items()])
        )
        with freeze_time("2026-03-05"):
            wizard = (
                self.env["relance.einvoice.import"]
                .with_user(self.specialist)
                .create({"attachment_ids": [(6, 0, attachments.ids)]})
            )
            wizard.action_import()
        self.assertEqual(wizard.state, "done")
        self.assertEqual(len(wizard.status_ids), 3)
        self.assertTrue(disputed.relance_dispute_ids)
        self.assertEqual(refused.relance_einvoice_block, "stopped")
        summary = wizard.summary.splitlines()
        self.assertEqual(
            summary[0],
            "3 statuses imported: 2 acting on their invoice, 0 kept in the history only, 1 to review; "
            "1 messages already imported.",
        )
        self.assertIn("archive.zip/notes.txt is not an XML file", wizard.summary)
        self.assertIn("FA-INCONNUE: No invoice numbered FA-INCONNUE", wizard.summary)
        action = wizard.action_open_statuses()
        self.assertEqual(self.Status.search(action["domain"]), wizard.status_ids)

    def test_an_email_to_the_alias_brings_its_cdar_attachments(self):
        partner = self.customer("Garage Petit SARL")
        inv = self.invoice(partner, 1000.0, "2026-03-01")
        data = cdar("CDV-MAIL-1", inv.name, inv.invoice_date.strftime("%Y%m%d"), "207", "20260305")
        email = self.mail(data)
        with freeze_time("2026-03-05"):
            thread_id = self.env["mail.thread"].message_process("relance.einvoice.status", email)
        status = self.Status.browse(thread_id)
        self.assertEqual((status.invoice_id, status.source, status.code), (inv, "email", "207"))
        self.assertEqual(inv.relance_dispute_ids.source, "einvoice")
        self.assertIn("Statuts du jour", status.message_ids.mapped("subject"))
        with freeze_time("2026-03-06"):  # the platform sends the same message again
            again = self.env["mail.thread"].message_process(
                "relance.einvoice.status", self.mail(data, message_id="<other@pa.example>")
            )
        self.assertEqual(again, status.id)
        self.assertEqual(len(self.Status.search([])), 1)

    def test_an_email_without_cdar_is_kept_for_review(self):
        email = self.mail(b"%PDF-1.4", name="facture.pdf")
        with freeze_time("2026-03-05"):
            status = self.Status.browse(
                self.env["mail.thread"].message_process("relance.einvoice.status", email)
            )
        self.assertEqual(status.result, "review")
        self.assertEqual(status.note, "The email carries no CDAR message.")

    def test_each_company_has_its_alias_and_its_emails_become_its_statuses(self):
        self.assertTrue(self.env.ref("base.main_company").relance_einvoice_alias_id)  # from the install
        alias = self.company.relance_einvoice_alias_id
        self.assertEqual(alias.alias_model_id.model, "relance.einvoice.status")
        alias.alias_domain_id = self.env["mail.alias.domain"].create({"name": "atelier-dupont.fr"})
        other = self.setup_other_company()["company"]
        self.assertNotEqual(other.relance_einvoice_alias_id, alias)
        partner = self.customer("Garage Petit SARL")
        inv = self.invoice(partner, 1000.0, "2026-03-01")
        data = cdar("CDV-ALIAS", inv.name, inv.invoice_date.strftime("%Y%m%d"), "210", "20260305")
        with freeze_time("2026-03-05"):
            thread_id = self.env["mail.thread"].message_process(
                False, self.mail(data, to=alias.alias_full_name)
            )
        status = self.Status.browse(thread_id)
        self.assertEqual(
            (status.company_id, status.invoice_id, status.result), (self.company, inv, "applied")
        )
        self.assertEqual(inv.relance_einvoice_block, "stopped")

    def mail(
        self, data, name="statut.xml", message_id="<cdv-1@pa.example>", to="statuts-factures@example.com"
    ):
        payload = base64.encodebytes(data).decode()
        return f"""From: Plateforme <noreply@pa.example>
To: {to}
Subject: Statuts du jour
Message-ID: {message_id}
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="XX"

--XX
Content-Type: text/plain; charset=utf-8

Statuts de cycle de vie en piece jointe.
--XX
Content-Type: application/octet-stream; name="{name}"
Content-Disposition: attachment; filename="{name}"
Content-Transfer-Encoding: base64

{payload}
--XX--
"""

    def test_manual_entry_of_a_status_read_on_the_platform(self):
        partner = self.customer("Garage Petit SARL")
        inv = self.invoice(partner, 1000.0, "2026-03-01")
        with freeze_time("2026-03-05"):
            status = self.Status.with_user(self.specialist).create(
                {"invoice_id": inv.id, "code_choice": "207", "reason": "Prix non conforme au devis"}
            )
        self.assertEqual((status.code, status.source, status.result), ("207", "manual", "applied"))
        self.assertEqual(inv.relance_dispute_ids.description, "Prix non conforme au devis")
        with self.assertRaisesRegex(UserError, "Choose the status among the codes"):
            self.Status.create({"invoice_id": inv.id, "code": "299"})
        bill = self.invoice(partner, 400.0, "2026-03-01", move_type="in_invoice")
        with self.assertRaisesRegex(UserError, "about a posted customer invoice, not"):
            self.Status.create({"invoice_id": bill.id, "code": "207"})

    def test_a_status_kept_for_review_applies_once_its_invoice_is_chosen(self):
        partner = self.customer("Garage Petit SARL")
        inv = self.invoice(partner, 1000.0, "2026-03-01")
        with freeze_time("2026-03-05"):
            status = self.Status.import_cdar(cdar("CDV-9", "FA 2026 12", "20260301", "210", "20260305"))
        self.assertEqual(status.result, "review")
        with self.assertRaises(AccessError):
            status.with_user(self.specialist).invoice_id = inv  # billing users read and create
        status = status.with_user(self.manager)
        status.invoice_id = inv
        status.action_apply()
        self.assertEqual(status.result, "applied")
        self.assertTrue(inv.relance_excluded)
        with self.assertRaisesRegex(UserError, "already applied"):
            status.action_apply()

    def test_another_company_sees_none_of_our_statuses(self):
        partner = self.customer("Garage Petit SARL")
        inv = self.invoice(partner, 1000.0, "2026-03-01")
        self.status(inv, "205", "2026-03-05")
        other = self.setup_other_company()["company"]
        outsider = new_test_user(
            self.env,
            "einv.outsider",
            groups="account.group_account_manager",
            company_id=other.id,
            company_ids=other.ids,
        )
        self.assertFalse(self.Status.with_user(outsider).search([]))
        self.assertEqual(len(self.Status.with_user(self.specialist).search([])), 1)


@tagged("post_install", "-at_install")
class TestEinvoicePortal(PortalCase):
    def test_the_customer_page_shows_each_invoice_status_in_french(self):
        self.company.company_registry = SIREN
        self.env["relance.einvoice.status"].create(
            {"invoice_id": self.inv_late.id, "code": "205", "date": self.today}
        )
        body = self.page_text(self.page())
        self.assertIn(f"{self.inv_late.name} plateforme : Approuvée", body)
        self.assertEqual(body.count("plateforme :"), 1)
