// Similar use cases of other departments while a use case is typed (progressive enhancement:
// without JavaScript the button „Ähnliche prüfen“ sends the form and the server shows the list).
// Markup: <form data-similar-form data-similar-url="…" data-department="…" data-exclude="…">
// with the fields title, business_process, problem (and department_id where one is chosen) and
// a <div data-similar-results aria-live="polite">, which receives the server's HTML fragment.
(() => {
  const form = document.querySelector("[data-similar-form]");
  if (!form) return;
  const results = form.querySelector("[data-similar-results]");
  const fields = ["title", "business_process", "problem"].map((name) => form.elements[name]);
  if (!results || fields.some((field) => !field)) return;
  let timer = null;
  let latest = 0;

  const refresh = async () => {
    const query = new URLSearchParams({
      titel: fields[0].value,
      prozess: fields[1].value,
      problem: fields[2].value,
      abteilung: form.elements.department_id ? form.elements.department_id.value : form.dataset.department || "",
      ausser: form.dataset.exclude || "",
    });
    const asked = ++latest;
    try {
      const response = await fetch(`${form.dataset.similarUrl}?${query}`, {
        credentials: "same-origin",
        headers: { Accept: "text/html" },
      });
      if (!response.ok || asked !== latest) return;
      const html = await response.text();
      if (asked !== latest) return;
      // The fragment is rendered (and escaped) by the server's template.
      const fragment = new DOMParser().parseFromString(html, "text/html");
      results.replaceChildren(...fragment.body.childNodes);
    } catch (error) {
      // Offline or refused: the button „Ähnliche prüfen“ still works.
    }
  };

  const later = () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, 400);
  };
  fields.forEach((field) => field.addEventListener("input", later));
  if (form.elements.department_id) form.elements.department_id.addEventListener("change", later);
})();
