"""The law, line by line (issue 20): the legal mentions of our documents (C. com. R123-237,
R123-238) with their warnings, and customer emails without Odoo's unsubscribe link or footer."""

import email.policy
import io
import subprocess
import tempfile
import zipfile

from odoo.tests import freeze_time, tagged

from .common import fr
from .test_letters import LetterCase, pages

ODOO_FOOTER = ("Désabonner", "Unfollow", "/mail/unfollow", "Powered by", "Généré par", "utm_source=db")


def pdf_text(pdf):
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(pdf)
        file.flush()
        return fr(
            subprocess.run(
                ["pdftotext", "-layout", file.name, "-"], capture_output=True, check=True, text=True
            ).stdout
        )


def html_of(received):
    message = received.message
    if not hasattr(message, "get_body"):
        message = email.message_from_bytes(message.as_bytes(), policy=email.policy.default)
    return message.get_body(preferencelist=("html", "plain")).get_content()


@tagged("post_install", "-at_install")
class TestLegalMentions(LetterCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {"relance_legal_form": "SAS", "relance_share_capital": 50000.0, "relance_rcs_city": "Lyon"}
        )

    def test_rcs_city_capital_and_registered_office_on_a_letter(self):
        self.assertFalse(self.company.relance_mentions_warning)
        partner = self.customer("Menuiserie Roux SAS")
        reminder = self.reminder(partner, self.invoice(partner, 500.0, "2026-03-31"))
        self.assertFalse(reminder.mentions_warning)
        letter = fr(" ".join(pages(self.print_pdf(reminder))))
        self.assertIn("SAS au capital de 50 000,00 €", letter)
        self.assertIn("Siège social : 12 rue de la République, 69002 Lyon", letter)
        self.assertIn("RCS Lyon 732 829 320", letter)
        self.assertIn("N° TVA intracommunautaire FR44732829320", letter)

    def test_settings_and_the_letter_warn_when_a_mention_is_missing(self):
        self.company.write({"relance_rcs_city": False, "relance_share_capital": 0.0})
        settings = self.env["res.config.settings"].create({})
        self.assertIn("Missing: share capital, RCS city.", settings.relance_mentions_warning)
        self.assertIn("R123-237", settings.relance_mentions_warning)
        partner = self.customer("Menuiserie Roux SAS")
        reminder = self.reminder(partner, self.invoice(partner, 500.0, "2026-03-31"))
        self.assertIn("RCS city", reminder.mentions_warning)
        form = self.env.ref("relance_fr.relance_reminder_view_form").arch_db
        self.assertIn('name="mentions_warning"', form)
        # the letter still goes, with what is known: the SIREN alone
        letter = fr(" ".join(pages(self.print_pdf(reminder))))
        self.assertIn("SIREN 732 829 320", letter)

    def test_the_schedule_and_its_email_carry_the_mentions_and_no_unsubscribe_link(self):
        partner = self.customer("Menuiserie Roux SAS", email="compta@roux.fr")
        self.invoice(partner, 1000.0, "2026-03-01")
        with freeze_time("2026-03-10"):
            plan = (
                self.env["relance.plan"]
                .with_user(self.specialist)
                .create({"partner_id": partner.id, "installment_count": 3, "first_date": "2026-03-31"})
            )
            plan.with_context(force_report_rendering=True).action_confirm()
        sink = self.send_mails()
        [received] = sink.to("compta@roux.fr")
        body = html_of(received)
        for footer in ODOO_FOOTER:
            self.assertNotIn(footer, body)
        self.assertIn("échéancier", body)
        [(_name, _mimetype, pdf)] = received.attachments()
        schedule = pdf_text(pdf)
        self.assertIn("RCS Lyon 732 829 320", schedule)
        self.assertIn("au capital de 50 000,00 €", schedule)

    def test_no_unsubscribe_link_in_any_dunning_email(self):
        partner = self.customer("Menuiserie Roux SAS", email="compta@roux.fr")
        self.invoice(partner, 1000.0, "2026-03-01")
        for day in ("2026-03-10", "2026-03-20"):
            self.run_on(day)
        received = self.send_mails().to("compta@roux.fr")
        self.assertTrue(received)
        for mail in received:
            body = html_of(mail)
            for footer in ODOO_FOOTER:
                self.assertNotIn(footer, body, mail.subject)

    def test_the_statement_and_the_collection_summary_carry_the_mentions(self):
        partner = self.customer("Menuiserie Roux SAS")
        self.invoice(partner, 1000.0, "2026-03-01")
        lawyer = self.env["res.partner"].create({"name": "Maître Lefèvre"})
        with freeze_time("2026-05-15"):
            wizard = (
                self.env["relance.collection.wizard"]
                .with_context(active_model="res.partner", active_ids=partner.ids)
                .create({"handed_to_id": lawyer.id})
            )
            action = wizard.with_context(force_report_rendering=True).action_hand_over()
        collection = self.env["relance.collection"].browse(action["res_id"])
        with zipfile.ZipFile(io.BytesIO(collection.attachment_id.raw)) as archive:
            files = {name: archive.read(name) for name in archive.namelist()}
        for prefix in ("01 Synthèse", "04 Relevé de compte"):
            [content] = [data for name, data in files.items() if name.startswith(prefix)]
            self.assertIn("RCS Lyon 732 829 320", pdf_text(content), prefix)
