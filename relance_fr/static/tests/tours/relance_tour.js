/** @odoo-module */
import { download } from "@web/core/network/download";
import { registry } from "@web/core/registry";

/**
 * The credit controller's morning, as tests/test_tour.py prepares it: an invoice of
 * "Client Tour SARL" 10 days late (the first reminder is due), and a formal notice to
 * "Fonderie Tour SA" waiting for a manager's validation.
 */
registry.category("web_tour.tours").add("relance_fr_tour", {
    steps: () => [
        {
            content: "The overdue invoice is open: show its Dunning tab",
            trigger: ".o_form_view .o_notebook a.nav-link[name=relance]",
            run: "click",
        },
        {
            content: "The tab tells when the next reminder is due",
            trigger: ".o_notebook .o_field_widget[name=relance_next_reminder_date]",
        },
        {
            content: "Send a reminder now",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_relance_send]",
            run: "click",
        },
        {
            content: "The preview shows the level due today",
            trigger: ".modal .o_field_widget[name=level_id]:contains(Premier rappel)",
        },
        {
            content: "... and the message, with the customer's name in its subject",
            trigger: ".modal .o_field_widget[name=subject]:contains(Client Tour SARL)",
        },
        {
            content: "Send it",
            trigger: ".modal button[name=action_send]",
            run: "click",
        },
        {
            content: "The reminder's email waits in Odoo's mail queue: to send, not yet sent",
            trigger: ".o_form_view .o_statusbar_status button[data-value=to_send][aria-checked=true]",
        },
        {
            content: "Open the Invoicing app",
            trigger: ".o_navbar_apps_menu button",
            run: "click",
        },
        {
            trigger: ".o-dropdown--menu [data-menu-xmlid='account.menu_finance']",
            run: "click",
        },
        {
            content: "Customers menu",
            trigger: ".o_menu_sections button[data-menu-xmlid='account.menu_finance_receivables']",
            run: "click",
        },
        {
            content: "Payment Reminders",
            trigger: ".o-dropdown--menu [data-menu-xmlid='relance_fr.relance_reminder_menu']",
            run: "click",
        },
        {
            content: "The dashboard counts the formal notice waiting for validation",
            trigger: ".o_relance_dashboard .o_relance_state[data-state=to_validate]:contains(1)",
        },
        {
            content: "Open the formal notice",
            trigger: ".o_list_renderer .o_data_row td[name=level_id]:contains(Mise en demeure)",
            run: "click",
        },
        {
            content: "Validate it (accounting manager)",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_validate]",
            run: "click",
        },
        {
            content: "The letter is shown as it will leave: validate and send it",
            trigger: ".modal-footer button[name=action_confirm]",
            run: "click",
        },
        {
            content: "The registered letter is ready to print",
            trigger: ".o_form_view .o_statusbar_status button[data-value=to_print][aria-checked=true]",
        },
        {
            content: "Print the letter",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_print_letters]",
            async run(helpers) {
                // mark the page once the PDF is downloaded, so that the next step can wait for it
                const original = download._download;
                download._download = async (options) => {
                    try {
                        return await original(options);
                    } finally {
                        download._download = original;
                        document.body.classList.add("o_relance_letter_downloaded");
                    }
                };
                await helpers.click();
            },
        },
        {
            content: "The letter is downloaded",
            trigger: "body.o_relance_letter_downloaded .o_form_view",
        },
    ],
});
