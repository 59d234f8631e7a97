/** @odoo-module */
import { Component, onWillStart, onWillUpdateProps } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { listView } from "@web/views/list/list_view";
import { ListRenderer } from "@web/views/list/list_renderer";

/**
 * The credit controller's figures above the reminders and the overdue analysis: amounts
 * overdue and not yet due, DSO beside the best possible DSO and the CEI, promises kept, open
 * promises and disputes (by reason and age in the analysis), reminders waiting for someone
 * (click to filter), and the warning when a bank journal has not been reconciled for more
 * than 7 days.
 */
export class RelanceDashboard extends Component {
    static template = "relance_fr.RelanceDashboard";
    static props = {
        list: { type: Object, optional: true },
        filters: { type: Boolean, optional: true },
    };

    setup() {
        this.orm = useService("orm");
        onWillStart(() => this.load());
        onWillUpdateProps((nextProps) => {
            if (nextProps.list !== this.props.list) {
                return this.load();
            }
        });
    }

    async load() {
        this.data = await this.orm.call("relance.analysis", "retrieve_dashboard", []);
    }

    /** Show only the reminders of a state, as the matching filter of the search view. */
    filterState(state) {
        if (!this.props.filters) {
            return;
        }
        const searchModel = this.env.searchModel;
        const items = searchModel.getSearchItems((item) => item.name === state);
        searchModel.query = [];
        for (const item of items) {
            searchModel.toggleSearchItem(item.id);
        }
    }
}

export class RelanceDashboardListRenderer extends ListRenderer {
    static template = "relance_fr.DashboardListRenderer";
    static components = { ...ListRenderer.components, RelanceDashboard };
}

registry.category("views").add("relance_dashboard_list", {
    ...listView,
    Renderer: RelanceDashboardListRenderer,
});
