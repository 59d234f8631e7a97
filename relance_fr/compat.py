"""What differs between Odoo 18.0 and 19.0 for relance_fr, in one place.

Every other file of the module is the same on both series; each difference it meets is one
name or one function here, tested in tests/test_compat.py. Checked in the 19.0 source:

- users' groups: ``res.users.groups_id`` became ``group_ids``, ``res.groups.users`` became
  ``user_ids``, and ``groups_id`` of actions and reports became ``group_ids``;
- ``_sql_constraints`` is ignored by 19.0 (with a warning): constraints are ``models.Constraint``;
- ``ir.cron._notify_progress`` gave way to ``_commit_progress`` (which also commits);
- ``mail.mail._postprocess_sent_message`` takes ``success_emails`` after ``success_pids``;
- ``res.partner.mobile`` is gone (one phone field), and so are contacts' titles (Madame, ...);
- the browser tours' steps that leave the page say so (``expectUnloadPage``).
"""

from odoo import models, release

SERIES = release.serie
V19 = release.version_info[0] >= 19

# the groups of a user (res.users) and of an action or report
USER_GROUPS = "group_ids" if V19 else "groups_id"
ACTION_GROUPS = USER_GROUPS


def group_users(group):
    """The users explicitly in ``group`` (res.groups)."""
    return group.user_ids if V19 else group.users


def sql_constraints(*constraints):
    """Class decorator declaring ``(name, definition, message)`` SQL constraints: the list
    ``_sql_constraints`` on 18.0, one ``models.Constraint`` attribute ``_<name>`` each on 19.0.
    The database constraint is named ``<table>_<name>`` on both."""

    def declare(cls):
        if not V19:
            cls._sql_constraints = [*constraints]
            return cls
        for name, definition, message in constraints:
            constraint = models.Constraint(definition, message)
            setattr(cls, f"_{name}", constraint)
            constraint.__set_name__(cls, f"_{name}")
        return cls

    return declare


def cron_progress(env, done, remaining):
    """Tell the running scheduled action how far it is; outside a scheduled action, nothing
    (19.0's ``_commit_progress`` would commit the caller's transaction)."""
    cron = env["ir.cron"]
    if not V19:
        cron._notify_progress(done=done, remaining=remaining)
    elif env.context.get("ir_cron_progress_id"):
        cron._commit_progress(done, remaining=remaining)


def postprocess_failure(args, kwargs):
    """``(failure_reason, failure_type)`` from the arguments that follow ``success_pids`` in
    ``mail.mail._postprocess_sent_message`` (19.0 puts ``success_emails`` first)."""
    names = (
        ("success_emails", "failure_reason", "failure_type") if V19 else ("failure_reason", "failure_type")
    )
    given = dict(zip(names, args, strict=False)) | kwargs
    return given.get("failure_reason") or False, given.get("failure_type")


def partner_mobile(partner):
    """The partner's mobile number: its own field on 18.0, none on 19.0 (one phone)."""
    return partner["mobile"] if "mobile" in partner._fields else ""


def partner_title(partner, shortcut=False):
    """The contact's title in French (``Madame``), or its shortcut (``Mrs``), empty when unknown:
    always on 19.0, which has no titles."""
    title = partner["title"] if "title" in partner._fields else None
    if not title:
        return ""
    return title.shortcut or "" if shortcut else title.with_context(lang="fr_FR").name
