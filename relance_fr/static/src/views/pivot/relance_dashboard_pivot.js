/** @odoo-module */
import { registry } from "@web/core/registry";
import { pivotView } from "@web/views/pivot/pivot_view";
import { PivotRenderer } from "@web/views/pivot/pivot_renderer";
import { RelanceDashboard } from "@relance_fr/views/relance_dashboard";

/** The overdue analysis pivot, with the dashboard's figures (DSO, bank warning) above it. */
export class RelanceDashboardPivotRenderer extends PivotRenderer {
    static template = "relance_fr.DashboardPivotRenderer";
    static components = { ...PivotRenderer.components, RelanceDashboard };
}

registry.category("views").add("relance_dashboard_pivot", {
    ...pivotView,
    Renderer: RelanceDashboardPivotRenderer,
});
