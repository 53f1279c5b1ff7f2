// Takes keyboard and screen-reader users straight to the list of problems after a failed submit.
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }
  // Forms that must not be sent twice: disable their submit buttons once sent.
  document.querySelectorAll("form[data-submit-once]").forEach((form) => {
    form.addEventListener("submit", () => {
      form.querySelectorAll("button[type=submit]").forEach((button) => {
        button.disabled = true;
        button.setAttribute("aria-disabled", "true");
      });
    });
  });
});
