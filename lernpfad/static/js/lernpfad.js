// Small progressive enhancements; every page works without JavaScript.
document.addEventListener("DOMContentLoaded", () => {
  // Menus are <details class="disclosure">: they work without JavaScript. Here they also close
  // with Escape (focus back on their button), on a click elsewhere, and when another one opens.
  const menus = [...document.querySelectorAll("details.disclosure")];
  menus.forEach((menu) => {
    menu.addEventListener("toggle", () => {
      if (menu.open) menus.forEach((other) => { if (other !== menu) other.open = false; });
    });
  });
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    const menu = menus.find((m) => m.open);
    if (menu) { menu.open = false; menu.querySelector("summary").focus(); }
  });
  document.addEventListener("click", (event) => {
    menus.forEach((menu) => { if (menu.open && !menu.contains(event.target)) menu.open = false; });
  });
  // A table box or code block that scrolls sideways becomes focusable, so keyboard users can
  // scroll it; a table box becomes a region named by its table's caption. (Markup that sets
  // tabindex itself, as the .table-wrap pattern in lernpfad.css shows, is left alone.)
  const scrollers = [...document.querySelectorAll(".table-wrap:not([tabindex]), pre:not([tabindex])")];
  const markScrollers = () => scrollers.forEach((box, index) => {
    const scrolls = box.scrollWidth > box.clientWidth;
    const caption = box.matches(".table-wrap") && box.querySelector("caption");
    if (scrolls) box.setAttribute("tabindex", "0");
    else box.removeAttribute("tabindex");
    if (caption) {
      caption.id = caption.id || `tabelle-${index + 1}`;
      if (scrolls) {
        box.setAttribute("role", "region");
        box.setAttribute("aria-labelledby", caption.id);
      } else {
        box.removeAttribute("role");
        box.removeAttribute("aria-labelledby");
      }
    }
  });
  markScrollers();
  window.addEventListener("resize", markScrollers);
  // Forms marked data-once disable their submit button after the first submit (double clicks).
  document.querySelectorAll("form[data-once]").forEach((form) => {
    form.addEventListener("submit", () => {
      setTimeout(() => form.querySelectorAll("button[type=submit]").forEach((b) => { b.disabled = true; }), 0);
    });
  });
  // Confirm dangerous actions.
  document.querySelectorAll("[data-confirm]").forEach((el) => {
    el.addEventListener("click", (event) => {
      if (!window.confirm(el.getAttribute("data-confirm"))) event.preventDefault();
    });
  });
});
