"""relance_fr/compat.py: each difference between Odoo 18.0 and 19.0, on the Odoo these tests run on."""

from psycopg2 import IntegrityError

from odoo import Command, release
from odoo.addons.relance_fr import compat
from odoo.tests import tagged
from odoo.tools import SQL, mute_logger

from .common import RelanceCase

# every SQL constraint of relance_fr, as the database names it
CONSTRAINTS = {
    "relance_event_key_uniq": "UNIQUE (company_id, kind, key)",
    "relance_level_policy_days_unique": "UNIQUE (policy_id, days)",
    "relance_policy_min_gap_positive": "CHECK ((min_gap_days >= 0))",
    "relance_rate_kind_date_unique": "UNIQUE (kind, date_from)",
    "res_partner_relance_access_token_unique": "UNIQUE (relance_access_token)",
}


@tagged("post_install", "-at_install")
class TestCompat(RelanceCase):
    def test_the_series_is_the_running_odoos(self):
        self.assertIn(compat.SERIES, ("18.0", "19.0"))
        self.assertEqual(compat.SERIES, release.serie)
        self.assertEqual(compat.V19, release.version_info[0] == 19)
        module = self.env["ir.module.module"].search([("name", "=", "relance_fr")])
        self.assertEqual(module.latest_version, f"{compat.SERIES}.1.3.0")

    def test_every_sql_constraint_exists_in_the_database(self):
        rows = self.env.execute_query(
            SQL(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = ANY(%s)",
                list(CONSTRAINTS),
            )
        )
        self.assertEqual(dict(rows), CONSTRAINTS)

    def test_a_constraint_refuses_what_it_forbids(self):
        level = self.policies["standard"].level_ids[1]
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.cr.savepoint():
            level.copy({"name": "Doublon", "days": level.days})
            self.env.flush_all()
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.cr.savepoint():
            self.policies["standard"].min_gap_days = -1
            self.env.flush_all()

    def test_user_groups_and_group_users(self):
        manager_group = self.env.ref("account.group_account_manager")
        user = self.env["res.users"].create(
            {
                "name": "Paul Comptable",
                "login": "paul.comptable",
                compat.USER_GROUPS: [Command.link(manager_group.id)],
            }
        )
        self.assertTrue(user.has_group("account.group_account_manager"))
        self.assertIn(user, compat.group_users(manager_group))
        self.assertIn(manager_group, user[compat.USER_GROUPS])

    def test_reports_and_actions_are_restricted_to_their_groups(self):
        billing = self.env.ref("account.group_account_invoice")
        readonly = self.env.ref("account.group_account_readonly")
        for xmlid, groups in (
            ("relance_fr.action_report_relance_plan", billing | readonly),
            ("relance_fr.action_report_relance_statement", billing | readonly),
            ("relance_fr.relance_collection_wizard_action", billing),
        ):
            self.assertEqual(self.env.ref(xmlid)[compat.ACTION_GROUPS], groups, xmlid)

    def test_cron_progress_outside_a_scheduled_action_keeps_the_transaction(self):
        partner = self.customer("Client Progrès SARL")
        compat.cron_progress(self.env, 3, 2)
        # nothing was committed nor rolled back: the customer of this transaction is still here
        self.assertTrue(partner.exists())

    def test_postprocess_failure_reads_both_signatures(self):
        if compat.V19:
            args = ([], "smtp refused", "mail_email_invalid")  # success_emails, reason, type
        else:
            args = ("smtp refused", "mail_email_invalid")
        self.assertEqual(compat.postprocess_failure(args, {}), ("smtp refused", "mail_email_invalid"))
        self.assertEqual(compat.postprocess_failure((), {"failure_type": "mail_smtp"}), (False, "mail_smtp"))
        self.assertEqual(compat.postprocess_failure((), {}), (False, None))

    def test_partner_mobile(self):
        partner = self.customer("Client Mobile SAS", phone="04 78 00 00 01")
        if "mobile" in partner._fields:
            partner.mobile = "06 12 34 56 78"
            self.assertEqual(compat.partner_mobile(partner), "06 12 34 56 78")
        else:
            self.assertTrue(compat.V19)
            self.assertEqual(compat.partner_mobile(partner), "")
