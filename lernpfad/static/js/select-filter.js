// A search box for long selection lists (progressive enhancement; without JavaScript the list
// works as it is). Markup: <div data-select-filter data-label="…" data-found="… {n} …"
// data-none="…"> around a field with a <select>, optionally grouped by <optgroup>.
// Typing narrows the list to the options whose text, or whose group's label, holds every typed
// word (case and accents ignored); the first option without a value (0 or empty, "please
// choose") always stays. One match left is selected. The server still checks the choice.
(() => {
  const fold = (text) =>
    text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/ß/g, "ss").toLowerCase();

  const enhance = (box) => {
    const select = box.querySelector("select");
    if (!select || !select.id) return;
    // Snapshot of the list as the server sent it: loose options and groups, in order.
    const parts = Array.from(select.children).map((child) =>
      child.tagName === "OPTGROUP"
        ? { group: child, options: Array.from(child.children), label: child.label }
        : { option: child },
    );
    const isPlaceholder = (option) => option.value === "" || option.value === "0";

    const field = document.createElement("div");
    field.className = "field";
    const label = document.createElement("label");
    label.className = "field__label";
    label.htmlFor = `${select.id}-suche`;
    label.textContent = box.dataset.label || "";
    const input = document.createElement("input");
    input.type = "search";
    input.id = `${select.id}-suche`;
    input.className = "field__input";
    input.autocomplete = "off";
    input.setAttribute("aria-controls", select.id);
    const status = document.createElement("p");
    status.className = "field__hint";
    status.id = `${select.id}-treffer`;
    status.setAttribute("role", "status");
    input.setAttribute("aria-describedby", status.id);
    field.append(label, input, status);
    box.insertBefore(field, box.firstChild);

    const apply = () => {
      const words = fold(input.value).split(/\s+/).filter(Boolean);
      const chosen = select.value;
      const matches = (option, groupLabel) => {
        const text = fold(`${option.textContent} ${groupLabel}`);
        return words.every((word) => text.includes(word));
      };
      const shown = [];
      select.replaceChildren();
      parts.forEach((part) => {
        if (part.option) {
          if (isPlaceholder(part.option) || matches(part.option, "")) {
            select.append(part.option);
            if (!isPlaceholder(part.option)) shown.push(part.option);
          }
          return;
        }
        const kept = part.options.filter((option) => matches(option, part.label));
        part.group.replaceChildren(...kept);
        if (kept.length) select.append(part.group);
        shown.push(...kept);
      });
      // Keep the choice if it is still listed; otherwise back to "please choose".
      const stillThere = Array.from(select.options).some((o) => o.value === chosen);
      select.value = stillThere ? chosen : (select.options[0] ? select.options[0].value : "");
      if (words.length && shown.length === 1) select.value = shown[0].value;
      if (!words.length) status.textContent = "";
      else if (!shown.length) status.textContent = box.dataset.none || "";
      else status.textContent = (box.dataset.found || "{n}").replace("{n}", String(shown.length));
    };

    input.addEventListener("input", apply);
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        // Enter narrows, it does not send the form: the choice follows in the list.
        event.preventDefault();
        select.focus();
      }
    });
  };

  const start = () => document.querySelectorAll("[data-select-filter]").forEach(enhance);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
