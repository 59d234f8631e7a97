/** @odoo-module */
import { registry } from "@web/core/registry";

/**
 * The customer's visit, as tests/test_portal_tour.py prepares it: the link of a reminder
 * listing two overdue invoices, a third invoice not due yet, Odoo's demo payment provider.
 * The customer pays the two overdue invoices online, then promises a date for the third.
 */
function inDays(days) {
    const day = new Date();
    day.setDate(day.getDate() + days);
    const pad = (n) => String(n).padStart(2, "0");
    return `${day.getFullYear()}-${pad(day.getMonth() + 1)}-${pad(day.getDate())}`;
}

/**
 * The steps that leave the page: Odoo 19.0 wants them said (expectUnloadPage), 18.0's step
 * schema knows no such key. 19.0 is the one whose tour service is "@web_tour/js/tour_service".
 */
function leaving() {
    return odoo.loader.modules.has("@web_tour/js/tour_service") ? { expectUnloadPage: true } : {};
}

registry.category("web_tour.tours").add("relance_fr_portal_tour", {
    steps: () => [
        {
            content: "The page shows what is owed",
            trigger: ".o_relance_portal .o_rl_net",
        },
        {
            content: "Tick the first overdue invoice",
            trigger: ".o_rl_invoices tbody tr.table-warning:eq(0) input[name=invoice_ids]",
            run: "click",
        },
        {
            content: "Tick the second overdue invoice",
            trigger: ".o_rl_invoices tbody tr.table-warning:eq(1) input[name=invoice_ids]",
            run: "click",
        },
        {
            content: "Pay them online",
            trigger: "button.o_rl_pay",
            run: "click",
            ...leaving(),
        },
        {
            content: "The payment page tells the amount of both",
            trigger: ".o_rl_pay_amount:contains(2 000,00)",
        },
        {
            content: "Choose the demo provider",
            trigger: "input[name=o_payment_radio]",
            run: "click",
        },
        {
            content: "Card details (test data)",
            trigger: "#customer_input",
            run: "edit 4242424242424242",
        },
        {
            content: "Pay",
            trigger: "button[name=o_payment_submit_button]",
            run: "click",
            ...leaving(),
        },
        {
            content: "Back on the page: the payment is confirmed",
            trigger: ".o_rl_done:contains(Merci pour votre paiement)",
            timeout: 20000,
        },
        {
            content: "Only the invoice not yet due is left",
            trigger: ".o_rl_invoices tbody:not(:has(tr.table-warning))",
        },
        {
            content: "Open the promise form",
            trigger: "details.o_rl_promise summary",
            run: "click",
        },
        {
            content: "A date in ten days",
            trigger: "#o_rl_promise_date",
            run() {
                this.anchor.value = inDays(10);
            },
        },
        {
            content: "For the invoice left",
            trigger: "details.o_rl_promise .form-check input[name=invoice_ids]",
            run: "click",
        },
        {
            content: "Send the promise",
            trigger: "details.o_rl_promise button[type=submit]",
            run: "click",
            ...leaving(),
        },
        {
            content: "The promise is recorded",
            trigger: ".o_rl_done:contains(votre promesse de règlement est enregistrée)",
        },
    ],
});
