from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .. import compat
from ..tools import relance_rules

PROFILES = [("good", "Good payer"), ("standard", "Standard"), ("doubtful", "Doubtful")]


@compat.sql_constraints(
    ("min_gap_positive", "CHECK(min_gap_days >= 0)", "The minimum gap cannot be negative."),
)
class RelancePolicy(models.Model):
    _name = "relance.policy"
    _description = "Dunning scenario"
    _order = "company_id, profile"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    profile = fields.Selection(PROFILES, required=True, default="standard")
    level_ids = fields.One2many("relance.level", "policy_id", string="Levels", copy=True)
    min_gap_days = fields.Integer(
        "Minimum gap (days)",
        default=7,
        help="Minimum number of days between two reminders to the same customer.",
    )
    skip_levels = fields.Boolean(
        "Skip levels",
        help="Send the level due at once (an invoice found 40 days late gets Relance 2). "
        "Off: levels are climbed one at a time, each after the one the customer received.",
    )
    escalation = fields.Selection(
        [("account", "The account as one"), ("invoice", "Each invoice")],
        default="account",
        required=True,
        help="The account as one: the customer reads one story, each message the level after the "
        "last one it received, once its oldest overdue invoice has reached that level's day; "
        "invoices falling due meanwhile join it as recently due. Each invoice: every invoice climbs "
        "its own ladder.",
    )

    @api.constrains("company_id", "profile", "active")
    def _check_one_per_profile(self):
        for policy in self.filtered("active"):
            if (
                self.search_count(
                    [("company_id", "=", policy.company_id.id), ("profile", "=", policy.profile)]
                )
                > 1
            ):
                raise ValidationError(
                    self.env._(
                        "%(company)s already has an active scenario for this payer profile.",
                        company=policy.company_id.name,
                    )
                )

    @api.constrains("level_ids", "active")
    def _check_first_dunning_level(self):
        for policy in self.filtered(lambda p: p.active and p.level_ids):
            if not relance_rules.first_dunning_level(policy._levels_tuples()):
                raise ValidationError(
                    self.env._(
                        "The scenario %(policy)s has no level after the due date: overdue invoices "
                        "would never be reminded. Add a level with a positive number of days.",
                        policy=policy.name,
                    )
                )

    @api.model
    def _create_default_policies(self, companies):
        """Create the shipped scenarios (SPEC §4) for companies that have none yet."""
        existing = set(
            self.with_context(active_test=False)
            .search([("company_id", "in", companies.ids)])
            .mapped(lambda p: (p.company_id.id, p.profile))
        )
        templates = {
            template: self.env.ref(f"relance_fr.{template}").id
            for *__, template, _options in relance_rules.DEFAULT_LEVELS
        }
        vals_list = []
        for company in companies:
            for profile, name in relance_rules.DEFAULT_POLICY_NAMES.items():
                if (company.id, profile) in existing:
                    continue
                vals_list.append(
                    {
                        "name": name,
                        "company_id": company.id,
                        "profile": profile,
                        "level_ids": [
                            (
                                0,
                                0,
                                {
                                    "sequence": seq,
                                    "name": lname,
                                    "days": days[profile],
                                    "channel": channel,
                                    "mail_template_id": templates.get(template),
                                    **options,
                                },
                            )
                            for seq, lname, days, channel, template, options in relance_rules.DEFAULT_LEVELS
                        ],
                    }
                )
        policies = self.sudo().create(vals_list)
        main = self.env.ref("base.main_company", raise_if_not_found=False)
        self.env["ir.model.data"]._update_xmlids(
            [
                {"xml_id": f"relance_fr.relance_policy_{p.profile}", "record": p, "noupdate": True}
                for p in policies
                if p.company_id == main
            ]
        )
        return policies

    @api.model
    def _install_default_policies(self):
        self._create_default_policies(self.env["res.company"].search([]))

    def _levels_tuples(self):
        """``[(level_id, days)]`` of the policy, for the pure rules."""
        self.ensure_one()
        return [(lv.id, lv.days) for lv in self.level_ids]
