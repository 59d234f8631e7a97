"""The law, line by line (issue 20): the formal notice's wording between professionals and to a
consumer, its deadline on a working day, salutations, public buyers' single rate and texts."""

from datetime import date

from odoo.addons.relance_fr import compat
from odoo.tests import freeze_time, new_test_user, tagged

from .common import fr, text
from .test_letters import LetterCase, pages


@tagged("post_install", "-at_install")
class TestFormalNoticeWording(LetterCase):
    def email_body(self, reminder):
        template = reminder.level_id.mail_template_id
        return fr(text(template._render_field("body_html", reminder.ids)[reminder.id]))

    def test_between_professionals_penalties_since_each_due_date_never_1231_6(self):
        partner = self.customer("Garage Petit SARL")
        inv = self.invoice(partner, 3000.0, "2026-03-02")
        notice = self.reminder(partner, inv, level="Mise en demeure", day="2026-05-04")
        for said in (" ".join(pages(self.print_pdf(notice))), self.email_body(notice)):
            self.assertNotIn("1231-6", said)
            self.assertNotIn("à compter de sa réception", said)
            self.assertIn("article 1344 du Code civil", said)
            self.assertIn("L441-10 du Code de commerce courent de plein droit depuis le lendemain", said)
            self.assertIn("jusqu'à complet paiement", said)
            self.assertIn("à parfaire", said)

    def test_a_consumer_owes_legal_interest_from_the_notice(self):
        partner = self.customer("Jean Dupuis", is_company=False, vat=False)
        inv = self.invoice(partner, 900.0, "2026-03-02")
        notice = self.reminder(partner, inv, level="Mise en demeure", day="2026-05-04")
        letter = " ".join(pages(self.print_pdf(notice)))
        self.assertIn("article 1344 du Code civil", letter)
        self.assertIn("intérêts au taux légal (article 1231-6 du même code)", letter)
        self.assertNotIn("L441-10", letter)
        self.assertNotIn("40 €", letter)

    def test_the_final_date_moves_off_a_weekend_and_counts_from_the_posting(self):
        self.policies["standard"].skip_levels = True
        partner = self.customer()
        self.invoice(partner, 2000.0, "2026-09-30")
        notice = self.run_on("2026-12-01")
        self.assertEqual(notice.level_id.name, "Mise en demeure")
        manager = new_test_user(
            self.env, "manager.law", groups="account.group_account_manager", company_id=self.company.id
        )
        with freeze_time("2026-12-04"):  # a Friday: + 15 days is Saturday 19 December
            notice.with_user(manager).action_validate()
        self.assertEqual(notice.deadline_date, date(2026, 12, 21))
        body = self.email_body(notice)
        self.assertIn(
            "15 jours à compter de la réception du présent courriel, soit au plus tard le 21 décembre", body
        )
        self.assertNotIn("19 décembre", body)
        letter = " ".join(pages(self.print_pdf(notice)))
        self.assertIn("15 jours à compter de la première présentation de la présente lettre", letter)
        self.assertNotIn("au plus tard", letter, "no date on a letter not posted yet")
        notice.write({"letter_posted_date": "2026-12-07", "tracking_number": "1A 001 234 5678 9"})
        self.assertEqual(notice.deadline_date, date(2026, 12, 22), "from the posting")
        letter = " ".join(pages(self.print_pdf(notice)))
        self.assertIn("soit au plus tard le 22 décembre 2026", letter)

    def test_salutation_by_title_and_name(self):
        partner = self.customer("Menuiserie Roux SAS")
        # a title where contacts have one (18.0); 19.0 has none
        titled = {"title": self.env.ref("base.res_partner_title_madam").id} if not compat.V19 else {}
        self.env["res.partner"].create(
            {
                "name": "Claire Martin",
                "type": "invoice",
                "parent_id": partner.id,
                "email": "claire@roux.fr",
                **titled,
            }
        )
        inv = self.invoice(partner, 3000.0, "2026-03-02")
        notice = self.reminder(partner, inv, level="Mise en demeure", day="2026-05-04")
        letter = " ".join(pages(self.print_pdf(notice)))
        if titled:
            self.assertIn("Madame Martin,", letter)
            self.assertIn("Veuillez agréer, Madame, l'expression", letter)
            self.assertNotIn("Madame, Monsieur", letter)
        else:
            self.assertIn("Madame, Monsieur,", letter)
            self.assertIn("Veuillez agréer, Madame, Monsieur, l'expression", letter)
        # a consumer is greeted by name, never "Madame, Monsieur," nor in the third person
        person = self.customer("Jean Dupuis", is_company=False, vat=False)
        courtesy = self.reminder(person, self.invoice(person, 90.0, "2026-05-20"), level="Prévenance")
        body = self.email_body(courtesy)
        self.assertIn("Bonjour Jean Dupuis,", body)
        self.assertNotIn("Madame, Monsieur", body)
        self.assertIn("voici vos factures", body)


@tagged("post_install", "-at_install")
class TestPublicBuyers(LetterCase):
    def test_one_rate_for_the_whole_delay_across_1_january_2027(self):
        # an unconfirmed 2027 row, for this test only: 3 % + 8 points would be 11 %
        self.env["relance.rate"].create(
            {"kind": "ecb", "date_from": "2027-01-01", "rate": 3.0, "confirmed": False, "note": "test"}
        )
        commune = self.customer("Mairie de Villeurbanne", relance_public_buyer=True, vat=False)
        inv = self.invoice(commune, 10000.0, "2026-11-30", invoice_date="2026-10-31")
        reminder = self.reminder(commune, inv, level="Relance 2", day="2027-01-30")
        penalties = reminder._relance_penalties()
        # ECB 2,40 % on 1 July 2026 (the half-year interest began) + 8 = 10,40 % for all 61 days
        self.assertEqual({line["rate_value"] for line in penalties["lines"]}, {10.40})
        self.assertAlmostEqual(penalties["interest"], round(10000 * 0.104 * 61 / 365, 2))
        letter = " ".join(pages(self.print_pdf(reminder)))
        self.assertIn("taux unique pour toute la durée du retard", letter)
        self.assertIn("Chorus Pro", letter)
        self.assertIn("ouvre droit, de plein droit", letter)
        self.assertNotIn("11,00 %", letter)
        body = fr(
            text(reminder.level_id.mail_template_id._render_field("body_html", reminder.ids)[reminder.id])
        )
        self.assertIn("ouvre droit, de plein droit, à : des intérêts moratoires", body)
        self.assertIn("taux unique de 10,40 % l'an pour toute la durée du retard", body)
        self.assertNotIn("fait courir de plein droit : de", body)

    def test_the_delay_counts_from_the_chorus_pro_deposit(self):
        commune = self.customer("Mairie de Villeurbanne", relance_public_buyer=True, vat=False)
        inv = self.invoice(commune, 10000.0, "2026-11-30", invoice_date="2026-10-31")  # 30 days
        inv.relance_chorus_date = date(2026, 11, 10)  # deposited ten days later: due 10 December
        reminder = self.reminder(commune, inv, level="Relance 2", day="2026-12-31")
        penalties = reminder._relance_penalties()
        self.assertEqual(penalties["lines"][0]["date_start"], date(2026, 12, 11))
        self.assertAlmostEqual(penalties["interest"], round(10000 * 0.104 * 21 / 365, 2))
