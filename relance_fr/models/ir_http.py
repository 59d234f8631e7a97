from werkzeug.exceptions import HTTPException

from odoo import models
from odoo.http import request

from ..tools import relance_portal


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _handle_error(cls, exception):
        # EXTENDS base: what Odoo refuses before the customer's page is reached (a form without
        # its CSRF token, a wrong method) still carries the page's security headers
        response = super()._handle_error(exception)
        if request and request.httprequest.path.startswith("/relance"):
            if isinstance(response, HTTPException):
                response = response.get_response()
            if hasattr(response, "headers"):
                response.headers.update(relance_portal.SECURITY_HEADERS)
        return response
