import functools
import logging
import subprocess
from collections import OrderedDict

from odoo import models
from odoo.addons.base.models.ir_actions_report import _get_wkhtmltopdf_bin

_logger = logging.getLogger(__name__)


@functools.cache
def wkhtmltopdf_takes_several_documents():
    """Only a wkhtmltopdf built on its patched Qt prints several HTML documents in one call;
    Debian's package is built on the plain Qt and stops with an error."""
    try:
        version = subprocess.run(
            [_get_wkhtmltopdf_bin(), "--version"], capture_output=True, text=True, timeout=30, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return True  # let Odoo report the missing binary as usual
    return "patched qt" in version.lower()


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _render_qweb_pdf_prepare_streams(self, report_ref, data, res_ids=None):
        # EXTENDS base: with a wkhtmltopdf that takes one document per call (Debian's), print
        # the records one call each; the caller merges the streams into one PDF as usual
        ids = list(dict.fromkeys(res_ids or []))
        if len(ids) < 2 or len(ids) != len(res_ids) or wkhtmltopdf_takes_several_documents():
            return super()._render_qweb_pdf_prepare_streams(report_ref, data, res_ids=res_ids)
        _logger.info("wkhtmltopdf takes one document per call: printing %s records one by one", len(ids))
        streams = OrderedDict()
        for res_id in ids:
            streams.update(
                super()._render_qweb_pdf_prepare_streams(report_ref, dict(data or {}), res_ids=[res_id])
            )
        return streams
