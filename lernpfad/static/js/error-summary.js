// The error summary of a form (macros.html, error_summary): it takes the focus when the page
// loads, so it is in view and read out first; its links move to the field they name and show
// the field's label too. Without JavaScript the summary is still there and its links still work.
(() => {
  if (window.lernpfadErrorSummary) return; // loaded once per page, even by two summaries
  window.lernpfadErrorSummary = true;

  const start = () => {
    const summary = document.querySelector("[data-error-summary]");
    if (!summary) return;
    summary.focus();
    // Going to the form's #anchor moves the focus to that anchor (or the page) once the page has
    // loaded; the summary takes it back unless someone has put it elsewhere by then.
    window.addEventListener("load", () => {
      const active = document.activeElement;
      if (!active || active === document.body) summary.focus();
    });
    summary.addEventListener("click", (event) => {
      const link = event.target.closest("a[href^='#']");
      if (!link) return;
      const target = document.getElementById(decodeURIComponent(link.hash.slice(1)));
      if (!target) return;
      event.preventDefault();
      (target.closest("fieldset, .field") || target).scrollIntoView();
      target.focus({ preventScroll: true });
    });
  };

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
