// Takes keyboard and screen-reader users straight to the list of problems after a failed submit.
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }
});

// A link in the error summary puts the focus on the control it names (a group's first choice)
// and scrolls its question (the label, or the group's legend) into view with it: landing on
// "Phone call" without seeing "How may we contact you?" above it would leave a person lost.
document.addEventListener("click", (event) => {
  const link = event.target.closest("[data-error-summary] a[href^='#']");
  const control = link && document.getElementById(decodeURIComponent(link.hash.slice(1)));
  if (!control) {
    return;
  }
  event.preventDefault();
  const group = control.closest("fieldset");
  const question = (group && group.querySelector("legend")) || (control.labels || [])[0] || control;
  question.scrollIntoView();
  control.focus({ preventScroll: true });
});

// Forms that must not be sent twice: disable their submit buttons once sent. Listening on the
// document also covers forms that an in-place update brought in after the page loaded. A form
// that updates in place is left alone: hx-sync="this:drop" drops a second send while the first
// is on its way, and its button keeps the focus (a disabled button would lose it).
document.addEventListener("submit", (event) => {
  const form = event.target.closest("form[data-submit-once]");
  if (!form || form.matches("[hx-post], [hx-get]")) {
    return;
  }
  form.querySelectorAll("button[type=submit]").forEach((button) => {
    button.disabled = true;
    button.setAttribute("aria-disabled", "true");
  });
});

// Every in-place update carries the CSRF token Django expects, taken from the page's own forms
// (the language switch has one on every page), so an htmx request needs no form of its own.
document.addEventListener("htmx:configRequest", (event) => {
  const token = document.querySelector("input[name=csrfmiddlewaretoken]");
  if (token) {
    event.detail.headers["X-CSRFToken"] = token.value;
  }
});

// A list's filters leave the choices not made out of the address it puts in the history, so
// that it reads "?due=overdue", not every empty field (core/_list_filters.html).
document.addEventListener("htmx:configRequest", (event) => {
  const form = event.detail.elt;
  if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-list-filters")) {
    return;
  }
  for (const [name, value] of Array.from(event.detail.formData.entries())) {
    if (value === "") {
      event.detail.formData.delete(name);
    }
  }
});

// After an in-place update, the focus goes where a full page would have put it: the list of
// problems when there is one, else what the update marks (an answer to read), else it stays on
// the control that was used (htmx gives it back when the new one has the same id). A control
// that went away hands the focus to the updated region, never to the top of the page.
document.addEventListener("htmx:afterSettle", (event) => {
  const region = event.target;
  if (!(region instanceof Element)) {
    return;
  }
  const find = (selector) => (region.matches(selector) ? region : region.querySelector(selector));
  const next = find("[data-error-summary]") || find("[data-focus-after-swap]");
  if (next) {
    next.focus();
  } else if (document.activeElement === document.body && region.hasAttribute("tabindex")) {
    region.focus();
  }
});

// An in-place update that failed (the server refused, or the network is down) says so in the
// page's live region rather than doing nothing.
const sayItFailed = () => {
  const messages = document.getElementById("messages");
  if (!messages) {
    return;
  }
  const alert = document.createElement("div");
  alert.className = "alert alert-danger";
  alert.textContent = messages.dataset.failedText;
  messages.replaceChildren(alert);
};
document.addEventListener("htmx:responseError", sayItFailed);
document.addEventListener("htmx:sendError", sayItFailed);

// A "Copy" button beside a field a person must copy elsewhere (an API token, shown once): it
// copies the field's value and says so; without the clipboard, it selects the text to copy.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-copy]");
  const field = button && document.getElementById(button.dataset.copy);
  if (!field) {
    return;
  }
  const status = document.querySelector("[data-copy-status]");
  field.select();
  if (navigator.clipboard) {
    navigator.clipboard.writeText(field.value).then(
      () => {
        if (status) {
          status.textContent = button.dataset.copied;
        }
      },
      () => field.select(),
    );
  }
});
