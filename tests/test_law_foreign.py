"""The law, line by line (issue 20): a letter abroad in the destination country's format, the
stipulated rate's floor refused in settings, the rate table's warning a month ahead."""

from odoo.exceptions import ValidationError
from odoo.tests import freeze_time, tagged

from .common import fr
from .test_letters import LetterCase, pages


def us_customer(case, **vals):
    """A business customer in San Francisco (no French VAT number)."""
    return case.customer(
        "Golden Gate Imports Inc.",
        street="500 Howard Street",
        zip="94105",
        city="San Francisco",
        country_id=case.env.ref("base.us").id,
        vat=False,
        **vals,
    )


@tagged("post_install", "-at_install")
class TestForeignAddress(LetterCase):
    def test_a_us_address_with_its_state(self):
        partner = us_customer(self, state_id=self.env.ref("base.state_us_5").id)  # California
        reminder = self.reminder(partner, self.invoice(partner, 700.0, "2026-03-31"))
        letter = fr(" ".join(pages(self.print_pdf(reminder))))
        self.assertIn("SAN FRANCISCO CA 94105", letter)
        self.assertIn("ETATS-UNIS", letter)
        self.assertNotIn("94105 SAN FRANCISCO", letter)

    def test_a_french_address_keeps_the_french_form(self):
        partner = self.customer("Menuiserie Roux SAS")
        self.assertEqual(
            partner._relance_postal_lines(partner.name, ""),
            ["Menuiserie Roux SAS", "5 place Bellecour", "69002 LYON"],
        )


@tagged("post_install", "-at_install")
class TestRates(LetterCase):
    def test_a_stipulated_rate_below_the_floor_is_refused_with_the_reason(self):
        with freeze_time("2026-05-04"):  # legal rate 2,62 %: the floor is 7,86 %
            with self.assertRaisesRegex(ValidationError, r"below the legal floor of 7,86 % .*L441-16"):
                self.company.relance_stipulated_rate = 5.0
            self.company.relance_stipulated_rate = 7.86
        self.assertEqual(self.company.relance_stipulated_rate, 7.86)

    def warning(self, day):
        self.company.invalidate_recordset(["relance_rate_warning"])  # computed on each reading
        with freeze_time(day):
            return self.env["res.config.settings"].create({}).relance_rate_warning

    def test_the_settings_warn_a_month_before_a_half_year_without_rates(self):
        self.assertFalse(self.warning("2026-11-29"))
        warning = self.warning("2026-12-01")
        self.assertIn("from 01/01/2027", warning)
        self.assertIn("ECB main refinancing rate", warning)
        self.assertIn("Legal interest rate (other cases)", warning)
        self.env["relance.rate"].create(
            [
                {"kind": "ecb", "date_from": "2027-01-01", "rate": 2.4, "note": "test"},
                {"kind": "legal_pro", "date_from": "2027-01-01", "rate": 2.7, "note": "test"},
            ]
        )
        self.assertFalse(self.warning("2026-12-01"))


@tagged("post_install", "-at_install")
class TestFrenchLawSwitch(LetterCase):
    def test_abroad_without_french_law_interest_as_agreed_in_the_terms_of_sale(self):
        partner = us_customer(self)
        invoice = self.invoice(partner, 700.0, "2026-03-31")
        reminder = self.reminder(partner, invoice)
        self.assertGreater(reminder._relance_penalties()["total"], 40.0)  # French law by default
        self.assertIn("L441-10", fr(" ".join(pages(self.print_pdf(reminder)))))
        self.company.relance_french_law = False
        reminder.invalidate_recordset()
        self.assertEqual(reminder._relance_penalties()["total"], 0.0)
        letter = fr(" ".join(pages(self.print_pdf(reminder))))
        self.assertIn(
            "intérêts de retard sont dus dans les conditions prévues par nos conditions générales", letter
        )
        self.assertNotIn("L441-10", letter)
        self.assertNotIn("40 €", letter)
        # a French customer still owes the L441-10 penalties
        home = self.customer("Menuiserie Roux SAS")
        at_home = self.reminder(home, self.invoice(home, 700.0, "2026-03-31"))
        self.assertGreater(at_home._relance_penalties()["total"], 40.0)
