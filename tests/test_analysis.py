"""The credit controller's figures: overdue analysis by age and level, DSO, payment habits,
the bank reconciliation warning, and the screens that show them."""

from datetime import date

import pytest

from odoo.addons.relance_fr.tools import relance_rules as rules
from odoo.exceptions import AccessError
from odoo.tests import freeze_time, new_test_user, tagged
from odoo.tools import format_amount, format_date

from .common import RelanceCase, view_filter

TODAY = "2026-06-30"


# ----------------------------------------------------------------------
# Pure rules
# ----------------------------------------------------------------------
def test_average_days_late_counts_early_payments_as_on_time():
    due = date(2026, 3, 31)
    pairs = [(due, date(2026, 3, 25)), (due, date(2026, 4, 10)), (due, date(2026, 4, 20))]
    assert rules.average_days_late(pairs) == pytest.approx((0 + 10 + 20) / 3)
    assert rules.average_days_late([]) is None
    assert rules.average_days_late([(due, None)]) is None


@pytest.mark.parametrize(
    ("average", "profile"),
    [(None, None), (0, "good"), (7, "good"), (7.1, "standard"), (30, "standard"), (30.5, "doubtful")],
)
def test_suggested_profile(average, profile):
    assert rules.suggested_profile(average) == profile


def test_dso():
    assert rules.dso(3000.0, 12000.0) == pytest.approx(91.25)
    assert rules.dso(-50.0, 1000.0) == 0.0
    assert rules.dso(500.0, 0.0) is None


@pytest.mark.parametrize(
    ("oldest_open", "last", "expected"),
    [
        (None, None, "never_fed"),  # payments may arrive there unseen
        (date(2026, 6, 23), date(2026, 6, 29), None),  # 7 days: still fine
        (date(2026, 6, 22), date(2026, 6, 29), "unreconciled"),
        (None, date(2026, 6, 22), "not_fed"),
        (None, date(2026, 6, 23), None),
    ],
)
def test_bank_behind(oldest_open, last, expected):
    assert rules.bank_behind(oldest_open, last, date(2026, 6, 30)) == expected


# ----------------------------------------------------------------------
# The analysis
# ----------------------------------------------------------------------
@tagged("post_install", "-at_install")
class TestOverdueAnalysis(RelanceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Analysis = cls.env["relance.analysis"]
        levels = {lv.name: lv for lv in cls.policies["standard"].level_ids}
        cls.premier, cls.relance_2 = levels["Premier rappel"], levels["Relance 2"]
        cls.alpha = cls.customer("Alpha SARL")
        cls.beta = cls.customer("Beta SAS", relance_specialist_id=cls.env.user.id)
        # on 30/06/2026: not due, 1-30 (day 1 and day 30), 31-60, 61-90, over 90
        cls.inv_not_due = cls.invoice(cls.alpha, 100.0, "2026-07-10", invoice_date="2026-06-10")
        cls.inv_due_today = cls.invoice(cls.alpha, 50.0, "2026-06-30", invoice_date="2026-06-01")
        cls.inv_1 = cls.invoice(cls.alpha, 200.0, "2026-06-29", invoice_date="2026-06-01")
        cls.inv_30 = cls.invoice(cls.beta, 300.0, "2026-05-31", invoice_date="2026-05-01")
        cls.inv_45 = cls.invoice(cls.beta, 400.0, "2026-05-16", invoice_date="2026-04-16")
        cls.inv_75 = cls.invoice(cls.alpha, 500.0, "2026-04-16", invoice_date="2026-03-16")
        cls.inv_120 = cls.invoice(cls.beta, 1000.0, "2026-03-02", invoice_date="2026-02-01")
        (cls.inv_1 | cls.inv_30).relance_level_id = cls.premier
        (cls.inv_45 | cls.inv_75 | cls.inv_120).relance_level_id = cls.relance_2
        cls.pay(cls, cls.inv_120, amount=400.0, day="2026-04-15")  # 600 left
        cls.invoice(cls.alpha, 999.0, "2026-04-01", post=False)  # a draft counts for nothing

    def domain(self):
        return [("partner_id", "in", (self.alpha | self.beta).ids)]

    def test_views_open_and_the_menu_leads_to_them(self):
        views = self.Analysis.get_views(
            [(False, "pivot"), (False, "graph"), (False, "list"), (False, "search")]
        )
        self.assertEqual(set(views["views"]), {"pivot", "graph", "list", "search"})
        self.assertIn("relance_dashboard_pivot", views["views"]["pivot"]["arch"])
        self.assertIn("age_bucket", views["views"]["graph"]["arch"])
        menu = self.env.ref("relance_fr.relance_analysis_menu")
        self.assertEqual(menu.parent_id, self.env.ref("account.account_reports_management_menu"))
        self.assertEqual(menu.action, self.env.ref("relance_fr.relance_analysis_action"))

    def test_amounts_by_age_bucket_in_age_order(self):
        with freeze_time(TODAY):
            groups = self.Analysis.read_group(
                self.domain(), ["amount_residual:sum", "amount_overdue:sum"], ["age_bucket"], lazy=False
            )
        by_bucket = [(g["age_bucket"], g["amount_residual"], g["__count"]) for g in groups]
        self.assertEqual(
            by_bucket,
            [
                ("not_due", 150.0, 2),  # due in 10 days, and due today
                ("1_30", 500.0, 2),  # 1 and 30 days late
                ("31_60", 400.0, 1),
                ("61_90", 500.0, 1),
                ("over_90", 600.0, 1),  # 1000 less a partial payment of 400
            ],
        )
        self.assertEqual(sum(g["amount_overdue"] for g in groups), 2000.0)

    def test_amounts_by_level_and_age_as_the_pivot_reads_them(self):
        # the same level of another scenario counts with it: Beta is a doubtful payer
        self.beta.with_company(self.company).relance_profile = "doubtful"
        doubtful_relance_2 = self.policies["doubtful"].level_ids.filtered(lambda lv: lv.name == "Relance 2")
        self.inv_45.relance_level_id = doubtful_relance_2
        with freeze_time(TODAY):
            groups = self.Analysis.read_group(
                self.domain(), ["amount_residual:sum"], ["level_name", "age_bucket"], lazy=False
            )
        cells = [(g["level_name"], g["age_bucket"], g["amount_residual"]) for g in groups]
        # levels in scenario order, then ages in age order
        self.assertEqual(
            cells,
            [
                ("Not reminded yet", "not_due", 150.0),
                ("Premier rappel", "1_30", 500.0),
                ("Relance 2", "31_60", 400.0),
                ("Relance 2", "61_90", 500.0),
                ("Relance 2", "over_90", 600.0),
            ],
        )
        by_level = self.Analysis.read_group(self.domain(), ["amount_residual:sum"], ["level_name"])
        self.assertEqual(
            [(g["level_name"], g["amount_residual"]) for g in by_level],
            [("Not reminded yet", 150.0), ("Premier rappel", 500.0), ("Relance 2", 1500.0)],
        )

    def test_rows_carry_customer_specialist_days_late_and_profile(self):
        with freeze_time(TODAY):
            rows = self.Analysis.search(self.domain())
            row = rows.filtered(lambda r: r.move_id == self.inv_45)
        self.assertEqual(len(rows), 7)
        self.assertEqual((row.partner_id, row.days_late, row.age_bucket), (self.beta, 45, "31_60"))
        self.assertEqual(row.user_id, self.env.user)  # Beta's own specialist
        self.assertEqual(rows.filtered(lambda r: r.partner_id == self.alpha).user_id, self.specialist)
        self.assertEqual(set(rows.mapped("profile")), {"standard"})
        self.assertEqual(row.currency_id, self.company.currency_id)

    def test_ages_move_with_the_day(self):
        with freeze_time("2026-07-31"):
            groups = self.Analysis.read_group(
                self.domain(), ["amount_residual:sum"], ["age_bucket"], lazy=False
            )
        self.assertEqual(
            {g["age_bucket"]: g["amount_residual"] for g in groups},
            {"1_30": 100.0, "31_60": 250.0, "61_90": 700.0, "over_90": 1100.0},
        )

    def test_paid_invoices_leave_the_analysis(self):
        self.pay(self.inv_45, day="2026-06-01")
        with freeze_time(TODAY):
            self.assertNotIn(self.inv_45, self.Analysis.search(self.domain()).move_id)

    def test_rights_billing_and_readonly_read_own_company_only_portal_nothing(self):
        other = self.setup_other_company(name="Filiale Nord")["company"]
        billing = new_test_user(
            self.env,
            login="billing.analysis",
            groups="account.group_account_invoice",
            company_id=self.company.id,
            company_ids=[self.company.id, other.id],
        )
        auditor = new_test_user(
            self.env,
            login="auditor.analysis",
            groups="account.group_account_readonly",
            company_id=self.company.id,
        )
        portal = new_test_user(self.env, login="portal.analysis", groups="base.group_portal")
        with freeze_time(TODAY):
            self.assertEqual(len(self.Analysis.with_user(billing).search(self.domain())), 7)
            self.assertEqual(len(self.Analysis.with_user(auditor).search(self.domain())), 7)
            # another company's analysis shows none of this company's invoices
            self.assertFalse(
                self.Analysis.with_user(billing)
                .with_context(allowed_company_ids=other.ids)
                .search(self.domain())
            )
            with self.assertRaises(AccessError):
                self.Analysis.with_user(portal).search([])


@tagged("post_install", "-at_install")
class TestDashboard(RelanceCase):
    def test_dso_overdue_and_reminders_waiting(self):
        partner = self.customer()
        self.invoice(partner, 3000.0, "2026-05-31", invoice_date="2026-05-01")
        paid = self.invoice(partner, 9000.0, "2026-03-31", invoice_date="2026-03-01")
        self.pay(paid, day="2026-03-31")
        self.invoice(partner, 5000.0, "2025-03-31", invoice_date="2025-03-01")  # sold 16 months ago
        level = self.policies["standard"].level_ids[-1]
        for state in ("to_validate", "to_validate", "to_print", "to_call", "error", "sent"):
            self.Reminder.create(
                {"partner_id": partner.id, "level_id": level.id, "channel": "letter", "state": state}
            )
        with freeze_time(TODAY):
            dashboard = self.env["relance.analysis"].retrieve_dashboard()
        # receivable 3000 + 5000 over sales of the last 12 months 12000: 8000 / 12000 x 365
        self.assertEqual(dashboard["dso"], 243)
        self.assertEqual(dashboard["overdue"], format_amount(self.env, 8000.0, self.company.currency_id))
        self.assertEqual(dashboard["invoice_count"], 2)
        counts = {tile["state"]: tile["count"] for tile in dashboard["states"]}
        self.assertEqual(counts, {"to_validate": 2, "to_print": 1, "to_send": 0, "to_call": 1, "error": 1})
        # the company's bank journal never had a transaction: a payment may arrive there unseen
        self.assertTrue(dashboard["bank_warnings"])
        for warning in dashboard["bank_warnings"]:
            self.assertIn("has never received a bank transaction", warning)

    def test_no_sales_no_dso(self):
        with freeze_time(TODAY):
            self.assertIsNone(self.env["relance.analysis"].retrieve_dashboard()["dso"])

    def test_bank_not_reconciled_for_more_than_7_days_is_shown(self):
        bank = self.company_data["default_journal_bank"]
        self.env["account.bank.statement.line"].create(
            {
                "journal_id": bank.id,
                "date": "2026-06-20",
                "payment_ref": "VIR BOULANGERIE MARTIN",
                "amount": 450.0,
            }
        )
        others = self.env["account.journal"].search(
            [("type", "=", "bank"), ("company_id", "=", self.company.id), ("id", "!=", bank.id)]
        )
        others.active = False  # one bank journal, fed
        with freeze_time("2026-06-27"):  # 7 days: not yet
            self.assertEqual(self.env["relance.analysis"].retrieve_dashboard()["bank_warnings"], [])
        with freeze_time(TODAY):
            warnings = self.env["relance.analysis"].retrieve_dashboard()["bank_warnings"]
            self.assertEqual(len(warnings), 1)
            self.assertIn(bank.name, warnings[0])
            self.assertIn(format_date(self.env, date(2026, 6, 20)), warnings[0])
            self.assertIn("a customer payment may be among them", warnings[0])
            # the Send Reminder preview says it too
            partner = self.customer()
            self.invoice(partner, 100.0, "2026-06-20")
            action = self.env["relance.reminder.send"]._action_open(partner)
            wizard = self.env["relance.reminder.send"].browse(action["res_id"])
            self.assertEqual(wizard.bank_warning, warnings[0])

    def test_reminders_screen_shows_the_dashboard_and_batch_actions(self):
        arch = self.Reminder.get_views([(False, "list")])["views"]["list"]["arch"]
        self.assertIn('js_class="relance_dashboard_list"', arch)
        for action in ("action_validate", "action_print_letters", "action_mark_posted", "action_cancel"):
            self.assertIn(f'name="{action}"', arch)
        action = self.env.ref("relance_fr.relance_reminder_action")
        self.assertIn("search_default_group_worklist", action.context)


# ----------------------------------------------------------------------
# The customer's payment habits (Collection tab)
# ----------------------------------------------------------------------
@tagged("post_install", "-at_install")
class TestPaymentHabits(RelanceCase):
    def habits(self, partner, day=TODAY):
        with freeze_time(day):
            partner.invalidate_recordset()
            return (
                partner.relance_avg_days_late,
                partner.relance_paid_count,
                partner.relance_suggested_profile,
            )

    def test_average_days_late_over_the_last_12_months(self):
        partner = self.customer()
        on_time = self.invoice(partner, 100.0, "2026-03-31")
        self.pay(on_time, day="2026-03-28")  # early: 0 day late
        ten = self.invoice(partner, 200.0, "2026-04-30")
        self.pay(ten, day="2026-05-10")
        twenty = self.invoice(partner, 300.0, "2026-05-31")
        self.pay(twenty, day="2026-06-20")
        old = self.invoice(partner, 400.0, "2025-01-31", invoice_date="2025-01-01")
        self.pay(old, day="2025-05-31")  # paid 13 months ago: forgotten
        self.invoice(partner, 500.0, "2026-04-30")  # still open: not a payment habit
        self.assertEqual(self.habits(partner), (10.0, 3, "standard"))

    def test_late_payer_is_suggested_doubtful_and_the_suggestion_can_be_applied(self):
        partner = self.customer()
        for due, paid in (("2026-01-31", "2026-03-15"), ("2026-02-28", "2026-04-05")):
            self.pay(self.invoice(partner, 100.0, due), day=paid)
        average, count, suggestion = self.habits(partner)
        self.assertEqual((round(average, 1), count, suggestion), (39.5, 2, "doubtful"))
        with freeze_time(TODAY):
            partner.action_relance_apply_suggested_profile()
        self.assertEqual(partner.relance_profile, "doubtful")
        self.assertEqual(partner.with_company(self.company).trust, "bad")

    def test_no_history_no_suggestion(self):
        partner = self.customer()
        self.assertEqual(self.habits(partner), (0.0, 0, False))

    def test_collection_tab_shows_habits_next_to_the_profile(self):
        arch = self.env["res.partner"].get_views([(False, "form")])["views"]["form"]["arch"]
        tab = arch[arch.index('name="relance"') :]
        for field in (
            "relance_profile",
            "relance_avg_days_late",
            "relance_suggested_profile",
            "days_sales_outstanding",
        ):
            self.assertIn(f'name="{field}"', tab)
        self.assertLess(tab.index('name="relance_profile"'), tab.index('name="relance_avg_days_late"'))

    def test_customer_and_invoice_filters(self):
        partner = self.customer()
        late = self.invoice(partner, 100.0, "2026-06-10")
        up_to_date = self.customer("Client à jour")
        invoice_view = self.env.ref("account.view_account_invoice_filter").id
        with freeze_time(TODAY):
            Partner, Move = self.env["res.partner"], self.env["account.move"]
            for name in ("relance_overdue", "relance_to_remind"):
                found = Partner.search(view_filter(self.env, "res.partner", name))
                self.assertIn(partner, found, name)
                self.assertNotIn(up_to_date, found, name)
                found = Move.search(view_filter(self.env, "account.move", name, invoice_view))
                self.assertIn(late, found, name)
        groups = self.env["account.move"].read_group(
            [("id", "=", late.id)], ["amount_residual:sum"], ["relance_specialist_id"]
        )
        self.assertEqual(len(groups), 1)
        search = self.env["res.partner"].get_views([(False, "search")])["views"]["search"]["arch"]
        for name in (
            "relance_overdue",
            "relance_to_remind",
            "relance_group_level",
            "relance_group_specialist",
        ):
            self.assertIn(f'name="{name}"', search)
        search = self.env["account.move"].get_views(
            [(self.env.ref("account.view_account_invoice_filter").id, "search")]
        )["views"]["search"]["arch"]
        for name in (
            "relance_overdue",
            "relance_to_remind",
            "relance_group_level",
            "relance_group_specialist",
        ):
            self.assertIn(f'name="{name}"', search)
