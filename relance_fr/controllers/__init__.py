from . import relance_portal, relance_portal_pay
