"""Letters: real PDFs printed by wkhtmltopdf, read back with pdftotext, batches and posting."""

import base64
import html
import io
import re
import subprocess
import tempfile
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command
from odoo.addons.base.models.ir_actions_report import IrActionsReport as BaseReport
from odoo.addons.relance_fr.tools import relance_letter
from odoo.exceptions import UserError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools.pdf import PdfFileReader

from .common import RelanceCase, fr

MM_PER_PT = 25.4 / 72
LETTER = "relance_fr.action_report_relance_letter"
HEADER = ("Facture", "Échéance", "Montant TTC", "Reste dû")
WORD = re.compile(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*)</word>')


def pdftotext(pdf, *args):
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(pdf)
        file.flush()
        return subprocess.run(
            ["pdftotext", *args, file.name, "-"], capture_output=True, check=True, text=True
        ).stdout


def pages(pdf):
    """Text of each page, spaces normalised."""
    return [fr(page).strip() for page in pdftotext(pdf, "-layout").split("\f")[:-1]]


def looks(pdf):
    """Each page as a small grey image (PGM bytes): what the reader sees, text drawn as
    shapes included (the invoice report's web fonts give pdftotext nothing)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder)
        (path / "doc.pdf").write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", "40", "-gray", path / "doc.pdf", path / "page"], check=True)
        return [image.read_bytes() for image in sorted(path.glob("page-*.pgm"))]


def words(pdf):
    """``[(page index, word, x0, y0, x1, y1)]``, positions in mm from the top-left corner."""
    result, page = [], -1
    for line in pdftotext(pdf, "-bbox").splitlines():
        if "<page " in line:
            page += 1
        found = re.search(
            r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*)</word>', line
        )
        if found:
            x0, y0, x1, y1 = (float(found.group(i)) * MM_PER_PT for i in range(1, 5))
            result.append((page, html.unescape(found.group(5)), x0, y0, x1, y1))
    return result


def link_urls(pdf):
    """URLs of the links of a PDF, every page."""
    return [
        str(annot.get_object()["/A"].get("/URI"))
        for page in PdfFileReader(io.BytesIO(pdf)).pages
        if "/Annots" in page
        for annot in page["/Annots"]
        if "/A" in annot.get_object()
    ]


@contextmanager
def wkhtmltopdf_calls():
    """Counts the wkhtmltopdf processes: the calls of Odoo's own _run_wkhtmltopdf."""
    with patch.object(
        BaseReport, "_run_wkhtmltopdf", autospec=True, side_effect=BaseReport._run_wkhtmltopdf
    ) as run:
        yield run


@tagged("post_install", "-at_install")
class LetterCase(RelanceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {
                "relance_legal_form": "SAS au capital de 50 000 €",
                "company_registry": "732 829 320",
                "vat": "FR44732829320",
            }
        )
        cls.levels = {lv.name: lv for lv in cls.policies["standard"].level_ids}

    def reminder(self, partner, invoices, level="Relance 2", day="2026-04-30", **vals):
        level = self.levels[level]
        return self.Reminder.create(
            {
                "partner_id": partner.id,
                "level_id": level.id,
                "channel": level.channel,
                "date": day,
                "invoice_ids": [Command.set(invoices.ids)],
                "amount_due": sum(invoices.mapped("amount_residual")),
                "user_id": self.specialist.id,
                "state": "to_print",
                **vals,
            }
        )

    def long_reminder(self, name="Grossiste Durand SA"):
        """A reminder of 40 invoices: its letter goes over several pages."""
        partner = self.customer(name)
        invoices = self.env["account.move"]
        for i in range(40):
            invoices |= self.invoice(partner, 100.0 + i, date(2026, 3, 1 + i % 28), post=False)
        invoices.action_post()
        return self.reminder(partner, invoices)

    def assert_long_letter(self, pdf, reminder):
        """The invoices flow over pages with the table header on each, no row lost or cut, the
        legal footer at the bottom of the last page."""
        texts = pages(pdf)
        self.assertGreaterEqual(len(texts), 2)
        names = reminder.invoice_ids.mapped("name")
        listing = [page for page in texts if any(name in page for name in names)]
        self.assertGreaterEqual(len(listing), 2, "the table goes on over another page")
        for page in listing:
            for column in HEADER:
                self.assertIn(column, page)
        for name in names:  # every invoice once, no row lost or cut between two pages
            self.assertEqual(sum(page.count(name) for page in texts), 1, name)
        self.assertIn("Total restant dû", texts[-1] + texts[-2])
        self.assertEqual(sum(page.count("Objet :") for page in texts), 1)
        footer = [(page, y1) for page, word, _x0, _y0, _x1, y1 in words(pdf) if word == "SIREN"]
        self.assertEqual(len(footer), 1)
        self.assertEqual(footer[0][0], len(texts) - 1, "the legal footer is on the last page")
        self.assertGreater(footer[0][1], 270, "at the bottom of the page (A4, 297 mm)")

    def print_pdf(self, reminders):
        pdf, kind = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(LETTER, reminders.ids)
        )
        self.assertEqual(kind, "pdf")
        return pdf

    def assert_in_window(self, pdf, address, left=110.0, top=50.0):
        """Every word of the address on page 1 lies in the window zone, and nothing else does."""
        expected = sorted(word for line in address for word in line.split())
        zone = [
            w
            for w in words(pdf)
            if w[0] == 0 and w[2] < left + 85 and w[4] > left and w[3] < top + 33 and w[5] > top
        ]
        self.assertEqual(sorted(w[1] for w in zone), expected)
        for _page, word, x0, y0, x1, y1 in zone:
            self.assertTrue(
                left <= x0 and x1 <= left + 85 and top <= y0 and y1 <= top + 33,
                f"{word} at ({x0:.1f}, {y0:.1f})-({x1:.1f}, {y1:.1f}) mm is out of the window",
            )


@tagged("post_install", "-at_install")
class TestLetterContent(LetterCase):
    def test_registered_letter_from_the_daily_run(self):
        self.policies["standard"].skip_levels = True  # the level due at once
        partner = self.customer("Menuiserie Roux SAS", street2="Bâtiment B", zip="69003", city="Lyon")
        inv1 = self.invoice(partner, 1234.56, "2026-03-31", invoice_date="2026-03-01")
        inv2 = self.invoice(partner, 250.0, "2026-04-10", invoice_date="2026-03-11")
        reminder = self.run_on("2026-04-30")  # inv1 30 days late: Relance 2, registered + email
        self.assertEqual(reminder.level_id.name, "Relance 2")
        self.assertEqual(reminder.channel, "registered_letter_email")
        self.assertEqual(reminder.state, "to_print")
        self.assertTrue(reminder.letter_attachment_id)

        reminder.tracking_number = "1A 123 456 7890 1"
        pdf = self.print_pdf(reminder)
        text = " ".join(pages(pdf))
        for expected in (
            "Lettre recommandée avec accusé de réception n° 1A 123 456 7890 1",
            "Objet : deuxième relance pour factures impayées",
            "Lyon, le 30 avril 2026",
            "Madame, Monsieur,",
            # the recipient, as La Poste reads it
            "Menuiserie Roux SAS",
            "5 place Bellecour",
            "Bâtiment B",
            "69003 LYON",
            # the sender and the invoices
            "Atelier Dupont SAS",
            "12 rue de la République",
            inv1.name,
            inv2.name,
            "31/03/2026",
            "1 234,56 €",
            "250,00 €",
            "Total restant dû 1 484,56 €",
            # the penalties of L441-10: 40 € per overdue invoice, interest with rate and period
            "L441-10",
            "40 € × 2 factures 80,00 €",
            "au taux annuel de 12,15 % du 01/04/2026 au 30/04/2026",
            # how to pay and who signs
            "FR76 3000 6000 0112 3456 7890 189",
            "/relance/",  # the customer's page, printed with its QR code
            "Claire Martin",
            "Veuillez agréer, Madame, Monsieur, l'expression de nos salutations distinguées.",
            # the legal footer
            "Atelier Dupont SAS – SAS au capital de 50 000 € – Siège social : 12 rue de la République,",
            "SIREN 732 829 320 – N° TVA intracommunautaire FR44732829320",
        ):
            self.assertIn(expected, text)
        penalties = reminder._relance_penalties()
        self.assertIn(f"Total des pénalités {fr(reminder._fmt_amount(penalties['total']))}", text)
        self.assert_in_window(pdf, ["Menuiserie Roux SAS", "5 place Bellecour", "Bâtiment B", "69003 LYON"])

    def test_simple_letter_has_no_registered_mention_and_no_penalties(self):
        partner = self.customer("Jean Dupuis", is_company=False, vat=False, email=False)
        inv = self.invoice(partner, 99.9, "2026-03-31")
        reminder = self.reminder(partner, inv, level="Premier rappel", day="2026-04-08", channel="letter")
        text = " ".join(pages(self.print_pdf(reminder)))
        self.assertNotIn("recommandée", text)
        self.assertNotIn("L441-10", text)
        self.assertIn("Objet : rappel de factures arrivées à échéance", text)
        self.assertIn("99,90 €", text)
        self.assertIn("Lyon, le 8 avril 2026", text)

    def test_formal_notice_letter_on_the_first_of_the_month(self):
        partner = self.customer("Garage Petit SARL", ref="C0042")
        inv = self.invoice(partner, 3000.0, "2026-03-02")
        earlier = self.reminder(partner, inv, level="Relance 3", day="2026-04-16", state="sent")
        reminder = self.reminder(partner, inv, level="Mise en demeure", day="2026-05-01")
        text = " ".join(pages(self.print_pdf(reminder)))
        self.assertIn("Lyon, le 1er mai 2026", text)
        self.assertIn("Objet : mise en demeure de payer", text)
        self.assertIn("Lettre recommandée avec accusé de réception", text)
        self.assertIn("article 1344 du Code civil", text)
        # between professionals: L441-10 penalties since each due date, never 1231-6 (LEGAL-FR §5)
        self.assertNotIn("1231-6", text)
        self.assertIn("courent de plein droit depuis le lendemain de l'échéance de chaque facture", text)
        self.assertIn("est à parfaire", text)
        # the delay counts from the first presentation: no date before the letter is posted
        self.assertIn(
            "dans un délai de 15 jours à compter de la première présentation de la présente lettre", text
        )
        self.assertNotIn("au plus tard", text)
        self.assertIn(f"Relance 3 : par courriel le {earlier._fmt_date(earlier.date)}", text)
        self.assertIn("Votre référence client : C0042", text)
        self.assertIn("3 000,00 €", text)


@tagged("post_install", "-at_install")
class TestLetterLayout(LetterCase):
    def test_address_follows_the_company_window_setting(self):
        partner = self.customer("Boulangerie Martin SARL")
        reminder = self.reminder(partner, self.invoice(partner, 500.0, "2026-03-31"))
        address = ["Boulangerie Martin SARL", "5 place Bellecour", "69002 LYON"]
        self.assert_in_window(self.print_pdf(reminder), address)
        settings = self.env["res.config.settings"].create(
            {"relance_window_left_mm": 100.0, "relance_window_top_mm": 60.0}
        )
        settings.execute()
        self.assertEqual(self.company.relance_window_left_mm, 100.0)
        self.assert_in_window(self.print_pdf(reminder), address, left=100.0, top=60.0)

    def test_calibration_page_frames_the_window(self):
        self.company.write({"relance_window_left_mm": 108.0, "relance_window_top_mm": 52.0})
        action = self.env["res.config.settings"].create({}).action_relance_print_window_calibration()
        self.assertEqual(action["report_name"], "relance_fr.report_relance_window_calibration")
        pdf, _kind = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("relance_fr.action_report_relance_window_calibration", self.company.ids)
        )
        self.assertIn("108.0 mm from the left edge, 52.0 mm from the top edge", " ".join(pages(pdf)))
        # a full address, 6 lines of up to 38 capitals, fits in the window
        address = [
            "ETABLISSEMENTS BOULANGERIE DE LA GARE",
            "A l'attention du service comptable",
            "Batiment B - 2e etage",
            "125 avenue Jean-Baptiste Clement",
            "BP 40123",
            "69002 LYON CEDEX 02",
        ]
        self.assert_in_window(pdf, address, left=108.0, top=52.0)

    def test_forty_invoices_flow_over_pages_with_the_header_on_each(self):
        reminder = self.long_reminder()
        self.assert_long_letter(self.print_pdf(reminder), reminder)


@tagged("post_install", "-at_install")
class TestLetterBatch(LetterCase):
    """Debian's wkhtmltopdf prints one HTML document per call: the letters of a batch are
    printed as one document in one call, then the PDF is cut per letter."""

    def batch(self):
        """Three reminders, the second one's letter over several pages (40 invoices)."""
        first = self.customer("Alpha Bois SARL")
        last = self.customer("Gamma Verre SA")
        return (
            self.reminder(first, self.invoice(first, 700.0, "2026-03-31"))
            | self.long_reminder("Beta Métal SAS")
            | self.reminder(
                last, self.invoice(last, 80.0, "2026-03-31") | self.invoice(last, 90.0, "2026-04-02")
            )
        )

    def test_each_reminder_keeps_its_own_letter_from_one_call(self):
        reminders = self.batch()
        with wkhtmltopdf_calls() as run:
            reminders.with_context(force_report_rendering=True)._relance_make_letters()
        self.assertEqual(run.call_count, 1)
        names = reminders.partner_id.mapped("name")
        for reminder in reminders:
            pdf = reminder.letter_attachment_id.raw
            texts = pages(pdf)
            self.assertEqual(sum(page.count("Objet :") for page in texts), 1)
            self.assertIn(reminder.partner_id.name, texts[0])
            for other in set(names) - {reminder.partner_id.name}:
                self.assertNotIn(other, " ".join(texts))
            self.assertFalse(link_urls(pdf), "no marker left")
        self.assertEqual(len(pages(reminders[0].letter_attachment_id.raw)), 1)
        self.assert_long_letter(reminders[1].letter_attachment_id.raw, reminders[1])
        self.assertEqual(len(pages(reminders[2].letter_attachment_id.raw)), 1)
        # each letter prints as it does alone, page for page, pixel for pixel: no marker seen
        for reminder in reminders:
            self.assertEqual(looks(reminder.letter_attachment_id.raw), looks(self.print_pdf(reminder)))

    def test_many_letters_go_by_calls_of_bounded_size(self):
        # the chunk size the letters' loop reads (relance_reminder.py's own name for it); the
        # report's renderer keeps its 100, so two calls for three letters can only come from
        # the loop running twice
        from odoo.addons.relance_fr.models import relance_reminder

        reminders = self.batch()
        self.assertEqual(len(reminders), 3)
        with patch.object(relance_reminder, "DOCUMENTS_PER_CALL", 2), wkhtmltopdf_calls() as run:
            reminders.with_context(force_report_rendering=True)._relance_make_letters()
        self.assertEqual(run.call_count, 2)
        for reminder in reminders:
            texts = pages(reminder.letter_attachment_id.raw)
            self.assertIn(reminder.partner_id.name, texts[0])
            self.assertEqual(sum(page.count("Objet :") for page in texts), 1)
        self.assert_long_letter(reminders[1].letter_attachment_id.raw, reminders[1])

    def test_print_letters_gives_one_pdf_with_the_letters_in_order(self):
        reminders = self.batch()
        by_email = self.customer("Delta Courriel SAS")
        email_only = self.reminder(
            by_email, self.invoice(by_email, 10.0, "2026-03-31"), level="Premier rappel", state="sent"
        )
        action = (reminders | email_only).action_print_letters()
        self.assertEqual(action["report_name"], "relance_fr.report_relance_letter")
        self.assertEqual(action["context"]["active_ids"], reminders.ids)
        with wkhtmltopdf_calls() as run:
            pdf = self.print_pdf(self.Reminder.browse(action["context"]["active_ids"]))
        self.assertEqual(run.call_count, 1)
        self.assertFalse(link_urls(pdf), "no marker left")
        letters = []  # pages grouped by letter: each letter starts with its object line
        for page in pages(pdf):
            if "Objet :" in page:
                letters.append([])
            letters[-1].append(page)
        names = reminders.partner_id.mapped("name")
        self.assertEqual(len(letters), 3)
        self.assertEqual([len(letter) for letter in letters][::2], [1, 1])
        self.assertGreaterEqual(len(letters[1]), 2)
        for name, letter_pages in zip(names, letters, strict=True):
            letter = " ".join(letter_pages)
            self.assertIn(name, letter)
            self.assertEqual(letter.count("Objet :"), 1)
            self.assertIn("SIREN 732 829 320", letter)
            for other in set(names) - {name}:
                self.assertNotIn(other, letter)
        with self.assertRaises(UserError):
            email_only.action_print_letters()


@tagged("post_install", "-at_install")
class TestPdfBatch(LetterCase):
    """Any report: the documents of several records from one wkhtmltopdf call, cut per record."""

    def render(self, report_ref, records):
        streams, kind = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._pre_render_qweb_pdf(report_ref, res_ids=records.ids)
        )
        self.assertEqual(kind, "pdf")
        return {res_id: data["stream"].getvalue() for res_id, data in streams.items()}

    def test_invoice_pdfs_rendered_together_are_cut_per_invoice(self):
        short = self.invoice(self.customer("Alpha Bois SARL"), 500.0, "2026-03-31")
        long = self.invoice(self.customer("Beta Métal SAS"), 10.0, "2026-03-31", post=False)
        long.invoice_line_ids = [
            Command.create({"name": f"Article {i}", "quantity": 1, "price_unit": 10.0, "tax_ids": []})
            for i in range(2, 80)
        ]
        long.action_post()
        with wkhtmltopdf_calls() as run:
            pdfs = self.render("account.account_invoices", short | long)
        self.assertEqual(run.call_count, 1)
        self.assertEqual(set(pdfs), {short.id, long.id})
        for invoice in short | long:
            self.assertFalse(link_urls(pdfs[invoice.id]), "no marker left")
            # exactly as the invoice printed alone, pixel for pixel: its own pages, no marker seen
            alone = self.render("account.account_invoices", invoice)[invoice.id]
            self.assertEqual(looks(pdfs[invoice.id]), looks(alone))
        self.assertEqual(len(looks(pdfs[short.id])), 1)
        self.assertGreaterEqual(len(looks(pdfs[long.id])), 2)

    def test_the_run_renders_the_invoice_pdfs_of_its_batch_in_one_call(self):
        """Emails with the invoices attached: an invoice's stored PDF is reused as it is; the
        PDFs of the others, whatever the customer, come from one wkhtmltopdf call."""
        self.company.relance_attach_invoice_pdf = True
        alpha, beta = self.customer("Alpha Bois SARL"), self.customer("Beta Métal SAS")
        inv_a = self.invoice(alpha, 100.0, "2026-03-31")
        inv_b1 = self.invoice(beta, 200.0, "2026-03-31")
        inv_b2 = self.invoice(beta, 300.0, "2026-04-01")
        sent_pdf = self.render("account.account_invoices", inv_b2)[inv_b2.id]
        inv_b2.invoice_pdf_report_file = base64.b64encode(sent_pdf)
        self.assertTrue(inv_b2.invoice_pdf_report_id)
        with freeze_time("2026-04-09"), wkhtmltopdf_calls() as run:
            self.env["relance.run"].sudo().with_context(force_report_rendering=True)._cron_run()
        self.assertEqual(run.call_count, 1)
        reminders = self.Reminder.search([("partner_id", "in", (alpha | beta).ids)])
        by_partner = {r.partner_id: r for r in reminders}
        attached = {r.partner_id: self.emails(r).attachment_ids.sorted("name") for r in reminders}
        self.assertEqual(len(attached[alpha]), 1)
        self.assertIn(inv_a.name.replace("/", "_"), attached[alpha].name)
        self.assertEqual(len(attached[beta]), 2)
        reused = attached[beta].filtered(lambda a: a.raw == sent_pdf)
        self.assertEqual(len(reused), 1, "the stored PDF, as sent")
        rendered = attached[beta] - reused
        self.assertIn(inv_b1.name.replace("/", "_"), rendered.name)
        for partner, attachments in attached.items():
            self.assertEqual(set(attachments.mapped("res_id")), {by_partner[partner].id})
        for attachment in attached[alpha] | rendered:
            self.assertTrue(attachment.raw.startswith(b"%PDF"))
            self.assertFalse(link_urls(attachment.raw), "no marker left")

    def test_a_report_hiding_the_markers_prints_one_call_per_record(self):
        self.env["ir.ui.view"].create(
            {
                "name": "Two pages per partner, links hidden",
                "type": "qweb",
                "key": "relance_fr.test_report_hidden_links",
                "arch": """
                    <t t-call="web.html_container">
                        <div t-foreach="docs" t-as="o" class="article" style="font-family: DejaVu Sans;"
                             t-att-data-oe-model="o._name" t-att-data-oe-id="o.id">
                            <style>a { display: none; }</style>
                            <p>Page one of <t t-out="o.name"/></p>
                            <p style="page-break-before: always;">Page two of <t t-out="o.name"/></p>
                        </div>
                    </t>""",
            }
        )
        report = self.env["ir.actions.report"].create(
            {
                "name": "Hidden links",
                "model": "res.partner",
                "report_type": "qweb-pdf",
                "report_name": "relance_fr.test_report_hidden_links",
            }
        )
        partners = self.customer("Alpha Bois SARL") | self.customer("Beta Métal SAS")
        with (
            wkhtmltopdf_calls() as run,
            self.assertLogs("odoo.addons.relance_fr.models.ir_actions_report", "WARNING") as logs,
        ):
            pdfs = self.render(report.id, partners)
        self.assertIn("printing them one by one", logs.output[0])
        self.assertEqual(run.call_count, 1 + 2)
        for partner in partners:
            self.assertEqual(
                pages(pdfs[partner.id]), [f"Page one of {partner.name}", f"Page two of {partner.name}"]
            )


@tagged("post_install", "-at_install")
class TestLetterTracking(LetterCase):
    def setUp(self):
        super().setUp()
        self.billing = new_test_user(
            self.env, "billing.letters", groups="account.group_account_invoice", company_id=self.company.id
        )

    def wizard(self, reminders):
        return Form(
            self.env["relance.letter.tracking"]
            .with_user(self.billing)
            .with_context(active_model="relance.reminder", active_ids=reminders.ids)
        )

    def test_tracking_numbers_move_letters_to_sent(self):
        first, second = self.customer("Client Un SAS"), self.customer("Client Deux SARL")
        registered = self.reminder(first, self.invoice(first, 300.0, "2026-03-31"))
        plain = self.reminder(
            second, self.invoice(second, 200.0, "2026-03-31"), level="Relance 1", channel="email_letter"
        )
        reminders = registered | plain
        reminders._relance_make_letters()
        printed = registered.letter_attachment_id

        form = self.wizard(reminders)
        self.assertEqual(len(form.line_ids), 2)
        with form.line_ids.edit(0) as line:
            self.assertEqual(line.reminder_id, registered)
            line.tracking_number = "1A 000 111 2222 3"
        form.save().with_context(force_report_rendering=True).action_confirm()

        self.assertEqual(reminders.mapped("state"), ["sent", "sent"])
        self.assertEqual(registered.tracking_number, "1A00011122223")  # stored without spaces
        self.assertFalse(plain.tracking_number)
        # the letter kept on the reminder now carries its number, and is in the chatter
        self.assertNotEqual(registered.letter_attachment_id, printed)
        self.assertIn("n° 1A 000 111 2222 3", " ".join(pages(registered.letter_attachment_id.raw)))
        note = registered.message_ids[0]
        self.assertIn("1A 000 111 2222 3", note.body)
        self.assertEqual(note.attachment_ids, registered.letter_attachment_id)
        self.assertEqual(plain.message_ids[0].attachment_ids, plain.letter_attachment_id)

    def test_a_registered_letter_needs_its_number(self):
        partner = self.customer()
        reminder = self.reminder(partner, self.invoice(partner, 300.0, "2026-03-31"))
        wizard = (
            self.env["relance.letter.tracking"]
            .with_user(self.billing)
            .with_context(active_model="relance.reminder", active_ids=reminder.ids)
            .create({})
        )
        self.assertEqual(wizard.line_ids.reminder_id, reminder)
        with self.assertRaises(UserError):
            wizard.action_confirm()
        self.assertEqual(reminder.state, "to_print")

    def test_only_letters_waiting_to_be_posted(self):
        partner = self.customer()
        invoice = self.invoice(partner, 300.0, "2026-03-31")
        reminder = self.reminder(partner, invoice, level="Relance 1", state="sent")
        with self.assertRaises(UserError):
            self.wizard(reminder)
        # a registered letter posted comes back for its acknowledgment of receipt
        registered = self.reminder(partner, invoice, state="sent", tracking_number="1A 000 111 2222 3")
        self.assertEqual(len(self.wizard(registered).line_ids), 1)


# Pure layout rules (tools/relance_letter.py)
def test_postal_lines_follow_la_poste():
    lines = relance_letter.postal_lines(
        "Société Générale des Établissements Dupont-Aignan et Fils",
        "À l'attention de Mme Durand",
        "5 place Bellecour",
        False,
        "42000",
        "Saint-Étienne",
    )
    assert lines == [
        "Société Générale des Établissements Du",
        "À l'attention de Mme Durand",
        "5 place Bellecour",
        "42000 SAINT-ETIENNE",
    ]
    assert all(len(line) <= 38 for line in lines)
    abroad = relance_letter.postal_lines("ACME", "", "1 Main St", "Suite 2", "1000", "Bruxelles", "Belgique")
    assert abroad == ["ACME", "1 Main St", "Suite 2", "1000 BRUXELLES", "BELGIQUE"]


def test_window_geometry_in_percent_of_the_printable_width():
    geometry = relance_letter.window_geometry((210, 297), (12, 15, 12, 20), 110, 50)
    width = 210 - 20 - 15
    head = 50 + 33 + 4 - 12
    assert geometry["page_width"] == width
    assert geometry["page_height"] == 297 - 24
    assert abs(geometry["head"] / 100 * width - head) < 0.01
    assert abs(geometry["left"] / 100 * width - 90) < 0.01
    assert abs(geometry["top"] / 100 * head - 38) < 0.01
    assert abs(geometry["width"] / 100 * width - 85) < 0.01
    # a window too far right is brought back on the page, narrower
    narrow = relance_letter.window_geometry((210, 297), (12, 15, 12, 20), 150, 50)
    assert abs(narrow["width"] / 100 * width - 45) < 0.01
    # a window above the top margin starts at the margin
    high = relance_letter.window_geometry((210, 297), (12, 15, 12, 20), 110, 5)
    assert high["top"] == 0


def test_iban_registry_and_rate_periods():
    assert relance_letter.format_iban("fr76 3000 60000112345678 90189") == "FR76 3000 6000 0112 3456 7890 189"
    lines = [
        {"rate_value": 12.4, "date_start": date(2026, 7, 1), "date_end": date(2026, 7, 20)},
        {"rate_value": 12.15, "date_start": date(2026, 6, 2), "date_end": date(2026, 6, 30)},
        {"rate_value": 12.15, "date_start": date(2026, 5, 1), "date_end": date(2026, 6, 30)},
        {"rate_value": 12.4, "date_start": date(2026, 7, 1), "date_end": date(2026, 7, 20)},
    ]
    assert relance_letter.rate_periods(lines) == [
        (12.15, date(2026, 5, 1), date(2026, 6, 30)),
        (12.4, date(2026, 7, 1), date(2026, 7, 20)),
    ]
